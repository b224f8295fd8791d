/**
 * `/api/v5/widget/*`: the SendOTP widget API, as the existing browser and
 * mobile SDKs call it. Routes read and check the request, then call the
 * services.
 */
import type {
  GetWidgetProcessResponse,
  IsOneTapAuthenticatedSuccess,
  SendOtpSuccess,
  VerifyAccessTokenSuccess,
  VerifyOtpSuccess,
} from '@otpkit/protocol';
import { type Context, Hono } from 'hono';
import { compress } from 'hono/compress';
import type { z } from 'zod';
import { accountForAuthkey } from '../../core/accounts/authkeys.ts';
import { issuePowChallenge, powKey, powMaxNumber } from '../../core/captcha/index.ts';
import { linkStatus } from '../../core/magic-links/index.ts';
import {
  parseTemplateVariables,
  readCode,
  readIdentifier,
  readReqId,
  readRetryChannel,
  retryOtp,
  type SendResult,
  sendOtp,
  verifyOtp,
} from '../../core/otp/index.ts';
import { issuePasskeyTicket } from '../../core/passkeys/service.ts';
import { templateIdsFor } from '../../core/templates/service.ts';
import { redeemAccessToken } from '../../core/tokens/verify.ts';
import { authorizeWidget, checkWidgetAccess, frameTopHost } from '../../core/widgets/service.ts';
import { toWidgetData } from '../../core/widgets/widget-data.ts';
import { OtpkitError } from '../../platform/errors.ts';
import type { WidgetRecord } from '../../store/index.ts';
import type { AppEnv, Services } from '../app-types.ts';
import { readBodyAs, readQueryAs, requestContext } from '../http/context.ts';
import { widgetCors } from '../http/widget-cors.ts';
import { passkeyWidgetRoutes } from '../passkeys/routes.ts';
import { widgetApiErrors } from './errors.ts';
import {
  isOneTapAuthenticatedBody,
  retryOtpBody,
  sendOtpBody,
  templateVariables,
  verifyAccessTokenBody,
  verifyOtpBody,
  widgetQuery,
} from './schemas.ts';

function sendBody(result: SendResult): SendOtpSuccess {
  return { type: 'success', message: result.reqId, ...result };
}

/** The widget API routes. */
export function widgetApiRoutes(services: Services): Hono<AppEnv> {
  const { store, config } = services;
  const ownOrigin = new URL(config.publicUrl).origin;
  const app = new Hono<AppEnv>();
  app.use('*', widgetCors({ ownOrigin }));

  /**
   * The widget a call names, checked against its token (`tokenAuth` in the
   * body or a `tokenauth` header) or, server to server, the account authkey;
   * then the widget's rules for the calling page (enabled, origin, mobile only).
   */
  async function widgetFor(
    c: Context<AppEnv>,
    body: Record<string, unknown>,
    options: { requireEnabled: boolean } = { requireEnabled: true },
  ) {
    const authkey = c.req.header('authkey') ?? body.authkey;
    const accountId =
      authkey === undefined
        ? undefined
        : await accountForAuthkey(store, authkey, services.clock.now(), {
            limits: services.otp.limits,
            ip: requestContext(c, config).ip,
          });
    const widget = await authorizeWidget(
      store,
      {
        widgetId: body.widgetId,
        tokenAuth: body.tokenAuth ?? c.req.header('tokenauth'),
        accountId,
      },
      services.clock.now(),
    );
    c.set('allowedOrigins', widget.settings.allowedOrigins);
    checkWidgetAccess(
      widget,
      {
        origin: c.req.header('origin'),
        serverToServer: accountId !== undefined,
        ownOrigin,
        anyOrigin: config.allowAnyOrigin,
      },
      options,
    );
    c.set('serverToServer', accountId !== undefined);
    return widget;
  }

  /** How the call came: from the customer's backend (authkey) or a browser, with its captcha. */
  const callOf = (c: Context<AppEnv>, body: Record<string, unknown>) => ({
    serverToServer: c.get('serverToServer') === true,
    captcha: body.captcha ?? body.captchaToken ?? body['g-recaptcha-response'],
  });

  /** Who called, with the top page of a framed widget (for the SMS's WebOTP line). */
  const contextOf = (c: Context<AppEnv>, widget: WidgetRecord, topOrigin: unknown) => ({
    ...requestContext(c, config),
    topHost: frameTopHost(widget, topOrigin, { origin: c.req.header('origin') }),
  });

  /** A call's body, checked against the route's schema, and the widget it names. */
  const widgetCall = async <T extends z.ZodType<Record<string, unknown>>>(
    c: Context<AppEnv>,
    schema: T,
  ) => {
    const body = await readBodyAs(c, schema);
    return { body, widget: await widgetFor(c, body) };
  };

  /** The request a call is about: `reqId`, or its alias `requestId`. */
  const reqIdOf = (body: { reqId?: unknown; requestId?: unknown }) =>
    readReqId(body.reqId ?? body.requestId);

  // The widget data is on every page's critical path (the popup waits for it): sent gzipped
  // when the browser takes it (a third of its size). It holds nothing secret nor any echo of
  // the request beyond the widget's own id, so compression leaks nothing (BREACH).
  app.get('/getWidgetProcess', compress({ encoding: 'gzip' }), async (c) => {
    // A disabled widget still describes itself (status "0"), so SDKs can say why.
    const widget = await widgetFor(c, readQueryAs(c, widgetQuery), { requireEnabled: false });
    const body: GetWidgetProcessResponse = {
      status: 'success',
      hasError: false,
      errors: [],
      data: toWidgetData(widget, await templateIdsFor(store, widget), config.captcha.scriptUrl),
    };
    return c.json(body);
  });

  // The proof-of-work captcha: a fresh ALTCHA challenge for each send or resend.
  app.get('/captchaChallenge', async (c) => {
    const widget = await widgetFor(c, readQueryAs(c, widgetQuery));
    if (widget.settings.captcha.provider !== 'pow') {
      throw new OtpkitError(
        'INVALID_REQUEST',
        'This widget does not use the proof-of-work captcha.',
      );
    }
    // A network that keeps asking pays more per challenge (powMaxNumber's schedule).
    const issued = await services.otp.limits.countChallenge(requestContext(c, config).ip);
    c.header('Cache-Control', 'no-store');
    return c.json(
      await issuePowChallenge(
        powKey(services.otp.secret),
        widget.id,
        services.clock.now(),
        powMaxNumber(services.otp.abuse.powMaxNumber, issued),
      ),
    );
  });

  const send = async (c: Context<AppEnv>) => {
    const { body, widget } = await widgetCall(c, sendOtpBody);
    const result = await sendOtp(services.otp, {
      widget,
      identifier: readIdentifier(body.identifier ?? body.mobile ?? body.email, widget.settings),
      variables: parseTemplateVariables(templateVariables(sendOtpBody, body)),
      context: contextOf(c, widget, body.topOrigin),
      call: callOf(c, body),
    });
    return c.json(sendBody(result));
  };
  app.post('/sendOtpMobile', send);
  app.post('/sendOtp', send);

  app.post('/retryOtp', async (c) => {
    const { body, widget } = await widgetCall(c, retryOtpBody);
    const result = await retryOtp(services.otp, {
      widget,
      reqId: reqIdOf(body),
      retryChannel: readRetryChannel(body.retryChannel ?? body.retryType),
      variables: parseTemplateVariables(templateVariables(retryOtpBody, body)),
      context: contextOf(c, widget, body.topOrigin),
      call: callOf(c, body),
    });
    return c.json(sendBody(result));
  });

  app.post('/verifyOtp', async (c) => {
    const { body, widget } = await widgetCall(c, verifyOtpBody);
    const result = await verifyOtp(services.otp, {
      widget,
      reqId: reqIdOf(body),
      otp: readCode(body.otp),
      context: requestContext(c, config),
      call: callOf(c, body),
    });
    const answer: VerifyOtpSuccess = {
      type: 'success',
      message: result.accessToken,
      'access-token': result.accessToken,
      // The proof a passkey may now be made for this identifier, without a second code. A demo
      // code proves nothing (its pair is shared), so it gives no ticket.
      ...(widget.settings.passkeys && !result.demo
        ? {
            passkeyTicket: await issuePasskeyTicket(services.otp, {
              widget,
              requestId: result.reqId,
              identifier: result.identifier,
            }),
          }
        : {}),
    };
    return c.json(answer);
  });

  // The asking tab polls this until its magic link is confirmed (the contract names no widgetId).
  app.post('/isOneTapAuthenticated', async (c) => {
    await services.otp.limits.consumeAuthCall(requestContext(c, config).ip, 'poll');
    const body = await readBodyAs(c, isOneTapAuthenticatedBody);
    const reqId = body.requestId ?? body.reqId;
    let widgetId = body.widgetId;
    if (widgetId === undefined && typeof reqId === 'string' && reqId.length <= 100) {
      widgetId = (await store.otpRequests.get(reqId))?.widgetId;
      if (widgetId === undefined) throw new OtpkitError('REQUEST_NOT_FOUND');
    }
    const widget = await widgetFor(c, { ...body, widgetId });
    const answer: IsOneTapAuthenticatedSuccess = await linkStatus(services.otp, {
      widget,
      reqId: readReqId(reqId, 'requestId'),
    });
    c.header('Cache-Control', 'no-store');
    return c.json(answer);
  });

  app.post('/verifyAccessToken', async (c) => {
    const body = await readBodyAs(c, verifyAccessTokenBody);
    const verified = await redeemAccessToken(
      {
        ...services.tokens,
        limits: services.otp.limits,
        log: services.log,
        metrics: services.metrics,
      },
      {
        authkey: body.authkey ?? c.req.header('authkey'),
        token: body['access-token'] ?? body.accessToken,
        ...(body.widgetId !== undefined ? { widgetId: body.widgetId } : {}),
        context: requestContext(c, config),
      },
    );
    const answer: VerifyAccessTokenSuccess = {
      type: 'success',
      message: verified.identifier,
      ...verified,
    };
    return c.json(answer);
  });

  app.route('/passkeys', passkeyWidgetRoutes(services, widgetFor));

  app.onError(widgetApiErrors(services.log));
  return app;
}
