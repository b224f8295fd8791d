/**
 * Server field issues (`{path, message}`) mapped onto a form's fields.
 */
import type { FieldIssue } from '../api/client.ts';

/** Errors by field key (a settings path such as `otpLength` or `demoCredentials.0.otp`). */
export type FieldErrors = Record<string, string>;

/** `must be 4 to 9` → `Must be 4 to 9`. */
export function sentence(message: string): string {
  const text = message.trim();
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * Places each issue on a field: `placeOn(path)` returns the field key and an
 * optional prefix for the message (e.g. `Line 2: `), or null when no field on
 * the form shows it; those issues are returned in `unplaced`.
 * The first issue for a field wins.
 */
export function mapFieldIssues(
  issues: readonly FieldIssue[],
  placeOn: (path: string) => { key: string; prefix?: string } | null,
): { errors: FieldErrors; unplaced: FieldIssue[] } {
  const errors: FieldErrors = {};
  const unplaced: FieldIssue[] = [];
  for (const issue of issues) {
    const place = placeOn(issue.path);
    if (!place) {
      unplaced.push(issue);
      continue;
    }
    if (errors[place.key] !== undefined) continue;
    errors[place.key] = (place.prefix ?? '') + sentence(issue.message);
  }
  return { errors, unplaced };
}

/** The DOM id of a field from its key: `demoCredentials.0.otp` → `field-demoCredentials-0-otp`. */
export function fieldId(key: string): string {
  return `field-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
