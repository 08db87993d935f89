-- Hosts other than Vapi's own (and this machine) that the owner confirmed may receive an org's
-- private key (see vapi/destination.rs). One row per org and host: a confirmation is for a host
-- name in canonical form (lower case, punycode, no trailing dot), never for a URL, and never
-- carries over to another org. Addresses stored before this migration are not trusted by it: an
-- org pointed at another host is refused until the owner confirms that host again.
CREATE TABLE trusted_hosts (
    org_id       TEXT NOT NULL REFERENCES client_orgs (id) ON DELETE CASCADE,
    host         TEXT NOT NULL CHECK (host <> '' AND host = lower(host)),
    confirmed_at TEXT NOT NULL,
    PRIMARY KEY (org_id, host)
) STRICT, WITHOUT ROWID;
