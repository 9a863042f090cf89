-- NOP's first schema: users, agents and their checks, check results, alert rules and alerts.
-- Runs unchanged on PostgreSQL and PGlite.

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL,
  email         text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'user')),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL UNIQUE,
  type          text NOT NULL CHECK (type IN ('ping', 'http', 'dns', 'traceroute', 'multi')),
  owner_id      uuid REFERENCES users (id) ON DELETE SET NULL,
  -- a managed agent is a child process of the backend (the embedded local agent)
  managed       boolean NOT NULL DEFAULT false,
  config        jsonb NOT NULL DEFAULT '{"version": 0, "checks": []}',
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'online', 'stopped', 'offline')),
  desired_state text NOT NULL DEFAULT 'running' CHECK (desired_state IN ('running', 'stopped')),
  last_seen     timestamptz,
  -- sha-256 of the agent token; the token itself is shown once and never stored
  token_hash    text NOT NULL UNIQUE,
  -- the live control link that owns the status (so a stale link closing cannot mark a reconnected agent offline)
  link_id       uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per check of an agent's current config: what results and alert rules refer to.
CREATE TABLE checks (
  agent_id   uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  id         text NOT NULL,
  type       text NOT NULL,
  target     text NOT NULL,
  spec       jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, id)
);

-- Results keep their agent-made id as the key, so a re-sent batch is inserted once.
CREATE TABLE check_results (
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
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX check_results_series_idx ON check_results (agent_id, check_id, time);
CREATE INDEX check_results_time_idx ON check_results (time);

CREATE TABLE alert_rules (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  owner_id    uuid REFERENCES users (id) ON DELETE SET NULL,
  agent_id    uuid REFERENCES agents (id) ON DELETE CASCADE,
  check_id    text,
  metric      text NOT NULL,
  operator    text NOT NULL CHECK (operator IN ('>', '>=', '<', '<=', '==', '!=')),
  threshold   double precision NOT NULL,
  for_seconds integer NOT NULL DEFAULT 0 CHECK (for_seconds >= 0),
  severity    text NOT NULL DEFAULT 'warning' CHECK (severity IN ('info', 'warning', 'critical')),
  channels    jsonb NOT NULL DEFAULT '[]',
  enabled     boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alerts (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  rule_id          uuid NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
  agent_id         uuid REFERENCES agents (id) ON DELETE CASCADE,
  check_id         text,
  state            text NOT NULL CHECK (state IN ('firing', 'resolved')),
  value            double precision,
  started_at       timestamptz NOT NULL DEFAULT now(),
  resolved_at      timestamptz,
  last_notified_at timestamptz
);
CREATE INDEX alerts_open_idx ON alerts (rule_id, state);
