/**
 * A local Sigstore authority for offline tests: the same services and trust the public-good
 * instance offers, each on 127.0.0.1, with throwaway keys.
 *
 * - An OIDC issuer that speaks for GitHub Actions: it signs (ES256) tokens with the claims a
 *   workflow's token carries (repository, job_workflow_ref, ref, sha, run_id, ...), and answers
 *   the runner's token request (ACTIONS_ID_TOKEN_REQUEST_URL with ACTIONS_ID_TOKEN_REQUEST_TOKEN).
 * - A Fulcio-style CA (`POST /api/v2/signingCert`): it checks the token's signature, audience and
 *   expiry and the proof of possession (the `sub` claim signed with the key to certify), then issues
 *   a 10-minute certificate as Fulcio does for GitHub: the SAN URI is
 *   `https://github.com/<job_workflow_ref>`, and the Fulcio extensions (issuer, source repository,
 *   ref, digest, build config, run invocation ...) carry the claims. The certificate embeds an SCT
 *   from a CT log. The CA, CT log and Rekor key pairs come from @sigstore/mock.
 * - A Rekor-style transparency log (`POST /api/v1/log/entries`): @sigstore/mock's log, which answers
 *   with a signed entry timestamp and an inclusion proof with a signed checkpoint; a `dsse` entry is
 *   stored as Rekor stores it (its canonical body: envelope and payload hashes, signatures and verifiers).
 * - An RFC 3161 timestamp authority (`POST /api/v1/timestamp`, @sigstore/mock's TSA): the proof of
 *   signing time for instances that keep no public log.
 * - `trustedRoot()`: the trusted root JSON (Sigstore's `trustedroot+json` format) naming the CA, the
 *   CT log, the transparency log and the timestamp authority, which a verifier is given instead of the public-good one.
 *
 * Signing talks to these servers with the production client (@sigstore/sign over HTTP), and
 * verification runs the production path with this root: only the root and the signer's URLs differ.
 */
import { initializeCA, initializeCTLog, initializeTLog, initializeTSA, tsaHandler, type HandlerFn } from '@sigstore/mock';
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The issuer GitHub Actions' OIDC tokens name. */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

/** Claims of a GitHub Actions OIDC token that tests choose; the rest follow from them. */
export interface WorkflowClaims {
  /** owner/name */
  repository: string;
  /** Path of the workflow file in the repository. Default .github/workflows/mlops-cd.yml */
  workflow?: string;
  /** Default refs/heads/main */
  ref?: string;
  /** Default a random 40-hex commit. */
  sha?: string;
  runId?: string;
  runAttempt?: string;
  eventName?: string;
  /** Default sigstore (what the signer asks for). */
  audience?: string;
  /** Seconds from now until the token expires (negative: already expired). Default 300. */
  expiresIn?: number;
}

interface FulcioExtension {
  oid: string;
  value: string;
  legacy?: boolean;
}

const OID = {
  issuerV1: '1.3.6.1.4.1.57264.1.1',
  triggerV1: '1.3.6.1.4.1.57264.1.2',
  shaV1: '1.3.6.1.4.1.57264.1.3',
  workflowNameV1: '1.3.6.1.4.1.57264.1.4',
  repositoryV1: '1.3.6.1.4.1.57264.1.5',
  refV1: '1.3.6.1.4.1.57264.1.6',
  issuer: '1.3.6.1.4.1.57264.1.8',
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  buildSignerDigest: '1.3.6.1.4.1.57264.1.10',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  sourceRepositoryOwnerUri: '1.3.6.1.4.1.57264.1.16',
  buildConfigUri: '1.3.6.1.4.1.57264.1.18',
  buildConfigDigest: '1.3.6.1.4.1.57264.1.19',
  buildTrigger: '1.3.6.1.4.1.57264.1.20',
  runInvocationUri: '1.3.6.1.4.1.57264.1.21',
} as const;

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export interface AuthorityOptions {
  /** The time the CA and logs believe it is (default: the real time); an hour ago gives certificates that have expired. */
  clock?: Date;
}

export class SigstoreAuthority {
  /** The workflow identity (SAN) of the last certificate issued. */
  lastIdentity: string | null = null;
  /** Requests served, e.g. "POST /api/v2/signingCert 201". */
  readonly requests: string[] = [];

  private constructor(
    private readonly server: Server,
    private readonly issuerKey: KeyObject,
    private readonly rootCertificate: Buffer,
    private readonly ctlogKey: Buffer,
    private readonly tlogKey: Buffer,
    private readonly tsaChain: Buffer[],
    private readonly requestToken: string,
    private readonly startedAt: Date,
  ) {}

  static async start(options: AuthorityOptions = {}): Promise<SigstoreAuthority> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const keys = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ctlog = await initializeCTLog(keys(), options.clock);
    const ca = await initializeCA(keys(), ctlog, options.clock);
    const tlog = await initializeTLog(url, keys(), options.clock);
    // The TSA reads the time from this Date, set at each request to .123 of the current second: pkijs
    // writes a GeneralizedTime fraction without trailing zeros (".12Z"), and @sigstore/core reads a
    // fraction of exactly three digits, so a time like .120 would be unreadable one time in ten.
    const tsaClock = new Date(options.clock ?? Date.now());
    const tsa = await initializeTSA(keys(), tsaClock);
    const timestamp = tsaHandler(tsa).fn;
    const tsaAt: HandlerFn = (body) => {
      const now = options.clock?.getTime() ?? Date.now();
      tsaClock.setTime(Math.floor(now / 1000) * 1000 + 123);
      return timestamp(body);
    };
    const der = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);
    // Rekor stores a `dsse` entry as its canonical body (the hashes of the envelope and payload, and the
    // signatures with their verifiers), not as proposed: the transparency log's verifiers compare that body.
    const rekor: HandlerFn = async (body) => {
      const proposed = JSON.parse(body) as { kind?: string; apiVersion?: string; spec?: Record<string, unknown> };
      let entry: object = proposed;
      if (proposed.kind === 'dsse') {
        const content = (proposed.spec?.proposedContent ?? {}) as { envelope?: string; verifiers?: string[] };
        const envelope = JSON.parse(content.envelope ?? '{}') as { payload?: string; signatures?: { sig: string }[] };
        const hash = (data: Buffer | string) => ({ algorithm: 'sha256', value: createHash('sha256').update(data).digest('hex') });
        entry = {
          apiVersion: proposed.apiVersion,
          kind: 'dsse',
          spec: {
            envelopeHash: hash(content.envelope ?? ''),
            payloadHash: hash(Buffer.from(envelope.payload ?? '', 'base64')),
            signatures: (envelope.signatures ?? []).map((sig, i) => ({ signature: sig.sig, verifier: content.verifiers?.[i] ?? '' })),
          },
        };
      }
      return { statusCode: 201, response: JSON.stringify(await tlog.log(entry)), contentType: 'application/json' };
    };
    const issuer = keys();
    const authority = new SigstoreAuthority(
      server,
      issuer.privateKey,
      Buffer.from(ca.rootCertificate.buffer, ca.rootCertificate.byteOffset, ca.rootCertificate.byteLength),
      ctlog.publicKey,
      tlog.publicKey,
      [der(tsa.intCertificate), der(tsa.rootCertificate)],
      randomBytes(16).toString('hex'),
      new Date((options.clock ?? new Date()).getTime() - 60_000),
    );
    const issuerPublic = issuer.publicKey;

    const fulcio: HandlerFn = async (body) => {
      const request = JSON.parse(body) as {
        credentials?: { oidcIdentityToken?: string };
        publicKeyRequest?: { publicKey?: { content?: string }; proofOfPossession?: string };
      };
      const token = request.credentials?.oidcIdentityToken ?? '';
      const claims = verifyToken(token, issuerPublic);
      if (typeof claims === 'string') return { statusCode: 401, response: JSON.stringify({ code: 401, message: claims }) };
      const pem = request.publicKeyRequest?.publicKey?.content ?? '';
      const proof = Buffer.from(request.publicKeyRequest?.proofOfPossession ?? '', 'base64');
      const key = createPublicKey(pem);
      if (!verify('sha256', Buffer.from(String(claims.sub)), key, proof)) {
        return { statusCode: 400, response: JSON.stringify({ code: 400, message: 'the proof of possession does not verify' }) };
      }
      const identity = `https://github.com/${String(claims.job_workflow_ref)}`;
      authority.lastIdentity = identity;
      const leaf = await ca.issueCertificate({
        publicKey: key.export({ format: 'der', type: 'spki' }),
        subjectAltName: identity,
        extensions: extensionsFor(claims),
      });
      const chain = [leaf, ca.rootCertificate].map((der) => toPem(Buffer.from(der.buffer, der.byteOffset, der.byteLength)));
      return {
        statusCode: 201,
        response: JSON.stringify({ signedCertificateEmbeddedSct: { chain: { certificates: chain } } }),
        contentType: 'application/json',
      };
    };

    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      authority.handle(req, res, { fulcio, rekor, tsa: tsaAt }).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    return authority;
  }

  /** http://127.0.0.1:<port>: the base URL of Fulcio and Rekor alike. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get fulcioURL(): string {
    return this.url;
  }

  get rekorURL(): string {
    return this.url;
  }

  /** An RFC 3161 timestamp authority, as Sigstore instances without a public log (GitHub's for private repositories) use. */
  get tsaURL(): string {
    return this.url;
  }

  /** The environment a runner gives a job with `id-token: write`. */
  runnerEnv(claims: WorkflowClaims): NodeJS.ProcessEnv {
    const url = new URL('/oidc/token', this.url);
    url.searchParams.set('claims', base64url(JSON.stringify(claims)));
    return { ACTIONS_ID_TOKEN_REQUEST_URL: url.href, ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.requestToken };
  }

  /** A signed OIDC token as GitHub Actions issues it for a job of `claims.repository`. */
  githubToken(claims: WorkflowClaims): string {
    const repository = claims.repository;
    const ref = claims.ref ?? 'refs/heads/main';
    const workflow = claims.workflow ?? '.github/workflows/mlops-cd.yml';
    const sha = claims.sha ?? randomBytes(20).toString('hex');
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = claims.expiresIn ?? 300;
    const payload = {
      iss: GITHUB_ACTIONS_ISSUER,
      aud: claims.audience ?? 'sigstore',
      sub: `repo:${repository}:ref:${ref}`,
      iat: now,
      nbf: now - 5,
      exp: now + expiresIn,
      jti: randomBytes(8).toString('hex'),
      repository,
      repository_owner: repository.split('/')[0],
      repository_id: '1000',
      repository_visibility: 'private',
      ref,
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      sha,
      workflow: 'mlops-cd',
      workflow_ref: `${repository}/${workflow}@${ref}`,
      workflow_sha: sha,
      job_workflow_ref: `${repository}/${workflow}@${ref}`,
      job_workflow_sha: sha,
      run_id: claims.runId ?? '4242',
      run_attempt: claims.runAttempt ?? '1',
      event_name: claims.eventName ?? 'push',
      runner_environment: 'github-hosted',
    };
    const header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: 'test' }));
    const body = base64url(JSON.stringify(payload));
    const signature = sign('sha256', Buffer.from(`${header}.${body}`), { key: this.issuerKey, dsaEncoding: 'ieee-p1363' });
    return `${header}.${body}.${base64url(signature)}`;
  }

  /** The trusted root (Sigstore's trustedroot+json) naming this authority's CA, CT log, transparency log and timestamp authority. */
  trustedRoot(): Record<string, unknown> {
    const start = this.startedAt.toISOString();
    const log = (key: Buffer, baseUrl: string) => ({
      baseUrl,
      hashAlgorithm: 'SHA2_256',
      publicKey: { rawBytes: key.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } },
      logId: { keyId: sha256(key).toString('base64') },
    });
    return {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [log(this.tlogKey, this.rekorURL)],
      certificateAuthorities: [
        {
          subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
          uri: this.fulcioURL,
          certChain: { certificates: [{ rawBytes: this.rootCertificate.toString('base64') }] },
          validFor: { start },
        },
      ],
      ctlogs: [log(this.ctlogKey, `${this.url}/ct`)],
      timestampAuthorities: [
        {
          subject: { organization: 'sigstore.mock', commonName: 'tsa' },
          uri: this.tsaURL,
          certChain: { certificates: this.tsaChain.map((cert) => ({ rawBytes: cert.toString('base64') })) },
          validFor: { start },
        },
      ],
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
    handlers: { fulcio: HandlerFn; rekor: HandlerFn; tsa: HandlerFn },
  ): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let answer: { statusCode: number; response: string | ArrayBufferView; contentType?: string };
    if (req.method === 'GET' && url.pathname === '/oidc/token') {
      answer =
        req.headers.authorization === `Bearer ${this.requestToken}`
          ? {
              statusCode: 200,
              contentType: 'application/json',
              response: JSON.stringify({
                value: this.githubToken({
                  ...(JSON.parse(Buffer.from(url.searchParams.get('claims') ?? '', 'base64url').toString('utf8')) as WorkflowClaims),
                  audience: url.searchParams.get('audience') ?? undefined,
                }),
              }),
            }
          : { statusCode: 401, response: 'bad request token' };
    } else if (req.method === 'POST' && url.pathname === '/api/v2/signingCert') {
      answer = await handlers.fulcio(body);
    } else if (req.method === 'POST' && url.pathname === '/api/v1/log/entries') {
      answer = await handlers.rekor(body);
    } else if (req.method === 'POST' && url.pathname === '/api/v1/timestamp') {
      answer = await handlers.tsa(body);
    } else {
      answer = { statusCode: 404, response: 'not found' };
    }
    this.requests.push(`${req.method} ${url.pathname} ${answer.statusCode}`);
    res.writeHead(answer.statusCode, { 'content-type': answer.contentType ?? 'text/plain' });
    res.end(typeof answer.response === 'string' ? answer.response : Buffer.from(answer.response.buffer));
  }
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** The token's claims when its ES256 signature, audience and lifetime check out; else why not. */
function verifyToken(token: string, key: KeyObject): Record<string, unknown> | string {
  const [header, body, signature] = token.split('.');
  if (!header || !body || !signature) return 'the identity token is not a JWT';
  const ok = verify('sha256', Buffer.from(`${header}.${body}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  if (!ok) return 'the identity token is not signed by a trusted issuer';
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (claims.aud !== 'sigstore') return `the identity token's audience is ${String(claims.aud)}, not sigstore`;
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return 'the identity token has expired';
  return claims;
}

/** Fulcio's certificate extensions for a GitHub Actions token (its OID mapping for this issuer). */
function extensionsFor(claims: Record<string, unknown>): FulcioExtension[] {
  const s = (key: string) => String(claims[key] ?? '');
  const github = (path: string) => `https://github.com/${path}`;
  return [
    { oid: OID.issuerV1, value: s('iss'), legacy: true },
    { oid: OID.triggerV1, value: s('event_name'), legacy: true },
    { oid: OID.shaV1, value: s('sha'), legacy: true },
    { oid: OID.workflowNameV1, value: s('workflow'), legacy: true },
    { oid: OID.repositoryV1, value: s('repository'), legacy: true },
    { oid: OID.refV1, value: s('ref'), legacy: true },
    { oid: OID.issuer, value: s('iss') },
    { oid: OID.buildSignerUri, value: github(s('job_workflow_ref')) },
    { oid: OID.buildSignerDigest, value: s('job_workflow_sha') },
    { oid: OID.runnerEnvironment, value: s('runner_environment') },
    { oid: OID.sourceRepositoryUri, value: github(s('repository')) },
    { oid: OID.sourceRepositoryDigest, value: s('sha') },
    { oid: OID.sourceRepositoryRef, value: s('ref') },
    { oid: OID.sourceRepositoryOwnerUri, value: github(s('repository_owner')) },
    { oid: OID.buildConfigUri, value: github(s('workflow_ref')) },
    { oid: OID.buildConfigDigest, value: s('workflow_sha') },
    { oid: OID.buildTrigger, value: s('event_name') },
    { oid: OID.runInvocationUri, value: github(`${s('repository')}/actions/runs/${s('run_id')}/attempts/${s('run_attempt')}`) },
  ];
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return ['-----BEGIN CERTIFICATE-----', ...lines, '-----END CERTIFICATE-----', ''].join('\n');
}
