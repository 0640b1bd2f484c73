/**
 * The model registry's contract, run over every store: the folder store on temporary
 * folders, and the OCI store against a real docker-registry on loopback (skipped, with
 * the reason in its title, where docker-registry is not installed). The same
 * expectations hold for both: numbering, references and what an unknown one says,
 * aliases and their history, verified pulls, names, cards and blessings read back
 * against their contracts, and concurrency, in one process and across processes.
 * What only one store has (the folder's layout and lock, the OCI manifest layout) is
 * tested in registry-local.test.ts and registry-oci.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FolderStore } from '../src/adapters/registry/folder-store.js';
import { OciClient } from '../src/adapters/registry/oci-client.js';
import { OciStore } from '../src/adapters/registry/oci-store.js';
import { ModelRegistry } from '../src/core/registry/registry.js';
import type { ModelStore } from '../src/ports/model-store.js';
import type { ModelVersion } from '../src/ports/registry.js';
import { OciRegistry as TestOciRegistry, registryUnavailable } from './support/oci-registry.js';
import {
  REPO,
  asText,
  readTree,
  runAtBarrier,
  seededBytes,
  testBlessing,
  testCard,
  transpileTree,
  userError,
  writeTree,
} from './support/registry.js';
import { makeTempDir, removeTempDirs } from './support/action-runner.js';

const tempDir = (): Promise<string> => makeTempDir('mlops-registry-contract-');
afterAll(removeTempDirs);

/** The store's methods bound to it, to override one in a test. */
function bind(store: ModelStore): ModelStore {
  const bound: Record<string, unknown> = {
    kind: store.kind,
    location: store.location,
    reservedAliases: store.reservedAliases,
    atomicAliases: store.atomicAliases,
  };
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(store)) as (keyof ModelStore)[]) {
    const value = store[name];
    if (typeof value === 'function' && name !== ('constructor' as keyof ModelStore))
      bound[name] = (value as (...args: unknown[]) => unknown).bind(store);
  }
  return bound as unknown as ModelStore;
}

/** One empty registry of a store: fresh instances over it, and a way to damage a stored blob. */
interface Place {
  open(): ModelRegistry;
  store(): ModelStore;
  /** Flips one byte of the stored bytes of `digest`, keeping their size. */
  tamper(digest: string): Promise<void>;
  /** Rewrites version `n` of `model` in place as another tool could (a valid record or manifest, other bytes). */
  rewrite(model: string, n: number): Promise<void>;
  /** The uri a version gets. */
  uri(version: ModelVersion): string;
  /** How a child process builds the same store: the module (under src/adapters/registry) and its constructor arguments. */
  child: { module: 'folder-store' | 'oci-store'; className: 'FolderStore' | 'OciStore'; args: unknown[] };
}

interface StoreUnderTest {
  name: string;
  unavailable: string | null;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** `racing`: the place is for the concurrency tests, where writers race each other. */
  fresh(racing?: boolean): Promise<Place>;
  /** What the hint for a model with no versions says, when other models exist. */
  unknownModelHint: (model: string) => RegExp;
  /** Writers at once in the concurrency tests (an OCI register waits a settle time). */
  writers: number;
}

async function flipByte(path: string): Promise<void> {
  const data = await readFile(path);
  data[data.length >> 1] = data[data.length >> 1]! ^ 0xff;
  await writeFile(path, data);
}

const folder: StoreUnderTest = {
  name: 'folder store',
  unavailable: null,
  async setup() {},
  async teardown() {},
  async fresh() {
    const root = join(await tempDir(), '.mlops', 'registry');
    return {
      open: () => new ModelRegistry(new FolderStore(root)),
      store: () => new FolderStore(root),
      tamper: (digest) => flipByte(join(root, 'blobs', 'sha256', digest.slice('sha256:'.length))),
      rewrite: async (model, n) => {
        const path = join(root, 'models', model, 'versions', `${n}.json`);
        const record = JSON.parse(await readFile(path, 'utf8')) as { createdAt: string };
        await writeFile(path, JSON.stringify({ ...record, createdAt: '2020-01-01T00:00:00.000Z' }));
      },
      uri: (v) => `local://${v.model}/${v.version}`,
      child: { module: 'folder-store', className: 'FolderStore', args: [root] },
    };
  },
  unknownModelHint: () => /Models there: penguins/,
  writers: 20,
};

let server: TestOciRegistry | null = null;
const oci: StoreUnderTest = {
  name: 'OCI store (a real docker-registry on loopback)',
  unavailable: registryUnavailable(),
  async setup() {
    server = await TestOciRegistry.start();
  },
  async teardown() {
    await server?.stop();
  },
  async fresh(racing = false) {
    const host = server!.host;
    // Every test gets its own namespace: its own repositories in the one registry. The settle time is the
    // default one where writers race (the concurrency tests race real writers on a machine that runs other
    // suites at once); elsewhere one writer at a time registers, and a short settle time changes no outcome.
    const options = { registry: host, namespace: `t${randomBytes(4).toString('hex')}`, insecure: true, settleMs: racing ? 300 : 20 };
    return {
      open: () => new ModelRegistry(new OciStore(options)),
      store: () => new OciStore(options),
      tamper: (digest) => flipByte(server!.blobDataPath(digest)),
      rewrite: async (model, n) => {
        // The same config (still "version n"), another annotation: a manifest with another digest under vN.
        const client = new OciClient({ registry: host, repository: `${options.namespace}/${model}`, insecure: true });
        const fetched = await client.getManifest(`v${n}`);
        const manifest = fetched.manifest as { annotations?: Record<string, string> };
        manifest.annotations = { ...manifest.annotations, 'dev.mlops-actions.writer': 'another-tool' };
        await client.putManifest(`v${n}`, Buffer.from(JSON.stringify(manifest)), fetched.mediaType);
      },
      uri: (v) => `oci://${host}/${options.namespace}/${v.model}@${v.digest}`,
      child: { module: 'oci-store', className: 'OciStore', args: [options] },
    };
  },
  unknownModelHint: (model) => new RegExp(`register "${model}" first`),
  writers: 5,
};

const LABELS = 'adelie\nchinstrap\ngentoo\n';
function versionOneFiles(): Record<string, Buffer | string> {
  return {
    'model.json': '{"format":"layers-model"}',
    'weights.bin': seededBytes(1, 200_000),
    'preprocess.json': '{"columns":["bill_length_mm"]}',
    'assets/labels.txt': LABELS,
    'assets/vocab/nested/labels-copy.txt': LABELS, // the same bytes twice in one version
  };
}

const CARD = testCard();
const BLESSING = testBlessing();

describe.each([folder, oci])('the registry over the $name', (store) => {
  const run = store.unavailable ? describe.skip : describe;
  run(store.unavailable ? `skipped: ${store.unavailable}` : 'contract', () => {
    beforeAll(() => store.setup(), 30_000);
    afterAll(() => store.teardown());

    /** A registry with two versions of `penguins` (v2 changes only the weights). */
    async function twoVersions() {
      const place = await store.fresh();
      const base = await tempDir();
      const dirs = [join(base, 'model-1'), join(base, 'model-2')] as const;
      await writeTree(dirs[0], versionOneFiles());
      await writeTree(dirs[1], { ...versionOneFiles(), 'weights.bin': seededBytes(2, 200_000) });
      const registry = place.open();
      const v1 = await registry.register('penguins', dirs[0], { card: CARD, blessing: BLESSING });
      const v2 = await registry.register('penguins', dirs[1], {
        card: testCard({ metrics: { validation: { accuracy: 0.98 } } }),
        blessing: null,
      });
      return { place, registry, v1, v2, dirs };
    }

    describe('registering and listing', () => {
      test('numbers versions 1, 2 with their files, digests, card and blessing; lists them oldest first', async () => {
        const { place, registry, v1, v2, dirs } = await twoVersions();
        expect([v1.version, v2.version]).toEqual([1, 2]);
        expect(v1.model).toBe('penguins');
        expect(v1.uri).toBe(place.uri(v1));
        expect(v2.uri).toBe(place.uri(v2));
        expect(v1.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(v1.digest).not.toBe(v2.digest);
        expect(v1.card).toEqual(CARD);
        expect(v1.blessing).toEqual(BLESSING);
        expect(v1.problems).toEqual([]);
        expect(v2.blessing).toBeNull();
        expect(v2.card?.metrics.validation).toEqual({ accuracy: 0.98 });
        expect(new Date(v1.createdAt).toISOString()).toBe(v1.createdAt);
        for (const [version, dir] of [
          [v1, dirs[0]],
          [v2, dirs[1]],
        ] as const) {
          const tree = await readTree(dir);
          expect(version.files.map((f) => f.path)).toEqual(Object.keys(tree).sort());
          for (const file of version.files) {
            expect(file.digest).toBe(`sha256:${createHash('sha256').update(tree[file.path]!).digest('hex')}`);
            expect(file.size).toBe(tree[file.path]!.length);
          }
        }
        // Another instance over the same store reads exactly what the registrations returned.
        expect(await place.open().list('penguins')).toEqual([v1, v2]);
        expect(await registry.list('unknown-model')).toEqual([]);
      });

      test('a missing, non-directory or empty model directory is a UserError', async () => {
        const registry = (await store.fresh()).open();
        const base = await tempDir();
        const none = { card: null, blessing: null };
        expect((await userError(registry.register('m', join(base, 'nope'), none))).message).toMatch(/does not exist/);
        await writeFile(join(base, 'file.bin'), 'x');
        expect((await userError(registry.register('m', join(base, 'file.bin'), none))).message).toMatch(/is not a directory/);
        await mkdir(join(base, 'empty'));
        expect((await userError(registry.register('m', join(base, 'empty'), none))).message).toMatch(/holds no files/);
        expect(await registry.list('m')).toEqual([]);
      });

      test('a stored card or blessing that does not fit its contract reads as null, and says why', async () => {
        const place = await store.fresh();
        const base = await tempDir();
        await writeTree(join(base, 'm'), { 'a.txt': 'a' });
        const registered = await place.open().register('odd', join(base, 'm'), { card: null, blessing: null });
        // A version written by an older release (or by hand): a card without the contract's keys.
        const stored = await place.store().createVersion({
          ...(await place.store().readVersion('odd', 1))!.record,
          version: 2,
          card: { accuracy: 0.9 },
          blessing: { blessed: 'yes' },
        });
        expect(stored).not.toBeNull();
        const odd = await place.open().resolve('odd', 'v2');
        expect(odd.card).toBeNull();
        expect(odd.blessing).toBeNull();
        expect(odd.problems).toHaveLength(2);
        expect(odd.problems[0]).toMatch(/^the stored model card of odd v2 is not a model card/);
        expect(odd.problems[1]).toMatch(/^the stored blessing of odd v2 is not a blessing/);
        expect(odd.files).toEqual(registered.files); // still usable
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
          const error = await userError(registry.resolve('penguins', ref));
          expect(error.message).toContain('penguins');
          expect(error.hint).toContain('v1-v2');
          expect(error.hint).toContain('production -> v2');
          expect(error.hint).toMatch(/number.*alias.*digest/);
        }
        expect((await userError(registry.resolve('penguins', 'v7'))).message).toContain('no version 7');
        expect((await userError(registry.resolve('penguins', 'staging'))).message).toContain('no alias "staging"');
        const digest = `sha256:${'0'.repeat(64)}`;
        expect((await userError(registry.resolve('penguins', digest))).message).toContain(`a version with digest ${digest}`);
        const short = await userError(registry.resolve('penguins', 'sha256:abc'));
        expect(short.message).toMatch(/not a version digest/);
        expect(short.hint).toMatch(/64 lower-case hex/);
      });

      test('a model with no versions says so, and what to check', async () => {
        const { registry } = await twoVersions();
        const error = await userError(registry.resolve('iris', 'v1'));
        expect(error.message).toContain('model "iris" has no versions');
        expect(error.hint).toMatch(store.unknownModelHint('iris'));
      });
    });

    describe('aliases', () => {
      test('set, move and unset, with the history of every change', async () => {
        const { registry, place } = await twoVersions();
        expect(await registry.aliases('penguins')).toEqual({});
        await registry.setAlias('penguins', 'production', 1);
        await registry.setAlias('penguins', 'staging', 2);
        expect(await registry.aliases('penguins')).toEqual({ production: 1, staging: 2 });
        await registry.setAlias('penguins', 'production', 2);
        await registry.setAlias('penguins', 'production', 2); // no change: no event
        expect((await registry.resolve('penguins', 'production')).version).toBe(2);
        await registry.unsetAlias('penguins', 'staging');
        expect(await place.open().aliases('penguins')).toEqual({ production: 2 });

        const production = await registry.aliasHistory('penguins', 'production');
        expect(production.map((e) => [e.alias, e.version])).toEqual([
          ['production', 1],
          ['production', 2],
        ]);
        for (const event of production) expect(new Date(event.at).toISOString()).toBe(event.at);
        expect((await registry.aliasHistory('penguins', 'staging')).map((e) => e.version)).toEqual([2, null]);
        expect(await registry.aliasHistory('penguins', 'canary')).toEqual([]);
        const gone = await userError(registry.resolve('penguins', 'staging'));
        expect(gone.message).toContain('no alias "staging"');
        expect(gone.hint).toContain('production -> v2');
      });

      test('an alias must point at an existing version, have a valid name, and exist to be unset', async () => {
        const { registry } = await twoVersions();
        const missing = await userError(registry.setAlias('penguins', 'production', 5));
        expect(missing.message).toContain('no version 5');
        expect(missing.hint).toContain('v1-v2');
        expect((await userError(registry.setAlias('penguins', 'v3', 1))).message).toMatch(
          /cannot be an alias: it would be read as version 3/,
        );
        expect((await userError(registry.setAlias('penguins', '12', 1))).message).toMatch(/read as version 12/);
        expect((await userError(registry.setAlias('penguins', 'Production', 1))).message).toContain(
          '"Production" is not a valid alias name',
        );
        const none = await userError(registry.unsetAlias('penguins', 'staging'));
        expect(none.hint).toBe('It has no aliases yet.');
        await registry.setAlias('penguins', 'production', 1);
        const unset = await userError(registry.unsetAlias('penguins', 'staging'));
        expect(unset.message).toContain('no alias "staging" to unset');
        expect(unset.hint).toContain('production -> v1');
        expect(await registry.aliases('penguins')).toEqual({ production: 1 });
      });
    });

    describe('pulling', () => {
      test('round trip: the pulled files are byte-identical; an empty target folder is fine', async () => {
        const { registry, dirs } = await twoVersions();
        await registry.setAlias('penguins', 'production', 2);
        const out = join(await tempDir(), 'deep', 'new', 'model');
        const pulled = await registry.pull('penguins', 'production', out);
        expect(pulled.version).toBe(2);
        expect(asText(await readTree(out))).toEqual(asText(await readTree(dirs[1])));
        expect(await readdir(dirname(out))).toEqual(['model']); // nothing left beside it

        const empty = join(await tempDir(), 'empty');
        await mkdir(empty);
        await registry.pull('penguins', 'v1', empty);
        expect(asText(await readTree(empty))).toEqual(asText(await readTree(dirs[0])));
      });

      test('with paths, only those files are pulled; a path the version lacks is an error', async () => {
        const { registry, dirs } = await twoVersions();
        const out = join(await tempDir(), 'only');
        await registry.pull('penguins', 'v2', out, { paths: ['weights.bin', 'assets/labels.txt'] });
        const all = await readTree(dirs[1]);
        expect(asText(await readTree(out))).toEqual(
          asText({ 'weights.bin': all['weights.bin'], 'assets/labels.txt': all['assets/labels.txt'] }),
        );
        const parent = await tempDir();
        const error = await userError(registry.pull('penguins', 'v2', join(parent, 'none'), { paths: ['profile.json'] }));
        expect(error.message).toBe('penguins v2 has no profile.json');
        expect(await readdir(parent)).toEqual([]);
      });

      test('refuses to pull over a folder that holds something', async () => {
        const { registry } = await twoVersions();
        const out = await tempDir();
        await writeFile(join(out, 'keep.txt'), 'mine');
        const error = await userError(registry.pull('penguins', 'v1', out));
        expect(error.message).toContain(out);
        expect(error.message).toMatch(/not an empty folder/);
        expect(await readFile(join(out, 'keep.txt'), 'utf8')).toBe('mine');
      });

      test('a stored file changed after it was registered fails the pull, naming the file and its digest, and leaves no output', async () => {
        const { place, registry, v1, v2 } = await twoVersions();
        const weights = v2.files.find((f) => f.path === 'weights.bin')!;
        await place.tamper(weights.digest);
        const parent = await tempDir();
        const error = await userError(registry.pull('penguins', 'v2', join(parent, 'model')));
        expect(error.message).toContain('weights.bin of penguins v2');
        expect(error.message).toContain(weights.digest);
        expect(error.hint).toMatch(/modified|tampered/);
        expect(await readdir(parent)).toEqual([]); // no output folder, no partial folder
        // v1 does not hold those weights: it still pulls.
        await registry.pull('penguins', 'v1', join(parent, 'model'));
        expect(Object.keys(await readTree(join(parent, 'model')))).toHaveLength(v1.files.length);
      });
    });

    test('a version rewritten after it was registered is refused by number, alias and digest, and left out of the list', async () => {
      const { place, registry, v1, v2 } = await twoVersions();
      await registry.setAlias('penguins', 'production', 1);
      await place.rewrite('penguins', 1);
      const fresh = place.open();
      for (const ref of ['1', 'v1', 'production']) {
        const error = await userError(fresh.resolve('penguins', ref));
        expect(error.message).toContain(
          `version 1 of penguins in ${place.store().where('penguins')} was rewritten after it was registered`,
        );
        expect(error.message).toContain(`the ledger recorded ${v1.digest}`);
        expect(error.hint).toMatch(/never change once registered/);
      }
      const target = join(await tempDir(), 'pulled');
      expect((await userError(fresh.pull('penguins', '1', target))).message).toMatch(/was rewritten/);
      const notes: string[] = [];
      const listed = await fresh.list('penguins', (n, reason) => notes.push(`${n}: ${reason}`));
      expect(listed.map((v) => v.version)).toEqual([2]);
      expect(notes).toEqual([expect.stringMatching(/^1: version 1 of penguins .* was rewritten/)]);
      // The untouched version is still what it was, by number and by digest.
      expect((await fresh.resolve('penguins', v2.digest)).version).toBe(2);
      expect((await fresh.resolve('penguins', '2')).digest).toBe(v2.digest);
      // The ledger holds one entry per version, with the digest register printed.
      expect((await place.store().readLedger('penguins')).map((e) => [e.version, e.digest])).toEqual([
        [1, v1.digest],
        [2, v2.digest],
      ]);
    });

    test('a version without a ledger entry (registered before the ledger) is read as before', async () => {
      const { place, v1 } = await twoVersions();
      const store = place.store();
      const legacy = new ModelRegistry({ ...bind(store), readLedger: async () => [] });
      expect((await legacy.resolve('penguins', '1')).digest).toBe(v1.digest);
    });

    describe('names', () => {
      test('bad model and alias names are UserErrors naming the name and the rule', async () => {
        const base = await tempDir();
        await writeTree(join(base, 'm'), { 'a.txt': 'a' });
        const registry = (await store.fresh()).open();
        for (const bad of ['Penguins', '../escape', 'a/b', '', '-lead', 'x'.repeat(129), 'white space']) {
          const error = await userError(registry.register(bad, join(base, 'm'), { card: null, blessing: null }));
          expect(error.message).toContain(`"${bad}" is not a valid model name`);
          expect(error.hint).toMatch(/lower-case letters, digits/);
          await userError(registry.resolve(bad, 'v1'));
          await userError(registry.list(bad));
          await userError(registry.aliases(bad));
        }
        await registry.register('ok.model_1-x', join(base, 'm'), { card: null, blessing: null });
        expect((await userError(registry.setAlias('ok.model_1-x', 'PROD', 1))).message).toContain('"PROD" is not a valid alias name');
        await userError(registry.aliasHistory('ok.model_1-x', 'bad alias'));
      });
    });

    describe('concurrency', () => {
      test('createVersion never overwrites: writers of one number at once, exactly one wins and its record is stored', async () => {
        const place = await store.fresh(true);
        const base = await tempDir();
        await writeTree(join(base, 'm'), { 'a.txt': 'a' });
        const template = (await place.open().register('claims', join(base, 'm'), { card: null, blessing: null })).files;
        const results = await Promise.all(
          Array.from({ length: store.writers }, (_, i) =>
            place.store().createVersion({
              model: 'claims',
              version: 2,
              createdAt: new Date().toISOString(),
              files: template,
              card: { i },
              blessing: null,
            }),
          ),
        );
        const winners = results.filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        const stored = await place.store().readVersion('claims', 2);
        expect(stored).toEqual(winners[0]);
        expect(await place.store().listVersions('claims')).toEqual([1, 2]);
      }, 60_000);

      test('registrations at once on separate instances get versions 1..N, none lost; alias moves at once end consistent', async () => {
        const place = await store.fresh(true);
        const base = await tempDir();
        const N = store.writers;
        const dirs = await Promise.all(
          Array.from({ length: N }, async (_, i) => {
            const dir = join(base, `model-${i}`);
            await writeTree(dir, { 'shared.txt': 'the same in every version', 'weights.bin': seededBytes(100 + i, 20_000) });
            return dir;
          }),
        );
        const registered = await Promise.all(
          dirs.map((dir, i) => place.open().register('racer', dir, { card: testCard({ i }), blessing: null })),
        );
        expect(registered.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
        const listed = await place.open().list('racer');
        expect(listed).toHaveLength(N);
        for (const version of registered) expect(listed[version.version - 1]).toEqual(version); // each is the one its registration returned

        await Promise.all(registered.map((v) => place.open().setAlias('racer', 'production', v.version)));
        await checkAliases(place, 'racer', 'production', N);
      }, 60_000);

      test('several processes registering and moving an alias at once: distinct versions, none lost', async () => {
        const place = await store.fresh(true);
        const base = await tempDir();
        const [registryModule, storeModule] = await transpileTree(
          [join(REPO, 'src', 'core', 'registry', 'registry.ts'), join(REPO, 'src', 'adapters', 'registry', `${place.child.module}.ts`)],
          join(base, 'compiled'),
        );
        const script = join(base, 'child.mjs');
        await writeFile(script, CHILD);
        const CHILDREN = store.writers >= 20 ? 6 : 3;
        const ROUNDS = store.writers >= 20 ? 4 : 2;
        const card = testCard();
        const children = await runAtBarrier(script, CHILDREN, (id) => {
          const modelDir = join(base, `model-${id}`);
          return [
            JSON.stringify({
              registryModule,
              storeModule,
              className: place.child.className,
              args: place.child.args,
              modelDir,
              id,
              rounds: ROUNDS,
              card,
            }),
          ];
        });
        // Each child's model directory is written before it starts (the barrier waits for the module load only).
        const results = children.map((c, id) => {
          expect({ id, code: c.code, stderr: c.stderr }).toEqual({ id, code: 0, stderr: '' });
          return c.result as { versions: number[] };
        });
        const all = results.flatMap((r) => r.versions);
        const total = CHILDREN * ROUNDS;
        expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        const registry = place.open();
        const listed = await registry.list('shared');
        expect(listed.map((v) => v.version)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        results.forEach(({ versions }, child) =>
          versions.forEach((version, round) => expect(listed[version - 1]!.card).toMatchObject({ child, round })),
        );
        await checkAliases(place, 'shared', 'production', total);
        for (const version of listed) {
          const out = join(base, 'pulled', String(version.version));
          await registry.pull('shared', version.digest, out);
          expect(Object.keys(await readTree(out)).sort()).toEqual(['common/shared.txt', 'weights.bin']);
        }
      }, 120_000);
    });

    /**
     * After `moves` alias moves at once, each to a different version: the alias points at a version. A store
     * whose alias moves are atomic keeps every move in the history, which ends where the alias points, each
     * event's `previous` the one before it (a lost update would break the chain); the OCI store's history is
     * read, changed and written back, so it may lose events under such a race (never the alias itself).
     */
    async function checkAliases(place: Place, model: string, alias: string, moves: number): Promise<void> {
      const current = (await place.open().aliases(model))[alias];
      expect(current).toBeGreaterThanOrEqual(1);
      const events = (await place.store().readHistory(model)).filter((e) => e.alias === alias);
      if (place.store().atomicAliases) {
        expect(events.at(-1)!.version).toBe(current);
        expect(events).toHaveLength(moves);
        events.forEach((event, i) => expect(event.previous).toBe(i === 0 ? null : events[i - 1]!.version));
        expect(new Set(events.map((e) => e.version)).size).toBe(moves);
      } else {
        expect(events.length).toBeGreaterThanOrEqual(1);
        expect(events.length).toBeLessThanOrEqual(moves);
        for (const event of events) expect(event.version).toBeGreaterThanOrEqual(1);
      }
    }
  });
});

/** A child process: builds the registry over the same store, waits at the barrier, then registers and moves an alias. */
const CHILD = `
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
const spec = JSON.parse(process.argv[2]);
const { ModelRegistry } = await import(spec.registryModule);
const Store = (await import(spec.storeModule))[spec.className];
const open = () => new ModelRegistry(new Store(...spec.args));
await mkdir(join(spec.modelDir, 'common'), { recursive: true });
await writeFile(join(spec.modelDir, 'common', 'shared.txt'), 'identical in every process');
await writeFile(join(spec.modelDir, 'weights.bin'), randomBytes(50000));
process.stdout.write('ready\\n');
await new Promise((go) => process.stdin.once('data', go));
const versions = [];
for (let round = 0; round < spec.rounds; round++) {
  const { version } = await open().register('shared', spec.modelDir, { card: { ...spec.card, child: spec.id, round }, blessing: null });
  versions.push(version);
  await open().setAlias('shared', 'production', version);
}
process.stdout.write(JSON.stringify({ versions }) + '\\n');
`;
