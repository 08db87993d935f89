// What to do next, per error code, in words for a non-developer. The back end's message says what
// went wrong; this adds the next step when the UI can name one.
import type { Code } from "./bindings/Code";

const ADVICE: Partial<Record<Code, string>> = {};

export function adviceFor(code: Code): string | null {
  return ADVICE[code] ?? null;
}
