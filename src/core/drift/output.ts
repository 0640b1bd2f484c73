/** drift-check's three reports, written together: report.md (people), drift.json (machines), report.html (self-contained). */
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { DriftReport } from './compute.js';
import { renderDriftHtml } from './html-report.js';
import { renderDriftMarkdown } from './markdown-report.js';

export interface DriftReportFiles {
  markdown: string;
  json: string;
  html: string;
}

/** Writes the reports into `dir` (which must exist); returns their paths and the Markdown (for the summary and the issue). */
export async function writeDriftReports(
  dir: string,
  report: DriftReport,
  runUrl: string | null,
): Promise<{ paths: DriftReportFiles; markdown: string }> {
  const paths = { markdown: join(dir, 'report.md'), json: join(dir, 'drift.json'), html: join(dir, 'report.html') };
  const markdown = renderDriftMarkdown(report, runUrl ? [`[Workflow run](${runUrl})`] : []);
  await writeFileAtomic(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(paths.markdown, markdown);
  await writeFileAtomic(paths.html, await renderDriftHtml(report));
  return { paths, markdown };
}
