/**
 * mlops serve with an OCI registry (Debian's docker-registry on loopback): it serves the
 * version at an alias pulled from the registry, and follows the alias when it moves, as
 * it does with the local folder registry.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { BUNDLES, cleanEnv, removeTempDirs, runAction, runCli, copyExample } from './support/action-runner.js';
import type { ProcessResult } from './support/action-runner.js';
import { OciRegistry, registryUnavailable } from './support/oci-registry.js';
/** The CLI bundle under test (SERVE_TEST_CLI may point at another build of it, as in serve-process.test.ts). */
const CLI = process.env.SERVE_TEST_CLI ?? BUNDLES.cli;
const RECORD = { island: 'Biscoe', bill_length_mm: 48.2, bill_depth_mm: 15.1, flipper_length_mm: 217, body_mass_g: 5300, sex: 'male' };

function ok<T extends ProcessResult>(result: T): T {
  if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

const unavailable = registryUnavailable();
const title = 'mlops serve from an OCI registry';
(unavailable ? describe.skip : describe)(unavailable ? `${title} (skipped: ${unavailable})` : title, () => {
  let registry: OciRegistry;
  let url: string;
  let dir: string;
  let server: ChildProcess;
  let base: string;
  const env = { MLOPS_REGISTRY_INSECURE: 'true' };

  beforeAll(async () => {
    registry = (await OciRegistry.start())!;
    url = `oci://${registry.host}/serving`;
    dir = await copyExample('mlops-serve-oci-');
    ok(await runAction(BUNDLES.train, { cwd: dir, inputs: { config: 'mlops.yaml', epochs: '40' } }));
    for (let i = 0; i < 2; i++)
      ok(await runAction(BUNDLES.register, { cwd: dir, inputs: { config: 'mlops.yaml', registry: url, 'allow-unblessed': 'true' }, env }));
    ok(await runCli(['registry', 'alias', 'penguins', 'production', '1', '--registry', url], { cwd: dir, env }));
    server = spawn(process.execPath, [CLI, 'serve', '--config', 'mlops.yaml', '--registry', url, '--port', '0', '--poll', '1'], {
      cwd: dir,
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    base = await new Promise<string>((resolve, reject) => {
      server.stdout!.on('data', (c: Buffer) => {
        output += c.toString();
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      server.on('exit', (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
    });
  }, 180_000);

  afterAll(async () => {
    server?.kill('SIGTERM');
    await registry?.stop();
    await removeTempDirs();
  });

  const predict = async () => {
    const response = await fetch(`${base}/v2/models/penguins/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: Object.entries(RECORD).map(([name, value]) => ({
          name,
          shape: [1],
          datatype: typeof value === 'number' ? 'FP64' : 'BYTES',
          data: [value],
        })),
      }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { model_version: string; outputs: Array<{ name: string; data: unknown[] }> },
    };
  };

  test('serves the version at the alias, pulled (and verified) from the registry', async () => {
    const { status, body } = await predict();
    expect(status).toBe(200);
    expect(body.model_version).toBe('1');
    expect(body.outputs.find((o) => o.name === 'label')!.data).toEqual(['Gentoo']);
  });

  test('follows the alias when it moves in the registry', async () => {
    ok(await runCli(['registry', 'alias', 'penguins', 'production', '2', '--registry', url], { cwd: dir, env }));
    const deadline = Date.now() + 30_000;
    let version = '1';
    while (Date.now() < deadline && version !== '2') {
      await new Promise((r) => setTimeout(r, 250));
      const { status, body } = await predict();
      expect(status).toBe(200);
      version = body.model_version;
    }
    expect(version).toBe('2');
  }, 60_000);
});
