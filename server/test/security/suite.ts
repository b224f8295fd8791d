/**
 * What every file of the attack suite shares: the runner that registers one
 * test per attack and prints the table (attack, expected, got) at the end,
 * and the steps many attacks start from (a code, an access token, a solved
 * proof of work).
 */
import { solveChallenge } from 'altcha-lib/v1';
import { afterAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../src/testing/harness.ts';

const API = '/api/v5/widget';
type Widget = { widgetId: string; tokenAuth: string };

/** An answer as the table shows it: `403 CAPTCHA_FAILED`, or a sentence. */
export type Outcome = string | { status: number; code: string };

/** One row of the suite. */
export interface Attack {
  attack: string;
  expected: Outcome;
  run(): Promise<Outcome>;
}

const show = (o: Outcome): string => (typeof o === 'string' ? o : `${o.status} ${o.code}`);

/**
 * Registers `attacks` under `title` (each test named `refuses: …`) and prints
 * their table when they have run.
 *
 * @param options.timeoutMs per attack (floods and real server starts take seconds).
 * @param options.more extra tests of the same describe block.
 */
export function attackSuite(
  title: string,
  attacks: readonly Attack[],
  options: { timeoutMs?: number; more?: () => void } = {},
): void {
  const table: { attack: string; expected: string; got: string }[] = [];
  describe(title, () => {
    afterAll(() => {
      const width = Math.max(...table.map((r) => r.attack.length));
      const expectedWidth = Math.max(...table.map((r) => r.expected.length));
      const lines = table.map(
        (r) =>
          `  ${r.attack.padEnd(width)}  expected ${r.expected.padEnd(expectedWidth)}  got ${r.got}`,
      );
      console.log(`\n${title} (${table.length} attacks)\n${lines.join('\n')}\n`);
    });
    for (const a of attacks) {
      it(
        `refuses: ${a.attack}`,
        async () => {
          const got = show(await a.run());
          table.push({ attack: a.attack, expected: show(a.expected), got });
          expect(got).toBe(show(a.expected));
        },
        options.timeoutMs ?? 30_000,
      );
    }
    options.more?.();
  });
}

/**
 * A harness behind one trusted proxy (rows set the client address with
 * `X-Forwarded-For`). Rows here test the captcha's checks, not its cost
 * (lockout.test.ts tests the default cost): a small proof-of-work maxnumber
 * keeps solving in Node quick.
 */
export function freshHarness(env: Record<string, string> = {}): Promise<Harness> {
  return createHarness({
    env: { OTPKIT_TRUST_PROXY: 'true', OTPKIT_POW_MAX_NUMBER: '50000', ...env },
  });
}

/** Sends a code to `identifier` and reads it from the outbox. */
export async function codeFor(
  h: Harness,
  w: Widget,
  identifier: string,
): Promise<{ reqId: string; code: string }> {
  const sent = await h.post(`${API}/sendOtpMobile`, { ...w, identifier });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  return { reqId: sent.body.message as string, code: await h.lastCode(identifier) };
}

/** An access token for `identifier`: a code sent and verified. */
export async function tokenFor(
  h: Harness,
  w: Widget,
  identifier = '919876543210',
): Promise<string> {
  const { reqId, code } = await codeFor(h, w, identifier);
  const res = await h.post(`${API}/verifyOtp`, { ...w, reqId, otp: code });
  return res.body.message as string;
}

/** A solved proof-of-work challenge of the widget, as the browser sends it (`captcha`). */
export async function powSolution(h: Harness, w: Widget): Promise<string> {
  const challenge = (
    await h.get(`${API}/captchaChallenge?widgetId=${w.widgetId}&tokenAuth=${w.tokenAuth}`)
  ).body;
  const solution = await solveChallenge(
    challenge.challenge,
    challenge.salt,
    challenge.algorithm,
    challenge.maxnumber,
  ).promise;
  return Buffer.from(
    JSON.stringify({ ...challenge, number: solution?.number, took: solution?.took ?? 0 }),
  ).toString('base64');
}
