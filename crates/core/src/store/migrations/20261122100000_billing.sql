-- Billing: pricing plans, issued invoices, the invoice number counter, and a covering index for
-- the billing and chart aggregations. Amounts are decimal TEXT (never REAL); see billing::money.

-- One plan per client org: billing::PricingPlan as JSON, decimals as strings ("0.12").
CREATE TABLE pricing_plans (
    org_id     TEXT PRIMARY KEY REFERENCES client_orgs (id) ON DELETE CASCADE,
    plan       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- The last invoice number handed out. One database is one agency, so one row. It only ever
-- grows, in the same transaction that records the invoice: a number is never handed out twice,
-- not even after its invoice is voided.
CREATE TABLE invoice_counter (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_number INTEGER NOT NULL CHECK (last_number >= 0)
) STRICT;
INSERT INTO invoice_counter (id, last_number) VALUES (1, 0);

-- Issued invoices, as issued. No foreign key to client_orgs on purpose: an accounting record
-- outlives the removal of its client from agencydesk.
CREATE TABLE invoices (
    number      INTEGER PRIMARY KEY CHECK (number > 0),
    label       TEXT NOT NULL UNIQUE,
    org_id      TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    issue_date  TEXT NOT NULL,
    currency    TEXT NOT NULL,
    total       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('issued', 'void')),
    issued_at   TEXT NOT NULL,
    -- billing::Invoice as JSON: the lines exactly as the client was billed.
    body        TEXT NOT NULL
) STRICT;
CREATE INDEX invoices_org_period ON invoices (org_id, period_from, period_to);
-- At most one live invoice per client and period; a voided one frees the period, not its number.
CREATE UNIQUE INDEX invoices_one_live_per_period ON invoices (org_id, period_from, period_to)
    WHERE status = 'issued';

-- Covers every column the invoice, audit and chart queries read, so they aggregate a period of
-- calls from the index alone and never touch the rows (whose raw JSON makes them large).
CREATE INDEX calls_billing ON calls (
    org_id, created_at, assistant_id, type, status, started_at, ended_at, updated_at,
    duration_seconds, minutes, cost_micros, transport_micros, stt_micros, llm_micros,
    tts_micros, vapi_micros, chat_micros
);
