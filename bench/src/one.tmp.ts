import * as fs from 'node:fs';
import { startLoadGenerator, startServerProcess } from './children.ts';
import { mkdtempSync } from 'node:fs'; import { tmpdir } from 'node:os'; import { join } from 'node:path';
const load = await startLoadGenerator();
const dir = mkdtempSync(join(process.env.DIR ?? tmpdir(), 'b-'));
const s = await startServerProcess([...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), '/work/wt-bench/server/bin/otpkit.mjs', 'serve'], {
  NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: `sqlite:${dir}/o.db`, OTPKIT_DATA_DIR: dir,
  OTPKIT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789', OTPKIT_AUTHKEY: 'bench-authkey-0123456789abcdef',
  OTPKIT_WEBHOOK_URL: load.receiverUrl, OTPKIT_WEBHOOK_SECRET: 'bench-webhook-secret-0123456789', OTPKIT_WEBHOOK_CHANNELS: 'sms,email',
  OTPKIT_LIMIT_IP: '1000000000/3600', OTPKIT_LIMIT_WIDGET: '1000000000/3600', OTPKIT_LIMIT_COUNTRY: '1000000000/3600', OTPKIT_LIMIT_VERIFY_IP: '1000000000/600', OTPKIT_PUMPING_MIN: '1000000000',
});
const res = await fetch(`${s.url}/api/v1/widgets`, { method: 'POST', headers: { 'content-type': 'application/json', authkey: 'bench-authkey-0123456789abcdef' }, body: JSON.stringify({ name: 'b', contactPoints: ['mobile','email'], captcha: { provider: 'none' } }) });
const w = await res.json();
const cpu = () => { const f = fs.readFileSync(`/proc/${s.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
for (const scenario of (process.env.SC ?? 'sendOtpMobile').split(',')) {
  const c0 = cpu(); const t0 = Date.now();
  const r = await load.run({ kind: scenario === 'flow' ? 'flow' : 'autocannon', target: 'otpkit', scenario, url: s.url, connections: 32, concurrency: 32, seconds: Number(process.env.SECS ?? 5), collect: true, authkey: 'bench-authkey-0123456789abcdef', ...w } as never);
  console.log(scenario, r.perSecond.toFixed(0), '/s p50', r.p50.toFixed(1), 'p99', r.p99.toFixed(1), 'fail', r.failures, r.error ?? '', 'server cpu', ((cpu() - c0) / ((Date.now() - t0) / 1000) * 100).toFixed(0) + '%', 'cpu ms/req', ((cpu() - c0) * 1000 / (r.requests + r.failures)).toFixed(2), 'rss', s.rssMb().toFixed(0));
}
await s.stop(); await load.stop();
