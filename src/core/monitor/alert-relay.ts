/**
 * From an Alertmanager notification to GitHub's repository_dispatch: which alerts start
 * retraining, the client_payload that tells the workflow why, and de-duplication.
 *
 * Alertmanager's webhook cannot shape its body, and GitHub's dispatch endpoint takes only
 * `{"event_type", "client_payload"}` (at most 10 top-level properties, under 64 KB), so
 * this relay reads the notification and sends the dispatch.
 *
 * - Selection: a firing alert is selected when its `alertname` is one of the selector's
 *   and every label matcher holds (label equality, as Alertmanager's `name="value"`).
 *   Resolved alerts and resolved notifications are acknowledged, never dispatched.
 * - One dispatch per model: the selected alerts of a notification are split by their
 *   `model` label (alerts without one form one part), since one workflow run retrains one
 *   model. The client_payload (10 properties, see `ClientPayload`) carries the model,
 *   the `version` label, the drifted features (each alert's `feature` label and the
 *   comma-separated `features` annotation) and where to look.
 * - De-duplication: Alertmanager repeats a firing group every repeat_interval (4 h by
 *   default) and retries failed deliveries. A (groupKey, model) dispatched within the
 *   cooldown (6 h by default) is skipped; a failed dispatch records nothing, so
 *   Alertmanager's retry (it retries 5xx answers) sends it again. A resolved alert does
 *   not clear the cooldown: a flapping alert retrains once per cooldown.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { describeError } from '../errors.js';
import { REPOSITORY_DISPATCH_LIMITS, type GitHubPort, type RepoRef } from '../../ports/github.js';
import type { AlertmanagerAlert, AlertmanagerWebhook, LabelSet } from './alertmanager.js';

/** The event type the caller template `workflows/nightly.yml` listens for (`repository_dispatch: types`). */
export const DEFAULT_EVENT_TYPE = 'mlops-retrain';

/**
 * Alerts that mean the model no longer fits the world, as monitoring/prometheus/mlops-serve-alerts.yml
 * names them: drift of features, of the dataset and of predictions, and quality under its minimum.
 * (MlopsServeNullShareJump is left out: missing values are an upstream fault to fix, not to learn.)
 */
export const DEFAULT_ALERTNAMES: readonly string[] = [
  'MlopsServeFeatureDrift',
  'MlopsServeDatasetDrift',
  'MlopsServePredictionDrift',
  'MlopsServeAccuracyLow',
  'MlopsServeR2Low',
];

/** Longer than Alertmanager's default repeat_interval (4 h): one retraining per firing group, not one per reminder. */
export const DEFAULT_COOLDOWN_MS = 6 * 3600 * 1000;

/**
 * The labels and annotation the payload is read from. The serve metrics carry `version` (and
 * `feature` on per-feature series); `model` comes from a target label you give the scrape
 * job (`labels: { model: penguins }`), else the payload's model is ''.
 */
export const MODEL_LABEL = 'model';
export const VERSION_LABEL = 'version';
export const FEATURE_LABEL = 'feature';
export const FEATURES_ANNOTATION = 'features';

/** Which firing alerts start retraining. */
export interface AlertSelector {
  /** Selected alert names (the `alertname` label). */
  alertnames: readonly string[];
  /** Labels that must also have these values. */
  matchers: Readonly<Record<string, string>>;
}

/**
 * What the workflow gets as `github.event.client_payload` (10 properties, GitHub's limit).
 * The "first" alert is the one of the part that started first.
 */
export interface ClientPayload {
  /** The first alert's name. */
  alertname: string;
  /** Every selected alert name of this part, sorted. */
  alertnames: string[];
  /** The `model` label ('' when the alerts have none). */
  model: string;
  /** The first alert's `version` label (the version in production, as the metrics say; '' when absent). */
  version: string;
  /** The drifted features, sorted: each alert's `feature` label and the `features` annotation (comma-separated). */
  features: string[];
  /** When the first alert started (RFC 3339). */
  startsAt: string;
  /** Alertmanager's key of the alert group. */
  groupKey: string;
  /** The Alertmanager, for a link back. */
  externalURL: string;
  /** The first alert's source (a Prometheus graph of the rule's expression). */
  generatorURL: string;
  /** The first alert's `summary` annotation (else `description`). */
  summary: string;
}

/** One dispatch to send: a model's part of a notification. */
export interface PlannedDispatch {
  /** The de-duplication key: groupKey and model. */
  key: string;
  /** For messages: `MlopsFeatureDrift (model "penguins")`. */
  label: string;
  payload: ClientPayload;
}

export interface DispatchPlan {
  dispatches: PlannedDispatch[];
  /** Why each alert that was not selected, or the whole notification, was left out. */
  skipped: string[];
}

/** Caps that keep any payload well under GitHub's 64 KB, even when every character needs a JSON escape. */
const CAPS = { name: 200, names: 10, features: 20, url: 2000, text: 1000 };
/** A payload's JSON must stay under this (GitHub's limit is 64 KB). */
const PAYLOAD_BUDGET_BYTES = 60_000;
/** The most skip reasons an answer lists. */
const MAX_REASONS = 50;

/** Which alerts of a notification to dispatch for, one dispatch per model, and why the others are not. */
export function planDispatches(webhook: AlertmanagerWebhook, selector: AlertSelector): DispatchPlan {
  const skipped: string[] = [];
  if (webhook.truncatedAlerts > 0)
    skipped.push(`${webhook.truncatedAlerts} alerts were left out by Alertmanager (max_alerts): not seen, not dispatched`);
  if (webhook.status === 'resolved' && webhook.alerts.every((a) => a.status === 'resolved')) {
    skipped.push(`resolved notification (${webhook.alerts.length} alerts): acknowledged, nothing to retrain`);
    return { dispatches: [], skipped };
  }
  const byModel = new Map<string, AlertmanagerAlert[]>();
  for (const alert of webhook.alerts) {
    const reason = skipReason(alert, selector);
    if (reason) {
      skipped.push(`${describeAlert(alert)}: ${reason}`);
      continue;
    }
    const model = label(alert.labels, MODEL_LABEL);
    byModel.set(model, [...(byModel.get(model) ?? []), alert]);
  }
  const dispatches = [...byModel.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([model, alerts]) => {
      const payload = buildClientPayload(webhook, alerts);
      const names = payload.alertnames.join(', ');
      return {
        key: `${webhook.groupKey}\n${model}`,
        label: model ? `${names} (model ${JSON.stringify(model)})` : names,
        payload,
      };
    });
  return { dispatches, skipped };
}

/** Why an alert is not dispatched for; null when it is selected. */
export function skipReason(alert: AlertmanagerAlert, selector: AlertSelector): string | null {
  if (alert.status !== 'firing') return 'resolved';
  const name = label(alert.labels, 'alertname');
  if (!selector.alertnames.includes(name)) return 'alertname not selected for retraining';
  for (const [labelName, wanted] of Object.entries(selector.matchers)) {
    const have = Object.hasOwn(alert.labels, labelName) ? alert.labels[labelName]! : null;
    if (have !== wanted) {
      return `label ${labelName} is ${have === null ? 'absent' : JSON.stringify(have)}, not ${JSON.stringify(wanted)}`;
    }
  }
  return null;
}

/**
 * The client_payload for the selected firing alerts of one model: exactly the 10
 * properties of ClientPayload, strings and lists capped so the JSON stays under GitHub's
 * 64 KB whatever the labels hold. Label values pass through as data (only shortened).
 */
export function buildClientPayload(webhook: AlertmanagerWebhook, alerts: readonly AlertmanagerAlert[]): ClientPayload {
  if (alerts.length === 0) throw new Error('buildClientPayload needs at least one alert');
  const ordered = [...alerts].sort(
    (a, b) => compareTimes(a.startsAt, b.startsAt) || compare(label(a.labels, 'alertname'), label(b.labels, 'alertname')),
  );
  const first = ordered[0]!;
  const names = [...new Set(ordered.map((a) => label(a.labels, 'alertname')))].sort(compare);
  const features = new Set<string>();
  for (const alert of ordered) {
    const one = label(alert.labels, FEATURE_LABEL);
    if (one) features.add(one);
    for (const part of label(alert.annotations, FEATURES_ANNOTATION).split(',')) if (part.trim()) features.add(part.trim());
  }
  const summary = label(first.annotations, 'summary') || label(first.annotations, 'description');
  // Halve the caps until the JSON fits (only text made of characters that JSON escapes needs it).
  for (let scale = 1; ; scale /= 2) {
    const cap = (value: string, limit: number) => truncate(value, Math.max(16, Math.floor(limit * scale)));
    const payload: ClientPayload = {
      alertname: cap(label(first.labels, 'alertname'), CAPS.name),
      alertnames: names.slice(0, CAPS.names).map((n) => cap(n, CAPS.name)),
      model: cap(label(first.labels, MODEL_LABEL), CAPS.name),
      version: cap(label(first.labels, VERSION_LABEL), CAPS.name),
      features: [...features]
        .sort(compare)
        .slice(0, CAPS.features)
        .map((f) => cap(f, CAPS.name)),
      startsAt: cap(first.startsAt, 64),
      groupKey: cap(webhook.groupKey, CAPS.text),
      externalURL: cap(webhook.externalURL, CAPS.url),
      generatorURL: cap(first.generatorURL, CAPS.url),
      summary: cap(summary, CAPS.text),
    };
    if (Buffer.byteLength(JSON.stringify(payload), 'utf8') < PAYLOAD_BUDGET_BYTES || scale < 1 / 64) return payload;
  }
}

/** GitHub's rules for a dispatch, checked before sending: a list of what breaks them (empty when none). */
export function dispatchProblems(eventType: string, payload: object): string[] {
  const problems: string[] = [];
  if (eventType.length < 1 || eventType.length > REPOSITORY_DISPATCH_LIMITS.eventTypeLength)
    problems.push(`the event type must be 1 to ${REPOSITORY_DISPATCH_LIMITS.eventTypeLength} characters (it has ${eventType.length})`);
  const count = Object.keys(payload).length;
  if (count > REPOSITORY_DISPATCH_LIMITS.payloadProperties)
    problems.push(`client_payload has ${count} top-level properties; GitHub allows ${REPOSITORY_DISPATCH_LIMITS.payloadProperties}`);
  const bytes = Buffer.byteLength(JSON.stringify(payload), 'utf8');
  if (bytes >= REPOSITORY_DISPATCH_LIMITS.payloadBytes)
    problems.push(`client_payload is ${bytes} bytes of JSON; GitHub takes less than ${REPOSITORY_DISPATCH_LIMITS.payloadBytes}`);
  return problems;
}

// ---------------------------------------------------------------- de-duplication

const STATE_FORMAT = 'mlops-alert-relay-state/1';

/**
 * When each (groupKey, model) was last dispatched, kept in memory and, with a file, across
 * restarts (written atomically after each dispatch). A key is reserved while its dispatch
 * is in flight; a notification for it that comes meanwhile (Alertmanager's retry, or a
 * second Alertmanager of a cluster) waits for that dispatch and then sees its outcome.
 */
export class DispatchLedger {
  private readonly sent = new Map<string, number>();
  private readonly pending = new Map<string, { settled: Promise<void>; settle: () => void }>();
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string | null) {}

  /** A ledger kept in memory only. */
  static inMemory(): DispatchLedger {
    return new DispatchLedger(null);
  }

  /** A ledger kept in `file` too; it starts from what the file holds (a missing file is an empty ledger). */
  static async open(file: string): Promise<DispatchLedger> {
    const ledger = new DispatchLedger(file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ledger;
      throw error;
    }
    let state: unknown;
    try {
      state = JSON.parse(text);
    } catch (error) {
      throw new Error(`${file} is not JSON (${describeError(error)}): delete it to start with no cooldowns`);
    }
    const record = state as { format?: unknown; dispatched?: unknown };
    if (record?.format !== STATE_FORMAT || typeof record.dispatched !== 'object' || record.dispatched === null) {
      throw new Error(`${file} is not the relay's state file (expected "format": "${STATE_FORMAT}")`);
    }
    for (const [key, at] of Object.entries(record.dispatched as Record<string, unknown>)) {
      const time = typeof at === 'string' ? Date.parse(at) : NaN;
      if (Number.isFinite(time)) ledger.sent.set(key, time);
    }
    return ledger;
  }

  /** When `key` was last dispatched (ms since the epoch), or null. */
  lastSent(key: string): number | null {
    return this.sent.get(key) ?? null;
  }

  /** Settles when the dispatch of `key` in flight has succeeded or failed; undefined when none is in flight. */
  inFlight(key: string): Promise<void> | undefined {
    return this.pending.get(key)?.settled;
  }

  /** Marks a dispatch of `key` in flight, until `release` or `confirm`; false when one already is. */
  reserve(key: string): boolean {
    if (this.pending.has(key)) return false;
    let settle = () => {};
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.pending.set(key, { settled, settle });
    return true;
  }

  /** The dispatch of `key` failed: nothing recorded. */
  release(key: string): void {
    this.pending.get(key)?.settle();
    this.pending.delete(key);
  }

  /** The dispatch of `key` was accepted at `now`; the file (if any) is rewritten without entries older than `keepMs`. */
  async confirm(key: string, now: number, keepMs: number): Promise<void> {
    this.sent.set(key, now);
    this.release(key);
    for (const [k, at] of this.sent) if (now - at >= keepMs && k !== key) this.sent.delete(k);
    if (!this.file) return;
    const file = this.file;
    const text = `${JSON.stringify({
      format: STATE_FORMAT,
      dispatched: Object.fromEntries([...this.sent].map(([k, at]) => [k, new Date(at).toISOString()])),
    })}\n`;
    // One write at a time, in order: the last one holds every entry.
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        await mkdir(dirname(file), { recursive: true });
        await writeFileAtomic(file, text, { mode: 0o600 });
      });
    await this.writing;
  }
}

// ---------------------------------------------------------------- the relay

export interface AlertRelayOptions {
  /** GitHub; null for a dry run (nothing is sent; `onDryRun` sees each dispatch). */
  github: GitHubPort | null;
  /** The repository whose workflows the dispatch starts (null only in a dry run). */
  repo: RepoRef | null;
  eventType: string;
  selector: AlertSelector;
  /** 0: every notification dispatches (no de-duplication). */
  cooldownMs: number;
  ledger: DispatchLedger;
  /** The time, in ms since the epoch. Default: Date.now. */
  now?: () => number;
  /** The longest a dispatch may wait for GitHub's answer before it counts as failed (ms). Default 30 s. */
  dispatchTimeoutMs?: number;
  /** Where the relay tells what it dispatched. */
  logger?: (line: string) => void;
  /** In a dry run: each dispatch that would be sent. */
  onDryRun?: (dispatch: { repo: RepoRef | null; eventType: string; clientPayload: ClientPayload }) => void;
}

export interface RelayResult {
  dispatched: number;
  skipped: string[];
  /** True when nothing was sent to GitHub (--dry-run). */
  dryRun?: true;
}

/** GitHub refused or could not be reached; Alertmanager should retry (the server answers 502). */
export class DispatchFailedError extends Error {
  override readonly name = 'DispatchFailedError';
  constructor(
    message: string,
    /** What was done before the failure. */
    readonly result: RelayResult,
  ) {
    super(message);
  }
}

/** Selects alerts, de-duplicates, and dispatches: the use case behind `mlops alert-relay`. */
export class AlertRelay {
  private readonly now: () => number;
  private readonly logger: (line: string) => void;

  constructor(readonly options: AlertRelayOptions) {
    const problems = dispatchProblems(options.eventType, {});
    if (problems.length > 0) throw new Error(`event type ${JSON.stringify(options.eventType)}: ${problems.join('; ')}`);
    if (options.github && !options.repo) throw new Error('the relay needs the repository to dispatch to');
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? (() => {});
  }

  /**
   * Handles one notification: dispatches for each model's selected firing alerts not in
   * their cooldown. Throws DispatchFailedError when GitHub fails (after trying every
   * dispatch; those that went through stay recorded, so a retry sends only the rest).
   */
  async handle(webhook: AlertmanagerWebhook): Promise<RelayResult> {
    const plan = planDispatches(webhook, this.options.selector);
    const skipped = [...plan.skipped];
    const failures: string[] = [];
    let dispatched = 0;
    const ledger = this.options.ledger;
    for (const dispatch of plan.dispatches) {
      // Wait out a dispatch of the same key in flight, then judge by its outcome.
      let inCooldown: string | null = null;
      for (;;) {
        const now = this.now();
        const last = ledger.lastSent(dispatch.key);
        if (last !== null && this.options.cooldownMs > 0 && now - last < this.options.cooldownMs) {
          inCooldown = `${dispatch.label}: dispatched ${formatDuration(now - last)} ago for this alert group; cooldown ${formatDuration(this.options.cooldownMs)}`;
          break;
        }
        const inFlight = ledger.inFlight(dispatch.key);
        if (!inFlight) break;
        await inFlight;
      }
      if (inCooldown) {
        skipped.push(inCooldown);
        continue;
      }
      ledger.reserve(dispatch.key);
      const now = this.now();
      const problems = dispatchProblems(this.options.eventType, dispatch.payload);
      try {
        if (problems.length > 0) throw new Error(problems.join('; '));
        if (this.options.github) {
          await this.withTimeout(
            this.options.github.repositoryDispatch(this.options.repo!, this.options.eventType, { ...dispatch.payload }),
          );
        } else {
          this.options.onDryRun?.({ repo: this.options.repo, eventType: this.options.eventType, clientPayload: dispatch.payload });
        }
      } catch (error) {
        ledger.release(dispatch.key);
        failures.push(`${dispatch.label}: ${describeError(error)}`);
        continue;
      }
      dispatched++;
      try {
        await ledger.confirm(dispatch.key, now, this.options.cooldownMs);
      } catch (error) {
        this.logger(`warning: the dispatch went through but the state file was not written: ${describeError(error)}`);
      }
      const where = this.options.repo ? `${this.options.repo.owner}/${this.options.repo.repo}` : '(no repository)';
      this.logger(
        `${this.options.github ? 'dispatched' : 'dry run: would dispatch'} ${this.options.eventType} to ${where}: ${dispatch.label}, group ${JSON.stringify(webhook.groupKey)}`,
      );
    }
    const result: RelayResult = { dispatched, skipped: capReasons(skipped), ...(this.options.github ? {} : { dryRun: true as const }) };
    if (failures.length > 0) {
      throw new DispatchFailedError(
        `GitHub did not take the repository dispatch: ${failures.join(' | ')}${dispatched > 0 ? ` (${dispatched} other dispatch(es) went through)` : ''}`,
        result,
      );
    }
    return result;
  }

  /** GitHub's answer, or a failure after dispatchTimeoutMs (the request may still land: the cooldown then covers nothing). */
  private async withTimeout(call: Promise<void>): Promise<void> {
    const ms = this.options.dispatchTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`GitHub did not answer within ${formatDuration(ms)}`)), ms);
    });
    try {
      await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

// ---------------------------------------------------------------- durations

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** A duration as Alertmanager writes them (`6h`, `1h30m`, `1d`, `90s`, `0`) or plain seconds (`3600`), in ms; null when it is not one. */
export function parseDuration(text: string): number | null {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (!/^(\d+(ms|y|w|d|h|m|s))+$/.test(value)) return null;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) total += Number(amount) * UNITS[unit!]!;
  return total;
}

/** 6h, 1h30m, 45s, 0s: the largest units, as Alertmanager prints durations. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1000));
  if (rest === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, seconds] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= seconds) {
      parts.push(`${Math.floor(rest / seconds)}${unit}`);
      rest %= seconds;
    }
  }
  return parts.join('');
}

// ---------------------------------------------------------------- helpers

/** An own label's value, or ''. */
function label(set: LabelSet, name: string): string {
  return Object.hasOwn(set, name) ? set[name]! : '';
}

function describeAlert(alert: AlertmanagerAlert): string {
  const name = label(alert.labels, 'alertname') || '(no alertname)';
  const model = label(alert.labels, MODEL_LABEL);
  return model ? `${name} (model ${JSON.stringify(model)})` : name;
}

/** RFC 3339 times in time order (any offset, any fraction); texts that are not times after them, by text. */
function compareTimes(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isFinite(ta) && Number.isFinite(tb)) return ta - tb || compare(a, b);
  if (Number.isFinite(ta) !== Number.isFinite(tb)) return Number.isFinite(ta) ? -1 : 1;
  return compare(a, b);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** At most `limit` characters (code points), with an ellipsis when cut. */
function truncate(value: string, limit: number): string {
  const chars = Array.from(value);
  return chars.length <= limit ? value : `${chars.slice(0, limit - 1).join('')}…`;
}

function capReasons(reasons: string[]): string[] {
  if (reasons.length <= MAX_REASONS) return reasons;
  return [...reasons.slice(0, MAX_REASONS - 1), `... and ${reasons.length - MAX_REASONS + 1} more`];
}
