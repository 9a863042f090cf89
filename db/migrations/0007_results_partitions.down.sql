CREATE TABLE check_results_plain (
  id          uuid PRIMARY KEY,
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
  details     jsonb
);
-- (id, time) was the key: an id stored at two times keeps its first row
INSERT INTO check_results_plain (id, agent_id, check_id, type, target, time, success, duration_ms, error, metrics,
                                 received_at, details)
SELECT DISTINCT ON (id) id, agent_id, check_id, type, target, time, success, duration_ms, error, metrics,
       received_at, details
FROM check_results ORDER BY id, time;
DROP TABLE check_results;
ALTER TABLE check_results_plain RENAME TO check_results;
ALTER INDEX check_results_plain_pkey RENAME TO check_results_pkey;
CREATE INDEX check_results_series_idx ON check_results (agent_id, check_id, time);
CREATE INDEX check_results_time_id_idx ON check_results (time, id);
CREATE INDEX check_results_check_time_idx ON check_results (check_id, time, id);
CREATE INDEX check_results_failed_time_idx ON check_results (time, id) WHERE NOT success;
