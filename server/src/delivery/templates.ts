/**
 * The default message for each channel, in the widget's language. Custom
 * templates replace these per widget.
 */
import type { Channel } from '@otpkit/protocol';

interface MessageInput {
  channel: Channel;
  code: string;
  /** Who is asking: the widget's name. */
  appName: string;
  expiryMinutes: number;
  /** Host of the page that asked, for the WebOTP line (`@host #code`). */
  originHost: string | null;
  language: string;
}

interface Strings {
  text(code: string, app: string, minutes: string): string;
  voice(digits: string, app: string): string;
  subject(app: string): string;
  minutes(n: number): string;
}

const STRINGS: Record<string, Strings> = {
  en: {
    text: (code, app, minutes) =>
      `${code} is your ${app} verification code. It expires in ${minutes}. Do not share it with anyone.`,
    voice: (digits, app) =>
      `Your ${app} verification code is ${digits}. Again, your code is ${digits}.`,
    subject: (app) => `Your ${app} verification code`,
    minutes: (n) => `${n} ${n === 1 ? 'minute' : 'minutes'}`,
  },
  hi: {
    text: (code, app, minutes) =>
      `${code} आपका ${app} सत्यापन कोड है। यह ${minutes} में समाप्त हो जाएगा। इसे किसी के साथ साझा न करें।`,
    voice: (digits, app) => `आपका ${app} सत्यापन कोड है ${digits}। फिर से, आपका कोड है ${digits}।`,
    subject: (app) => `आपका ${app} सत्यापन कोड`,
    minutes: (n) => `${n} मिनट`,
  },
};

/** Renders the message carrying `code` on `channel`. */
export function renderMessage(input: MessageInput): { subject?: string; text: string } {
  const s = STRINGS[input.language] ?? (STRINGS.en as Strings);
  const minutes = s.minutes(input.expiryMinutes);
  switch (input.channel) {
    case 'voice':
      // Digit by digit, so a speech engine reads "four, two" rather than "forty-two".
      return { text: s.voice(input.code.split('').join(', '), input.appName) };
    case 'email':
      return {
        subject: s.subject(input.appName),
        text: s.text(input.code, input.appName, minutes),
      };
    case 'sms':
    case 'whatsapp': {
      const body = s.text(input.code, input.appName, minutes);
      // The WebOTP API (Android Chrome) fills the code when the last line names the site.
      return {
        text: input.originHost ? `${body}\n\n@${input.originHost} #${input.code}` : body,
      };
    }
  }
}
