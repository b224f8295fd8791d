-- The rate-limit counters, now counted by the store itself (store/sqlite/counters.ts) inside the
-- group commit of the send they belong to. The table is the one rate-limiter-flexible created on
-- its own until now (same name, columns and meaning: points spent in the window that ends at
-- `expire`, in ms since the epoch), so counters of a running deployment carry over.
CREATE TABLE IF NOT EXISTS rate_limits (
  key TEXT PRIMARY KEY,
  points INTEGER NOT NULL DEFAULT 0,
  expire INTEGER
);
-- The sweep of expired counters (counters.ts) reads this index instead of the whole table, which
-- holds a row per identifier and IP sent to in the last hour or so.
CREATE INDEX IF NOT EXISTS rate_limits_expire ON rate_limits(expire);
