/**
 * `mlops alert-relay`: takes Alertmanager's webhook notifications and starts retraining
 * with GitHub's repository_dispatch. Reads the options and the environment, builds the
 * relay (src/core/monitor/) and runs its server until SIGTERM or SIGINT.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_API_URL, GitHubRestAdapter, repositoryOf } from '../adapters/github/github-api.js';
import { UserError } from '../core/errors.js';
import {
  AlertRelay,
  DEFAULT_ALERTNAMES,
  DEFAULT_EVENT_TYPE,
  DispatchLedger,
  dispatchProblems,
  formatDuration,
  parseDuration,
} from '../core/monitor/alert-relay.js';
import { AlertRelayServer, RELAY_PATH } from '../core/monitor/relay-server.js';
import type { RepoRef } from '../ports/github.js';
import { byteSize } from './serve.js';
import { untilStopSignal } from './signals.js';

interface RelayOptions {
  repo?: string;
  eventType: string;
  alert: string[];
  match?: string[];
  cooldown: string;
  host: string;
  port: string;
  tokenEnv?: string;
  githubTokenEnv: string;
  apiUrl?: string;
  maxBody: string;
  stateFile?: string;
  dryRun?: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const stderr = (line: string) => process.stderr.write(`${line}\n`);

/** Adds `mlops alert-relay`. */
export function addAlertRelayCommand(program: Command): void {
  program
    .command('alert-relay')
    .description(
      `Relays Alertmanager's webhook notifications to GitHub: for firing alerts it selects (drift, accuracy), sends a repository_dispatch event that starts retraining (workflows/nightly.yml listens for ${DEFAULT_EVENT_TYPE}), at most once per alert group and model within the cooldown. Listens on POST ${RELAY_PATH}.`,
    )
    .option('--repo <owner/name>', 'the repository whose workflows the dispatch starts (default: GITHUB_REPOSITORY)')
    .option('--event-type <type>', 'the event_type sent (what the workflow lists under repository_dispatch: types)', DEFAULT_EVENT_TYPE)
    .option('--alert <names...>', 'alert names (the alertname label) that start retraining', [...DEFAULT_ALERTNAMES])
    .option('--match <label=value...>', 'labels a selected alert must also carry, e.g. severity=critical')
    .option('--cooldown <duration>', 'how long one alert group and model is not dispatched again (6h, 1h30m, 0 for never)', '6h')
    .option('--host <host>', 'the address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--port <port>', 'the port (0: any free port; the bound one is printed)', '9097')
    .option(
      '--token-env <name>',
      'the environment variable holding the bearer token Alertmanager must send (http_config.authorization); without it, anyone who reaches the relay can start retraining',
    )
    .option(
      '--github-token-env <name>',
      'the environment variable holding the GitHub token (contents: write on the repository)',
      'GITHUB_TOKEN',
    )
    .option('--api-url <url>', `GitHub's REST API (default: GITHUB_API_URL, else ${DEFAULT_API_URL})`)
    .option('--max-body <bytes>', 'largest notification accepted, e.g. 1mb or 512kb; larger ones get 413', '1mb')
    .option('--state-file <file>', 'keep the cooldowns in this file, so a restart does not dispatch the same alerts again')
    .option('--dry-run', 'send nothing to GitHub: print each dispatch that would be sent (no GitHub token needed)')
    .action(async (options: RelayOptions) => {
      await runRelay(options);
    });
}

async function runRelay(options: RelayOptions): Promise<void> {
  const dryRun = options.dryRun === true;
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65535) throw new UserError(`--port: "${options.port}" is not a port number (0 to 65535)`);
  const cooldownMs = parseDuration(options.cooldown);
  if (cooldownMs === null)
    throw new UserError(`--cooldown: "${options.cooldown}" is not a duration`, 'Write it as Alertmanager does: 6h, 1h30m, 1d, 0.');
  const maxBodyBytes = byteSize(options.maxBody, '--max-body');
  const eventProblems = dispatchProblems(options.eventType, {});
  if (eventProblems.length > 0) throw new UserError(`--event-type: ${eventProblems.join('; ')}`);
  const alertnames = options.alert
    .flatMap((a) => a.split(','))
    .map((a) => a.trim())
    .filter(Boolean);
  if (alertnames.length === 0)
    throw new UserError(
      '--alert: no alert names',
      'Name the alerts that start retraining: --alert MlopsServeFeatureDrift MlopsServeAccuracyLow',
    );
  const matchers = parseMatchers(options.match ?? []);

  const repoText = options.repo ?? process.env.GITHUB_REPOSITORY;
  let repo: RepoRef | null = repoText ? repositoryOf(repoText) : null;
  if (repoText && !repo) throw new UserError(`--repo: "${repoText}" is not owner/name`);
  if (!repo && !dryRun)
    throw new UserError('which repository should the dispatch go to?', 'Give --repo owner/name, or set GITHUB_REPOSITORY.');
  repo ??= null;

  const bearer = options.tokenEnv ? secretFrom(options.tokenEnv, '--token-env') : null;
  if (bearer !== null && bearer.length < 16)
    stderr(`warning: the token in ${options.tokenEnv} is shorter than 16 characters; anyone who can reach the relay may guess it`);
  if (bearer === null && !isLoopback(options.host))
    stderr(
      `warning: no --token-env: anyone who can reach ${options.host}:${options.port} can start retraining; give Alertmanager a bearer token`,
    );
  const githubToken = dryRun ? null : secretFrom(options.githubTokenEnv, '--github-token-env');
  const apiUrl = (options.apiUrl ?? process.env.GITHUB_API_URL?.trim()) || DEFAULT_API_URL;
  const github = githubToken === null ? null : new GitHubRestAdapter({ token: githubToken, baseUrl: apiUrl });

  const log = (line: string) => stderr(`${new Date().toISOString()} ${line}`);
  const ledger = options.stateFile ? await openLedger(resolve(options.stateFile)) : DispatchLedger.inMemory();
  const relay = new AlertRelay({
    github,
    repo,
    eventType: options.eventType,
    selector: { alertnames, matchers },
    cooldownMs,
    ledger,
    logger: log,
    onDryRun: (dispatch) => {
      const where = dispatch.repo
        ? `/repos/${dispatch.repo.owner}/${dispatch.repo.repo}/dispatches`
        : '/repos/<GITHUB_REPOSITORY>/dispatches';
      process.stdout.write(
        `dry run: POST ${where} ${JSON.stringify({ event_type: dispatch.eventType, client_payload: dispatch.clientPayload })}\n`,
      );
    },
  });
  const server = new AlertRelayServer({
    relay,
    token: bearer,
    maxBodyBytes,
    secrets: githubToken ? [githubToken] : [],
    logger: log,
  });
  const bound = await server.listen(port, options.host);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const target = repo ? `${repo.owner}/${repo.repo}` : '(no repository)';
  process.stdout.write(
    `mlops alert-relay: listening on http://${host}:${bound}${RELAY_PATH}; ${dryRun ? 'dry run, would dispatch' : 'dispatching'} ${options.eventType} to ${target} for ${alertnames.join(', ')}${
      Object.keys(matchers).length > 0
        ? ` with ${Object.entries(matchers)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(', ')}`
        : ''
    }; cooldown ${formatDuration(cooldownMs)}${bearer ? '; bearer token required' : ''}\n`,
  );
  await untilStopSignal(stderr);
  await server.close();
  stderr('stopped');
}

/** A secret from the environment variable `name`; its value never appears in a message. */
function secretFrom(name: string, flag: string): string {
  if (!ENV_NAME.test(name)) throw new UserError(`${flag}: "${name}" is not an environment variable name`);
  const value = process.env[name]?.trim();
  if (!value)
    throw new UserError(`${flag}: the environment variable ${name} is not set or empty`, `Set ${name} in the relay's environment.`);
  return value;
}

function parseMatchers(pairs: string[]): Record<string, string> {
  const matchers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const name = at > 0 ? pair.slice(0, at).trim() : '';
    if (!LABEL_NAME.test(name)) throw new UserError(`--match: "${pair}" is not label=value`, 'For example: --match severity=critical');
    matchers[name] = pair.slice(at + 1).replace(/^"(.*)"$/, '$1');
  }
  return matchers;
}

async function openLedger(file: string): Promise<DispatchLedger> {
  try {
    return await DispatchLedger.open(file);
  } catch (error) {
    throw new UserError(`--state-file: ${(error as Error).message}`);
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
