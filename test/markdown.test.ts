import { describe, expect, test } from '@jest/globals';
import { MODEL_CARD_FORMAT } from '../src/core/contracts/index.js';
import type { ModelCard } from '../src/core/contracts/index.js';
import { trainingSection } from '../src/core/evaluate/markdown-report.js';
import { code, escapeHtml, escapeText, formatNumber, table, truncate } from '../src/core/markdown.js';
import type { ColumnSummary } from '../src/core/profile/summary.js';
import type { Anomaly } from '../src/core/validate/anomalies.js';
import { renderValidationReport } from '../src/core/validate/report.js';
import type { ValidationReportInput } from '../src/core/validate/report.js';
import { codeSpans } from './support/markdown.js';

/*
 * A small model of how GitHub (cmark-gfm) reads what we write, enough to check safety:
 * - a table row is split at every `|` not directly preceded by a backslash (cmark-gfm's cell
 *   scanner takes `\|` as an escaped pipe whatever comes before the backslash); `\|` then
 *   becomes `|` in the cell;
 * - in a cell, a run of n backticks opens a code span closed by the next run of exactly n
 *   backticks; the content is literal (one space each side is stripped when both are there and
 *   the content is not all spaces);
 * - outside code, a backslash before ASCII punctuation makes it literal, and entities decode.
 */

/** Cells of a table row, split as cmark-gfm does, with `\|` unescaped. */
function splitRow(line: string): string[] {
  expect(line.startsWith('|')).toBe(true);
  expect(line.endsWith('|')).toBe(true);
  const cells: string[] = [];
  let current = '';
  for (let i = 1; i < line.length; i++) {
    const c = line[i]!;
    if (c === '|' && line[i - 1] !== '\\') {
      cells.push(current.trim());
      current = '';
    } else current += c;
  }
  expect(current.trim()).toBe('');
  return cells.map((cell) => cell.replace(/\\\|/g, '|'));
}

/** Number of cell delimiters in a row: pipes not preceded by a backslash. */
const unescapedPipes = (line: string): number => [...line].filter((c, i) => c === '|' && line[i - 1] !== '\\').length;

/** Splits inline Markdown into code spans and the rest (CommonMark code-span rules). */
const parseInline = codeSpans;

/** What plain escaped text displays as: backslash escapes and entities resolved, the mention guard dropped. */
function displayText(escaped: string): string {
  return escaped
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&lt;|&gt;|&quot;|&#39;|&amp;/g, (e) => ({ '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' })[e]!)
    .replace(/@\u200b/g, '@');
}

/** What is live in text outside code spans: HTML (other than <br>), links, images, mentions, references, emphasis. */
function problemsOf(outside: string): string[] {
  const withoutBreaks = outside.replace(/<br>/g, '');
  const problems: string[] = [];
  if (/</.test(withoutBreaks)) problems.push('raw <');
  if (/(^|[^\\])[[\]]/.test(outside)) problems.push('unescaped [ or ]');
  if (/@[A-Za-z0-9]/.test(outside)) problems.push('live @mention');
  if (/(^|[^\\])#\d/.test(outside)) problems.push('live #reference');
  if (/javascript:/i.test(outside)) problems.push('javascript: link text');
  if (/(^|[^\\])[*_]/.test(outside.replace(/\*\(empty\)\*/g, ''))) problems.push('unescaped emphasis');
  return problems;
}

function expectInert(outside: string, where: string): void {
  expect({ where, problems: problemsOf(outside) }).toEqual({ where, problems: [] });
}

describe('the checking model itself', () => {
  test('flags live content written raw', () => {
    expect(problemsOf('<script>alert(1)</script>')).toContain('raw <');
    expect(problemsOf('<img src=x onerror=alert(1)>')).toContain('raw <');
    expect(problemsOf('[link](javascript:alert(1))')).toEqual(expect.arrayContaining(['unescaped [ or ]', 'javascript: link text']));
    expect(problemsOf('hi @octocat')).toEqual(['live @mention']);
    expect(problemsOf('see #123')).toEqual(['live #reference']);
    expect(problemsOf('**b**')).toEqual(['unescaped emphasis']);
    expect(problemsOf('a<br>b \\[x\\] \\#1 @\u200bx \\*')).toEqual([]);
  });

  test('splits rows at unescaped pipes and finds code spans', () => {
    expect(splitRow('| a | b\\|c | `d` |')).toEqual(['a', 'b|c', '`d`']);
    expect(unescapedPipes('| a | b\\|c |')).toBe(3);
    expect(parseInline('x `` a ` b `` y `open')).toEqual({ outside: 'x \u0000 y `open', spans: ['a ` b'] });
    expect(displayText('\\<b\\> &lt;i&gt; @\u200bme')).toBe('<b> <i> @me');
  });
});

const HOSTILE = [
  'a|b',
  '|',
  '||',
  'x`y',
  '`',
  '``double``',
  '```',
  'tick at end`',
  '`tick at start',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[link](javascript:alert(1))',
  '![img](http://x/y.png)',
  '@octocat',
  'cc @github/security',
  '#123',
  'fixes #42 and GH-1',
  'line1\nline2\r\nline3\rline4',
  'tab\there',
  '**bold** _it_ ~~strike~~',
  '&amp; &lt;',
  'back\\slash',
  'pipe\\|escaped',
  'ends with backslash\\',
  '  spaced  ',
  '<!-- comment -->',
  '$x^2$',
  'https://evil.example/path',
  'x'.repeat(5000),
  `${'`'.repeat(7)}|${'<'.repeat(3)}`,
];

describe('code', () => {
  test('plain text becomes one code span', () => {
    expect(code('abc')).toBe('`abc`');
  });

  test('empty text shows a marker', () => {
    expect(code('')).toBe('*(empty)*');
  });

  test.each(HOSTILE.filter((t) => t.length < 60 && !/[\r\n\t]/.test(t)))('%j reads back as exactly itself in a table cell', (text) => {
    const row = table(['h'], [[code(text)]]).split('\n')[2]!;
    const [cell] = splitRow(row);
    const inline = parseInline(cell!);
    expect(inline.spans).toEqual([text]);
    expect(inline.outside).toBe('\u0000');
  });

  test('an all-space value shows as a marker that says how many spaces', () => {
    // A code span of spaces is easy to miss (and CommonMark pads differently when the content is all spaces).
    expect(code(' ')).toBe('*(a space)*');
    expect(code('   ')).toBe('*(3 spaces)*');
    const [cell] = splitRow(table(['h'], [[code('   ')]]).split('\n')[2]!);
    expect(parseInline(cell!).spans).toEqual([]);
  });

  test('runs of backticks get a longer fence', () => {
    const md = code('a ``` b ` c');
    expect(md.startsWith('````')).toBe(true);
    expect(md.endsWith('````')).toBe(true);
    expect(md.startsWith('`````')).toBe(false);
  });

  test('newlines and tabs become one line', () => {
    const md = code('a\nb\r\nc\rd\te');
    expect(md).not.toMatch(/[\r\n\t]/);
    expect(parseInline(md).spans).toEqual(['a↵b↵c↵d e']);
  });

  test('long text is cut to the maximum with an ellipsis', () => {
    const md = code('y'.repeat(500), 40);
    const [content] = parseInline(md).spans;
    expect(content).toHaveLength(40);
    expect(content!.endsWith('…')).toBe(true);
    expect(code('short', 40)).toBe('`short`');
  });

  test('randomized: any mix of backticks, pipes, spaces, backslashes and letters reads back exactly', () => {
    let seed = 99;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const alphabet = ['`', '`', '|', ' ', '\\', 'a', '<', '*'];
    for (let trial = 0; trial < 2000; trial++) {
      const text = Array.from({ length: 1 + rand(12) }, () => alphabet[rand(alphabet.length)]).join('');
      if (text.trim() === '') continue; // all spaces: see the test below
      const row = table(['h'], [[code(text)]]).split('\n')[2]!;
      const cells = splitRow(row);
      expect({ text, cells: cells.length }).toEqual({ text, cells: 1 });
      const inline = parseInline(cells[0]!);
      expect({ text, spans: inline.spans, outside: inline.outside }).toEqual({ text, spans: [text], outside: '\u0000' });
    }
  });
});

describe('escapeText', () => {
  test.each(HOSTILE.filter((t) => t.length < 300))('%j displays literally and is inert', (text) => {
    const escaped = escapeText(text);
    expect(escaped).not.toMatch(/[\r\n]/);
    const inline = parseInline(escaped);
    expect(inline.spans).toEqual([]);
    expectInert(inline.outside, text);
    expect(displayText(escaped)).toBe(text.replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, ' '));
    // In a table row it stays one cell.
    expect(splitRow(table(['h'], [[escaped]]).split('\n')[2]!)).toHaveLength(1);
  });

  test('specific escapes', () => {
    expect(escapeText('<b>')).toBe('&lt;b&gt;');
    expect(escapeText('a|b')).toBe('a\\|b');
    expect(escapeText('@octocat')).toBe('@\u200boctocat');
    expect(escapeText('#123')).toBe('\\#123');
    expect(escapeText('plain words 42')).toBe('plain words 42');
  });

  test('long text is cut before escaping, so an escape is never split', () => {
    const text = '<'.repeat(1000);
    const escaped = escapeText(text, 50);
    expect(displayText(escaped)).toBe(`${'<'.repeat(49)}…`);
    expect(escaped).toMatch(/^(&lt;)+…$/);
  });
});

describe('escapeHtml', () => {
  test('entities for HTML characters only, on one line', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml('a\nb\r\nc')).toBe('a↵b↵c');
    expect(escapeHtml('[md] *stays* | @x')).toBe('[md] *stays* | @x');
  });
});

describe('table', () => {
  test('header, rule with alignment, rows', () => {
    const md = table(
      ['A', 'B', 'C'],
      [
        ['1', '2', '3'],
        ['x', '', 'z'],
      ],
      ['left', 'right', 'left'],
    );
    expect(md.split('\n')).toEqual(['| A | B | C |', '| --- | ---: | --- |', '| 1 | 2 | 3 |', '| x |  | z |']);
  });

  test('hostile cells through code and escapeText keep every row as wide as the header', () => {
    const rows = HOSTILE.map((t) => [code(t, 60), escapeText(t, 60), code(t), escapeText(t)]);
    const lines = table(['a', 'b', 'c', 'd'], rows).split('\n');
    expect(lines).toHaveLength(HOSTILE.length + 2);
    const width = unescapedPipes(lines[0]!);
    expect(width).toBe(5);
    for (const line of lines) expect({ line, pipes: unescapedPipes(line) }).toEqual({ line, pipes: width });
  });
});

describe('truncate and formatNumber', () => {
  test('truncate', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcd', 4)).toBe('abcd');
  });

  test.each<[number | null | undefined, string]>([
    [null, ''],
    [undefined, ''],
    [42, '42'],
    [-7, '-7'],
    [3.14159, '3.142'],
    [0.5, '0.5'],
    [1234.5678, '1235'],
    [1e-5, '1.000e-5'],
    [2.5e9, '2500000000'],
    [2500000000.5, '2.500e+9'],
    [Number.NaN, 'NaN'],
    [Infinity, '∞'],
    [-Infinity, '−∞'],
  ])('formatNumber(%p) = %p', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });
});

describe('renderValidationReport with hostile names and values', () => {
  const files = ['data/<img src=x onerror=alert(1)>.csv', 'data/a|b`c.csv'];

  function hostileInput(): ValidationReportInput {
    const anomalies: Anomaly[] = HOSTILE.map((name, i) => ({
      kind: i % 2 ? 'not_in_domain' : 'unexpected_column',
      severity: i % 3 ? 'error' : 'warning',
      column: name,
      file: files[i % 2],
      message: `Column "${name}" is not in the schema.`,
      expected: `one of: ${name}, [x](javascript:y)`,
      unexpectedCount: 1,
      checked: 2,
      samples: [
        { file: files[0]!, row: 1, line: 2, value: name },
        { file: files[1]!, row: 3, line: 4, value: HOSTILE[(i + 5) % HOSTILE.length]! },
      ],
    }));
    anomalies.push({ kind: 'too_few_rows', severity: 'error', message: '3 rows; the schema asks for at least 5.', samples: [] });
    anomalies.push({
      kind: 'empty_file',
      severity: 'error',
      file: '<script>x</script>|.csv',
      message: 'The file has no data rows.',
      samples: [],
    });
    const columns: ColumnSummary[] = HOSTILE.map((name, i) => ({
      name,
      type: i % 2 ? 'string' : 'datetime',
      count: 10,
      nulls: i % 3,
      nullFraction: (i % 3) / 10,
      distinct: 3,
      distinctExact: i % 2 === 0,
      mean: null,
      std: null,
      min: i % 2 ? null : name,
      max: i % 2 ? null : HOSTILE[(i + 1) % HOSTILE.length]!,
      quantiles: null,
      histogram: null,
      top: [
        { value: name, count: 5 },
        { value: HOSTILE[(i + 3) % HOSTILE.length]!, count: 3 },
        { value: '<script>', count: 2 },
      ],
      nan: 0,
      infinity: 0,
    }));
    return {
      title: 'Check <script>alert(1)</script> | @octocat #1\nnext',
      files,
      schemaFile: 'schemas/<b>|x`.yaml',
      rows: 10,
      bytes: 1234,
      elapsedMs: 12,
      anomalies,
      columns,
    };
  }

  const report = renderValidationReport(hostileInput());
  const lines = report.split('\n');

  test('every table row has as many cells as its header', () => {
    let tables = 0;
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('|')) continue;
      const headerCells = unescapedPipes(lines[i]!);
      let j = i;
      while (j < lines.length && lines[j]!.startsWith('|')) {
        expect({ line: lines[j], pipes: unescapedPipes(lines[j]!) }).toEqual({ line: lines[j], pipes: headerCells });
        j++;
      }
      tables++;
      // Rows do not spill onto other lines: the table ends with a blank line.
      expect(lines[j]).toBe('');
      i = j;
    }
    expect(tables).toBe(2);
  });

  test('one table line per anomaly and per column (no newline inside a row)', () => {
    const input = hostileInput();
    const start = lines.indexOf('### Anomalies');
    const anomalyTable = lines.slice(start + 2, lines.indexOf('', start + 2));
    expect(anomalyTable).toHaveLength(input.anomalies.length + 2);
    const columnsStart = lines.indexOf('### Columns');
    const columnTable = lines.slice(columnsStart + 2, lines.indexOf('', columnsStart + 2));
    expect(columnTable).toHaveLength(input.columns.length + 2);
    for (const line of [...anomalyTable, ...columnTable]) expect(splitRow(line).length).toBe(unescapedPipes(line) - 1);
  });

  test('no live HTML, links, mentions or references outside code spans', () => {
    for (const line of lines) {
      const cells = line.startsWith('|') ? splitRow(line) : [line.replace(/^#+ /, '')];
      for (const cell of cells) expectInert(parseInline(cell).outside, line.slice(0, 120));
    }
    // The raw tags only ever appear inside code spans.
    const outsideAll = lines.map((l) => (l.startsWith('|') ? splitRow(l) : [l]).map((c) => parseInline(c).outside).join(' ')).join('\n');
    expect(outsideAll).not.toMatch(/<script|<img/i);
  });

  test('names and values in code spans read back as the original text (one line, cut to length)', () => {
    const anomalyRows = lines.slice(lines.indexOf('### Anomalies') + 4, lines.indexOf('### Anomalies') + 4 + HOSTILE.length);
    anomalyRows.forEach((line, i) => {
      const columnCell = splitRow(line)[2]!;
      const name = HOSTILE[i]!.replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, ' ');
      expect(parseInline(columnCell).spans).toEqual([truncate(name, 60)]);
    });
  });

  test('the title is escaped', () => {
    expect(lines[0]!.startsWith('## ')).toBe(true);
    expect(lines[0]).not.toContain('<script');
    expect(displayText(lines[0]!.slice(3))).toContain('Check <script>alert(1)</script> | @octocat #1↵next');
  });

  test('file names in the summary line (a paragraph, not a table) read back as written', () => {
    // Outside a table a backslash inside a code span is shown as is, so `\|` would show the backslash.
    const summary = lines[2]!;
    const spans = parseInline(summary).spans;
    expect(spans).toContain(files[0]);
    expect(spans).toContain(files[1]);
    expect(spans).toContain('schemas/<b>|x`.yaml');
  });

  test('more than 100 anomalies: the first 100 rows and a note', () => {
    const input = hostileInput();
    const many: Anomaly[] = Array.from({ length: 130 }, (_, i) => ({
      kind: 'wrong_type',
      severity: 'error',
      column: `c${i}|x`,
      message: 'bad',
      samples: [],
    }));
    const md = renderValidationReport({ ...input, anomalies: many });
    const rows = md.split('\n').filter((l) => l.startsWith('| ❌'));
    expect(rows).toHaveLength(100);
    expect(md).toContain('… and 30 more');
    expect(md).toContain('130 errors, 0 warnings');
  });

  test('verdicts', () => {
    const base = { files: ['d.csv'], schemaFile: null, rows: 1, bytes: 0, elapsedMs: 0, columns: [] };
    expect(renderValidationReport({ ...base, anomalies: [] }).split('\n')[0]).toBe('## Data validation: ✅ passed');
    const warning: Anomaly = { kind: 'unexpected_column', severity: 'warning', column: 'x', message: 'm', samples: [] };
    expect(renderValidationReport({ ...base, anomalies: [warning] }).split('\n')[0]).toBe('## Data validation: ⚠️ passed with 1 warning');
    const error: Anomaly = { ...warning, severity: 'error' };
    expect(renderValidationReport({ ...base, anomalies: [error, warning, warning] }).split('\n')[0]).toBe(
      '## Data validation: ❌ 1 error, 2 warnings',
    );
  });
});

describe("trainingSection (the pull request comment's training part, from the model card)", () => {
  const card = (overrides: Partial<ModelCard> = {}): ModelCard => ({
    format: MODEL_CARD_FORMAT,
    name: 'penguins',
    trainer: { kind: 'builtin', version: '1', model: 'mlp', backend: 'wasm' },
    params: { hidden: [32, 16], optimizer: 'adam' },
    data: { target: 'species', files: [{ path: 'data/penguins.csv', sha256: 'ab'.repeat(32) }] },
    git: { commit: '0123456789abcdef'.repeat(2) + '01234567', ref: 'refs/heads/main' },
    durationMs: 12_345,
    epochs: { run: 60, best: 42 },
    metrics: { validation: { accuracy: 0.975, count: 40, roc_auc: null } },
    ...overrides,
  });

  test('trainer, duration, epochs, data hashes, commit, parameters and validation metrics', () => {
    const md = trainingSection(card());
    const lines = md.split('\n');
    expect(lines[0]).toBe('Trainer: `mlp on wasm`, 12.3 s, 60 epochs (best 42).');
    expect(lines[1]).toBe(`Data: \`data/penguins.csv\` (sha256 ${'ab'.repeat(6)}); commit \`0123456789ab\`.`);
    expect(md).toContain('| `hidden` | `[32,16]` |');
    expect(md).toContain('| `optimizer` | `adam` |');
    expect(md).toContain('**Validation metrics**');
    expect(md).toContain('| `accuracy` | 0.975 |');
    expect(md).toContain('| `count` | 40 |');
    // Null metrics are left out.
    expect(md).not.toContain('roc_auc');
  });

  test('your own trainer, a card without epochs, duration, commit or validation metrics', () => {
    const md = trainingSection(
      card({
        trainer: { kind: 'command', command: 'python train.py', code: [] },
        durationMs: undefined,
        epochs: undefined,
        git: undefined,
        metrics: {},
      }),
    );
    expect(md.split('\n')[0]).toBe('Trainer: `python train.py`.');
    expect(md.split('\n')[1]).toBe(`Data: \`data/penguins.csv\` (sha256 ${'ab'.repeat(6)}).`);
    expect(md).not.toContain('Validation metrics');
  });

  test('the model kind as `algorithm` (newer cards) wins over `model`', () => {
    const md = trainingSection(card({ trainer: { kind: 'builtin', version: '1', model: 'mlp', algorithm: 'linear', backend: 'cpu' } }));
    expect(md.split('\n')[0]).toMatch(/^Trainer: `linear on cpu`/);
  });

  test('hostile parameter names and values stay inside code spans, one row of two cells', () => {
    const md = trainingSection(card({ params: { 'a|b': 'x`|<script>@all' } }));
    const row = md.split('\n').find((l) => l.startsWith('| `a'))!;
    const cells = splitRow(row);
    expect(cells).toHaveLength(2);
    const [name, value] = cells.map((cell) => parseInline(cell));
    expect(name!.spans).toEqual(['a|b']);
    expect(value!.spans).toEqual(['x`|<script>@all']);
    expectInert(name!.outside + value!.outside, 'parameter row');
  });
});
