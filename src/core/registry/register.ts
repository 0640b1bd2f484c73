/**
 * The register use case: a blessed model directory becomes the next immutable version
 * of the model in a registry (with its model card and blessing), optionally behind an
 * alias; and the summary that says what was registered, with its lineage.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Blessing, ModelCard } from '../contracts/index.js';
import { UserError } from '../errors.js';
import { code, escapeText, formatNumber, table } from '../markdown.js';
import { ensureWritableDir } from '../workspace.js';
import { loadModel, MODEL_FILE, modelFileDigest } from '../model/model-io.js';
import type { ModelVersion, Registry } from '../../ports/registry.js';
import { checkAliasName, checkName, modelFiles } from './registry.js';
import type { SigningOutcome } from '../signing/trust.js';

export interface RegisterRequest {
  registry: Registry;
  /** The model's name in the registry. */
  model: string;
  modelDir: string;
  /** The model directory's card, or null when it has none. */
  card: ModelCard | null;
  /** evaluate's blessing, or null when there is none. */
  blessing: Blessing | null;
  /** Where the blessing was looked for, as shown to people (for the message when there is none). */
  blessingShown: string;
  /** Register a model without a blessing, or one that is not blessed. */
  allowUnblessed: boolean;
  /** An alias to point at the new version. */
  alias?: string;
  /** How paths are shown to people. */
  shown(path: string): string;
  /** Signs the new version (before the alias moves, so a version that fails to be signed is never aliased). */
  sign?: (version: ModelVersion) => Promise<SigningOutcome>;
}

export interface Registered {
  version: ModelVersion;
  alias: string | null;
  /** Why the blessing was not stored with the version (it judged another model; only with allowUnblessed), or null. */
  blessingDropped: string | null;
  /** How the version was signed, or null when no signer was asked. */
  signing: SigningOutcome | null;
}

/** Checks the names and the blessing, registers the model directory, and points the alias at the new version. */
export async function registerModel(request: RegisterRequest): Promise<Registered> {
  const { registry, model, modelDir } = request;
  let blessing = request.blessing;
  let blessingDropped: string | null = null;
  checkName(model, 'model');
  const alias = request.alias || null;
  if (alias) checkAliasName(alias); // before registering: a bad alias must not leave a version behind
  if (!existsSync(modelDir))
    throw new UserError(`no model at ${request.shown(modelDir)}`, 'Run train first, or set the `model-dir` input to its model-dir output.');
  await modelFiles(modelDir); // refuses links and empty folders before anything is created
  const here = await modelFileDigest(modelDir);
  // The card describes the graph train wrote (its SHA-256): a model.onnx changed since is not the model the card describes.
  const described = request.card?.model;
  if (described && here !== null && here !== `sha256:${described.sha256}` && described.file === MODEL_FILE)
    throw new UserError(
      `${request.shown(join(modelDir, MODEL_FILE))} is not the graph its model card describes (the card records sha256:${described.sha256.slice(0, 12)}…, the file is ${here.slice(0, 19)}…)`,
      'Train again (train writes the graph and its card together), or restore the file train wrote.',
    );
  // A blessing is bound to the bytes it judged: one for another model (a stale evaluate folder, a swapped file) is not this model's.
  const judged = blessing?.model.digest ?? null;
  if (blessing && judged) {
    if (here !== judged) {
      const what = `the blessing at ${request.blessingShown} judged model ${judged.slice(0, 19)}…, but ${request.shown(modelDir)} holds ${here ? `${here.slice(0, 19)}…` : 'no model.onnx'}`;
      if (!request.allowUnblessed)
        throw new UserError(what, 'Evaluate this model (evaluate writes a blessing naming the model it judged), then register it.');
      blessingDropped = `${what}; registered without it`;
      blessing = null;
    }
  }
  if (!request.allowUnblessed) {
    if (!blessing)
      throw new UserError(
        `no blessing at ${request.blessingShown}: the model was not evaluated`,
        'Run evaluate first (it writes blessing.json), or set allow-unblessed: true.',
      );
    if (!blessing.blessed)
      throw new UserError(
        `the model is not blessed: ${blessing.reasons.join(' ') || 'its evaluation failed a gate'}`,
        'Fix the model, or set allow-unblessed: true to register it anyway.',
      );
  }
  // A graph is checked before it is stored: one that ONNX Runtime cannot load would fail every later deploy.
  if (existsSync(join(modelDir, MODEL_FILE))) (await loadModel(modelDir)).model.dispose();
  // A folder registry is an output location: an unwritable one is a clear error before any file is copied.
  if (registry.kind === 'local')
    await ensureWritableDir(registry.location, 'the registry (the `registry` input, or registry.path in mlops.yaml)');
  const version = await registry.register(model, modelDir, { card: request.card, blessing });
  const signing = request.sign ? await request.sign(version) : null;
  if (alias) await registry.setAlias(model, alias, version.version);
  return { version, alias, blessingDropped, signing };
}

/** The step summary of a registration: where the version lives, its blessing, lineage, how to pull it, and its metrics. */
export function registerSummary(registered: Registered, registry: Pick<Registry, 'kind' | 'location'>): string {
  const { version, alias } = registered;
  const { model, card, blessing } = version;
  const metrics = card?.metrics.validation ?? {};
  return [
    `## Registered: ${escapeText(model)} version ${version.version}${alias ? ` (${escapeText(alias)})` : ''}`,
    '',
    `${code(version.uri, 120, false)}, digest ${code(version.digest, 80, false)}, ${version.files.length} files${blessing ? (blessing.blessed ? ', blessed' : ', **not blessed**') : ', no blessing'}.`,
    '',
    ...signingLines(registered.signing),
    ...lineageLines(card),
    `Pull it with \`mlops registry pull ${model} ${version.version} --output DIR${registry.kind === 'oci' ? ` --registry ${registry.location}` : ''}\`.`,
    '',
    table(
      ['Metric', 'Validation'],
      Object.entries(metrics)
        .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
        .map(([k, v]) => [`\`${k}\``, formatNumber(v)]),
      ['left', 'right'],
    ),
    '',
  ].join('\n');
}

/** What the summary says of the signature: how it was signed and where it is kept, or why there is none. */
function signingLines(signing: SigningOutcome | null): string[] {
  if (!signing) return [];
  if (!signing.signed) return [`Not signed: ${escapeText(signing.note ?? 'signing is off (signing.mode in mlops.yaml).', 300)}`, ''];
  const how = signing.mode === 'keyless' ? 'keylessly (Sigstore, with the workflow’s OIDC identity)' : 'with a key';
  return [
    `Signed ${how}: an in-toto statement of its evaluation (metrics, blessing, data profile digest), stored at ${code(signing.signed.where, 160, false)}.`,
    '',
  ];
}

/** Lineage from the model card, for the summary: trainer, data files with their hashes, commit and run. */
function lineageLines(card: ModelCard | null): string[] {
  if (!card) return ['No model card: no lineage recorded.', ''];
  const trainer = card.trainer;
  const trainedBy =
    trainer.kind === 'command' ? trainer.command : `${trainer.algorithm ?? trainer.model ?? trainer.kind} (${trainer.backend ?? '?'})`;
  const lines = [
    `- Trainer: ${code(trainedBy, 100, false)}`,
    ...card.data.files.map((f) => `- Data: ${code(f.path, 80, false)} sha256 ${code(f.sha256.slice(0, 16), 16, false)}`),
  ];
  if (card.git?.commit) lines.push(`- Commit: ${code(card.git.commit, 40, false)}`);
  if (typeof card.run?.url === 'string') lines.push(`- Run: ${escapeText(card.run.url, 200)}`);
  if (card.trainedAt) lines.push(`- Trained: ${escapeText(card.trainedAt)}`);
  return [...lines, ''];
}
