// Writes actions/<step>/action.yml, the root action.yml and the README's input/output
// tables from the step specs in src/steps (read through the built CLI).
// `--check` writes nothing and exits 1 when a file is out of date.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { stringify } from 'yaml';

const check = process.argv.includes('--check');
const specs = JSON.parse(execFileSync(process.execPath, ['dist/cli/index.js', 'spec'], { encoding: 'utf8' }));
const header = (source) => `# Generated from ${source} by \`npm run gen\`: edit that, not this file.\n`;
const stale = [];

function put(path, text) {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (current === text) return;
  if (check) stale.push(path);
  else {
    mkdirSync(path.split('/').slice(0, -1).join('/') || '.', { recursive: true });
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}

function describeInput(input) {
  return input.description;
}

for (const spec of specs) {
  const inputs = Object.fromEntries(
    Object.entries(spec.inputs).map(([name, input]) => [
      name,
      { description: describeInput(input), required: false, ...(input.actionDefault ? { default: input.actionDefault } : {}) },
    ]),
  );
  const outputs = Object.fromEntries(Object.entries(spec.outputs).map(([name, output]) => [name, { description: output.description }]));
  const action = {
    name: `mlops ${spec.name}`,
    description: spec.description,
    author: 'mlops-actions',
    branding: { icon: 'check-circle', color: 'blue' },
    inputs,
    outputs,
    runs: { using: 'node24', main: `../../dist/${spec.name}/index.js` },
  };
  put(`actions/${spec.name}/action.yml`, header(`src/steps/${spec.name}.ts`) + stringify(action, { lineWidth: 0 }));
}

// The root action runs any working step, chosen by `step`; it takes the union of their inputs.
const rootInputs = { step: { description: `The step to run: ${specs.map((s) => s.name).join(', ')}.`, required: true } };
const rootOutputs = {};
// An input or output several steps share gets each step's own description.
const joined = (entries) =>
  entries.length === 1 ? `(${entries[0][0]}) ${entries[0][1]}` : entries.map(([step, text]) => `${step}: ${text}`).join(' | ');
const inputTexts = new Map();
const outputTexts = new Map();
for (const spec of specs) {
  for (const [name, input] of Object.entries(spec.inputs)) {
    inputTexts.set(name, [...(inputTexts.get(name) ?? []), [spec.name, describeInput(input)]]);
    rootInputs[name] ??= { description: '', required: false, ...(input.actionDefault ? { default: input.actionDefault } : {}) };
  }
  for (const [name, output] of Object.entries(spec.outputs)) {
    outputTexts.set(name, [...(outputTexts.get(name) ?? []), [spec.name, output.description]]);
    rootOutputs[name] ??= { description: '' };
  }
}
for (const [name, entries] of inputTexts) rootInputs[name].description = joined(entries);
for (const [name, entries] of outputTexts) rootOutputs[name].description = joined(entries);
put(
  'action.yml',
  header('src/steps/*.ts') +
    stringify(
      {
        name: 'mlops-actions',
        description: 'CI/CD/CT for machine learning on GitHub Actions: runs one step of the pipeline, chosen by the `step` input.',
        author: 'mlops-actions',
        branding: { icon: 'check-circle', color: 'blue' },
        inputs: rootInputs,
        outputs: rootOutputs,
        runs: { using: 'node24', main: 'dist/main/index.js' },
      },
      { lineWidth: 0 },
    ),
);

// README tables between <!-- step:NAME:start --> and <!-- step:NAME:end -->.
const cell = (text) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
let readme = readFileSync('README.md', 'utf8');
for (const spec of specs) {
  const table = [
    '| Input | Description |',
    '| --- | --- |',
    ...Object.entries(spec.inputs).map(([name, input]) => `| \`${name}\` | ${cell(input.description)} |`),
    '',
    '| Output | Description |',
    '| --- | --- |',
    ...Object.entries(spec.outputs).map(([name, output]) => `| \`${name}\` | ${cell(output.description)} |`),
  ].join('\n');
  const start = `<!-- step:${spec.name}:start -->`;
  const end = `<!-- step:${spec.name}:end -->`;
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} ... ${end} block for ${spec.name}`);
  readme = `${readme.slice(0, i + start.length)}\n${table}\n${readme.slice(j)}`;
}
put('README.md', readme);

if (check && stale.length > 0) {
  console.error(`out of date (run npm run gen): ${stale.join(', ')}`);
  process.exit(1);
}
