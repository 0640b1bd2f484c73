/**
 * The `registry:` section of mlops.yaml: where the project's model registry is. Read
 * by every step that opens the registry (through the step context); declared by the
 * register step as its section, so a typo in it is rejected when mlops.yaml loads.
 */
import { z } from 'zod';

export const RegistrySettings = z.strictObject({
  /** An OCI registry: oci://host/namespace (ghcr.io: oci://ghcr.io/<owner>). Wins over `path`. */
  url: z
    .string()
    .regex(/^oci:\/\/[^/]+\/.+$/, 'oci://host/namespace, for example oci://ghcr.io/acme')
    .optional(),
  /** A folder registry, relative to mlops.yaml. Default: .mlops/registry beside it. */
  path: z.string().min(1).optional(),
  /** Speak plain http to the OCI registry (a registry on a private network or loopback). Default false. */
  insecure: z.boolean().optional(),
});
export type RegistrySettings = z.infer<typeof RegistrySettings>;
