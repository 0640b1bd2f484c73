/**
 * Python's `onnx` package for the ONNX tests: the first Python among `python3` (the
 * PATH's) and `/usr/bin/python3` (where Debian's python3-onnx installs) that imports onnx
 * runs small scripts the tests give it (building models with onnx.helper, running
 * onnx.checker). When none does, `onnxPython()` returns the reason, and the tests that
 * need Python skip with it in their names; on CI (the CI variable set, as CI services set
 * it) that is an error instead.
 */
import { spawnSync } from 'node:child_process';

export type OnnxPython = { python: string } | { missing: string };

let found: OnnxPython | undefined;

/** The Python to run onnx scripts with, or why there is none. Throws on CI when there is none. */
export function onnxPython(): OnnxPython {
  if (!found) {
    const reasons: string[] = [];
    for (const python of ['python3', '/usr/bin/python3']) {
      const run = spawnSync(python, ['-c', 'import onnx, numpy; print(onnx.__version__)'], { encoding: 'utf8' });
      if (run.error) reasons.push(`${python} could not be started (${run.error.message})`);
      else if (run.status !== 0) reasons.push(`${python} has no onnx (${run.stderr.trim().split('\n').at(-1)})`);
      else {
        found = { python };
        break;
      }
    }
    found ??= { missing: reasons.join('; ') };
  }
  const ci = process.env.CI;
  if ('missing' in found && ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0')
    throw new Error(`The ONNX tests need Python's onnx package on CI: ${found.missing}`);
  return found;
}

/** Runs `code` with `args` (sys.argv[1:]); returns its stdout. Throws with its stderr when it fails. */
export function runPython(python: string, code: string, args: readonly string[] = [], input?: string): string {
  const run = spawnSync(python, ['-c', code, ...args], { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`${python} failed (exit ${run.status}):\n${run.stderr}`);
  return run.stdout;
}

/** onnx.checker.check_model with full_check (strict shape inference) on a file: null when it passes, else the checker's message. */
export function checkModel(python: string, file: string): string | null {
  const run = spawnSync(
    python,
    ['-c', 'import sys, onnx\nonnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)\nprint("ok")', file],
    { encoding: 'utf8' },
  );
  if (run.error) throw run.error;
  return run.status === 0 && run.stdout.trim() === 'ok' ? null : run.stderr.trim() || run.stdout.trim();
}

/** onnx.checker.check_model with full_check on several files in one Python process: each file's message, or null when it passes. */
export function checkModels(python: string, files: readonly string[]): Array<string | null> {
  const code = [
    'import sys, json, onnx',
    'out = []',
    'for f in sys.argv[1:]:',
    '    try:',
    '        onnx.checker.check_model(onnx.load(f), full_check=True)',
    '        out.append(None)',
    '    except Exception as e:',
    '        out.append(str(e) or type(e).__name__)',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(runPython(python, code, files)) as Array<string | null>;
}
