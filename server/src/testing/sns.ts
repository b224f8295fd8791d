/**
 * A stand-in for Amazon SNS as an HTTPS subscriber meets it: messages signed
 * the SNS way (SignatureVersion 1 or 2 over the canonical string of their
 * type) with a test key, and an HTTPS server that answers for
 * `sns.<region>.amazonaws.com` with the test certificate: the signing
 * certificate at its `SigningCertURL` and the `SubscribeURL` that confirms
 * a subscription.
 *
 * otpkit reaches it through {@link SnsStandIn.agent}, an HTTPS agent that
 * connects every host to this server and trusts the test certificate (the
 * one test-only switch, passed in the services' overrides; a server has no
 * setting for it). Host names, the TLS check and the URL checks stay real.
 */
import { createSign, randomBytes, randomUUID } from 'node:crypto';
import { Agent, createServer } from 'node:https';
import { connect } from 'node:tls';
import selfsigned from 'selfsigned';
import { listen } from './stand-in.ts';

/** A message as SNS posts it to an HTTPS endpoint. */
export type SnsPayload = Record<string, string>;

/** The fields each type's signature covers, in the documented order. */
const SIGNED_FIELDS = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: [
    'Message',
    'MessageId',
    'SubscribeURL',
    'Timestamp',
    'Token',
    'TopicArn',
    'Type',
  ],
} as const;

/** The string SNS signs for a message. */
export function snsStringToSign(message: SnsPayload): string {
  const type = message.Type as keyof typeof SIGNED_FIELDS;
  const fields = SIGNED_FIELDS[type] ?? SIGNED_FIELDS.SubscriptionConfirmation;
  return fields
    .filter((f) => message[f] !== undefined)
    .map((f) => `${f}\n${message[f]}\n`)
    .join('');
}

/** Signs `message` as SNS does, with `key` (PEM). */
export function signSns(message: SnsPayload, key: string, version: '1' | '2' = '2'): string {
  const signer = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
  signer.update(snsStringToSign(message), 'utf8');
  return signer.sign(key, 'base64');
}

/** A key pair and a self-signed certificate for `host` (an attacker makes one as easily). */
export async function testCertificate(host: string): Promise<{ key: string; cert: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: host }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: host }] }],
  });
  return { key: pems.private, cert: pems.cert };
}

export type SnsStandIn = Awaited<ReturnType<typeof startSnsStandIn>>;

export async function startSnsStandIn(options: { region: string; account?: string }) {
  const host = `sns.${options.region}.amazonaws.com`;
  const account = options.account ?? '123456789012';
  const { key, cert } = await testCertificate(host);
  const certPath = `/SimpleNotificationService-${randomBytes(16).toString('hex')}.pem`;
  const certUrl = `https://${host}${certPath}`;
  /** Paths otpkit fetched (the certificate, confirmations), in order. */
  const fetched: string[] = [];
  /** Subscriptions confirmed through their `SubscribeURL`: the topic of each. */
  const confirmed: string[] = [];
  const tokens = new Map<string, string>();
  /** How many of the next certificate fetches SNS answers with a 503 error page. */
  const outage = { certFetches: 0 };
  const server = createServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? '/', `https://${host}`);
    fetched.push(url.pathname + url.search);
    if (req.method === 'GET' && url.pathname === certPath && outage.certFetches > 0) {
      outage.certFetches--;
      res.writeHead(503, { 'content-type': 'text/html' });
      return res.end('<html><body>Service Unavailable</body></html>');
    }
    if (req.method === 'GET' && url.pathname === certPath) {
      res.writeHead(200, { 'content-type': 'application/x-x509-ca-cert' });
      return res.end(cert);
    }
    const topic = url.searchParams.get('TopicArn') ?? '';
    if (
      req.method === 'GET' &&
      url.pathname === '/' &&
      url.searchParams.get('Action') === 'ConfirmSubscription' &&
      tokens.get(url.searchParams.get('Token') ?? '') === topic
    ) {
      confirmed.push(topic);
      res.writeHead(200, { 'content-type': 'text/xml' });
      return res.end(
        `<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ConfirmSubscriptionResult><SubscriptionArn>${topic}:${randomUUID()}</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>`,
      );
    }
    res.writeHead(404, { 'content-type': 'text/xml' });
    res.end('<ErrorResponse><Error><Code>NotFound</Code></Error></ErrorResponse>');
  });
  const port = await listen(server);

  /** Connects every host to the stand-in; TLS still checks the name against the test certificate. */
  class StandInAgent extends Agent {
    override createConnection(connection: {
      host?: string | null;
      servername?: string;
    }): ReturnType<typeof connect> {
      const servername = connection.servername || connection.host || host;
      return connect({ host: '127.0.0.1', port, servername, ca: cert });
    }
  }
  const agent = new StandInAgent({ keepAlive: false });

  const topicArn = (name: string) => `arn:aws:sns:${options.region}:${account}:${name}`;

  function signed(message: SnsPayload, version: '1' | '2'): SnsPayload {
    return {
      ...message,
      SignatureVersion: version,
      Signature: signSns(message, key, version),
      SigningCertURL: certUrl,
      ...(message.Type === 'Notification'
        ? {
            UnsubscribeURL: `https://${host}/?Action=Unsubscribe&SubscriptionArn=${message.TopicArn}:${randomUUID()}`,
          }
        : {}),
    };
  }

  return {
    host,
    agent,
    certUrl,
    fetched,
    confirmed,
    outage,
    topicArn,
    /** A notification of `topic` carrying `message` (a JSON string), signed. */
    notification(
      topic: string,
      message: string,
      extra: { version?: '1' | '2'; subject?: string; timestamp?: Date } = {},
    ): SnsPayload {
      return signed(
        {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topic,
          ...(extra.subject ? { Subject: extra.subject } : {}),
          Message: message,
          Timestamp: (extra.timestamp ?? new Date()).toISOString(),
        },
        extra.version ?? '2',
      );
    },
    /** The signed confirmation SNS sends a new HTTPS subscription of `topic`. */
    subscriptionConfirmation(topic: string, version: '1' | '2' = '2'): SnsPayload {
      const token = randomBytes(32).toString('hex');
      tokens.set(token, topic);
      return signed(
        {
          Type: 'SubscriptionConfirmation',
          MessageId: randomUUID(),
          Token: token,
          TopicArn: topic,
          Message: `You have chosen to subscribe to the topic ${topic}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
          SubscribeURL: `https://${host}/?Action=ConfirmSubscription&TopicArn=${topic}&Token=${token}`,
          Timestamp: new Date().toISOString(),
        },
        version,
      );
    },
    /** The signed message SNS sends when the subscription of `topic` was removed. */
    unsubscribeConfirmation(topic: string): SnsPayload {
      const token = randomBytes(32).toString('hex');
      return signed(
        {
          Type: 'UnsubscribeConfirmation',
          MessageId: randomUUID(),
          Token: token,
          TopicArn: topic,
          Message: `You have chosen to deactivate subscription ${topic}:${randomUUID()}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
          SubscribeURL: `https://${host}/?Action=ConfirmSubscription&TopicArn=${topic}&Token=${token}`,
          Timestamp: new Date().toISOString(),
        },
        '2',
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
