/**
 * Markdown that data cannot break or inject into. Column names and values from
 * users' files go through `code` (an inline code span: no Markdown, no HTML, no
 * @mentions, no #references); sentences that quote them go through `escapeText`.
 * Both are safe inside GitHub table cells.
 */

const MD_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~<>&"'=:$^]/g;
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, ' ');
}

/** Shortens text to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}

/** Plain text, shown literally: Markdown punctuation escaped, HTML characters as entities, mentions defused. */
export function escapeText(text: string, max = 500): string {
  return truncate(oneLine(text), max)
    .replace(MD_PUNCTUATION, (c) => (HTML_ENTITIES[c] ? HTML_ENTITIES[c] : `\\${c}`))
    .replace(/@/g, '@\u200b');
}

/** Text for an HTML context (inside <summary>, <td>): entities only. */
export function escapeHtml(text: string): string {
  return oneLine(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * A value as an inline code span. In a table cell (the default) pipes are escaped;
 * pass `inTable = false` elsewhere. Empty and all-space values show as a marker.
 */
export function code(text: string, max = 80, inTable = true): string {
  const line = truncate(oneLine(text), max);
  if (line === '') return '*(empty)*';
  if (/^ +$/.test(line)) return `*(${line.length === 1 ? 'a space' : `${line.length} spaces`})*`;
  const value = inTable ? line.replace(/\|/g, '\\|') : line;
  let longest = 0;
  for (const run of value.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') || (value.startsWith(' ') && value.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/** A GitHub table; cells must already be escaped. */
export function table(headers: string[], rows: string[][], align?: Array<'left' | 'right'>): string {
  const rule = headers.map((_, i) => (align?.[i] === 'right' ? '---:' : '---'));
  return [headers, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A number for a report: integers as they are, others to 4 significant digits. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e9)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}
