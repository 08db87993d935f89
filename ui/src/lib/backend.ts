// The one module that talks to the Rust side. Components import these typed functions and never
// `invoke` themselves (scripts/check-invoke-imports.mjs enforces it), so argument names, result
// types and the error shape are defined once, here.
import { invoke } from "@tauri-apps/api/core";
import type { AppStatus } from "./bindings/AppStatus";
import type { ClientOrgView } from "./bindings/ClientOrgView";
import type { Code } from "./bindings/Code";
import type { SessionInfo } from "./bindings/SessionInfo";
// billing
import type { AgencyOverview } from "./bindings/AgencyOverview";
import type { BillingAudit } from "./bindings/BillingAudit";
import type { Bucket } from "./bindings/Bucket";
import type { ChartKind } from "./bindings/ChartKind";
import type { ClientBilling } from "./bindings/ClientBilling";
import type { ExportOutcome } from "./bindings/ExportOutcome";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { Period } from "./bindings/Period";
import type { PlanForm } from "./bindings/PlanForm";
import type { PlanIssue } from "./bindings/PlanIssue";
import type { PlanState } from "./bindings/PlanState";

/** Turns anything caught from a backend call into a BackendError (for catch blocks). */
export function asBackendError(error: unknown): BackendError {
  return error instanceof BackendError ? error : toBackendError(error);
}

/** A failed command, as the Rust side reported it: a stable code to branch on and a plain message. */
export class BackendError extends Error {
  readonly code: Code;

  constructor(code: Code, message: string) {
    super(message);
    this.name = "BackendError";
    this.code = code;
  }
}

// Every code the Rust side can send. `satisfies` makes the compiler check both ways: a code
// removed from the generated type fails here, and so does one added there but not here.
const ALL_CODES = {
  Unknown: true,
  InvalidInput: true,
  NotFound: true,
  Unauthorized: true,
  KeychainUnavailable: true,
  Network: true,
  RateLimited: true,
  DatabaseTooNew: true,
  Cancelled: true,
  Conflict: true,
} as const satisfies Record<Code, true>;

function isCode(value: string): value is Code {
  return Object.hasOwn(ALL_CODES, value);
}

function isPayload(value: unknown): value is { code: string; message: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

function toBackendError(error: unknown): BackendError {
  if (isPayload(error)) {
    // A code this UI does not know yet (a newer back end) is still shown, as Unknown.
    return new BackendError(isCode(error.code) ? error.code : "Unknown", error.message);
  }
  // No Tauri around (the page opened in a plain browser) or a bug on our side.
  const detail = error instanceof Error ? error.message : String(error);
  return new BackendError("Unknown", `agencydesk's back end did not answer (${detail}). Restart agencydesk.`);
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toBackendError(error);
  }
}

// Onboarding and session.
export const getStatus = (): Promise<AppStatus> => call("get_status");
export const startDemo = (): Promise<SessionInfo> => call("start_demo");
export const startReal = (): Promise<SessionInfo> => call("start_real");
export const closeSession = (): Promise<void> => call("close_session");

// Clients.
export const listClients = (): Promise<ClientOrgView[]> => call("list_clients");
/** Sends the private key once; the answer carries at most its fingerprint, never the key. */
export const linkClient = (baseUrl: string, key: string): Promise<ClientOrgView> =>
  call("link_client", { baseUrl, key });
/** Creates a client org through the agency's own key; `baseUrl` null means the agency's. */
export const createClientOrg = (name: string, baseUrl: string | null): Promise<ClientOrgView> =>
  call("create_client_org", { name, baseUrl });
export const refreshClient = (clientId: string): Promise<ClientOrgView> =>
  call("refresh_client", { clientId });
export const unlinkClient = (clientId: string): Promise<void> => call("unlink_client", { clientId });

// --- billing ---
// Plans, invoice previews, exports, charts and the agency overview. Amounts are decimal text.
/** The client's plan for the editor (`saved: false`: a suggested start, nothing stored yet). */
export const getPricingPlan = (clientId: string): Promise<PlanState> => call("get_pricing_plan", { clientId });
/** Every problem of the form, tied to its fields; empty when it can be saved. */
export const checkPricingPlan = (form: PlanForm): Promise<PlanIssue[]> => call("check_pricing_plan", { form });
export const savePricingPlan = (clientId: string, form: PlanForm): Promise<PlanState> =>
  call("save_pricing_plan", { clientId, form });
/** Invoice preview, owner's cost and margin, billing audit and any invoice already issued. */
export const invoicePreview = (clientId: string, period: Period): Promise<ClientBilling> =>
  call("invoice_preview", { clientId, period });
export const billingAudit = (clientId: string, period: Period): Promise<BillingAudit> =>
  call("billing_audit", { clientId, period });
/** An SVG document drawn by the back end from our own data (text escaped there). */
export const clientChart = (clientId: string, period: Period, kind: ChartKind, bucket: Bucket): Promise<string> =>
  call("client_chart", { clientId, period, kind, bucket });
export const agencyOverview = (period: Period, spendAlertUsd: string | null, chart: ChartKind): Promise<AgencyOverview> =>
  call("agency_overview", { period, spendAlertUsd, chart });
/** Issues the invoice (or re-uses the one already issued) and writes the CSV to `path`. */
export const exportInvoiceCsv = (request: ExportRequest, path: string): Promise<ExportOutcome> =>
  call("export_invoice_csv", { request, path });
/** Test-only save path (AGENCYDESK_E2E_SAVE_PATH); null in normal use. See lib/billingExport.ts. */
export const exportSavePathOverride = (): Promise<string | null> => call("export_save_path_override");

export type { AppStatus, ClientOrgView, Code, SessionInfo };
