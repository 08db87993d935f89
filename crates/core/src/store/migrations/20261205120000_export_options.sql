-- The accountants' export options (QuickBooks Online and Xero CSVs): one row, absent until first
-- saved (the defaults of billing/export/options.rs apply meanwhile). Values are checked in
-- core; these CHECKs are the last line of defence.
CREATE TABLE export_options (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    qbo_date_format       TEXT NOT NULL CHECK (qbo_date_format IN ('day_first', 'month_first', 'iso')),
    xero_date_format      TEXT NOT NULL CHECK (xero_date_format IN ('day_first', 'month_first', 'iso')),
    xero_account_code     TEXT NOT NULL CHECK (length(xero_account_code) BETWEEN 1 AND 10),
    -- Empty: the plan's tax code.
    xero_taxed_tax_type   TEXT NOT NULL CHECK (length(xero_taxed_tax_type) <= 50),
    xero_untaxed_tax_type TEXT NOT NULL CHECK (length(xero_untaxed_tax_type) BETWEEN 1 AND 50),
    qbo_untaxed_tax_code  TEXT NOT NULL CHECK (length(qbo_untaxed_tax_code) <= 50),
    -- NULL: each invoice's own due date (its plan's payment terms).
    due_days              INTEGER CHECK (due_days IS NULL OR due_days BETWEEN 0 AND 365),
    updated_at            TEXT NOT NULL
) STRICT;
