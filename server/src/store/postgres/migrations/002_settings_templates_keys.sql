-- Widget tokens and authkeys get ids, labels, last use and revocation.
ALTER TABLE widget_tokens ADD COLUMN label text;
ALTER TABLE widget_tokens ADD COLUMN last_used_at bigint;

ALTER TABLE authkeys ADD COLUMN id text;
ALTER TABLE authkeys ADD COLUMN label text;
ALTER TABLE authkeys ADD COLUMN prefix text NOT NULL DEFAULT '';
ALTER TABLE authkeys ADD COLUMN last_used_at bigint;
ALTER TABLE authkeys ADD COLUMN revoked_at bigint;
CREATE UNIQUE INDEX authkeys_id ON authkeys(id);
CREATE INDEX authkeys_account ON authkeys(account_id) WHERE revoked_at IS NULL;

-- Deleted widgets keep their history.
ALTER TABLE widgets ADD COLUMN deleted_at bigint;

-- Demo credentials: requests and tokens that are marked as such.
ALTER TABLE otp_requests ADD COLUMN demo boolean NOT NULL DEFAULT false;
ALTER TABLE otp_requests ADD COLUMN country text;
ALTER TABLE access_tokens ADD COLUMN demo boolean NOT NULL DEFAULT false;

CREATE TABLE templates (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts(id),
  widget_id text REFERENCES widgets(id),
  name text NOT NULL,
  channel text NOT NULL,
  subject text,
  body text NOT NULL,
  unicode boolean NOT NULL DEFAULT false,
  sender_id text,
  dlt_template_id text,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX templates_lookup ON templates(account_id, channel, widget_id);
