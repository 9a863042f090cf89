-- Rolled-up results: per (agent, check) and UTC minute, and per UTC hour, the figures the metrics
-- API charts (runs, failures, latency count/sum/min/max and a log-scale histogram for percentiles,
-- loss and jitter sums), so a long range reads ~1/600 of the rows and rollups outlive raw retention.
-- The rollup job (backend/src/modules/rollups/job.ts) fills them from rows received since its
-- watermark and recomputes touched buckets whole, so a late result updates its old minute.
--
-- Latency histogram: bucket k (0-based) counts durations d with
--   floor(24 * log10(max(d, 0.01) / 0.01)) = k, k clamped to 0..186,
-- i.e. 24 buckets a decade (edges 10^(1/24) ≈ 1.1007 apart) from 0.01 ms to 10 minutes (the last
-- bucket also holds anything longer). `hist` holds the counts of buckets hist_offset ..
-- hist_offset + length - 1 only (empty when no run had a duration).
CREATE TABLE check_rollups_1m (
  agent_id     uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  check_id     text NOT NULL,
  bucket       timestamptz NOT NULL,
  count        integer NOT NULL,
  failures     integer NOT NULL,
  value_count  integer NOT NULL,
  value_sum    double precision,
  value_min    double precision,
  value_max    double precision,
  hist_offset  smallint NOT NULL DEFAULT 0,
  hist         integer[] NOT NULL DEFAULT '{}',
  loss_sum     double precision,
  loss_count   integer NOT NULL DEFAULT 0,
  jitter_sum   double precision,
  jitter_count integer NOT NULL DEFAULT 0,
  PRIMARY KEY (agent_id, check_id, bucket)
);
-- the metrics API asks by check alone as often as by agent and check
CREATE INDEX check_rollups_1m_check_idx ON check_rollups_1m (check_id, bucket);
CREATE INDEX check_rollups_1m_bucket_idx ON check_rollups_1m USING brin (bucket);

CREATE TABLE check_rollups_1h (LIKE check_rollups_1m INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE check_rollups_1h ADD PRIMARY KEY (agent_id, check_id, bucket);
ALTER TABLE check_rollups_1h ADD FOREIGN KEY (agent_id) REFERENCES agents (id) ON DELETE CASCADE;
CREATE INDEX check_rollups_1h_check_idx ON check_rollups_1h (check_id, bucket);
CREATE INDEX check_rollups_1h_bucket_idx ON check_rollups_1h USING brin (bucket);

-- The job's progress: every raw row received before `watermark` is in the rollups.
CREATE TABLE rollup_state (
  name      text PRIMARY KEY,
  watermark timestamptz NOT NULL
);
INSERT INTO rollup_state (name, watermark) VALUES ('check_rollups', '-infinity');

-- Finds the rows received since the watermark; rows arrive in received_at order, so a BRIN range
-- is small (each day's partition gets its own BRIN index).
CREATE INDEX check_results_received_brin ON check_results USING brin (received_at);
