/**
 * The statuses of a verification request, its messages and their delivery
 * attempts, declared once: the store keeps them, the admin API's logs show
 * them, the console filters and labels them.
 */

/** A verification request's lifecycle (a locked request is `pending` with no attempts left). */
export const REQUEST_STATUSES = ['pending', 'verified', 'superseded'] as const;

/** A verification request's lifecycle. */
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Where a queued message stands: waiting or retrying, handed to the provider, or final. */
export const MESSAGE_STATUSES = ['pending', 'sent', 'delivered', 'failed'] as const;

/** Where a queued message stands. */
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** One hand-over to a provider: taken, or not. */
export const DELIVERY_ATTEMPT_STATUSES = ['sent', 'failed'] as const;

/** One hand-over to a provider: taken, or not. */
export type DeliveryAttemptStatus = (typeof DELIVERY_ATTEMPT_STATUSES)[number];

/** Why a message exists: the first send, a resend the user asked for, or an automatic fallback. */
export const MESSAGE_PURPOSES = ['send', 'retry', 'fallback'] as const;

/** Why a message exists. */
export type MessagePurpose = (typeof MESSAGE_PURPOSES)[number];

/** How a log entry stands, derived from the request and its latest message. */
export const LOG_STATUSES = ['pending', 'delivered', 'failed', 'retry', 'verified'] as const;

/** How a log entry stands. */
export type LogStatus = (typeof LOG_STATUSES)[number];
