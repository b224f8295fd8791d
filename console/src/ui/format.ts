/** Display helpers for dates and channel names. */
import { CHANNEL_NAMES, type Channel } from '@otpkit/protocol';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** `12 Mar 2025, 14:05`, or `—` for null. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** `3 minutes ago`, `Never` for null. */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'Never';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Number.isNaN(seconds)) return iso;
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 30) return relative.format(Math.round(seconds / 86400), 'day');
  return formatDate(iso);
}

/** `whatsapp` → `WhatsApp`; a passkey sign-in's `passkey` → `Passkey`. */
export function channelName(channel: Channel | 'passkey'): string {
  return channel === 'passkey' ? 'Passkey' : (CHANNEL_NAMES[channel] ?? channel);
}
