-- A window (期间) is a period for the other party — a unit may return an order within 2 working
-- days, a petitioner may object or ask for a review within N days — not an obligation of the
-- case: it closes at its deadline and never makes a case late, yellow or overdue. Workflows mark
-- such clocks with "window": true and every save stores the flag; the clocks saved before this
-- migration are marked by the names the shipped workflows give their windows.
ALTER TABLE case_clocks ADD COLUMN is_window BIGINT NOT NULL DEFAULT 0;
UPDATE case_clocks SET is_window = 1
  WHERE name IN ('return_window', 'object_window', 'review_window', 'rereview_window');
