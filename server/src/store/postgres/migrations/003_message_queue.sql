-- The durable send queue: one row per outgoing message, delivered by
-- workers that claim rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE messages (
  id text PRIMARY KEY,
  request_id text NOT NULL REFERENCES otp_requests(id) ON DELETE CASCADE,
  widget_id text NOT NULL,
  channel text NOT NULL,
  purpose text NOT NULL,
  recipient text NOT NULL,
  payload text NOT NULL,
  status text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  locked_until bigint,
  provider text,
  provider_message_id text,
  error text,
  fallback_at bigint,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  sent_at bigint,
  delivered_at bigint,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX messages_due ON messages(next_attempt_at) WHERE status = 'pending';
CREATE INDEX messages_fallback ON messages(fallback_at) WHERE fallback_at IS NOT NULL;
CREATE INDEX messages_provider_id ON messages(provider, provider_message_id);
CREATE INDEX messages_request ON messages(request_id);

-- Each delivery attempt records the message it belongs to.
ALTER TABLE deliveries ADD COLUMN message_id text;
ALTER TABLE deliveries ADD COLUMN attempt integer NOT NULL DEFAULT 1;
ALTER TABLE otp_requests ADD COLUMN fallback_count integer NOT NULL DEFAULT 0;
ALTER TABLE otp_requests ADD COLUMN language text NOT NULL DEFAULT 'en';
