// Display helpers for public keys, the key audit and snippets: labels, tones and the edit form's
// starting values. Decisions (what is safe, what a key allows) come from the back end; this file
// only words and arranges them.
import type { AssistantView } from "./bindings/AssistantView";
import type { Finding } from "./bindings/Finding";
import type { PublicKeyView } from "./bindings/PublicKeyView";
import type { RestrictionsRequest } from "./bindings/RestrictionsRequest";
import type { Severity } from "./bindings/Severity";
import type { SnippetKind } from "./bindings/SnippetKind";

export interface SnippetKindInfo {
  kind: SnippetKind;
  label: string;
  /** One line: who it is for. */
  hint: string;
  /** Embeds the public key in the page (the others keep the private key on a server). */
  embedsKey: boolean;
}

export const SNIPPET_KINDS: readonly SnippetKindInfo[] = [
  { kind: "script-tag", label: "Script tag (widget)", hint: "Paste into any page: a floating call button, no build step.", embedsKey: true },
  { kind: "web-sdk", label: "Web SDK (npm)", hint: "For sites built with a bundler: @vapi-ai/web.", embedsKey: true },
  { kind: "react", label: "React component", hint: "A call button component around @vapi-ai/web.", embedsKey: true },
  { kind: "jwt-node", label: "Short-lived tokens: Node/Express", hint: "A server endpoint mints a token per visit; no key in the page.", embedsKey: false },
  { kind: "jwt-worker", label: "Short-lived tokens: Cloudflare Worker", hint: "The same endpoint as a Worker.", embedsKey: false },
  { kind: "jwt-python", label: "Short-lived tokens: Python", hint: "The same endpoint with Python's standard library.", embedsKey: false },
  { kind: "proxy", label: "Proxy", hint: "Your server forwards calls to Vapi and adds the private key.", embedsKey: false },
];

export function snippetKindInfo(kind: SnippetKind): SnippetKindInfo {
  return SNIPPET_KINDS.find((k) => k.kind === kind) ?? SNIPPET_KINDS[0]!;
}

export function keyName(key: Pick<PublicKeyView, "name" | "id">): string {
  return key.name?.trim() || `Unnamed key ${key.id.slice(0, 8)}`;
}

export const SEVERITY_LABEL: Record<Severity, string> = { high: "High", medium: "Medium", low: "Low" };

/** Findings that make a key unsafe enough to say so on its card. */
export function worstSeverity(findings: readonly Finding[]): Severity | null {
  if (findings.some((f) => f.severity === "high")) return "high";
  if (findings.some((f) => f.severity === "medium")) return "medium";
  if (findings.some((f) => f.severity === "low")) return "low";
  return null;
}

/** "12 Mar 2026" for an ISO time; the raw value when it does not parse. */
export function shortDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

export function assistantLabel(assistant: AssistantView): string {
  return assistant.name?.trim() || `Unnamed assistant ${assistant.id.slice(0, 8)}`;
}

/** The edit form's starting values: what the key allows now, as the form's fields. */
export function requestFromKey(key: PublicKeyView): RestrictionsRequest {
  const r = key.restrictions;
  const origins = r.allowedOrigins ?? [];
  const assistants = r.allowedAssistantIds ?? [];
  return {
    origins: origins.length > 0 ? [...origins] : [""],
    assistantIds: [...assistants],
    anyOrigin: origins.length === 0,
    anyAssistant: assistants.length === 0,
    // Vapi allows transient assistants unless told otherwise or assistants are listed.
    allowTransient: assistants.length === 0 && r.allowTransientAssistant !== false,
    overrideReason: null,
  };
}

/** A new key's starting values: the safe defaults, nothing widened. */
export function emptyRequest(): RestrictionsRequest {
  return { origins: [""], assistantIds: [], anyOrigin: false, anyAssistant: false, allowTransient: false, overrideReason: null };
}

/** Enabled keys first, then by name: the order pickers offer them in. */
export function pickerOrder(keys: readonly PublicKeyView[]): PublicKeyView[] {
  return [...keys].sort((a, b) => Number(b.enabled) - Number(a.enabled) || keyName(a).localeCompare(keyName(b)));
}
