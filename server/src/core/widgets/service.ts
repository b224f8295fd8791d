/**
 * Widgets: creation, lookup, tokens, and the check that a caller may use a
 * widget (by its public token, or by the owning account's authkey).
 */

import {
  mergeSettings,
  publicSettings,
  type WidgetSettings,
  widgetSettingsSchema,
} from '../../model/widget-settings.ts';
import { sealSecret, sha256Hex } from '../../platform/crypto.ts';
import { errorCodes, OtpkitError } from '../../platform/errors.ts';
import type { Clock, Random } from '../../platform/runtime.ts';
import { fieldErrors } from '../../platform/validation.ts';
import type { Store, WidgetRecord, WidgetToken } from '../../store/index.ts';
import { checkAppHashFits } from '../templates/app-hash-fit.ts';

export interface WidgetDeps {
  store: Store;
  clock: Clock;
  random: Random;
  /** Seals provider secrets (the captcha secret key) at rest. */
  secret: string;
}

/** SHA-256 of a widget token, hex. */
export function hashToken(token: string): string {
  return sha256Hex(token);
}

/**
 * Defaults that depend on other settings, and secrets sealed before storing:
 * a browser widget gets the proof-of-work captcha unless its owner chose
 * otherwise (mobile-only widgets get none).
 */
function prepareSettings(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const settings = { ...(input as Record<string, unknown>) };
  if (settings.captcha === undefined) {
    settings.captcha = { provider: settings.mobileIntegration === true ? 'none' : 'pow' };
  }
  return settings;
}

function sealSecrets(deps: WidgetDeps, settings: WidgetSettings): WidgetSettings {
  const key = settings.captcha.secretKey;
  if (!key || key.startsWith('sealed:')) return settings;
  return { ...settings, captcha: { ...settings.captcha, secretKey: sealSecret(deps.secret, key) } };
}

/** A widget as the admin API shows it. */
export type WidgetView = { widgetId: string } & WidgetSettings & {
    createdAt: string;
    updatedAt: string;
  };

/** The admin view of a widget record. */
export function viewWidget(widget: WidgetRecord): WidgetView {
  return {
    widgetId: widget.id,
    ...publicSettings(widget.settings),
    createdAt: new Date(widget.createdAt).toISOString(),
    updatedAt: new Date(widget.updatedAt).toISOString(),
  };
}

/**
 * Validates settings and creates a widget with its first token: a bad
 * setting is `INVALID_REQUEST` naming each bad field (see
 * `CREATE_WIDGET_ERRORS` in manage.ts).
 */
export async function createWidget(
  deps: WidgetDeps,
  accountId: string,
  input: unknown,
): Promise<{ widget: WidgetRecord; tokenAuth: string }> {
  const parsed = widgetSettingsSchema.safeParse(prepareSettings(input ?? {}));
  if (!parsed.success) throw fieldErrors(parsed.error);
  const now = deps.clock.now();
  const widget: WidgetRecord = {
    id: deps.random.hex(12),
    accountId,
    settings: sealSecrets(deps, parsed.data),
    createdAt: now,
    updatedAt: now,
  };
  await checkAppHashFits(deps.store, widget);
  await deps.store.widgets.insert(widget);
  const token = await createWidgetToken(deps, widget.id, 'First token');
  return { widget, tokenAuth: token.tokenAuth };
}

/**
 * Applies a partial change to a widget's settings; the result is validated
 * whole, and applies to the next request (see `CHANGE_WIDGET_ERRORS` in manage.ts).
 */
export async function updateWidget(
  deps: WidgetDeps,
  widget: WidgetRecord,
  patch: Record<string, unknown>,
): Promise<WidgetRecord> {
  const parsed = widgetSettingsSchema.safeParse(mergeSettings(widget.settings, patch));
  if (!parsed.success) throw fieldErrors(parsed.error);
  await checkAppHashFits(deps.store, { ...widget, settings: parsed.data });
  const updated = await deps.store.widgets.update(
    widget.id,
    sealSecrets(deps, parsed.data),
    deps.clock.now(),
  );
  if (!updated) throw new OtpkitError('WIDGET_NOT_FOUND');
  return updated;
}

/**
 * Issues another token for a widget. Tokens go in web pages, but are stored
 * only as hashes: the token itself is in this answer and nowhere else.
 */
export async function createWidgetToken(
  deps: WidgetDeps,
  widgetId: string,
  label: unknown = null,
): Promise<WidgetToken & { tokenAuth: string }> {
  if (label !== null && label !== undefined && (typeof label !== 'string' || label.length > 100)) {
    throw new OtpkitError('INVALID_REQUEST', 'label must be a string of at most 100 characters.', {
      fields: [{ path: 'label', message: 'must be at most 100 characters' }],
    });
  }
  const tokenAuth = `${deps.random.hex(3)}T${deps.random.token(18)}`;
  const token: WidgetToken = {
    id: deps.random.hex(8),
    tokenHash: hashToken(tokenAuth),
    prefix: tokenAuth.slice(0, 6),
    widgetId,
    label: typeof label === 'string' && label.trim() ? label.trim() : null,
    createdAt: deps.clock.now(),
    lastUsedAt: null,
  };
  await deps.store.widgetTokens.insert(token);
  return { ...token, tokenAuth };
}

/** A widget token as the admin API lists it (the token itself only when just created). */
export function viewToken(token: WidgetToken & { tokenAuth?: string }) {
  return {
    tokenId: token.id,
    ...(token.tokenAuth ? { tokenAuth: token.tokenAuth } : {}),
    prefix: token.prefix,
    label: token.label,
    createdAt: new Date(token.createdAt).toISOString(),
    lastUsedAt: token.lastUsedAt === null ? null : new Date(token.lastUsedAt).toISOString(),
  };
}

/** `authorizeWidget`: no `widgetId`, no such widget (or another account's), a missing or wrong token. */
export const AUTHORIZE_WIDGET_ERRORS = errorCodes(
  'INVALID_REQUEST',
  'WIDGET_NOT_FOUND',
  'INVALID_TOKEN_AUTH',
);

/** `checkWidgetAccess`. */
export const WIDGET_ACCESS_ERRORS = errorCodes(
  'WIDGET_DISABLED',
  'ORIGIN_NOT_ALLOWED',
  'WIDGET_MOBILE_ONLY',
);

/** `frameTopHost`: a `topOrigin` that is no origin, or a top page the widget does not allow. */
export const FRAME_TOP_HOST_ERRORS = errorCodes('INVALID_REQUEST', 'ORIGIN_NOT_ALLOWED');

/**
 * Resolves the widget a widget-API call names and checks its credential:
 * the widget's token, or else an authkey of the owning account.
 * Throws {@link AUTHORIZE_WIDGET_ERRORS}.
 */
export async function authorizeWidget(
  store: Store,
  credentials: { widgetId: unknown; tokenAuth?: unknown; accountId?: string | undefined },
  now: number,
): Promise<WidgetRecord> {
  const { widgetId, tokenAuth, accountId } = credentials;
  if (typeof widgetId !== 'string' || widgetId.length === 0 || widgetId.length > 100) {
    throw new OtpkitError('INVALID_REQUEST', 'widgetId is required.', {
      fields: [{ path: 'widgetId', message: 'is required' }],
    });
  }
  const widget = await store.widgets.get(widgetId);
  if (!widget) throw new OtpkitError('WIDGET_NOT_FOUND');
  if (accountId !== undefined) {
    if (widget.accountId !== accountId) throw new OtpkitError('WIDGET_NOT_FOUND');
    return widget;
  }
  if (typeof tokenAuth !== 'string' || tokenAuth.length === 0 || tokenAuth.length > 200) {
    throw new OtpkitError('INVALID_TOKEN_AUTH', 'tokenAuth is required.');
  }
  if (!(await store.widgetTokens.use(widget.id, hashToken(tokenAuth), now))) {
    throw new OtpkitError('INVALID_TOKEN_AUTH');
  }
  return widget;
}

/**
 * The rules a browser call must pass: the widget is enabled, the calling
 * page's origin is allowed, and the widget is not reserved for mobile apps.
 * Server-to-server calls (authkey), calls without an `Origin` (mobile SDKs)
 * and the server's own pages (the console's "Try it") skip the origin rules.
 * A widget with no `allowedOrigins` is open to every site only when
 * `anyOrigin` says so (outside production, or `OTPKIT_ALLOW_ANY_ORIGIN=true`).
 * Throws {@link WIDGET_ACCESS_ERRORS}.
 */
export function checkWidgetAccess(
  widget: WidgetRecord,
  call: {
    origin: string | undefined;
    serverToServer: boolean;
    ownOrigin: string;
    anyOrigin: boolean;
  },
  options: { requireEnabled: boolean },
): void {
  const s = widget.settings;
  if (options.requireEnabled && s.status === 'disabled') throw new OtpkitError('WIDGET_DISABLED');
  if (call.serverToServer || !call.origin || call.origin === call.ownOrigin) return;
  if (s.mobileIntegration) throw new OtpkitError('WIDGET_MOBILE_ONLY');
  if (s.allowedOrigins.length === 0 && !call.anyOrigin) {
    throw new OtpkitError(
      'ORIGIN_NOT_ALLOWED',
      `This widget lists no allowedOrigins, and in production browsers may use a widget only from the sites in its allowedOrigins setting. Add ${call.origin} to the widget's allowedOrigins (console or PATCH /api/v1/widgets/${widget.id}), or set OTPKIT_ALLOW_ANY_ORIGIN=true on the server to let any site use it.`,
    );
  }
  if (s.allowedOrigins.length > 0 && !s.allowedOrigins.includes(call.origin)) {
    throw new OtpkitError('ORIGIN_NOT_ALLOWED');
  }
}

/**
 * The host of the top page a framed widget reports (`topOrigin`, which it
 * reads from `location.ancestorOrigins`), for the frame form of the WebOTP
 * line. Only for a browser call of a widget allowed in frames (`iFrame`);
 * with `allowedOrigins`, the top page must be one of them too.
 * Throws {@link FRAME_TOP_HOST_ERRORS}.
 */
export function frameTopHost(
  widget: WidgetRecord,
  topOrigin: unknown,
  call: { origin: string | undefined },
): string | null {
  if (topOrigin === undefined || topOrigin === null || topOrigin === '') return null;
  let url: URL | undefined;
  try {
    url = typeof topOrigin === 'string' && topOrigin.length <= 300 ? new URL(topOrigin) : undefined;
  } catch {
    url = undefined;
  }
  if (
    !url ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.origin !== topOrigin ||
    url.hostname.length > 253
  ) {
    throw new OtpkitError(
      'INVALID_REQUEST',
      'topOrigin must be an origin such as https://shop.example.',
      {
        fields: [{ path: 'topOrigin', message: 'must be an origin such as https://shop.example' }],
      },
    );
  }
  if (!call.origin || !widget.settings.iFrame) return null;
  const s = widget.settings;
  if (s.allowedOrigins.length > 0 && !s.allowedOrigins.includes(url.origin)) {
    throw new OtpkitError(
      'ORIGIN_NOT_ALLOWED',
      'The page this widget is framed in may not use it.',
    );
  }
  return url.host;
}
