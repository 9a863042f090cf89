DROP INDEX IF EXISTS check_results_received_brin;
DROP TABLE IF EXISTS rollup_state;
DROP TABLE IF EXISTS check_rollups_1h;
DROP TABLE IF EXISTS check_rollups_1m;
