/**
 * Reading the log for the admin API: a page of requests, one request with
 * its messages, deliveries and events, and the refused calls that created
 * no request. Typed input in (the routes parse the query), views out; the
 * codes each can throw are declared beside it.
 */
import { errorCodes, OtpkitError } from '../../platform/errors.ts';
import type { LogFilter, Store } from '../../store/index.ts';
import { invalidParam } from './query.ts';
import { type LogEntryView, viewLogEntry } from './view.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** `listLogs` and `listRefusedCalls`: a cursor that no previous page gave. */
export const LIST_LOGS_ERRORS = errorCodes('INVALID_REQUEST');

/** `logDetail`: no request of the account's widgets with this id. */
export const LOG_DETAIL_ERRORS = errorCodes('REQUEST_NOT_FOUND');

/** A page of the log, newest first. Throws {@link LIST_LOGS_ERRORS}. */
export async function listLogs(
  deps: { store: Store },
  input: { filter: LogFilter; limit: number; cursor?: string | undefined },
): Promise<{ entries: LogEntryView[]; nextCursor: string | null }> {
  const { store } = deps;
  const { cursor } = input;
  if (cursor !== undefined && !store.logs.validCursor(cursor)) {
    throw invalidParam('cursor', 'is not a cursor from a previous page');
  }
  const page = await store.logs.list(input.filter, {
    limit: input.limit,
    ...(cursor === undefined ? {} : { cursor }),
  });
  return { entries: page.entries.map((e) => viewLogEntry(e)), nextCursor: page.nextCursor };
}

/**
 * Refused calls that created no request (rate limits, captcha, the pumping
 * brake, bad numbers…), newest first. Throws {@link LIST_LOGS_ERRORS}.
 */
export async function listRefusedCalls(
  deps: { store: Store },
  input: {
    accountId: string;
    from: number;
    to: number;
    limit: number;
    widgetId?: string | undefined;
    cursor?: string | undefined;
  },
) {
  const { limit, cursor, widgetId } = input;
  if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) {
    throw invalidParam('cursor', 'is not a cursor from a previous page');
  }
  const rows = await deps.store.events.listRefused(input.accountId, {
    from: input.from,
    to: input.to,
    limit: limit + 1,
    ...(widgetId ? { widgetId } : {}),
    ...(cursor ? { beforeId: Number(cursor) } : {}),
  });
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({
      at: iso(r.createdAt),
      widgetId: r.widgetId,
      kind: r.kind,
      code: r.outcome,
      identifier: r.identifier ?? null,
      ip: r.ip,
      host: r.host,
      userAgent: r.userAgent,
    })),
    nextCursor: rows.length > limit ? String(page.at(-1)!.id) : null,
  };
}

/**
 * One request of the account's widgets, with its messages, each delivery
 * attempt, and the widget API calls made on it. Throws {@link LOG_DETAIL_ERRORS}.
 */
export async function logDetail(
  deps: { store: Store },
  input: { accountId: string; reqId: string },
) {
  const { store } = deps;
  const entry = await store.logs.get(input.accountId, input.reqId);
  if (!entry) throw new OtpkitError('REQUEST_NOT_FOUND');
  const [messages, deliveries, events] = await Promise.all([
    store.messages.listForRequest(entry.reqId),
    store.deliveries.listForRequest(entry.reqId),
    store.events.listForRequest(entry.reqId),
  ]);
  return {
    ...viewLogEntry(entry),
    messages: messages.map((m) => ({
      messageId: m.id,
      channel: m.channel,
      purpose: m.purpose,
      status: m.status,
      attempts: m.attempts,
      provider: m.provider,
      error: m.error,
      createdAt: iso(m.createdAt),
      sentAt: iso(m.sentAt),
      deliveredAt: iso(m.deliveredAt),
      deliveries: deliveries
        .filter((d) => d.messageId === m.id)
        .map((d) => ({
          attempt: d.attempt,
          status: d.status,
          provider: d.provider,
          error: d.error,
          createdAt: iso(d.createdAt),
        })),
    })),
    events: events.map((e) => ({
      kind: e.kind,
      outcome: e.outcome,
      ip: e.ip,
      host: e.host,
      userAgent: e.userAgent,
      createdAt: iso(e.createdAt),
    })),
  };
}
