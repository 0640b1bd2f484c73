import * as core from '@actions/core';
import type { StepIO, Where } from '../../ports/step-io.js';

/** GitHub's job summary limit is 1 MiB per step; stay under it. */
export const SUMMARY_LIMIT = 1_000_000;

export class GitHubStepIO implements StepIO {
  readonly onGitHub = true;
  private summaryBytes = 0;
  private summaryWarned = false;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  getInput(name: string): string {
    return core.getInput(name);
  }
  setOutput(name: string, value: string): void {
    core.setOutput(name, value);
  }
  async appendSummary(markdown: string): Promise<void> {
    let text = markdown;
    const room = SUMMARY_LIMIT - this.summaryBytes;
    if (Buffer.byteLength(text) > room) {
      const note = "\n\n*Summary truncated at GitHub's 1 MiB limit; the full report is in the step's report file and artifact.*\n";
      text = truncateUtf8(text, Math.max(0, room - Buffer.byteLength(note))) + note;
    }
    if (text.length === 0) return;
    if (!this.env.GITHUB_STEP_SUMMARY) {
      // Not every runner (or a step run by hand) has a summary file: the step's work stands, the summary is skipped.
      if (!this.summaryWarned) core.info("No job summary: GITHUB_STEP_SUMMARY is not set; the reports are in the step's output folder.");
      this.summaryWarned = true;
      return;
    }
    this.summaryBytes += Buffer.byteLength(text);
    await core.summary.addRaw(text, true).write();
  }
  /** Log lines may carry data (class names, file names): a line starting with `::` would be a workflow command, so `::` is broken up. */
  info(message: string): void {
    core.info(message.replace(/::/g, ':\u200b:'));
  }
  warning(message: string, where?: Where): void {
    core.warning(message, annotation(where));
  }
  error(message: string, where?: Where): void {
    core.error(message, annotation(where));
  }
  group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    return core.group(title, fn);
  }
  fail(message: string): void {
    core.setFailed(message);
  }
}

function annotation(where?: Where): core.AnnotationProperties | undefined {
  if (!where) return undefined;
  return { file: where.file, startLine: where.line, title: where.title };
}

/** Cuts text to at most `bytes` UTF-8 bytes, at a line break when one is near. */
export function truncateUtf8(text: string, bytes: number): string {
  const buf = Buffer.from(text);
  if (buf.length <= bytes) return text;
  let cut = buf.subarray(0, bytes).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  const lastBreak = cut.lastIndexOf('\n');
  return lastBreak > cut.length * 0.9 ? cut.slice(0, lastBreak) : cut;
}
