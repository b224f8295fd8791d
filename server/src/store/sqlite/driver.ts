/**
 * The better-sqlite3 line for the running Node. Node 22 and later load
 * better-sqlite3 13: Node-API, prebuilt inside the package, so it needs no
 * compiler and one build serves every Node version. Node 20 loads 12 (the
 * `better-sqlite3-node20` alias, built from source at install), the last line
 * that supports it. 12 must not run on Node 24: there its `Statement` wraps
 * the raw `node::ObjectWrap`, whose destructor asserts that a Node
 * environment is current, and a statement collected by a garbage collection
 * that runs outside one (a worker thread's teardown, an idle-time GC) aborts
 * the process with `Assertion failed: (env) != nullptr`.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/** The first Node major that loads better-sqlite3 13. */
const NODE_API_LINE_FROM = 22;

/** The package name of the better-sqlite3 line for a Node version (`process.versions.node`). */
export function driverModuleFor(nodeVersion: string): string {
  const major = Number.parseInt(nodeVersion.split('.')[0] ?? '', 10);
  return major >= NODE_API_LINE_FROM ? 'better-sqlite3' : 'better-sqlite3-node20';
}

/** The better-sqlite3 line this process loads. */
export const driverModule: string = driverModuleFor(process.versions.node);

function load(): { Database: typeof BetterSqlite3; path: string } {
  try {
    const path = require.resolve(driverModule);
    return { Database: require(path) as typeof BetterSqlite3, path };
  } catch (error) {
    const hint =
      driverModule === 'better-sqlite3'
        ? 'reinstall otpkit'
        : 'Node 20 needs better-sqlite3 12 built from source at install (python3, make and a C++ compiler; allow its install script), or run otpkit on Node 22 or 24';
    throw new Error(
      `The SQLite driver (${driverModule}) does not load on Node ${process.versions.node}: ${hint}. ${(error as Error).message}`,
      { cause: error },
    );
  }
}

const loaded = load();

/** better-sqlite3's `Database` class, of the line for this Node. */
export const Database: typeof BetterSqlite3 = loaded.Database;

/** The resolved entry of that line, for a worker thread to `require` the same driver. */
export const driverPath: string = loaded.path;
