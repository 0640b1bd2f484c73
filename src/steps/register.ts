/** register: make a blessed model an immutable, numbered version in the registry, optionally behind an alias. */
import { contractPath, readContract } from '../core/contracts/index.js';
import { UserError } from '../core/errors.js';
import { registerModel, registerSummary } from '../core/registry/register.js';
import { RegistrySettings } from '../core/registry/settings.js';
import type { StepContext } from './context.js';
import { booleanInput, stringInput } from './spec.js';
import type { StepSpec } from './spec.js';
import { downloadArtifactInput } from './artifacts.js';
import { trustContext } from './trust.js';
import { signRegistered } from '../core/signing/trust.js';

/** The `registry:` section of mlops.yaml (url, path, insecure), which register declares for every step that opens the registry. */
export const RegistryConfig = RegistrySettings;

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
    model: { description: 'The model name in the registry. Default: model.name in mlops.yaml.', config: 'model.name' },
    blessing: { description: "evaluate's blessing.json. Default: the evaluate step's output beside mlops.yaml." },
    'model-artifact': {
      description:
        "On GitHub: download the model from this artifact of the run (train's artifact-name, uploaded by an earlier job) into model-dir first, so registering runs in a job that runs no training code. Default: none (the model is already on disk).",
    },
    'evaluation-artifact': {
      description:
        "On GitHub: download evaluate's reports, blessing.json among them, from this artifact of the run (its artifact-name) first. Default: none.",
    },
    'allow-unblessed': {
      description: 'true to register a model without a blessing, or one that is not blessed. Default: false.',
      type: 'boolean',
      default: 'false',
    },
    alias: { description: 'An alias to point at the new version (for example staging or champion). Default: none.' },
    registry: {
      description:
        'The registry: oci://host/namespace (ghcr.io: oci://ghcr.io/<owner>) or a folder. Default: registry.url or registry.path in mlops.yaml, else the folder .mlops/registry beside mlops.yaml.',
    },
    token: {
      description:
        'Token for ghcr.io only (the job needs permissions: packages: write); never sent to another registry, which takes MLOPS_REGISTRY_TOKEN or MLOPS_REGISTRY_USERNAME and MLOPS_REGISTRY_PASSWORD. Default: the workflow token.',
      actionDefault: '${{ github.token }}',
    },
  },
  outputs: {
    version: { description: 'The new version number.' },
    digest: { description: 'The content digest of the version (sha256:...).' },
    uri: { description: 'Where the version lives, e.g. local://penguins/3.' },
    signature: {
      description:
        "Where the version's signature (a Sigstore bundle of its evaluation statement) is stored, or empty when it is not signed (signing.mode in mlops.yaml; keyless needs permissions: id-token: write).",
    },
  },
  config: { key: 'registry', schema: RegistryConfig },
  async run(ctx: StepContext): Promise<void> {
    await runRegister(ctx);
  },
};

/** Resolves the inputs, reads the model card and blessing, registers, and publishes the version (outputs, summary). */
async function runRegister(ctx: StepContext): Promise<void> {
  const { io, workspace } = ctx;
  const model = stringInput(ctx, register, 'model');
  if (!model) throw new UserError('no model name', 'Set the `model` input (or --model), or model.name in mlops.yaml.');
  const modelDirInput = stringInput(ctx, register, 'model-dir');
  const modelDir = modelDirInput ? workspace.path(modelDirInput) : workspace.modelDir();
  await downloadArtifactInput(ctx, 'model-artifact', modelDir, 'the model');
  const blessingInput = stringInput(ctx, register, 'blessing');
  const blessingPath = blessingInput ? workspace.path(blessingInput) : contractPath('blessing', workspace.dir('evaluate'));
  const allowUnblessed = booleanInput(ctx, register, 'allow-unblessed') ?? false;
  if (!blessingInput) await downloadArtifactInput(ctx, 'evaluation-artifact', workspace.dir('evaluate'), "evaluate's reports");
  const blessing = await readContract('blessing', blessingPath, workspace.shown(blessingPath));
  const cardPath = contractPath('modelCard', modelDir);
  const card = await readContract('modelCard', cardPath, workspace.shown(cardPath));
  const registry = ctx.registry(stringInput(ctx, register, 'registry'), stringInput(ctx, register, 'token'));

  const registered = await registerModel({
    registry,
    model,
    modelDir,
    card,
    blessing,
    blessingShown: workspace.shown(blessingPath),
    allowUnblessed,
    alias: stringInput(ctx, register, 'alias'),
    shown: (path) => workspace.shown(path),
    sign: (version) => signRegistered(version, registry.signatures, trustContext(ctx)),
  });

  const { version, alias } = registered;
  if (registered.blessingDropped) io.warning(`register: ${registered.blessingDropped}`);
  const signing = registered.signing;
  if (signing?.signed) io.info(`Signed ${model} version ${version.version} (${signing.mode}): ${signing.signed.where}`);
  else if (signing?.note) (ctx.env.onGitHub ? io.warning : io.info).call(io, `register: ${signing.note}`);
  io.info(
    `Registered ${model} version ${version.version} (${version.digest})${alias ? `; ${alias} now points at it` : ''}: ${version.uri}`,
  );
  await io.appendSummary(registerSummary(registered, registry));
  io.setOutput('version', String(version.version));
  io.setOutput('digest', version.digest);
  io.setOutput('uri', version.uri);
  io.setOutput('signature', signing?.signed?.where ?? '');
}
