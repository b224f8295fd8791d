import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpCatcher } from '../../../testing/standins.ts';
import { DeliveryError, type OutgoingMessage } from '../types.ts';
import { createSmtpProvider } from './smtp.ts';

const message: OutgoingMessage = {
  id: 'msg0123456789abcdef',
  requestId: 'req1',
  widgetId: 'w1',
  channel: 'email',
  to: 'ana@example.com',
  country: null,
  subject: 'Your Acme verification code',
  text: '482913 is your Acme code.',
  html: '<p><b>482913</b> is your Acme code.</p>',
  language: 'en',
};

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('smtp provider', () => {
  it('sends a multipart email with the HTML and text bodies and the idempotency Message-ID', async () => {
    const catcher = await startSmtpCatcher();
    cleanup.push(catcher.close);
    const smtp = createSmtpProvider({ url: catcher.url, from: 'Acme <no-reply@acme.example>' });
    cleanup.push(smtp.close);
    const receipt = await smtp.send(message);
    expect(receipt.providerMessageId).toBe('<msg0123456789abcdef@otpkit>');
    expect(catcher.mails).toHaveLength(1);
    const mail = catcher.mails[0]!;
    expect(mail.to).toEqual(['ana@example.com']);
    expect(mail.from).toBe('no-reply@acme.example');
    expect(mail.raw).toContain('Subject: Your Acme verification code');
    expect(mail.raw).toContain('Content-Type: text/plain');
    expect(mail.raw).toContain('Content-Type: text/html');
    expect(mail.raw).toContain('<b>482913</b>');
    expect(mail.raw).toContain('Message-ID: <msg0123456789abcdef@otpkit>');
  });

  it('fails a rejected address permanently and a down server transiently', async () => {
    const catcher = await startSmtpCatcher({ rejectRecipients: /^nobody@/ });
    cleanup.push(catcher.close);
    const smtp = createSmtpProvider({ url: catcher.url, from: 'no-reply@acme.example' });
    cleanup.push(smtp.close);
    const rejected = await smtp
      .send({ ...message, to: 'nobody@example.com' })
      .catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(DeliveryError);
    expect((rejected as DeliveryError).permanent).toBe(true);

    await catcher.close();
    cleanup.pop();
    const down = await smtp.send(message).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(DeliveryError);
    expect((down as DeliveryError).permanent).toBe(false);
  });
});
