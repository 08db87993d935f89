-- Spend alerts: monthly thresholds on what client orgs cost (Vapi's cost of their calls, from the
-- call cache), per client in USD or as a share of its billingLimit at Vapi, and one in USD for
-- the whole agency (org_id NULL). A threshold raises its alert once per calendar month:
-- `spend_alerts_raised` remembers which months it already did. Changing a threshold replaces its
-- row, so it may raise again.
CREATE TABLE spend_thresholds (
    id      INTEGER PRIMARY KEY,
    org_id  TEXT REFERENCES client_orgs (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('amount', 'limit_share')),
    -- Decimal text: USD a month, or a percentage of the billing limit.
    value   TEXT NOT NULL,
    CHECK (org_id IS NOT NULL OR kind = 'amount')
) STRICT;

CREATE UNIQUE INDEX spend_thresholds_one ON spend_thresholds (COALESCE(org_id, ''), kind);

CREATE TABLE spend_alerts_raised (
    threshold_id INTEGER NOT NULL REFERENCES spend_thresholds (id) ON DELETE CASCADE,
    -- YYYY-MM, UTC.
    period       TEXT NOT NULL,
    raised_at    TEXT NOT NULL,
    PRIMARY KEY (threshold_id, period)
) STRICT;
