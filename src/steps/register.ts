/** register: make a blessed model an immutable, numbered version in the registry, optionally behind an alias. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { configPath, loadConfig } from '../core/config/config.js';
import type { LoadedConfig } from '../core/config/config.js';
import { UserError } from '../core/errors.js';
import { code, escapeText, formatNumber, table } from '../core/markdown.js';
import { LocalRegistry } from '../core/registry/local.js';
import { OciRegistry } from '../core/registry/oci.js';
import type { StepIO } from '../ports/step-io.js';
import { NAME_PATTERN } from '../ports/registry.js';
import type { ModelVersion, Registry } from '../ports/registry.js';
import { choiceInput } from './spec.js';
import type { StepSpec } from './spec.js';
import { outputDirFor, shown } from './validate-data.js';

export const register: StepSpec = {
  name: 'register',
  title: 'Register',
  description:
    'Registers a blessed model directory as the next immutable version of the model in the registry (a folder, or an OCI registry such as ghcr.io), with its model card and blessing, and optionally points an alias at it.',
  inputs: {
    config: { description: 'Path to mlops.yaml. Default: mlops.yaml in the working directory, when present.' },
    'model-dir': {
      description: "The model directory to register (train's model-dir output). Default: the train step's output beside mlops.yaml.",
    },
    model: { description: 'The model name in the registry. Default: model.name in mlops.yaml.' },
    blessing: { description: "evaluate's blessing.json. Default: the evaluate step's output beside mlops.yaml." },
    'allow-unblessed': {
      description: 'true to register a model without a blessing, or one that is not blessed. Default: false.',
      choices: ['true', 'false'],
    },
    alias: { description: 'An alias to point at the new version (for example staging or champion). Default: none.' },
    registry: {
      description:
        'The registry: oci://host/namespace (ghcr.io: oci://ghcr.io/<owner>) or a folder. Default: registry.url or registry.path in mlops.yaml, else the folder .mlops/registry beside mlops.yaml.',
    },
    token: {
      description: 'Token for an OCI registry (ghcr.io: the job needs permissions: packages: write). Default: the workflow token.',
      actionDefault: '${{ github.token }}',
    },
  },
  outputs: {
    version: { description: 'The new version number.' },
    digest: { description: 'The content digest of the version (sha256:...).' },
    uri: { description: 'Where the version lives, e.g. local://penguins/3.' },
  },
  async run(io: StepIO): Promise<void> {
    await runRegister(io);
  },
};

/**
 * The registry configured for a project: `oci://host/namespace` (an OCI registry such
 * as ghcr.io: ghcr.io/<owner>) or a folder, from the `registry` input, else
 * registry.url or registry.path in mlops.yaml, else .mlops/registry beside it.
 * OCI credentials: MLOPS_REGISTRY_TOKEN, else the `token` input (or GITHUB_TOKEN), else MLOPS_REGISTRY_USERNAME
 * and MLOPS_REGISTRY_PASSWORD; anonymous without them.
 */
export function registryFor(io: StepIO, loaded: LoadedConfig): Registry {
  const settings = (loaded.config.registry ?? {}) as Record<string, unknown>;
  const input = io.getInput('registry');
  const url = input.startsWith('oci://') ? input : !input && typeof settings.url === 'string' ? settings.url : null;
  if (url) {
    const match = /^oci:\/\/([^/]+)\/(.+?)\/?$/.exec(url);
    if (!match) throw new UserError(`registry "${url}" is not of the form oci://host/namespace`, 'For GitHub: oci://ghcr.io/<owner>.');
    // A registry's own token (a secret for a registry other than ghcr.io) wins over the workflow token.
    const token = process.env.MLOPS_REGISTRY_TOKEN || io.getInput('token') || process.env.GITHUB_TOKEN || '';
    const username = process.env.MLOPS_REGISTRY_USERNAME;
    const password = process.env.MLOPS_REGISTRY_PASSWORD;
    const auth = token ? { token } : username && password ? { username, password } : null;
    const insecure = settings.insecure === true || process.env.MLOPS_REGISTRY_INSECURE === 'true';
    return new OciRegistry({ registry: match[1]!, namespace: match[2]!, insecure, auth });
  }
  const root = input
    ? resolve(input)
    : typeof settings.path === 'string'
      ? configPath(loaded, settings.path)
      : join(loaded.baseDir, '.mlops', 'registry');
  return new LocalRegistry(root);
}

async function readJson(path: string, what: string): Promise<Record<string, unknown>> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`cannot read ${what} ${shown(path)}: ${(error as Error).message}`);
  }
}

export async function runRegister(io: StepIO): Promise<ModelVersion> {
  const loaded = await loadConfig(io.getInput('config') || undefined);
  const model = io.getInput('model') || loaded.config.model?.name;
  if (!model) throw new UserError('no model name', 'Set the `model` input (or --model), or model.name in mlops.yaml.');
  if (!NAME_PATTERN.test(model))
    throw new UserError(`model name "${model}" is not allowed`, 'Use lower-case letters, digits, ".", "_" and "-".');
  const modelDir = io.getInput('model-dir') ? resolve(io.getInput('model-dir')) : join(outputDirFor(io, loaded, 'train', false), 'model');
  if (!existsSync(modelDir))
    throw new UserError(`no model at ${shown(modelDir)}`, 'Run train first, or set the `model-dir` input to its model-dir output.');
  const allowUnblessed = (choiceInput<'true' | 'false'>(io, register, 'allow-unblessed') ?? 'false') === 'true';
  const blessingPath = io.getInput('blessing')
    ? resolve(io.getInput('blessing'))
    : join(outputDirFor(io, loaded, 'evaluate', false), 'blessing.json');
  const blessing = existsSync(blessingPath) ? await readJson(blessingPath, 'blessing') : null;
  if (!allowUnblessed) {
    if (!blessing)
      throw new UserError(
        `no blessing at ${shown(blessingPath)}: the model was not evaluated`,
        'Run evaluate first (it writes blessing.json), or set allow-unblessed: true.',
      );
    if (blessing.blessed !== true) {
      const reasons = Array.isArray(blessing.reasons) ? (blessing.reasons as unknown[]).map(String) : [];
      throw new UserError(
        `the model is not blessed: ${reasons.join(' ') || 'its evaluation failed a gate'}`,
        'Fix the model, or set allow-unblessed: true to register it anyway.',
      );
    }
  }
  const cardPath = join(modelDir, 'model-card.json');
  const card = existsSync(cardPath) ? await readJson(cardPath, 'model card') : null;
  const registry = registryFor(io, loaded);
  const version = await registry.register(model, modelDir, { card, blessing });
  const alias = io.getInput('alias');
  if (alias) {
    if (!NAME_PATTERN.test(alias))
      throw new UserError(`alias "${alias}" is not allowed`, 'Use lower-case letters, digits, ".", "_" and "-".');
    await registry.setAlias(model, alias, version.version);
  }
  io.info(
    `Registered ${model} version ${version.version} (${version.digest})${alias ? `; ${alias} now points at it` : ''}: ${version.uri}`,
  );
  const metrics = ((card?.metrics as Record<string, unknown> | undefined)?.validation ?? {}) as Record<string, unknown>;
  await io.appendSummary(
    [
      `## Registered: ${escapeText(model)} version ${version.version}${alias ? ` (${escapeText(alias)})` : ''}`,
      '',
      `${code(version.uri, 120, false)}, digest ${code(version.digest, 80, false)}, ${version.files.length} files${blessing ? (blessing.blessed === true ? ', blessed' : ', **not blessed**') : ', no blessing'}.`,
      '',
      ...lineageLines(card),
      `Pull it with \`mlops registry pull ${model} ${version.version} --output DIR${registry.kind === 'oci' ? ` --registry ${version.uri.replace(/^(oci:\/\/.+)\/[^/]+@.*$/, '$1')}` : ''}\`.`,
      '',
      table(
        ['Metric', 'Validation'],
        Object.entries(metrics)
          .filter(([, v]) => typeof v === 'number')
          .map(([k, v]) => [`\`${k}\``, formatNumber(v as number)]),
        ['left', 'right'],
      ),
      '',
    ].join('\n'),
  );
  io.setOutput('version', String(version.version));
  io.setOutput('digest', version.digest);
  io.setOutput('uri', version.uri);
  return version;
}

/** Lineage from the model card, for the summary: trainer, data files with their hashes, commit and run. */
function lineageLines(card: Record<string, unknown> | null): string[] {
  if (!card) return ['No model card: no lineage recorded.', ''];
  const get = (path: string): unknown =>
    path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), card);
  const trainer = (get('trainer') ?? {}) as Record<string, unknown>;
  const files = (get('data.files') ?? []) as Array<{ path: string; sha256: string }>;
  const lines = [
    `- Trainer: ${code(String(trainer.kind === 'command' ? trainer.command : `${String(trainer.model ?? trainer.kind ?? '?')} (${String(trainer.backend ?? '?')})`), 100, false)}`,
    ...files.map((f) => `- Data: ${code(f.path, 80, false)} sha256 ${code(String(f.sha256).slice(0, 16), 16, false)}`),
  ];
  if (get('git.commit')) lines.push(`- Commit: ${code(String(get('git.commit')), 40, false)}`);
  if (typeof get('run.url') === 'string') lines.push(`- Run: ${escapeText(String(get('run.url')), 200)}`);
  if (get('trainedAt')) lines.push(`- Trained: ${escapeText(String(get('trainedAt')))}`);
  return [...lines, ''];
}
