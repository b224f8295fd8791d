/**
 * `kill -9` of a server under load, then a restart on the same database: no
 * code that was issued is lost, no code is accepted twice, no message goes
 * out twice, and the database is intact.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Database } from '../../src/store/sqlite/driver.ts';
import {
  kill9,
  killAll,
  type ServerProcess,
  startServerProcess,
  until,
} from '../../src/testing/processes.ts';
import { startWebhookReceiver } from '../../src/testing/standins.ts';

vi.setConfig({ testTimeout: 120_000 });
afterEach(killAll);

const SECRET = 'reliability-webhook-secret';
const AUTHKEY = 'otpk_reliability_authkey_0123456789';
const API = '/api/v5/widget';

/** Limits lifted: this test is about crashes, not abuse. */
const LIFTED = {
  OTPKIT_LIMIT_IDENTIFIER: '100/600',
  OTPKIT_LIMIT_IP: '100000/3600',
  OTPKIT_LIMIT_WIDGET: '100000/3600',
  OTPKIT_LIMIT_COUNTRY: '100000/3600',
  OTPKIT_LIMIT_VERIFY_IP: '100000/600',
  OTPKIT_PUMPING_MIN: '100000',
};

interface Flow {
  identifier: string;
  /** The send answered 200 with this request id. */
  reqId?: string;
  /** The verify answered 200 before the kill. */
  verified: boolean;
  /** A verify was sent but its answer was lost in the crash. */
  verifyUnknown: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
async function post(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('kill -9 under load', () => {
  it('loses no code, accepts none twice, sends none twice, and leaves the database intact', async () => {
    const gateway = await startWebhookReceiver({ secret: SECRET });
    const file = join(mkdtempSync(join(tmpdir(), 'otpkit-kill9-')), 'otpkit.db');
    const env = {
      ...LIFTED,
      OTPKIT_AUTHKEY: AUTHKEY,
      DATABASE_URL: `sqlite:${file}`,
      OTPKIT_WEBHOOK_URL: gateway.url,
      OTPKIT_WEBHOOK_SECRET: SECRET,
      // A message the dead process held is taken again a second later.
      OTPKIT_DELIVERY_LEASE_SECONDS: '1',
    };
    const first = await startServerProcess(env);
    const created = await fetch(`${first.url}/api/v1/widgets`, {
      method: 'POST',
      headers: { authkey: AUTHKEY, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Crash shop', captcha: { provider: 'none' } }),
    });
    // Only the credentials: any other key of a send's body is a template variable.
    const { widgetId, tokenAuth } = (await created.json()) as {
      widgetId: string;
      tokenAuth: string;
    };
    const widget = { widgetId, tokenAuth };

    const codeFor = (reqId: string): string | undefined => {
      const delivery = gateway.deliveries.find((d) => d.body.requestId === reqId);
      return delivery ? String(delivery.body.text).match(/\d{6}/)?.[0] : undefined;
    };
    const flows: Flow[] = Array.from({ length: 400 }, (_, i) => ({
      identifier: `9198765${String(i).padStart(5, '0')}`,
      verified: false,
      verifyUnknown: false,
    }));
    let dead = false;
    const run = async (server: ServerProcess, flow: Flow, options: { verify: boolean }) => {
      let sent: Awaited<ReturnType<typeof post>>;
      try {
        sent = await post(`${server.url}${API}/sendOtpMobile`, {
          ...widget,
          identifier: flow.identifier,
        });
      } catch {
        return; // the crash took the answer: this code was never promised to anyone
      }
      expect(sent.status).toBe(200);
      flow.reqId = sent.body.message;
      const reqId = flow.reqId!;
      if (!options.verify) return;
      while (!codeFor(reqId) && !dead) await new Promise((r) => setTimeout(r, 20));
      const code = codeFor(reqId);
      if (!code || dead) return;
      try {
        const verified = await post(`${server.url}${API}/verifyOtp`, {
          ...widget,
          reqId,
          otp: code,
        });
        expect(verified.status).toBe(200);
        flow.verified = true;
      } catch {
        flow.verifyUnknown = true;
      }
    };
    // Six clients send and verify, four more only send (filling the queue); the process dies
    // once a dozen codes were verified.
    const queue = [...flows];
    const clients = Array.from({ length: 10 }, async (_, client) => {
      for (let flow = queue.shift(); flow && !dead; flow = queue.shift()) {
        await run(first, flow, { verify: client < 6 });
      }
    });
    await until(() => flows.filter((f) => f.verified).length >= 12, 60_000);
    dead = true;
    await kill9(first);
    await Promise.all(clients);

    const issued = flows.filter((f) => f.reqId);
    const verifiedBefore = issued.filter((f) => f.verified);
    const pending = issued.filter((f) => !f.verified);
    // The kill really came mid-load: codes were issued but not all verified.
    expect(verifiedBefore.length).toBeGreaterThanOrEqual(12);
    expect(pending.length).toBeGreaterThan(0);

    const second = await startServerProcess(env);
    // Every issued code reaches the gateway, the ones the dead process had not sent included.
    await until(() => issued.every((f) => codeFor(f.reqId!)), 30_000);
    for (const flow of verifiedBefore) {
      const again = await post(`${second.url}${API}/verifyOtp`, {
        ...widget,
        reqId: flow.reqId,
        otp: codeFor(flow.reqId!),
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('ALREADY_VERIFIED');
    }
    for (const flow of pending) {
      const verified = await post(`${second.url}${API}/verifyOtp`, {
        ...widget,
        reqId: flow.reqId,
        otp: codeFor(flow.reqId!),
      });
      // A verify whose answer the crash took may have been committed; any other must succeed now.
      if (flow.verifyUnknown && verified.status === 409) {
        expect(verified.body.code).toBe('ALREADY_VERIFIED');
      } else {
        expect(verified.status).toBe(200);
      }
    }

    // A message the killed process held (sent, maybe, but not yet marked) is taken again once its
    // 1 s lease runs out, however fast the verifications above were: wait for the queue to empty.
    const pendingMessages = () => {
      const db = new Database(file, { readonly: true });
      try {
        return (
          db.prepare("SELECT COUNT(*) AS n FROM messages WHERE status = 'pending'").get() as {
            n: number;
          }
        ).n;
      } finally {
        db.close();
      }
    };
    const drainedBy = Date.now() + 15_000;
    while (pendingMessages() > 0 && Date.now() < drainedBy) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(pendingMessages()).toBe(0);

    // One message per request; a message re-sent after the crash kept its key and its code.
    const byKey = new Map<string, Set<string>>();
    const keysByRequest = new Map<string, Set<string>>();
    for (const d of gateway.deliveries) {
      expect(d.signatureValid).toBe(true);
      const key = d.idempotencyKey!;
      byKey.set(key, (byKey.get(key) ?? new Set()).add(String(d.body.text)));
      const reqId = String(d.body.requestId);
      keysByRequest.set(reqId, (keysByRequest.get(reqId) ?? new Set()).add(key));
    }
    for (const texts of byKey.values()) expect(texts.size).toBe(1);
    for (const keys of keysByRequest.values()) expect(keys.size).toBe(1);
    expect(gateway.accepted()).toBe(byKey.size);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const verifiedRows = db
      .prepare("SELECT COUNT(*) AS n FROM otp_requests WHERE status = 'verified'")
      .get() as { n: number };
    expect(verifiedRows.n).toBe(issued.length);
    const unsent = db
      .prepare("SELECT COUNT(*) AS n FROM messages WHERE status = 'pending'")
      .get() as { n: number };
    expect(unsent.n).toBe(0);
    db.close();
    await gateway.close();
  });
});
