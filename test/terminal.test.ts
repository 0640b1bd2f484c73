import { markdownToTerminal } from '../src/adapters/local/terminal.js';
import { code, escapeText } from '../src/core/markdown.js';

describe('summaries on a terminal', () => {
  test('escaped text reads as it was written', () => {
    const text = "cars-origin at 2026-12-02T05:49 is the model's [best] *guess* <b> & @team";
    expect(markdownToTerminal(escapeText(text))).toBe(text);
  });

  test('headings, tables and code spans stay; bold markers, details and entities go', () => {
    const markdown = [
      '## Data validation: ✅ passed',
      '',
      '| Column | Kind |',
      '| --- | --- |',
      `| ${code('bill_length_mm')} | numeric |`,
      '',
      '<details><summary>Sample rows</summary>',
      '',
      '**3** rows &amp; more',
      '</details>',
    ].join('\n');
    expect(markdownToTerminal(markdown)).toBe(
      [
        '## Data validation: ✅ passed',
        '',
        '| Column | Kind |',
        '| --- | --- |',
        '| `bill_length_mm` | numeric |',
        '',
        'Sample rows',
        '',
        '3 rows & more',
      ].join('\n'),
    );
  });

  test('Mermaid charts become one line pointing at the HTML report', () => {
    const markdown = ['Before', '', '```mermaid', 'xychart-beta', '  bar [1, 2]', '```', '', 'After'].join('\n');
    expect(markdownToTerminal(markdown)).toBe('Before\n\n(chart: see the HTML report)\n\nAfter');
  });

  test('hidden markers are dropped', () => {
    expect(markdownToTerminal('<!-- mlops-comment:penguins -->\nText')).toBe('Text');
  });
});
