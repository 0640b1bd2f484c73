/**
 * The monitoring assets in monitoring/ (Prometheus alerting rules, their promtool unit tests, the
 * Grafana dashboard), judged by promtool and by a live server's /metrics:
 * - `promtool check rules` passes on the rules; `promtool test rules` passes on their unit tests, which
 *   cover every alert firing and not firing;
 * - every alert has `for:`, a severity, a summary, a description and a runbook link to its section of
 *   monitoring/README.md, whose alert table states the rule's thresholds;
 * - the dashboard is valid JSON with unique panel ids and non-overlapping grid positions, every query is
 *   valid PromQL (each expression, its template variables given values, goes through `promtool check
 *   rules` as a recording rule), and every variable it uses is defined;
 * - every metric the rules and the dashboard name is one the server exports (the `# HELP` lines of
 *   GET /metrics of an InferenceServer started here, as test/serve-limits.test.ts starts one).
 *
 * Without promtool (Debian's prometheus package) the promtool checks are skipped locally and fail on CI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { Table } from '../src/core/data/table.js';
import type { ModelSignature } from '../src/core/model/model.js';
import { ServedModel } from '../src/core/serve/model.js';
import { InferenceServer } from '../src/core/serve/server.js';
import type { ModelSource } from '../src/core/serve/source.js';

const MONITORING = join(process.cwd(), 'monitoring');
const RULES_FILE = join(MONITORING, 'prometheus', 'mlops-serve-alerts.yml');
const RULES_TEST_FILE = join(MONITORING, 'prometheus', 'mlops-serve-alerts.test.yml');
const DASHBOARD_FILE = join(MONITORING, 'grafana', 'mlops-serve-dashboard.json');
const README_FILE = join(MONITORING, 'README.md');

const promtoolInstalled = spawnSync('promtool', ['--version']).status === 0;
if (!promtoolInstalled && process.env.CI === 'true') throw new Error("promtool is missing on CI: install Debian's prometheus package");
const withPromtool = promtoolInstalled ? test : test.skip;
const SKIPPED = promtoolInstalled ? '' : ' (skipped: promtool is not installed; apt-get install prometheus)';

/** Runs promtool; `status` 0 is success, `output` is what it printed. */
function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

// ---------------------------------------------------------------------------------------------
// PromQL helpers

/** Expressions to check, each with where it comes from. */
interface Query {
  where: string;
  expr: string;
}

/**
 * Runs `promtool check rules` on the expressions, each as a recording rule in a group named after
 * where it comes from (promtool names the group of an expression it cannot parse).
 */
function checkPromql(queries: Query[]): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-promql-'));
  try {
    const groups = queries.map((q, i) => ({ name: `${i}: ${q.where}`, rules: [{ record: `check:expr_${i}`, expr: q.expr }] }));
    const file = join(dir, 'rules.yml');
    writeFileSync(file, toYaml({ groups }));
    return promtool('check', 'rules', file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PROMQL_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'atan2',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression selects: identifiers that are not functions, keywords or
 * label names (strings, comments, label matchers, ranges and label lists removed first).
 */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/#.*$/gm, '')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ');
  const names = new Set<string>();
  for (const m of bare.matchAll(/[A-Za-z_:][\w:]*|\d[\w.]*/g)) {
    const token = m[0];
    if (/^\d/.test(token) || PROMQL_KEYWORDS.has(token.toLowerCase())) continue;
    if (
      bare
        .slice(m.index + token.length)
        .trimStart()
        .startsWith('(')
    )
      continue; // a function or an aggregation
    names.add(token);
  }
  return [...names].sort();
}

/** The metric names a /metrics text declares (`# HELP`), with the series names of histograms and summaries. */
function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name] of text.matchAll(/^# HELP (\S+)/gm)) names.add(name!);
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\w+)/gm)) {
    const suffixes = type === 'histogram' ? ['_bucket', '_sum', '_count'] : type === 'summary' ? ['_sum', '_count'] : [];
    for (const suffix of suffixes) names.add(`${name}${suffix}`);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// The alerting rules

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RulesFile {
  groups: Array<{ name: string; rules: Rule[] }>;
}
interface RulesTestFile {
  rule_files: string[];
  tests: Array<{ alert_rule_test?: Array<{ alertname: string; eval_time: string; exp_alerts?: unknown[] }> }>;
}

const rulesFile = parseYaml(readFileSync(RULES_FILE, 'utf8')) as RulesFile;
const rules = rulesFile.groups.flatMap((g) => g.rules);
const alerts = rules.filter((r): r is Rule & { alert: string } => r.alert !== undefined);
const records = rules.filter((r): r is Rule & { record: string } => r.record !== undefined);
const readme = readFileSync(README_FILE, 'utf8');

/** The PromQL of the `query` calls of an annotation template: the strings that name a metric, `%q` given a value. */
function annotationQueries(template: string): string[] {
  const strings = [...template.matchAll(/`([^`]*)`|"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? m[2]!);
  return strings.filter((s) => /\bmlops_serve_\w/.test(s) && !s.includes('{{')).map((s) => s.replaceAll('%q', '"x"'));
}

/** Every PromQL expression of the rules file: each rule's expr and the queries of its annotations. */
function ruleQueries(): Query[] {
  return rules.flatMap((r) => [
    { where: `rule ${r.alert ?? r.record}`, expr: r.expr },
    ...Object.entries(r.annotations ?? {}).flatMap(([key, text]) =>
      annotationQueries(text).map((expr) => ({ where: `annotation ${key} of ${r.alert ?? r.record}`, expr })),
    ),
  ]);
}

/** GitHub's anchor of a Markdown heading. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The thresholds written in an expression: `op number` on each line that ends in `# threshold...`. */
function thresholdsOf(expr: string): string[] {
  return [...expr.matchAll(/([<>=!]=|[<>+])\s*(-?\d+(?:\.\d+)?)\s*# threshold/g)].map((m) => `${m[1]} ${m[2]}`);
}

describe('Prometheus alerting rules', () => {
  withPromtool(`promtool check rules passes${SKIPPED}`, () => {
    const check = promtool('check', 'rules', RULES_FILE);
    expect({ status: check.status, output: check.output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  withPromtool(`promtool test rules passes: every alert fires, and stays quiet, where its tests say${SKIPPED}`, () => {
    const run = promtool('test', 'rules', RULES_TEST_FILE);
    expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  withPromtool(`the queries of the annotation templates are valid PromQL${SKIPPED}`, () => {
    const queries = ruleQueries().filter((q) => q.where.startsWith('annotation'));
    expect(queries.length).toBeGreaterThanOrEqual(4);
    const check = checkPromql(queries);
    expect({ status: check.status, output: check.output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  test('the unit tests cover every alert, firing and not firing, and only alerts of the rules', () => {
    const testFile = parseYaml(readFileSync(RULES_TEST_FILE, 'utf8')) as RulesTestFile;
    expect(testFile.rule_files).toEqual(['mlops-serve-alerts.yml']);
    const cases = testFile.tests.flatMap((t) => t.alert_rule_test ?? []);
    const coverage = Object.fromEntries(
      alerts.map((a) => {
        const own = cases.filter((c) => c.alertname === a.alert);
        return [
          a.alert,
          { fires: own.some((c) => (c.exp_alerts ?? []).length > 0), quiet: own.some((c) => (c.exp_alerts ?? []).length === 0) },
        ];
      }),
    );
    expect(coverage).toEqual(Object.fromEntries(alerts.map((a) => [a.alert, { fires: true, quiet: true }])));
    const known = new Set(alerts.map((a) => a.alert));
    expect(cases.map((c) => c.alertname).filter((name) => !known.has(name))).toEqual([]);
  });

  test('every alert has for:, a severity, a summary, a description and a runbook link to its section of monitoring/README.md', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(12);
    const anchors = new Set([...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)));
    const problems = alerts.flatMap((a) => {
      const found: string[] = [];
      if (!/^\d+[smh]$/.test(a.for ?? '')) found.push(`for: ${a.for}`);
      if (!['critical', 'warning'].includes(a.labels?.severity ?? '')) found.push(`severity ${a.labels?.severity}`);
      for (const key of ['summary', 'description']) if (!a.annotations?.[key]?.includes('{{')) found.push(`${key} shows no value or label`);
      const runbook = /monitoring\/README\.md#([\w-]+)$/.exec(a.annotations?.runbook_url ?? '');
      if (runbook?.[1] !== anchorOf(a.alert)) found.push(`runbook_url ${a.annotations?.runbook_url}`);
      else if (!anchors.has(runbook[1])) found.push(`no section "${a.alert}" in monitoring/README.md`);
      return found.map((p) => `${a.alert}: ${p}`);
    });
    expect(problems).toEqual([]);
  });

  test("monitoring/README.md's alert table states each alert's severity, for: and thresholds as the rules do", () => {
    const problems = alerts.flatMap((a) => {
      const row = readme.split('\n').find((line) => line.startsWith(`| [${a.alert}](#${anchorOf(a.alert)})`));
      if (!row) return [`${a.alert}: no row in the alert table`];
      // The thresholds of the alert's expr and of the recording rules it reads (the minimum rows).
      const used = records.filter((r) => a.expr.includes(r.record));
      const thresholds = [...thresholdsOf(a.expr), ...used.flatMap((r) => thresholdsOf(r.expr))];
      const expected = [a.labels?.severity ?? '?', a.for ?? '?', ...thresholds];
      return expected.filter((text) => !row.includes(`\`${text}\``)).map((text) => `${a.alert}: the row lacks \`${text}\``);
    });
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The Grafana dashboard

interface Target {
  refId: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  type: string;
  name: string;
  query: string | { query: string };
  definition?: string;
  datasource?: { type?: string; uid?: string };
}
interface Dashboard {
  schemaVersion: number;
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
  annotations: { list: Array<{ name: string; expr?: string; datasource?: { type?: string; uid?: string } }> };
}

const dashboardText = readFileSync(DASHBOARD_FILE, 'utf8');
/** Every panel, those inside collapsed rows too. */
function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}
/** The values the template variables are given for checking (Grafana's own included). */
const VARIABLE_VALUES: Record<string, string> = {
  __rate_interval: '5m',
  __interval: '1m',
  __range: '1h',
  job: 'mlops-serve',
  version: '3',
  feature: 'bill_length_mm',
};
const variableQuery = (v: Variable) => (typeof v.query === 'string' ? v.query : v.query.query);

/** Every PromQL expression of the dashboard, with where it is; variable queries give their series selector. */
function dashboardQueries(dashboard: Dashboard): Query[] {
  const targets = allPanels(dashboard).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `panel ${p.id} "${p.title}" ${t.refId}`, expr: t.expr ?? '' })),
  );
  const variables = dashboard.templating.list
    .filter((v) => v.type === 'query')
    .map((v) => {
      const labelValues = /^label_values\((.+),\s*\w+\)$/.exec(variableQuery(v));
      return { where: `variable ${v.name}`, expr: labelValues ? labelValues[1]! : `not label_values(): ${variableQuery(v)}` };
    });
  const annotations = dashboard.annotations.list
    .filter((a) => a.expr !== undefined)
    .map((a) => ({ where: `annotation ${a.name}`, expr: a.expr! }));
  return [...targets, ...variables, ...annotations];
}

/** The expression with its template variables replaced by values (`$name`, `${name}`, `[[name]]`). */
function withValues(expr: string): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (whole, a?: string, b?: string, c?: string) => {
    const value = VARIABLE_VALUES[(a ?? b ?? c)!];
    return value ?? whole;
  });
}

describe('Grafana dashboard', () => {
  test('is valid JSON, schemaVersion 39, with a Prometheus datasource variable and version and feature from label_values', () => {
    const dashboard = JSON.parse(dashboardText) as Dashboard;
    expect(dashboard.schemaVersion).toBe(39);
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    const variables = Object.fromEntries(dashboard.templating.list.map((v) => [v.name, v]));
    expect(variables.datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const name of ['version', 'feature']) {
      expect(variables[name]).toMatchObject({ type: 'query', datasource: { type: 'prometheus', uid: '${datasource}' } });
      expect(variableQuery(variables[name]!)).toMatch(new RegExp(`^label_values\\(mlops_serve_\\w+(\\{[^}]*\\})?, ${name}\\)$`));
    }
  });

  test('panel ids are unique and grid positions lie within the 24 columns without overlapping', () => {
    const panels = allPanels(JSON.parse(dashboardText) as Dashboard);
    expect(panels.length).toBeGreaterThanOrEqual(15);
    const ids = panels.map((p) => p.id);
    expect(ids.filter((id, i) => !Number.isInteger(id) || ids.indexOf(id) !== i)).toEqual([]);
    const outside = panels.filter(({ gridPos: g }) => !g || !(g.x >= 0 && g.w >= 1 && g.x + g.w <= 24 && g.y >= 0 && g.h >= 1));
    expect(outside.map((p) => p.title)).toEqual([]);
    const overlaps: string[] = [];
    panels.forEach((a, i) =>
      panels.slice(i + 1).forEach((b) => {
        const [p, q] = [a.gridPos, b.gridPos];
        if (p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h) overlaps.push(`${a.title} / ${b.title}`);
      }),
    );
    expect(overlaps).toEqual([]);
  });

  test('every panel and query reads the datasource variable, and every variable an expression uses is defined', () => {
    const parsed = JSON.parse(dashboardText) as Dashboard;
    const datasource = { type: 'prometheus', uid: '${datasource}' };
    const queried = allPanels(parsed).filter((p) => p.type !== 'row');
    expect(queried.filter((p) => !p.targets?.length).map((p) => p.title)).toEqual([]);
    const wrong = [
      ...queried.filter((p) => JSON.stringify(p.datasource) !== JSON.stringify(datasource)).map((p) => p.title),
      ...queried.flatMap((p) =>
        (p.targets ?? []).filter((t) => JSON.stringify(t.datasource) !== JSON.stringify(datasource)).map((t) => `${p.title} ${t.refId}`),
      ),
    ];
    expect(wrong).toEqual([]);
    const defined = new Set([...parsed.templating.list.map((v) => v.name), ...Object.keys(VARIABLE_VALUES)]);
    const undefinedUses = dashboardQueries(parsed).flatMap((q) =>
      [...q.expr.matchAll(/\$\{(\w+)|\$(\w+)|\[\[(\w+)/g)]
        .map((m) => (m[1] ?? m[2] ?? m[3])!)
        .filter((name) => !defined.has(name))
        .map((name) => `${q.where}: $${name}`),
    );
    expect(undefinedUses).toEqual([]);
  });

  withPromtool(`every expression is valid PromQL, its variables given values (and a broken one is not)${SKIPPED}`, () => {
    const queries = dashboardQueries(JSON.parse(dashboardText) as Dashboard).map((q) => ({ ...q, expr: withValues(q.expr) }));
    expect(queries.length).toBeGreaterThanOrEqual(25);
    const check = checkPromql(queries);
    expect({ status: check.status, output: check.output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
    // The same check fails on an expression that does not parse, and says where it is.
    const broken = checkPromql([...queries, { where: 'a broken one', expr: 'sum by (version) (rate(mlops_serve_predictions_total[5m])' }]);
    expect(broken.status).not.toBe(0);
    expect(broken.output).toMatch(/a broken one/);
  });
});

// ---------------------------------------------------------------------------------------------
// The metrics the rules and the dashboard use, against those a live server exports

const SIGNATURE: ModelSignature = {
  features: [
    { name: 'x', type: 'number' },
    { name: 'c', type: 'string' },
  ],
  target: { name: 'y', task: 'classification', classes: ['a', 'b'] },
  probabilities: true,
};

/** A served model that answers 0.25/0.75 for every row (test/serve-limits.test.ts's). */
function fakeModel(): ServedModel {
  const model = {
    algorithm: 'fake',
    signature: SIGNATURE,
    predict: async (_table: Table, rows: readonly number[]) =>
      Float64Array.from({ length: rows.length * 2 }, (_, i) => (i % 2 ? 0.75 : 0.25)),
    dispose: () => undefined,
  };
  return new ServedModel({ name: 'm', version: 1, digest: 'sha256:1', uri: 'local://m/1' }, { model, card: null });
}

describe('metric names', () => {
  let exported: Set<string>;

  beforeAll(async () => {
    const server = new InferenceServer({
      source: { name: 'm' } as unknown as ModelSource,
      initial: fakeModel(),
      follow: null,
      pollSeconds: 0,
      adminToken: null,
    });
    try {
      const port = await server.listen(0, '127.0.0.1');
      const base = `http://127.0.0.1:${port}`;
      const predicted = await fetch(`${base}/v1/models/m:predict`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ instances: [{ x: 1, c: 'u' }] }),
      });
      expect(predicted.status).toBe(200);
      const response = await fetch(`${base}/metrics`);
      expect(response.status).toBe(200);
      exported = exportedNames(await response.text());
    } finally {
      await server.close(1000);
    }
  });

  /** The names `queries` use that the server does not export, each with where it is used. */
  function missing(queries: Query[], alsoDefined: Set<string>): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const q of queries)
      for (const name of metricNames(q.expr)) if (!exported.has(name) && !alsoDefined.has(name)) (out[name] ??= []).push(q.where);
    return out;
  }

  test('the extractor finds the metrics of an expression and nothing else', () => {
    const expr = `# a comment naming not_a_metric
      sum by (version, le) (rate(a_bucket{job=~"$job", route="b_total"}[5m] offset 10m))
      / on (version) group_left (role) max without (instance) (c_info == bool 1)
      unless ignoring (model) histogram_quantile(0.99, d:recorded) > 1e3 and e_seconds @ start()`;
    expect(metricNames(expr)).toEqual(['a_bucket', 'c_info', 'd:recorded', 'e_seconds']);
    expect(exportedNames('# HELP h_seconds x\n# TYPE h_seconds histogram\n# HELP g_total y\n')).toEqual(
      new Set(['h_seconds', 'h_seconds_bucket', 'h_seconds_sum', 'h_seconds_count', 'g_total']),
    );
  });

  test('the server exports the metrics it has long had (the names are read from /metrics)', () => {
    for (const name of ['mlops_serve_requests_total', 'mlops_serve_prediction_duration_seconds_bucket', 'mlops_serve_model_info'])
      expect(exported).toContain(name);
  });

  test('every metric the alerting rules use is one the server exports (or a recording rule of the file)', () => {
    const queries = ruleQueries();
    expect(queries.flatMap((q) => metricNames(q.expr)).length).toBeGreaterThanOrEqual(alerts.length);
    expect(missing(queries, new Set(records.map((r) => r.record)))).toEqual({});
  });

  test('every metric the dashboard uses is one the server exports', () => {
    const queries = dashboardQueries(JSON.parse(dashboardText) as Dashboard);
    expect(missing(queries, new Set())).toEqual({});
  });
});
