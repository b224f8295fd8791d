import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAwsStandIn } from '../../../testing/aws.ts';
import { createHarness, type Harness, TEST_ISSUER } from '../../../testing/harness.ts';
import { type SnsStandIn, startSnsStandIn } from '../../../testing/sns.ts';
import { hookToken } from './http.ts';

const CREDENTIALS = {
  accessKeyId: 'AKIATESTOTPKIT000001',
  secretAccessKey: 'test-secret-access-key-0123456789',
};
const SECRET = 'test-secret-test-secret-test-secret-0123';
const API = '/api/v5/widget';
const sesHook = `/api/hooks/ses/${hookToken(SECRET, 'ses')}`;
const smsHook = `/api/hooks/aws-sms/${hookToken(SECRET, 'aws-sms')}`;

// The AWS SDK reads its credentials from the default chain: here, the environment.
const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY };
beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
});
afterAll(() => {
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
  else process.env.AWS_ACCESS_KEY_ID = saved.id;
  if (saved.key === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  else process.env.AWS_SECRET_ACCESS_KEY = saved.key;
});

let sns: SnsStandIn;
beforeAll(async () => {
  sns = await startSnsStandIn({ region: 'ap-south-1' });
});
afterAll(() => sns.close());

let aws: Awaited<ReturnType<typeof startAwsStandIn>>;
let h: Harness;
beforeEach(async () => {
  aws = await startAwsStandIn({
    ...CREDENTIALS,
    region: 'ap-south-1',
    sns,
    sesEventsUrl: `${TEST_ISSUER}${sesHook}`,
    smsEventsUrl: `${TEST_ISSUER}${smsHook}`,
    post: (url, init) => Promise.resolve(h.app.request(url.slice(TEST_ISSUER.length), init)),
  });
  h = await createHarness({
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
});
afterEach(async () => {
  h.services.delivery.close();
  await h.close();
  await aws.close();
});

/** POSTs an SNS message to a hook as SNS does (JSON as text/plain). */
const postSns = (path: string, message: unknown) =>
  h.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=UTF-8' },
    body: typeof message === 'string' ? message : JSON.stringify(message),
  });

describe('AWS End User Messaging SMS provider', () => {
  it('sends SendTextMessage, SigV4-signed with the default chain’s credentials', async () => {
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect(aws.refused).toEqual([]);
    expect(aws.sms[0]).toMatchObject({
      DestinationPhoneNumber: '+919876543210',
      OriginationIdentity: 'ACMEIN',
      MessageType: 'TRANSACTIONAL',
    });
    expect(aws.sms[0].MessageBody).toMatch(/^\d{6} is your Test shop verification code/);
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    expect(m).toMatchObject({ provider: 'aws-sms', status: 'sent' });
  });

  it('fails an opted-out number at once and treats throttling as passing', async () => {
    const w = await h.createWidget();
    aws.smsFailures.push({
      type: 'ValidationException',
      reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
      status: 400,
    });
    const out = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    expect((await h.services.store.messages.listForRequest(out.body.message))[0]).toMatchObject({
      status: 'failed',
    });
    aws.smsFailures.push({ type: 'ThrottlingException', status: 400 });
    const slow = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543211' });
    expect((await h.services.store.messages.listForRequest(slow.body.message))[0]).toMatchObject({
      status: 'pending',
    });
  });
});

describe('the AWS stand-in', () => {
  it('refuses a request signed with another secret (and otpkit retries it)', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'not-the-secret-access-key-0000000';
    try {
      const w = await h.createWidget();
      const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
      expect(aws.refused).toEqual(['signature does not match']);
      const [m] = await h.services.store.messages.listForRequest(sent.body.message);
      expect(m).toMatchObject({ status: 'pending' });
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
    }
  });
});

describe('Amazon SES provider', () => {
  it('sends SendEmail with both parts, and applies signed delivery and bounce events from SNS', async () => {
    aws.bouncing.add('bob@example.com');
    const w = await h.createWidget({ contactPoints: ['email'] });
    const ok = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: 'alice@example.com' });
    const bad = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: 'bob@example.com' });
    expect(aws.refused).toEqual([]);
    expect(aws.emails[0]).toMatchObject({
      FromEmailAddress: 'Acme <no-reply@acme.example>',
      Destination: { ToAddresses: ['alice@example.com'] },
    });
    expect(aws.emails[0].Content.Simple.Body.Html.Data).toContain('verification code');
    expect(aws.notifications.map((n) => n.SignatureVersion)).toEqual(['2', '2']);
    expect((await aws.sendReports()).map((r) => r.status)).toEqual([200, 200]);
    const [a] = await h.services.store.messages.listForRequest(ok.body.message);
    const [b] = await h.services.store.messages.listForRequest(bad.body.message);
    expect(a).toMatchObject({ provider: 'ses', status: 'delivered' });
    expect(b).toMatchObject({ provider: 'ses', status: 'failed' });
    expect(b?.error).toContain('Bounce');

    const forged = await h.app.request('/api/hooks/ses/guess', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ Type: 'Notification', Message: '{}' }),
    });
    expect(forged.status).toBe(401);
  });

  it('fetches the signing certificate once for many messages, and takes SignatureVersion 1', async () => {
    const w = await h.createWidget({ contactPoints: ['email'] });
    const before = sns.fetched.filter((p) => p.endsWith('.pem')).length;
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: 'carol@example.com' });
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    const event = JSON.stringify({
      eventType: 'Delivery',
      mail: { messageId: m?.providerMessageId },
    });
    const topic = sns.topicArn('ses-events');
    for (let i = 0; i < 3; i++) {
      const res = await postSns(
        sesHook,
        sns.notification(topic, event, {
          version: '1',
          subject: 'Amazon SES Email Event Notification',
        }),
      );
      expect(res.status).toBe(200);
    }
    // Each harness has its own verifier, so its cache starts empty: one fetch, then the cache.
    expect(sns.fetched.filter((p) => p.endsWith('.pem')).length - before).toBe(1);
    expect((await h.services.store.messages.listForRequest(sent.body.message))[0]).toMatchObject({
      status: 'delivered',
    });
  });

  it('answers 503 while SNS serves no certificate (SNS retries), and takes the message once it does', async () => {
    const w = await h.createWidget({ contactPoints: ['email'] });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: 'dave@example.com' });
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    const notification = sns.notification(
      sns.topicArn('ses-events'),
      JSON.stringify({ eventType: 'Delivery', mail: { messageId: m?.providerMessageId } }),
    );
    sns.outage.certFetches = 1;
    const during = await postSns(sesHook, notification);
    expect(during.status).toBe(503);
    expect(((await during.json()) as { code: string }).code).toBe('NETWORK_ERROR');
    // SNS delivers the same message again: the error page was not kept as the certificate.
    expect((await postSns(sesHook, notification)).status).toBe(200);
    expect((await h.services.store.messages.listForRequest(sent.body.message))[0]).toMatchObject({
      status: 'delivered',
    });
  });

  it('confirms the subscription of its topic, not of another, and only when signed', async () => {
    const confirmation = sns.subscriptionConfirmation(sns.topicArn('ses-events'));
    const tampered = { ...confirmation, SubscribeURL: `${confirmation.SubscribeURL}&x=1` };
    expect((await postSns(sesHook, tampered)).status).toBe(401);
    expect(sns.confirmed).toEqual([]);
    const foreign = sns.subscriptionConfirmation(sns.topicArn('someone-elses-topic'));
    expect((await postSns(sesHook, foreign)).status).toBe(401);
    expect(sns.confirmed).toEqual([]);
    expect((await postSns(sesHook, confirmation)).status).toBe(200);
    expect(sns.confirmed).toEqual([sns.topicArn('ses-events')]);
    // An unsubscribe confirmation is verified and logged; otpkit does not resubscribe itself.
    const fetched = sns.fetched.length;
    expect(
      (await postSns(sesHook, sns.unsubscribeConfirmation(sns.topicArn('ses-events')))).status,
    ).toBe(200);
    expect(sns.fetched.length).toBe(fetched);
    expect(sns.confirmed).toEqual([sns.topicArn('ses-events')]);
  });

  it('answers a body that is no JSON object with INVALID_REQUEST, any other unsigned one with INVALID_SIGNATURE, never a 500', async () => {
    for (const body of ['not json', '[]', 'null']) {
      const res = await postSns(sesHook, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('INVALID_REQUEST');
    }
    const rawEvent = JSON.stringify({ eventType: 'Bounce', mail: { messageId: 'm' } });
    const signed = sns.notification(sns.topicArn('ses-events'), rawEvent);
    for (const body of [
      rawEvent, // raw message delivery: the event alone
      JSON.stringify({ Type: 'Notification', Message: rawEvent }),
      JSON.stringify({ ...signed, Type: 'Other' }),
      JSON.stringify({ ...signed, MessageId: 7 }),
      JSON.stringify({ ...signed, SigningCertURL: 'not a url' }),
    ]) {
      const res = await postSns(sesHook, body);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('INVALID_SIGNATURE');
    }
  });
});

describe('AWS End User Messaging SMS delivery events', () => {
  it('applies signed SMS events from the SNS destination: delivered, and permanent and transient failures', async () => {
    aws.smsOutcomes.set('+919876543211', 'TEXT_BLOCKED');
    aws.smsOutcomes.set('+919876543212', 'TEXT_CARRIER_UNREACHABLE');
    const w = await h.createWidget();
    const sent = [];
    for (const n of ['919876543210', '919876543211', '919876543212']) {
      sent.push(await h.post(`${API}/sendOtpMobile`, { ...w, identifier: n }));
    }
    expect(aws.refused).toEqual([]);
    const [m0] = await h.services.store.messages.listForRequest(sent[0]!.body.message);
    expect(m0).toMatchObject({ provider: 'aws-sms', status: 'sent' });
    // The event names the message by the MessageId SendTextMessage answered.
    expect(JSON.parse(aws.notifications[0]!.Message!).messageId).toBe(m0?.providerMessageId);
    expect((await aws.sendReports()).map((r) => r.status)).toEqual([200, 200, 200]);
    const [delivered, blocked, unreachable] = await Promise.all(
      sent.map(async (s) => (await h.services.store.messages.listForRequest(s.body.message))[0]),
    );
    expect(delivered).toMatchObject({ provider: 'aws-sms', status: 'delivered' });
    expect(blocked).toMatchObject({ status: 'failed' });
    expect(blocked?.error).toMatch(/^AWS SMS TEXT_BLOCKED \(permanent\)/);
    expect(unreachable).toMatchObject({ status: 'failed' });
    expect(unreachable?.error).toMatch(/^AWS SMS TEXT_CARRIER_UNREACHABLE \(transient\)/);
  });

  it('ignores steps on the way and failures that are not final yet', async () => {
    const w = await h.createWidget();
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const [m] = await h.services.store.messages.listForRequest(sent.body.message);
    const topic = sns.topicArn('sms-events');
    for (const event of [
      { eventType: 'TEXT_PENDING', isFinal: false, messageId: m?.providerMessageId },
      { eventType: 'TEXT_UNREACHABLE', isFinal: false, messageId: m?.providerMessageId },
    ]) {
      expect((await postSns(smsHook, sns.notification(topic, JSON.stringify(event)))).status).toBe(
        200,
      );
    }
    expect((await h.services.store.messages.listForRequest(sent.body.message))[0]).toMatchObject({
      status: 'sent',
    });
  });

  it('refuses SES notifications on the SMS route (another topic) and a notification with no SMS event', async () => {
    const ses = sns.notification(
      sns.topicArn('ses-events'),
      JSON.stringify({ eventType: 'Delivery', mail: { messageId: 'x' } }),
    );
    expect((await postSns(smsHook, ses)).status).toBe(401);
    const empty = sns.notification(sns.topicArn('sms-events'), JSON.stringify({ hello: 'world' }));
    expect((await postSns(smsHook, empty)).status).toBe(400);
  });
});
