/**
 * Step summaries are Markdown written for GitHub (escaped so that data cannot inject
 * into them). A terminal shows them as plain text: escapes undone, entities decoded,
 * HTML and chart blocks reduced to what a person reads.
 */
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/** Markdown as a terminal should show it. */
export function markdownToTerminal(markdown: string): string {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    if (fence !== null) {
      if (line.trim() === fence) fence = null;
      continue;
    }
    const open = /^\s*(```+)\s*mermaid\s*$/.exec(line);
    if (open) {
      fence = open[1]!;
      lines.push('(chart: see the HTML report)');
      continue;
    }
    lines.push(plainLine(line));
  }
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function plainLine(line: string): string {
  return line
    .replace(/<!--.*?-->/g, '')
    .replace(/<summary>(.*?)<\/summary>/g, '$1')
    .replace(/<\/?(details|summary|br|sub|sup|b|i|p)\s*\/?>/g, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|~<>&"'=:$^])/g, '$1')
    .replace(/&(amp|lt|gt|quot|nbsp|#39);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/@\u200b/g, '@');
}
