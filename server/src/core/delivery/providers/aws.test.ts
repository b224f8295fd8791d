import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAwsStandIn } from '../../../testing/aws.ts';
import { createHarness, type Harness, TEST_ISSUER } from '../../../testing/harness.ts';
import { hookToken } from './http.ts';

const CREDENTIALS = {
  accessKeyId: 'AKIATESTOTPKIT000001',
  secretAccessKey: 'test-secret-access-key-0123456789',
};
const SECRET = 'test-secret-test-secret-test-secret-0123';
const API = '/api/v5/widget';
const sesHook = `/api/hooks/ses/${hookToken(SECRET, 'ses')}`;

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

let aws: Awaited<ReturnType<typeof startAwsStandIn>>;
let h: Harness;
beforeEach(async () => {
  aws = await startAwsStandIn({
    ...CREDENTIALS,
    region: 'ap-south-1',
    sesEventsUrl: `${TEST_ISSUER}${sesHook}`,
    post: (url, init) => Promise.resolve(h.app.request(url.slice(TEST_ISSUER.length), init)),
  });
  h = await createHarness({
    recordOutbox: false,
    env: {
      OTPKIT_AWS_SMS_REGION: 'ap-south-1',
      OTPKIT_AWS_SMS_ORIGINATION: 'ACMEIN',
      OTPKIT_AWS_SMS_ENDPOINT: aws.endpoint,
      OTPKIT_SES_REGION: 'ap-south-1',
      OTPKIT_SES_FROM: 'Acme <no-reply@acme.example>',
      OTPKIT_SES_ENDPOINT: aws.endpoint,
    },
  });
});
afterEach(async () => {
  h.services.delivery.close();
  await h.close();
  await aws.close();
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
  it('sends SendEmail with both parts, and applies delivery and bounce events from SNS', async () => {
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
});
