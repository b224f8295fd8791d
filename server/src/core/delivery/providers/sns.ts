/**
 * Amazon SNS messages posted to an HTTPS subscription, verified before
 * anything in them is believed. AWS events reach otpkit this way: SES
 * bounces and deliveries (`/api/hooks/ses/<token>`) and End User Messaging
 * SMS delivery events (`/api/hooks/aws-sms/<token>`).
 *
 * Any AWS account can create a topic and have SNS sign for it, so a message
 * counts only when all of these hold:
 *
 * - it carries a signature (`SignatureVersion` 1, SHA1withRSA, or 2,
 *   SHA256withRSA) over the canonical string of its `Type` (the documented
 *   fields in their documented order), made by the certificate at
 *   `SigningCertURL` (checked by `sns-payload-validator`, which fetches each
 *   certificate once and caches it);
 * - `SigningCertURL` is `https://sns.<region>.amazonaws.com[.cn]/…`, the
 *   region being the configured topic's;
 * - `TopicArn` is the configured topic;
 * - its `Timestamp` is no older than SNS goes on retrying (an hour), so a
 *   captured message cannot be replayed later.
 *
 * A `SubscriptionConfirmation` that passes is confirmed by fetching its
 * `SubscribeURL` (also an SNS address of the topic's region).
 */
import { X509Certificate } from 'node:crypto';
import { type Agent, get as httpsGet } from 'node:https';
import SnsPayloadValidator from 'sns-payload-validator';
import { SNS_TOPIC_ARN } from '../../../platform/config/gateways.ts';

/** How old a message may be: SNS retries an HTTPS delivery for at most an hour. */
export const SNS_MAX_AGE_MS = 60 * 60 * 1000;
/** How far ahead of our clock a message's timestamp may be (clock skew). */
const SNS_MAX_SKEW_MS = 5 * 60 * 1000;
/** How long fetching a signing certificate or confirming a subscription may take. */
const SNS_FETCH_TIMEOUT_MS = 10_000;

/** A message SNS posts, once verified. */
export interface SnsMessage {
  Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SubscribeURL?: string;
}

/** Why a message was refused (the log says which; the answer is always the same). */
export type SnsRefusalReason =
  | 'malformed'
  | 'unsigned'
  | 'certificate-host'
  | 'topic'
  | 'stale'
  | 'bad-signature';

/** A message that is not from the configured topic through SNS. */
export class SnsRefusal extends Error {
  override name = 'SnsRefusal';
  constructor(
    readonly reason: SnsRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** SNS could not be reached to check a message (its certificate) or confirm a subscription. */
export class SnsUnavailable extends Error {
  override name = 'SnsUnavailable';
}

/** Checks the messages of one topic. */
export interface SnsVerifier {
  readonly topicArn: string;
  /** The verified message in `raw`; throws {@link SnsRefusal} or {@link SnsUnavailable}. */
  verify(raw: string): Promise<SnsMessage>;
  /** Confirms a verified `SubscriptionConfirmation` by fetching its `SubscribeURL`. */
  confirm(message: SnsMessage): Promise<void>;
}

export interface SnsVerifierOptions {
  /** The one topic whose messages count. */
  topicArn: string;
  now(): number;
  /**
   * The HTTPS agent for the calls to SNS (signing certificates, subscription
   * confirmations). Tests pass one that reaches a local stand-in and trusts
   * its test certificate; a server leaves it out (the system's trust store,
   * real DNS). The host checks above apply either way.
   */
  agent?: Agent;
}

/** The messages' library errors that mean "not signed by SNS" (others are network failures). */
const LIBRARY_REFUSALS = new Set([
  'Invalid Signature',
  'Invalid SigningCertURL',
  'Invalid SignatureVersion',
  'Invalid Type',
]);

/** Whether `url` is an HTTPS address of SNS in `region` (no port, no credentials). */
function isSnsUrl(url: string, region: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === '' &&
    (parsed.hostname === `sns.${region}.amazonaws.com` ||
      parsed.hostname === `sns.${region}.amazonaws.com.cn`)
  );
}

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SnsUnavailable(`${what}: no answer in ${SNS_FETCH_TIMEOUT_MS} ms`)),
      SNS_FETCH_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** GETs an SNS URL; resolves on a 2xx answer. */
function fetchSns(url: string, agent: Agent | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, agent ? { agent } : {}, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve();
      else reject(new SnsUnavailable(`SNS answered ${status}`));
    });
    req.setTimeout(SNS_FETCH_TIMEOUT_MS, () => req.destroy(new SnsUnavailable('SNS timed out')));
    req.on('error', (e) => reject(e instanceof SnsUnavailable ? e : new SnsUnavailable(e.message)));
  });
}

/**
 * A verifier for one topic's messages.
 *
 * @example
 * const sns = createSnsVerifier({ topicArn, now: clock.now });
 * const message = await sns.verify(await c.req.text()); // throws SnsRefusal when forged
 */
export function createSnsVerifier(options: SnsVerifierOptions): SnsVerifier {
  const region = SNS_TOPIC_ARN.exec(options.topicArn)?.[1];
  if (!region) throw new TypeError(`not an SNS topic ARN: ${options.topicArn}`);
  const validator = new SnsPayloadValidator({
    useCache: true,
    // One topic signs with a handful of certificates over its life (SNS rotates them).
    maxCerts: 20,
    ...(options.agent ? { requestAgent: options.agent } : {}),
  });
  // The library caches whatever the certificate URL answered, an error page too; such an entry
  // must not fail every later message, so it is dropped and the message answered as "try again".
  const certCache = (validator as unknown as { certCache?: Map<string, string> }).certCache;
  const dropIfNotCertificate = (url: string): boolean => {
    const cached = certCache?.get(url);
    if (cached === undefined) return false;
    try {
      new X509Certificate(cached);
      return false;
    } catch {
      certCache?.delete(url);
      return true;
    }
  };

  return {
    topicArn: options.topicArn,

    async verify(raw) {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        throw new SnsRefusal('malformed', 'the body is not JSON');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new SnsRefusal('malformed', 'the body is not an SNS message');
      }
      // From here on, whatever fails is a message SNS did not sign: refused as unsigned or forged.
      if (
        (body.SignatureVersion !== '1' && body.SignatureVersion !== '2') ||
        typeof body.Signature !== 'string' ||
        body.Signature === '' ||
        typeof body.SigningCertURL !== 'string'
      ) {
        throw new SnsRefusal('unsigned', 'no SNS signature (SignatureVersion 1 or 2)');
      }
      const type = body.Type;
      if (
        type !== 'Notification' &&
        type !== 'SubscriptionConfirmation' &&
        type !== 'UnsubscribeConfirmation'
      ) {
        throw new SnsRefusal('bad-signature', 'Type is not an SNS message type');
      }
      for (const field of ['MessageId', 'TopicArn', 'Message', 'Timestamp']) {
        if (typeof body[field] !== 'string') {
          throw new SnsRefusal('bad-signature', `${field} is missing`);
        }
      }
      if (type !== 'Notification' && typeof body.SubscribeURL !== 'string') {
        throw new SnsRefusal('bad-signature', 'SubscribeURL is missing');
      }
      if (!isSnsUrl(body.SigningCertURL, region)) {
        throw new SnsRefusal(
          'certificate-host',
          `SigningCertURL is not an SNS address of ${region}: ${body.SigningCertURL.slice(0, 200)}`,
        );
      }
      // Checked before the signature: a message for another topic costs no certificate fetch.
      if (body.TopicArn !== options.topicArn) {
        throw new SnsRefusal('topic', `TopicArn is not the configured topic: ${body.TopicArn}`);
      }
      const sent = Date.parse(body.Timestamp as string);
      const now = options.now();
      if (!Number.isFinite(sent) || sent < now - SNS_MAX_AGE_MS || sent > now + SNS_MAX_SKEW_MS) {
        throw new SnsRefusal('stale', `Timestamp ${body.Timestamp} is outside the last hour`);
      }
      try {
        await withTimeout(
          validator.validate(body as unknown as SnsPayloadValidator.SnsPayload),
          'SNS signing certificate',
        );
      } catch (e) {
        if (e instanceof SnsUnavailable) throw e;
        const message = (e as Error).message;
        if (dropIfNotCertificate(body.SigningCertURL)) {
          throw new SnsUnavailable('the SNS signing certificate URL answered no certificate');
        }
        if (LIBRARY_REFUSALS.has(message)) throw new SnsRefusal('bad-signature', message);
        throw new SnsUnavailable(`the SNS signing certificate could not be fetched: ${message}`);
      }
      return body as unknown as SnsMessage;
    },

    async confirm(message) {
      const url = message.SubscribeURL;
      if (message.Type !== 'SubscriptionConfirmation' || !url || !isSnsUrl(url, region)) {
        throw new SnsRefusal('malformed', 'SubscribeURL is not an SNS address of the topic');
      }
      await withTimeout(fetchSns(url, options.agent), 'SNS subscription confirmation');
    },
  };
}
