/**
 * The attestation register signs for a model version: an in-toto Statement v1
 * (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md) whose one subject is
 * the version and whose predicate says what the version was judged on.
 *
 *   {
 *     "_type": "https://in-toto.io/Statement/v1",
 *     "subject": [{ "name": "<model>", "digest": { "sha256": "<hex of the version digest>" } }],
 *     "predicateType": "https://mlops-actions.dev/attestation/evaluation/v1",
 *     "predicate": {
 *       "model":        { "name", "version", "registeredAt", "file", "digest" },
 *       "evaluation":   { "blessed", "reasons", "checks", "metrics", "modelDigest", "baseline", "evaluatedAt" } | null,
 *       "trainingData": { "profile": { "path", "digest" } | null, "files": [{ "path", "sha256" }], "hash" },
 *       "source":       { "commit", "ref", "run": { "id", "attempt", "url" } }
 *     }
 *   }
 *
 * The subject digest is the version's digest: the sha256 of its OCI manifest (or, in a folder
 * registry, of its record file). That manifest lists every file's digest, so the signature covers
 * every byte of the version; the predicate repeats what a reader of the attestation alone needs
 * (the evaluation metrics and verdict, the model.onnx digest the blessing judged, the digest of
 * the training-data profile file, the commit and run that trained it). `evaluation` is null for a
 * version registered without a blessing. Absent values are null, never left out.
 *
 * Predicate type: our own URI, versioned in its path (`.../evaluation/v1`); a change that readers
 * of v1 would misread gets a new version. Serialisation is deterministic: keys sorted at every
 * level, no spaces (core/lineage.ts stableJson), so the same version gives the same bytes.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { stableJson } from '../lineage.js';
import { TRAINING_PROFILE_FILE } from '../profile/profile.js';
import type { ModelVersion } from '../../ports/registry.js';

/** The in-toto Statement v1 type. */
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The DSSE payload type of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** Our predicate: a model version's evaluation, blessing, training data and source. */
export const EVALUATION_PREDICATE_TYPE = 'https://mlops-actions.dev/attestation/evaluation/v1';
/** The model file a version is served from, when the card does not name it. */
const DEFAULT_MODEL_FILE = 'model.onnx';

const Digest = z.string().regex(/^sha256:[0-9a-f]{64}$/);
const NullableString = z.string().nullable();

export const EvaluationPredicate = z.looseObject({
  model: z.looseObject({
    name: z.string(),
    version: z.number().int().positive(),
    registeredAt: z.string(),
    /** The model file (model.onnx), and the sha256 of its bytes in the version; null when the version has none. */
    file: NullableString,
    digest: Digest.nullable(),
  }),
  evaluation: z
    .looseObject({
      blessed: z.boolean(),
      reasons: z.array(z.string()),
      checks: z.array(z.unknown()),
      metrics: z.record(z.string(), z.number().nullable()),
      /** The digest of the model.onnx the blessing judged (null when evaluate judged a predictions file). */
      modelDigest: Digest.nullable(),
      baseline: NullableString,
      evaluatedAt: z.string(),
    })
    .nullable(),
  trainingData: z.looseObject({
    /** The training-data profile file of the version (profile.json) and its digest, or null when it has none. */
    profile: z.looseObject({ path: z.string(), digest: Digest }).nullable(),
    files: z.array(z.looseObject({ path: z.string(), sha256: z.string() })),
    /** The card's hash over the training data files. */
    hash: NullableString,
  }),
  source: z.looseObject({
    commit: NullableString,
    ref: NullableString,
    run: z.looseObject({ id: NullableString, attempt: NullableString, url: NullableString }).nullable(),
  }),
});
export type EvaluationPredicate = z.infer<typeof EvaluationPredicate>;

const StatementSchema = z.looseObject({
  _type: z.literal(IN_TOTO_STATEMENT_TYPE),
  subject: z.array(z.looseObject({ name: z.string(), digest: z.record(z.string(), z.string()) })).min(1),
  predicateType: z.string(),
  predicate: z.unknown(),
});

/** An in-toto Statement v1. */
export interface Statement {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate: unknown;
}

/** A statement with our predicate. */
export interface EvaluationStatement extends Statement {
  predicateType: typeof EVALUATION_PREDICATE_TYPE;
  predicate: EvaluationPredicate;
}

/** What of a registered version the statement is made of. */
export type AttestedVersion = Pick<ModelVersion, 'model' | 'version' | 'digest' | 'createdAt' | 'files' | 'card' | 'blessing'>;

/** The statement for a registered version (pure: the same version gives the same statement). */
export function evaluationStatement(version: AttestedVersion): EvaluationStatement {
  const digest = Digest.safeParse(version.digest);
  if (!digest.success) {
    throw new UserError(
      `${version.model} v${version.version}: "${version.digest}" is not a sha256 digest`,
      'A version is signed by its sha256:<hex> digest.',
    );
  }
  const card = version.card;
  const blessing = version.blessing;
  const fileDigest = (path: string) => version.files.find((f) => f.path === path)?.digest ?? null;
  const modelFile = card?.model?.file ?? (fileDigest(DEFAULT_MODEL_FILE) ? DEFAULT_MODEL_FILE : null);
  const profileDigest = fileDigest(TRAINING_PROFILE_FILE);
  const predicate: EvaluationPredicate = {
    model: {
      name: version.model,
      version: version.version,
      registeredAt: version.createdAt,
      file: modelFile,
      digest: modelFile ? fileDigest(modelFile) : null,
    },
    evaluation: blessing
      ? {
          blessed: blessing.blessed,
          reasons: blessing.reasons,
          checks: blessing.checks,
          metrics: blessing.metrics,
          modelDigest: blessing.model.digest ?? null,
          baseline: blessing.baseline?.source ?? null,
          evaluatedAt: blessing.evaluatedAt,
        }
      : null,
    trainingData: {
      profile: profileDigest ? { path: TRAINING_PROFILE_FILE, digest: profileDigest } : null,
      files: (card?.data.files ?? []).map((f) => ({ path: f.path, sha256: f.sha256 })),
      hash: card?.hashes?.data ?? null,
    },
    source: {
      commit: card?.git?.commit ?? null,
      ref: card?.git?.ref ?? null,
      run: card?.run ? { id: card.run.id ?? null, attempt: card.run.attempt ?? null, url: card.run.url ?? null } : null,
    },
  };
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: [{ name: version.model, digest: { sha256: version.digest.slice('sha256:'.length) } }],
    predicateType: EVALUATION_PREDICATE_TYPE,
    predicate,
  };
}

/** The statement's bytes: canonical JSON (sorted keys, no spaces), the DSSE payload. */
export function serializeStatement(statement: Statement): Buffer {
  return Buffer.from(stableJson(statement), 'utf8');
}

/** A DSSE payload read back as a statement with our predicate; `where` names it in errors. */
export function parseStatement(payload: Buffer, where: string): EvaluationStatement {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new UserError(`${where}: the signed payload is not JSON`, 'The attestation was not written by register; sign the version again.');
  }
  const statement = StatementSchema.safeParse(json);
  if (!statement.success) {
    throw new UserError(
      `${where}: the signed payload is not an in-toto Statement v1`,
      'The attestation was not written by register; sign the version again.',
    );
  }
  if (statement.data.predicateType !== EVALUATION_PREDICATE_TYPE) {
    throw new UserError(
      `${where}: the statement's predicate type is ${statement.data.predicateType}, not ${EVALUATION_PREDICATE_TYPE}`,
      'It attests something else about the version; register signs the evaluation attestation.',
    );
  }
  const predicate = EvaluationPredicate.safeParse(statement.data.predicate);
  if (!predicate.success) {
    throw new UserError(
      `${where}: the statement's predicate does not fit ${EVALUATION_PREDICATE_TYPE}`,
      'Sign the version again with register.',
    );
  }
  return { ...statement.data, _type: IN_TOTO_STATEMENT_TYPE, predicateType: EVALUATION_PREDICATE_TYPE, predicate: predicate.data };
}

/** The sha256:<hex> digests a statement names for `name` (its subjects of that name). */
export function subjectDigests(statement: Statement, name: string): string[] {
  return statement.subject.filter((s) => s.name === name && typeof s.digest.sha256 === 'string').map((s) => `sha256:${s.digest.sha256}`);
}
