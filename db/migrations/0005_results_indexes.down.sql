DROP INDEX IF EXISTS check_results_failed_time_idx;
DROP INDEX IF EXISTS check_results_check_time_idx;
CREATE INDEX IF NOT EXISTS check_results_time_idx ON check_results (time);
DROP INDEX IF EXISTS check_results_time_id_idx;
