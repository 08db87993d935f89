-- Agency-wide settings shared by the window and the CLI: one row (id = 1), written on the first
-- save; until then the code's defaults apply. The spend alert is a decimal string in USD (never a
-- float: it is compared with money), NULL when no alert is set.
CREATE TABLE agency_settings (
    id                        INTEGER PRIMARY KEY CHECK (id = 1),
    key_rotation_max_age_days INTEGER NOT NULL CHECK (key_rotation_max_age_days BETWEEN 1 AND 3650),
    spend_alert_usd           TEXT,
    updated_at                TEXT NOT NULL
) STRICT;
