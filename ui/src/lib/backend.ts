// The one module that talks to the Rust side. Components import these typed functions and never
// `invoke` themselves (scripts/check-invoke-imports.mjs enforces it), so argument names, result
// types and the error shape are defined once, here.
import { invoke } from "@tauri-apps/api/core";
import type { AppStatus } from "./bindings/AppStatus";
import type { ClientOrgView } from "./bindings/ClientOrgView";
import type { Code } from "./bindings/Code";
import type { SessionInfo } from "./bindings/SessionInfo";

/** A failed command, as the Rust side reported it: a stable code to branch on and a plain message. */
export class BackendError extends Error {
  readonly code: Code;

  constructor(code: Code, message: string) {
    super(message);
    this.name = "BackendError";
    this.code = code;
  }
}

// Codes the UI can be handed; anything else the Rust side sends is a bug we still show, not hide.
const KNOWN_CODES: ReadonlySet<string> = new Set<Code>(CODES());

function CODES(): Code[] {
  // Listed by hand so the compiler checks each one exists in the generated `Code` type.
  return [];
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
  if (isPayload(error) && KNOWN_CODES.has(error.code)) {
    return new BackendError(error.code as Code, error.message);
  }
  if (isPayload(error)) {
    return new BackendError("internal", error.message);
  }
  // No Tauri around (the page opened in a plain browser) or a bug on our side.
  const detail = error instanceof Error ? error.message : String(error);
  return new BackendError("internal", `The app's back end did not answer (${detail}).`);
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
export const createClientOrg = (name: string, baseUrl: string): Promise<ClientOrgView> =>
  call("create_client_org", { name, baseUrl });
export const refreshClient = (clientId: string): Promise<ClientOrgView> =>
  call("refresh_client", { clientId });
export const unlinkClient = (clientId: string): Promise<void> => call("unlink_client", { clientId });

export type { AppStatus, ClientOrgView, Code, SessionInfo };
