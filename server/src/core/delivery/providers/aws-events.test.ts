/**
 * AWS delivery events end to end, as a new deployment meets them: otpkit
 * listens on a real port, the SNS stand-in's subscription confirmations and
 * the AWS stand-in's signed event notifications arrive over HTTP, and the
 * request log (and the server log) show the message delivered or failed.
 */
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../platform/runtime.ts';
import { startAwsStandIn } from '../../../testing/aws.ts';
import { createHarness, type Harness, TEST_AUTHKEY } from '../../../testing/harness.ts';
import { type SnsStandIn, startSnsStandIn } from '../../../testing/sns.ts';
import { hookToken } from './http.ts';

const CREDENTIALS = {
  accessKeyId: 'AKIATESTOTPKIT000001',
  secretAccessKey: 'test-secret-access-key-0123456789',
};
const SECRET = 'test-secret-test-secret-test-secret-0123';
const API = '/api/v5/widget';

const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY };
let sns: SnsStandIn;
beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
  sns = await startSnsStandIn({ region: 'eu-west-1' });
});
afterAll(async () => {
  await sns.close();
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
  else process.env.AWS_ACCESS_KEY_ID = saved.id;
  if (saved.key === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  else process.env.AWS_SECRET_ACCESS_KEY = saved.key;
});

let aws: Awaited<ReturnType<typeof startAwsStandIn>>;
let h: Harness;
let server: ServerType;
let base: string;
const logged: { level: string; message: string; fields: Record<string, unknown> }[] = [];
const log: Logger = {
  debug: (message, fields = {}) => logged.push({ level: 'debug', message, fields }),
  info: (message, fields = {}) => logged.push({ level: 'info', message, fields }),
  warn: (message, fields = {}) => logged.push({ level: 'warn', message, fields }),
  error: (message, fields = {}) => logged.push({ level: 'error', message, fields }),
};

beforeEach(async () => {
  logged.length = 0;
  // The server asks for `h` per request, so it can listen before the harness exists.
  server = serve({ fetch: (req) => h.app.fetch(req), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  aws = await startAwsStandIn({
    ...CREDENTIALS,
    region: 'eu-west-1',
    sns,
    sesEventsUrl: `${base}/api/hooks/ses/${hookToken(SECRET, 'ses')}`,
    sesTopic: 'otpkit-ses-events',
    smsEventsUrl: `${base}/api/hooks/aws-sms/${hookToken(SECRET, 'aws-sms')}`,
    smsTopic: 'otpkit-sms-events',
  });
  h = await createHarness({
    recordOutbox: false,
    snsAgent: sns.agent,
    log,
    env: {
      OTPKIT_AWS_SMS_REGION: 'eu-west-1',
      OTPKIT_AWS_SMS_ORIGINATION: '+447700900123',
      OTPKIT_AWS_SMS_ENDPOINT: aws.endpoint,
      OTPKIT_AWS_SMS_SNS_TOPIC_ARN: sns.topicArn('otpkit-sms-events'),
      OTPKIT_SES_REGION: 'eu-west-1',
      OTPKIT_SES_FROM: 'Acme <no-reply@acme.example>',
      OTPKIT_SES_ENDPOINT: aws.endpoint,
      OTPKIT_SES_SNS_TOPIC_ARN: sns.topicArn('otpkit-ses-events'),
    },
  });
});
afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  h.services.delivery.close();
  await h.close();
  await aws.close();
});

/** Posts a message to otpkit over HTTP as SNS does. */
const postSns = (path: string, message: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      'x-amz-sns-message-type': (message as { Type: string }).Type,
    },
    body: JSON.stringify(message),
  });

/** The request's entry in the request log, read over HTTP with the account authkey. */
async function logEntry(reqId: string): Promise<{ status: string; channels: string[] }> {
  const res = await fetch(`${base}/api/v1/logs`, { headers: { authkey: TEST_AUTHKEY } });
  expect(res.status).toBe(200);
  const { entries } = (await res.json()) as {
    entries: { reqId: string; status: string; channels: string[] }[];
  };
  const entry = entries.find((e) => e.reqId === reqId);
  if (!entry) throw new Error(`no log entry for ${reqId}`);
  return entry;
}

describe('SES events through a confirmed SNS subscription', () => {
  it('confirms the subscription, then an email’s signed Delivery notification shows it delivered', async () => {
    const hook = `/api/hooks/ses/${hookToken(SECRET, 'ses')}`;
    const confirmation = await postSns(
      hook,
      sns.subscriptionConfirmation(sns.topicArn('otpkit-ses-events')),
    );
    expect(confirmation.status).toBe(200);
    expect(sns.confirmed).toContain(sns.topicArn('otpkit-ses-events'));

    const w = await h.createWidget({ contactPoints: ['email'] });
    const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: 'alice@example.com' });
    expect(sent.status).toBe(200);
    // Accepted by SES, not reported yet.
    expect(await logEntry(sent.body.message)).toMatchObject({ status: 'pending' });
    expect((await aws.sendReports()).map((r) => r.status)).toEqual([200]);
    expect(await logEntry(sent.body.message)).toMatchObject({
      status: 'delivered',
      channels: ['email'],
    });
    expect(logged).toContainEqual(
      expect.objectContaining({
        message: 'delivery report',
        fields: expect.objectContaining({ provider: 'ses', status: 'delivered' }),
      }),
    );
  });
});

describe('AWS SMS events through the SNS event destination', () => {
  it('shows a text delivered, and a blocked one failed, from signed SMS events', async () => {
    const hook = `/api/hooks/aws-sms/${hookToken(SECRET, 'aws-sms')}`;
    expect(
      (await postSns(hook, sns.subscriptionConfirmation(sns.topicArn('otpkit-sms-events')))).status,
    ).toBe(200);
    expect(sns.confirmed).toContain(sns.topicArn('otpkit-sms-events'));

    aws.smsOutcomes.set('+919876543211', 'TEXT_BLOCKED');
    const w = await h.createWidget();
    const ok = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543210' });
    const blocked = await h.post(`${API}/sendOtpMobile`, { ...w, identifier: '919876543211' });
    expect([ok.status, blocked.status]).toEqual([200, 200]);
    expect((await aws.sendReports()).map((r) => r.status)).toEqual([200, 200]);
    expect(await logEntry(ok.body.message)).toMatchObject({
      status: 'delivered',
      channels: ['sms'],
    });
    expect(await logEntry(blocked.body.message)).toMatchObject({ status: 'failed' });
    expect(logged).toContainEqual(
      expect.objectContaining({
        message: 'delivery report',
        fields: expect.objectContaining({ provider: 'aws-sms', status: 'failed', permanent: true }),
      }),
    );
  });
});
