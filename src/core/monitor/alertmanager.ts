/**
 * What Alertmanager's webhook receiver sends (`webhook_config`, payload version "4"),
 * read strictly where we depend on it and leniently elsewhere:
 *
 *   { "version": "4", "groupKey": "...", "truncatedAlerts": 0, "status": "firing|resolved",
 *     "receiver": "...", "groupLabels": {...}, "commonLabels": {...}, "commonAnnotations": {...},
 *     "externalURL": "...", "alerts": [ { "status", "labels", "annotations", "startsAt",
 *     "endsAt", "generatorURL", "fingerprint" }, ... ] }
 *
 * `version`, `status`, `groupKey` and `alerts` (each with `status` and `labels`) are required,
 * as Alertmanager always sends them; the rest default to empty. Fields we do not know (Grafana
 * adds `orgId`, `values`, ...) are ignored. Every refusal names the field, e.g.
 * `alerts[2].labels.model: expected a string, got a number`.
 *
 * Label and annotation sets are objects without a prototype, so a label named `__proto__`
 * (or `constructor`) is an ordinary label: data, never a prototype.
 */

/** Label or annotation names to values. */
export type LabelSet = Readonly<Record<string, string>>;

export type AlertStatus = 'firing' | 'resolved';

export interface AlertmanagerAlert {
  status: AlertStatus;
  labels: LabelSet;
  annotations: LabelSet;
  /** RFC 3339, as Alertmanager sends it ('' when absent). */
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AlertmanagerWebhook {
  version: '4';
  /** Identifies the group of alerts (the route and the group_by labels): the key to de-duplicate on. */
  groupKey: string;
  /** Alerts left out because of the receiver's max_alerts. */
  truncatedAlerts: number;
  status: AlertStatus;
  receiver: string;
  groupLabels: LabelSet;
  commonLabels: LabelSet;
  commonAnnotations: LabelSet;
  /** The Alertmanager's own address, for links back to it. */
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

/** The body is not an Alertmanager webhook notification; the message names the field. */
export class WebhookPayloadError extends Error {
  override readonly name = 'WebhookPayloadError';
}

const STATUSES: readonly string[] = ['firing', 'resolved'];

/** Checks a parsed JSON body and returns it as a webhook notification, or throws a WebhookPayloadError. */
export function parseAlertmanagerWebhook(value: unknown): AlertmanagerWebhook {
  const body = object(value, '(the body)', 'an Alertmanager webhook notification (a JSON object)');
  if (body.version !== '4') {
    throw new WebhookPayloadError(
      `version: expected "4" (Alertmanager's webhook payload version), got ${describe(body.version)}; this relay reads what Alertmanager's webhook_configs send`,
    );
  }
  const groupKey = text(body.groupKey, 'groupKey', true);
  if (groupKey === '') throw new WebhookPayloadError('groupKey: expected the alert group\'s key, got ""');
  const alertsValue = body.alerts;
  if (!Array.isArray(alertsValue)) throw new WebhookPayloadError(`alerts: expected an array of alerts, got ${describe(alertsValue)}`);
  const truncated = body.truncatedAlerts;
  if (truncated !== undefined && !(typeof truncated === 'number' && Number.isInteger(truncated) && truncated >= 0)) {
    throw new WebhookPayloadError(`truncatedAlerts: expected a whole number >= 0, got ${describe(truncated)}`);
  }
  return {
    version: '4',
    groupKey,
    truncatedAlerts: (truncated as number | undefined) ?? 0,
    status: status(body.status, 'status'),
    receiver: text(body.receiver, 'receiver', false),
    groupLabels: labels(body.groupLabels, 'groupLabels', false),
    commonLabels: labels(body.commonLabels, 'commonLabels', false),
    commonAnnotations: labels(body.commonAnnotations, 'commonAnnotations', false),
    externalURL: text(body.externalURL, 'externalURL', false),
    alerts: alertsValue.map((alert, i) => parseAlert(alert, `alerts[${i}]`)),
  };
}

function parseAlert(value: unknown, at: string): AlertmanagerAlert {
  const alert = object(value, at, 'an alert (a JSON object)');
  return {
    status: status(alert.status, `${at}.status`),
    labels: labels(alert.labels, `${at}.labels`, true),
    annotations: labels(alert.annotations, `${at}.annotations`, false),
    startsAt: text(alert.startsAt, `${at}.startsAt`, false),
    endsAt: text(alert.endsAt, `${at}.endsAt`, false),
    generatorURL: text(alert.generatorURL, `${at}.generatorURL`, false),
    fingerprint: text(alert.fingerprint, `${at}.fingerprint`, false),
  };
}

function object(value: unknown, at: string, expected: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WebhookPayloadError(`${at}: expected ${expected}, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function status(value: unknown, at: string): AlertStatus {
  if (typeof value === 'string' && STATUSES.includes(value)) return value as AlertStatus;
  throw new WebhookPayloadError(`${at}: expected "firing" or "resolved", got ${describe(value)}`);
}

function text(value: unknown, at: string, required: boolean): string {
  if (value === undefined || value === null) {
    if (required) throw new WebhookPayloadError(`${at}: missing (expected a string)`);
    return '';
  }
  if (typeof value !== 'string') throw new WebhookPayloadError(`${at}: expected a string, got ${describe(value)}`);
  return value;
}

/** A label set as an object without a prototype (`__proto__` stays a label). */
function labels(value: unknown, at: string, required: boolean): LabelSet {
  const out = Object.create(null) as Record<string, string>;
  if (value === undefined || value === null) {
    if (required) throw new WebhookPayloadError(`${at}: missing (expected an object of label names to string values)`);
    return out;
  }
  const set = object(value, at, 'an object of names to string values');
  for (const name of Object.keys(set)) {
    const labelValue = set[name];
    if (typeof labelValue !== 'string') {
      const where = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${at}.${name}` : `${at}[${JSON.stringify(name)}]`;
      throw new WebhookPayloadError(`${where}: expected a string, got ${describe(labelValue)}`);
    }
    Object.defineProperty(out, name, { value: labelValue, enumerable: true, writable: false, configurable: false });
  }
  return out;
}

/** A short description of a JSON value, for error messages: its kind, and its text when short. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length <= 40 ? JSON.stringify(value) : `a string of ${value.length} characters`;
  return `a ${typeof value} (${String(value)})`;
}
