/**
 * The local registry on real files in temporary folders: registering, listing, resolving, aliases and their
 * history, pulling, tampering, bad names and unknown references, and concurrency.
 *
 * Concurrency is proven twice. In this process, many LocalRegistry instances over one root race through the
 * file system at once (Promise.all: the 'wx' opens and hard links really collide in libuv's thread pool). Across
 * processes, the strongest honest proof is to run the very same source in separate `node` processes: plain node
 * cannot load TypeScript and there is no build of this module, so the test transpiles src/core/registry/local.ts
 * and the modules it imports with the TypeScript compiler (types stripped, nothing else changed) into a temporary
 * folder, and spawns children that import it. They wait at a barrier and then register, move an alias and take
 * the lock all at once. Nothing of the algorithm is written twice.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { UserError } from '../src/core/errors.js';
import { LocalRegistry, claimNextVersion, withFileLock } from '../src/core/registry/local.js';
import type { ModelVersion } from '../src/ports/registry.js';
import { prng } from './support/random.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-registry-'));
  temps.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

const sha = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function randomBytesSeeded(seed: number, size: number): Buffer {
  const next = prng(seed);
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(next() * 256);
  return bytes;
}

async function writeTree(dir: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

/** Every file under `dir` by its path with forward slashes. */
async function readTree(dir: string): Promise<Record<string, Buffer>> {
  const tree: Record<string, Buffer> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = join(entry.parentPath, entry.name);
    tree[relative(dir, absolute).split('\\').join('/')] = await readFile(absolute);
  }
  return tree;
}

/** Every file name anywhere under `dir` (to look for leftovers). */
async function allNames(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).map((e) => e.name);
}

async function thrown(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError, nothing was thrown');
}

const describeText = (error: UserError): string => error.describe();

const LABELS = 'adelie\nchinstrap\ngentoo\n';
function versionOneFiles(): Record<string, Buffer | string> {
  return {
    'model.json': '{"format":"layers-model"}',
    'weights.bin': randomBytesSeeded(1, 200_000),
    'preprocess.json': '{"columns":["bill_length_mm"]}',
    'assets/labels.txt': LABELS,
    'assets/vocab/nested/labels-copy.txt': LABELS, // the same bytes twice in one version: one blob
  };
}

const CARD = { task: 'classification', metrics: { accuracy: 0.97 } };
const BLESSING = { blessed: true };

/** A registry with two versions of `penguins` (v2 changes only the weights). */
async function twoVersions(): Promise<{ root: string; registry: LocalRegistry; v1: ModelVersion; v2: ModelVersion; dirs: string[] }> {
  const base = await tempDir();
  const root = join(base, '.mlops', 'registry');
  const one = join(base, 'model-1');
  const two = join(base, 'model-2');
  await writeTree(one, versionOneFiles());
  await writeTree(two, { ...versionOneFiles(), 'weights.bin': randomBytesSeeded(2, 200_000) });
  const registry = new LocalRegistry(root);
  const v1 = await registry.register('penguins', one, { card: CARD, blessing: BLESSING });
  const v2 = await registry.register('penguins', two, { card: { ...CARD, metrics: { accuracy: 0.98 } }, blessing: null });
  return { root, registry, v1, v2, dirs: [one, two] };
}

describe('registering', () => {
  test('numbers versions 1, 2; digests are the sha256 of the bytes; identical bytes are stored once', async () => {
    const { root, v1, v2, dirs } = await twoVersions();
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1.model).toBe('penguins');
    expect(v1.uri).toBe('local://penguins/1');
    expect(v2.uri).toBe('local://penguins/2');
    expect(v1.card).toEqual(CARD);
    expect(v1.blessing).toEqual(BLESSING);
    expect(v2.blessing).toBeNull();
    expect(new Date(v1.createdAt).toISOString()).toBe(v1.createdAt);

    for (const [version, dir] of [
      [v1, dirs[0]!],
      [v2, dirs[1]!],
    ] as const) {
      const tree = await readTree(dir);
      expect(version.files.map((f) => f.path)).toEqual(Object.keys(tree).sort());
      for (const file of version.files) {
        expect(file.digest).toBe(sha(tree[file.path]!));
        expect(file.size).toBe(tree[file.path]!.length);
      }
      // The version's digest is the sha256 of its record's bytes, as stored.
      const record = await readFile(join(root, 'models', 'penguins', 'versions', `${version.version}.json`));
      expect(version.digest).toBe(sha(record));
      expect(JSON.parse(record.toString('utf8'))).toMatchObject({ model: 'penguins', version: version.version, files: version.files });
    }
    expect(v1.digest).not.toBe(v2.digest);

    // v1: 4 distinct contents in 5 files; v2 adds only its new weights.
    const blobs = await readdir(join(root, 'blobs', 'sha256'));
    const distinct = new Set([...v1.files, ...v2.files].map((f) => f.digest));
    expect(distinct.size).toBe(5);
    expect(blobs.sort()).toEqual([...distinct].map((d) => d.slice('sha256:'.length)).sort());
    for (const digest of distinct) {
      const bytes = await readFile(join(root, 'blobs', 'sha256', digest.slice('sha256:'.length)));
      expect(sha(bytes)).toBe(digest);
    }
    expect((await allNames(root)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  test('lists versions oldest first', async () => {
    const { registry, v1, v2 } = await twoVersions();
    expect(await registry.list('penguins')).toEqual([v1, v2]);
    expect(await registry.list('unknown-model')).toEqual([]);
  });

  test('a missing, non-directory or empty model directory is a UserError', async () => {
    const base = await tempDir();
    const registry = new LocalRegistry(join(base, 'registry'));
    expect((await thrown(registry.register('m', join(base, 'nope'), { card: null, blessing: null }))).message).toMatch(/does not exist/);
    await writeFile(join(base, 'file.bin'), 'x');
    expect((await thrown(registry.register('m', join(base, 'file.bin'), { card: null, blessing: null }))).message).toMatch(
      /is not a directory/,
    );
    await mkdir(join(base, 'empty'));
    expect((await thrown(registry.register('m', join(base, 'empty'), { card: null, blessing: null }))).message).toMatch(/holds no files/);
  });
});

describe('resolving', () => {
  test('by number, v-number, alias and digest', async () => {
    const { registry, v1, v2 } = await twoVersions();
    await registry.setAlias('penguins', 'production', 1);
    expect(await registry.resolve('penguins', '2')).toEqual(v2);
    expect(await registry.resolve('penguins', 'v1')).toEqual(v1);
    expect(await registry.resolve('penguins', ' v2 ')).toEqual(v2);
    expect(await registry.resolve('penguins', 'production')).toEqual(v1);
    expect(await registry.resolve('penguins', v2.digest)).toEqual(v2);
    expect(await registry.resolve('penguins', v1.digest)).toEqual(v1);
  });

  test('an unknown reference lists the versions and aliases there are', async () => {
    const { registry } = await twoVersions();
    await registry.setAlias('penguins', 'production', 2);
    for (const ref of ['3', 'v9', 'staging', `sha256:${'0'.repeat(64)}`]) {
      const error = await thrown(registry.resolve('penguins', ref));
      expect(error.message).toContain('penguins');
      expect(error.hint).toContain('v1-v2');
      expect(error.hint).toContain('production -> v2');
      expect(error.hint).toMatch(/number.*alias.*digest/);
    }
    expect((await thrown(registry.resolve('penguins', 'sha256:abc'))).hint).toMatch(/64 lower-case hex/);
    const noAliases = await thrown(registry.resolve('penguins', 'v7'));
    expect(noAliases.message).toContain('version 7');
  });

  test('an unknown model names the models there are; an empty registry says to register first', async () => {
    const { registry } = await twoVersions();
    const error = await thrown(registry.resolve('iris', 'v1'));
    expect(error.message).toContain('"iris"');
    expect(error.hint).toContain('penguins');
    const empty = new LocalRegistry(join(await tempDir(), 'registry'));
    expect((await thrown(empty.resolve('iris', 'production'))).hint).toMatch(/empty.*register/);
  });
});

describe('aliases', () => {
  test('set, move and unset, with the history of every change', async () => {
    const { root, registry } = await twoVersions();
    expect(await registry.aliases('penguins')).toEqual({});
    await registry.setAlias('penguins', 'production', 1);
    await registry.setAlias('penguins', 'staging', 2);
    await registry.setAlias('penguins', 'production', 2);
    await registry.setAlias('penguins', 'production', 2); // no change: no event
    await registry.unsetAlias('penguins', 'staging');
    expect(await registry.aliases('penguins')).toEqual({ production: 2 });

    const production = await registry.aliasHistory('penguins', 'production');
    expect(production.map((e) => [e.alias, e.version])).toEqual([
      ['production', 1],
      ['production', 2],
    ]);
    for (const event of production) expect(new Date(event.at).toISOString()).toBe(event.at);
    expect((await registry.aliasHistory('penguins', 'staging')).map((e) => e.version)).toEqual([2, null]);
    expect(await registry.aliasHistory('penguins', 'canary')).toEqual([]);

    const modelDir = join(root, 'models', 'penguins');
    expect(JSON.parse(await readFile(join(modelDir, 'aliases.json'), 'utf8'))).toEqual({ production: 2 });
    const lines = (await readFile(join(modelDir, 'alias-history.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(await readdir(modelDir)).not.toContain('aliases.lock');
  });

  test('an alias must point at an existing version, have a valid name, and exist to be unset', async () => {
    const { registry } = await twoVersions();
    const missing = await thrown(registry.setAlias('penguins', 'production', 5));
    expect(missing.message).toContain('version 5');
    expect(missing.hint).toContain('v1-v2');
    expect((await thrown(registry.setAlias('penguins', 'v3', 1))).message).toMatch(/read as version 3/);
    expect((await thrown(registry.setAlias('penguins', '12', 1))).message).toMatch(/read as version 12/);
    expect((await thrown(registry.setAlias('penguins', 'Production', 1))).message).toContain('"Production"');
    await registry.setAlias('penguins', 'production', 1);
    const unset = await thrown(registry.unsetAlias('penguins', 'staging'));
    expect(unset.message).toContain('no alias "staging"');
    expect(unset.hint).toContain('production -> v1');
  });

  test('a history line torn by a crash is skipped, and the next change repairs aliases.json', async () => {
    const { root, registry } = await twoVersions();
    await registry.setAlias('penguins', 'production', 1);
    const modelDir = join(root, 'models', 'penguins');
    // A crash after the history append, before aliases.json was rewritten, then a torn append.
    await writeFile(
      join(modelDir, 'alias-history.jsonl'),
      '{"alias":"production","version":1,"previous":null,"at":"2024-01-01T00:00:00.000Z"}\n',
      {
        flag: 'w',
      },
    );
    await writeFile(
      join(modelDir, 'alias-history.jsonl'),
      '{"alias":"staging","version":2,"previous":null,"at":"2024-01-01T00:00:01.000Z"}\n{"alias":"prod',
      {
        flag: 'a',
      },
    );
    expect((await registry.aliasHistory('penguins', 'staging')).map((e) => e.version)).toEqual([2]);
    await registry.setAlias('penguins', 'canary', 2);
    expect(await registry.aliases('penguins')).toEqual({ production: 1, staging: 2, canary: 2 });
    const lines = (await readFile(join(modelDir, 'alias-history.jsonl'), 'utf8')).split('\n');
    expect(JSON.parse(lines.at(-2)!)).toMatchObject({ alias: 'canary', version: 2 });
  });
});

describe('pulling', () => {
  test('round trip: the pulled files are byte-identical', async () => {
    const { registry, dirs } = await twoVersions();
    await registry.setAlias('penguins', 'production', 2);
    const out = join(await tempDir(), 'deep', 'new', 'model');
    const pulled = await registry.pull('penguins', 'production', out);
    expect(pulled.version).toBe(2);
    expect(await readTree(out)).toEqual(await readTree(dirs[1]!));
    expect(await readdir(dirname(out))).toEqual(['model']); // nothing left beside it

    const empty = join(await tempDir(), 'empty');
    await mkdir(empty);
    await registry.pull('penguins', 'v1', empty);
    expect(await readTree(empty)).toEqual(await readTree(dirs[0]!));
  });

  test('with paths, only those files are pulled (verified); a path the version lacks is an error', async () => {
    const { registry, dirs } = await twoVersions();
    const out = join(await tempDir(), 'only');
    await registry.pull('penguins', 'v2', out, { paths: ['weights.bin'] });
    expect(await readTree(out)).toEqual({ 'weights.bin': (await readTree(dirs[1]!))['weights.bin'] });
    const error = await thrown(registry.pull('penguins', 'v2', join(await tempDir(), 'none'), { paths: ['profile.json'] }));
    expect(error.message).toBe('penguins v2 has no profile.json');
  });

  test('refuses to pull over a folder that holds something', async () => {
    const { registry } = await twoVersions();
    const out = await tempDir();
    await writeFile(join(out, 'keep.txt'), 'mine');
    const error = await thrown(registry.pull('penguins', 'v1', out));
    expect(error.message).toContain(out);
    expect(await readFile(join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });

  test('a tampered blob fails the pull naming the file and both digests, leaving no output', async () => {
    const { root, registry, v2 } = await twoVersions();
    const weights = v2.files.find((f) => f.path === 'weights.bin')!;
    const blob = join(root, 'blobs', 'sha256', weights.digest.slice('sha256:'.length));
    const bytes = await readFile(blob);
    bytes[1000] = bytes[1000]! ^ 0xff;
    await writeFile(blob, bytes);

    const parent = await tempDir();
    const out = join(parent, 'model');
    const error = await thrown(registry.pull('penguins', 'v2', out));
    expect(error.message).toContain('weights.bin');
    expect(error.message).toContain(weights.digest);
    expect(error.message).toContain(sha(bytes));
    expect(describeText(error)).toMatch(/hint: .*modified/);
    expect(await readdir(parent)).toEqual([]); // no output folder, no partial folder

    // v1 does not hold those weights: it still pulls.
    await registry.pull('penguins', 'v1', out);
    expect(Object.keys(await readTree(out))).toHaveLength(5);
  });

  test('a missing blob fails the pull, leaving no output', async () => {
    const { root, registry, v1 } = await twoVersions();
    const model = v1.files.find((f) => f.path === 'model.json')!;
    await rm(join(root, 'blobs', 'sha256', model.digest.slice('sha256:'.length)));
    const parent = await tempDir();
    const error = await thrown(registry.pull('penguins', 'v1', join(parent, 'model')));
    expect(error.message).toMatch(/model\.json .* is missing/);
    expect(await readdir(parent)).toEqual([]);
  });
});

describe('names', () => {
  test('bad model and alias names are UserErrors naming the name and the rule', async () => {
    const base = await tempDir();
    await writeTree(join(base, 'm'), { 'a.txt': 'a' });
    const registry = new LocalRegistry(join(base, 'registry'));
    for (const bad of ['Penguins', '../escape', 'a/b', '', '-lead', 'x'.repeat(129), 'white space']) {
      const error = await thrown(registry.register(bad, join(base, 'm'), { card: null, blessing: null }));
      expect(error.message).toContain(`"${bad}" is not a valid model name`);
      expect(error.hint).toMatch(/lower-case letters, digits/);
      await thrown(registry.resolve(bad, 'v1'));
      await thrown(registry.list(bad));
    }
    await registry.register('ok.model_1-x', join(base, 'm'), { card: null, blessing: null });
    const alias = await thrown(registry.setAlias('ok.model_1-x', 'PROD', 1));
    expect(alias.message).toContain('"PROD" is not a valid alias name');
    await thrown(registry.aliasHistory('ok.model_1-x', 'bad alias'));
    expect(await readdir(join(base, 'registry', 'models'))).toEqual(['ok.model_1-x']);
  });
});

describe('concurrency in one process, separate instances over one root', () => {
  test('20 registrations at once get versions 1..20, none lost; 20 alias moves at once stay consistent', async () => {
    const base = await tempDir();
    const root = join(base, 'registry');
    const N = 20;
    const dirs: string[] = [];
    for (let i = 0; i < N; i++) {
      const dir = join(base, `model-${i}`);
      await writeTree(dir, { 'shared.txt': 'the same in every version', 'weights.bin': randomBytesSeeded(100 + i, 20_000) });
      dirs.push(dir);
    }
    const registered = await Promise.all(
      dirs.map((dir, i) => new LocalRegistry(root).register('racer', dir, { card: { i }, blessing: null })),
    );
    expect(registered.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    const listed = await new LocalRegistry(root).list('racer');
    expect(listed).toHaveLength(N);
    for (const version of registered) {
      expect(listed[version.version - 1]).toEqual(version); // each record is the one its registration returned
    }
    expect(await readdir(join(root, 'blobs', 'sha256'))).toHaveLength(N + 1);

    // 20 moves of one alias at once, each to a different version.
    await Promise.all(registered.map((v) => new LocalRegistry(root).setAlias('racer', 'production', v.version)));
    await checkAliasConsistency(root, 'racer', 'production', N);
    expect((await allNames(root)).filter((n) => n.startsWith('.tmp-') || n.endsWith('.lock'))).toEqual([]);
  });

  test('claimNextVersion: 50 claims at once in one folder are 1..50, each file holding its own number', async () => {
    const dir = await tempDir();
    const claimed = await Promise.all(Array.from({ length: 50 }, (_, i) => claimNextVersion(dir, (n) => JSON.stringify({ n, by: i }))));
    expect([...claimed].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (const [by, n] of claimed.entries()) expect(JSON.parse(await readFile(join(dir, `${n}.json`), 'utf8'))).toEqual({ n, by });
    expect(await readdir(dir)).toHaveLength(50); // no temporary file left
  });
});

/** The alias's history holds `moves` events chained by `previous`, and aliases.json agrees with the last one. */
async function checkAliasConsistency(root: string, model: string, alias: string, moves: number): Promise<void> {
  const modelDir = join(root, 'models', model);
  const events = (await readFile(join(modelDir, 'alias-history.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { alias: string; version: number; previous: number | null })
    .filter((e) => e.alias === alias);
  expect(events).toHaveLength(moves);
  // Each change saw the one before it: a lost update would break the chain.
  events.forEach((event, i) => expect(event.previous).toBe(i === 0 ? null : events[i - 1]!.version));
  expect(new Set(events.map((e) => e.version)).size).toBe(moves);
  const current = JSON.parse(await readFile(join(modelDir, 'aliases.json'), 'utf8')) as Record<string, number>;
  expect(current[alias]).toBe(events.at(-1)!.version);
  expect((await new LocalRegistry(root).aliasHistory(model, alias)).map((e) => e.version)).toEqual(events.map((e) => e.version));
}

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
    const registry = new LocalRegistry(root, { lock: { timeoutMs: 300 } });
    const error = await thrown(registry.setAlias('penguins', 'production', 1));
    expect(error.message).toContain(lock);
    expect(error.message).toContain(`process ${process.pid}`);
    expect(error.hint).toContain(`delete ${lock}`);
    expect(await readFile(lock, 'utf8')).toContain('"token":"x"'); // still there
  });

  test('a fresh lock of a dead process is waited for, not broken', async () => {
    const dir = await tempDir();
    const lock = join(dir, 'x.lock');
    await writeFile(lock, JSON.stringify({ pid: await exitedPid(), host: hostname(), at: new Date().toISOString(), token: 'x' }));
    await thrown(withFileLock(lock, async () => undefined, { timeoutMs: 200 }));
  });
});

/** The pid of a process that has exited. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

// ---- several processes ----

/** Transpiles `entry` and every relative module it imports (types stripped) into `outRoot`, mirroring the repository. */
async function transpileTree(entry: string, outRoot: string): Promise<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const source = queue.pop()!;
    if (seen.has(source)) continue;
    seen.add(source);
    const { outputText } = ts.transpileModule(await readFile(source, 'utf8'), {
      fileName: source,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    });
    const out = join(outRoot, relative(REPO, source)).replace(/\.ts$/, '.js');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, outputText);
    for (const match of outputText.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
      queue.push(resolve(dirname(source), `${match[1]}.ts`));
    }
  }
  await writeFile(join(outRoot, 'package.json'), '{"type":"module"}\n');
  return join(outRoot, relative(REPO, entry)).replace(/\.ts$/, '.js');
}

const CHILD = `
import { readFile, writeFile } from 'node:fs/promises';
const [modulePath, root, modelDir, id, rounds, counter] = process.argv.slice(2);
const { LocalRegistry, withFileLock } = await import(modulePath);
process.stdout.write('ready\\n');
await new Promise((go) => process.stdin.once('data', go));
const versions = [];
for (let round = 0; round < Number(rounds); round++) {
  const registry = new LocalRegistry(root);
  const { version } = await registry.register('shared', modelDir, { card: { child: Number(id), round }, blessing: null });
  versions.push(version);
  await new LocalRegistry(root).setAlias('shared', 'production', version);
  await withFileLock(counter + '.lock', async () => {
    const n = Number(await readFile(counter, 'utf8'));
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    await writeFile(counter, String(n + 1));
  });
}
process.stdout.write(JSON.stringify({ versions }) + '\\n');
`;

describe('concurrency across processes', () => {
  test('6 processes registering, moving an alias and taking the lock at once: distinct versions, none lost, aliases consistent', async () => {
    const base = await tempDir();
    const modulePath = await transpileTree(join(REPO, 'src', 'core', 'registry', 'local.ts'), join(base, 'compiled'));
    const script = join(base, 'child.mjs');
    await writeFile(script, CHILD);
    const root = join(base, 'registry');
    const counter = join(base, 'counter');
    await writeFile(counter, '0');
    const CHILDREN = 6;
    const ROUNDS = 4;

    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const children = await Promise.all(
      Array.from({ length: CHILDREN }, async (_, id) => {
        const modelDir = join(base, `model-${id}`);
        await writeTree(modelDir, {
          'common/shared.txt': 'identical in every process',
          'weights.bin': randomBytesSeeded(500 + id, 50_000),
        });
        const child = spawn(process.execPath, [script, modulePath, root, modelDir, String(id), String(ROUNDS), counter], { env });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        const exited = new Promise<number | null>((r) => child.once('exit', r));
        const ready = new Promise<void>((r, reject) => {
          const poll = setInterval(() => {
            if (stdout.includes('ready\n')) {
              clearInterval(poll);
              r();
            }
          }, 5);
          void exited.then(() => {
            clearInterval(poll);
            reject(new Error(`child ${id} exited before it was ready: ${stderr}`));
          });
        });
        await ready;
        return { child, exited, output: () => ({ stdout, stderr }) };
      }),
    );
    // The barrier: every child has loaded the module; now they all start.
    for (const { child } of children) child.stdin.end('go\n');
    const codes = await Promise.all(children.map((c) => c.exited));
    const results = children.map((c, id) => {
      const { stdout, stderr } = c.output();
      expect({ id, code: codes[id], stderr }).toEqual({ id, code: 0, stderr: '' });
      return JSON.parse(stdout.split('\n').filter(Boolean).at(-1)!) as { versions: number[] };
    });

    const all = results.flatMap((r) => r.versions);
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: CHILDREN * ROUNDS }, (_, i) => i + 1));
    const registry = new LocalRegistry(root);
    const listed = await registry.list('shared');
    expect(listed.map((v) => v.version)).toEqual(Array.from({ length: CHILDREN * ROUNDS }, (_, i) => i + 1));
    results.forEach(({ versions }, child) =>
      versions.forEach((version, round) => expect(listed[version - 1]!.card).toEqual({ child, round })),
    );
    expect(await readdir(join(root, 'blobs', 'sha256'))).toHaveLength(CHILDREN + 1);
    await checkAliasConsistency(root, 'shared', 'production', CHILDREN * ROUNDS);
    expect(await readFile(counter, 'utf8')).toBe(String(CHILDREN * ROUNDS));
    expect((await allNames(root)).filter((n) => n.startsWith('.tmp-') || n.includes('.lock'))).toEqual([]);
    for (const version of listed) {
      const out = join(base, 'pulled', String(version.version));
      await registry.pull('shared', version.digest, out);
      expect(Object.keys(await readTree(out)).sort()).toEqual(['common/shared.txt', 'weights.bin']);
    }
  });
});
