/**
 * Vega-Lite charts drawn on the server as inline SVG, for self-contained HTML reports
 * (no script, nothing loaded from anywhere).
 */
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

/** Vega is loaded on first use (one module after the other): it is large, and only this report needs it. */
let libraries: Promise<[Vega, VegaLite]> | undefined;

async function load(): Promise<[Vega, VegaLite]> {
  const vega = await import('vega');
  return [vega, await import('vega-lite')];
}

/**
 * Vega writes pixel positions at full precision; two decimals are plenty and make scatter plots a
 * third smaller. Only `d` and `transform` attributes inside tags are touched, never text.
 */
function roundCoordinates(svg: string): string {
  const round = (n: string) => String(Math.round(Number(n) * 100) / 100);
  return svg.replace(/<[^<>]+>/g, (tag) =>
    tag.replace(/ (d|transform)="([^"]*)"/g, (_, name: string, value: string) => ` ${name}="${value.replace(/-?\d*\.\d{3,}/g, round)}"`),
  );
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  libraries ??= load();
  const [vega, vegaLite] = await libraries;
  const view: View = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return roundCoordinates(await view.toSVG());
  } finally {
    view.finalize();
  }
}
