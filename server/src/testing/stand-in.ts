/**
 * What every HTTP stand-in of an outside service does the same way: serve on
 * a free local port, read and answer JSON, and keep the delivery reports it
 * owes until the test posts them (a gateway reports a moment after it
 * answers, so a test checks the answer first, then the report).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Server } from 'node:net';

/** How a report posts: `fetch` by default; tests may route it into an app in process. */
export type ReportPoster = (url: string, init: RequestInit) => Promise<Response>;

/** Listens on a free port of 127.0.0.1; resolves to the port. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

/** A stand-in's HTTP server, running. */
export interface StandInServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Stops it, dropping kept-alive connections so a test's teardown does not wait for them. */
  close(): Promise<void>;
}

/** Serves `handle` on a free local port. */
export async function serveStandIn(
  handle: (req: IncomingMessage, res: ServerResponse) => unknown,
): Promise<StandInServer> {
  const server = createServer(handle);
  const port = await listen(server);
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The body parsed as JSON, or `undefined` when it is not JSON. */
// biome-ignore lint/suspicious/noExplicitAny: the stand-ins check what they received field by field
export async function readJson(req: IncomingMessage): Promise<any> {
  try {
    return JSON.parse(await readBody(req));
  } catch {
    return undefined;
  }
}

/** A form or JSON body (as its `content-type` says) as parameters; throws on bad JSON. */
export async function readParams(req: IncomingMessage): Promise<Record<string, string>> {
  const raw = await readBody(req);
  return (req.headers['content-type'] ?? '').includes('json')
    ? (JSON.parse(raw) as Record<string, string>)
    : Object.fromEntries(new URLSearchParams(raw));
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A report to post: its headers and its body, as sent. */
export interface Report {
  headers: Record<string, string>;
  body: string;
}

/** The delivery reports a stand-in owes, posted when the test calls `send`. */
export function reportQueue(post: ReportPoster = (url, init) => fetch(url, init)) {
  const queued: (() => Promise<Response>)[] = [];
  return {
    /**
     * Queues a POST of `report` to `url`; a function is called at posting
     * time (for a receipt whose timestamp and signature are made then).
     */
    add(url: string, report: Report | (() => Report)): void {
      queued.push(() =>
        post(url, { method: 'POST', ...(typeof report === 'function' ? report() : report) }),
      );
    },
    /** Posts the reports due so far; resolves to the answers they got. */
    send: () => Promise.all(queued.splice(0).map((send) => send())),
  };
}
