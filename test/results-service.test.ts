/**
 * Our GitHub storage adapters (GitHubArtifactStore, GitHubRunCache) through the real
 * @actions/artifact and @actions/cache clients, against a local stand-in for the
 * Actions results service with its blobs in Azurite; then the train bundle as the
 * runner runs it, whose run cache and model artifact go through the same clients.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import * as cache from '@actions/cache';
import { DefaultArtifactClient } from '@actions/artifact';
import { GitHubArtifactStore, GitHubRunCache } from '../src/adapters/github/storage.js';
import { BUNDLES, makeTempDir, removeTempDirs, runAction, copyExample } from './support/action-runner.js';
import type { ActionResult } from './support/action-runner.js';
import { ResultsService } from './support/results-service.js';

let service: ResultsService;
let workspace: string;
const saved: Record<string, string | undefined> = {};

/** Sets the variables the clients read in this process (the runner gives them to a JavaScript action). */
function useEnv(env: Record<string, string>): void {
  for (const [name, value] of Object.entries(env)) {
    if (!(name in saved)) saved[name] = process.env[name];
    process.env[name] = value;
  }
}

/** The toolkit prints `::debug::` and `::add-mask::` lines the runner would hide; keep them out of the test log. */
const write = process.stdout.write.bind(process.stdout);
beforeAll(() => {
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    /^::(debug|add-mask)::/.test(String(chunk)) ? true : write(chunk, ...rest)) as typeof process.stdout.write;
});
afterAll(() => {
  process.stdout.write = write;
});

beforeAll(async () => {
  service = await ResultsService.start();
  workspace = await makeTempDir('mlops-workspace-');
  useEnv({ ...service.env(), GITHUB_WORKSPACE: workspace, RUNNER_TEMP: await makeTempDir('mlops-runner-temp-') });
  useEnv({ GITHUB_REPOSITORY: 'octo/ml', GITHUB_RUN_ID: '4242', GITHUB_SERVER_URL: 'https://github.com' });
}, 60_000);

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await service?.stop();
  await removeTempDirs();
});

afterEach(() => service.assertClean());

/** Every file under `dir` by its relative path, with its bytes. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path).split(sep).join('/'), await readFile(path));
  }
  return files;
}

/** A model-like folder: a binary file, JSON, a nested file, an empty file. */
async function modelFolder(name: string): Promise<string> {
  const dir = join(workspace, name);
  await mkdir(join(dir, 'assets', 'deep'), { recursive: true });
  await writeFile(join(dir, 'weights.bin'), randomBytes(300_000));
  await writeFile(join(dir, 'model.json'), JSON.stringify({ name, layers: [32, 16] }));
  await writeFile(join(dir, 'assets', 'deep', 'vocab.txt'), 'Adelie\nChinstrap\nGentoo\n');
  await writeFile(join(dir, 'empty.txt'), '');
  return dir;
}

describe('GitHubArtifactStore through @actions/artifact', () => {
  test('uploads a folder of several files; the real client lists, finds, downloads (byte-identical) and deletes it', async () => {
    const dir = await modelFolder('model-a');
    const before = await snapshot(dir);
    const { location } = await new GitHubArtifactStore().upload('model-penguins', dir);

    const [stored] = service.artifacts().filter((a) => a.name === 'model-penguins');
    expect(stored).toMatchObject({ finalized: true, mimeType: 'application/zip' });
    expect(location).toBe(`https://github.com/octo/ml/actions/runs/4242/artifacts/${stored!.id}`);

    const client = new DefaultArtifactClient();
    const { artifacts } = await client.listArtifacts();
    expect(artifacts.map((a) => a.name)).toContain('model-penguins');
    const { artifact } = await client.getArtifact('model-penguins');
    expect(artifact.id).toBe(stored!.id);
    expect(artifact.size).toBe(stored!.size);
    expect(artifact.digest).toBe(stored!.digest); // sha256:<hex>, what downloadArtifact's expectedHash compares

    const target = await makeTempDir('mlops-download-');
    const { downloadPath, digestMismatch } = await client.downloadArtifact(artifact.id, {
      path: target,
      expectedHash: stored!.digest,
    });
    expect(digestMismatch).toBe(false);
    expect(downloadPath).toBe(target);
    const after = await snapshot(target);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, bytes] of before) expect(after.get(path)!.equals(bytes)).toBe(true);

    await client.deleteArtifact('model-penguins');
    expect((await client.listArtifacts()).artifacts.map((a) => a.name)).not.toContain('model-penguins');
    await expect(client.getArtifact('model-penguins')).rejects.toThrow(/not found/i);
  });

  test('a name is unique within a workflow run; another run may use it again', async () => {
    const dir = await modelFolder('model-b');
    const store = new GitHubArtifactStore();
    await store.upload('report', dir);
    await expect(store.upload('report', dir)).rejects.toThrow(/409|already exists/);
    expect(service.calls.some((c) => c.method === 'CreateArtifact' && c.error === 'already_exists')).toBe(true);

    const first = process.env.ACTIONS_RUNTIME_TOKEN!;
    process.env.ACTIONS_RUNTIME_TOKEN = service.env({ run: 'run-2' }).ACTIONS_RUNTIME_TOKEN;
    try {
      await store.upload('report', dir);
      const names = (await new DefaultArtifactClient().listArtifacts()).artifacts.map((a) => a.name);
      expect(names).toEqual(['report']); // run-2 sees its own artifact only
    } finally {
      process.env.ACTIONS_RUNTIME_TOKEN = first;
    }
    expect(service.artifacts('run-1').filter((a) => a.name === 'report')).toHaveLength(1);
    expect(service.artifacts('run-2').filter((a) => a.name === 'report')).toHaveLength(1);
  });

  test('names with characters GitHub forbids are made safe by the adapter; the raw client refuses them', async () => {
    const dir = await modelFolder('model-c');
    const calls = service.calls.length;
    await expect(new DefaultArtifactClient().uploadArtifact('model: a/b', [join(dir, 'model.json')], dir)).rejects.toThrow(
      /not valid|invalid/i,
    );
    expect(service.calls.length).toBe(calls); // refused before any request

    await new GitHubArtifactStore().upload('model: "a/b"|c*?<>\\', dir);
    const names = service.artifacts().map((a) => a.name);
    expect(names).toContain('model- -a-b--c-----');
    for (const name of names) expect(name).not.toMatch(/["':<>|*?\\/\r\n]/);
  });

  test('the stand-in refuses what the real service refuses: a foreign token, unknown fields, camelCase names', async () => {
    const post = (method: string, body: unknown, token = process.env.ACTIONS_RUNTIME_TOKEN!) =>
      fetch(`${service.url}/twirp/github.actions.results.api.v1.ArtifactService/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const forged = (await post('ListArtifacts', {}, 'a.b.c')).status;
    const camel = await post('ListArtifacts', { workflowRunBackendId: 'x', workflowJobRunBackendId: 'y' });
    expect(forged).toBe(401);
    expect(camel.status).toBe(400);
    expect(((await camel.json()) as { code: string }).code).toBe('invalid_argument');
    expect(service.violations.map((v) => v.message).join('\n')).toMatch(/workflowRunBackendId: unknown field of ListArtifactsRequest/);
    expect(() => service.assertClean()).toThrow(/violation/);
    service.violations.splice(0); // these were on purpose
  });
});

describe('GitHubRunCache through @actions/cache (cache service v2)', () => {
  test('save, then restore byte-identical; another key misses; saving an existing key is a no-op', async () => {
    const dir = await modelFolder('cached-model');
    const before = await snapshot(dir);
    const runCache = new GitHubRunCache();
    await runCache.save('mlops-train-penguins-0123abcd', dir);
    const entries = service.cacheEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ key: 'mlops-train-penguins-0123abcd', finalized: true, scope: 'refs/heads/main' });

    await rm(dir, { recursive: true });
    expect(await runCache.restore('mlops-train-penguins-0123abcd', dir)).toBe(true);
    const after = await snapshot(dir);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [path, bytes] of before) expect(after.get(path)!.equals(bytes)).toBe(true);

    const elsewhere = join(workspace, 'elsewhere');
    expect(await runCache.restore('mlops-train-penguins-ffff', elsewhere)).toBe(false);
    expect(existsSync(elsewhere)).toBe(false);
    // The cache version hashes the paths: the same key for another folder is a miss.
    expect(await runCache.restore('mlops-train-penguins-0123abcd', elsewhere)).toBe(false);

    await runCache.save('mlops-train-penguins-0123abcd', dir);
    expect(service.cacheEntries()).toHaveLength(1);
    expect(service.calls.filter((c) => c.method === 'CreateCacheEntry').map((c) => c.error)).toEqual([undefined, 'already_exists']);
  });

  test('restore keys match by prefix, newest first; the primary key is tried first', async () => {
    const dir = join(workspace, 'prefixed');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'v.txt'), 'one');
    await cache.saveCache([dir], 'deps-linux-1');
    await writeFile(join(dir, 'v.txt'), 'two');
    await cache.saveCache([dir], 'deps-linux-2');
    await rm(dir, { recursive: true });
    expect(await cache.restoreCache([dir], 'deps-windows-9', ['deps-mac-', 'deps-linux-'])).toBe('deps-linux-2');
    expect(readFileSync(join(dir, 'v.txt'), 'utf8')).toBe('two');
    expect(await cache.restoreCache([dir], 'deps-linux-1', ['deps-linux-'])).toBe('deps-linux-1');
    expect(readFileSync(join(dir, 'v.txt'), 'utf8')).toBe('one');
    expect(await cache.restoreCache([dir], 'deps-none', ['nothing-'])).toBeUndefined();
  });

  test('a pull request saves into its own scope and reads the default branch; the default branch does not see it', async () => {
    const dir = join(workspace, 'scoped');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'pr.txt'), 'from the pull request');
    const main = process.env.ACTIONS_RUNTIME_TOKEN!;
    process.env.ACTIONS_RUNTIME_TOKEN = service.env({ job: 'pr', ref: 'refs/pull/7/merge' }).ACTIONS_RUNTIME_TOKEN;
    try {
      const runCache = new GitHubRunCache();
      await runCache.save('scoped-pr', dir);
      expect(service.cacheEntries().find((e) => e.key === 'scoped-pr')?.scope).toBe('refs/pull/7/merge');
      expect(await runCache.restore('scoped-pr', dir)).toBe(true);
      expect(await cache.restoreCache([join(workspace, 'prefixed')], 'deps-linux-2')).toBe('deps-linux-2'); // main's entry
    } finally {
      process.env.ACTIONS_RUNTIME_TOKEN = main;
    }
    expect(await new GitHubRunCache().restore('scoped-pr', dir)).toBe(false);
  });
});

describe('train (dist/train/index.js) on a runner with the Actions runtime', () => {
  let project: string;
  const train = (run: string): Promise<ActionResult> =>
    runAction(BUNDLES.train, {
      cwd: project,
      inputs: { config: 'mlops.yaml', epochs: '20' },
      env: { ...service.env({ run, job: 'train' }), GITHUB_RUN_ID: run === 'train-1' ? '5001' : '5002' },
    });
  const ok = (result: ActionResult): ActionResult => {
    if (result.code !== 0) throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result;
  };

  beforeAll(async () => {
    project = await copyExample('mlops-penguins-');
  });

  test('saves its run in the Actions cache and uploads the model artifact; a second run restores from the cache', async () => {
    const first = ok(await train('train-1'));
    expect(first.outputs['cache-hit']).toBe('false');
    const key = first.outputs['cache-key']!;
    const entry = service.cacheEntries().find((e) => e.key === key);
    expect(entry).toMatchObject({ finalized: true });
    const [artifact] = service.artifacts('train-1');
    expect(artifact).toMatchObject({ name: 'model-penguins', finalized: true, job: 'train' });
    expect(first.stdout).toContain(`https://github.com/octo/ml/actions/runs/5001/artifacts/${artifact!.id}`);
    expect(first.annotations.filter((a) => a.command !== 'notice')).toEqual([]);

    // The artifact holds the model directory the step wrote.
    const modelDir = join(project, first.outputs['model-dir']!);
    const files = (await snapshot(modelDir)).keys();
    const zip = await service.readBlob(artifact!.blob);
    for (const file of files) expect(zip.includes(Buffer.from(file))).toBe(true);

    await rm(modelDir, { recursive: true });
    const second = ok(await train('train-2'));
    expect(second.outputs['cache-hit']).toBe('true');
    expect(second.outputs['cache-key']).toBe(key);
    expect(second.stdout).toContain(`Cache hit for: ${key}`);
    expect(existsSync(join(project, second.outputs['model-dir']!, 'model.onnx'))).toBe(true);
    expect(service.cacheEntries().filter((e) => e.key === key)).toHaveLength(1);
    expect(service.artifacts('train-2').map((a) => a.name)).toEqual(['model-penguins']);
  }, 120_000);
});
