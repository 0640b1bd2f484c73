/**
 * A model's history from a real folder registry: readHistory (version order, commits,
 * blessings, intervals, aliases, a version without a blessing, a foreign version), the
 * pull request section rendered by cmark-gfm (GitHub's renderer) with hostile commits and
 * metric names, and `mlops history`, in process and from the CLI bundle in a child process.
 *
 * Expected values are written by hand from the registered blessings. Without cmark-gfm
 * (Debian's cmark-gfm package) the rendering checks are skipped locally and fail on CI.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FolderStore } from '../src/adapters/registry/folder-store.js';
import { parseContract } from '../src/core/contracts/index.js';
import type { Blessing } from '../src/core/contracts/index.js';
import {
  compareRecords,
  historyMetric,
  numericMetrics,
  readHistory,
  readIntervals,
  terminalText,
  type HistoryRecord,
} from '../src/core/history/history.js';
import { historySection, plain } from '../src/core/history/markdown.js';
import { historyCommand } from '../src/core/history/text.js';
import { ModelRegistry } from '../src/core/registry/registry.js';
import { ForeignVersionError } from '../src/ports/model-store.js';
import type { StoredVersion } from '../src/ports/model-store.js';
import { makeTempDir, removeTempDirs, runCli } from './support/action-runner.js';
import { testCard, userError, writeTree } from './support/registry.js';

afterAll(removeTempDirs);

const cmarkInstalled = spawnSync('cmark-gfm', ['--version']).status === 0;
if (!cmarkInstalled && process.env.CI === 'true') throw new Error("cmark-gfm is missing on CI: install Debian's cmark-gfm package");
const withCmark = cmarkInstalled ? test : test.skip;
const SKIPPED = cmarkInstalled ? '' : ' (skipped: cmark-gfm is not installed; apt-get install cmark-gfm)';

const HOSTILE_COMMIT = '```\n</code></pre><script>alert(1)</script> | x | @octocat [x](javascript:alert(1)) \u001b[31m';
const HOSTILE_METRIC = 'acc"]\n```\n<img src=x onerror=alert(1)> | @octocat';
const COMMITS = [
  '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  '3333333ccccccccccccccccccccccccccccccccc',
];

function blessing(extra: Record<string, unknown>): Blessing {
  return parseContract(
    'blessing',
    {
      format: 'mlops-blessing/v1',
      blessed: true,
      reasons: [],
      model: { name: 'penguins', source: '.mlops/train/model' },
      ...extra,
    },
    'a test blessing',
  );
}

/** A folder store in which some version numbers read as tags another tool pushed. */
class StoreWithForeign extends FolderStore {
  constructor(
    root: string,
    private readonly foreign: number[],
  ) {
    super(root);
  }
  override async readVersion(model: string, n: number): Promise<StoredVersion | null> {
    if (this.foreign.includes(n)) throw new ForeignVersionError(`v${n} was not written by mlops`);
    return super.readVersion(model, n);
  }
}

interface Fixture {
  base: string;
  root: string;
  registry: ModelRegistry;
}

/**
 * penguins: v1 blessed (accuracy 0.9 with an interval), v2 without a blessing, v3 blessed
 * (production; an out-of-order f1_macro interval that must be dropped), v4 not blessed with
 * a hostile commit and metric name (staging), v5 written by another tool; and iris v1.
 */
async function fixture(): Promise<Fixture> {
  const base = await makeTempDir('mlops-history-');
  const root = join(base, '.mlops', 'registry');
  const registry = new ModelRegistry(new FolderStore(root));
  const dir = join(base, 'model');
  await writeTree(dir, { 'model.json': '{"format":"test"}', 'weights.bin': 'weights' });
  const card = (commit: string) => testCard({ git: { commit, ref: 'refs/heads/main' }, trainedAt: '2026-01-01T09:00:00.000Z' });
  await registry.register('penguins', dir, {
    card: card(COMMITS[0]!),
    blessing: blessing({
      metrics: { accuracy: 0.9, f1_macro: 0.88, count: 68, roc_auc: null },
      intervals: { accuracy: { lower: 0.85, upper: 0.95 } },
      evaluatedAt: '2026-01-01T10:00:00.000Z',
    }),
  });
  await registry.register('penguins', dir, { card: card(COMMITS[1]!), blessing: null });
  await registry.register('penguins', dir, {
    card: card(COMMITS[2]!),
    blessing: blessing({
      metrics: { accuracy: 0.92, f1_macro: 0.9, count: 68 },
      intervals: { accuracy: { lower: 0.87, upper: 0.96 }, f1_macro: { lower: 0.95, upper: 0.8 }, log_loss: 'wide' },
      evaluatedAt: '2026-01-03T10:00:00.000Z',
    }),
  });
  await registry.register('penguins', dir, {
    card: card(HOSTILE_COMMIT),
    blessing: blessing({
      blessed: false,
      reasons: ['accuracy 0.8 is below the minimum 0.85'],
      metrics: { accuracy: 0.8, [HOSTILE_METRIC]: 0.5, count: 68 },
      evaluatedAt: '2026-01-04T10:00:00.000Z',
    }),
  });
  await registry.register('penguins', dir, { card: card(COMMITS[0]!), blessing: null });
  await registry.setAlias('penguins', 'production', 3);
  await registry.setAlias('penguins', 'staging', 4);
  await registry.register('iris', dir, { card: null, blessing: null });
  return { base, root, registry: new ModelRegistry(new StoreWithForeign(root, [5])) };
}

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

describe('readHistory', () => {
  test('every version in order, with commit, dates, verdict, test metrics, intervals and aliases; the foreign one told', async () => {
    const foreign: string[] = [];
    const records = await readHistory(f.registry, 'penguins', { onForeign: (n, reason) => foreign.push(`${n}: ${reason}`) });
    expect(foreign).toEqual(['5: v5 was not written by mlops']);
    expect(records.map((r) => r.version)).toEqual([1, 2, 3, 4]);
    expect(records[0]).toEqual({
      model: 'penguins',
      version: 1,
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      createdAt: expect.any(String),
      commit: COMMITS[0],
      trainedAt: '2026-01-01T09:00:00.000Z',
      evaluatedAt: '2026-01-01T10:00:00.000Z',
      blessed: true,
      metrics: { accuracy: 0.9, f1_macro: 0.88, count: 68 }, // roc_auc null: not a number, left out
      intervals: { accuracy: { lower: 0.85, upper: 0.95 } },
      aliases: [],
      problems: [],
    });
    // No blessing: no metrics, no verdict, no evaluation date.
    expect(records[1]).toMatchObject({ version: 2, commit: COMMITS[1], blessed: null, evaluatedAt: null, metrics: {}, intervals: {} });
    // Only the well-formed interval is kept (lower > upper and a string are dropped).
    expect(records[2]).toMatchObject({ version: 3, aliases: ['production'], intervals: { accuracy: { lower: 0.87, upper: 0.96 } } });
    expect(Object.keys(records[2]!.intervals)).toEqual(['accuracy']);
    expect(records[3]).toMatchObject({ version: 4, commit: HOSTILE_COMMIT, blessed: false, aliases: ['staging'] });
    expect(records[3]!.metrics[HOSTILE_METRIC]).toBe(0.5);
  });

  test('--last keeps the newest versions; an unknown model has no history; a bad count is refused', async () => {
    expect((await readHistory(f.registry, 'penguins', { last: 2 })).map((r) => r.version)).toEqual([3, 4]);
    expect((await readHistory(f.registry, 'penguins', { last: 50 })).map((r) => r.version)).toEqual([1, 2, 3, 4]);
    expect(await readHistory(f.registry, 'walrus')).toEqual([]);
    expect((await userError(readHistory(f.registry, 'penguins', { last: 0 }))).message).toContain('at least 1');
  });

  test('metrics and intervals are read from anything without trusting it', () => {
    const metrics = numericMetrics(JSON.parse('{"__proto__": 0.5, "a": 1, "b": "x", "c": null}'));
    expect(Object.keys(metrics)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(metrics)).toBe(Object.prototype);
    expect(numericMetrics([1, 2])).toEqual({});
    expect(readIntervals(null)).toEqual({});
    expect(readIntervals({ a: { lower: 0, upper: 1, level: 0.95 }, b: [0, 1], c: { lower: 0 }, d: { lower: 1, upper: Infinity } })).toEqual(
      {
        a: { lower: 0, upper: 1 },
      },
    );
  });

  test('the default metric: the first gate, else accuracy or rmse', () => {
    expect(historyMetric('classification', [{ metric: 'f1_macro' }, { metric: 'accuracy' }])).toBe('f1_macro');
    expect(historyMetric('classification')).toBe('accuracy');
    expect(historyMetric('regression', [])).toBe('rmse');
  });
});

// ── The pull request section ─────────────────────────────────────────────────

const CANDIDATE = {
  metrics: { accuracy: 0.93, f1_macro: 0.91, per_class: [{ class: 'adelie', f1: 0.9 }] },
  intervals: { accuracy: { lower: 0.9, upper: 0.96 } },
};

/** Markdown to HTML as GitHub does (cmark-gfm with GitHub's extensions); raw HTML kept, so any injection would show. */
function renderGfm(markdown: string): string {
  const result = spawnSync(
    'cmark-gfm',
    ['--unsafe', '--github-pre-lang', '-e', 'table', '-e', 'strikethrough', '-e', 'autolink', '-e', 'tagfilter', '-e', 'tasklist'],
    { input: markdown, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`cmark-gfm failed: ${result.stderr}`);
  return result.stdout;
}

function decodeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The text of the Markdown's mermaid fence, as written. */
function mermaidSource(markdown: string): string {
  const match = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  if (!match) throw new Error('no mermaid block');
  return `${match[1]}\n`;
}

/** What injection would look like in the HTML: a tag or a link that we did not write. */
function expectNothingInjected(html: string): void {
  expect(html).not.toMatch(/<(script|img|iframe|svg|style|details|a)\b/i);
  const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase()));
  expect([...tags].sort()).toEqual(['code', 'h3', 'p', 'pre', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr']);
}

const CLOSE_RECORD: HistoryRecord = {
  model: 'm',
  version: 1,
  digest: `sha256:${'0'.repeat(64)}`,
  createdAt: '2026-01-01T00:00:00.000Z',
  commit: null,
  trainedAt: null,
  evaluatedAt: '2026-01-01T00:00:00.000Z',
  blessed: true,
  metrics: {},
  intervals: {},
  aliases: [],
  problems: [],
};

async function sectionOfFixture() {
  return historySection({ records: await readHistory(f.registry, 'penguins'), candidate: CANDIDATE, metric: 'accuracy' });
}

describe('historySection', () => {
  test('the chart of the last evaluations, the candidate and production, with the intervals', async () => {
    const records = await readHistory(f.registry, 'penguins');
    const section = historySection({ records, candidate: CANDIDATE, metric: 'accuracy' });
    expect(section.title).toBe('History');
    // v2 has no accuracy: the points are v1, v3, v4, then the pull request; production is v3 (its alias).
    expect(section.body).toContain('Candidate `accuracy`: **0.93** (interval 0.9 to 0.96).');
    expect(section.body).toContain('Production v3: 0.92, change +0.01.');
    expect(section.body).toContain('Last 3 evaluations (v1 to v4): 0.8 to 0.92; 1 version without `accuracy` left out.');
    const source = mermaidSource(section.body);
    const lines = source.split('\n');
    expect(lines[0]).toBe('%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#0969da, #8c959f, #8c959f, #1a7f37"}}}}%%');
    expect(lines.slice(1, 4)).toEqual(['xychart-beta', '  title "accuracy by version"', '  x-axis ["v1", "v3", "v4", "PR"]']);
    // y-axis: 0.8 .. 0.96 with a 10% margin (0.016), on a step of 0.001.
    expect(lines[4]).toBe('  y-axis "accuracy" 0.784 --> 0.976');
    expect(lines.slice(5, 9)).toEqual([
      '  line "accuracy" [0.9, 0.92, 0.8, 0.93]',
      '  line "lower" [0.85, 0.87, 0.8, 0.9]', // v4 has no interval: its bounds at its value
      '  line "upper" [0.95, 0.96, 0.8, 0.96]',
      '  line "production" [0.92, 0.92, 0.92, 0.92]',
    ]);
    expect(lines.length).toBe(10); // and the final newline
  });

  withCmark(`rendered by cmark-gfm: the Mermaid block is intact, the table has its cells, nothing is injected${SKIPPED}`, async () => {
    const records = await readHistory(f.registry, 'penguins');
    for (const metric of ['accuracy', HOSTILE_METRIC]) {
      const section = historySection({ records, candidate: { metrics: { ...CANDIDATE.metrics, [HOSTILE_METRIC]: 0.6 } }, metric });
      const markdown = `### ${section.title}\n\n${section.body}\n`;
      const html = renderGfm(markdown);
      const blocks = [...html.matchAll(/<pre lang="mermaid"><code>([\s\S]*?)<\/code><\/pre>/g)];
      expect(blocks).toHaveLength(1);
      expect(decodeHtml(blocks[0]![1]!)).toBe(mermaidSource(markdown));
      expect(html.match(/<pre/g)).toHaveLength(1);
      // The table: a header, then v1 v3 v4 (the window) and PR, six cells each.
      const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
        [...m[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]),
      );
      // For the hostile metric: production v3 (without it) above the window (v4), then PR.
      expect(rows.map((r) => r.length)).toEqual(metric === 'accuracy' ? [6, 6, 6, 6, 6] : [6, 6, 6, 6]);
      expectNothingInjected(html);
      if (metric === 'accuracy') {
        expect(rows[1]!.slice(0, 3)).toEqual(['v1', '<code>1111111</code>', '2026-01-01']);
        expect(rows[2]![5]).toBe('<code>production</code>');
        // The hostile commit is one code span in its cell, its characters as text.
        expect(rows[3]![0]).toBe('v4 ❌');
        expect(rows[3]![1]).toMatch(/^<code>[^<]*<\/code>$/);
        expect(decodeHtml(rows[3]![1]!.slice(6, -7))).toBe(`${HOSTILE_COMMIT.replace(/\n/g, '↵').slice(0, 11)}…`);
        expect(rows[4]).toEqual(['<strong>PR</strong>', '', '', '0.93', '', 'candidate']);
      } else {
        // Only v4 has the hostile metric; its name is a code span in the header and a cleaned label in the chart.
        expect(rows[0]![3]).toMatch(/^<code>[^<]*<\/code>$/);
        const source = mermaidSource(markdown);
        expect(source).toContain('  x-axis ["v4", "PR"]');
        // Every label of the chart is quoted and holds only letters, digits, space and _.+-.
        const chart = source.slice(source.indexOf('xychart-beta'));
        const quoted = [...chart.matchAll(/"([^"\n]*)"/g)].map((m) => m[1]!);
        expect(quoted.length).toBeGreaterThan(3);
        for (const label of quoted) expect(label).toMatch(/^[\p{L}\p{N} _.+-]+$/u);
        expect(chart.replace(/"[^"\n]*"/g, '')).toMatch(/^[a-z0-9 \-[\],.>\n]+$/);
        expect(rows[1]![0]).toBe('v3');
        expect(rows[1]![3]).toBe('');
      }
    }
  });

  test('production outside the window, a given production version, an unknown one, and none', async () => {
    const records = await readHistory(f.registry, 'penguins');
    const windowed = historySection({ records, candidate: CANDIDATE, metric: 'accuracy', last: 1 });
    expect(windowed.body).toContain('Last evaluation (v4): 0.8.');
    expect(mermaidSource(windowed.body)).toContain('x-axis ["v4", "PR"]');
    expect(windowed.body).toMatch(/\| v3 \| `3333333` \| 2026-01-03 \| 0\.92 \| 0\.87 to 0\.96 \| `production` \|\n\| v4 ❌/);
    const given = historySection({ records, candidate: CANDIDATE, metric: 'accuracy', productionVersion: 1 });
    expect(given.body).toContain('Production v1: 0.9, change +0.03.');
    expect(mermaidSource(given.body)).toContain('line "production" [0.9, 0.9, 0.9, 0.9]');
    expect(historySection({ records, candidate: CANDIDATE, metric: 'accuracy', productionVersion: 9 }).body).toContain(
      'Production v9 is not among the versions read.',
    );
    const none = historySection({ records, candidate: { metrics: { accuracy: 0.93 } }, metric: 'accuracy', productionVersion: null });
    expect(none.body).not.toContain('Production');
    // Without any interval: one line of values (and no production): one colour.
    const noIntervals = mermaidSource(none.body);
    expect(noIntervals).toContain('"plotColorPalette": "#0969da, #8c959f, #8c959f"}'); // v1 and v3 have intervals
    expect(noIntervals).toContain('line "lower" [0.85, 0.87, 0.8, 0.93]');
    const plainOnes = historySection({ records: records.slice(3), candidate: { metrics: { accuracy: 0.7 } }, metric: 'accuracy' });
    expect(mermaidSource(plainOnes.body)).toContain('"plotColorPalette": "#0969da"}');
    expect(mermaidSource(plainOnes.body)).not.toContain('line "lower"');
  });

  test('a first model: no history yet, no chart; a metric no version has', () => {
    const first = historySection({ records: [], candidate: CANDIDATE, metric: 'accuracy' });
    expect(first.body).toBe(
      'Candidate `accuracy`: **0.93** (interval 0.9 to 0.96). No version of this model in the registry yet: the history starts with the first registration.',
    );
    const missing = historySection({ records: [], candidate: { metrics: {} }, metric: 'rmse' });
    expect(missing.body).toContain('The candidate has no `rmse`.');
  });

  test('chart numbers are plain decimals, as Mermaid reads them; the section stays small', async () => {
    expect(plain(1.5e-7)).toBe('0.00000015');
    expect(plain(-2.5e21)).toBe('-2500000000000000000000');
    expect(plain(-0)).toBe('0');
    expect(plain(0.1 + 0.2)).toBe('0.3');
    expect(plain(1000.00001)).toBe('1000.00001');
    // Values that differ past the 8th digit stay inside the y-axis range written for them.
    const close = historySection({
      records: [1000.00001, 1000.00002].map((value, i) => ({ ...CLOSE_RECORD, version: i + 1, metrics: { r: value } })),
      candidate: { metrics: { r: -0.5 } },
      metric: 'r',
    });
    for (const source of [mermaidSource(close.body), mermaidSource((await sectionOfFixture()).body)]) {
      const [, low, high] = /y-axis "[^"]*" (\S+) --> (\S+)/.exec(source)!;
      const values = [...source.matchAll(/line "[^"]*" \[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(', ').map(Number));
      expect(values.length).toBeGreaterThan(2);
      for (const value of values) {
        expect(value).toBeGreaterThanOrEqual(Number(low));
        expect(value).toBeLessThanOrEqual(Number(high));
      }
    }
    const base = await readHistory(f.registry, 'penguins');
    // 40 evaluated versions: the section shows the last 10, and stays under 4 KB.
    const many: HistoryRecord[] = Array.from({ length: 40 }, (_, i) => ({
      ...base[0]!,
      version: i + 1,
      metrics: { accuracy: 0.5 + i / 100 },
      intervals: { accuracy: { lower: 0.4 + i / 100, upper: 0.6 + i / 100 } },
    }));
    const section = historySection({ records: many, candidate: CANDIDATE, metric: 'accuracy' });
    expect(mermaidSource(section.body)).toContain(
      `x-axis [${[31, 32, 33, 34, 35, 36, 37, 38, 39, 40].map((n) => `"v${n}"`).join(', ')}, "PR"]`,
    );
    expect(section.body.length).toBeLessThan(4000);
  });
});

// ── mlops history ────────────────────────────────────────────────────────────

describe('historyCommand (mlops history in process)', () => {
  test('lists every version with commit, date, verdict, aliases and the main metrics; notes the foreign version', async () => {
    const out = await historyCommand(f.registry, 'penguins');
    expect(out.warnings).toEqual(['v5 left out: v5 was not written by mlops']);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/\s{2,}/)).toEqual(['version', 'commit', 'evaluated', 'blessed', 'aliases', 'accuracy', 'f1_macro']);
    expect(lines[1]!.split(/\s{2,}/)).toEqual(['v1', '1111111', '2026-01-01 10:00', 'yes', '-', '0.9 [0.85, 0.95]', '0.88']);
    expect(lines[2]!.split(/\s{2,}/)).toEqual(['v2', '2222222', expect.stringMatching(/ \(registered\)$/), 'no blessing', '-', '-', '-']);
    expect(lines[3]!.split(/\s{2,}/)).toEqual(['v3', '3333333', '2026-01-03 10:00', 'yes', 'production', '0.92 [0.87, 0.96]', '0.9']);
    // The hostile commit reaches the terminal without its control characters.
    expect(lines[4]!.split(/\s{2,}/).slice(0, 4)).toEqual(['v4', '```?</code>…', '2026-01-04 10:00', 'no']);
    expect(out.stdout).not.toContain('\u001b');
    expect(lines).toHaveLength(5);
  });

  test('--last, --metric (with intervals) and --json', async () => {
    const last = await historyCommand(f.registry, 'penguins', { last: 2, metric: 'f1_macro' });
    const lines = last.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s{2,}/)[0])).toEqual(['version', 'v3', 'v4']);
    expect(lines[0]!.split(/\s{2,}/).at(-1)).toBe('f1_macro');
    expect(lines[1]!.split(/\s{2,}/).at(-1)).toBe('0.9');
    expect(lines[2]!.split(/\s{2,}/).at(-1)).toBe('-');
    const json = JSON.parse((await historyCommand(f.registry, 'penguins', { json: true, last: 3 })).stdout);
    expect(json.model).toBe('penguins');
    expect(json.versions.map((v: HistoryRecord) => v.version)).toEqual([2, 3, 4]);
    expect(json.versions[1]).toMatchObject({
      commit: COMMITS[2],
      aliases: ['production'],
      intervals: { accuracy: { lower: 0.87, upper: 0.96 } },
    });
    expect(json.versions[2].commit).toBe(HOSTILE_COMMIT); // JSON keeps the data as it is
  });

  test('--compare by alias and number: every metric, the difference and the intervals', async () => {
    const out = await historyCommand(f.registry, 'penguins', { compare: ['production', 'v1'] });
    const [who3, who1, blank, header, ...rows] = out.stdout.trimEnd().split('\n');
    expect(who3).toBe('v3 (production): commit 3333333, evaluated 2026-01-03 10:00, blessed');
    expect(who1).toBe('v1: commit 1111111, evaluated 2026-01-01 10:00, blessed');
    expect(blank).toBe('');
    expect(header!.split(/\s{2,}/)).toEqual(['metric', 'v3', 'v1', 'v1 − v3', 'v3 interval', 'v1 interval']);
    expect(rows.map((r) => r.split(/\s{2,}/))).toEqual([
      ['accuracy', '0.92', '0.9', '-0.02', '[0.87, 0.96]', '[0.85, 0.95]'],
      ['count', '68', '68', '0', '-', '-'],
      ['f1_macro', '0.9', '0.88', '-0.02', '-', '-'],
    ]);
    const withNone = await historyCommand(f.registry, 'penguins', { compare: ['2', 'staging'], metric: 'accuracy' });
    expect(withNone.stdout).toContain('v2: commit 2222222, registered');
    expect(withNone.stdout).toContain('no blessing');
    expect(
      withNone.stdout
        .trimEnd()
        .split('\n')
        .at(-1)!
        .split(/\s{2,}/),
    ).toEqual(['accuracy', '-', '0.8', '-']);
    const json = JSON.parse((await historyCommand(f.registry, 'penguins', { compare: ['1', '3'], json: true })).stdout);
    expect(json.metrics[0]).toEqual({
      metric: 'accuracy',
      a: 0.9,
      b: 0.92,
      difference: 0.92 - 0.9,
      aInterval: { lower: 0.85, upper: 0.95 },
      bInterval: { lower: 0.87, upper: 0.96 },
    });
    const records = await readHistory(f.registry, 'penguins');
    expect(compareRecords(records[0]!, records[1]!).map((row) => [row.metric, row.b])).toEqual([
      ['accuracy', null],
      ['count', null],
      ['f1_macro', null],
    ]);
  });

  test('errors: an unknown model lists the models there, an unknown version lists the versions, an unknown metric the metrics', async () => {
    const model = await userError(historyCommand(f.registry, 'walrus'));
    expect(model.message).toBe(`model "walrus" has no versions in the registry at ${f.root}`);
    expect(model.hint).toBe('Models there: iris, penguins. Check the model name, or register "walrus" first.');
    const version = await userError(historyCommand(f.registry, 'penguins', { compare: ['3', 'champion'] }));
    expect(version.message).toContain('has no alias "champion"');
    expect(version.hint).toContain('production -> v3, staging -> v4');
    const number = await userError(historyCommand(f.registry, 'penguins', { compare: ['9', '3'] }));
    expect(number.message).toContain('has no version 9');
    const metric = await userError(historyCommand(f.registry, 'penguins', { metric: 'rmse' }));
    expect(metric.message).toBe('no version of penguins has the metric "rmse"');
    // The stored names, the hostile one without its line break.
    expect(metric.hint).toBe('Metrics there: accuracy, count, f1_macro, acc"]?```?<img src=x onerror=alert(1)> | @octocat.');
    const bad = await userError(historyCommand(f.registry, 'penguins', { last: 1.5 }));
    expect(bad.message).toContain('--last must be a whole number');
  });

  test('terminal text loses control and direction characters', () => {
    expect(terminalText('a\u001b[2Jb\u202ec\n', 80)).toBe('a?[2Jb?c?');
    expect(terminalText('abcdef', 4)).toBe('abc…');
  });
});

describe('mlops history from the CLI bundle (dist/cli/index.js, a child process)', () => {
  // The CLI as users run it, built from src/cli.ts: its wiring of the command, exit codes and streams.
  const run = (args: string[]) => runCli(args, { cwd: f.base });

  test('--help names every flag', async () => {
    const help = await run(['history', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--last <n>', '--metric <name>', '--compare <refs...>', '--json', '--registry <where>', '--config <file>'])
      expect(help.stdout).toContain(flag);
  });

  test('lists, compares, and fails with a message and exit code 2', async () => {
    // Here the registry is .mlops/registry of the working folder (no mlops.yaml), once named by --registry.
    const [list, byDefault, compare, one, last, unknown] = await Promise.all([
      run(['history', 'penguins', '--registry', f.root, '--last', '2']),
      run(['history', 'penguins', '--metric', 'accuracy']),
      run(['history', 'penguins', '--compare', 'production', 'staging', '--json']),
      run(['history', 'penguins', '--compare', 'production']),
      run(['history', 'penguins', '--last', 'ten']),
      run(['history', 'walrus']),
    ]);
    expect(list.code).toBe(0);
    // No foreign version here: v5 (registered without a blessing) is listed.
    expect(list.stdout.split('\n').map((l) => l.split(/\s{2,}/)[0])).toEqual(['version', 'v4', 'v5', '']);
    expect(byDefault.code).toBe(0);
    expect(byDefault.stdout).toContain('0.92 [0.87, 0.96]');
    expect(compare.code).toBe(0);
    expect(JSON.parse(compare.stdout)).toMatchObject({ model: 'penguins', a: { version: 3 }, b: { version: 4 } });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('--compare takes two versions, not 1');
    expect(last.code).toBe(2);
    expect(last.stderr).toContain('--last: "ten" is not a whole number of at least 1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Models there: iris, penguins.');
    for (const failed of [one, last, unknown]) expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
