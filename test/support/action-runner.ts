/**
 * Runs the built bundles the way their users do: an action as the GitHub runner
 * runs it (`node dist/<action>/index.js` with INPUT_* variables and the runner's
 * files), the CLI as a terminal does. Nothing here imports src/: the bundles are
 * what is being tested.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/support/action-runner.ts). */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

export const BUNDLES = {
  validateData: join(ROOT, 'dist', 'validate-data', 'index.js'),
  train: join(ROOT, 'dist', 'train', 'index.js'),
  evaluate: join(ROOT, 'dist', 'evaluate', 'index.js'),
  register: join(ROOT, 'dist', 'register', 'index.js'),
  deploy: join(ROOT, 'dist', 'deploy', 'index.js'),
  driftCheck: join(ROOT, 'dist', 'drift-check', 'index.js'),
  report: join(ROOT, 'dist', 'report', 'index.js'),
  main: join(ROOT, 'dist', 'main', 'index.js'),
  cli: join(ROOT, 'dist', 'cli', 'index.js'),
} as const;

/** How long one bundle may run before the test gives up on it. */
const RUN_TIMEOUT_MS = 60_000;

export interface RunOptions {
  /** Working directory of the process (for actions also GITHUB_WORKSPACE). Default: a fresh empty temporary folder. */
  cwd?: string;
  /** Extra environment variables (after inherited GITHUB_*, INPUT_*, RUNNER_*, MLOPS_* and NODE_OPTIONS are removed). */
  env?: Record<string, string>;
}

export interface ActionRunOptions extends RunOptions {
  /** Action inputs by name as in action.yml (`fail-on`, `output-dir`); lists one value per line. */
  inputs: Record<string, string>;
  /** The webhook event payload GITHUB_EVENT_PATH points at. Default: a minimal pull_request event. */
  event?: object;
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ActionResult extends ProcessResult {
  /** What the action wrote to GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** What the action wrote to GITHUB_STEP_SUMMARY. */
  summary: string;
  /** The workflow commands (`::error ...::`, `::warning ...::`) it printed. */
  annotations: Annotation[];
}

export interface Annotation {
  command: 'error' | 'warning' | 'notice';
  properties: Record<string, string>;
  message: string;
}

const tempDirs: string[] = [];

/** A fresh temporary folder, removed by `removeTempDirs()`. */
export async function makeTempDir(prefix = 'mlops-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** The example project (Palmer penguins). */
export const EXAMPLE = join(ROOT, 'examples', 'penguins');

/** The example project, copied without its .mlops folder into a fresh temporary folder. */
export async function copyExample(prefix = 'mlops-penguins-'): Promise<string> {
  const dir = await makeTempDir(prefix);
  await cp(EXAMPLE, dir, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
  return dir;
}

/**
 * The example project trained (40 epochs) and evaluated by the train and evaluate bundles, copied into a fresh
 * temporary folder: the start of the suites that register, deploy and serve. The bundles give the same model for
 * the same bundles and example (the seed is fixed), so the run is kept in node_modules/.cache under a hash of both,
 * and the next suite (in this or the other worker) copies it instead of training again.
 */
export async function copyTrainedExample(prefix = 'mlops-trained-'): Promise<string> {
  const cached = join(ROOT, 'node_modules', '.cache', 'mlops-tests', 'trained', await trainedKey());
  const dir = await makeTempDir(prefix);
  const kept = await cp(cached, dir, { recursive: true }).then(
    () => true,
    () => false,
  );
  if (kept) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  await cp(EXAMPLE, dir, { recursive: true, filter: (src) => !src.split(sep).includes('.mlops') });
  for (const [bundle, inputs] of [
    [BUNDLES.train, { config: 'mlops.yaml', epochs: '40' }],
    [BUNDLES.evaluate, { config: 'mlops.yaml', comment: 'false' }],
  ] as const) {
    const run = await runAction(bundle, { cwd: dir, inputs });
    if (run.code !== 0) throw new Error(`${bundle} exited ${run.code}\n${run.stdout}\n${run.stderr}`);
  }
  const partial = `${cached}.${process.pid}.partial`;
  try {
    await rm(partial, { recursive: true, force: true });
    await cp(dir, partial, { recursive: true });
    await rename(partial, cached); // whole or not at all; a suite of the other worker may have kept one first
  } catch {
    await rm(partial, { recursive: true, force: true });
  }
  return dir;
}

/** A hash of everything the trained example depends on: the bundles and the example's files. */
async function trainedKey(): Promise<string> {
  const hash = createHash('sha256').update('train 40 epochs, evaluate\0');
  const add = async (root: string, skip: (name: string) => boolean) => {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    const files = entries.filter((e) => e.isFile() && !skip(join(e.parentPath, e.name))).map((e) => join(e.parentPath, e.name));
    for (const file of files.sort()) {
      const bytes = await readFile(file);
      hash.update(`${file.slice(root.length)}\0${bytes.length}\0`);
      hash.update(bytes);
    }
  };
  await add(join(ROOT, 'dist'), () => false);
  await add(EXAMPLE, (path) => path.split(sep).includes('.mlops'));
  return hash.digest('hex').slice(0, 24);
}

/** Removes every folder `makeTempDir` made (call from afterAll). */
export async function removeTempDirs(): Promise<void> {
  const dirs = tempDirs.splice(0);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

/** The parent's environment without anything that would leak a runner, an input or a test setting into the child. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_|MLOPS_)/i.test(name) || name === 'NODE_OPTIONS' || name === 'CI') continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** The environment variable the runner sets for an input: INPUT_ + name upper-cased, spaces to underscores, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Runs an action's bundle as the GitHub runner does, and reads back what it wrote. */
export async function runAction(bundle: string, options: ActionRunOptions): Promise<ActionResult> {
  const runner = await mkdtemp(join(tmpdir(), 'mlops-runner-'));
  try {
    const cwd = options.cwd ?? (await makeTempDir());
    const outputFile = join(runner, 'github_output');
    const summaryFile = join(runner, 'step_summary.md');
    const eventFile = join(runner, 'event.json');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const event = options.event ?? {
      action: 'opened',
      number: 1,
      pull_request: { number: 1, head: { ref: 'feature', sha: '0'.repeat(40) }, base: { ref: 'main', sha: '1'.repeat(40) } },
      repository: { full_name: 'octo/ml', name: 'ml', owner: { login: 'octo' } },
    };
    await writeFile(eventFile, JSON.stringify(event));
    const inputs: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.inputs)) inputs[inputVariable(name)] = value;
    const env = cleanEnv({
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_WORKSPACE: cwd,
      GITHUB_REPOSITORY: 'octo/ml',
      GITHUB_SHA: '0'.repeat(40),
      GITHUB_REF: 'refs/pull/1/merge',
      RUNNER_TEMP: runner,
      RUNNER_OS: 'Linux',
      ...inputs,
      ...options.env,
    });
    const result = await spawnNode([absolute(bundle)], cwd, env);
    const outputs = parseGitHubOutput(await readFile(outputFile, 'utf8'));
    const summary = await readFile(summaryFile, 'utf8');
    return { ...result, outputs, summary, annotations: parseAnnotations(result.stdout) };
  } finally {
    await rm(runner, { recursive: true, force: true });
  }
}

/** Runs the CLI bundle (`node dist/cli/index.js ...args`) outside any runner. */
export async function runCli(args: string[], options: RunOptions = {}): Promise<ProcessResult> {
  const cwd = options.cwd ?? (await makeTempDir());
  return spawnNode([BUNDLES.cli, ...args], cwd, cleanEnv(options.env));
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : join(ROOT, path);
}

function spawnNode(args: string[], cwd: string, env: Record<string, string>): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

/**
 * Parses a GITHUB_OUTPUT file: `name<<DELIMITER` / value lines / `DELIMITER` blocks
 * as @actions/core writes them (and the older `name=value` lines). A value set twice
 * keeps the last one, as the runner does.
 */
export function parseGitHubOutput(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        if (lines[i] === delimiter) {
          closed = true;
          break;
        }
        value.push(lines[i]!);
      }
      if (!closed) throw new Error(`GITHUB_OUTPUT: the value of ${name} is never closed by ${delimiter}`);
      outputs[name!] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`GITHUB_OUTPUT: cannot parse line ${JSON.stringify(line)}`);
    outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return outputs;
}

/** Workflow commands printed on stdout: `::error file=f,line=3,title=t::message`. */
export function parseAnnotations(stdout: string): Annotation[] {
  const annotations: Annotation[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    annotations.push({ command: match[1] as Annotation['command'], properties, message: unescapeData(match[3]!) });
  }
  return annotations;
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** True when the text holds a JavaScript stack trace (`    at fn (file:line:col)`). */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(:\d+:\d+\)?|\(node:[^)]*\))$/m.test(text) || /\b\w*Error: .*\n\s+at /.test(text);
}
