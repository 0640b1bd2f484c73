/** A StepIO that records everything a step says: for in-process step tests. */
import type { StepIO, Where } from '../../src/ports/step-io.js';

export interface RecordedAnnotation {
  level: 'warning' | 'error';
  message: string;
  where?: Where;
}

/** A StepIO that records everything a step says. */
export class RecordingIO implements StepIO {
  readonly outputs: Record<string, string> = {};
  readonly summaries: string[] = [];
  readonly logs: string[] = [];
  readonly annotations: RecordedAnnotation[] = [];
  failed: string | null = null;

  constructor(
    private readonly inputs: Readonly<Record<string, string>>,
    readonly onGitHub = false,
  ) {}

  getInput(name: string): string {
    return (this.inputs[name] ?? '').trim();
  }
  setOutput(name: string, value: string): void {
    this.outputs[name] = value;
  }
  async appendSummary(markdown: string): Promise<void> {
    this.summaries.push(markdown);
  }
  info(message: string): void {
    this.logs.push(message);
  }
  warning(message: string, where?: Where): void {
    this.annotations.push({ level: 'warning', message, where });
    this.logs.push(`warning: ${message}`);
  }
  error(message: string, where?: Where): void {
    this.annotations.push({ level: 'error', message, where });
    this.logs.push(`error: ${message}`);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.logs.push(`── ${title}`);
    return fn();
  }
  fail(message: string): void {
    this.failed = message;
  }

  get summary(): string {
    return this.summaries.join('\n');
  }
  get log(): string {
    return this.logs.join('\n');
  }
  warnings(): string[] {
    return this.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
  }
}
