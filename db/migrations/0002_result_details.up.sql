-- Structured detail of a result that does not fit numeric metrics: a traceroute's hops per flow
-- (protocol TraceDetails), read by the topology builder and route-change views.
ALTER TABLE check_results ADD COLUMN details jsonb;
