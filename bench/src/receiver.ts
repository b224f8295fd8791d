/**
 * The code receiver, in a process of its own: delivery providers post codes
 * here (otpkit's webhook provider, the peer's sendVerificationOTP), as they
 * would to an SMS gateway. It answers each post and hands the codes to the
 * load generator over IPC, a batch per turn of its event loop. Kept out of
 * the load generator so that serving a webhook per code sent does not delay
 * the load generator's own measurements (the latency of a send included
 * the generator handling the previous sends' webhooks).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A delivered code: the key (otpkit's request id, or the peer's recipient), the code, and whether otpkit sent it. */
export type Delivered = [key: string, code: string, fromOtpkit: boolean];

let batch: Delivered[] = [];
const send = () => {
  const out = batch;
  batch = [];
  process.send?.(out);
};

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

const receiver = createServer((req, res) => {
  readJson(req)
    .then((body) => {
      const code = String(body.text ?? '').match(/\b\d{4,9}\b/)?.[0];
      const key = typeof body.requestId === 'string' ? body.requestId : String(body.to ?? '');
      if (code) {
        if (batch.length === 0) setImmediate(send);
        batch.push([key, code, typeof body.requestId === 'string']);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"sent"}');
    })
    .catch(() => {
      res.writeHead(400);
      res.end();
    });
});
receiver.keepAliveTimeout = 60_000;
receiver.listen(0, '127.0.0.1', () => {
  const { port } = receiver.address() as AddressInfo;
  process.send?.({ ready: true, receiverUrl: `http://127.0.0.1:${port}/deliver` });
});
// Ends with the load generator.
process.on('disconnect', () => process.exit(0));
