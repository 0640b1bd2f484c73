/**
 * scripts/release.mjs: the reusable workflows name this repository's actions in full
 * (OWNER/mlops-actions/actions/x@v1); a release rewrites owner and ref everywhere users
 * meet them, and the result still passes the workflow parser and actionlint checks.
 */
import { describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, makeTempDir, removeTempDirs } from './support/action-runner.js';

afterAll(removeTempDirs);

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('scripts/release.mjs', () => {
  test('rewrites every reference to OWNER/mlops-actions@v1 in the workflows, templates and README', async () => {
    const dir = await makeTempDir('mlops-release-');
    await mkdir(join(dir, '.github'), { recursive: true });
    await cp(join(ROOT, '.github', 'workflows'), join(dir, '.github', 'workflows'), { recursive: true });
    await cp(join(ROOT, 'workflows'), join(dir, 'workflows'), { recursive: true });
    await cp(join(ROOT, 'README.md'), join(dir, 'README.md'));
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'release.mjs'), 'acme', SHA, '--root', dir], { encoding: 'utf8' });
    const files = [
      ...(await readdir(join(dir, '.github', 'workflows')))
        .filter((f) => f.startsWith('mlops-'))
        .map((f) => join(dir, '.github', 'workflows', f)),
      ...(await readdir(join(dir, 'workflows'))).map((f) => join(dir, 'workflows', f)),
    ];
    let ours = 0;
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      expect(text).not.toMatch(/OWNER\/mlops-actions/);
      for (const [, ref] of text.matchAll(/uses: acme\/mlops-actions[^@\s]*@(\S+)/g)) {
        expect(ref).toBe(SHA);
        ours++;
      }
    }
    expect(ours).toBeGreaterThan(20);
    // Our own CI keeps its local ./actions paths.
    expect(await readFile(join(dir, '.github', 'workflows', 'ci.yml'), 'utf8')).toContain('uses: ./actions/deploy');
  });

  test('refuses a bad owner or ref', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'release.mjs'), 'bad owner!', 'v1'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage:');
  });
});
