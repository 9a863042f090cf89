-- An agent's status belongs to the replica holding its link only while that replica renews a lease:
-- a replica that dies stops renewing, and any replica's sweep turns its agents offline once the lease
-- has run out (before, a killed replica's agents stayed "online" forever).
ALTER TABLE agents ADD COLUMN lease_expires_at timestamptz;
-- the agent's clock minus the backend's, from the last batch it sent (null: not known yet)
ALTER TABLE agents ADD COLUMN clock_skew_ms integer;
-- links made before leases existed: their lease ends now, so the first sweep settles them
UPDATE agents SET lease_expires_at = now() WHERE link_id IS NOT NULL;
