// What a failed backend call becomes in the UI: a stable code to branch on and a plain message.
// Its own module so that backend.ts (commands) and platform.ts (clipboard, dialogs, events) share
// it without importing each other.
import type { Code } from "./bindings/Code";

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
  KeychainLocked: true,
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

export function toBackendError(error: unknown): BackendError {
  if (isPayload(error)) {
    // A code this UI does not know yet (a newer back end) is still shown, as Unknown.
    return new BackendError(isCode(error.code) ? error.code : "Unknown", error.message);
  }
  // No Tauri around (the page opened in a plain browser) or a bug on our side.
  const detail = error instanceof Error ? error.message : String(error);
  return new BackendError("Unknown", `agencydesk's back end did not answer (${detail}). Restart agencydesk.`);
}
