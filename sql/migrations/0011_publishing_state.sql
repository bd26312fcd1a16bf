-- One list of states for an upload's row and its status document (lifecycle/transitions.ts):
-- `publishing` (every chunk staged, the readings being made visible) is a state of the row too.
-- A row published but not done yet (its Flo SQL file not in) is publishing.
ALTER TABLE uploads DROP CONSTRAINT uploads_status_check;
UPDATE uploads SET status = 'publishing' WHERE status = 'loading' AND published_at IS NOT NULL;
ALTER TABLE uploads ADD CONSTRAINT uploads_status_check CHECK (status IN ('pending', 'splitting', 'loading', 'publishing', 'done', 'failed'));
