-- Templates per language: a template may carry a body (and, for email, a
-- subject) per language besides its main one, as a JSON object keyed by
-- language tag: {"ta": {"body": "…", "subject": null}}. The main body is
-- used for any language without its own.
ALTER TABLE templates ADD COLUMN translations TEXT NOT NULL DEFAULT '{}';
