// Words for the site check's findings, shared by the Site check panel and the Key audit line.
import type { ExposedKind } from "./bindings/ExposedKind";
import type { ExposureSeverity } from "./bindings/ExposureSeverity";
import type { SiteScanSummary } from "./bindings/SiteScanSummary";
import { plural } from "./format";

export const SEVERITY_LABEL: Record<ExposureSeverity, string> = {
  critical: "Critical",
  high: "High",
  willNotWork: "Will not work here",
  warning: "Warning",
  info: "Info",
};

export const KIND_LABEL: Record<ExposedKind, string> = {
  privateKey: "Private key",
  publicKey: "Public key",
  disabledKey: "Turned-off key",
  deletedKey: "Deleted key",
  privateJwt: "Private token",
  publicJwt: "Public token",
  expiredJwt: "Expired token",
  unknown: "Unknown key",
};

/** "1 critical, 2 high" — the counts worth a line, most severe first; "no keys found" when none. */
export function summaryLine(s: SiteScanSummary): string {
  const parts = [
    s.critical ? `${s.critical} critical` : "",
    s.high ? `${s.high} high` : "",
    s.willNotWork ? `${plural(s.willNotWork, "key")} that will not work there` : "",
    s.warning ? plural(s.warning, "warning") : "",
    s.info ? `${s.info} info` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no keys found";
}
