/**
 * Demo credentials: fixed identifier and code pairs (app-store reviewers,
 * tests) that deliver nothing and skip captcha and limits.
 */
import { type Identifier, parseIdentifier } from '../../model/identifier.ts';
import type { WidgetRecord } from '../../store/index.ts';

/** The widget's demo pair for an identifier, if it has one. */
export function demoCredentialFor(
  widget: WidgetRecord,
  identifier: Pick<Identifier, 'value'>,
): string | undefined {
  for (const pair of widget.settings.demoCredentials) {
    try {
      if (parseIdentifier(pair.identifier, widget.settings).value === identifier.value)
        return pair.otp;
    } catch {
      // A pair the widget can no longer accept (e.g. its contact point was removed) matches nothing.
    }
  }
  return undefined;
}
