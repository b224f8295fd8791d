/**
 * Delivery channels and their SendOTP wire codes.
 *
 * The wire uses numbers in `retryChannel` (`11`) and strings in widget
 * configuration (`"11"`); both map to the same {@link Channel} name here.
 */

/** A delivery channel, by name. */
export type Channel = 'sms' | 'voice' | 'email' | 'whatsapp' | 'telegram';

/** Who a code is sent to: a phone number or an email address. */
export const CONTACT_POINTS = ['mobile', 'email'] as const;

/** Who a code is sent to: a phone number or an email address. */
export type ContactPoint = (typeof CONTACT_POINTS)[number];

/**
 * Wire codes of the channels: SMS 11, Voice 4, Email 3, WhatsApp 12 (SendOTP's),
 * and Telegram 41, an otpkit-only code (SendOTP has no Telegram channel).
 */
export const CHANNEL_CODES = {
  sms: 11,
  voice: 4,
  email: 3,
  whatsapp: 12,
  telegram: 41,
} as const satisfies Record<Channel, number>;

/** Every channel, in the order a popup offers them. */
export const CHANNELS: readonly Channel[] = ['sms', 'whatsapp', 'telegram', 'voice', 'email'];

/** Channels that carry a code to each contact point. */
export const CHANNELS_BY_CONTACT_POINT: Readonly<Record<ContactPoint, readonly Channel[]>> = {
  mobile: ['sms', 'whatsapp', 'telegram', 'voice'],
  email: ['email'],
};

/**
 * The channels a resend to `point` may use, as a popup offers them: those of
 * `listed` that reach that contact point, in {@link CHANNELS} order, and never
 * voice or Telegram for a magic link (a link is not read out, and Telegram's
 * Gateway carries only codes). `WidgetData.resendChannels`.
 *
 * @example resendChoices(['voice', 'sms'], 'mobile', false) // ['sms', 'voice']
 */
export function resendChoices(
  listed: readonly Channel[],
  point: ContactPoint,
  magic: boolean,
): Channel[] {
  return CHANNELS.filter(
    (channel) =>
      listed.includes(channel) &&
      CHANNELS_BY_CONTACT_POINT[point].includes(channel) &&
      !(magic && (channel === 'voice' || channel === 'telegram')),
  );
}

/** Display names used in `WidgetData` (`channel.name`). */
export const CHANNEL_NAMES: Readonly<Record<Channel, string>> = {
  sms: 'SMS',
  voice: 'Voice',
  email: 'Email',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
};

/**
 * Reads a channel from its wire code (number or numeric string) or its name.
 *
 * @example channelFromCode(11) // 'sms'
 * @example channelFromCode('4') // 'voice'
 * @returns the channel, or `undefined` when the value names none.
 */
export function channelFromCode(value: unknown): Channel | undefined {
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if ((CHANNELS as readonly string[]).includes(lower)) return lower as Channel;
    if (lower === 'text') return 'sms';
    if (!/^\d+$/.test(lower)) return undefined;
    return channelFromCode(Number(lower));
  }
  if (typeof value !== 'number') return undefined;
  for (const channel of CHANNELS) {
    if (CHANNEL_CODES[channel] === value) return channel;
  }
  return undefined;
}

/** The contact point a channel delivers to. */
export function contactPointOf(channel: Channel): ContactPoint {
  return channel === 'email' ? 'email' : 'mobile';
}
