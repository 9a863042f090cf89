-- Access and safety: three roles, revocable sessions, API tokens, invitations and an audit log.
-- Runs unchanged on PostgreSQL and PGlite.

-- Roles admin / editor / viewer. Accounts that were 'user' could create and change their own
-- agents, which is what an editor may do: they keep that power.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
UPDATE users SET role = 'editor' WHERE role = 'user';
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'editor', 'viewer'));
-- disabled accounts keep their data but cannot sign in; every session and token stops working
ALTER TABLE users ADD COLUMN disabled_at timestamptz;
-- carried in every JWT: bumping it ends every session of the user at once
ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- One row per sign-in. A JWT names its session; a revoked or expired session refuses the JWT.
CREATE TABLE sessions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  last_used_at timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  ip           text,
  user_agent   text
);
CREATE INDEX sessions_user_idx ON sessions (user_id, created_at DESC);

-- Personal API tokens for automation. Only the SHA-256 of the token is kept.
CREATE TABLE api_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
  token_hash   text NOT NULL UNIQUE,
  prefix       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  last_used_at timestamptz,
  last_used_ip text,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at DESC);

-- One-time invitation links; only the SHA-256 of the link's token is kept.
CREATE TABLE invitations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email       text NOT NULL,
  role        text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
  token_hash  text NOT NULL UNIQUE,
  created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
  revoked_at  timestamptz
);
CREATE INDEX invitations_created_idx ON invitations (created_at DESC);

-- Every mutation: who, what, on which target, from where, answered how. Actors and targets are
-- copied by value (no foreign keys), so the record outlives a deleted user or agent.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  time        timestamptz NOT NULL DEFAULT now(),
  actor_kind  text NOT NULL CHECK (actor_kind IN ('user', 'token', 'anonymous')),
  actor_id    uuid,
  actor_name  text,
  action      text NOT NULL,
  target_type text,
  target_id   text,
  target_name text,
  ip          text,
  status      integer NOT NULL,
  details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_time_idx ON audit_log (time DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, time DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_id, time DESC);

-- agents per owner (the quota) and paging agents by name
CREATE INDEX agents_owner_idx ON agents (owner_id);
