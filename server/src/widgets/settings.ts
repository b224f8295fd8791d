/**
 * A widget's settings: what its owner configures, validated with zod.
 * Defaults are the safe, common choice; every range is named in the error.
 */
import { CHANNELS_BY_CONTACT_POINT, type Channel } from '@otpkit/protocol';
import { getCountries } from 'libphonenumber-js/max';
import { z } from 'zod';

const COUNTRIES = new Set<string>(getCountries());

const contactPoint = z.enum(['mobile', 'email']);
const mobileChannel = z.enum(['sms', 'whatsapp', 'voice']);
const emailChannel = z.enum(['email']);
const country = z
  .string()
  .transform((v) => v.toUpperCase())
  .refine((v) => COUNTRIES.has(v), 'must be an ISO 3166 country code such as IN or US');

/** The settings schema; `parse` fills defaults. */
export const widgetSettingsSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
    contactPoints: z
      .array(contactPoint)
      .min(1, 'must name at least one of mobile, email')
      .max(2)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a contact point')
      .default(['mobile']),
    primaryChannel: z
      .object({ mobile: mobileChannel.default('sms'), email: emailChannel.default('email') })
      .default({ mobile: 'sms', email: 'email' }),
    retryChannels: z
      .object({
        mobile: z.array(mobileChannel).min(1).default(['sms', 'voice']),
        email: z.array(emailChannel).min(1).default(['email']),
      })
      .default({ mobile: ['sms', 'voice'], email: ['email'] }),
    otpLength: z.number().int().min(4, 'must be 4 to 9').max(9, 'must be 4 to 9').default(6),
    expiryTime: z
      .number()
      .int()
      .min(1, 'must be 1 to 1440 minutes')
      .max(1440, 'must be 1 to 1440 minutes')
      .default(10),
    retryCount: z.number().int().min(0, 'must be 0 to 10').max(10, 'must be 0 to 10').default(3),
    retryTime: z
      .number()
      .int()
      .min(0, 'must be 0 to 600 seconds')
      .max(600, 'must be 0 to 600 seconds')
      .default(30),
    maxAttempts: z.number().int().min(1, 'must be 1 to 20').max(20, 'must be 1 to 20').default(5),
    defaultCountry: country.default('IN'),
    language: z.enum(['en', 'hi']).default('en'),
  })
  .strict();

/** A widget's settings with every default filled. */
export type WidgetSettings = z.output<typeof widgetSettingsSchema>;

/** The channels a resend may use for a contact point. */
export function retryChannelsFor(settings: WidgetSettings, point: 'mobile' | 'email'): Channel[] {
  const allowed = CHANNELS_BY_CONTACT_POINT[point];
  return settings.retryChannels[point].filter((c) => allowed.includes(c));
}
