-- Whether a deadline is provisional is a property of the calendar, not of the stored clock: a
-- deadline of a day-based clock is provisional exactly when the span from its start day to its
-- deadline day touches a year whose calendar is not loaded (core::Calendar::IsProvisional). It is
-- derived when read, so loading a year writes only the clocks whose deadline actually moves
-- (issue 3: recomputing 1 million provisional clocks in seconds, not the ~30 s of rewriting every
-- row and its index entries).
DROP INDEX case_clocks_provisional;
ALTER TABLE case_clocks DROP COLUMN provisional;
