/** Turns a zod error into an `INVALID_REQUEST` naming each field and what it must be. */
import type { z } from 'zod';
import { OtpkitError } from './errors.ts';

export function fieldErrors(error: z.ZodError): OtpkitError {
  const fields = error.issues.map((issue) => ({
    path: issue.path.join('.') || '(body)',
    message:
      issue.code === 'unrecognized_keys'
        ? `unknown setting${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
        : issue.message,
  }));
  const summary = fields.map((f) => `${f.path} ${f.message}`).join('; ');
  return new OtpkitError('INVALID_REQUEST', `Invalid request: ${summary}.`, { fields });
}
