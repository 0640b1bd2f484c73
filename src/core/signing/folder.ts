/**
 * Signatures beside a version in a folder registry (adapters/registry/folder-store.ts's root):
 *
 *   models/<model>/signatures/sha256-<hex of the version digest>/<hex of the bundle's sha256>.sigstore.json
 *
 * Keyed by the version's digest, as the OCI referrers tag is: a version record rewritten after it
 * was signed has another digest, and so no signature. Each bundle is named by its own digest, so
 * signing again adds a file and never overwrites one. Files are written beside their place and
 * hard-linked into it (a reader sees a whole file or none), like the folder store's records.
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { referrersTag } from './oci.js';
import type { StoredBundle } from './verify.js';

const BUNDLE_FILE = /^[0-9a-f]{64}\.sigstore\.json$/;

/** The folder that holds the signatures of one version. */
export function signatureFolder(root: string, model: string, subjectDigest: string): string {
  return join(root, 'models', model, 'signatures', referrersTag(subjectDigest));
}

/** Stores a bundle for the version `subjectDigest` of `model`; returns its path. */
export async function attachFolderBundle(root: string, model: string, subjectDigest: string, bundle: Buffer): Promise<string> {
  const folder = signatureFolder(root, model, subjectDigest);
  await mkdir(folder, { recursive: true });
  const path = join(folder, `${createHash('sha256').update(bundle).digest('hex')}.sigstore.json`);
  const temporary = join(folder, `.tmp-${randomBytes(6).toString('hex')}`);
  await writeFile(temporary, bundle, { flush: true });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new UserError(`cannot store the signature at ${path}: ${(error as Error).message}`);
    }
  } finally {
    await rm(temporary, { force: true });
  }
  return path;
}

/** The bundles stored for the version `subjectDigest` of `model` ([] when none), not verified. */
export async function findFolderBundles(root: string, model: string, subjectDigest: string): Promise<StoredBundle[]> {
  const folder = signatureFolder(root, model, subjectDigest);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UserError(`cannot read the signatures in ${folder}: ${(error as Error).message}`);
  }
  const bundles: StoredBundle[] = [];
  for (const name of names.filter((n) => BUNDLE_FILE.test(n)).sort()) {
    const path = join(folder, name);
    bundles.push({ source: path, bytes: await readFile(path) });
  }
  return bundles;
}
