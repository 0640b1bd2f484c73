/**
 * What a step sees of the world it runs in: its inputs, its outputs, the job
 * summary and the log. The GitHub adapter speaks @actions/core; the local adapter
 * speaks to a terminal. Steps depend only on this port.
 */
export interface Where {
  file?: string;
  line?: number;
  title?: string;
}

export interface StepIO {
  /** True on a GitHub Actions runner. */
  readonly onGitHub: boolean;
  /** The input's value, trimmed; '' when not set. */
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  /** Appends Markdown to the job summary (GitHub) or to what the CLI prints. */
  appendSummary(markdown: string): Promise<void>;
  info(message: string): void;
  /** A warning; with `where`, an annotation on that file and line. */
  warning(message: string, where?: Where): void;
  /** An error annotation that does not by itself fail the step. */
  error(message: string, where?: Where): void;
  /** Runs `fn` inside a collapsible log group. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Marks the step failed (the process exits non-zero at the end). */
  fail(message: string): void;
}
