-- Checks become objects of their own: written once, run from every agent assigned to them by id
-- (check_assignments) or by label selector (checks.selector ⊆ agents.labels). Each agent's
-- `config` stays the compiled list it runs (versioned), rebuilt by the backend on every change.

ALTER TABLE agents ADD COLUMN labels jsonb NOT NULL DEFAULT '{}';
-- {name, latitude?, longitude?, provider?}
ALTER TABLE agents ADD COLUMN location jsonb;
CREATE INDEX agents_labels_idx ON agents USING gin (labels jsonb_path_ops);

ALTER TABLE checks RENAME TO agent_checks_0003;
ALTER TABLE agent_checks_0003 RENAME CONSTRAINT checks_pkey TO agent_checks_0003_pkey;

CREATE TABLE checks (
  id         text PRIMARY KEY,
  type       text NOT NULL,
  target     text NOT NULL,
  -- the protocol CheckSpec, secrets encrypted
  spec       jsonb NOT NULL,
  labels     jsonb NOT NULL DEFAULT '{}',
  -- labels an agent must have to run the check; {} = none (only agents assigned by id)
  selector   jsonb NOT NULL DEFAULT '{}',
  enabled    boolean NOT NULL DEFAULT true,
  owner_id   uuid REFERENCES users (id) ON DELETE SET NULL,
  version    integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX checks_labels_idx ON checks USING gin (labels jsonb_path_ops);

CREATE TABLE check_assignments (
  check_id text NOT NULL REFERENCES checks (id) ON DELETE CASCADE ON UPDATE CASCADE,
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  PRIMARY KEY (check_id, agent_id)
);
CREATE INDEX check_assignments_agent_idx ON check_assignments (agent_id);

-- Today's per-agent checks become check objects assigned to their agent. Ids were unique per agent
-- only: the first agent (the managed one, then the oldest) keeps a shared id, the others get it
-- suffixed with their agent id's first 8 hex digits, and their stored results follow the rename.
CREATE TABLE check_migration_0004 AS
SELECT o.agent_id, o.id AS old_id, o.type, o.target, o.spec, a.owner_id,
       CASE WHEN row_number() OVER (PARTITION BY o.id ORDER BY a.managed DESC, a.created_at, a.id) = 1 THEN o.id
            ELSE rtrim(left(o.id, 55), '-_.') || '-' || left(replace(o.agent_id::text, '-', ''), 8) END AS new_id
FROM agent_checks_0003 o JOIN agents a ON a.id = o.agent_id;

INSERT INTO checks (id, type, target, spec, owner_id)
SELECT new_id, type, target, jsonb_set(spec, '{id}', to_jsonb(new_id)), owner_id FROM check_migration_0004;

INSERT INTO check_assignments (check_id, agent_id) SELECT new_id, agent_id FROM check_migration_0004;

UPDATE check_results r SET check_id = m.new_id
FROM check_migration_0004 m
WHERE m.new_id <> m.old_id AND r.agent_id = m.agent_id AND r.check_id = m.old_id;

-- Checks stored before the per-type rules (timeout < interval, interval >= 1 s) would now be refused
-- as a whole config by the agent: the most common case, the old form's "every 5 s" with the default
-- 5 s timeout, gets half its interval as timeout.
UPDATE checks SET spec = jsonb_set(spec, '{interval}', '1000') WHERE (spec->>'interval')::float8 < 1000;
UPDATE checks SET spec = jsonb_set(spec, '{timeout}', to_jsonb((spec->>'interval')::float8 / 2))
WHERE (spec->>'timeout')::float8 >= (spec->>'interval')::float8;
UPDATE agents a SET config = jsonb_build_object(
    'version', (a.config->>'version')::int + 1,
    'checks', COALESCE((SELECT jsonb_agg(c.spec ORDER BY c.id)
                        FROM check_assignments x JOIN checks c ON c.id = x.check_id
                        WHERE x.agent_id = a.id), '[]'::jsonb))
WHERE a.config->'checks' IS DISTINCT FROM COALESCE((SELECT jsonb_agg(c.spec ORDER BY c.id)
                        FROM check_assignments x JOIN checks c ON c.id = x.check_id
                        WHERE x.agent_id = a.id), '[]'::jsonb);

DROP TABLE check_migration_0004;
DROP TABLE agent_checks_0003;
