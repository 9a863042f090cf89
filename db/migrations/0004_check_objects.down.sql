-- Back to per-agent checks: every assignment becomes a row of the agent's own checks table again
-- (agents.config, the compiled list, is what each agent runs either way).
CREATE TABLE agent_checks_0004 (
  agent_id   uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  id         text NOT NULL,
  type       text NOT NULL,
  target     text NOT NULL,
  spec       jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, id)
);
INSERT INTO agent_checks_0004 (agent_id, id, type, target, spec)
SELECT a.id, c->>'id', c->>'type', c->>'target', c
FROM agents a, jsonb_array_elements(a.config->'checks') c;

DROP TABLE check_assignments;
DROP TABLE checks;
ALTER TABLE agent_checks_0004 RENAME TO checks;
ALTER TABLE checks RENAME CONSTRAINT agent_checks_0004_pkey TO checks_pkey;

DROP INDEX agents_labels_idx;
ALTER TABLE agents DROP COLUMN location;
ALTER TABLE agents DROP COLUMN labels;
