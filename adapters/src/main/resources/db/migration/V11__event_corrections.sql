-- Cancelled events stay (an audit of what was sent) but stop counting; corrections change the measured value.
ALTER TABLE usage_events ADD COLUMN cancelled_at timestamptz;
ALTER TABLE usage_events ADD COLUMN corrected_at timestamptz;
