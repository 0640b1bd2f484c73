import type { StepIO, Where } from '../../ports/step-io.js';

/** Runs a step from a terminal: inputs from flags, logs on stderr, outputs kept for the caller to print. */
export class LocalStepIO implements StepIO {
  readonly onGitHub = false;
  readonly outputs = new Map<string, string>();
  readonly summaries: string[] = [];
  failed: string | null = null;

  constructor(
    private readonly inputs: ReadonlyMap<string, string>,
    private readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  getInput(name: string): string {
    return (this.inputs.get(name) ?? '').trim();
  }
  setOutput(name: string, value: string): void {
    this.outputs.set(name, value);
  }
  async appendSummary(markdown: string): Promise<void> {
    this.summaries.push(markdown);
  }
  info(message: string): void {
    this.log(message);
  }
  warning(message: string, where?: Where): void {
    this.log(`warning: ${place(where)}${message}`);
  }
  error(message: string, where?: Where): void {
    this.log(`error: ${place(where)}${message}`);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.log(`── ${title}`);
    return fn();
  }
  fail(message: string): void {
    this.failed = message;
    this.log(`error: ${message}`);
  }
}

function place(where?: Where): string {
  if (!where?.file) return '';
  return where.line ? `${where.file}:${where.line}: ` : `${where.file}: `;
}
