/**
 * The logs and analytics endpoints (`/api/v1/logs`, `/api/v1/analytics`)
 * and file downloads, which need the authkey header and so go through fetch.
 */
import type { AnalyticsReport, LogEntry, LogMessage } from '@otpkit/protocol';
import { errorFromResponse, networkError } from '../api/client.ts';
import { authkey, signOut } from '../auth/session.ts';
import { fileNameOf } from './model.ts';

/** A request with its messages, their delivery attempts, and its widget API calls. */
export interface LogDetail extends LogEntry {
  messages: LogMessage[];
  events: { kind: string; outcome: string; createdAt: string }[];
}

async function call(path: string): Promise<Response> {
  const key = authkey.value;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      headers: key ? { authkey: key } : {},
      credentials: 'omit',
    });
  } catch {
    throw networkError();
  }
  if (!response.ok) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {}
    const error = errorFromResponse(response.status, body);
    if (error.code === 'INVALID_AUTHKEY' && key) signOut(error.message);
    throw error;
  }
  return response;
}

/** A page of the log. */
export async function listLogs(
  query: URLSearchParams,
): Promise<{ entries: LogEntry[]; nextCursor: string | null }> {
  return (await call(`/logs?${query}`)).json();
}

export async function getLog(reqId: string): Promise<LogDetail> {
  return (await call(`/logs/${encodeURIComponent(reqId)}`)).json();
}

export async function getAnalytics(query: URLSearchParams): Promise<AnalyticsReport> {
  return (await call(`/analytics?${query}`)).json();
}

/** Downloads an export (`/logs/export?…`, `/analytics/export?…`) as the file the server names. */
export async function download(path: string, fallbackName: string): Promise<string> {
  const response = await call(path);
  const name = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** A widget API call refused before any request existed (rate limit, captcha, pumping brake…). */
export interface RefusedCall {
  at: string;
  widgetId: string | null;
  kind: string;
  code: string;
  identifier: string | null;
  ip: string | null;
  host: string | null;
  userAgent: string | null;
}

/** A page of refused calls (`/logs/refused`), newest first. */
export async function listRefused(
  query: URLSearchParams,
): Promise<{ entries: RefusedCall[]; nextCursor: string | null }> {
  return (await call(`/logs/refused?${query}`)).json();
}
