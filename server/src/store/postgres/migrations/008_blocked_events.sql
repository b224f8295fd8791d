-- Refused widget API calls (rate limits, captcha, pumping brake, bad numbers…) are listed in the log:
-- they keep the identifier they asked for, and an index finds them by widget and time.
ALTER TABLE request_events ADD COLUMN identifier text;
CREATE INDEX request_events_refused ON request_events(widget_id, id) WHERE request_id IS NULL AND outcome <> 'ok';
