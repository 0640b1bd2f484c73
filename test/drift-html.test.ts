/**
 * The explorable drift report: the default order without script (drifted first, worst
 * first), a detail per column (distributions, quantiles, categories, nulls, the test),
 * whole numbers drawn value by value, hostile names and values escaped everywhere, a CSP that
 * allows exactly the page's one script by its hash, a bounded size, and (where a Chromium is
 * installed) the script run for real: sorting and filtering through the address's fragment.
 *
 * The HTML is read with a small strict parser below: every tag must close where it opened
 * and a `<` that starts no tag fails the test, so a string that escaped escaping shows up.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { exactNumeric } from '../src/core/drift/columns.js';
import type { Side, SideColumn } from '../src/core/drift/columns.js';
import { checkDrift } from '../src/core/drift/compute.js';
import type { ColumnDrift, ColumnSummary, DriftReport } from '../src/core/drift/compute.js';
import { parseDriftSettings } from '../src/core/drift/config.js';
import { HTML_OPEN_DETAILS, renderDriftHtml, scriptHash } from '../src/core/drift/html-report.js';

// ---------------------------------------------------------------------------------------------
// A strict little HTML parser

interface El {
  tag: string;
  attrs: Map<string, string>;
  children: Array<El | string>;
  parent: El | null;
}

const VOID = new Set(['meta', 'input', 'br', 'hr', 'img', 'link', 'col', 'area', 'base', 'embed', 'source', 'track', 'wbr']);
const RAW = new Set(['script', 'style']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? all;
  });
}

function parseHtml(html: string): El {
  const root: El = { tag: '#root', attrs: new Map(), children: [], parent: null };
  let cur = root;
  let i = 0;
  while (i < html.length) {
    if (html.startsWith('<!--', i)) {
      i = html.indexOf('-->', i) + 3;
      continue;
    }
    if (html.startsWith('<!', i)) {
      i = html.indexOf('>', i) + 1;
      continue;
    }
    if (html.startsWith('</', i)) {
      const m = /^<\/([a-zA-Z][\w-]*)\s*>/.exec(html.slice(i, i + 100));
      if (!m) throw new Error(`a bad closing tag at ${i}: ${html.slice(i, i + 40)}`);
      if (m[1]!.toLowerCase() !== cur.tag) throw new Error(`</${m[1]}> closes <${cur.tag}> at ${i}`);
      cur = cur.parent!;
      i += m[0].length;
      continue;
    }
    if (html[i] === '<') {
      const m = /^<([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/.exec(html.slice(i));
      if (!m) throw new Error(`a "<" that starts no tag at ${i}: ${html.slice(i, i + 40)}`);
      const el: El = { tag: m[1]!.toLowerCase(), attrs: new Map(), children: [], parent: cur };
      for (const a of m[2]!.matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
        const name = a[1]!.toLowerCase();
        if (el.attrs.has(name)) throw new Error(`attribute ${name} twice on <${el.tag}>`);
        el.attrs.set(name, decode(a[2] ?? a[3] ?? a[4] ?? ''));
      }
      cur.children.push(el);
      i += m[0].length;
      if (RAW.has(el.tag)) {
        const end = html.indexOf(`</${el.tag}>`, i);
        if (end < 0) throw new Error(`<${el.tag}> never closes`);
        el.children.push(html.slice(i, end));
        i = end + el.tag.length + 3;
      } else if (!VOID.has(el.tag) && m[3] !== '/') cur = el;
      continue;
    }
    const next = html.indexOf('<', i);
    const end = next < 0 ? html.length : next;
    cur.children.push(decode(html.slice(i, end)));
    i = end;
  }
  if (cur !== root) throw new Error(`<${cur.tag}> never closes`);
  return root;
}

function all(el: El, test: (e: El) => boolean, out: El[] = []): El[] {
  for (const c of el.children)
    if (typeof c !== 'string') {
      if (test(c)) out.push(c);
      all(c, test, out);
    }
  return out;
}
const hasClass = (cls: string) => (e: El) => (e.attrs.get('class') ?? '').split(/\s+/).includes(cls);
const byTag = (tag: string) => (e: El) => e.tag === tag;
function text(el: El | string): string {
  return typeof el === 'string' ? el : el.children.map(text).join('');
}
/** The rows of a table: the text of each cell. */
function cells(table: El): string[][] {
  return all(table, byTag('tr')).map((tr) => all(tr, (e) => e.tag === 'td' || e.tag === 'th').map(text));
}
/** The columns of the page: <details class="col"> in document order. */
const columnsOf = (doc: El) => all(doc, (e) => e.tag === 'details' && hasClass('col')(e));
const nameOf = (d: El) => d.attrs.get('data-name')!;
/** The detail's table whose first header cell is `first`. */
function tableOf(details: El, first: string): string[][] | null {
  const table = all(details, byTag('table')).find((t) => cells(t)[0]?.[0] === first);
  return table ? cells(table) : null;
}

// ---------------------------------------------------------------------------------------------
// Reports

type Column = ColumnDrift;
type Summary = ColumnSummary;

const counts = (rows: number, missing = 0) => ({ rows, values: rows - missing, missing, infinite: 0, nullShare: missing / rows });

function column(name: string, over: Partial<Column> = {}): Column {
  return {
    column: name,
    role: 'feature',
    status: 'tested',
    kind: 'numeric',
    method: 'ks',
    direction: 'p-value',
    threshold: 0.05,
    statistic: 0.05,
    pValue: 0.6,
    valueDrift: false,
    nullDrift: false,
    drifted: false,
    approximate: false,
    nullShare: { reference: 0, current: 0, change: 0, threshold: 0.1 },
    reference: counts(1000),
    current: counts(1000),
    notes: [],
    distribution: null,
    errorBound: 0,
    nearThreshold: false,
    summary: { reference: null, current: null },
    ...over,
  };
}

function drifted(name: string, pValue: number, over: Partial<Column> = {}): Column {
  return column(name, { statistic: 0.3, pValue, valueDrift: true, drifted: true, ...over });
}

function reportOf(features: Column[], extra: { others?: Column[]; missingFeatures?: string[] } = {}): DriftReport {
  const flagged = features.filter((f) => f.drifted);
  return {
    format: 'mlops-drift/v1',
    checkedAt: '2026-12-03T08:00:00.000Z',
    subject: 'model',
    reference: { source: 'data', description: 'ref.csv', files: ['ref.csv'], rows: 1000 },
    current: { source: 'data', description: 'cur.csv', files: ['cur.csv'], rows: 1000 },
    driftShareThreshold: 0.5,
    driftShare: features.length > 0 ? flagged.length / features.length : 0,
    verdict: flagged.length * 2 >= features.length && features.length > 0 ? 'drift' : 'no-drift',
    minCurrentRows: 30,
    drifted: flagged.length * 2 >= features.length && features.length > 0,
    comparedFeatures: features.length,
    driftedColumns: flagged.map((f) => f.column),
    nullShareDriftedColumns: features.filter((f) => f.nullDrift).map((f) => f.column),
    nullShareCounted: false,
    features,
    prediction: null,
    target: null,
    ...extra,
  } as DriftReport;
}

const quantiles = (shift: number) => [0, 5, 25, 50, 75, 95, 100].map((q) => q / 10 + shift);
const summaryOf = (shift: number, categories: Array<{ value: string; share: number }> = []): Summary => ({
  quantiles: quantiles(shift),
  mean: 5 + shift,
  topCategories: categories,
});

function numericColumn(name: string, values: number[]): SideColumn {
  return {
    name,
    rows: values.length,
    missing: 0,
    infinite: 0,
    numeric: exactNumeric(Float64Array.from(values)),
    texts: new Map(),
    textCount: 0,
    textsExact: true,
  };
}
function textColumn(name: string, values: string[]): SideColumn {
  const texts = new Map<string, number>();
  for (const v of values) texts.set(v, (texts.get(v) ?? 0) + 1);
  return { name, rows: values.length, missing: 0, infinite: 0, numeric: null, texts, textCount: values.length, textsExact: true };
}
function side(columns: SideColumn[]): Side {
  return { source: 'data', files: ['x.csv'], rows: columns[0]?.rows ?? 0, columns: new Map(columns.map((c) => [c.name, c])) };
}
const options = { settings: parseDriftSettings({}), subject: 'model', referenceDescription: 'ref.csv', currentDescription: 'cur.csv' };

/** The script element that runs (not data), and the CSP's script-src. */
function scriptAndPolicy(doc: El): { scripts: El[]; policy: Map<string, string[]> } {
  const scripts = all(doc, byTag('script')).filter((s) => !s.attrs.has('type') || /javascript|module/.test(s.attrs.get('type')!));
  const meta = all(doc, (e) => e.tag === 'meta' && e.attrs.get('http-equiv') === 'Content-Security-Policy');
  expect(meta).toHaveLength(1);
  const policy = new Map(
    meta[0]!.attrs
      .get('content')!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map((d) => [d[0]!, d.slice(1)] as [string, string[]]),
  );
  return { scripts, policy };
}

// ---------------------------------------------------------------------------------------------

describe('the drift HTML report', () => {
  test('without script: drifted first, worst first; the rest by how far past the threshold; controls hidden', async () => {
    const report = reportOf([
      column('steady', { pValue: 0.9, statistic: 0.01 }),
      drifted('mild', 0.01),
      column('nulls', { nullDrift: true, nullShare: { reference: 0, current: 0.3, change: 0.3, threshold: 0.1 } }),
      drifted('severe', 1e-40),
      column('borderline', { pValue: 0.07, statistic: 0.09 }),
      column('gone', { status: 'missing-in-current', reference: counts(1000), current: null, statistic: null, pValue: null, method: null }),
    ]);
    const doc = parseHtml(await renderDriftHtml(report));
    const rows = columnsOf(doc);
    expect(rows.map(nameOf)).toEqual(['severe', 'mild', 'nulls', 'borderline', 'steady', 'gone']);
    const ranks = rows.map((r) => Number(r.attrs.get('data-rank')));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(rows.map((r) => r.attrs.get('data-flag'))).toEqual(['1', '1', '1', '0', '0', '0']);
    // The verdict words, in the last cell of each row.
    const verdicts = rows.map((r) => text(all(r, byTag('summary'))[0]!.children.at(-1)!));
    expect(verdicts).toEqual(['drift', 'drift', 'nulls up', 'ok', 'ok', 'not in current']);
    // The worst drifted columns start open, the others closed.
    expect(rows.filter((r) => r.attrs.has('open')).map(nameOf)).toEqual(['severe', 'mild'].slice(0, HTML_OPEN_DETAILS));
    const controls = all(doc, (e) => e.attrs.get('id') === 'controls')[0]!;
    expect(controls.attrs.has('hidden')).toBe(true);
    // The same default order when the report comes from checkDrift.
    const ref = side([
      numericColumn(
        'a',
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((v) => [v, v + 0.5]),
      ),
    ]);
    const cur = side([
      numericColumn(
        'a',
        [11, 12, 13, 14, 15, 16, 17, 18, 19, 20].flatMap((v) => [v, v + 0.5]),
      ),
    ]);
    const real = parseHtml(await renderDriftHtml(checkDrift(ref, cur, options)));
    expect(columnsOf(real).map(nameOf)).toEqual(['a']);
  });

  test('every column has its detail: distributions, quantiles and mean side by side, categories, nulls, the test', async () => {
    const report = reportOf([
      drifted('age', 0.001, {
        distribution: {
          labels: ['0', '10', '20', '30'],
          reference: [0.1, 0.4, 0.4, 0.1],
          current: [0.05, 0.15, 0.4, 0.4],
          binned: true,
        },
        summary: { reference: summaryOf(0), current: summaryOf(2) },
        nullShare: { reference: 0.01, current: 0.05, change: 0.04, threshold: 0.1 },
        reference: counts(1000, 10),
        current: counts(1000, 50),
        approximate: true,
        errorBound: 0.004,
        nearThreshold: true,
        notes: ['one note', "within the sketch's error of its threshold: the statistic may be anywhere in [0.296, 0.304]"],
      }),
      column('city', {
        kind: 'categorical',
        method: 'chisquare',
        distribution: { labels: ['<b>&', 'Paris'], reference: [0.5, 0.5], current: [0.7, 0.3], binned: false },
        summary: {
          reference: {
            quantiles: [],
            mean: null,
            topCategories: [
              { value: '<b>&', share: 0.5 },
              { value: 'Paris', share: 0.5 },
            ],
          },
          current: {
            quantiles: [],
            mean: null,
            topCategories: [
              { value: '<b>&', share: 0.7 },
              { value: 'Lyon', share: 0.3 },
            ],
          },
        },
      }),
      column('legacy', { summary: undefined as unknown as Column['summary'], errorBound: undefined as unknown as null }),
    ]);
    const doc = parseHtml(await renderDriftHtml(report));
    const [age, city, legacy] = ['age', 'city', 'legacy'].map((n) => columnsOf(doc).find((d) => nameOf(d) === n)!);
    for (const d of [age, city, legacy]) {
      expect(all(d!, hasClass('detail'))).toHaveLength(1);
      expect(tableOf(d!, 'Test')).not.toBeNull();
    }
    // Quantiles: the seven levels and the mean, reference and current side by side, and the change.
    expect(tableOf(age!, 'Quantile')).toEqual([
      ['Quantile', 'reference', 'current', 'change'],
      ['min (0%)', '0', '2', '+2'],
      ['5%', '0.5', '2.5', '+2'],
      ['25%', '2.5', '4.5', '+2'],
      ['median', '5', '7', '+2'],
      ['75%', '7.5', '9.5', '+2'],
      ['95%', '9.5', '11.5', '+2'],
      ['max (100%)', '10', '12', '+2'],
      ['mean', '5', '7', '+2'],
    ]);
    expect(tableOf(age!, 'Test')).toEqual([
      ['Test', 'ks ≈'],
      ['Statistic', '0.3 ± 0.004'],
      ['Drift if', 'p < 0.05'],
      ['p-value', '0.001'],
      ['Verdict', 'drift, near threshold'],
    ]);
    expect(tableOf(age!, '')).toEqual([
      ['', 'reference', 'current'],
      ['Rows', '1,000', '1,000'],
      ['Values tested', '990', '950'],
      ['Nulls', '10', '50'],
      ['Null share', '1%', '5%'],
    ]);
    expect(text(age!)).toContain('Null share change +4 points (flagged above 10 points)');
    const notes = all(age!, byTag('li')).map(text);
    expect(notes).toEqual([
      'one note',
      "within the sketch's error of its threshold: the statistic may be anywhere in [0.296, 0.304]",
      "±0.004: how far the statistic may be from the data's, at worst (computed from a stored profile's sketches)",
    ]);
    // Binned: grey reference bars under a red step line of the current shares.
    const ageSvg = all(age!, byTag('svg'));
    expect(ageSvg).toHaveLength(1);
    expect(all(ageSvg[0]!, (e) => e.tag === 'rect' && e.attrs.get('class') === 'r')).toHaveLength(4);
    expect(all(ageSvg[0]!, (e) => e.tag === 'path' && e.attrs.get('class') === 's')).toHaveLength(1);
    // Categories: the top of both sides, merged; a value not in a side's top list is unknown there, not 0.
    expect(tableOf(city!, 'Top categories')).toEqual([
      ['Top categories', 'reference', 'current'],
      ['<b>&', '50%', '70%'],
      ['Paris', '50%', '—'],
      ['Lyon', '—', '30%'],
    ]);
    expect(tableOf(city!, 'Quantile')).toBeNull();
    const citySvg = all(city!, byTag('svg'))[0]!;
    expect(all(citySvg, (e) => e.tag === 'rect' && e.attrs.get('class') === 'c')).toHaveLength(2);
    expect(all(citySvg, byTag('title')).map(text)).toEqual(['<b>&: reference 50%, current 70%', 'Paris: reference 50%, current 30%']);
    // A report without summaries (an older compute) still renders the rest.
    expect(tableOf(legacy!, 'Quantile')).toBeNull();
    expect(all(legacy!, byTag('svg'))).toHaveLength(0);
  });

  test('whole numbers are drawn by their values, in numeric order, with no empty bins', async () => {
    // Few whole numbers: categorical by Evidently's rule, one bar per value.
    const ref = side([numericColumn('children', [0, 0, 0, 1, 1, 2, 2, 2, 2, 12, ...Array(20).fill(1)])]);
    const cur = side([numericColumn('children', [0, 1, 1, 1, 2, 3, 3, 3, 12, 12, ...Array(20).fill(2)])]);
    const real = checkDrift(ref, cur, options);
    expect(real.features[0]!.distribution!.binned).toBe(false);
    const doc = parseHtml(await renderDriftHtml(real));
    const svg = all(columnsOf(doc)[0]!, byTag('svg'))[0]!;
    const labels = all(svg, (e) => e.tag === 'text' && hasClass('x')(e)).map(text);
    expect(labels).toEqual(['0', '1', '2', '3', '12']);
    const bars = all(svg, (e) => e.tag === 'rect' && e.attrs.get('class') === 'r');
    expect(bars).toHaveLength(5);
    // Every value has a bar on one side at least: no empty equal-width bins between 3 and 12.
    const heights = all(svg, byTag('g')).map((g) => all(g, byTag('rect')).map((r) => Number(r.attrs.get('height'))));
    for (const h of heights) expect(Math.max(...h)).toBeGreaterThan(0);
    // A numeric column given value by value (as a newer compute does for integers): drawn so too.
    const hand = reportOf([
      column('floors', {
        distribution: { labels: ['10', '2', '7', '-1'], reference: [0.1, 0.5, 0.3, 0.1], current: [0.2, 0.4, 0.3, 0.1], binned: false },
      }),
    ]);
    const handSvg = all(parseHtml(await renderDriftHtml(hand)), byTag('svg'))[0]!;
    expect(all(handSvg, byTag('title')).map((t) => text(t).split(':')[0])).toEqual(['-1', '2', '7', '10']);
    expect(all(handSvg, (e) => e.tag === 'path')).toHaveLength(0);
  });

  test('hostile names and values are escaped everywhere; the one script is the hashed one', async () => {
    const names = [
      '</script><img src=x onerror=alert(1)>',
      '__proto__',
      'constructor',
      `"double" and 'single' quotes`,
      'a&b<c>d',
      '<!-- comment -->',
      'line\nbreak',
    ];
    const hostileValue = '<svg onload=alert(1)>&amp;';
    const features = names.map((n, i) =>
      drifted(n, 10 ** -(i + 2), {
        kind: 'categorical',
        distribution: { labels: [hostileValue, '</text><script>x</script>'], reference: [0.5, 0.5], current: [0.9, 0.1], binned: false },
        summary: {
          reference: { quantiles: [], mean: null, topCategories: [{ value: hostileValue, share: 1 }] },
          current: { quantiles: [], mean: null, topCategories: [{ value: '"><img src=x>', share: 1 }] },
        },
        notes: [`note with <b>${n}</b>`],
      }),
    );
    const report = reportOf(features, {
      others: [column('<i>other</i>', { role: 'other' })],
      missingFeatures: ['<script>alert(1)</script>', '__proto__'],
    });
    const html = await renderDriftHtml({ ...report, subject: '<b>model</b>', reference: { ...report.reference, description: '"><x>' } });
    const doc = parseHtml(html);
    // Only the elements the page itself writes; no event handler, no link, nothing loaded.
    const tags = new Set(all(doc, () => true).map((e) => e.tag));
    const allowed = 'html head meta title style body header h1 h2 h3 p span strong code div section main details summary'.split(' ');
    allowed.push(...'table caption tr th td ul li label input svg g line rect path text time script i'.split(' '));
    expect([...tags].filter((t) => !allowed.includes(t))).toEqual([]);
    for (const e of all(doc, () => true)) {
      for (const a of e.attrs.keys()) expect(a).not.toMatch(/^on|^(src|href|xlink:href|action|formaction)$/);
    }
    expect(html).not.toMatch(/https?:\/\//);
    // Names come back whole from the attributes and the text.
    const rows = columnsOf(doc);
    const shown = names.map((n) => n.replace(/\n/g, '↵'));
    expect(rows.map(nameOf).sort()).toEqual([...shown, '<i>other</i>'].sort());
    for (const r of rows) expect(text(all(r, byTag('code'))[0]!)).toBe(nameOf(r));
    expect(text(all(doc, byTag('h1'))[0]!)).toBe('Drift check of <b>model</b>');
    const errors = all(doc, hasClass('errors'))[0]!;
    expect(all(errors, byTag('code')).map(text)).toEqual(['<script>alert(1)</script>', '__proto__']);
    const proto = rows.find((r) => nameOf(r) === '__proto__')!;
    expect(tableOf(proto, 'Top categories')!.slice(1)).toEqual([
      [hostileValue, '100%', '—'],
      ['"><img src=x>', '—', '100%'],
    ]);
    expect(all(proto, byTag('title')).map(text)[0]).toBe(`${hostileValue}: reference 50%, current 90%`);
    // One script runs: the page's own, allowed by its hash and nothing else.
    const { scripts, policy } = scriptAndPolicy(doc);
    expect(scripts).toHaveLength(1);
    const source = text(scripts[0]!);
    expect(source).not.toMatch(/<\/script/i);
    const hash = `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
    expect(policy.get('script-src')).toEqual([hash]);
    expect(scriptHash(source)).toBe(hash);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('style-src')).toEqual(["'unsafe-inline'"]);
    expect([...policy.keys()].sort()).toEqual(['base-uri', 'default-src', 'form-action', 'script-src', 'style-src']);
  });

  test('others, missing features, text columns and their notes', async () => {
    const report = reportOf(
      [
        drifted('income', 1e-6),
        column('comment', {
          kind: 'text',
          status: 'skipped',
          method: null,
          statistic: null,
          pValue: null,
          threshold: null,
          direction: null,
          notes: ['free text (9,000 distinct values in 10,000 rows): skipped'],
        }),
        column('tenure', { pValue: 0.052, nearThreshold: true, approximate: true, errorBound: 0.01, notes: ['near note'] }),
      ],
      { others: [column('row_id', { role: 'other' })], missingFeatures: ['zip_code'] },
    );
    const doc = parseHtml(await renderDriftHtml(report));
    // Missing features: an error at the top, before the column list.
    const header = all(doc, byTag('header'))[0]!;
    const errors = all(header, hasClass('errors'));
    expect(errors).toHaveLength(1);
    expect(text(errors[0]!)).toContain('1 model feature is missing from the current data: zip_code.');
    // Others: their own list, after the features, under their own heading.
    const headings = all(doc, byTag('h3')).map(text);
    expect(headings).toEqual(['Features', 'Other columns']);
    const lists = all(doc, hasClass('cols'));
    expect(columnsOf(lists[0]!).map(nameOf)).toEqual(['income', 'tenure', 'comment']);
    expect(columnsOf(lists[1]!).map(nameOf)).toEqual(['row_id']);
    // A text column: kind text, skipped, its note in the detail.
    const comment = columnsOf(doc).find((d) => nameOf(d) === 'comment')!;
    const summary = all(comment, byTag('summary'))[0]!;
    expect(text(summary.children[1]!)).toBe('text');
    expect(text(summary.children.at(-1)!)).toBe('skipped');
    expect(all(comment, byTag('li')).map(text)).toEqual(['free text (9,000 distinct values in 10,000 rows): skipped']);
    // Near the threshold: marked in the row and explained in the detail.
    const tenure = columnsOf(doc).find((d) => nameOf(d) === 'tenure')!;
    expect(text(all(tenure, byTag('summary'))[0]!.children.at(-1)!)).toBe('ok, near threshold');
    expect(all(tenure, byTag('li')).map(text)[0]).toBe('near note');
    expect(tableOf(tenure, 'Test')![1]).toEqual(['Statistic', '0.05 ± 0.01']);
    // An older report without the new fields renders too.
    const old = reportOf([drifted('income', 1e-6)]) as unknown as Record<string, unknown>;
    delete old.others;
    delete old.missingFeatures;
    const oldDoc = parseHtml(await renderDriftHtml(old as unknown as DriftReport));
    expect(all(oldDoc, hasClass('errors'))).toHaveLength(0);
    expect(all(oldDoc, byTag('h3')).map(text)).toEqual(['Features']);
  });

  test('from checkDrift: a missing model feature first and at the top, other columns apart, text skipped', async () => {
    const n = 40;
    const ramp = (shift: number) => Array.from({ length: n }, (_, i) => i / 3 + shift);
    const ref = side([
      numericColumn('income', ramp(0)),
      numericColumn('zip', ramp(0)),
      numericColumn('row_id', ramp(0)),
      textColumn(
        'comment',
        Array.from({ length: n }, (_, i) => `comment ${i} <i>`),
      ),
    ]);
    const cur = side([
      numericColumn('income', ramp(30)),
      numericColumn('row_id', ramp(100)),
      textColumn(
        'comment',
        Array.from({ length: n }, (_, i) => `other comment ${i} & more`),
      ),
    ]);
    const report = checkDrift(ref, cur, { ...options, modelFeatures: ['income', 'zip', 'comment'] });
    expect(report.missingFeatures).toEqual(['zip']);
    const doc = parseHtml(await renderDriftHtml(report));
    const errors = all(all(doc, byTag('header'))[0]!, hasClass('errors'));
    expect(all(errors[0]!, byTag('code')).map(text)).toEqual(['zip']);
    const lists = all(doc, hasClass('cols'));
    const features = columnsOf(lists[0]!);
    expect(features.map(nameOf)).toEqual(['zip', 'income', 'comment']);
    const verdict = (d: El) => text(all(d, byTag('summary'))[0]!.children.at(-1)!);
    expect(features.map(verdict)).toEqual(['missing from current', 'drift', 'skipped']);
    expect(text(all(features[2]!, byTag('summary'))[0]!.children[1]!)).toBe('text');
    expect(all(features[2]!, byTag('li')).length).toBeGreaterThan(0);
    expect(tableOf(features[2]!, 'Top categories')![1]![0]).toMatch(/^comment \d+ <i>$/);
    // The missing feature's detail still has the reference side's quantiles.
    expect(tableOf(features[0]!, 'Quantile')![4]).toEqual(['median', '6.5', '—', '—']);
    expect(all(doc, byTag('h3')).map(text)).toEqual(['Features', 'Other columns']);
    expect(columnsOf(lists[1]!).map(nameOf)).toEqual(['row_id']);
  });

  test('100 columns with long names and 10 categories each stay under 1 MB', async () => {
    const categories = Array.from({ length: 10 }, (_, j) => `category value number ${j} <&> of a long-ish label`);
    const features = Array.from({ length: 100 }, (_, i) => {
      const ref = categories.map((_, j) => (j + 1) / 55);
      const cur = categories.map((_, j) => (10 - j) / 55);
      const name = `feature_${i}_${'a_rather_long_column_name_'.repeat(8)}`;
      return column(name, {
        ...(i % 3 === 0 ? { valueDrift: true, drifted: true } : {}),
        kind: 'categorical',
        method: 'jensenshannon',
        direction: 'distance',
        threshold: 0.1,
        statistic: 0.05 + i / 1000,
        distribution: { labels: categories, reference: ref, current: cur, binned: false },
        summary: {
          reference: { quantiles: quantiles(0), mean: 5, topCategories: categories.map((value, j) => ({ value, share: ref[j]! })) },
          current: { quantiles: quantiles(1), mean: 6, topCategories: categories.map((value, j) => ({ value, share: cur[j]! })) },
        },
        nullShare: { reference: 0.01, current: 0.02, change: 0.01, threshold: 0.1 },
        errorBound: 0.002,
        notes: ['computed from sketches', 'another note of a typical length for this column'],
      });
    });
    const html = await renderDriftHtml(reportOf(features));
    const bytes = Buffer.byteLength(html, 'utf8');
    expect(columnsOf(parseHtml(html))).toHaveLength(100);
    expect(bytes).toBeLessThan(1_000_000);
    // For the record: the size per column.
    expect(bytes / 100).toBeLessThan(10_000);
  });
});

// ---------------------------------------------------------------------------------------------
// The script, run for real

const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'].find(
  (b) => spawnSync('sh', ['-c', `command -v ${b}`], { encoding: 'utf8' }).status === 0,
);
if (!CHROMIUM && process.env.CI === 'true') throw new Error("no Chromium on CI: install Debian's chromium package");
const run = promisify(execFile);

describe('the drift HTML report in a browser', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drift-html-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The DOM after the page's scripts ran, for the file at `path` with `fragment`. */
  async function dom(path: string, fragment = ''): Promise<El> {
    const profile = await mkdtemp(join(dir, 'profile-'));
    const { stdout } = await run(
      CHROMIUM!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=3000',
        '--dump-dom',
        `${pathToFileURL(path).href}${fragment}`,
      ],
      { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return parseHtml(stdout);
  }
  const visible = (doc: El) => columnsOf(doc).filter((d) => !d.attrs.has('hidden'));
  const ready = (doc: El) => all(doc, byTag('html'))[0]!.attrs.get('data-ready');

  (CHROMIUM ? test : test.skip)('the script runs under the CSP, sorts and filters by the fragment', async () => {
    const report = reportOf([
      column('gamma', { statistic: 0.2, pValue: 0.3, nullShare: { reference: 0, current: 0.05, change: 0.05, threshold: 0.1 } }),
      drifted('alpha', 1e-9, { statistic: 0.9 }),
      column('beta', { statistic: 0.01, pValue: 0.9 }),
      drifted('delta', 0.01, { statistic: 0.4 }),
      column('</script><b>x', { statistic: null, pValue: null, status: 'skipped', method: null }),
    ]);
    const html = await renderDriftHtml(report);
    const path = join(dir, 'report.html');
    await writeFile(path, html);
    const [plain, byName, byStat, filtered, driftedOnly] = await Promise.all([
      dom(path),
      dom(path, '#sort=name&dir=asc'),
      dom(path, '#sort=stat&dir=desc'),
      dom(path, '#q=TA'),
      dom(path, '#drifted=1&sort=name&dir=desc'),
    ]);
    for (const doc of [plain, byName, byStat, filtered, driftedOnly]) {
      expect(ready(doc)).toBe('true');
      expect(all(doc, (e) => e.attrs.get('id') === 'controls')[0]!.attrs.has('hidden')).toBe(false);
    }
    expect(visible(plain).map(nameOf)).toEqual(['alpha', 'delta', 'gamma', 'beta', '</script><b>x']);
    expect(text(all(plain, (e) => e.attrs.get('id') === 'shown')[0]!)).toBe('5 of 5 columns shown');
    expect(all(plain, (e) => e.tag === 'button').map(text)).toEqual(['Column', 'Statistic', 'p-value', 'Nulls (ref → cur)', 'Verdict']);
    expect(visible(byName).map(nameOf)).toEqual(['</script><b>x', 'alpha', 'beta', 'delta', 'gamma']);
    expect(visible(byStat).map(nameOf)).toEqual(['alpha', 'delta', 'gamma', 'beta', '</script><b>x']);
    expect(visible(filtered).map(nameOf)).toEqual(['delta', 'beta']);
    expect(visible(driftedOnly).map(nameOf)).toEqual(['delta', 'alpha']);
    // A changed script is refused by the CSP: the hash is what lets it run.
    const tampered = join(dir, 'tampered.html');
    await writeFile(
      tampered,
      html.replace("document.documentElement.dataset.ready = 'true';", "document.documentElement.dataset.ready = 'yes';"),
    );
    expect(ready(await dom(tampered))).toBeUndefined();
  });
});
