/** CommonMark's ASCII punctuation: what a backslash escapes. */
const PUNCTUATION = /[!-/:-@[-`{-~]/;

/** Splits inline Markdown into its code spans' contents and the text outside them (CommonMark rules for backtick runs). */
export function codeSpans(text: string): { outside: string; spans: string[] } {
  let outside = '';
  const spans: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && PUNCTUATION.test(text[i + 1]!)) {
      outside += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '`') {
      outside += c;
      i++;
      continue;
    }
    let n = 0;
    while (text[i + n] === '`') n++;
    // Find a closing run of exactly n backticks.
    let j = i + n;
    let close = -1;
    while (j < text.length) {
      if (text[j] !== '`') {
        j++;
        continue;
      }
      let m = 0;
      while (text[j + m] === '`') m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      outside += '`'.repeat(n);
      i += n;
      continue;
    }
    let content = text.slice(i + n, close);
    if (content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
    spans.push(content);
    outside += '\u0000';
    i = close + n;
  }
  return { outside, spans };
}
