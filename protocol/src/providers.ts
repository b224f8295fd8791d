/**
 * The names of the delivery providers, declared once: what a widget's
 * `channelProviders` and `countryProviders` may name, what each delivery
 * records, and the `/api/hooks/<name>` its reports arrive at.
 */
import type { Channel } from './channels.ts';

export const PROVIDER_NAMES = [
  'twilio',
  'msg91',
  'whatsapp-cloud',
  'telegram',
  'vonage',
  'plivo',
  'infobip',
  'aws-sms',
  'smtp',
  'ses',
  'postmark',
  'webhook',
  'outbox',
] as const;

/** A delivery provider's name. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** The channels each provider can carry (what a widget may pick it for). */
export const PROVIDER_CHANNELS: Readonly<Record<ProviderName, readonly Channel[]>> = {
  twilio: ['sms', 'whatsapp', 'voice'],
  msg91: ['sms'],
  'whatsapp-cloud': ['whatsapp'],
  telegram: ['telegram'],
  vonage: ['sms'],
  plivo: ['sms', 'voice'],
  infobip: ['sms'],
  'aws-sms': ['sms'],
  smtp: ['email'],
  ses: ['email'],
  postmark: ['email'],
  webhook: ['sms', 'whatsapp', 'voice', 'email'],
  outbox: ['sms', 'whatsapp', 'telegram', 'voice', 'email'],
};
