import { fromZodError } from 'zod-validation-error';
import type { z } from 'zod';

/**
 * One line per problem, each naming the key path in the file (`columns.age.min`)
 * and what is allowed, as zod-validation-error words it.
 */
export function formatZodError(error: z.ZodError): string {
  return fromZodError(error, { prefix: null, issueSeparator: '\n', includePath: true, maxIssuesInMessage: 20 })
    .message.split('\n')
    .map((line) => `  - ${line}`)
    .join('\n');
}
