/**
 * The workspace: where steps keep what they write, `.mlops/<step>/` beside mlops.yaml
 * (or under `output_dir`), and how paths are shown to people. Steps ask it for
 * folders and files; none of them builds these paths itself.
 */
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { LoadedConfig } from './config/config.js';
import { configPath } from './config/config.js';
import { UserError } from './errors.js';

/** The folders of the workspace: one per step, and the run cache. */
export type WorkspaceFolder = 'validate-data' | 'train' | 'evaluate' | 'register' | 'deploy' | 'drift-check' | 'report' | 'cache';

export class Workspace {
  constructor(
    /** The `.mlops` folder (or output_dir of mlops.yaml). */
    readonly root: string,
    /** The working directory: relative inputs and shown paths are relative to it. */
    readonly cwd: string,
  ) {}

  static of(loaded: LoadedConfig, cwd: string): Workspace {
    const root = loaded.config.output_dir ? configPath(loaded, loaded.config.output_dir) : join(loaded.baseDir, '.mlops');
    return new Workspace(root, cwd);
  }

  /** A step's folder; `override` (the step's own output-dir input, relative to the working directory) wins. */
  dir(folder: WorkspaceFolder, override?: string): string {
    return override ? resolve(this.cwd, override) : join(this.root, folder);
  }

  /** train's model directory: `model/` in train's folder. */
  modelDir(trainOverride?: string): string {
    return join(this.dir('train', trainOverride), 'model');
  }

  /** A path from an input: relative to the working directory. */
  path(input: string): string {
    return resolve(this.cwd, input);
  }

  /** A path as people should see it: relative to the working directory when inside it. */
  shown(path: string): string {
    const rel = relative(this.cwd, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  }
}

/**
 * Checks, before any work, that `dir` can be created and written: a clear error naming
 * the folder (and the input that set it) instead of a raw EACCES after an hour of
 * training. Pseudo file systems (/proc, /sys, /dev) are refused outright: writing there
 * can hang or do harm.
 */
export async function ensureWritableDir(dir: string, setBy: string): Promise<void> {
  const absolute = resolve(dir);
  if (/^\/(proc|sys|dev)(\/|$)/.test(absolute))
    throw new UserError(
      `${setBy}: ${absolute} is on a system file system, not a folder for outputs`,
      'Choose a folder in your project or a temporary folder.',
    );
  try {
    await mkdir(absolute, { recursive: true });
    await access(absolute, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'no permission to write there'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'a file is in the way'
          : (error as Error).message;
    throw new UserError(`${setBy}: cannot write to ${absolute} (${why})`, 'Choose a folder you can write to, or fix its permissions.');
  }
}
