-- What lists, queues and indicators need of a case's clocks, kept on the case row itself so that
-- none of them looks at case_clocks per case (at 1M cases: a list sorted 2,000 candidates with two
-- correlated subqueries each; the month's indicators made three clock lookups per case).
--   next_deadline_at, next_warn_at  the earliest deadline / warning time of the running clocks
--                                   that are obligations (not windows); NULL when none runs
--   sign_for_on_time                the sign-for clock: NULL while running or absent, else 1 when
--                                   it stopped by its deadline, 0 when late
--   handle_on_time                  the same for the handling clock
-- Triggers on case_clocks keep them, so every writer (the engine, calendar recomputes, imports,
-- the benchmark generator) keeps them right without knowing of them.
ALTER TABLE cases ADD COLUMN next_deadline_at INTEGER;
ALTER TABLE cases ADD COLUMN next_warn_at INTEGER;
ALTER TABLE cases ADD COLUMN sign_for_on_time INTEGER;
ALTER TABLE cases ADD COLUMN handle_on_time INTEGER;

CREATE VIEW case_clock_summary AS
SELECT case_id,
       min(CASE WHEN stop_at IS NULL AND is_window = 0 THEN deadline_at END) AS next_deadline_at,
       min(CASE WHEN stop_at IS NULL AND is_window = 0 THEN warn_at END) AS next_warn_at,
       max(CASE WHEN name = 'sign_for' AND stop_at IS NOT NULL
                THEN CASE WHEN stop_at <= deadline_at THEN 1 ELSE 0 END END) AS sign_for_on_time,
       max(CASE WHEN name = 'handle' AND stop_at IS NOT NULL
                THEN CASE WHEN stop_at <= deadline_at THEN 1 ELSE 0 END END) AS handle_on_time
FROM case_clocks GROUP BY case_id;

CREATE TRIGGER case_clocks_summary_insert AFTER INSERT ON case_clocks BEGIN
  UPDATE cases SET (next_deadline_at, next_warn_at, sign_for_on_time, handle_on_time) =
    (SELECT next_deadline_at, next_warn_at, sign_for_on_time, handle_on_time
     FROM case_clock_summary WHERE case_id = new.case_id)
  WHERE id = new.case_id;
END;
CREATE TRIGGER case_clocks_summary_update
AFTER UPDATE OF case_id, name, stop_at, deadline_at, warn_at, is_window ON case_clocks BEGIN
  UPDATE cases SET (next_deadline_at, next_warn_at, sign_for_on_time, handle_on_time) =
    (SELECT next_deadline_at, next_warn_at, sign_for_on_time, handle_on_time
     FROM case_clock_summary WHERE case_id = new.case_id)
  WHERE id = new.case_id;
  UPDATE cases SET (next_deadline_at, next_warn_at, sign_for_on_time, handle_on_time) =
    (SELECT next_deadline_at, next_warn_at, sign_for_on_time, handle_on_time
     FROM case_clock_summary WHERE case_id = old.case_id)
  WHERE id = old.case_id AND old.case_id <> new.case_id;
END;
CREATE TRIGGER case_clocks_summary_delete AFTER DELETE ON case_clocks BEGIN
  UPDATE cases SET (next_deadline_at, next_warn_at, sign_for_on_time, handle_on_time) =
    (SELECT next_deadline_at, next_warn_at, sign_for_on_time, handle_on_time
     FROM case_clock_summary WHERE case_id = old.case_id)
  WHERE id = old.case_id;
END;

UPDATE cases SET (next_deadline_at, next_warn_at, sign_for_on_time, handle_on_time) =
  (SELECT next_deadline_at, next_warn_at, sign_for_on_time, handle_on_time
   FROM case_clock_summary s WHERE s.case_id = cases.id);

-- Counting the due queues of the city (overdue, due within 2 working days) reads this index.
CREATE INDEX cases_next_deadline ON cases(next_deadline_at) WHERE next_deadline_at IS NOT NULL;
