/**
 * algorithm: auto and feature importance: the train step in process on the example
 * penguins (classification) and on made-up regression data, permutation importance on
 * a model whose answer is known, the choice among candidates, and the report sections
 * the model card adds (with hostile column names).
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readTable } from '../src/core/data/table.js';
import type { Table } from '../src/core/data/table.js';
import { cardSections, renderEvaluationMarkdown } from '../src/core/evaluate/markdown-report.js';
import type { ModelCard } from '../src/core/contracts/index.js';
import { openOnnxModel } from '../src/core/model/onnx-model.js';
import type { ModelSignature } from '../src/core/model/model.js';
import { permutationImportance } from '../src/core/train/importance.js';
import { bestCandidate } from '../src/core/train/leaderboard.js';
import { parseTrainParams } from '../src/core/train/params.js';
import { evaluate } from '../src/steps/evaluate.js';
import { train } from '../src/steps/train.js';
import { readContract } from '../src/core/contracts/index.js';
import { copyExample, makeTempDir, removeTempDirs } from './support/action-runner.js';
import { runStepInProcess } from './support/step-context.js';
import type { InProcessResult } from './support/step-context.js';

const RUN_ENV = {
  PATH: process.env.PATH ?? '',
  GITHUB_SHA: '0'.repeat(40),
  GITHUB_REPOSITORY: 'octo/ml',
  GITHUB_RUN_ID: '4242',
  GITHUB_REF: 'refs/heads/main',
};

afterAll(removeTempDirs);

function ok(result: InProcessResult): InProcessResult {
  if (result.failed) throw new Error(`${result.error?.message ?? result.io.failed}\n${result.io.log}`);
  return result;
}

const cardOf = (dir: string, result: InProcessResult): ModelCard =>
  JSON.parse(readFileSync(join(dir, result.outputs['model-dir']!, 'model-card.json'), 'utf8')) as ModelCard;

/** A seeded generator for made-up data. */
function generator(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
}

describe('algorithm: auto on the example penguins', () => {
  let dir: string;
  let result: InProcessResult;
  beforeAll(async () => {
    dir = await copyExample('mlops-auto-');
    await writeFile(join(dir, 'fast.yaml'), 'max_iter: 30\n');
    result = ok(
      await runStepInProcess(train, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', algorithm: 'auto', epochs: '30', params: 'fast.yaml', cache: 'false' },
        env: RUN_ENV,
      }),
    );
  });

  test('trains every candidate on the same split, keeps the best on validation accuracy, and says so', () => {
    const card = cardOf(dir, result);
    const leaderboard = card.leaderboard!;
    expect(leaderboard.map((entry) => entry.algorithm)).toEqual(['linear', 'mlp', 'gbdt']);
    expect(leaderboard.filter((entry) => entry.chosen)).toHaveLength(1);
    const chosen = leaderboard.find((entry) => entry.chosen)!;
    expect(card.trainer.kind === 'builtin' && card.trainer.algorithm).toBe(chosen.algorithm);
    expect(card.params.algorithm).toBe('auto');
    // The kept one has the best accuracy, and its validation metrics are the card's.
    const best = Math.max(...leaderboard.map((entry) => entry.validation.accuracy!));
    expect(chosen.validation.accuracy).toBe(best);
    expect(card.metrics.validation).toEqual(chosen.validation);
    // Same validation rows for every candidate.
    expect(new Set(leaderboard.map((entry) => entry.validation.count)).size).toBe(1);
    for (const entry of leaderboard) expect(entry.trainingMs).toBeGreaterThan(0);
    const logs = result.io.logs;
    for (const kind of ['linear', 'mlp', 'gbdt'])
      expect(logs).toContain(
        `── Training ${kind} on data/penguins.csv (auto: candidate ${['linear', 'mlp', 'gbdt'].indexOf(kind) + 1} of 3)`,
      );
    expect(logs.some((line) => line.includes('the highest accuracy (a tie broken by the lower log loss)'))).toBe(true);
    expect(logs.filter((line) => /^[ →] (linear|mlp|gbdt) +accuracy \d\.\d{4}/.test(line))).toHaveLength(3);
    expect(logs.filter((line) => line.endsWith('(kept)'))).toHaveLength(1);
  });

  test('the saved model.onnx is the kept candidate and predicts', async () => {
    const card = cardOf(dir, result);
    const modelDir = join(dir, result.outputs['model-dir']!);
    const table = await readTable([join(dir, 'data', 'penguins-test.csv')]);
    const model = await openOnnxModel(new Uint8Array(readFileSync(join(modelDir, 'model.onnx'))), {
      shownPath: 'model.onnx',
      algorithm: 'onnx',
      signature: card.signature as ModelSignature,
    });
    try {
      const rows = Array.from({ length: table.rows }, (_, i) => i);
      const output = await model.predict(table, rows);
      expect(output.length).toBe(table.rows * 3);
      const species = table.columns.find((c) => c.name === 'species')!;
      const classes = (card.signature!.target as { classes: string[] }).classes;
      let right = 0;
      for (const r of rows) {
        const p = Array.from(output.subarray(r * 3, r * 3 + 3));
        if (classes[p.indexOf(Math.max(...p))] === species.texts![r]) right++;
      }
      expect(right / table.rows).toBeGreaterThan(0.85);
    } finally {
      model.dispose();
    }
  });

  test('the card has the permutation importance of the kept model, most important first', () => {
    const importance = cardOf(dir, result).importance!;
    expect(importance).toMatchObject({ method: 'permutation', metric: 'accuracy', repeats: 5, on: 'validation' });
    expect(importance.features.map((f) => f.name).sort()).toEqual(
      ['bill_depth_mm', 'bill_length_mm', 'body_mass_g', 'flipper_length_mm', 'island', 'sex'].sort(),
    );
    const means = importance.features.map((f) => f.mean);
    expect(means).toEqual([...means].sort((a, b) => b - a));
    // Bill length separates Adelie from Chinstrap: no model does well without it.
    expect(importance.features.slice(0, 3).map((f) => f.name)).toContain('bill_length_mm');
    expect(result.io.logs.some((line) => line.startsWith('Feature importance: permutation, the drop in accuracy'))).toBe(true);
  });

  test("evaluate's report and pull request comment show the leaderboard and the importance from the card", async () => {
    const event = join(dir, 'event.json');
    await writeFile(
      event,
      JSON.stringify({
        action: 'synchronize',
        number: 7,
        pull_request: {
          number: 7,
          head: { ref: 'feature', sha: 'c'.repeat(40), repo: { full_name: 'octo/ml' } },
          base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'octo/ml' } },
        },
        repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
      }),
    );
    const evaluated = ok(
      await runStepInProcess(evaluate, {
        cwd: dir,
        inputs: { config: 'mlops.yaml', comment: 'false' },
        env: { GITHUB_RUN_ID: '4242', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'octo/ml' },
      }),
    );
    const report = readFileSync(join(dir, '.mlops', 'evaluate', 'report.md'), 'utf8');
    expect(report).toContain('### Model selection');
    expect(report).toContain('### Which features matter');
    const html = readFileSync(join(dir, '.mlops', 'evaluate', 'report.html'), 'utf8');
    expect(html).toContain('<h2>Model selection</h2>');
    expect(html).toContain('<h2>Which features matter</h2>');
    expect(report).toMatch(/\| `gbdt` \|[^\n]*\|/);
    expect(evaluated.io.summary).toContain('Model selection');
    const saved = await readContract('savedComment', join(dir, '.mlops', 'evaluate'));
    const titles = saved!.sections.map((section) => section.title);
    expect(titles.indexOf('Model selection')).toBeGreaterThan(titles.indexOf('Metrics'));
    expect(titles.indexOf('Which features matter')).toBeLessThan(titles.indexOf('Training'));
  });
});

describe('algorithm: auto for regression, and importance of a useless column', () => {
  test('keeps the best r2; the informative column matters most and a random one about 0', async () => {
    const dir = await makeTempDir('mlops-auto-regression-');
    const rand = generator(11);
    const lines = ['signal,noise,y'];
    for (let i = 0; i < 500; i++) {
      const signal = rand() * 10;
      const noise = rand() * 10;
      lines.push(`${signal.toFixed(4)},${noise.toFixed(4)},${(2 * signal + 1 + (rand() - 0.5) * 0.2).toFixed(4)}`);
    }
    await writeFile(join(dir, 'data.csv'), lines.join('\n') + '\n');
    await writeFile(join(dir, 'fast.yaml'), 'max_iter: 30\nlearning_rate: 0.05\n');
    const result = ok(
      await runStepInProcess(train, {
        cwd: dir,
        inputs: { data: 'data.csv', target: 'y', algorithm: 'auto', epochs: '30', params: 'fast.yaml', cache: 'false' },
        env: RUN_ENV,
      }),
    );
    const card = cardOf(dir, result);
    expect(card.task).toBe('regression');
    const leaderboard = card.leaderboard!;
    expect(leaderboard).toHaveLength(3);
    const chosen = leaderboard.find((entry) => entry.chosen)!;
    expect(chosen.validation.r2).toBe(Math.max(...leaderboard.map((entry) => entry.validation.r2!)));
    expect(chosen.validation.r2).toBeGreaterThan(0.9);
    expect(result.io.logs.some((line) => line.includes('the highest r2'))).toBe(true);
    const importance = card.importance!;
    expect(importance.metric).toBe('r2');
    expect(importance.features.map((f) => f.name)).toEqual(['signal', 'noise']);
    expect(importance.features[0]!.mean).toBeGreaterThan(1);
    expect(Math.abs(importance.features[1]!.mean)).toBeLessThan(0.05);
  });
});

describe('permutation importance', () => {
  /** A table of numeric columns. */
  function numericTable(columns: Record<string, number[]>): Table {
    const entries = Object.entries(columns);
    return {
      rows: entries[0]![1].length,
      files: [],
      columns: entries.map(([name, values]) => ({
        name,
        numbers: Float64Array.from(values),
        texts: null,
        present: values.length,
        numeric: values.length,
      })),
    };
  }

  test('a model that reads only `a`: `a` carries the whole drop, `b` exactly none; seeded, sampled to maxRows', async () => {
    const rand = generator(5);
    const a = Array.from({ length: 400 }, () => rand());
    const b = Array.from({ length: 400 }, () => rand());
    const y = a.map((v) => 3 * v);
    const table = numericTable({ a, b, y });
    const model = {
      signature: {
        features: [
          { name: 'b', type: 'number' as const },
          { name: 'a', type: 'number' as const },
        ],
        target: { name: 'y', task: 'regression' as const },
        probabilities: false,
      } as ModelSignature,
      predict: (t: Table, rows: readonly number[]) => {
        const column = t.columns.find((c) => c.name === 'a')!;
        return Promise.resolve(Float64Array.from(rows, (r) => 3 * column.numbers[r]!));
      },
    };
    const rows = Array.from({ length: 400 }, (_, i) => i);
    const first = (await permutationImportance(model, table, rows, 'y', { seed: 1, repeats: 4, maxRows: 300 }))!;
    expect(first).toMatchObject({ method: 'permutation', metric: 'r2', rows: 300, repeats: 4, baseline: 1 });
    expect(first.features.map((f) => f.name)).toEqual(['a', 'b']);
    // Shuffling an independent column of a perfect fit: r2 near −1 (drop near 2).
    expect(first.features[0]!.mean).toBeGreaterThan(1.5);
    expect(first.features[0]!.std).toBeGreaterThan(0);
    expect(first.features[1]).toEqual({ name: 'b', mean: 0, std: 0 });
    const again = await permutationImportance(model, table, rows, 'y', { seed: 1, repeats: 4, maxRows: 300 });
    expect(again).toEqual(first);
  });

  test('classification: accuracy, unknown classes left out; no labelled row is null', async () => {
    const table: Table = {
      rows: 4,
      files: [],
      columns: [
        { name: 'x', numbers: Float64Array.from([0, 1, 0, 1]), texts: null, present: 4, numeric: 4 },
        { name: 'label', numbers: new Float64Array(4).fill(NaN), texts: ['no', 'yes', 'no', 'maybe'], present: 4, numeric: 0 },
      ],
    };
    const model = {
      signature: {
        features: [{ name: 'x', type: 'number' as const }],
        target: { name: 'label', task: 'classification' as const, classes: ['no', 'yes'] },
        probabilities: true,
      } as ModelSignature,
      predict: (t: Table, rows: readonly number[]) => {
        const x = t.columns.find((c) => c.name === 'x')!.numbers;
        return Promise.resolve(Float64Array.from(rows.flatMap((r) => (x[r] === 1 ? [0.1, 0.9] : [0.9, 0.1]))));
      },
    };
    const result = (await permutationImportance(model, table, [0, 1, 2, 3], 'label', { seed: 3 }))!;
    expect(result).toMatchObject({ metric: 'accuracy', rows: 3, baseline: 1 });
    expect(await permutationImportance(model, table, [3], 'label', { seed: 3 })).toBeNull();
  });
});

describe('choosing among candidates, and the parameters of auto', () => {
  test('accuracy first, then the lower log loss; a missing metric ranks last; r2 for regression', () => {
    expect(bestCandidate('classification', [{ accuracy: 0.9 }, { accuracy: 0.95 }, { accuracy: 0.92 }])).toBe(1);
    expect(
      bestCandidate('classification', [
        { accuracy: 0.95, log_loss: 0.3 },
        { accuracy: 0.95, log_loss: 0.1 },
        { accuracy: 0.95, log_loss: null },
      ]),
    ).toBe(1);
    expect(bestCandidate('classification', [{ accuracy: null }, { accuracy: 0.5 }])).toBe(1);
    expect(bestCandidate('regression', [{ r2: 0.5 }, { r2: 0.7 }, { r2: null }])).toBe(1);
  });

  test("auto keeps only your keys (each candidate fills in its own defaults); a kind's key is still checked", () => {
    const params = parseTrainParams({ algorithm: 'auto', epochs: 30, max_iter: 20 }, 'test');
    expect(params).toMatchObject({ algorithm: 'auto', epochs: 30, max_iter: 20, seed: 42 });
    expect(params).not.toHaveProperty('hidden');
    expect(() => parseTrainParams({ algorithm: 'auto', max_iter: 0 }, 'test')).toThrow(/max_iter/);
    expect(() => parseTrainParams({ algorithm: 'forest' }, 'test')).toThrow(/auto/);
  });
});

describe('report sections from the model card', () => {
  const hostile = ['"quoted"', 'back`tick`', '__proto__', '<img src=x onerror=alert(1)>', 'a|b', '@octocat #1', ']] ; x-axis [', 'plain'];
  const card = {
    leaderboard: [
      { algorithm: 'linear', validation: { accuracy: 0.9, log_loss: 0.31 }, trainingMs: 1200, chosen: false },
      { algorithm: 'gbdt', validation: { accuracy: 0.97, log_loss: 0.12 }, trainingMs: 800, chosen: true },
    ],
    importance: {
      method: 'permutation',
      metric: 'accuracy',
      rows: 55,
      repeats: 5,
      on: 'validation',
      features: [...hostile, 'f9', 'f10', 'f11', 'f12'].map((name, i) => ({ name, mean: 0.5 - i * 0.05, std: 0.01 })),
    },
  } as unknown as ModelCard;

  test('Model selection: the leaderboard table with the kept candidate marked', () => {
    const [selection] = cardSections(card);
    expect(selection!.title).toBe('Model selection');
    expect(selection!.body).toContain('kept `gbdt`');
    expect(selection!.body).toContain('| `gbdt` | 0.97 | 0.12 | 0.8 s | ✅ |');
    expect(selection!.body).toContain('| `linear` | 0.9 | 0.31 | 1.2 s |  |');
  });

  test('Which features matter: top 10 in a Mermaid chart and a table, names escaped for both', () => {
    const section = cardSections(card)[1]!;
    expect(section.title).toBe('Which features matter');
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(section.body)![1]!;
    const axis = /x-axis \[(.*)\]/.exec(chart)![1]!;
    const labels = axis.match(/"[^"]*"/g)!;
    expect(labels).toHaveLength(10);
    // Every label is one quoted string of safe characters: nothing closes the list or the string early.
    expect(axis).toBe(labels.join(', '));
    for (const label of labels) expect(label).toMatch(/^"[\p{L}\p{N} _.+-]+"$/u);
    expect(labels[2]).toBe('"3 __proto__"');
    expect(chart).not.toMatch(/[<>`@#|]/);
    expect(chart).toContain('bar [0.5000, 0.4500,');
    const table = section.body.slice(section.body.indexOf('| #'));
    expect(table).toContain('| 3 | `__proto__` |');
    expect(table).toContain('| 2 | `` back`tick` `` |');
    expect(table).toContain('| 5 | `a\\|b` |');
    expect(table).toContain('`<img src=x onerror=alert(1)>`');
    expect(table.split('\n').filter((line) => /^\| \d+ \|/.test(line))).toHaveLength(10);
    expect(section.body).toContain('2 more features in the model card.');
  });

  test('a card without them adds nothing; the Markdown report appends them after the evaluation', () => {
    expect(cardSections({} as ModelCard)).toEqual([]);
    const report = {
      modelName: 'm',
      task: 'regression',
      taskReason: null,
      data: { files: ['t.csv'], rows: 1 },
      candidate: { source: 'model', metrics: { r2: 1, count: 1 } },
      baseline: null,
      blessing: { blessed: true, reasons: [], checks: [] },
      fidelity: null,
      curves: [],
      residuals: [],
      slices: [],
      links: [],
      evaluatedAt: '2026-01-01T00:00:00Z',
    } as unknown as Parameters<typeof renderEvaluationMarkdown>[0];
    const markdown = renderEvaluationMarkdown(report, cardSections(card));
    expect(markdown.indexOf('### Metrics')).toBeLessThan(markdown.indexOf('### Model selection'));
    expect(markdown.indexOf('### Model selection')).toBeLessThan(markdown.indexOf('### Which features matter'));
  });
});
