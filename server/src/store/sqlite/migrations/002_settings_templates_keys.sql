-- Widget tokens and authkeys get ids, labels, last use and revocation.
ALTER TABLE widget_tokens ADD COLUMN id TEXT;
ALTER TABLE widget_tokens ADD COLUMN label TEXT;
ALTER TABLE widget_tokens ADD COLUMN last_used_at INTEGER;
UPDATE widget_tokens SET id = lower(hex(randomblob(8))) WHERE id IS NULL;
CREATE UNIQUE INDEX widget_tokens_id ON widget_tokens(id);

ALTER TABLE authkeys ADD COLUMN id TEXT;
ALTER TABLE authkeys ADD COLUMN label TEXT;
ALTER TABLE authkeys ADD COLUMN prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE authkeys ADD COLUMN last_used_at INTEGER;
ALTER TABLE authkeys ADD COLUMN revoked_at INTEGER;
UPDATE authkeys SET id = lower(hex(randomblob(8))) WHERE id IS NULL;
CREATE UNIQUE INDEX authkeys_id ON authkeys(id);

-- Deleted widgets keep their history.
ALTER TABLE widgets ADD COLUMN deleted_at INTEGER;

-- Demo credentials: requests and tokens that are marked as such.
ALTER TABLE otp_requests ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE otp_requests ADD COLUMN country TEXT;
ALTER TABLE access_tokens ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;

CREATE TABLE templates (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  widget_id TEXT REFERENCES widgets(id),
  name TEXT NOT NULL,
  channel TEXT NOT NULL,
  subject TEXT,
  body TEXT NOT NULL,
  unicode INTEGER NOT NULL DEFAULT 0,
  sender_id TEXT,
  dlt_template_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX templates_lookup ON templates(account_id, channel, widget_id);
