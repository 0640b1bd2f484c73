/** The one way user commands run, proven with real bash processes, and output folders checked before work. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runUserCommand, userCommandEnvironment } from '../src/core/process/user-command.js';
import { ensureWritableDir } from '../src/core/workspace.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';

afterAll(removeTempDirs);

const RUNNER = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: '/home/runner',
  GITHUB_REPOSITORY: 'acme/models',
  GITHUB_TOKEN: 'ghs_workflow',
  GH_TOKEN: 'ghs_cli',
  INPUT_TOKEN: 'ghs_input',
  INPUT_SECRET: 'deploy-secret',
  ACTIONS_RUNTIME_TOKEN: 'runtime',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
  ACTIONS_RESULTS_URL: 'https://results.example',
  MLOPS_DEPLOY_SECRET: 'deploy-secret',
  MLOPS_REGISTRY_TOKEN: 'registry-token',
  MLOPS_REGISTRY_PASSWORD: 'registry-password',
  MLOPS_ADMIN_TOKEN: 'admin',
  MY_SETTING: 'kept',
};

async function run(command: string, env: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  await runUserCommand({ command, what: 'test command', env, onLine: (line) => lines.push(line) });
  return lines;
}

describe('user commands', () => {
  test("see no secret of ours or the runner's, but the rest of the environment and our MLOPS_* variables", async () => {
    const env = userCommandEnvironment(RUNNER, { MLOPS_MODEL_DIR: '/tmp/model' });
    const lines = await run('env | sort', env);
    const seen = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    for (const name of [
      'GITHUB_TOKEN',
      'GH_TOKEN',
      'INPUT_TOKEN',
      'INPUT_SECRET',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_RESULTS_URL',
      'MLOPS_DEPLOY_SECRET',
      'MLOPS_REGISTRY_TOKEN',
      'MLOPS_REGISTRY_PASSWORD',
      'MLOPS_ADMIN_TOKEN',
    ])
      expect(seen[name]).toBeUndefined();
    expect(seen).toMatchObject({ MY_SETTING: 'kept', GITHUB_REPOSITORY: 'acme/models', MLOPS_MODEL_DIR: '/tmp/model' });
    for (const value of ['ghs_workflow', 'deploy-secret', 'registry-token', 'runtime', 'oidc'])
      expect(lines.join('\n')).not.toContain(value);
  });

  test('a secret the user names is passed on', async () => {
    const env = userCommandEnvironment(RUNNER, {}, ['MLOPS_DEPLOY_SECRET']);
    expect(await run('echo "$MLOPS_DEPLOY_SECRET|${GITHUB_TOKEN:-none}"', env)).toEqual(['deploy-secret|none']);
  });

  test('runs as GitHub runs `run:` steps: bash, stop at the first failing command, pipefail', async () => {
    const env = userCommandEnvironment(RUNNER, {});
    await expect(run('false; echo after', env)).rejects.toThrow(/the test command failed \(exit 1\)/);
    await expect(run('false | cat', env)).rejects.toThrow(/exit 1/);
    expect(await run('[[ 1 == 1 ]] && echo bash', env)).toEqual(['bash']);
  });

  test('output reaches the log line by line, stderr too, a last line without a newline included', async () => {
    const env = userCommandEnvironment(RUNNER, {});
    expect(await run('echo one; echo two >&2; printf three', env)).toEqual(expect.arrayContaining(['one', 'two', 'three']));
  });
});

describe('output folders are checked before any work', () => {
  test('a folder that can be made is made', async () => {
    const dir = join(await makeTempDir(), 'a', 'b');
    await expect(ensureWritableDir(dir, 'input output-dir')).resolves.toBeUndefined();
  });

  test('system file systems are refused at once', async () => {
    await expect(ensureWritableDir('/proc/self/out', 'input output-dir')).rejects.toThrow(
      /input output-dir: \/proc\/self\/out is on a system file system/,
    );
  });

  test('a file in the way is named', async () => {
    const root = await makeTempDir();
    await writeFile(join(root, 'file'), 'x');
    await expect(ensureWritableDir(join(root, 'file', 'out'), 'input output-dir')).rejects.toThrow(
      /cannot write to .*file\/out \(a file is in the way\)/,
    );
  });
});
