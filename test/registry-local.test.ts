/**
 * The folder store on real files in temporary folders: what only it has. Its layout
 * (records whose digest is the sha256 of their bytes, blobs stored once, aliases.json
 * and the append-only history), crash repair, a missing blob, no temporary or lock file
 * left behind, the exclusive create that numbers versions, and the alias lock (in one
 * process and across processes). What every store must do is proven for this one by
 * registry-contract.test.ts.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FolderStore, createFileOnce, withFileLock } from '../src/adapters/registry/folder-store.js';
import { ModelRegistry } from '../src/core/registry/registry.js';
import type { ModelVersion } from '../src/ports/registry.js';
import { REPO, runAtBarrier, seededBytes, testBlessing, testCard, transpileTree, userError, writeTree } from './support/registry.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';

const tempDir = (): Promise<string> => makeTempDir('mlops-registry-');
afterAll(removeTempDirs);

const sha = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Every file name anywhere under `dir` (to look for leftovers). */
async function allNames(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).map((e) => e.name);
}

const LABELS = 'adelie\nchinstrap\ngentoo\n';
function versionOneFiles(): Record<string, Buffer | string> {
  return {
    'model.json': '{"format":"layers-model"}',
    'weights.bin': seededBytes(1, 200_000),
    'preprocess.json': '{"columns":["bill_length_mm"]}',
    'assets/labels.txt': LABELS,
    'assets/vocab/nested/labels-copy.txt': LABELS, // the same bytes twice in one version: one blob
  };
}

const open = (root: string, options?: ConstructorParameters<typeof FolderStore>[1]) => new ModelRegistry(new FolderStore(root, options));

/** A registry with two versions of `penguins` (v2 changes only the weights). */
async function twoVersions(): Promise<{ root: string; registry: ModelRegistry; v1: ModelVersion; v2: ModelVersion; dirs: string[] }> {
  const base = await tempDir();
  const root = join(base, '.mlops', 'registry');
  const one = join(base, 'model-1');
  const two = join(base, 'model-2');
  await writeTree(one, versionOneFiles());
  await writeTree(two, { ...versionOneFiles(), 'weights.bin': seededBytes(2, 200_000) });
  const registry = open(root);
  const v1 = await registry.register('penguins', one, { card: testCard(), blessing: testBlessing() });
  const v2 = await registry.register('penguins', two, { card: testCard(), blessing: null });
  return { root, registry, v1, v2, dirs: [one, two] };
}

describe('layout', () => {
  test("a version's digest is the sha256 of its record's bytes; identical bytes are stored once; nothing temporary is left", async () => {
    const { root, v1, v2 } = await twoVersions();
    for (const version of [v1, v2]) {
      const record = await readFile(join(root, 'models', 'penguins', 'versions', `${version.version}.json`));
      expect(version.digest).toBe(sha(record));
      expect(JSON.parse(record.toString('utf8'))).toMatchObject({
        schema: 1,
        model: 'penguins',
        version: version.version,
        files: version.files,
        card: version.card,
      });
    }
    // v1: 4 distinct contents in 5 files; v2 adds only its new weights.
    const blobs = await readdir(join(root, 'blobs', 'sha256'));
    const distinct = new Set([...v1.files, ...v2.files].map((f) => f.digest));
    expect(distinct.size).toBe(5);
    expect(blobs.sort()).toEqual([...distinct].map((d) => d.slice('sha256:'.length)).sort());
    for (const digest of distinct) {
      expect(sha(await readFile(join(root, 'blobs', 'sha256', digest.slice('sha256:'.length))))).toBe(digest);
    }
    expect((await allNames(root)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  test('an unknown model names the models there are; an empty registry says to register first', async () => {
    const { registry } = await twoVersions();
    expect((await userError(registry.resolve('iris', 'v1'))).hint).toContain('penguins');
    const empty = open(join(await tempDir(), 'registry'));
    expect((await userError(empty.resolve('iris', 'production'))).hint).toMatch(/empty.*register/);
  });

  test('aliases.json holds the current aliases, alias-history.jsonl every change; no lock is left', async () => {
    const { root, registry } = await twoVersions();
    await registry.setAlias('penguins', 'production', 1);
    await registry.setAlias('penguins', 'staging', 2);
    await registry.setAlias('penguins', 'production', 2);
    await registry.setAlias('penguins', 'production', 2); // no change: no line
    await registry.unsetAlias('penguins', 'staging');
    const modelDir = join(root, 'models', 'penguins');
    expect(JSON.parse(await readFile(join(modelDir, 'aliases.json'), 'utf8'))).toEqual({ production: 2 });
    const lines = (await readFile(join(modelDir, 'alias-history.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toMatchObject([
      { alias: 'production', version: 1, previous: null },
      { alias: 'staging', version: 2, previous: null },
      { alias: 'production', version: 2, previous: 1 },
      { alias: 'staging', version: null, previous: 2 },
    ]);
    expect(await readdir(modelDir)).not.toContain('aliases.lock');
  });

  test('a history line torn by a crash is skipped, and the next change repairs aliases.json', async () => {
    const { root, registry } = await twoVersions();
    await registry.setAlias('penguins', 'production', 1);
    const modelDir = join(root, 'models', 'penguins');
    // A crash after the history append, before aliases.json was rewritten, then a torn append.
    await writeFile(
      join(modelDir, 'alias-history.jsonl'),
      '{"alias":"production","version":1,"previous":null,"at":"2024-01-01T00:00:00.000Z"}\n' +
        '{"alias":"staging","version":2,"previous":null,"at":"2024-01-01T00:00:01.000Z"}\n{"alias":"prod',
    );
    expect((await registry.aliasHistory('penguins', 'staging')).map((e) => e.version)).toEqual([2]);
    expect(await registry.aliases('penguins')).toEqual({ production: 1, staging: 2 }); // read from the history
    await registry.setAlias('penguins', 'canary', 2);
    expect(JSON.parse(await readFile(join(modelDir, 'aliases.json'), 'utf8'))).toEqual({ production: 1, staging: 2, canary: 2 });
    const lines = (await readFile(join(modelDir, 'alias-history.jsonl'), 'utf8')).split('\n');
    expect(JSON.parse(lines.at(-2)!)).toMatchObject({ alias: 'canary', version: 2 });
  });

  test('a missing blob fails the pull, leaving no output', async () => {
    const { root, registry, v1 } = await twoVersions();
    const model = v1.files.find((f) => f.path === 'model.json')!;
    await rm(join(root, 'blobs', 'sha256', model.digest.slice('sha256:'.length)));
    const parent = await tempDir();
    const error = await userError(registry.pull('penguins', 'v1', join(parent, 'model')));
    expect(error.message).toMatch(/model\.json of penguins v1 is missing/);
    expect(error.hint).toMatch(/restore the blob/);
    expect(await readdir(parent)).toEqual([]);
  });

  test('a tampered blob: the message names both digests and the blob', async () => {
    const { root, registry, v2 } = await twoVersions();
    const weights = v2.files.find((f) => f.path === 'weights.bin')!;
    const blob = join(root, 'blobs', 'sha256', weights.digest.slice('sha256:'.length));
    const bytes = await readFile(blob);
    bytes[1000] = bytes[1000]! ^ 0xff;
    await writeFile(blob, bytes);
    const error = await userError(registry.pull('penguins', 'v2', join(await tempDir(), 'model')));
    expect(error.message).toContain(weights.digest);
    expect(error.message).toContain(sha(bytes));
    expect(error.message).toContain(blob);
    expect(error.describe()).toMatch(/hint: .*modified/);
  });

  test('bad names create nothing', async () => {
    const base = await tempDir();
    await writeTree(join(base, 'm'), { 'a.txt': 'a' });
    const registry = open(join(base, 'registry'));
    await userError(registry.register('../escape', join(base, 'm'), { card: null, blessing: null }));
    await registry.register('ok.model_1-x', join(base, 'm'), { card: null, blessing: null });
    expect(await readdir(join(base, 'registry', 'models'))).toEqual(['ok.model_1-x']);
  });
});

describe('concurrency in one process', () => {
  test('20 registrations at once leave one blob per distinct content and no temporary or lock file', async () => {
    const base = await tempDir();
    const root = join(base, 'registry');
    const N = 20;
    const dirs: string[] = [];
    for (let i = 0; i < N; i++) {
      const dir = join(base, `model-${i}`);
      await writeTree(dir, { 'shared.txt': 'the same in every version', 'weights.bin': seededBytes(100 + i, 20_000) });
      dirs.push(dir);
    }
    const registered = await Promise.all(dirs.map((dir) => open(root).register('racer', dir, { card: null, blessing: null })));
    await Promise.all(registered.map((v) => open(root).setAlias('racer', 'production', v.version)));
    expect(await readdir(join(root, 'blobs', 'sha256'))).toHaveLength(N + 1);
    expect((await allNames(root)).filter((n) => n.startsWith('.tmp-') || n.endsWith('.lock'))).toEqual([]);
  });

  test('createFileOnce: 50 creates of one name at once, exactly one succeeds and the file holds its content', async () => {
    const dir = await tempDir();
    const created = await Promise.all(Array.from({ length: 50 }, (_, i) => createFileOnce(join(dir, '1.json'), JSON.stringify({ by: i }))));
    expect(created.filter(Boolean)).toHaveLength(1);
    const winner = created.indexOf(true);
    expect(JSON.parse(await readFile(join(dir, '1.json'), 'utf8'))).toEqual({ by: winner });
    expect(await readdir(dir)).toEqual(['1.json']); // no temporary file left
  });
});

describe('the alias lock', () => {
  test('excludes: 30 read-modify-write increments under the lock at once lose nothing', async () => {
    const dir = await tempDir();
    const counter = join(dir, 'counter');
    await writeFile(counter, '0');
    await Promise.all(
      Array.from({ length: 30 }, () =>
        withFileLock(join(dir, 'counter.lock'), async () => {
          const n = Number(await readFile(counter, 'utf8'));
          await new Promise((r) => setTimeout(r, 1));
          await writeFile(counter, String(n + 1));
        }),
      ),
    );
    expect(await readFile(counter, 'utf8')).toBe('30');
    expect(await readdir(dir)).toEqual(['counter']);
  });

  test('a lock left by a dead process and older than the stale age is broken', async () => {
    const { root, registry } = await twoVersions();
    const deadPid = await exitedPid();
    const lock = join(root, 'models', 'penguins', 'aliases.lock');
    await writeFile(lock, JSON.stringify({ pid: deadPid, host: hostname(), at: '2020-01-01T00:00:00.000Z', token: 'x' }));
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    await registry.setAlias('penguins', 'production', 1);
    expect(await registry.aliases('penguins')).toEqual({ production: 1 });
    await expect(stat(lock)).rejects.toThrow();
  });

  test('a lock held by a live process is not broken however old; the waiter times out naming the lock', async () => {
    const { root } = await twoVersions();
    const lock = join(root, 'models', 'penguins', 'aliases.lock');
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname(), at: '2020-01-01T00:00:00.000Z', token: 'x' }));
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    const registry = open(root, { lock: { timeoutMs: 300 } });
    const error = await userError(registry.setAlias('penguins', 'production', 1));
    expect(error.message).toContain(lock);
    expect(error.message).toContain(`process ${process.pid}`);
    expect(error.hint).toContain(`delete ${lock}`);
    expect(await readFile(lock, 'utf8')).toContain('"token":"x"'); // still there
  });

  test('a fresh lock of a dead process is waited for, not broken', async () => {
    const dir = await tempDir();
    const lock = join(dir, 'x.lock');
    await writeFile(lock, JSON.stringify({ pid: await exitedPid(), host: hostname(), at: new Date().toISOString(), token: 'x' }));
    await userError(withFileLock(lock, async () => undefined, { timeoutMs: 200 }));
  });

  test('6 processes taking the lock at once: 24 read-modify-write increments lose nothing, no lock is left', async () => {
    const base = await tempDir();
    const [modulePath] = await transpileTree([join(REPO, 'src', 'adapters', 'registry', 'folder-store.ts')], join(base, 'compiled'));
    const script = join(base, 'child.mjs');
    await writeFile(script, LOCK_CHILD);
    const counter = join(base, 'counter');
    await writeFile(counter, '0');
    const children = await runAtBarrier(script, 6, () => [modulePath!, counter, '4']);
    children.forEach((c, id) => expect({ id, code: c.code, stderr: c.stderr }).toEqual({ id, code: 0, stderr: '' }));
    expect(await readFile(counter, 'utf8')).toBe('24');
    expect(await readdir(base)).not.toContain('counter.lock');
  });
});

const LOCK_CHILD = `
import { readFile, writeFile } from 'node:fs/promises';
const [modulePath, counter, rounds] = process.argv.slice(2);
const { withFileLock } = await import(modulePath);
process.stdout.write('ready\\n');
await new Promise((go) => process.stdin.once('data', go));
for (let round = 0; round < Number(rounds); round++) {
  await withFileLock(counter + '.lock', async () => {
    const n = Number(await readFile(counter, 'utf8'));
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    await writeFile(counter, String(n + 1));
  });
}
process.stdout.write('{}\\n');
`;

/** The pid of a process that has exited. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}
