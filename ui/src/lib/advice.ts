// What to do next, per error code, in words for a non-developer. The back end's message already
// says what went wrong and usually what to do; this adds the step the app itself can point at.
import type { Code } from "./bindings/Code";

const ADVICE: Record<Code, string | null> = {
  Unknown: null,
  InvalidInput: null,
  NotFound: "Refresh the list: it may have changed in the meantime.",
  Unauthorized: "Paste the org's current private API key to connect it again.",
  KeychainUnavailable:
    "agencydesk keeps keys only in your system keychain. Until it is available you can still explore the demo agency.",
  KeychainLocked: "Unlock your keyring in your desktop (the keys are still there), then try again.",
  Network: "Check your internet connection, then try again.",
  RateLimited: "Vapi asked to slow down. Wait a minute, then try again.",
  DatabaseTooNew: "This data was written by a newer agencydesk. Install the newer version to open it.",
  Cancelled: null,
  Conflict: "Refresh the list and check which org this key belongs to.",
};

export function adviceFor(code: Code): string | null {
  return ADVICE[code];
}
