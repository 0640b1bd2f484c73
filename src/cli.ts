#!/usr/bin/env node
import './shims.js';
/** mlops: every step from a terminal, over the same step functions the actions run. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import writeFileAtomic from 'write-file-atomic';
import { describeError, UserError } from './core/errors.js';
import { expandPaths } from './core/data/paths.js';
import { DATA_FORMATS } from './core/data/source.js';
import type { DataFormat } from './core/data/source.js';
import { mergeProfiles, PROFILE_FORMAT } from './core/profile/profile.js';
import type { DatasetProfile } from './core/profile/profile.js';
import { DEFAULT_MAX_DOMAIN_SIZE, inferSchema } from './core/schema/infer.js';
import { schemaToYaml } from './core/schema/schema.js';
import { scanData } from './core/validate/scan.js';
import { loadProjectConfig, projectRegistry, runLocalStep } from './adapters/local/run.js';
import { markdownToTerminal } from './adapters/local/terminal.js';
import { runEntry } from './entry.js';
import { addServeCommands } from './commands/serve.js';
import { addAlertRelayCommand } from './commands/alert-relay.js';
import { historyCommand } from './core/history/text.js';
import { PIPELINE, STEPS } from './steps/index.js';
import type { StepSpec } from './steps/spec.js';

const program = new Command('mlops')
  .description('ML pipelines as GitHub Actions, and from your terminal with local storage.')
  .version('0.1.0')
  // Options of the program go before a command, so a command's own --version (deploy) is its own.
  .enablePositionalOptions()
  .showHelpAfterError()
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

/** Runs a step locally; returns the exit code (0 ok, 1 the step failed). */
async function runStep(step: StepSpec, inputs: Map<string, string>): Promise<number> {
  const io = await runLocalStep(step, inputs);
  // Summaries are Markdown for GitHub; a terminal gets them as plain text (the report files keep the Markdown).
  for (const summary of io.summaries) process.stdout.write(`${markdownToTerminal(summary)}\n`);
  for (const [name, value] of io.outputs) process.stderr.write(`  ${name}: ${value}\n`);
  return io.failed === null ? 0 : 1;
}

for (const step of Object.values(STEPS)) {
  const command = program.command(step.name).description(step.description);
  for (const [name, input] of Object.entries(step.inputs)) {
    const option = new Option(input.list ? `--${name} <values...>` : `--${name} <value>`, input.description);
    if (input.choices) option.choices([...input.choices]);
    command.addOption(option);
  }
  command.action(async (options: Record<string, string | string[] | undefined>) => {
    const inputs = new Map<string, string>();
    for (const name of Object.keys(step.inputs)) {
      const value = options[camel(name)];
      if (value !== undefined) inputs.set(name, Array.isArray(value) ? value.join('\n') : value);
    }
    process.exitCode = await runStep(step, inputs);
  });
}

program
  .command('infer-schema')
  .description(
    'Infers a schema (types, nullability, ranges, categorical domains, row-count bounds) from data and prints it as YAML to edit and commit.',
  )
  .argument('<data...>', 'data files or globs (CSV, TSV, JSON Lines, gzip too; Parquet)')
  .option('-o, --output <file>', 'write the schema to this file instead of standard output')
  .addOption(new Option('--format <format>', 'file format (default: from the file name)').choices(['auto', ...DATA_FORMATS]))
  .option(
    '--max-domain-size <n>',
    `string columns with at most this many distinct values get a domain (default: validate.max_domain_size in mlops.yaml, else ${DEFAULT_MAX_DOMAIN_SIZE})`,
  )
  .option('--config <file>', 'mlops.yaml to read null_values and defaults from')
  .action(async (data: string[], options: { output?: string; format?: 'auto' | DataFormat; maxDomainSize?: string; config?: string }) => {
    const loaded = await loadProjectConfig(options.config);
    const files = await expandPaths(data.map((p) => resolve(p)));
    const maxDomainSize =
      options.maxDomainSize !== undefined
        ? Number(options.maxDomainSize)
        : (loaded.config.validate.max_domain_size ?? DEFAULT_MAX_DOMAIN_SIZE);
    if (!Number.isInteger(maxDomainSize) || maxDomainSize < 0)
      throw new UserError(`--max-domain-size: "${options.maxDomainSize}" is not a whole number >= 0`);
    const scan = await scanData(files, {
      format: options.format ?? loaded.config.data.format ?? 'auto',
      nullValues: loaded.config.data.null_values,
      onProgress: (p) => process.stderr.write(`${p.file}: ${(p.bytesRead / 1e6).toFixed(0)} of ${(p.fileSize / 1e6).toFixed(0)} MB\n`),
    });
    if (scan.rows === 0)
      throw new UserError(`no data rows in ${data.join(', ')}`, 'A schema is inferred from data: give a file with rows.');
    const schema = inferSchema(scan.profile, { maxDomainSize });
    const yaml = schemaToYaml(
      schema,
      `Data schema inferred by \`mlops infer-schema\` from ${scan.rows} rows of ${data.join(', ')}.\nEdit it: bounds and domains are what this data held. Checks take plain values or { value, mostly, severity }.`,
    );
    if (options.output) {
      await writeFileAtomic(options.output, yaml);
      process.stderr.write(`wrote ${options.output} (${Object.keys(schema.columns).length} columns)\n`);
    } else process.stdout.write(yaml);
  });

program
  .command('merge-profiles')
  .description('Merges data profiles (profile.json from validate-data) of shards into the profile of all of them.')
  .argument('<profiles...>', 'profile.json files')
  .requiredOption('-o, --output <file>', 'where to write the merged profile')
  .action(async (paths: string[], options: { output: string }) => {
    let merged: DatasetProfile | null = null;
    for (const path of paths) {
      const profile = await readProfile(path);
      merged = merged === null ? profile : mergeProfiles(merged, profile);
    }
    await writeFileAtomic(options.output, `${JSON.stringify(merged)}\n`);
    process.stderr.write(
      `wrote ${options.output}: ${merged!.rows} rows, ${merged!.columns.length} columns from ${paths.length} profiles\n`,
    );
  });

program
  .command('run')
  .description(
    'Runs the whole loop on a project: validate-data, train, evaluate, register, deploy to an environment (default staging) and drift-check (when mlops.yaml has drift.current), with the registry of mlops.yaml (a local folder by default). Stops at the first step that fails.',
  )
  .option('--config <file>', "the project's mlops.yaml", 'mlops.yaml')
  .option('--environment <name>', 'the environment to deploy to', 'staging')
  .action(async (options: { config: string; environment: string }) => {
    const loaded = await loadProjectConfig(options.config);
    // The whole file was checked by that load: a typo anywhere stops here, before any work.
    const drift = (loaded.config.drift ?? {}) as Record<string, unknown>;
    const steps = PIPELINE.map((step) => step.name).filter((name) => name !== 'drift-check' || Boolean(drift.current));
    for (const name of steps) {
      process.stderr.write(`\n━━ ${name}\n`);
      const inputs = new Map([['config', options.config]]);
      if (name === 'deploy') inputs.set('environment', options.environment);
      const code = await runStep(STEPS[name]!, inputs);
      if (code !== 0) {
        process.stderr.write(`\n${name} failed: the pipeline stops here.\n`);
        process.exitCode = code;
        return;
      }
    }
  });

const registryCommand = program
  .command('registry')
  .description('The model registry: list versions, show one with its lineage, move aliases, pull a version.');
const withRegistry = async (options: { config?: string; registry?: string }) => {
  const loaded = await loadProjectConfig(options.config);
  return projectRegistry(loaded, options.registry);
};
const registryOptions = (command: Command) =>
  command
    .option('--config <file>', 'mlops.yaml (for the registry and the model name)')
    .option(
      '--registry <where>',
      'oci://host/namespace or a folder (default: registry.url or registry.path in mlops.yaml, else .mlops/registry beside it)',
    );

registryOptions(
  registryCommand
    .command('list')
    .description('Lists the versions of a model, with their aliases.')
    .argument('[model]', 'the model name (default: model.name in mlops.yaml)'),
).action(async (given: string | undefined, options: { config?: string; registry?: string }) => {
  const loaded = await loadProjectConfig(options.config);
  const model = given ?? loaded.config.model?.name;
  if (!model) throw new UserError('which model?', 'Name it (mlops registry list penguins), or set model.name in mlops.yaml (--config).');
  const registry = projectRegistry(loaded, options.registry);
  const versions = await registry.list(model, (n, reason) => process.stderr.write(`note: v${n} left out: ${reason}\n`));
  const aliases = await registry.aliases(model);
  for (const v of versions) {
    const names = Object.entries(aliases)
      .filter(([, n]) => n === v.version)
      .map(([a]) => a);
    process.stdout.write(`v${v.version}  ${v.digest}  ${v.createdAt}${names.length > 0 ? `  [${names.join(', ')}]` : ''}\n`);
  }
  if (versions.length === 0) process.stderr.write(`no versions of ${model} yet\n`);
});

registryOptions(
  registryCommand
    .command('show')
    .description('Shows one version (by number, alias or digest) as JSON: files, model card, blessing.')
    .argument('<model>')
    .argument('<ref>', 'a version number (3 or v3), an alias, or a digest'),
).action(async (model: string, ref: string, options: { config?: string; registry?: string }) => {
  const registry = await withRegistry(options);
  const version = await registry.resolve(model, ref);
  process.stdout.write(`${JSON.stringify(version, null, 2)}\n`);
  for (const problem of version.problems) process.stderr.write(`warning: ${problem}\n`);
});

registryOptions(
  registryCommand
    .command('alias')
    .description('Points an alias at a version (or removes it with --unset).')
    .argument('<model>')
    .argument('<alias>')
    .argument('[ref]', 'the version (number, alias or digest)')
    .option('--unset', 'remove the alias'),
).action(
  async (model: string, alias: string, ref: string | undefined, options: { config?: string; registry?: string; unset?: boolean }) => {
    const registry = await withRegistry(options);
    if (options.unset) {
      await registry.unsetAlias(model, alias);
      process.stderr.write(`${alias} removed\n`);
      return;
    }
    if (!ref) throw new UserError('which version should the alias point at?', `mlops registry alias ${model} ${alias} 3`);
    const version = await registry.resolve(model, ref);
    await registry.setAlias(model, alias, version.version);
    process.stderr.write(`${alias} -> v${version.version}\n`);
  },
);

registryOptions(
  registryCommand.command('history').description('Shows every change of an alias.').argument('<model>').argument('<alias>'),
).action(async (model: string, alias: string, options: { config?: string; registry?: string }) => {
  const registry = await withRegistry(options);
  for (const event of await registry.aliasHistory(model, alias)) {
    process.stdout.write(`${event.at}  ${event.version === null ? 'unset' : `v${event.version}`}\n`);
  }
});

registryOptions(
  registryCommand
    .command('pull')
    .description("Copies a version's files into a folder, verifying every file's digest.")
    .argument('<model>')
    .argument('<ref>')
    .requiredOption('-o, --output <dir>', 'where the model files go'),
).action(async (model: string, ref: string, options: { config?: string; registry?: string; output: string }) => {
  const registry = await withRegistry(options);
  const version = await registry.pull(model, ref, resolve(options.output));
  process.stderr.write(`pulled ${model} v${version.version} (${version.files.length} files) into ${options.output}\n`);
});

registryOptions(
  program
    .command('history')
    .description(
      "A model's history from the registry: each version with its commit, when it was evaluated, whether it was blessed, its aliases and its test metrics (with their intervals when the evaluation computed them); or two versions compared.",
    )
    .argument('[model]', 'the model name (default: model.name in mlops.yaml)')
    .option('--last <n>', 'only the last N versions (default: every version)')
    .option('--metric <name>', 'show this test metric with its interval instead of the main ones (with --compare: only this metric)')
    .option(
      '--compare <refs...>',
      'two versions, each a number (3 or v3), an alias (production) or a digest: every metric of both, the second minus the first, and the intervals',
    )
    .option('--json', 'print JSON (the version records, or the comparison) instead of a table'),
).action(
  async (
    given: string | undefined,
    options: { config?: string; registry?: string; last?: string; metric?: string; compare?: string[]; json?: boolean },
  ) => {
    const loaded = await loadProjectConfig(options.config);
    const model = given ?? loaded.config.model?.name;
    if (!model) throw new UserError('which model?', 'Name it (mlops history penguins), or set model.name in mlops.yaml (--config).');
    const last = options.last === undefined ? undefined : Number(options.last);
    if (last !== undefined && (options.last!.trim() === '' || !Number.isSafeInteger(last) || last < 1))
      throw new UserError(`--last: "${options.last}" is not a whole number of at least 1`, 'For the last 10 versions: --last 10.');
    const compare = options.compare;
    if (compare && compare.length !== 2)
      throw new UserError(
        `--compare takes two versions, not ${compare.length} (${compare.join(' ')})`,
        `For example: mlops history ${model} --compare production 7`,
      );
    const registry = projectRegistry(loaded, options.registry);
    const output = await historyCommand(registry, model, {
      last,
      metric: options.metric,
      compare: compare ? [compare[0]!, compare[1]!] : undefined,
      json: options.json === true,
    });
    for (const warning of output.warnings) process.stderr.write(`note: ${warning}\n`);
    process.stdout.write(output.stdout);
  },
);

addServeCommands(program);
addAlertRelayCommand(program);

// For scripts/gen-metadata.mjs: the step specs that action.yml files and README tables are generated from.
program.command('spec', { hidden: true }).action(() => {
  const specs = Object.values(STEPS).map(({ name, title, description, inputs, outputs }) => ({
    name,
    title,
    description,
    inputs,
    outputs,
  }));
  process.stdout.write(`${JSON.stringify(specs, null, 2)}\n`);
});

async function readProfile(path: string): Promise<DatasetProfile> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UserError(`cannot read profile ${path}: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== PROFILE_FORMAT) {
    throw new UserError(
      `${path} is not a data profile (expected "format": "${PROFILE_FORMAT}")`,
      'Use the profile.json that validate-data writes.',
    );
  }
  return value as DatasetProfile;
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

await runEntry(import.meta.url, async () => {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed the problem (or the help): 0 for --help and --version, 2 for bad usage.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`mlops: ${describeError(error)}\n`);
    process.exitCode = 2;
  }
});
