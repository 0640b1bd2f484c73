/**
 * The drift report as one self-contained HTML file that a person can explore: every column is
 * a row that opens (`<details>`) onto its detail (reference and current distributions drawn
 * over each other, quantiles side by side, mean, top categories, null shares, the test and
 * its notes), and the list can be sorted and filtered.
 *
 * Script or not. Sorting could be faked in CSS, a text filter cannot, so there is one small
 * inline script, and the Content-Security-Policy allows exactly that script by its sha256
 * hash (computed here at render time), nothing else: no other script, no inline handler,
 * nothing loaded from anywhere. A report opened from an artifact zip or served from GitHub
 * Pages runs such a script. The page does not need it: without JavaScript the list is in its
 * default order (drifted first, worst first), every detail opens, and the sort and filter
 * controls stay hidden. The script reads only `data-*` attributes and the filter box, never
 * evaluates data, and keeps its state in the address's fragment (`#sort=stat&dir=desc&q=age`)
 * so a filtered view can be linked.
 *
 * Charts. Vega-Lite's SVG of one 10-bar chart is about 12.5 KB, so 100 columns would pass
 * 1 MB; the bars are drawn here instead (2 to 3.5 KB a chart, a tooltip per bar). Bins and
 * whole numbers given value by value (`binned: false`, numeric labels, in numeric order) run
 * along x: bins as grey reference bars under a red step line of the current shares, values as
 * a wide grey reference bar with a narrow red current bar over it. Named categories run down
 * the left, as bars of the same two widths.
 *
 * User strings (column names, category values, descriptions, notes) are escaped for HTML
 * wherever they go, text or attribute; the SVG is written here with the same escaping.
 */
import { createHash } from 'node:crypto';
import { escapeHtml, formatNumber, truncate } from '../markdown.js';
import type { ColumnDrift, ColumnSummary, Distribution, DriftReport } from './compute.js';
import { severity } from './markdown-report.js';

/** Columns listed in the HTML report at most (the JSON report has every column). */
export const HTML_MAX_ROWS = 1000;
/** Drifted columns whose detail is open when the page loads (the worst first). */
export const HTML_OPEN_DETAILS = 3;
/** Categories listed per column in the detail (each side's most frequent, merged). */
export const HTML_TOP_CATEGORIES = 20;
/** Model features missing from the current data named at the top (the rest are counted). */
const MAX_MISSING_NAMED = 100;
/** Quantile levels of `ColumnSummary.quantiles`. */
const QUANTILE_LABELS = ['min (0%)', '5%', '25%', 'median', '75%', '95%', 'max (100%)'];

const STYLE = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;max-width:84rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin:0 0 .5rem}
h2{font-size:1.2rem;margin:2rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid #d0d7de}
h3{font-size:1rem;margin:1.5rem 0 .25rem}
table{border-collapse:collapse}
th,td{border:1px solid #d0d7de;padding:.15rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 .2rem;border-radius:3px;overflow-wrap:anywhere}
[hidden]{display:none!important}
.verdict{display:inline-block;padding:.15rem .7rem;border-radius:1rem;font-weight:600}
.drift{background:#ffebe9;color:#a40e26}
.ok{background:#dafbe1;color:#116329}
.bad{color:#a40e26;font-weight:600}
.warn{color:#9a6700;font-weight:600}
.good{color:#116329}
.muted{color:#59636e}
.errors{border:1px solid #ff818266;background:#ffebe9;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.controls{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;margin:.5rem 0}
.controls input[type=search]{font:inherit;padding:.2rem .5rem;min-width:16rem}
.scroll{overflow-x:auto}
.cols{min-width:62rem}
.row{display:grid;grid-template-columns:minmax(14rem,1fr) 6.5rem 7.5rem 6rem 6rem 6.5rem 9rem 9rem;gap:0 .75rem;padding:.2rem .4rem;align-items:baseline}
.head{background:#f6f8fa;font-weight:600;border-bottom:1px solid #d0d7de}
.head button{font:inherit;background:none;border:0;padding:0;cursor:pointer;color:#0969da}
.head [data-dir="1"] button::after{content:" ▲"}
.head [data-dir="-1"] button::after{content:" ▼"}
.n{text-align:right;font-variant-numeric:tabular-nums}
details.col{border-bottom:1px solid #d0d7de}
details.col>summary{cursor:pointer;list-style:none}
details.col>summary::-webkit-details-marker{display:none}
details.col>summary>:first-child::before{content:"▸ ";color:#59636e}
details.col[open]>summary>:first-child::before{content:"▾ "}
details.col>summary:hover{background:#f6f8fa}
.tag{font-size:.8em;color:#59636e;margin-left:.3rem}
.detail{display:flex;flex-wrap:wrap;gap:1rem 2rem;padding:.5rem 1rem 1rem 1.4rem;background:#fcfcfd}
.detail table{font-size:.9em}
.detail caption{caption-side:bottom;text-align:left;font-size:.9em}
.detail td+td,.detail th+th{text-align:right;font-variant-numeric:tabular-nums}
.detail ul{margin:.25rem 0;padding-left:1.2rem}
.key{font-size:.85em;color:#59636e}
.key i{display:inline-block;width:.8em;height:.8em;margin:0 .25em 0 .6em;vertical-align:-.05em}
.key .r{background:#afb8c1}
.key .c{background:#cf222e}
.dist{display:block;max-width:100%;height:auto}
.dist text{font-size:10px;fill:#59636e}
.dist .g{stroke:#d0d7de}
.dist .e{text-anchor:end}
.dist .m{text-anchor:middle}
.dist .x{fill:#1f2328}
.dist .r{fill:#afb8c1}
.dist .c{fill:#cf222e;fill-opacity:.85}
.dist .s{fill:none;stroke:#cf222e;stroke-width:2}
`;

/**
 * Sorting, the text filter and "drifted only". Reads each row's data-* attributes (numbers and
 * the column's name as strings), never evaluates them. Sets data-ready on <html> when wired.
 */
const SCRIPT = `(() => {
  const $ = (id) => document.getElementById(id);
  const filter = $('filter'), flagged = $('flagged'), shown = $('shown');
  const first = new Map([['name', 1], ['stat', -1], ['p', 1], ['null', -1], ['rank', -1]]);
  let key = 'rank', dir = -1;
  const read = (d) => (key === 'name' ? d.dataset.name : d.dataset[key] === '' ? NaN : Number(d.dataset[key]));
  const compare = (a, b) => {
    const x = read(a), y = read(b), tie = a.dataset.rank - b.dataset.rank;
    if (key === 'name') return dir * x.localeCompare(y) || -tie;
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) - Number.isNaN(y) || -tie;
    return dir * (x - y) || -tie;
  };
  const apply = (remember) => {
    const text = filter.value.trim().toLowerCase();
    let count = 0, total = 0;
    for (const list of document.querySelectorAll('.cols')) {
      const rows = [...list.querySelectorAll(':scope > details')].sort(compare);
      list.append(...rows);
      for (const d of rows) {
        d.hidden = (flagged.checked && d.dataset.flag !== '1') || (text !== '' && !d.dataset.name.toLowerCase().includes(text));
        total += 1;
        if (!d.hidden) count += 1;
      }
    }
    shown.textContent = count + ' of ' + total + ' columns shown';
    for (const h of document.querySelectorAll('[data-sort]')) h.dataset.dir = h.dataset.sort === key ? String(dir) : '';
    if (!remember) return;
    const state = new URLSearchParams();
    if (key !== 'rank' || dir !== -1) {
      state.set('sort', key);
      state.set('dir', dir > 0 ? 'asc' : 'desc');
    }
    if (text !== '') state.set('q', filter.value);
    if (flagged.checked) state.set('drifted', '1');
    try {
      history.replaceState(null, '', '#' + state);
    } catch {
      // A page without history (a sandboxed viewer) still sorts and filters.
    }
  };
  const state = new URLSearchParams(location.hash.slice(1));
  if (first.has(state.get('sort'))) {
    key = state.get('sort');
    dir = state.get('dir') === 'asc' ? 1 : state.get('dir') === 'desc' ? -1 : first.get(key);
  }
  filter.value = state.get('q') || '';
  flagged.checked = state.get('drifted') === '1';
  for (const h of document.querySelectorAll('[data-sort]')) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = h.textContent;
    button.title = 'Sort by ' + h.textContent;
    h.replaceChildren(button);
    button.addEventListener('click', () => {
      if (h.dataset.sort === key) {
        dir = -dir;
      } else {
        key = h.dataset.sort;
        dir = first.get(key);
      }
      apply(true);
    });
  }
  filter.addEventListener('input', () => apply(true));
  flagged.addEventListener('change', () => apply(true));
  $('controls').hidden = false;
  apply(false);
  document.documentElement.dataset.ready = 'true';
})();`;

/** The script's CSP source: its sha256 over the exact text between the tags. */
export function scriptHash(script: string = SCRIPT): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

const esc = escapeHtml;
const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : esc(formatNumber(v)));
/** A data-* value: a number, or empty for none (sorted last). */
const dataNum = (v: number | null | undefined) => (typeof v === 'number' && !Number.isNaN(v) ? String(v) : '');
const r1 = (v: number) => String(Math.round(v * 10) / 10);

function percent(share: number): string {
  if (share === 0) return '0%';
  if (Math.abs(share) < 0.001) return share > 0 ? '<0.1%' : '>−0.1%';
  return `${formatNumber(Math.round(share * 1000) / 10)}%`;
}

function points(change: number): string {
  const p = Math.round(change * 1000) / 10;
  return `${p > 0 ? '+' : p < 0 ? '−' : '±'}${formatNumber(Math.abs(p))} points`;
}

const STATUS_TEXT: Record<ColumnDrift['status'], string> = {
  tested: 'tested',
  skipped: 'skipped',
  'missing-in-reference': 'not in reference',
  'missing-in-current': 'not in current',
  'no-values-in-reference': 'no values in reference',
  'no-values-in-current': 'no values in current',
  'method-does-not-fit': 'test does not fit',
};

/** The verdict's words and its class. */
function verdictOf(c: ColumnDrift): { text: string; cls: string } {
  const near = c.nearThreshold === true ? ', near threshold' : '';
  if (c.status === 'missing-in-current' && c.drifted) return { text: 'missing from current', cls: 'bad' };
  if (c.status !== 'tested' && !c.nullDrift) return { text: STATUS_TEXT[c.status], cls: 'muted' };
  if (c.valueDrift && c.nullDrift) return { text: `drift, nulls up${near}`, cls: 'bad' };
  if (c.valueDrift) return { text: `drift${near}`, cls: 'bad' };
  if (c.nullDrift) return { text: c.drifted ? 'nulls up (counted)' : 'nulls up', cls: c.drifted ? 'bad' : 'warn' };
  return { text: `ok${near}`, cls: 'good' };
}

/**
 * Default order: model features missing from the current data (the model gets no values), then
 * drifted, then flagged but not counted, then tested, then the rest; worst first within each.
 */
function rankKey(c: ColumnDrift): number {
  if (c.drifted) return c.status === 'missing-in-current' ? 4 : 3;
  return c.valueDrift || c.nullDrift ? 2 : c.status === 'tested' ? 1 : 0;
}

export function defaultOrder(columns: ColumnDrift[]): ColumnDrift[] {
  return [...columns].sort((a, b) => rankKey(b) - rankKey(a) || severity(b) - severity(a));
}

function thresholdText(c: ColumnDrift): string {
  if (c.threshold === null) return '—';
  return `${c.direction === 'p-value' ? 'p &lt; ' : '≥ '}${num(c.threshold)}`;
}

// ---------------------------------------------------------------------------------------------
// The chart

const WIDTH = 340;

/** True when every label is a number (whole numbers given value by value, or bins). */
function numericLabels(d: Distribution): boolean {
  return d.labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
}

/** The top of the share axis: a round number just above the highest bar. */
function axisTop(d: Distribution): number {
  const highest = Math.max(0.01, ...d.reference.map((v) => v || 0), ...d.current.map((v) => v || 0));
  return Math.min(1, highest < 0.1 ? Math.ceil(highest * 100) / 100 : Math.ceil(highest * 10) / 10);
}

function svg(height: number, label: string, parts: string[]): string {
  return `<svg class="dist" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${esc(label)}">${parts.join('')}</svg>`;
}

const barTitle = (label: string, ref: number, cur: number) =>
  `<title>${esc(`${label}: reference ${percent(ref)}, current ${percent(cur)}`)}</title>`;

/**
 * Numbers along x: bins (grey reference bars under a red step line of the current shares) or
 * whole numbers value by value, in numeric order (a wide grey bar and a narrow red one each).
 */
function verticalBars(d: Distribution): string {
  const order = d.labels.map((_, i) => i);
  if (!d.binned) order.sort((a, b) => Number(d.labels[a]) - Number(d.labels[b]));
  const n = order.length;
  const longest = Math.max(...d.labels.map((l) => Math.min(l.length, 14)));
  const left = 38;
  const right = 8;
  const top = 8;
  const bw = (WIDTH - left - right) / n;
  // Labels every `every` bars, level when they fit, else turned.
  let every = Math.ceil((longest * 6 + 4) / bw);
  const rotate = every > 2;
  if (rotate) every = Math.ceil(12 / bw);
  const base = top + 110;
  const height = base + (rotate ? 10 + longest * 4.5 : 16);
  const yMax = axisTop(d);
  const y = (share: number) => base - (Math.min(Math.max(share || 0, 0), yMax) / yMax) * 110;
  const parts: string[] = [];
  for (const t of [0, yMax / 2, yMax])
    parts.push(
      `<line class="g" x1="${left}" x2="${WIDTH - right}" y1="${r1(y(t))}" y2="${r1(y(t))}"/><text class="e" x="${left - 4}" y="${r1(y(t) + 3)}">${esc(percent(t))}</text>`,
    );
  order.forEach((i, k) => {
    const x = left + k * bw;
    const ref = d.reference[i] ?? 0;
    const cur = d.current[i] ?? 0;
    const label = d.labels[i] ?? '';
    const bars = d.binned
      ? `<rect class="r" x="${r1(x + 0.5)}" y="${r1(y(ref))}" width="${r1(Math.max(bw - 1, 0.5))}" height="${r1(base - y(ref))}"/>`
      : `<rect class="r" x="${r1(x + bw * 0.1)}" y="${r1(y(ref))}" width="${r1(bw * 0.8)}" height="${r1(base - y(ref))}"/>` +
        `<rect class="c" x="${r1(x + bw * 0.3)}" y="${r1(y(cur))}" width="${r1(bw * 0.4)}" height="${r1(base - y(cur))}"/>`;
    parts.push(`<g>${barTitle(label, ref, cur)}${bars}</g>`);
    if (k % every !== 0) return;
    const lx = d.binned ? x : x + bw / 2;
    const shown = esc(truncate(label, 14));
    parts.push(
      rotate
        ? `<text class="e x" transform="translate(${r1(lx + 3)} ${base + 10}) rotate(-40)">${shown}</text>`
        : `<text class="${d.binned ? 'x' : 'm x'}" x="${r1(lx)}" y="${base + 12}">${shown}</text>`,
    );
  });
  if (d.binned) {
    let path = `M${left} ${base}`;
    order.forEach((i, k) => {
      path += `V${r1(y(d.current[i] ?? 0))}H${r1(left + (k + 1) * bw)}`;
    });
    parts.push(`<path class="s" d="${path}V${base}"/>`);
  }
  return svg(height, d.binned ? 'Shares per bin, reference and current' : 'Shares per value, reference and current', parts);
}

/** Named categories down the left, a bar each: a wide grey reference bar and a narrow red current one over it. */
function horizontalBars(d: Distribution): string {
  const left = 150;
  const right = 12;
  const top = 4;
  const rowH = 15;
  const plotW = WIDTH - left - right;
  const xMax = axisTop(d);
  const x = (share: number) => left + (Math.min(Math.max(share || 0, 0), xMax) / xMax) * plotW;
  const bottom = top + d.labels.length * rowH;
  const parts: string[] = [];
  for (const t of [0, xMax / 2, xMax])
    parts.push(
      `<line class="g" x1="${r1(x(t))}" x2="${r1(x(t))}" y1="${top}" y2="${bottom}"/><text class="m" x="${r1(x(t))}" y="${bottom + 12}">${esc(percent(t))}</text>`,
    );
  d.labels.forEach((label, i) => {
    const ref = d.reference[i] ?? 0;
    const cur = d.current[i] ?? 0;
    const y = top + i * rowH;
    parts.push(
      `<g>${barTitle(label, ref, cur)}<text class="e x" x="${left - 4}" y="${y + 11}">${esc(truncate(label, 22))}</text>` +
        `<rect class="r" x="${left}" y="${y + 2}" width="${r1(x(ref) - left)}" height="11"/>` +
        `<rect class="c" x="${left}" y="${y + 5.5}" width="${r1(x(cur) - left)}" height="4"/></g>`,
    );
  });
  return svg(bottom + 16, 'Shares per category, reference and current', parts);
}

/** Reference and current shares drawn over each other, as inline SVG (empty for no bars). */
export function distributionSvg(d: Distribution): string {
  if (d.labels.length === 0) return '';
  return d.binned || numericLabels(d) ? verticalBars(d) : horizontalBars(d);
}

// ---------------------------------------------------------------------------------------------
// A column

function miniTable(headers: string[], rows: string[][], caption?: string): string {
  const head = `<tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((cells) => `<tr>${cells.map((x) => `<td>${x}</td>`).join('')}</tr>`).join('');
  return `<table>${caption ? `<caption class="muted">${esc(caption)}</caption>` : ''}${head}${body}</table>`;
}

function testTable(c: ColumnDrift): string {
  const bound = c.errorBound ?? null;
  const stat = `${num(c.statistic)}${bound !== null && bound > 0 && c.statistic !== null ? ` ± ${num(bound)}` : ''}`;
  const v = verdictOf(c);
  return miniTable(
    ['Test', c.method ? `${c.method}${c.approximate ? ' ≈' : ''}` : '—'],
    [
      ['Statistic', stat],
      ['Drift if', thresholdText(c)],
      ['p-value', num(c.pValue)],
      ['Verdict', `<span class="${v.cls}">${esc(v.text)}</span>`],
    ],
  );
}

function quantileTable(ref: ColumnSummary | null, cur: ColumnSummary | null): string {
  const rq = ref?.quantiles ?? [];
  const cq = cur?.quantiles ?? [];
  const usable = (q: number[]) => q.length === QUANTILE_LABELS.length;
  if (!usable(rq) && !usable(cq)) return '';
  const at = (q: number[], i: number) => (usable(q) ? (q[i] ?? null) : null);
  const change = (a: number | null, b: number | null) =>
    a === null || b === null || !Number.isFinite(b - a) ? '—' : `${b - a > 0 ? '+' : ''}${num(b - a)}`;
  const rows = QUANTILE_LABELS.map((label, i) => [esc(label), num(at(rq, i)), num(at(cq, i)), change(at(rq, i), at(cq, i))]);
  rows.push(['mean', num(ref?.mean), num(cur?.mean), change(ref?.mean ?? null, cur?.mean ?? null)]);
  return miniTable(['Quantile', 'reference', 'current', 'change'], rows);
}

function categoryTable(ref: ColumnSummary | null, cur: ColumnSummary | null): string {
  const refTop = ref?.topCategories ?? [];
  const curTop = cur?.topCategories ?? [];
  if (refTop.length === 0 && curTop.length === 0) return '';
  const refShare = new Map(refTop.map((t) => [t.value, t.share]));
  const curShare = new Map(curTop.map((t) => [t.value, t.share]));
  const largest = (v: string) => Math.max(refShare.get(v) ?? 0, curShare.get(v) ?? 0);
  const values = [...new Set([...refTop.map((t) => t.value), ...curTop.map((t) => t.value)])];
  values.sort((a, b) => largest(b) - largest(a));
  const shown = values.slice(0, HTML_TOP_CATEGORIES);
  const share = (m: Map<string, number>, v: string) => (m.has(v) ? esc(percent(m.get(v)!)) : '—');
  const rows = shown.map((v) => [`<code>${esc(truncate(v, 60))}</code>`, share(refShare, v), share(curShare, v)]);
  const notes = [
    ...(shown.some((v) => !refShare.has(v) || !curShare.has(v)) ? ["—: not among that side's most frequent values"] : []),
    ...(values.length > shown.length ? [`${values.length - shown.length} more not listed`] : []),
  ];
  return miniTable(['Top categories', 'reference', 'current'], rows, notes.length > 0 ? notes.join('; ') : undefined);
}

function sidesTable(c: ColumnDrift): string {
  if (!c.reference && !c.current) return '';
  const cell = (s: ColumnDrift['reference'], f: (x: NonNullable<ColumnDrift['reference']>) => string) => (s ? f(s) : '—');
  const count = (v: number) => esc(v.toLocaleString('en-US'));
  const rows = [
    ['Rows', cell(c.reference, (s) => count(s.rows)), cell(c.current, (s) => count(s.rows))],
    ['Values tested', cell(c.reference, (s) => count(s.values)), cell(c.current, (s) => count(s.values))],
    ['Nulls', cell(c.reference, (s) => count(s.missing)), cell(c.current, (s) => count(s.missing))],
    ['Null share', cell(c.reference, () => esc(percent(c.nullShare.reference))), cell(c.current, () => esc(percent(c.nullShare.current)))],
  ];
  if ((c.reference?.infinite ?? 0) + (c.current?.infinite ?? 0) > 0)
    rows.push(['Infinite', cell(c.reference, (s) => count(s.infinite)), cell(c.current, (s) => count(s.infinite))]);
  const nullCls = c.nullDrift ? ' class="warn"' : '';
  const caption = `Null share change ${points(c.nullShare.change)} (flagged above ${points(c.nullShare.threshold).replace(/^[+±]/, '')})`;
  return `${miniTable(['', 'reference', 'current'], rows)}<p${nullCls}>${esc(caption)}</p>`;
}

/** The column's notes (compute.ts explains a verdict near the threshold), and what ± and ≈ mean here. */
function notesOf(c: ColumnDrift): string[] {
  const notes = [...c.notes];
  const bound = c.errorBound ?? null;
  if (bound !== null && bound > 0 && c.statistic !== null)
    notes.push(
      `±${formatNumber(bound)}: how far the statistic may be from the data's, at worst (computed from a stored profile's sketches)`,
    );
  else if (c.approximate) notes.push('≈: computed from a stored profile’s sketches, not the data itself');
  return notes;
}

function detail(c: ColumnDrift): string {
  const summary = c.summary;
  const parts: string[] = [];
  if (c.distribution && c.distribution.labels.length > 0) {
    const what = c.distribution.binned ? 'Bins (by lower edge)' : 'Values';
    parts.push(
      `<div>${distributionSvg(c.distribution)}<div class="key">${what}: <i class="r"></i>reference <i class="c"></i>current</div></div>`,
    );
  }
  if (c.method !== null || c.statistic !== null) parts.push(`<div>${testTable(c)}</div>`);
  const quantiles = quantileTable(summary?.reference ?? null, summary?.current ?? null);
  if (quantiles) parts.push(`<div>${quantiles}</div>`);
  const categories = categoryTable(summary?.reference ?? null, summary?.current ?? null);
  if (categories) parts.push(`<div>${categories}</div>`);
  const sides = sidesTable(c);
  if (sides) parts.push(`<div>${sides}</div>`);
  const notes = notesOf(c);
  if (notes.length > 0) parts.push(`<div><strong>Notes</strong><ul>${notes.map((x) => `<li>${esc(x)}</li>`).join('')}</ul></div>`);
  return `<div class="detail">${parts.join('')}</div>`;
}

/** One column: its row (the summary) and its detail; `rank` is its place in the default order, higher first. */
function columnHtml(c: ColumnDrift, rank: number, open: boolean, showRole: boolean): string {
  const v = verdictOf(c);
  const flagged = c.drifted || c.valueDrift || c.nullDrift;
  const sides = c.reference !== null && c.current !== null;
  const data = [
    `data-name="${esc(c.column)}"`,
    `data-rank="${rank}"`,
    `data-stat="${dataNum(c.statistic)}"`,
    `data-p="${dataNum(c.pValue)}"`,
    `data-null="${sides ? dataNum(c.nullShare.change) : ''}"`,
    `data-flag="${flagged ? 1 : 0}"`,
  ].join(' ');
  const role = showRole ? `<span class="tag">${esc(c.role)}</span>` : '';
  const near = c.nearThreshold === true;
  const cells = [
    `<span><code>${esc(c.column)}</code>${role}</span>`,
    `<span>${esc(c.kind ?? '—')}</span>`,
    `<span>${esc(c.method ?? '—')}${c.approximate ? ' ≈' : ''}</span>`,
    `<span class="n">${num(c.statistic)}${near ? ' <span class="warn" title="near the threshold">~</span>' : ''}</span>`,
    `<span class="n">${num(c.pValue)}</span>`,
    `<span>${thresholdText(c)}</span>`,
    `<span>${sides ? `${esc(percent(c.nullShare.reference))} → ${esc(percent(c.nullShare.current))}` : '—'}</span>`,
    `<span class="${v.cls}">${esc(v.text)}</span>`,
  ];
  return `<details class="col" ${data}${open ? ' open' : ''}><summary class="row">${cells.join('')}</summary>${detail(c)}</details>`;
}

const HEAD = `<div class="row head"><span data-sort="name">Column</span><span>Kind</span><span>Test</span><span class="n" data-sort="stat">Statistic</span><span class="n" data-sort="p">p-value</span><span>Drift if</span><span data-sort="null">Nulls (ref → cur)</span><span data-sort="rank">Verdict</span></div>`;

/** A list of columns in the default order; `budget` counts rows left. */
function columnList(columns: ColumnDrift[], budget: { rows: number; open: number }, showRole: boolean): string {
  const ordered = defaultOrder(columns);
  const shown = ordered.slice(0, Math.max(0, budget.rows));
  budget.rows -= shown.length;
  const rows = shown.map((c, i) => {
    const open = c.drifted && budget.open > 0;
    if (open) budget.open -= 1;
    return columnHtml(c, shown.length - i, open, showRole);
  });
  const more =
    ordered.length > shown.length ? `\n<p class="muted">${ordered.length - shown.length} more columns are in the JSON report.</p>` : '';
  return `<div class="scroll"><div class="cols">\n${HEAD}\n${rows.join('\n')}\n</div></div>${more}`;
}

function missingHtml(missing: string[]): string {
  if (missing.length === 0) return '';
  const named = missing.slice(0, MAX_MISSING_NAMED).map((m) => `<code>${esc(m)}</code>`);
  const rest = missing.length - named.length;
  const what = missing.length === 1 ? '1 model feature is' : `${missing.length} model features are`;
  return `<div class="errors" role="alert"><p><strong class="bad">${what} missing from the current data:</strong> ${named.join(', ')}${
    rest > 0 ? `, and ${rest} more` : ''
  }.</p><p>The model needs them; they cannot be compared. Check the data's columns against the model's inputs.</p></div>`;
}

/** The drift report as one HTML document: nothing loaded from anywhere, one hashed script that it does not need. */
export async function renderDriftHtml(report: DriftReport): Promise<string> {
  // Reports written before `others` and `missingFeatures` existed have neither.
  const others = report.others ?? [];
  const missing = report.missingFeatures ?? [];
  const outputs = [report.prediction, report.target].filter((c): c is ColumnDrift => c !== null);
  const budget = { rows: HTML_MAX_ROWS, open: HTML_OPEN_DETAILS };
  const groups = [`<h3>Features</h3>\n${columnList(report.features, budget, false)}`];
  if (outputs.length > 0)
    groups.push(
      `<h3>Prediction and target</h3>\n<p class="muted">Not counted in the feature drift share.</p>\n${columnList(outputs, budget, true)}`,
    );
  if (others.length > 0)
    groups.push(
      `<h3>Other columns</h3>\n<p class="muted">In the data but not inputs of the model: compared for information, not counted in the drift share.</p>\n${columnList(others, budget, false)}`,
    );
  const status =
    report.verdict === 'not-enough-data'
      ? `<span class="verdict">Not enough data</span> ${esc(`(${report.current.rows} current rows, fewer than ${report.minCurrentRows}: the column tests are for information only).`)}`
      : report.drifted
        ? `<span class="verdict drift">Drift detected</span>`
        : `<span class="verdict ok">No dataset drift</span>`;
  const side = (s: DriftReport['reference']) =>
    `${esc(s.description)} (${s.rows.toLocaleString('en-US')} rows${s.source === 'profile' ? ', a stored profile' : ''})`;
  const nullRose =
    report.nullShareDriftedColumns.length > 0
      ? `<p>Null share rose in ${report.nullShareDriftedColumns.length} feature column${report.nullShareDriftedColumns.length === 1 ? '' : 's'} (${
          report.nullShareCounted ? 'counted as drift' : 'a signal of its own, not counted in the drift share'
        }).</p>`
      : '';
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src ${scriptHash(SCRIPT)}; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Drift check of ${report.subject}: ${report.verdict === 'not-enough-data' ? 'not enough data' : report.drifted ? 'drift' : 'no drift'}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Drift check of ${esc(report.subject)}</h1>
${missingHtml(missing)}
<p>${status} ${report.driftedColumns.length} of ${report.comparedFeatures} feature columns drifted (share ${esc(formatNumber(report.driftShare))}; dataset drift at ${esc(formatNumber(report.driftShareThreshold))} or more).</p>
${nullRose}
<p class="muted">Reference: ${side(report.reference)}. Current: ${side(report.current)}. Checked <time datetime="${esc(report.checkedAt)}">${esc(report.checkedAt)}</time>.</p>
</header>
<main>
<section id="columns">
<h2>Columns</h2>
<p class="muted">Drifted first, worst first. Open a column for its distributions, quantiles, categories and nulls. ≈: computed from a stored profile’s sketches.</p>
<div class="controls" id="controls" hidden><input type="search" id="filter" placeholder="Filter by column name" aria-label="Filter by column name"><label><input type="checkbox" id="flagged"> drifted only (values or nulls)</label><span id="shown" class="muted" aria-live="polite"></span></div>
${groups.join('\n')}
</section>
</main>
<script id="explore">${SCRIPT}</script>
</body>
</html>
`;
}
