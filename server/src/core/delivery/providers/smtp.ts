/**
 * Email through SMTP (nodemailer): the template's HTML and text parts, a
 * Message-ID made from the queued message's id (the idempotency key a
 * receiving system can deduplicate on).
 */
import nodemailer from 'nodemailer';
import { DeliveryError, type DeliveryProvider } from '../types.ts';

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
}

/** An SMTP provider for `smtp://user:pass@host:587` or `smtps://…` URLs. */
export function createSmtpProvider(config: {
  url: string;
  from: string;
}): DeliveryProvider & { close(): void } {
  const transport = nodemailer.createTransport(config.url, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    name: 'smtp',
    channels: ['email'],
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: config.from,
          to: message.to,
          subject: message.subject ?? '',
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          messageId: `<${message.id}@otpkit>`,
          headers: { 'X-Otpkit-Request-Id': message.requestId },
        });
        return { providerMessageId: String(info.messageId ?? message.id) };
      } catch (error) {
        const e = error as SmtpError;
        // 5xx replies (mailbox unavailable, address rejected) will not change on a retry.
        const permanent =
          (e.responseCode !== undefined && e.responseCode >= 500) || e.code === 'EENVELOPE';
        throw new DeliveryError(`SMTP: ${e.responseCode ? `${e.responseCode} ` : ''}${e.message}`, {
          permanent,
        });
      }
    },
    close: () => transport.close(),
  };
}
