/**
 * WAL checkpoints off the event loop. better-sqlite3 is synchronous, and a
 * checkpoint copies the WAL into the database file and fsyncs both: on a
 * busy disk that can take long enough to stall every request in flight.
 * A worker thread with its own connection runs a PASSIVE checkpoint (it
 * never blocks readers or writers) every second instead, so the main
 * connection's automatic checkpoint, raised to a high bound as insurance,
 * is rarely reached. With `synchronous = NORMAL` a commit does not fsync,
 * so the request path then does no fsync at all; durability is unchanged
 * (WAL + NORMAL: a power loss may lose the last commits, never corrupt).
 */
import { Worker } from 'node:worker_threads';
import { driverPath } from './driver.ts';

/** Pages the main connection lets the WAL reach before it checkpoints itself. */
export const MAIN_AUTOCHECKPOINT_PAGES = 10_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage(String(error));
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message === 'stop') {
    clearInterval(timer);
    checkpoint();
    db.close();
    parentPort.close();
  }
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts the background checkpoints for a database file. */
export function startCheckpointer(file: string, everyMs = 1000): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // Plain Node: no loader flags inherited from the parent (tsx, test runners).
    execArgv: [],
    env: {},
    workerData: { file, everyMs, driver: driverPath },
    // A small isolate: it holds one connection and a timer.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  });
  worker.unref();
  // A failed checkpoint is retried on the next tick; the main connection's own checkpoint is the backstop.
  worker.on('error', () => {});
  worker.on('message', () => {});
  return {
    stop: () =>
      new Promise((resolve) => {
        worker.once('exit', () => resolve());
        // Held until it has exited: an unreferenced worker would let the process end mid-close.
        worker.ref();
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate(), 2000).unref();
      }),
  };
}
