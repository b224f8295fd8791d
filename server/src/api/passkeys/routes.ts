/**
 * The passkey routes: four under the widget API (`/api/v5/widget/passkeys/…`,
 * called by the popup and by `registerPasskey` / `signInWithPasskey`) and
 * two under the admin API (`/api/v1/passkeys`).
 */
import { type Context, Hono } from 'hono';
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
import { jsonErrors } from '../http/errors.ts';
import { registerBody, registrationOptionsBody, signInBody, signInOptionsBody } from './schemas.ts';

/** How the widget API finds and checks the widget a call names. */
export type WidgetLookup = (
  c: Context<AppEnv>,
  body: Record<string, unknown>,
) => Promise<WidgetRecord>;

/**
 * The passkey routes of the widget API, mounted at `/api/v5/widget/passkeys`
 * (after the widget API's CORS).
 */
export function passkeyWidgetRoutes(services: Services, widgetFor: WidgetLookup): Hono<AppEnv> {
  const { config } = services;
  const app = new Hono<AppEnv>();
  /** A ceremony call's body, and the widget, calling page and caller the ceremony runs for. */
  async function ceremonyCall<T extends z.ZodType<Record<string, unknown>>>(
    c: Context<AppEnv>,
    schema: T,
  ) {
    const body = await readBodyAs(c, schema);
    const widget = await widgetFor(c, body);
    const on = { widget, origin: c.req.header('origin'), context: requestContext(c, config) };
    return { body, widget, on };
  }

  app.post('/registrationOptions', async (c) => {
    const { body, on } = await ceremonyCall(c, registrationOptionsBody);
    c.header('Cache-Control', 'no-store');
    return c.json(await registrationOptions(services.otp, { ...on, ticket: body.passkeyTicket }));
  });

  app.post('/register', async (c) => {
    const { body, on } = await ceremonyCall(c, registerBody);
    const registered = await registerPasskey(services.otp, {
      ...on,
      ticket: body.passkeyTicket,
      response: body.response,
    });
    return c.json({
      type: 'success' as const,
      message: registered.passkeyId,
      passkeyId: registered.passkeyId,
    });
  });

  app.post('/signInOptions', async (c) => {
    const { on } = await ceremonyCall(c, signInOptionsBody);
    c.header('Cache-Control', 'no-store');
    return c.json(await signInOptions(services.otp, on));
  });

  app.post('/signIn', async (c) => {
    const { body, widget, on } = await ceremonyCall(c, signInBody);
    const signedIn = await signInWithPasskey(services.otp, {
      ...on,
      response: body.response,
      // Blank is none: any of the account's passkeys for this widget.
      ...(body.identifier === undefined || body.identifier === null || body.identifier === ''
        ? {}
        : { identifier: readIdentifier(body.identifier, widget.settings) }),
    });
    return c.json({
      type: 'success' as const,
      message: signedIn.accessToken,
      'access-token': signedIn.accessToken,
      reqId: signedIn.reqId,
      amr: signedIn.amr,
    });
  });

  app.onError(jsonErrors(services.log));
  return app;
}

/** `GET /passkeys` query. */
export const passkeyListQuery = z.object({
  identifier: z.string().max(254).describe('A mobile number with country code, or an email.'),
});

/**
 * The passkey routes of the admin API, mounted at `/api/v1/passkeys` (after
 * its authkey check).
 */
export function passkeyAdminRoutes(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const query = readQueryAs(c, passkeyListQuery);
    return c.json({
      passkeys: await listPasskeys(services, {
        accountId: c.var.accountId,
        identifier: query.identifier,
      }),
    });
  });

  app.delete('/:passkeyId', async (c) =>
    c.json(
      await revokePasskey(services, {
        accountId: c.var.accountId,
        passkeyId: c.req.param('passkeyId'),
      }),
    ),
  );

  app.onError(jsonErrors(services.log));
  return app;
}
