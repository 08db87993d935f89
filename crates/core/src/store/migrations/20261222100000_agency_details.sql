-- What the agency prints on the documents its clients receive (PDF invoices, client reports).
-- Empty text means "not set". The logo is a file agencydesk copied into the data folder itself
-- (`branding/logo.png` or `branding/logo.svg`): only its file name is kept, never a path.
ALTER TABLE agency ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE agency ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE agency ADD COLUMN tax_id TEXT NOT NULL DEFAULT '';
ALTER TABLE agency ADD COLUMN logo_file TEXT
    CHECK (logo_file IS NULL OR logo_file IN ('logo.png', 'logo.svg'));
-- The default terms of new pricing plans; each plan keeps its own.
ALTER TABLE agency ADD COLUMN payment_terms_days INTEGER NOT NULL DEFAULT 30
    CHECK (payment_terms_days BETWEEN 0 AND 365);
ALTER TABLE agency ADD COLUMN payment_details TEXT NOT NULL DEFAULT '';
-- Invoice numbers are this prefix and the 6-digit counter (INV-000042).
ALTER TABLE agency ADD COLUMN invoice_prefix TEXT NOT NULL DEFAULT 'INV-';
