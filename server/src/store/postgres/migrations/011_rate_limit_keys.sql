-- A rate-limit key holds the identifier it counts, and an email may be 254 characters: the key
-- (prefix, scope, widget id and identifier) outgrew varchar(255). (010 is SQLite's alone.)
ALTER TABLE rate_limits ALTER COLUMN key TYPE text;
