/**
 * `/api/hooks/<provider>`: delivery reports. Each is authenticated the
 * provider's way (Twilio's `X-Twilio-Signature`, the webhook provider's
 * `X-Otpkit-Signature`, Telegram's `X-Request-Signature`, the SNS message
 * signature of AWS events), or, for gateways that do not sign (MSG91), by a
 * secret in the URL; an unsigned or badly signed report changes nothing.
 */
import { timingSafeEqual } from 'node:crypto';
import { type Context, Hono } from 'hono';
import {
  type AwsEventOutcome,
  readAwsSmsEvent,
  readSesEvent,
} from '../../core/delivery/providers/aws.ts';
import { verifyHookToken } from '../../core/delivery/providers/http.ts';
import { readInfobipReports } from '../../core/delivery/providers/infobip.ts';
import { readMsg91Reports } from '../../core/delivery/providers/msg91.ts';
import {
  PLIVO_ANSWER_PURPOSE,
  readPlivoCallback,
  speakXml,
  verifyPlivoSignature,
} from '../../core/delivery/providers/plivo.ts';
import { readPostmarkWebhook } from '../../core/delivery/providers/postmark.ts';
import {
  type SnsMessage,
  SnsRefusal,
  SnsUnavailable,
  type SnsVerifier,
} from '../../core/delivery/providers/sns.ts';
import {
  readTelegramReport,
  verifyTelegramReport,
} from '../../core/delivery/providers/telegram.ts';
import { readTwilioReport, verifyTwilioSignature } from '../../core/delivery/providers/twilio.ts';
import { readVonageReceipt, verifyVonageReceipt } from '../../core/delivery/providers/vonage.ts';
import { verifyWebhookSignature } from '../../core/delivery/providers/webhook.ts';
import {
  readWhatsAppStatuses,
  verifyHubSignature,
} from '../../core/delivery/providers/whatsapp-cloud.ts';
import { createReportApplier, type DeliveryReport } from '../../core/delivery/reports.ts';
import { createSealer } from '../../platform/crypto.ts';
import { OtpkitError } from '../../platform/errors.ts';
import type { AppEnv, Services } from '../app-types.ts';

/** The delivery-report routes. */
export function hookRoutes(services: Services): Hono<AppEnv> {
  const { config, store, clock, log } = services;
  const app = new Hono<AppEnv>();

  const reportApplier = createReportApplier({
    store,
    clock,
    log,
    onFailed: () => services.delivery.kick('fallback'),
  });
  const apply = reportApplier.apply;

  /** A report that fails its provider's authentication changes nothing: it is logged and refused. */
  function requireSigned(signed: boolean, what: string, fields?: Record<string, unknown>): void {
    if (signed) return;
    log.warn(`rejected ${what}`, fields);
    throw new OtpkitError('INVALID_SIGNATURE');
  }

  /**
   * Applies the outcomes that `read` makes of an authenticated report (none
   * while it is not an outcome yet); a throw of `read` is `INVALID_REQUEST`
   * with `malformed`.
   */
  async function applyRead(
    provider: string,
    read: () => DeliveryReport | DeliveryReport[] | undefined,
    malformed: string,
  ): Promise<void> {
    let reports: DeliveryReport[];
    try {
      reports = [read() ?? []].flat();
    } catch {
      throw new OtpkitError('INVALID_REQUEST', malformed);
    }
    for (const report of reports) await apply(provider, report);
  }

  app.post('/twilio', async (c) => {
    const twilio = config.providers.twilio;
    if (!twilio) throw new OtpkitError('NOT_FOUND', 'Twilio is not configured on this server.');
    const params = Object.fromEntries(new URLSearchParams(await c.req.text()));
    const url = `${config.publicUrl}/api/hooks/twilio`;
    requireSigned(
      verifyTwilioSignature(twilio.authToken, url, params, c.req.header('x-twilio-signature')),
      'a Twilio report with a bad signature',
      { ip: c.req.header('x-forwarded-for') ?? null },
    );
    const report = readTwilioReport(params);
    if (report) await apply('twilio', report);
    return c.body(null, 204);
  });

  /**
   * The report route of a gateway that does not sign its reports, so its URL
   * carries a secret token: the token is checked, then `read` turns the raw
   * body into outcomes. `names` words the answers and the log: the vendor,
   * the report (`an Infobip report`), and the `INVALID_REQUEST` message when
   * `read` throws.
   */
  function tokenHook(
    provider: 'msg91' | 'infobip' | 'postmark',
    status: 200 | 204,
    read: (raw: string, contentType: string) => DeliveryReport | DeliveryReport[] | undefined,
    names: { vendor: string; report: string; malformed: string },
  ) {
    app.post(`/${provider}/:token`, async (c) => {
      if (!config.providers[provider]) {
        throw new OtpkitError('NOT_FOUND', `${names.vendor} is not configured on this server.`);
      }
      requireSigned(
        verifyHookToken(services.widgets.secret, provider, c.req.param('token')),
        `${names.report} with a wrong URL token`,
      );
      const raw = await c.req.text();
      const contentType = c.req.header('content-type') ?? '';
      await applyRead(provider, () => read(raw, contentType), names.malformed);
      return c.body(null, status);
    });
  }

  tokenHook(
    'msg91',
    204,
    (raw, contentType) =>
      readMsg91Reports(
        contentType.includes('json')
          ? (JSON.parse(raw) as Record<string, unknown>)
          : Object.fromEntries(new URLSearchParams(raw)),
      ),
    {
      vendor: 'MSG91',
      report: 'an MSG91 report',
      malformed:
        'An MSG91 report is form-encoded `data` (webhook version 2) or a JSON object with requestId and status (version 3).',
    },
  );

  app.post('/telegram', async (c) => {
    const telegram = config.providers.telegram;
    if (!telegram) {
      throw new OtpkitError('NOT_FOUND', 'Telegram Gateway is not configured on this server.');
    }
    const raw = await c.req.text();
    const signed = verifyTelegramReport(
      telegram.token,
      {
        timestamp: c.req.header('x-request-timestamp'),
        signature: c.req.header('x-request-signature'),
      },
      raw,
      Math.floor(clock.now() / 1000),
    );
    requireSigned(signed, 'a Telegram Gateway report with a bad signature');
    await applyRead(
      'telegram',
      () => readTelegramReport(JSON.parse(raw)),
      'A Telegram Gateway report is a RequestStatus object.',
    );
    // Telegram retries anything but 200.
    return c.body(null, 200);
  });

  // The subscription handshake: Meta checks the verify token and expects the challenge back.
  app.get('/whatsapp-cloud', (c) => {
    const whatsapp = config.providers.whatsappCloud;
    if (!whatsapp?.verifyToken) {
      throw new OtpkitError('NOT_FOUND', 'No WhatsApp verify token is configured on this server.');
    }
    const given = Buffer.from(c.req.query('hub.verify_token') ?? '');
    const expected = Buffer.from(whatsapp.verifyToken);
    const challenge = c.req.query('hub.challenge');
    if (
      c.req.query('hub.mode') !== 'subscribe' ||
      !challenge ||
      given.length !== expected.length ||
      !timingSafeEqual(given, expected)
    ) {
      throw new OtpkitError('INVALID_SIGNATURE', 'The verify token does not match.');
    }
    return c.text(challenge, 200);
  });

  app.post('/whatsapp-cloud', async (c) => {
    const whatsapp = config.providers.whatsappCloud;
    if (!whatsapp?.appSecret) {
      throw new OtpkitError('NOT_FOUND', 'No WhatsApp app secret is configured on this server.');
    }
    const raw = await c.req.text();
    requireSigned(
      verifyHubSignature(whatsapp.appSecret, raw, c.req.header('x-hub-signature-256')),
      'a WhatsApp webhook with a bad signature',
    );
    await applyRead(
      'whatsapp-cloud',
      () => readWhatsAppStatuses(JSON.parse(raw)),
      'A WhatsApp webhook is a JSON object with entry[].',
    );
    return c.body(null, 200);
  });

  // Vonage sends receipts as GET query parameters, or POST form or JSON, per the account's settings.
  app.on(['GET', 'POST'], '/vonage', async (c) => {
    const vonage = config.providers.vonage;
    if (!vonage) throw new OtpkitError('NOT_FOUND', 'Vonage is not configured on this server.');
    let params: Record<string, string> = c.req.query();
    if (c.req.method === 'POST') {
      const raw = await c.req.text();
      try {
        params = (c.req.header('content-type') ?? '').includes('json')
          ? Object.fromEntries(
              Object.entries(JSON.parse(raw) as Record<string, unknown>).map(([k, v]) => [
                k,
                String(v),
              ]),
            )
          : Object.fromEntries(new URLSearchParams(raw));
      } catch {
        throw new OtpkitError('INVALID_REQUEST', 'A Vonage receipt is form-encoded or JSON.');
      }
    }
    requireSigned(
      verifyVonageReceipt(vonage.signatureSecret, params, Math.floor(clock.now() / 1000)),
      'a Vonage receipt with a bad or missing signature',
    );
    await applyRead(
      'vonage',
      () => readVonageReceipt(params),
      'A Vonage receipt names its messageId.',
    );
    return c.body(null, 204);
  });

  tokenHook('infobip', 204, (raw) => readInfobipReports(JSON.parse(raw)), {
    vendor: 'Infobip',
    report: 'an Infobip report',
    malformed: 'An Infobip report is JSON with results[].',
  });

  tokenHook('postmark', 200, (raw) => readPostmarkWebhook(JSON.parse(raw)), {
    vendor: 'Postmark',
    report: 'a Postmark webhook',
    malformed: 'A Postmark webhook is JSON with RecordType and MessageID.',
  });

  app.post('/plivo', async (c) => {
    const plivo = config.providers.plivo;
    if (!plivo) throw new OtpkitError('NOT_FOUND', 'Plivo is not configured on this server.');
    const params = Object.fromEntries(new URLSearchParams(await c.req.text()));
    const signed = verifyPlivoSignature(
      plivo.authToken,
      `${config.publicUrl}/api/hooks/plivo`,
      params,
      {
        signature: c.req.header('x-plivo-signature-v3'),
        nonce: c.req.header('x-plivo-signature-v3-nonce'),
      },
    );
    requireSigned(signed, 'a Plivo callback with a bad signature');
    await applyRead(
      'plivo',
      () => readPlivoCallback(params),
      'A Plivo callback names a MessageUUID or a call.',
    );
    return c.body(null, 204);
  });

  // A Plivo call's answer: the XML that speaks the message sealed in the URL, until it expires.
  app.on(['GET', 'POST'], '/plivo/answer/:sealed', (c) => {
    if (!config.providers.plivo) {
      throw new OtpkitError('NOT_FOUND', 'Plivo is not configured on this server.');
    }
    let words: { text: string; language: string; exp: number };
    try {
      const sealer = createSealer(services.widgets.secret, PLIVO_ANSWER_PURPOSE);
      words = JSON.parse(sealer.open(c.req.param('sealed'))) as typeof words;
    } catch {
      throw new OtpkitError('NOT_FOUND', 'No such call.');
    }
    if (words.exp <= clock.now()) throw new OtpkitError('NOT_FOUND', 'This call has expired.');
    return c.body(speakXml(words.text, words.language), 200, { 'content-type': 'application/xml' });
  });

  /**
   * An AWS event posted by SNS: the secret URL first (a cheap guard), then
   * the message's SNS signature and topic (`sns.ts`); a verified
   * subscription confirmation is confirmed, a notification's event applied.
   */
  async function snsEvent(
    c: Context<AppEnv>,
    provider: 'ses' | 'aws-sms',
    verifier: SnsVerifier | undefined,
    read: (message: string) => AwsEventOutcome,
  ) {
    requireSigned(
      verifyHookToken(services.widgets.secret, provider, c.req.param('token') ?? ''),
      'an SNS message with a wrong URL token',
      { provider },
    );
    if (!verifier) {
      const variable =
        provider === 'ses' ? 'OTPKIT_SES_SNS_TOPIC_ARN' : 'OTPKIT_AWS_SMS_SNS_TOPIC_ARN';
      throw new OtpkitError('NOT_FOUND', `No SNS topic is configured here (${variable}).`);
    }
    let sns: SnsMessage;
    try {
      sns = await verifier.verify(await c.req.text());
    } catch (e) {
      if (e instanceof SnsRefusal) {
        log.warn('rejected an SNS message', { provider, reason: e.reason, detail: e.message });
        if (e.reason === 'malformed') {
          throw new OtpkitError('INVALID_REQUEST', `Not an SNS message: ${e.message}.`);
        }
        throw new OtpkitError(
          'INVALID_SIGNATURE',
          'Not a message Amazon SNS signed for the configured topic.',
        );
      }
      if (e instanceof SnsUnavailable) {
        // A 5xx makes SNS deliver the message again later.
        log.error('could not check an SNS message', { provider, detail: e.message });
        throw new OtpkitError(
          'NETWORK_ERROR',
          'Amazon SNS could not be reached to check the message.',
        );
      }
      throw e;
    }
    if (sns.Type === 'SubscriptionConfirmation') {
      try {
        await verifier.confirm(sns);
      } catch (e) {
        if (e instanceof SnsRefusal) {
          throw new OtpkitError(
            'INVALID_REQUEST',
            `Not a subscription confirmation: ${e.message}.`,
          );
        }
        log.error('could not confirm the SNS subscription', {
          provider,
          topicArn: sns.TopicArn,
          detail: (e as Error).message,
        });
        throw new OtpkitError('NETWORK_ERROR', 'The SNS subscription could not be confirmed.');
      }
      log.info('confirmed the SNS subscription', { provider, topicArn: sns.TopicArn });
      return c.body(null, 200);
    }
    if (sns.Type === 'UnsubscribeConfirmation') {
      log.warn('the SNS topic unsubscribed otpkit', { provider, topicArn: sns.TopicArn });
      return c.body(null, 200);
    }
    let event: AwsEventOutcome;
    try {
      event = read(sns.Message);
    } catch {
      log.warn('an SNS notification that carries no event', {
        provider,
        snsMessageId: sns.MessageId,
      });
      throw new OtpkitError(
        'INVALID_REQUEST',
        provider === 'ses'
          ? 'The notification carries no SES event.'
          : 'The notification carries no SMS event.',
      );
    }
    if (event.kind === 'outcome') await apply(provider, event);
    return c.body(null, 200);
  }

  // SES events through an SNS HTTPS subscription (SNS posts JSON as text/plain).
  app.post('/ses/:token', (c) => {
    if (!config.providers.ses)
      throw new OtpkitError('NOT_FOUND', 'SES is not configured on this server.');
    return snsEvent(c, 'ses', services.snsVerifiers.ses, readSesEvent);
  });

  // End User Messaging SMS events through the SNS event destination of its configuration set.
  app.post('/aws-sms/:token', (c) => {
    if (!config.providers.awsSms)
      throw new OtpkitError('NOT_FOUND', 'AWS SMS is not configured on this server.');
    return snsEvent(c, 'aws-sms', services.snsVerifiers.awsSms, readAwsSmsEvent);
  });

  app.post('/webhook', async (c) => {
    const webhook = config.providers.webhook;
    if (!webhook)
      throw new OtpkitError('NOT_FOUND', 'The webhook provider is not configured on this server.');
    const raw = await c.req.text();
    requireSigned(
      verifyWebhookSignature(
        webhook.secret,
        c.req.header('x-otpkit-signature'),
        raw,
        Math.floor(clock.now() / 1000),
      ),
      'a webhook report with a bad signature',
    );
    let body: { providerMessageId?: unknown; id?: unknown; status?: unknown; error?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      throw new OtpkitError('INVALID_REQUEST', 'The body must be JSON.');
    }
    const providerMessageId =
      typeof body.providerMessageId === 'string' ? body.providerMessageId : body.id;
    if (
      typeof providerMessageId !== 'string' ||
      (body.status !== 'delivered' && body.status !== 'failed')
    ) {
      throw new OtpkitError(
        'INVALID_REQUEST',
        'A report needs providerMessageId (or id) and status "delivered" or "failed".',
      );
    }
    await apply('webhook', {
      providerMessageId,
      status: body.status,
      ...(typeof body.error === 'string' ? { error: body.error.slice(0, 300) } : {}),
    });
    return c.body(null, 204);
  });

  return app;
}
