ALTER TABLE agents DROP COLUMN IF EXISTS clock_skew_ms;
ALTER TABLE agents DROP COLUMN IF EXISTS lease_expires_at;
