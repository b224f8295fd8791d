-- Magic links: the two-digit number the asking tab shows and the confirmation
-- page asks for (number matching). NULL for code requests.
ALTER TABLE otp_requests ADD COLUMN match_number INTEGER;
