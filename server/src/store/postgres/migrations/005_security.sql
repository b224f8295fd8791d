-- Proof-of-work captcha solutions are single use.
CREATE TABLE captcha_uses (
  challenge text PRIMARY KEY,
  expires_at bigint NOT NULL
);
CREATE INDEX captcha_uses_expiry ON captcha_uses(expires_at);

-- Sends per widget, destination country and hour: the SMS-pumping brake compares now with the usual rate.
CREATE TABLE send_counters (
  widget_id text NOT NULL,
  country text NOT NULL,
  hour bigint NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (widget_id, country, hour)
);

-- Rotated signing keys stay published until the last token they signed has expired.
ALTER TABLE signing_keys ADD COLUMN retired_at bigint;

-- Widget tokens are stored hashed, like authkeys; the prefix tells them apart in lists.
ALTER TABLE widget_tokens ADD COLUMN token_hash text NOT NULL;
ALTER TABLE widget_tokens ADD COLUMN prefix text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX widget_tokens_hash ON widget_tokens(token_hash);
