-- One covering index for the calls view and billing instead of two, and no index on
-- updatedAt (issue 8, cache size). calls_view (org_id, created_at, id, assistant_id) and
-- calls_billing (org_id, created_at, status, times, duration, minutes, cost) both began with
-- the org's UUID and the ISO time, and calls_org_updated repeated them for `calls stats`'
-- newest updatedAt alone. Measured on 34k simulated calls: the three took 445 bytes a call;
-- the one below about 290. The calls view seeks it as before (its prefix is unchanged),
-- billing's audit reads it as its covering index, and `calls stats` reads an org's newest
-- updatedAt from it in the same scan as its count and cost sum.
DROP INDEX calls_org_updated;
DROP INDEX calls_billing;
DROP INDEX calls_view;
CREATE INDEX calls_view ON calls (
    org_id, created_at, id, assistant_id, status, updated_at, ended_at, started_at,
    duration_seconds, minutes, cost_micros
);
