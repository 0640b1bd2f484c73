/** The job summary of a release: what was deployed where, how, the canary's checks and any error. */
import { code, escapeText, table } from '../markdown.js';
import type { DeployTarget, ReleasePlan, ReleaseResult } from './release.js';

export function releaseSummary(plan: ReleasePlan, target: DeployTarget, result: ReleaseResult): string {
  const { wanted } = result;
  const lines = [
    `## ${result.ok ? 'Deployed' : 'Deploy failed'}: ${escapeText(plan.model)} v${wanted.version} to ${escapeText(plan.environment)}${result.rolledBack ? ' (rolled back)' : ''}`,
    '',
    table(
      ['Release', ''],
      [
        ['Version', `v${wanted.version} ${code(wanted.digest, 80)}`],
        ['Previous', result.previous ? `v${result.previous.version}` : '(none)'],
        ['Target', target.name + (target.name === 'http' ? ` ${code(target.shown, 120)}` : '')],
        ['Strategy', plan.strategy + (plan.strategy === 'canary' ? ` (${plan.canary.weight} % for ${plan.canary.bakeSeconds} s)` : '')],
        ['Blessed', result.blessing?.blessed === true ? 'yes' : 'no'],
        ...(result.signature === null ? [] : [['Signature', escapeText(result.signature, 400)]]),
      ],
    ),
    '',
  ];
  if (result.canary && result.canary.checks.length > 0) {
    lines.push(
      '### Canary checks',
      '',
      table(
        ['Check', 'Result', 'Detail'],
        result.canary.checks.map((c) => [escapeText(c.name), c.passed ? 'pass' : '**fail**', escapeText(c.detail)]),
      ),
      '',
    );
  }
  if (result.error) lines.push(`Error: ${escapeText(result.error, 1000)}`, '');
  return lines.join('\n');
}
