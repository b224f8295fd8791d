/**
 * The attack suite, AWS event rows: SES and End User Messaging SMS events
 * reach otpkit as Amazon SNS messages, and only those SNS signed for the
 * configured topic may change a message. Each row aims a forged, foreign,
 * unsigned or replayed message at a real message of the victim's and
 * checks both the answer and that the message kept its status.
 */
import { afterAll } from 'vitest';
import { hookToken } from '../../src/core/delivery/providers/http.ts';
import { startAwsStandIn } from '../../src/testing/aws.ts';
import { createHarness, type Harness } from '../../src/testing/harness.ts';
import {
  type SnsPayload,
  type SnsStandIn,
  signSns,
  startSnsStandIn,
  testCertificate,
} from '../../src/testing/sns.ts';
import { type Attack, attackSuite, type Outcome } from './suite.ts';

const API = '/api/v5/widget';
const SECRET = 'test-secret-test-secret-test-secret-0123';
const SES_HOOK = `/api/hooks/ses/${hookToken(SECRET, 'ses')}`;
const SMS_HOOK = `/api/hooks/aws-sms/${hookToken(SECRET, 'aws-sms')}`;
const CREDENTIALS = {
  accessKeyId: 'AKIATESTOTPKIT000001',
  secretAccessKey: 'test-secret-access-key-0123456789',
};
const REFUSED = { status: 401, code: 'INVALID_SIGNATURE' };

let snsStarted: Promise<SnsStandIn> | undefined;
const snsStandIn = () => {
  snsStarted ??= startSnsStandIn({ region: 'ap-south-1' });
  return snsStarted;
};
const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY };
afterAll(async () => {
  await (await snsStarted)?.close();
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
  else process.env.AWS_ACCESS_KEY_ID = saved.id;
  if (saved.key === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  else process.env.AWS_SECRET_ACCESS_KEY = saved.key;
});

interface Victim {
  h: Harness;
  sns: SnsStandIn;
  /** The victim's message, sent and waiting for its report. */
  providerMessageId: string;
  requestId: string;
  /** The hook its provider's events come to. */
  hook: string;
  /** The topic otpkit is configured with. */
  topic: string;
}

/**
 * Sends the victim a code by SES email (or AWS SMS), with otpkit configured
 * for the SNS topics, runs the attack on it, and answers what otpkit said,
 * or what changed if the message did not keep its `sent` status.
 */
async function onVictim(
  channel: 'email' | 'sms',
  attack: (v: Victim) => Promise<Response>,
): Promise<Outcome> {
  // The AWS SDK reads its credentials from the default chain: here, the environment.
  process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
  const sns = await snsStandIn();
  const aws = await startAwsStandIn({ ...CREDENTIALS, region: 'ap-south-1' });
  const h = await createHarness({
    recordOutbox: false,
    snsAgent: sns.agent,
    env: {
      OTPKIT_AWS_SMS_REGION: 'ap-south-1',
      OTPKIT_AWS_SMS_ORIGINATION: 'ACMEIN',
      OTPKIT_AWS_SMS_ENDPOINT: aws.endpoint,
      OTPKIT_AWS_SMS_SNS_TOPIC_ARN: sns.topicArn('sms-events'),
      OTPKIT_SES_REGION: 'ap-south-1',
      OTPKIT_SES_FROM: 'Acme <no-reply@acme.example>',
      OTPKIT_SES_ENDPOINT: aws.endpoint,
      OTPKIT_SES_SNS_TOPIC_ARN: sns.topicArn('ses-events'),
    },
  });
  try {
    const w = await h.createWidget(channel === 'email' ? { contactPoints: ['email'] } : {});
    const identifier = channel === 'email' ? 'victim@example.com' : '919876543210';
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier });
    const [before] = await h.services.store.messages.listForRequest(sent.body.message);
    if (before?.status !== 'sent' || !before.providerMessageId) {
      return `the victim's message was not sent (${before?.status})`;
    }
    const res = await attack({
      h,
      sns,
      providerMessageId: before.providerMessageId,
      requestId: sent.body.message,
      hook: channel === 'email' ? SES_HOOK : SMS_HOOK,
      topic: sns.topicArn(channel === 'email' ? 'ses-events' : 'sms-events'),
    });
    const [after] = await h.services.store.messages.listForRequest(sent.body.message);
    if (after?.status !== 'sent') return `the message became ${after?.status}`;
    const body = (await res.json().catch(() => ({}))) as { code?: string };
    return { status: res.status, code: body.code ?? 'no code' };
  } finally {
    h.services.delivery.close();
    await h.close();
    await aws.close();
  }
}

const post = async (h: Harness, path: string, message: SnsPayload): Promise<Response> =>
  h.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=UTF-8' },
    body: JSON.stringify(message),
  });

const bounce = (id: string) =>
  JSON.stringify({
    eventType: 'Bounce',
    mail: { messageId: id, destination: ['victim@example.com'] },
    bounce: { bounceType: 'Permanent', bounceSubType: 'General' },
  });
const smsBlocked = (id: string) =>
  JSON.stringify({ eventType: 'TEXT_BLOCKED', isFinal: true, messageId: id });

const attacks: Attack[] = [
  {
    attack: 'SES event: a signed message whose Message was swapped (forged signature)',
    expected: REFUSED,
    run: () =>
      onVictim('email', ({ h, sns, hook, topic, providerMessageId }) => {
        const genuine = sns.notification(topic, bounce('someone-elses-message'));
        return post(h, hook, { ...genuine, Message: bounce(providerMessageId) });
      }),
  },
  {
    attack: 'SES event signed by an attacker whose certificate is on a foreign host',
    expected: REFUSED,
    run: async () => {
      const attacker = await testCertificate('attacker.example');
      return onVictim('email', async ({ h, sns, hook, topic, providerMessageId }) => {
        const message: SnsPayload = {
          Type: 'Notification',
          MessageId: crypto.randomUUID(),
          TopicArn: topic,
          Message: bounce(providerMessageId),
          Timestamp: new Date().toISOString(),
        };
        const certPath = `/SimpleNotificationService-${'ab'.repeat(16)}.pem`;
        const fetchedBefore = sns.fetched.length;
        const res = await post(h, hook, {
          ...message,
          SignatureVersion: '2',
          Signature: signSns(message, attacker.key),
          SigningCertURL: `https://attacker.example${certPath}`,
        });
        // Refused before anything was fetched from the attacker's address.
        if (sns.fetched.length !== fetchedBefore) {
          return Response.json({ code: 'fetched the foreign certificate' }, { status: res.status });
        }
        return res;
      });
    },
  },
  {
    attack: 'SES event whose SigningCertURL is SNS in another region (or plain http)',
    expected: REFUSED,
    run: () =>
      onVictim('email', async ({ h, sns, hook, topic, providerMessageId }) => {
        const genuine = sns.notification(topic, bounce(providerMessageId));
        const path = new URL(sns.certUrl).pathname;
        let res: Response | undefined;
        for (const url of [
          `https://sns.us-east-1.amazonaws.com${path}`,
          `http://${sns.host}${path}`,
        ]) {
          res = await post(h, hook, { ...genuine, SigningCertURL: url });
          if (res.status !== 401) break;
        }
        return res!;
      }),
  },
  {
    attack: "SES event genuinely signed by SNS, but for the attacker's own topic",
    expected: REFUSED,
    run: () =>
      onVictim('email', ({ h, sns, hook, providerMessageId }) =>
        post(h, hook, sns.notification(sns.topicArn('attackers-topic'), bounce(providerMessageId))),
      ),
  },
  {
    attack: 'SES event with no signature at all (on the right secret URL)',
    expected: REFUSED,
    run: () =>
      onVictim('email', ({ h, sns, hook, topic, providerMessageId }) => {
        const { Signature, SignatureVersion, SigningCertURL, ...unsigned } = sns.notification(
          topic,
          bounce(providerMessageId),
        );
        return post(h, hook, unsigned);
      }),
  },
  {
    attack: 'SES event signed by SNS for our topic, replayed two hours later',
    expected: REFUSED,
    run: () =>
      onVictim('email', ({ h, sns, hook, topic, providerMessageId }) => {
        const captured = sns.notification(topic, bounce(providerMessageId));
        h.clock.advance(2 * 60 * 60 * 1000);
        return post(h, hook, captured);
      }),
  },
  {
    attack: "SubscriptionConfirmation for the attacker's topic (otpkit must not fetch it)",
    expected: REFUSED,
    run: () =>
      onVictim('email', async ({ h, sns, hook }) => {
        const res = await post(
          h,
          hook,
          sns.subscriptionConfirmation(sns.topicArn('attackers-topic')),
        );
        if (sns.confirmed.length > 0) {
          return Response.json(
            { code: 'confirmed the foreign subscription' },
            { status: res.status },
          );
        }
        return res;
      }),
  },
  {
    attack: 'AWS SMS event: TEXT_BLOCKED for the victim with a forged signature',
    expected: REFUSED,
    run: () =>
      onVictim('sms', ({ h, sns, hook, topic, providerMessageId }) => {
        const genuine = sns.notification(topic, smsBlocked('someone-elses-message'));
        return post(h, hook, { ...genuine, Message: smsBlocked(providerMessageId) });
      }),
  },
  {
    attack: 'AWS SMS event signed by SNS for the SES topic (not the SMS topic)',
    expected: REFUSED,
    run: () =>
      onVictim('sms', ({ h, sns, hook, providerMessageId }) =>
        post(h, hook, sns.notification(sns.topicArn('ses-events'), smsBlocked(providerMessageId))),
      ),
  },
  {
    attack: 'AWS SMS event signed by SNS for our topic, at a guessed secret URL',
    expected: REFUSED,
    run: () =>
      onVictim('sms', ({ h, sns, topic, providerMessageId }) =>
        post(
          h,
          '/api/hooks/aws-sms/guessed-token',
          sns.notification(topic, smsBlocked(providerMessageId)),
        ),
      ),
  },
];

attackSuite('Attack suite: AWS events through SNS', attacks);
