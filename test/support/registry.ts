/**
 * Helpers for the model registry tests: model directories on disk, contract-valid
 * cards and blessings, the UserError a promise rejects with, and real processes that
 * run the registry's own source at once.
 *
 * Processes: plain node cannot load TypeScript and there is no build of these modules,
 * so `transpileTree` transpiles a module and every relative module it imports with the
 * TypeScript compiler (types stripped, nothing else changed) into a temporary folder
 * (with this repository's node_modules linked beside it for zod and friends), and
 * `runAtBarrier` spawns children that import it, waits until every one has loaded it,
 * and then lets them all go at once. Nothing of the algorithm is written twice.
 */
import { expect } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parseContract } from '../../src/core/contracts/index.js';
import type { Blessing, ModelCard } from '../../src/core/contracts/index.js';
import { UserError } from '../../src/core/errors.js';
import { prng } from './random.js';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** A model card that fits the contract; `extra` keys are kept (the contract is a loose object). */
export function testCard(extra: Record<string, unknown> = {}): ModelCard {
  return parseContract(
    'modelCard',
    {
      format: 'mlops-model-card/v1',
      name: 'penguins',
      task: 'classification',
      trainer: { kind: 'builtin', version: '1.0.0', model: 'mlp', backend: 'cpu' },
      data: { target: 'species', files: [{ path: 'data/penguins.csv', sha256: 'ab'.repeat(32) }] },
      git: { commit: '0123456789abcdef0123456789abcdef01234567', ref: 'refs/heads/main' },
      metrics: { validation: { accuracy: 0.97 } },
      ...extra,
    },
    'a test card',
  );
}

/** A blessing that fits the contract. */
export function testBlessing(blessed = true): Blessing {
  return parseContract(
    'blessing',
    {
      format: 'mlops-blessing/v1',
      blessed,
      reasons: blessed ? [] : ['accuracy 0.5 is below the minimum 0.9'],
      model: { name: 'penguins', source: '.mlops/train/model' },
      evaluatedAt: '2026-01-01T00:00:00.000Z',
    },
    'a test blessing',
  );
}

/** Bytes from a seeded generator (the same seed, the same bytes). */
export function seededBytes(seed: number, size: number): Buffer {
  const next = prng(seed);
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(next() * 256);
  return bytes;
}

/** Writes files (path with forward slashes -> content) under `dir`. */
export async function writeTree(dir: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, ...path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/** Every file under `dir` by its path with forward slashes. */
export async function readTree(dir: string): Promise<Record<string, Buffer>> {
  const tree: Record<string, Buffer> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = join(entry.parentPath, entry.name);
    tree[relative(dir, absolute).split('\\').join('/')] = await readFile(absolute);
  }
  return tree;
}

/**
 * A tree's files as base64 text, to compare trees with toEqual byte for byte: Jest compares a Buffer index by
 * index (about a second for 200 KB), a string at once.
 */
export function asText(tree: Record<string, Buffer | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(tree).map(([path, bytes]) => [path, bytes?.toString('base64')]));
}

/** The UserError a promise rejects with (fails the test when it resolves or rejects with anything else). */
export async function userError(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

const TRANSPILE_OPTIONS: ts.CompilerOptions = { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 };
/** Modules already transpiled, by a hash of their text (the compiler's version and options included), for the next test file. */
const TRANSPILED = join(REPO, 'node_modules', '.cache', 'mlops-tests', 'transpiled');

/** One module's text with its types stripped: from the cache when this text was transpiled before, else transpiled and kept. */
async function transpiled(source: string): Promise<string> {
  const text = await readFile(source, 'utf8');
  const key = createHash('sha256')
    .update(JSON.stringify([ts.version, TRANSPILE_OPTIONS]))
    .update('\0')
    .update(text)
    .digest('hex');
  const cached = join(TRANSPILED, `${key}.js`);
  const hit = await readFile(cached, 'utf8').catch(() => null);
  if (hit !== null) return hit;
  const { outputText } = ts.transpileModule(text, { fileName: source, compilerOptions: TRANSPILE_OPTIONS });
  try {
    await mkdir(TRANSPILED, { recursive: true });
    const partial = `${cached}.${process.pid}.partial`;
    await writeFile(partial, outputText);
    await rename(partial, cached); // whole or not at all, for a test file of the other worker reading it
  } catch {
    // a read-only checkout: transpiled again next time
  }
  return outputText;
}

/**
 * Transpiles `entries` and every relative module they import (types stripped) into `outRoot`, mirroring the
 * repository. TypeScript takes tens of milliseconds a module; a module already transpiled with the same text is taken
 * from node_modules/.cache.
 */
export async function transpileTree(entries: string[], outRoot: string): Promise<string[]> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const source = queue.pop()!;
    if (seen.has(source)) continue;
    seen.add(source);
    const outputText = await transpiled(source);
    const out = join(outRoot, relative(REPO, source)).replace(/\.ts$/, '.js');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, outputText);
    for (const match of outputText.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
      queue.push(resolve(dirname(source), `${match[1]}.ts`));
    }
  }
  await writeFile(join(outRoot, 'package.json'), '{"type":"module"}\n');
  await symlink(join(REPO, 'node_modules'), join(outRoot, 'node_modules'), 'dir').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return entries.map((entry) => join(outRoot, relative(REPO, entry)).replace(/\.ts$/, '.js'));
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The last line of stdout, parsed as JSON. */
  result: unknown;
}

/**
 * Runs `script` (an .mjs file) in `count` processes with `argsOf(i)`: each prints `ready` once it has loaded
 * what it needs and waits for a line on stdin; when all are ready they are released together. Resolves with
 * each child's exit code, output and last stdout line (JSON).
 */
export async function runAtBarrier(script: string, count: number, argsOf: (i: number) => string[]): Promise<ChildResult[]> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const children = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const child = spawn(process.execPath, [script, ...argsOf(i)], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      await new Promise<void>((ready, reject) => {
        const poll = setInterval(() => {
          if (stdout.includes('ready\n')) {
            clearInterval(poll);
            ready();
          }
        }, 5);
        void exited.then(() => {
          clearInterval(poll);
          reject(new Error(`child ${i} exited before it was ready: ${stderr}`));
        });
      });
      return { child, exited, output: () => ({ stdout, stderr }) };
    }),
  );
  for (const { child } of children) child.stdin.end('go\n');
  const codes = await Promise.all(children.map((c) => c.exited));
  return children.map((c, i) => {
    const { stdout, stderr } = c.output();
    const last = stdout.split('\n').filter(Boolean).at(-1);
    let result: unknown = null;
    try {
      result = last === undefined ? null : JSON.parse(last);
    } catch {
      result = null;
    }
    return { code: codes[i]!, stdout, stderr, result };
  });
}
