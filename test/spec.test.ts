/** The one rule every input is resolved by: input > params file > mlops.yaml > default. */
import { z } from 'zod';
import { projectConfig } from '../src/core/config/config.js';
import type { LoadedConfig } from '../src/core/config/config.js';
import type { StepContext } from '../src/steps/context.js';
import { booleanInput, InputError, listInput, numberInput, resolveInput, stringInput } from '../src/steps/spec.js';
import type { StepSpec } from '../src/steps/spec.js';
import { RecordingIO } from './support/recording-io.js';

const step: StepSpec = {
  name: 'demo',
  title: 'Demo',
  description: 'A step for the resolution rule.',
  inputs: {
    epochs: { description: 'Epochs.', config: 'train.epochs', type: 'integer', min: 1, max: 10000, default: '1000' },
    rate: { description: 'Rate.', config: 'train.learning_rate', type: 'number' },
    cache: { description: 'Cache.', type: 'boolean', default: 'true' },
    algorithm: { description: 'Algorithm.', config: 'train.algorithm', choices: ['mlp', 'linear'], default: 'mlp' },
    data: { description: 'Data.', config: 'data.path', list: true },
    note: { description: 'Free text, no default.' },
  },
  outputs: {},
  run: async () => {},
};

function context(inputs: Record<string, string>, config: Record<string, unknown>): StepContext {
  const loaded: LoadedConfig = { config: config as LoadedConfig['config'], file: null, baseDir: '.' };
  return { io: new RecordingIO(inputs), config: loaded } as unknown as StepContext;
}

describe('input resolution', () => {
  test('the input wins over the params file, which wins over mlops.yaml, which wins over the default', () => {
    const config = { train: { epochs: 50 } };
    expect(resolveInput(context({ epochs: '7' }, config), step, 'epochs', { epochs: 9 })).toEqual({ value: 7, source: 'input' });
    expect(resolveInput(context({}, config), step, 'epochs', { epochs: 9 })).toEqual({ value: 9, source: 'params file' });
    expect(resolveInput(context({}, config), step, 'epochs')).toEqual({ value: 50, source: 'mlops.yaml' });
    expect(resolveInput(context({}, {}), step, 'epochs')).toEqual({ value: 1000, source: 'default' });
    expect(resolveInput(context({}, {}), step, 'note')).toBeUndefined();
  });

  test('numbers are parsed once, with their bounds, naming where the value came from', () => {
    expect(numberInput(context({ rate: '0.01' }, {}), step, 'rate')).toBe(0.01);
    expect(() => numberInput(context({ epochs: '1.5' }, {}), step, 'epochs')).toThrow(
      /input epochs: "1.5" \(input\) is not a whole number/,
    );
    expect(() => numberInput(context({ epochs: 'ten' }, {}), step, 'epochs')).toThrow(InputError);
    expect(() => numberInput(context({ rate: 'Infinity' }, {}), step, 'rate')).toThrow(/not a number/);
    expect(() => numberInput(context({}, { train: { epochs: 0 } }), step, 'epochs')).toThrow(/0 \(train.epochs in mlops.yaml\) is below 1/);
    expect(() => numberInput(context({}, {}), step, 'epochs', { epochs: 20000 })).toThrow(/epochs in the params file\) is above 10000/);
  });

  test('choices and true/false are checked', () => {
    expect(() => stringInput(context({ algorithm: 'svm' }, {}), step, 'algorithm')).toThrow(/"svm" \(input\) is not one of mlp, linear$/);
    expect(() => stringInput(context({}, { train: { algorithm: 'svm' } }), step, 'algorithm')).toThrow(/train.algorithm in mlops.yaml/);
    expect(booleanInput(context({ cache: 'false' }, {}), step, 'cache')).toBe(false);
    expect(booleanInput(context({}, {}), step, 'cache')).toBe(true);
    expect(() => booleanInput(context({ cache: 'yes' }, {}), step, 'cache')).toThrow(/is not true or false/);
  });

  test('lists come one per line from an input, or as a string or list from mlops.yaml', () => {
    expect(listInput(context({ data: 'a.csv\n\n  b.csv  \r\n' }, {}), step, 'data')).toEqual(['a.csv', 'b.csv']);
    expect(listInput(context({}, { data: { path: 'x.csv' } }), step, 'data')).toEqual(['x.csv']);
    expect(listInput(context({}, { data: { path: ['x.csv', 'y.csv'] } }), step, 'data')).toEqual(['x.csv', 'y.csv']);
    expect(listInput(context({}, {}), step, 'data')).toEqual([]);
  });

  test('keys are own properties only: __proto__ and constructor in mlops.yaml resolve nothing', () => {
    const config = JSON.parse('{"train": {"__proto__": {"epochs": 3}}}') as Record<string, unknown>;
    expect(resolveInput(context({}, config), step, 'epochs')).toEqual({ value: 1000, source: 'default' });
    expect(resolveInput(context({}, {}), step, 'epochs', JSON.parse('{"constructor": 5}') as Record<string, unknown>)).toEqual({
      value: 1000,
      source: 'default',
    });
  });
});

describe('the project schema', () => {
  const schema = projectConfig({ train: z.strictObject({ epochs: z.number().int().optional() }) });

  test("a step's section is checked with the whole file, and a typo names its key path", () => {
    expect(schema.safeParse({ train: { epochs: 3 } }).success).toBe(true);
    const typo = schema.safeParse({ train: { epocs: 3 } });
    expect(typo.success).toBe(false);
    expect(JSON.stringify(typo.error?.issues)).toMatch(/epocs/);
  });

  test('unknown top-level keys are rejected', () => {
    expect(schema.safeParse({ trian: {} }).success).toBe(false);
  });
});
