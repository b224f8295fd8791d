import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export const args = process.argv.slice(2);
export const flag = (name: string) =>
  args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
export const value = (name: string) => flag(name)?.split('=')[1];
export const quick = flag('quick') !== undefined;
export const seconds = Number(value('seconds') ?? (quick ? 3 : 10));
export const connections = Number(value('connections') ?? 32);
export const memoryRequests = Number(value('memory') ?? 0);
export const engines = (value('engines') ?? 'sqlite,postgres').split(',');
export const profile = flag('profile') !== undefined;
export const PARTS = ['ceiling', 'floor', 'peer', 'requests', 'flow', 'pair'] as const;
export const only = value('only')?.split(',');
export const unknownPart = only?.find((p) => !(PARTS as readonly string[]).includes(p));
if (unknownPart) throw new Error(`--only: unknown part ${unknownPart} (${PARTS.join(', ')})`);
/** Whether a part of the run was asked for (all are, without --only). */
export const runs = (part: (typeof PARTS)[number]) => only === undefined || only.includes(part);
/** Extra Node options for the otpkit process only, e.g. `--node-options=--max-semi-space-size=2`. */
export const nodeOptionFlags = args.filter((a) => a.startsWith('--node-options='));
// By default otpkit runs with the heap cap the README recommends for production; `--node-options=` (empty) runs it without.
export const otpkitNodeOptions =
  nodeOptionFlags.length > 0
    ? nodeOptionFlags
        .map((a) => a.slice('--node-options='.length))
        .join(' ')
        .trim()
    : '--max-old-space-size=64 --max-semi-space-size=4';

/** The Node options otpkit (and the bare routes' server, for a like-for-like floor) runs with. */
export const nodeFlags = otpkitNodeOptions ? otpkitNodeOptions.split(' ') : [];

export const here = new URL('.', import.meta.url).pathname;
export const resultsDir = join(here, '..', 'results');
export const otpkitBin = join(here, '..', '..', 'server', 'bin', 'otpkit.mjs');
export const baselineRef = value('baseline');
// Production (what the bench measures) refuses guessable secrets: fresh random ones per run.
export const AUTHKEY = `otpk_${randomBytes(32).toString('base64url')}`;
export const WEBHOOK_SECRET = randomBytes(32).toString('base64');
// One per run: the pair row's two instances share the database, so they must share its secret too.
export const OTPKIT_SECRET = randomBytes(32).toString('base64');

export const log = (text: string) => process.stderr.write(`${text}\n`);
