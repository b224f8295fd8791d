/** Reporting a rule a schema checks across fields (`superRefine`), the way zod reports its own. */
import type { z } from 'zod';

/**
 * Adds a custom issue at `path`, worded as the rest of the validation
 * messages are ("must …", "is required …"), for the caller to name the field.
 *
 * @example refuse(ctx, ['subject'], 'is required for email')
 */
export function refuse(ctx: z.RefinementCtx, path: readonly PropertyKey[], message: string): void {
  ctx.addIssue({ code: 'custom', path: [...path], message });
}
