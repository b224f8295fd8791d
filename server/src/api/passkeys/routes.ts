/**
 * The passkey routes: four under the widget API (`/api/v5/widget/passkeys/…`,
 * called by the popup and by `registerPasskey` / `signInWithPasskey`) and
 * two under the admin API (`/api/v1/passkeys`).
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { readIdentifier } from '../../core/otp/index.ts';
import {
  listPasskeys,
  registerPasskey,
  registrationOptions,
  revokePasskey,
  signInOptions,
  signInWithPasskey,
} from '../../core/passkeys/service.ts';
import type { WidgetRecord } from '../../store/index.ts';
import type { AppEnv, Services } from '../app-types.ts';
import { readBodyAs, readQueryAs, requestContext } from '../http/context.ts';
import { registerBody, registrationOptionsBody, signInBody, signInOptionsBody } from './schemas.ts';

/** How the widget API finds and checks the widget a call names. */
export type WidgetLookup = (
  c: Context<AppEnv>,
  body: Record<string, unknown>,
) => Promise<WidgetRecord>;

/** Adds the passkey routes to the widget API app. */
export function passkeyWidgetRoutes(
  app: Hono<AppEnv>,
  services: Services,
  widgetFor: WidgetLookup,
): void {
  const { config } = services;
  const origin = (c: Context<AppEnv>) => c.req.header('origin');

  app.post('/passkeys/registrationOptions', async (c) => {
    const body = await readBodyAs(c, registrationOptionsBody);
    const widget = await widgetFor(c, body);
    c.header('Cache-Control', 'no-store');
    return c.json(
      await registrationOptions(services.otp, {
        widget,
        origin: origin(c),
        ticket: body.passkeyTicket,
        context: requestContext(c, config),
      }),
    );
  });

  app.post('/passkeys/register', async (c) => {
    const body = await readBodyAs(c, registerBody);
    const widget = await widgetFor(c, body);
    const registered = await registerPasskey(services.otp, {
      widget,
      origin: origin(c),
      ticket: body.passkeyTicket,
      response: body.response,
      context: requestContext(c, config),
    });
    return c.json({
      type: 'success' as const,
      message: registered.passkeyId,
      passkeyId: registered.passkeyId,
    });
  });

  app.post('/passkeys/signInOptions', async (c) => {
    const body = await readBodyAs(c, signInOptionsBody);
    const widget = await widgetFor(c, body);
    c.header('Cache-Control', 'no-store');
    return c.json(
      await signInOptions(services.otp, {
        widget,
        origin: origin(c),
        context: requestContext(c, config),
      }),
    );
  });

  app.post('/passkeys/signIn', async (c) => {
    const body = await readBodyAs(c, signInBody);
    const widget = await widgetFor(c, body);
    const signedIn = await signInWithPasskey(services.otp, {
      widget,
      origin: origin(c),
      response: body.response,
      // Blank is none: any of the account's passkeys for this widget.
      ...(body.identifier === undefined || body.identifier === null || body.identifier === ''
        ? {}
        : { identifier: readIdentifier(body.identifier, widget.settings) }),
      context: requestContext(c, config),
    });
    return c.json({
      type: 'success' as const,
      message: signedIn.accessToken,
      'access-token': signedIn.accessToken,
      reqId: signedIn.reqId,
      amr: signedIn.amr,
    });
  });
}

/** `GET /passkeys` query. */
export const passkeyListQuery = z.object({
  identifier: z.string().max(254).describe('A mobile number with country code, or an email.'),
});

/** Adds the passkey routes to the admin API app (behind its authkey check). */
export function passkeyAdminRoutes(app: Hono<AppEnv>, services: Services): void {
  app.get('/passkeys', async (c) => {
    const query = readQueryAs(c, passkeyListQuery);
    return c.json({
      passkeys: await listPasskeys(services, {
        accountId: c.var.accountId,
        identifier: query.identifier,
      }),
    });
  });

  app.delete('/passkeys/:passkeyId', async (c) =>
    c.json(
      await revokePasskey(services, {
        accountId: c.var.accountId,
        passkeyId: c.req.param('passkeyId'),
      }),
    ),
  );
}
