import { describe, expect, test } from '@jest/globals';
import { DEFAULT_CANARY_LIMITS, judgeCanary } from '../src/core/deploy/canary.js';
import type { VersionStats } from '../src/core/deploy/canary.js';
import { bakeCanary } from '../src/core/deploy/release.js';
import type { CanaryControl } from '../src/core/deploy/release.js';
import { signBody, signReload } from '../src/core/serve/auth.js';
import type { ServerStatus } from '../src/core/deploy/serve-client.js';
import type { ModelVersion } from '../src/ports/registry.js';

const limits = { ...DEFAULT_CANARY_LIMITS, minRequests: 10, maxP99Ms: 50 };

describe('judgeCanary', () => {
  test('a healthy candidate is promoted', () => {
    const verdict = judgeCanary({ requests: 100, errors: 0, p50: 2, p99: 8 }, { requests: 900, errors: 1, p50: 2, p99: 7 }, limits);
    expect(verdict.promote).toBe(true);
    expect(verdict.reasons).toEqual([]);
    expect(verdict.checks.map((c) => c.name)).toEqual([
      'traffic',
      'error rate',
      'error rate vs stable',
      'p99 latency',
      'p99 latency vs stable',
    ]);
  });

  test('every failed check is a reason, not just the first', () => {
    const verdict = judgeCanary({ requests: 100, errors: 30, p50: 40, p99: 90 }, { requests: 900, errors: 0, p50: 2, p99: 10 }, limits);
    expect(verdict.promote).toBe(false);
    expect(verdict.reasons).toHaveLength(4);
    expect(verdict.reasons[0]).toBe('error rate: candidate error rate 30.00 % (30 of 100), limit 1.00 %.');
    expect(verdict.reasons.join(' ')).toContain('p99 latency vs stable: candidate p99 90.0 ms vs stable 10.0 ms: may be at most 2x');
  });

  test('too little traffic is not a pass: a candidate nobody called is not promoted', () => {
    const verdict = judgeCanary({ requests: 3, errors: 0, p50: 1, p99: 1 }, null, limits);
    expect(verdict.promote).toBe(false);
    expect(verdict.reasons).toEqual(['traffic: the candidate served 3 requests (at least 10 needed to judge it).']);
  });

  test('the error rate limit is inclusive; the increase over stable is judged on its own', () => {
    expect(judgeCanary({ requests: 100, errors: 1, p50: 1, p99: 1 }, null, { ...limits, maxP99Ms: null }).promote).toBe(true);
    const worse = judgeCanary(
      { requests: 100, errors: 1, p50: 1, p99: 1 },
      { requests: 1000, errors: 0, p50: 1, p99: 1 },
      {
        ...limits,
        maxErrorRateIncrease: 0.001,
      },
    );
    expect(worse.reasons).toEqual(['error rate vs stable: candidate 1.00 % vs stable 0.00 %: may be at most 0.10 % higher.']);
  });
});

describe('prediction distribution', () => {
  test('a candidate predicting other classes than the stable version on the same traffic fails; a similar mix passes', () => {
    const base = { requests: 100, errors: 0, p50: 1, p99: 2 };
    const stable = { ...base, requests: 900, classes: { Adelie: 400, Chinstrap: 180, Gentoo: 320 } };
    const similar = judgeCanary({ ...base, classes: { Adelie: 45, Chinstrap: 19, Gentoo: 36 } }, stable, limits);
    expect(similar.promote).toBe(true);
    expect(similar.checks.at(-1)!.name).toBe('predictions vs stable');
    const skewed = judgeCanary({ ...base, classes: { Adelie: 100 } }, stable, limits);
    expect(skewed.promote).toBe(false);
    // JS distance, base 2, of the shares 400:180:320 and 100:0:0: sqrt(0.35687) = 0.5974 (computed independently in Python).
    expect(skewed.reasons).toEqual([expect.stringMatching(/^predictions vs stable: Jensen-Shannon distance 0\.597 between/)]);
  });
});

describe('regression predictions', () => {
  test('a mean prediction moved by more than the limit, in the stable version’s standard deviations, fails', () => {
    const base = { requests: 100, errors: 0, p50: 1, p99: 2 };
    const stable = { ...base, requests: 900, mean: 4200, std: 800 };
    expect(judgeCanary({ ...base, mean: 4400, std: 790 }, stable, limits).promote).toBe(true); // 0.25 sd
    const moved = judgeCanary({ ...base, mean: 5000, std: 700 }, stable, limits); // (5000 - 4200) / 800 = 1 sd
    expect(moved.reasons).toEqual([
      'predictions vs stable: mean prediction 5000 vs stable 4200: 1.00 standard deviations apart, limit 0.5.',
    ]);
  });
});

test('reload webhooks are signed as GitHub signs its webhooks, over "<timestamp>.<body>"', () => {
  // GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!".
  expect(signBody('Hello, World!', "It's a Secret to Everybody")).toBe(
    'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
  );
  expect(signReload('{"ref":"sha256:ab"}', 'key', 1_800_000_000)).toEqual({
    'x-mlops-timestamp': '1800000000',
    'x-mlops-signature-256': signBody('1800000000.{"ref":"sha256:ab"}', 'key'),
  });
});

describe('bakeCanary: the bake loop over a server’s canary control', () => {
  /** A server's canary control in memory: the candidate's statistics grow by `perPoll` each status read. */
  class Control implements CanaryControl {
    calls: string[] = [];
    stable: number | null = 1;
    candidate: number | null = null;
    private reads = 0;
    constructor(private readonly perPoll: VersionStats) {}
    async status(): Promise<ServerStatus> {
      this.calls.push('status');
      const n = this.candidate === null ? 0 : this.reads++;
      const scale = (s: VersionStats, k: number): VersionStats => ({ ...s, requests: s.requests * k, errors: s.errors * k });
      return {
        stable: this.stable === null ? null : { version: this.stable, digest: null },
        candidate: this.candidate === null ? null : { version: this.candidate, digest: null },
        weight: 0,
        stats: {
          ...(this.stable === null ? {} : { [String(this.stable)]: { requests: 900, errors: 0, p50: 2, p99: 8 } }),
          ...(this.candidate === null ? {} : { [String(this.candidate)]: scale(this.perPoll, n) }),
        },
      };
    }
    async resetStats() {
      this.calls.push('reset-stats');
    }
    async setCandidate(ref: string, weight: number) {
      this.calls.push(`candidate ${ref} ${weight}`);
      this.candidate = Number(ref);
    }
    async promote() {
      this.calls.push('promote');
      this.stable = this.candidate;
      this.candidate = null;
    }
    async dropCandidate() {
      this.calls.push('drop');
      this.candidate = null;
    }
  }
  const version = (n: number) => ({ model: 'm', version: n, digest: `sha256:${n}`, uri: `local://m/${n}` }) as ModelVersion;
  const lines: string[] = [];
  const log = {
    info: (m: string) => lines.push(m),
    warning: (m: string) => lines.push(`warning: ${m}`),
    error: (m: string) => lines.push(`error: ${m}`),
  };

  test('a healthy candidate bakes (its traffic reported each poll) and is promoted', async () => {
    lines.length = 0;
    const control = new Control({ requests: 20, errors: 0, p50: 2, p99: 9 });
    const verdict = await bakeCanary(control, version(2), { weight: 25, bakeSeconds: 0.25, limits, pollMs: 50 }, 'http://server', log);
    expect(verdict.promote).toBe(true);
    expect(control.calls.slice(0, 3)).toEqual(['status', 'reset-stats', 'candidate 2 25']);
    expect(control.calls.at(-1)).toBe('promote');
    expect(control.stable).toBe(2);
    // Polled several times while baking: the candidate's traffic grows in the log.
    const progress = lines.filter((l) => l.startsWith('  candidate: '));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[0]).toBe('  candidate: 0 requests, 0 errors, p99 9.0 ms');
    expect(lines).toContain('Canary passed every check: v2 promoted.');
  });

  test('a failing candidate is dropped, with every reason, and the stable version stays', async () => {
    lines.length = 0;
    const control = new Control({ requests: 20, errors: 5, p50: 2, p99: 9 });
    const verdict = await bakeCanary(control, version(3), { weight: 10, bakeSeconds: 0, limits }, 'http://server', log);
    expect(verdict.promote).toBe(false);
    expect(control.calls.at(-1)).toBe('drop');
    expect(control.stable).toBe(1);
    expect(lines.at(-1)).toMatch(/^warning: Canary failed: .* v3 was removed; http:\/\/server serves v1 again\.$/);
  });

  test('a candidate the server already serves is not baked again', async () => {
    const control = new Control({ requests: 20, errors: 0, p50: 2, p99: 9 });
    const verdict = await bakeCanary(control, version(1), { weight: 10, bakeSeconds: 60, limits }, 'http://server', log);
    expect(verdict).toEqual({ promote: true, reasons: [], checks: [] });
    expect(control.calls).toEqual(['status']);
  });
});
