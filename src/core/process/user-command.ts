/**
 * The one way a user's command runs (a trainer, a deploy command, a verify command):
 * the shell GitHub's `run:` steps use (`bash --noprofile --norc -eo pipefail`), its
 * output forwarded line by line, and one environment policy: the command sees the
 * environment a `run:` step would, minus every secret of the runner's and ours
 * (step inputs, the Actions runtime and OIDC tokens, the workflow token, registry and
 * deploy secrets), except the ones the user names.
 */
import { spawn } from 'node:child_process';
import { UserError } from '../errors.js';

/** Names never passed on unless named: ours and the runner's secrets and service endpoints. */
const WITHHELD = [
  /^INPUT_/,
  /^ACTIONS_/,
  /^GITHUB_TOKEN$/,
  /^GH_TOKEN$/,
  /^MLOPS_(DEPLOY_SECRET|ADMIN_TOKEN|REGISTRY_TOKEN|REGISTRY_USERNAME|REGISTRY_PASSWORD|SIGNING_KEY|SIGNING_KEY_PASSPHRASE)$/,
  /^SIGSTORE_ID_TOKEN$/,
];

/** True when `name` is withheld from user commands unless the user names it. */
export function isWithheld(name: string): boolean {
  return WITHHELD.some((pattern) => pattern.test(name));
}

/**
 * The environment a user's command gets: `base` without withheld names (those in
 * `pass` excepted), then `extra` (our MLOPS_* variables for the command).
 */
export function userCommandEnvironment(
  base: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string>>,
  pass: readonly string[] = [],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (isWithheld(name) && !pass.includes(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

export interface UserCommand {
  /** The command line, run by bash. */
  command: string;
  /** What it is, for messages: "trainer", "deploy command". */
  what: string;
  /** The environment it runs in (build it with userCommandEnvironment). */
  env: Record<string, string>;
  cwd?: string;
  /** Each line it prints (stdout and stderr). */
  onLine(line: string): void;
}

/** Runs the command; resolves when it exits 0, else a UserError saying how it ended. */
export function runUserCommand(job: UserCommand): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', job.command], {
      env: job.env,
      cwd: job.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const forward = (stream: NodeJS.ReadableStream): void => {
      let buffered = '';
      stream.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split(/\r?\n/);
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line) job.onLine(line);
      });
      stream.on('end', () => {
        if (buffered) job.onLine(buffered);
        buffered = '';
      });
    };
    forward(child.stdout);
    forward(child.stderr);
    child.on('error', (error) => reject(new UserError(`cannot run the ${job.what}: ${error.message}`, 'bash must be on the PATH.')));
    child.on('close', (status, signal) =>
      status === 0
        ? resolvePromise()
        : reject(
            new UserError(`the ${job.what} failed (${signal ? `signal ${signal}` : `exit ${status}`})`, 'Its output is in the log above.'),
          ),
    );
  });
}
