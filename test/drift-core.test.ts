/**
 * The drift core: reading sides with little memory, Evidently's default test per column,
 * overrides, per-column statuses (NaN, infinities, empty and constant columns, columns on
 * one side only), the null-share signal, prediction and target drift, sketch-based tests
 * against exact ones, and reports that hostile column names cannot break.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ColumnProfileBuilder, PROFILE_FORMAT } from '../src/core/profile/profile.js';
import type { DatasetProfile } from '../src/core/profile/profile.js';
import { Kind } from '../src/core/data/values.js';
import { exactNumeric, sideFromProfile } from '../src/core/drift/columns.js';
import type { Side, SideColumn } from '../src/core/drift/columns.js';
import { checkDrift, compareColumn, NEAR_THRESHOLD_NOTE, SUMMARY_QUANTILES } from '../src/core/drift/compute.js';
import { parseDriftSettings } from '../src/core/drift/config.js';
import { renderDriftHtml } from '../src/core/drift/html-report.js';
import { renderDriftMarkdown, mermaidChart } from '../src/core/drift/markdown-report.js';
import { defaultMethod, METHODS } from '../src/core/drift/methods.js';
import { issueMarker } from '../src/core/drift/issue.js';
import { readSide } from '../src/core/drift/read.js';
import { parseModelRef } from '../src/core/drift/sources.js';
import { ksExactPValue, ksStatistic, sorted } from '../src/core/drift/stats.js';
import { KllSketch } from '../src/core/sketch/index.js';
import { UserError } from '../src/core/errors.js';
import { codeSpans } from './support/markdown.js';
import { prng } from './support/random.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drift-core-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
}

function numericColumn(name: string, values: number[], extra: Partial<SideColumn> = {}): SideColumn {
  return {
    name,
    rows: values.length,
    missing: 0,
    infinite: 0,
    numeric: exactNumeric(Float64Array.from(values)),
    texts: new Map(),
    textCount: 0,
    textsExact: true,
    ...extra,
  };
}

function textColumn(name: string, values: Array<string | null>): SideColumn {
  const texts = new Map<string, number>();
  let missing = 0;
  for (const v of values) {
    if (v === null) missing++;
    else texts.set(v, (texts.get(v) ?? 0) + 1);
  }
  return { name, rows: values.length, missing, infinite: 0, numeric: null, texts, textCount: values.length - missing, textsExact: true };
}

function side(columns: SideColumn[]): Side {
  return { source: 'data', files: ['x.csv'], rows: columns[0]?.rows ?? 0, columns: new Map(columns.map((c) => [c.name, c])) };
}

const settings = parseDriftSettings({});
const options = { settings, subject: 'model', referenceDescription: 'ref.csv', currentDescription: 'cur.csv' };

describe('readSide', () => {
  test('CSV: numbers, categories, nulls, NaN and infinities per column; quoted fields', async () => {
    const path = await file(
      'a.csv',
      'x,c,flag,mixed\n1.5,red,true,1\n2,"blue, dark",false,a\n,red,,2\nNaN,"say ""hi""",true,3\ninf,red,false,\n',
    );
    const s = await readSide([path]);
    expect(s.rows).toBe(5);
    const x = s.columns.get('x')!;
    expect(Array.from(x.numeric!.sorted!)).toEqual([1.5, 2]);
    expect(x.missing).toBe(2); // empty and NaN
    expect(x.infinite).toBe(1);
    const c = s.columns.get('c')!;
    expect(Object.fromEntries(c.texts)).toEqual({ red: 3, 'blue, dark': 1, 'say "hi"': 1 });
    expect(Object.fromEntries(s.columns.get('flag')!.texts)).toEqual({ true: 2, false: 2 });
    const mixed = s.columns.get('mixed')!;
    expect(mixed.numeric!.n).toBe(3);
    expect(mixed.textCount).toBe(1);
  });

  test('integer columns as pandas reads them: whole-number literals only, none missing', async () => {
    const path = await file('ints.csv', 'i,f,e,gap,neg\n1,1.0,1e3,1,-2\n2,2,2,,3\n3,3,3,3,0\n');
    const s = await readSide([path]);
    expect(['i', 'f', 'e', 'gap', 'neg'].map((n) => s.columns.get(n)!.integerDtype)).toEqual([true, false, false, false, true]);
    const log = await file('ints.jsonl', '{"i": 1, "f": 1.5}\n{"i": 2, "f": 2}\n');
    const j = await readSide([log]);
    expect([j.columns.get('i')!.integerDtype, j.columns.get('f')!.integerDtype]).toEqual([true, false]);
  });

  test('JSON Lines prediction logs: bookkeeping keys ignored, absent keys count as missing', async () => {
    const path = await file(
      'log.jsonl',
      [
        '{"_time":"2024-01-01T00:00:00Z","_model":"m","_version":3,"x":1,"c":"a","_prediction":"A"}',
        '{"_time":"2024-01-01T00:00:01Z","_model":"m","_version":3,"x":null,"c":"b","_prediction":"B"}',
        '{"_time":"2024-01-01T00:00:02Z","_model":"m","_version":3,"c":"a","_prediction":"A"}',
        '',
      ].join('\n'),
    );
    const s = await readSide([path], { ignore: new Set(['_time', '_model', '_version']) });
    expect([...s.columns.keys()].sort()).toEqual(['_prediction', 'c', 'x']);
    expect(s.columns.get('x')!.missing).toBe(2);
    expect(s.columns.get('x')!.numeric!.n).toBe(1);
  });

  test('bad files are user errors naming the file and line', async () => {
    const ragged = await file('ragged.csv', 'a,b\n1,2\n3\n');
    await expect(readSide([ragged])).rejects.toThrow(/ragged\.csv:3: 1 fields where the header has 2/);
    const quote = await file('quote.csv', 'a,b\n1,"2\n');
    await expect(readSide([quote])).rejects.toThrow(UserError);
    const json = await file('bad.jsonl', '{"a":1}\nnot json\n');
    await expect(readSide([json])).rejects.toThrow(/bad\.jsonl:2: not JSON/);
    await expect(readSide([join(dir, 'missing.csv')])).rejects.toThrow(/no such file/);
  });

  test('a log still being written: a half-written last line is skipped with a note; a bad complete line still fails', async () => {
    const growing = await file('growing.jsonl', '{"x":1,"c":"a"}\n{"x":2,"c":"b"}\n{"x":3,"c":');
    const s = await readSide([growing]);
    expect(s.rows).toBe(2);
    expect(s.columns.get('x')!.numeric!.n).toBe(2);
    expect(s.notes).toEqual([expect.stringMatching(/growing\.jsonl:3: the last line is incomplete .*skipped/)]);
    // A whole last line without a line break is read, not skipped.
    const whole = await readSide([await file('whole.jsonl', '{"x":1}\n{"x":2}')]);
    expect(whole.rows).toBe(2);
    expect(whole.notes).toEqual([]);
    // Only the last line may be half-written: the same text followed by a line break is an error.
    await expect(readSide([await file('broken.jsonl', '{"x":1}\n{"x":3,"c":\n{"x":2}\n')])).rejects.toThrow(/broken\.jsonl:2: not JSON/);
  });
});

describe("Evidently's default test", () => {
  test.each([
    ['numeric', 1000, 6, 'ks'],
    ['numeric', 1000, 5, 'chisquare'],
    ['numeric', 1000, 2, 'z'],
    ['categorical', 500, 3, 'chisquare'],
    ['categorical', 500, 2, 'z'],
    ['numeric', 1001, 6, 'wasserstein'],
    ['numeric', 1001, 5, 'jensenshannon'],
    ['categorical', 5000, 2, 'jensenshannon'],
  ] as const)('%s, %i reference values, %i distinct: %s', (kind, n, unique, expected) => {
    expect(defaultMethod(kind, n, unique)).toBe(expected);
  });

  test('every method names its kinds, threshold and direction', () => {
    for (const m of Object.values(METHODS)) {
      expect(m.kinds.length).toBeGreaterThan(0);
      expect(m.defaultThreshold).toBeGreaterThan(0);
      expect(['p-value', 'distance']).toContain(m.direction);
    }
  });
});

describe('compareColumn', () => {
  const random = prng(7);
  const base = Array.from({ length: 300 }, () => normal(random));
  const shifted = Array.from({ length: 300 }, () => normal(random) + 1);
  const same = Array.from({ length: 300 }, () => normal(random));

  test('a shifted numeric column drifts by KS; an unshifted one does not', () => {
    const drift = compareColumn('x', 'feature', numericColumn('x', base), numericColumn('x', shifted), settings);
    expect(drift.method).toBe('ks');
    expect(drift.valueDrift).toBe(true);
    expect(drift.pValue!).toBeLessThan(1e-10);
    const ok = compareColumn('x', 'feature', numericColumn('x', base), numericColumn('x', same), settings);
    expect(ok.valueDrift).toBe(false);
    expect(ok.statistic).toBe(ksStatistic(sorted(base), sorted(same)));
  });

  test('per-column and global overrides', () => {
    const s = parseDriftSettings({
      method: 'psi',
      threshold: 0.5,
      columns: { x: { method: 'wasserstein', threshold: 2 }, z: { skip: true } },
    });
    const x = compareColumn('x', 'feature', numericColumn('x', base), numericColumn('x', shifted), s);
    expect([x.method, x.threshold, x.valueDrift]).toEqual(['wasserstein', 2, false]);
    const y = compareColumn('y', 'feature', numericColumn('y', base), numericColumn('y', shifted), s);
    expect([y.method, y.threshold]).toEqual(['psi', 0.5]);
    expect(compareColumn('z', 'feature', numericColumn('z', base), numericColumn('z', base), s).status).toBe('skipped');
    // A numeric-only test set for a categorical column does not fit: reported, not thrown.
    const k = compareColumn(
      'k',
      'feature',
      textColumn('k', ['a', 'b', 'c']),
      textColumn('k', ['a', 'b']),
      parseDriftSettings({ columns: { k: { method: 'ks' } } }),
    );
    expect(k.status).toBe('method-does-not-fit');
  });

  test('categorical: chi-square for 3+ categories, the z-test for 2, a new category counts', () => {
    const ref = textColumn('c', [...Array(50).fill('a'), ...Array(50).fill('b'), ...Array(50).fill('c')]);
    const cur = textColumn('c', [...Array(50).fill('a'), ...Array(50).fill('b'), ...Array(30).fill('c'), ...Array(20).fill('new')]);
    const r = compareColumn('c', 'feature', ref, cur, settings);
    expect(r.method).toBe('chisquare');
    expect(r.valueDrift).toBe(true);
    const two = compareColumn('s', 'feature', textColumn('s', ['m', 'f', 'm', 'f']), textColumn('s', ['m', 'f', 'f', 'm']), settings);
    expect(two.method).toBe('z');
    expect(two.pValue).toBeCloseTo(1, 12);
  });

  test("a disjoint high-cardinality ID column (text by Evidently's rule, tested when its method is set) drifts by goodness of fit (p = 0); the contingency option gives p ~ 0.48", () => {
    const ids = (from: number) =>
      textColumn(
        'id',
        Array.from({ length: 500 }, (_, i) => `id-${from + i}`),
      );
    // Every value distinct: text, which drift-check does not test unless asked.
    expect(compareColumn('id', 'feature', ids(0), ids(500), settings)).toMatchObject({ kind: 'text', status: 'skipped', drifted: false });
    const asked = parseDriftSettings({ columns: { id: { method: 'chisquare' } } });
    const r = compareColumn('id', 'feature', ids(0), ids(500), asked);
    expect([r.kind, r.method, r.statistic, r.pValue, r.valueDrift]).toEqual(['text', 'chisquare', Infinity, 0, true]);
    expect(r.notes.join(' ')).toMatch(/500 categories not in the reference: expected count 0, statistic infinite, p = 0/);
    const contingency = parseDriftSettings({
      method_options: { chisquare: { test: 'contingency' } },
      columns: { id: { method: 'chisquare' } },
    });
    const t = compareColumn('id', 'feature', ids(0), ids(500), contingency);
    expect(t.statistic).toBeCloseTo(1000, 9);
    expect(t.pValue!).toBeGreaterThan(0.4);
    expect(t.valueDrift).toBe(false);
    expect(t.notes).toContain('contingency test (chi2_contingency)');
  });

  test('Jensen-Shannon: natural log by default, base 2 as an option (1.2011x larger)', () => {
    const big = (shares: number[]) =>
      textColumn(
        'c',
        shares.flatMap((n, i) => Array<string>(n).fill(`v${i}`)),
      );
    const ref = big([600, 300, 200]);
    const cur = big([400, 400, 300]);
    const natural = compareColumn('c', 'feature', ref, cur, settings);
    expect(natural.method).toBe('jensenshannon'); // more than 1000 reference values
    const base2 = compareColumn('c', 'feature', ref, cur, parseDriftSettings({ method_options: { jensenshannon: { base: 2 } } }));
    expect(base2.statistic! / natural.statistic!).toBeCloseTo(1 / Math.sqrt(Math.LN2), 12);
  });

  test("column kinds: integers with at most 10 distinct values in the current data are categorical (Evidently 0.7.21's rule, on the current data's type)", () => {
    const cycle = (n: number, k: number, offset = 0) => Array.from({ length: n }, (_, i) => (i % k) + offset);
    const eight = compareColumn('n', 'feature', numericColumn('n', cycle(300, 8)), numericColumn('n', cycle(200, 8)), settings);
    expect([eight.kind, eight.method, eight.valueDrift]).toEqual(['categorical', 'chisquare', false]);
    expect(eight.notes).toContain('integers, 8 distinct values in the current data: categorical');
    // The current data decides, as the preset takes each column's type from it.
    expect(compareColumn('n', 'feature', numericColumn('n', cycle(300, 8)), numericColumn('n', cycle(300, 11)), settings).kind).toBe(
      'numeric',
    );
    expect(compareColumn('n', 'feature', numericColumn('n', cycle(300, 11)), numericColumn('n', cycle(300, 8)), settings).kind).toBe(
      'categorical',
    );
    // Not an integer column for pandas: a missing cell (float64), or numbers written with a fraction ("3.0").
    const gap = numericColumn('n', cycle(199, 8), { rows: 200, missing: 1 });
    expect(compareColumn('n', 'feature', numericColumn('n', cycle(300, 8)), gap, settings).kind).toBe('numeric');
    const written = numericColumn('n', cycle(200, 8), { integerDtype: false });
    expect(compareColumn('n', 'feature', numericColumn('n', cycle(300, 8)), written, settings).kind).toBe('numeric');
    // Ten distinct values: still categorical; eleven: numeric (KS).
    expect(compareColumn('n', 'feature', numericColumn('n', cycle(300, 10)), numericColumn('n', cycle(300, 10)), settings).kind).toBe(
      'categorical',
    );
    const eleven = compareColumn('n', 'feature', numericColumn('n', cycle(300, 11)), numericColumn('n', cycle(300, 11)), settings);
    expect([eleven.kind, eleven.method]).toEqual(['numeric', 'ks']);
    // Fractions on either side keep the column numeric; 8 distinct halves are numeric with KS.
    const halves = (n: number) => cycle(n, 8).map((v) => v + 0.5);
    expect(compareColumn('n', 'feature', numericColumn('n', halves(300)), numericColumn('n', halves(300)), settings).method).toBe('ks');
    expect(compareColumn('n', 'feature', numericColumn('n', cycle(300, 8)), numericColumn('n', halves(300)), settings).kind).toBe(
      'numeric',
    );
    // A value the reference never had is a new category: drift (goodness of fit, p = 0).
    const fresh = compareColumn('n', 'feature', numericColumn('n', cycle(300, 8)), numericColumn('n', [...cycle(299, 8), 9]), settings);
    expect([fresh.kind, fresh.pValue, fresh.valueDrift]).toEqual(['categorical', 0, true]);
    // `kind:` overrides the rule; more than 1000 reference values: Jensen-Shannon.
    const forced = compareColumn(
      'n',
      'feature',
      numericColumn('n', cycle(300, 8)),
      numericColumn('n', cycle(200, 8)),
      parseDriftSettings({ columns: { n: { kind: 'numeric' } } }),
    );
    expect([forced.kind, forced.method]).toEqual(['numeric', 'ks']);
    expect(compareColumn('n', 'feature', numericColumn('n', cycle(3000, 8)), numericColumn('n', cycle(200, 8)), settings).method).toBe(
      'jensenshannon',
    );
  });

  test('statuses: one side only, no values, NaN and infinities, constants', () => {
    expect(compareColumn('a', 'feature', undefined, numericColumn('a', [1]), settings).status).toBe('missing-in-reference');
    expect(compareColumn('a', 'feature', numericColumn('a', [1]), undefined, settings).status).toBe('missing-in-current');
    const empty = numericColumn('a', [], { rows: 10, missing: 10 });
    const some = numericColumn('a', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const noCurrent = compareColumn('a', 'feature', some, empty, settings);
    expect(noCurrent.status).toBe('no-values-in-current');
    expect(noCurrent.nullDrift).toBe(true); // null share 0 -> 1
    expect(noCurrent.drifted).toBe(false); // the null share counts only when asked
    expect(compareColumn('a', 'feature', some, empty, parseDriftSettings({ null_share_in_drift_share: true })).drifted).toBe(true);
    expect(compareColumn('a', 'feature', empty, some, settings).status).toBe('no-values-in-reference');
    const inf = compareColumn('a', 'feature', some, numericColumn('a', [1, 2, 3, 4, 5, 6, 7, 8], { rows: 10, infinite: 2 }), settings);
    expect(inf.status).toBe('tested');
    expect(inf.notes.join(' ')).toMatch(/infinite values left out: 0 in reference, 2 in current/);
    const constant = compareColumn(
      'k',
      'feature',
      numericColumn('k', Array(2000).fill(3)),
      numericColumn('k', Array(2000).fill(3)),
      settings,
    );
    expect(constant.status).toBe('tested');
    expect(constant.method).toBe('jensenshannon'); // one distinct value: categorical
    expect(constant.statistic).toBe(0);
    expect(constant.drifted).toBe(false);
  });

  test('the null share is its own signal: values unchanged, nulls up 20 points', () => {
    const ref = numericColumn('x', base);
    const cur = numericColumn('x', base.slice(0, 240), { rows: 300, missing: 60 });
    const r = compareColumn('x', 'feature', ref, cur, settings);
    expect(r.valueDrift).toBe(false);
    expect(r.nullDrift).toBe(true);
    expect(r.nullShare.change).toBeCloseTo(0.2, 12);
    const loose = compareColumn('x', 'feature', ref, cur, parseDriftSettings({ null_share_threshold: 0.25 }));
    expect(loose.nullDrift).toBe(false);
  });

  test('the dataset share counts value drift only, unless null_share_in_drift_share is true', () => {
    const ref = side([numericColumn('x', base), numericColumn('y', base)]);
    const cur = side([numericColumn('x', shifted), numericColumn('y', base.slice(0, 200), { rows: 300, missing: 100 })]);
    const report = checkDrift(ref, cur, options);
    expect([report.driftedColumns, report.nullShareDriftedColumns, report.driftShare, report.drifted]).toEqual([['x'], ['y'], 0.5, true]);
    const strict = checkDrift(ref, cur, { ...options, driftShare: 0.75 });
    expect(strict.drifted).toBe(false);
    const counted = checkDrift(ref, cur, {
      ...options,
      driftShare: 0.75,
      settings: parseDriftSettings({ null_share_in_drift_share: true }),
    });
    expect([counted.driftedColumns, counted.driftShare, counted.drifted, counted.nullShareCounted]).toEqual([['x', 'y'], 1, true, true]);
  });
});

describe('checkDrift', () => {
  test('dataset drift by the drifted share; prediction and target apart', () => {
    const random = prng(11);
    const cols = (shift: number) =>
      ['a', 'b', 'c', 'd'].map((n, i) =>
        numericColumn(
          n,
          Array.from({ length: 200 }, () => normal(random) + (i < 2 ? shift : 0)),
        ),
      );
    const ref = side([...cols(0), textColumn('species', Array(200).fill('x')), textColumn('_prediction', Array(200).fill('p'))]);
    const cur = side([...cols(2), textColumn('species', Array(200).fill('y')), textColumn('_prediction', Array(200).fill('q'))]);
    const report = checkDrift(ref, cur, { ...options, target: 'species' });
    expect(report.comparedFeatures).toBe(4);
    expect(report.driftedColumns).toEqual(['a', 'b']);
    expect(report.driftShare).toBe(0.5);
    expect(report.drifted).toBe(true);
    expect(report.prediction!.drifted).toBe(true);
    expect(report.target!.drifted).toBe(true);
    expect(report.features.map((f) => f.column)).not.toContain('species');
    const stricter = checkDrift(ref, cur, { ...options, target: 'species', driftShare: 0.75 });
    expect(stricter.drifted).toBe(false);
  });

  test('fewer current rows than min_current_rows (default 30): "not enough data", not drift', () => {
    const random = prng(13);
    const ref = side([
      numericColumn(
        'a',
        Array.from({ length: 300 }, () => normal(random)),
      ),
    ]);
    const one = side([numericColumn('a', [50])]); // one row far beyond the reference: KS p = 2 / 301
    const report = checkDrift(ref, one, options);
    expect(report.features[0]!.valueDrift).toBe(true);
    expect([report.verdict, report.drifted, report.minCurrentRows]).toEqual(['not-enough-data', false, 30]);
    const markdown = renderDriftMarkdown(report);
    expect(markdown).toContain('⚪ not enough data');
    expect(markdown).toContain(
      '**Not enough data:** 1 current row, fewer than the 30 needed for a dataset verdict (drift.min_current_rows).',
    );
    const allowed = checkDrift(ref, one, { ...options, settings: parseDriftSettings({ min_current_rows: 1 }) });
    expect([allowed.verdict, allowed.drifted]).toEqual(['drift', true]);
    const thirty = side([
      numericColumn(
        'a',
        Array.from({ length: 30 }, () => 50),
      ),
    ]);
    expect(checkDrift(ref, thirty, options).verdict).toBe('drift');
    expect(() => parseDriftSettings({ min_current_rows: 0 })).toThrow(/drift\.min_current_rows/);
    expect(() => parseDriftSettings({ min_current_rows: 2.5 })).toThrow(/drift\.min_current_rows/);
  });

  test('nothing compared: no drift', () => {
    const report = checkDrift(side([numericColumn('a', [1, 2])]), side([numericColumn('b', [1, 2])]), options);
    expect(report.comparedFeatures).toBe(0);
    expect(report.drifted).toBe(false);
    expect(report.features.map((f) => f.status).sort()).toEqual(['missing-in-current', 'missing-in-reference']);
  });
});

describe('settings', () => {
  test('errors name the bad key', () => {
    expect(() => parseDriftSettings({ columns: { island: { method: 'kss' } } })).toThrow(/drift\.columns\.island\.method/);
    expect(() => parseDriftSettings({ drift_share: 2 })).toThrow(/drift\.drift_share/);
    expect(() => parseDriftSettings({ threshold: 0.1 })).toThrow(/`threshold` needs `method`.*drift\.threshold/s);
    expect(() => parseDriftSettings({ colums: {} })).toThrow(/colums/);
    expect(() => parseDriftSettings({ method_options: { jensenshannon: { base: 1 } } })).toThrow(
      /drift\.method_options\.jensenshannon\.base/,
    );
    expect(() => parseDriftSettings({ method_options: { chisquare: { test: 'fisher' } } })).toThrow(
      /drift\.method_options\.chisquare\.test/,
    );
    expect(() => parseDriftSettings({ method_options: { ks: { mode: 'exact' } } })).toThrow(/ks/);
    expect(() => parseDriftSettings({ method_options: { jensenshannon: { base: 2, bins: 10 } } })).toThrow(/bins/);
  });
});

describe('references and the issue marker', () => {
  test('model@alias and model@version are model references; paths and bare names are not', () => {
    expect(parseModelRef('penguins@production')).toEqual({ model: 'penguins', ref: 'production' });
    expect(parseModelRef('my-model.v2@3')).toEqual({ model: 'my-model.v2', ref: '3' });
    for (const text of ['data/penguins.csv', 'penguins', 'Penguins@production', 'penguins@', '@production', 'a@b@c', 'data/x@y'])
      expect(parseModelRef(text)).toBeNull();
  });

  test('the marker stays one HTML comment whatever the subject is called', () => {
    expect(issueMarker('penguins')).toBe('<!-- mlops-drift:penguins -->');
    const marker = issueMarker('a-->b--c');
    expect(marker.startsWith('<!-- ')).toBe(true);
    expect(marker.slice(4, -3)).not.toMatch(/--|>/);
  });
});

describe('profiles (sketches) against exact data', () => {
  function profileOf(name: string, values: number[]): DatasetProfile {
    const b = new ColumnProfileBuilder(name);
    for (const v of values) b.add(Kind.Number, v, null);
    return { format: PROFILE_FORMAT, rows: values.length, files: ['p'], columns: [b.toState()] };
  }

  test('KS, Wasserstein and PSI from KLL sketches are close to the exact values (100,000 values a side)', () => {
    const random = prng(5);
    const a = Array.from({ length: 100_000 }, () => normal(random));
    const b = Array.from({ length: 100_000 }, () => normal(random) + 0.1);
    const exactRef = side([numericColumn('x', a)]);
    const exactCur = side([numericColumn('x', b)]);
    const sketchRef = sideFromProfile(profileOf('x', a));
    const sketchCur = sideFromProfile(profileOf('x', b));
    for (const [method, tolerance] of [
      ['ks', 0.01],
      ['wasserstein', 0.02],
      ['psi', 0.01],
    ] as const) {
      const s = parseDriftSettings({ method });
      const exact = checkDrift(exactRef, exactCur, { ...options, settings: s }).features[0]!;
      const both = checkDrift(sketchRef, sketchCur, { ...options, settings: s }).features[0]!;
      const mixed = checkDrift(sketchRef, exactCur, { ...options, settings: s }).features[0]!;
      expect(exact.approximate).toBe(false);
      expect(both.approximate).toBe(true);
      expect(Math.abs(both.statistic! - exact.statistic!)).toBeLessThan(tolerance);
      expect(Math.abs(mixed.statistic! - exact.statistic!)).toBeLessThan(tolerance);
    }
  });

  test('whole numbers with few values in a profile are categorical too, with exact counts', () => {
    const values = Array.from({ length: 400 }, (_, i) => (i % 8) + 1);
    const report = checkDrift(sideFromProfile(profileOf('n', values)), side([numericColumn('n', values.slice(0, 200))]), options);
    expect(report.features[0]).toMatchObject({ kind: 'categorical', method: 'chisquare', approximate: false, valueDrift: false });
    expect(report.features[0]!.statistic).toBe(0);
  });

  test('categorical counts from a profile are exact', () => {
    const b = new ColumnProfileBuilder('c');
    for (const v of ['a', 'a', 'b', 'c']) b.add(Kind.String, 0, v);
    const profile: DatasetProfile = { format: PROFILE_FORMAT, rows: 4, files: ['p'], columns: [b.toState()] };
    const column = sideFromProfile(profile).columns.get('c')!;
    expect(Object.fromEntries(column.texts)).toEqual({ a: 2, b: 1, c: 1 });
    expect(column.textsExact).toBe(true);
  });
});

describe('reports with hostile names', () => {
  const hostile = [
    '</table><script>alert(1)</script>',
    '| a | b |',
    '```\n# heading',
    '@octocat #1',
    '<!-- mlops-drift:x -->',
    '"]; click x',
  ];
  function hostileReport() {
    const ref = side(hostile.map((n) => textColumn(n, ['a', '<b>', '`x`', ...Array(20).fill('c')])));
    const cur = side(hostile.map((n) => textColumn(n, ['<img src=x onerror=alert(1)>', '"]\n```', ...Array(20).fill('d')])));
    return checkDrift(ref, cur, options);
  }

  test('Markdown: names stay inside code spans, Mermaid labels are reduced to a safe alphabet', () => {
    const report = hostileReport();
    const markdown = renderDriftMarkdown(report);
    // Outside code spans and Mermaid blocks, none of the hostile text is left.
    const prose = markdown.replace(/^```mermaid\n[\s\S]*?\n```$/gm, '');
    const { outside, spans } = codeSpans(prose);
    for (const bad of ['<script>', '<img', '<!--', '@octocat', '# heading', '| a |', '"]']) expect(outside).not.toContain(bad);
    for (const name of hostile) expect(spans.some((span) => span.includes(name.split('\n')[0]!.replace(/\|/g, '\\|')))).toBe(true);
    // Every table line has exactly the header's cell count.
    const tableLines = markdown.split('\n').filter((l) => l.startsWith('| '));
    const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    for (const l of tableLines.filter((x) => !x.startsWith('| Role') && !x.startsWith('| target') && !x.startsWith('| prediction')))
      expect(cells(l)).toBe(cells(tableLines[0]!));
    // Fences: Mermaid blocks open and close; nothing else opens one.
    expect((markdown.match(/^```/gm) ?? []).length % 2).toBe(0);
    const chart = mermaidChart(report.features[0]!)!;
    const labels = /x-axis \[(.*)\]/.exec(chart)![1]!;
    expect(labels).toMatch(/^("[A-Za-z0-9 _.+-]*"(, )?)+$/);
  });

  test('HTML: escaped, self-contained, bounded', async () => {
    const html = await renderDriftHtml(hostileReport());
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;/table&gt;&lt;script&gt;');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain("default-src 'none'");
    expect(html.length).toBeLessThan(500_000);
  });
});

describe("Evidently's column types: text", () => {
  const words = (n: number, distinct: number, prefix = 'w') => Array.from({ length: n }, (_, i) => `${prefix}-${i % distinct}`);

  test('a string column whose current values are more than half distinct is text: skipped, noted, not counted', () => {
    const random = prng(21);
    const x = () =>
      numericColumn(
        'x',
        Array.from({ length: 100 }, () => normal(random)),
      );
    const ref = side([x(), textColumn('comment', words(100, 90, 'old'))]);
    const cur = side([x(), textColumn('comment', words(100, 51, 'new'))]);
    const report = checkDrift(ref, cur, options);
    const comment = report.features.find((f) => f.column === 'comment')!;
    expect(comment).toMatchObject({ kind: 'text', status: 'skipped', method: null, drifted: false, valueDrift: false });
    expect(comment.notes.join(' ')).toMatch(/text: 51 distinct values in 100 current values \(more than half distinct, Evidently's rule\)/);
    expect(comment.notes.join(' ')).toMatch(/domain classifier.*not counted in the drift share.*`method`/);
    expect(comment.summary.current!.topCategories).toHaveLength(10);
    expect([report.comparedFeatures, report.driftedColumns]).toEqual([1, []]);
    const markdown = renderDriftMarkdown(report);
    expect(markdown).toContain('Text columns, not tested: `comment`');
    expect(markdown).toMatch(/\| `comment` \| text \|.*⚪ text, not tested/);
    // Its method opts in: tested as categorical (here a new vocabulary: drift), and counted.
    const asked = checkDrift(ref, cur, { ...options, settings: parseDriftSettings({ columns: { comment: { method: 'chisquare' } } }) });
    const tested = asked.features.find((f) => f.column === 'comment')!;
    expect(tested).toMatchObject({ kind: 'text', status: 'tested', method: 'chisquare', drifted: true });
    expect([asked.comparedFeatures, asked.driftedColumns]).toEqual([2, ['comment']]);
  });

  test('half distinct or fewer is categorical; the rule reads the current data (as Evidently); booleans are never text', () => {
    const half = compareColumn('c', 'feature', textColumn('c', words(100, 90)), textColumn('c', words(100, 50)), settings);
    expect(half.kind).toBe('categorical');
    // Unique in the reference, repeated in the current data: categorical, from the current data's type.
    const ids = compareColumn('c', 'feature', textColumn('c', words(100, 100)), textColumn('c', words(100, 5)), settings);
    expect(ids.kind).toBe('categorical');
    const flags = compareColumn('b', 'feature', textColumn('b', ['true', 'false']), textColumn('b', ['true', 'false', 'true']), settings);
    expect(flags.kind).toBe('categorical');
    // `kind:` overrides the rule, both ways.
    const forced = parseDriftSettings({ columns: { c: { kind: 'categorical' } } });
    expect(compareColumn('c', 'feature', textColumn('c', words(100, 90)), textColumn('c', words(100, 90)), forced).kind).toBe(
      'categorical',
    );
    const text = parseDriftSettings({ columns: { c: { kind: 'text' } } });
    expect(compareColumn('c', 'feature', textColumn('c', words(100, 3)), textColumn('c', words(100, 3)), text).status).toBe('skipped');
  });

  test('from a profile past its exact counts: the HyperLogLog estimate of distinct values decides', () => {
    const b = new ColumnProfileBuilder('comment');
    for (let i = 0; i < 5000; i++) b.add(Kind.String, 0, `text number ${i}`);
    const profile: DatasetProfile = { format: PROFILE_FORMAT, rows: 5000, files: ['p'], columns: [b.toState()] };
    const cur = sideFromProfile(profile).columns.get('comment')!;
    expect(cur.textsExact).toBe(false);
    const r = compareColumn('comment', 'feature', textColumn('comment', words(100, 100)), cur, settings);
    expect([r.kind, r.status]).toEqual(['text', 'skipped']);
    expect(r.notes.join(' ')).toMatch(/text: about [\d,]+ distinct values in 5,000 current values/);
  });
});

describe("the model's features", () => {
  const random = prng(23);
  const values = (n: number, shift = 0) => Array.from({ length: n }, () => normal(random) + shift);

  test('a model feature missing from the current data is drift (an error first in the report); other columns are compared, never counted', () => {
    const ref = side([
      numericColumn('a', values(200)),
      numericColumn('b', values(200)),
      numericColumn('c', values(200)),
      numericColumn('extra', values(200)),
    ]);
    const cur = side([numericColumn('a', values(200)), numericColumn('b', values(200)), numericColumn('extra', values(200, 3))]);
    const report = checkDrift(ref, cur, { ...options, modelFeatures: ['a', 'b', 'c'] });
    expect(report.features.map((f) => f.column)).toEqual(['a', 'b', 'c']);
    expect(report.features[2]).toMatchObject({ status: 'missing-in-current', drifted: true, role: 'feature' });
    expect(report.features[2]!.notes[0]).toMatch(/model feature not in the current data/);
    expect(report.missingFeatures).toEqual(['c']);
    expect([report.comparedFeatures, report.driftedColumns, report.driftShare]).toEqual([3, ['c'], 1 / 3]);
    // The other column drifted, and is shown, not counted.
    expect(report.others).toHaveLength(1);
    expect(report.others[0]).toMatchObject({ column: 'extra', role: 'other', status: 'tested', drifted: true });
    const markdown = renderDriftMarkdown(report);
    const error = markdown.indexOf('**Error: 1 model feature not in the current data:** `c`');
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThan(markdown.indexOf('### Features'));
    expect(markdown).toMatch(/\| `c` \|.*🔴 missing in current/);
    expect(markdown).toContain('### Other columns (not model features, not counted)');
    expect(markdown.indexOf('`extra`')).toBeGreaterThan(markdown.indexOf('### Other columns'));
    // Unknown features: every column is a feature, as before; nothing is "other".
    const unknown = checkDrift(ref, cur, options);
    expect(unknown.others).toEqual([]);
    expect(unknown.missingFeatures).toEqual([]);
    expect(unknown.driftedColumns).toEqual(['extra']);
    expect(unknown.features.find((f) => f.column === 'c')!).toMatchObject({ status: 'missing-in-current', drifted: false });
  });

  test('hostile column names (__proto__, constructor, toString) in the missing and other lists', () => {
    const ref = side(['a', '__proto__', 'constructor', 'toString'].map((n) => numericColumn(n, values(100))));
    const cur = side(['a', 'constructor', 'toString', 'hasOwnProperty'].map((n) => numericColumn(n, values(100))));
    const s = parseDriftSettings({ columns: { constructor: { method: 'wasserstein' } } });
    const report = checkDrift(ref, cur, { ...options, settings: s, modelFeatures: ['a', '__proto__'] });
    expect(report.missingFeatures).toEqual(['__proto__']);
    expect(report.features.map((f) => [f.column, f.status])).toEqual([
      ['a', 'tested'],
      ['__proto__', 'missing-in-current'],
    ]);
    expect(report.others.map((f) => [f.column, f.role, f.method])).toEqual([
      ['constructor', 'other', 'wasserstein'],
      ['toString', 'other', 'ks'],
      ['hasOwnProperty', 'other', null], // only in the current data
    ]);
    const copy = JSON.parse(JSON.stringify(report)) as typeof report;
    expect(copy.missingFeatures).toEqual(['__proto__']);
    expect(copy.others.map((f) => f.column)).toEqual(['constructor', 'toString', 'hasOwnProperty']);
    const markdown = renderDriftMarkdown(report);
    expect(markdown).toContain('not in the current data:** `__proto__`');
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) expect(markdown).toContain(`| \`${name}\` |`);
  });
});

describe('profiles as exact as their sketches', () => {
  function profileOf(columns: Record<string, Array<number | string>>): DatasetProfile {
    const states = Object.entries(columns).map(([name, values]) => {
      const b = new ColumnProfileBuilder(name);
      for (const v of values)
        b.add(typeof v === 'number' ? Kind.Number : Kind.String, typeof v === 'number' ? v : 0, typeof v === 'string' ? v : null);
      return b.toState();
    });
    return { format: PROFILE_FORMAT, rows: Object.values(columns)[0]!.length, files: ['p'], columns: states };
  }
  const random = prng(29);
  const ref = Array.from({ length: 200 }, () => normal(random));
  const cur = Array.from({ length: 150 }, () => normal(random) + 0.25);
  const cats = (n: number, k: number) => Array.from({ length: n }, (_, i) => `c${(i * 7) % k}`);

  test("a small-sample profile (the sketch holds every value) gives the data path's result exactly, exact KS p-value included", () => {
    const dataRef = side([numericColumn('x', ref), textColumn('k', cats(200, 4))]);
    const dataCur = side([numericColumn('x', cur), textColumn('k', cats(150, 5))]);
    const profileRef = sideFromProfile(profileOf({ x: ref, k: cats(200, 4) }));
    const profileCur = sideFromProfile(profileOf({ x: cur, k: cats(150, 5) }));
    const exact = checkDrift(dataRef, dataCur, options).features;
    expect(exact[0]!.method).toBe('ks');
    expect(exact[0]!.pValue).toBe(ksExactPValue(200, 150, ksStatistic(sorted(ref), sorted(cur))));
    for (const [r, c] of [
      [profileRef, dataCur],
      [dataRef, profileCur],
      [profileRef, profileCur],
    ] as const) {
      const features = checkDrift(r, c, options).features;
      expect(features).toEqual(exact);
      expect(features.map((f) => [f.approximate, f.errorBound, f.nearThreshold])).toEqual([
        [false, 0, false],
        [false, 0, false],
      ]);
    }
  });

  test("past the sketch's capacity: the bound of each statistic, and verdicts within it flagged near their threshold", () => {
    const big = Array.from({ length: 100_000 }, () => normal(random));
    const profile = sideFromProfile(profileOf({ x: big }));
    expect(profile.columns.get('x')!.numeric!.sorted).toBeNull();
    const current = (shift: number) =>
      side([
        numericColumn(
          'x',
          Array.from({ length: 2000 }, () => normal(random) + shift),
        ),
      ]);
    // KS: the statistic moves by at most the reference sketch's rank error (the current side is exact).
    const ks = checkDrift(profile, current(0.3), { ...options, settings: parseDriftSettings({ method: 'ks' }) }).features[0]!;
    expect(ks.approximate).toBe(true);
    expect(ks.errorBound).toBeCloseTo(KllSketch.normalizedRankError(256), 12);
    expect(ks.nearThreshold).toBe(false); // p ~ 1e-40
    // Wasserstein (the default past 1000 reference values): near the threshold 0.1 for a shift of 0.1 std, not for 1.5.
    const near = checkDrift(profile, current(0.1), options);
    const x = near.features[0]!;
    expect([x.method, x.approximate, x.nearThreshold]).toEqual(['wasserstein', true, true]);
    expect(x.errorBound!).toBeGreaterThan(Math.abs(x.statistic! - 0.1));
    expect(x.notes.join(' ')).toContain(NEAR_THRESHOLD_NOTE);
    const markdown = renderDriftMarkdown(near);
    expect(markdown).toContain("within the sketch's error of its threshold");
    expect(markdown).toMatch(/\| `x` \|.*near threshold/);
    const far = checkDrift(profile, current(1.5), options).features[0]!;
    expect([far.valueDrift, far.nearThreshold]).toEqual([true, false]);
    expect(far.errorBound!).toBeGreaterThan(0);
    // The data itself: no error at all.
    const exact = checkDrift(side([numericColumn('x', big)]), current(0.1), options).features[0]!;
    expect([exact.approximate, exact.errorBound, exact.nearThreshold]).toEqual([false, 0, false]);
  });
});

describe('what the reports draw', () => {
  test('whole numbers with at most 20 distinct values (both sides) are drawn one bar per value; more are binned', () => {
    const cycle = (n: number, k: number, offset = 0) => Array.from({ length: n }, (_, i) => (i % k) + offset);
    const few = compareColumn('n', 'feature', numericColumn('n', cycle(300, 15)), numericColumn('n', cycle(300, 15, 3)), settings);
    expect([few.kind, few.method]).toEqual(['numeric', 'ks']);
    expect(few.distribution!.binned).toBe(false);
    expect(few.distribution!.labels).toEqual(Array.from({ length: 18 }, (_, i) => String(i)));
    expect(few.distribution!.reference[0]).toBeCloseTo(1 / 15, 12);
    expect(few.distribution!.reference[17]).toBe(0);
    expect(few.distribution!.current[0]).toBe(0);
    const many = compareColumn('n', 'feature', numericColumn('n', cycle(300, 15)), numericColumn('n', cycle(300, 15, 6)), settings);
    expect([many.distribution!.binned, many.distribution!.labels.length]).toEqual([true, 10]);
    // Few whole numbers (categorical by the integer rule) are in value order too.
    const small = compareColumn('n', 'feature', numericColumn('n', cycle(300, 8)), numericColumn('n', cycle(200, 8)), settings);
    expect(small.distribution!.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
  });

  test('summaries: quantiles and mean of numbers, the most frequent values of categories', () => {
    const x = compareColumn(
      'x',
      'feature',
      numericColumn('x', [0.5, 1.5, 2.5, 3.5, 4.5]),
      numericColumn('x', [10, 20, 30, 40, 50.5]),
      settings,
    );
    expect(SUMMARY_QUANTILES).toEqual([0, 0.05, 0.25, 0.5, 0.75, 0.95, 1]);
    // numpy.quantile's linear interpolation.
    const expected = [0.5, 0.7, 1.5, 2.5, 3.5, 4.3, 4.5];
    x.summary.reference!.quantiles.forEach((q, i) => expect(q).toBeCloseTo(expected[i]!, 12));
    expect([x.summary.reference!.mean, x.summary.reference!.topCategories]).toEqual([2.5, []]);
    expect(x.summary.current!.quantiles[3]).toBe(30);
    const c = compareColumn('c', 'feature', textColumn('c', ['a', 'a', 'b', null]), textColumn('c', ['b', 'b', 'b', 'a']), settings);
    expect(c.summary.reference).toEqual({
      quantiles: [],
      mean: null,
      topCategories: [
        { value: 'a', share: 2 / 3 },
        { value: 'b', share: 1 / 3 },
      ],
    });
    expect(c.summary.current!.topCategories[0]).toEqual({ value: 'b', share: 0.75 });
  });
});
