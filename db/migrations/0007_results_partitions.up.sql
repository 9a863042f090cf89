-- Results partitioned by day (declarative range partitions on `time`), so that retention drops a
-- whole day's partition instead of deleting rows one by one, and a time range reads only its days.
-- This migration makes the partitioned table with its DEFAULT partition only and moves every row
-- there; the backend's partition maintenance (backend/src/modules/results/partitions.ts) then makes
-- the daily partitions from the retention window on, moving their rows out of DEFAULT, and drops
-- the days past retention. A primary key of a partitioned table must hold the partition key: (id,
-- time). A re-sent result keeps both, so it still conflicts and is stored once.
ALTER TABLE check_results RENAME TO check_results_unpartitioned;
ALTER INDEX check_results_pkey RENAME TO check_results_unpartitioned_pkey;
ALTER INDEX check_results_series_idx RENAME TO check_results_unpartitioned_series_idx;
ALTER INDEX check_results_time_id_idx RENAME TO check_results_unpartitioned_time_id_idx;
ALTER INDEX check_results_check_time_idx RENAME TO check_results_unpartitioned_check_time_idx;
ALTER INDEX check_results_failed_time_idx RENAME TO check_results_unpartitioned_failed_time_idx;

CREATE TABLE check_results (
  id          uuid NOT NULL,
  agent_id    uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  check_id    text NOT NULL,
  type        text NOT NULL,
  target      text NOT NULL,
  time        timestamptz NOT NULL,
  success     boolean NOT NULL,
  duration_ms double precision,
  error       text,
  metrics     jsonb NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL DEFAULT now(),
  details     jsonb,
  PRIMARY KEY (id, time)
) PARTITION BY RANGE (time);
CREATE TABLE check_results_default PARTITION OF check_results DEFAULT;
CREATE INDEX check_results_series_idx ON check_results (agent_id, check_id, time);
CREATE INDEX check_results_time_id_idx ON check_results (time, id);
CREATE INDEX check_results_check_time_idx ON check_results (check_id, time, id);
CREATE INDEX check_results_failed_time_idx ON check_results (time, id) WHERE NOT success;

INSERT INTO check_results (id, agent_id, check_id, type, target, time, success, duration_ms, error, metrics,
                           received_at, details)
SELECT id, agent_id, check_id, type, target, time, success, duration_ms, error, metrics, received_at, details
FROM check_results_unpartitioned;
DROP TABLE check_results_unpartitioned;
