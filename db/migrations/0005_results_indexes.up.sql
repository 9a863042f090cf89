-- Indexes for the History API: the results list (newest first) and its export (oldest first) page
-- by the key (time, id), so each page is one index range read in order, at any depth.
-- (time, id) replaces (time): it serves every time-range query (time) did, and keyset pages on it
-- without sorting the rest of the range for each page (an export would otherwise be quadratic).
CREATE INDEX check_results_time_id_idx ON check_results (time, id);
DROP INDEX check_results_time_idx;
-- A check's results across every agent: without this, a check-only filter walks the whole time
-- index and throws away all other checks' rows (1 in 2,000 kept with 2,000 checks).
CREATE INDEX check_results_check_time_idx ON check_results (check_id, time, id);
-- Failures are a small share of all runs: `?status=failed` finds them here instead of filtering
-- every successful run out of a time-ordered walk.
CREATE INDEX check_results_failed_time_idx ON check_results (time, id) WHERE NOT success;
