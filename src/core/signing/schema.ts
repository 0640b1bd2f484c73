/**
 * The schema of the `signing:` section of mlops.yaml (documented in settings.ts). Kept apart
 * from the signing code so the config loader checks the section without loading Sigstore.
 */
import { z } from 'zod';

const OneOrMany = z.union([z.string().min(1), z.array(z.string().min(1))]);

export const SignatureVerifySettings = z.strictObject({
  required: z.union([z.boolean(), z.array(z.string())]).optional(),
  identities: OneOrMany.optional(),
  repositories: OneOrMany.optional(),
  issuer: z.string().url().optional(),
  public_keys: OneOrMany.optional(),
  trusted_root: z.string().min(1).optional(),
  transparency_log: z.boolean().optional(),
});

export const SigningSettings = z.strictObject({
  mode: z.enum(['auto', 'keyless', 'key', 'off']).default('auto'),
  key: z.string().min(1).optional(),
  fulcio_url: z.string().url().optional(),
  /** false: no transparency log (then tsa_url is required). */
  rekor_url: z.union([z.string().url(), z.literal(false)]).optional(),
  tsa_url: z.string().url().optional(),
  verify: SignatureVerifySettings.default({}),
});
export type SigningSettings = z.infer<typeof SigningSettings>;
