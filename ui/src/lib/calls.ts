// Display helpers of the calls view. Costs arrive as exact decimal text and are only
// re-formatted here, never turned into floating-point numbers.
import type { CallSearch } from "./bindings/CallSearch";
import type { CallsQuery } from "./bindings/CallsQuery";

const TYPE_LABELS: Record<string, string> = {
  inboundPhoneCall: "Inbound phone",
  outboundPhoneCall: "Outbound phone",
  webCall: "Web",
  vapi: "Vapi",
};

/** `inboundPhoneCall` -> `Inbound phone`; unknown types are shown as sent. */
export function callTypeLabel(type: string | null): string {
  if (!type) return "—";
  return TYPE_LABELS[type] ?? type;
}

/** `customer-ended-call` -> `Customer ended call`. */
export function endedReasonLabel(reason: string | null): string {
  if (!reason) return "—";
  const words = reason.replace(/[-_.]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Seconds as `m:ss` (or `h:mm:ss`). */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return "—";
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * USD decimal text (`0.013060`) rounded half up to `decimals` places, on the digits themselves
 * (exact whatever the size): `$0.0131` with 4, `$136.69` with 2.
 */
export function formatUsd(amount: string | null, decimals: number): string {
  if (amount === null) return "—";
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (!match) return amount;
  const [, sign = "", whole = "0", fraction = ""] = match;
  const kept = (fraction + "0".repeat(decimals + 1)).slice(0, decimals + 1);
  let units = BigInt(whole + kept.slice(0, decimals));
  if (Number(kept[decimals]) >= 5) units += 1n;
  const text = units.toString().padStart(decimals + 1, "0");
  const intPart = decimals > 0 ? text.slice(0, -decimals) : text;
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const negative = sign === "-" && units !== 0n;
  return `${negative ? "−" : ""}$${grouped}${decimals > 0 ? `.${text.slice(-decimals)}` : ""}`;
}

/** A call's cost: four decimals, since most calls cost a fraction of a cent. */
export function formatCallCost(cost: string | null): string {
  return formatUsd(cost, 4);
}

/** Local date and time of an ISO timestamp, e.g. `22 Nov 2026, 18:03`. */
export function formatCallTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** The start of a local calendar day picked in a date input (`2026-11-03`), as ISO UTC. */
export function localDayStart(date: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The start of the local day after `date`: the exclusive end of a range that includes `date`. */
export function localDayEnd(date: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** `1,918 calls`, `1 call`. */
export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}

export interface CallFilters {
  /** `YYYY-MM-DD` from a date input, or empty. */
  from: string;
  to: string;
  /** Assistant id, or empty for every assistant. */
  assistantId: string;
}

/** The query for the first page of `orgId`'s calls under `filters`. */
export function callsQuery(orgId: string, filters: CallFilters, limit: number): CallsQuery {
  const query: CallsQuery = { orgId, limit };
  const from = filters.from ? localDayStart(filters.from) : undefined;
  const to = filters.to ? localDayEnd(filters.to) : undefined;
  if (from) query.from = from;
  if (to) query.to = to;
  if (filters.assistantId) query.assistantId = filters.assistantId;
  return query;
}

export function hasFilters(filters: CallFilters): boolean {
  return Boolean(filters.from || filters.to || filters.assistantId);
}

/** Who said a line of the conversation. */
export function speakerLabel(role: string, toolName: string | null): string {
  switch (role) {
    case "assistant":
      return "Assistant";
    case "customer":
      return "Customer";
    case "system":
      return "System prompt";
    case "tool-calls":
      return "Tool call";
    case "tool-result":
      return toolName ? `Tool result (${toolName})` : "Tool result";
    default:
      return role;
  }
}

/** Minutes as Vapi bills them: `2.5042 min`, or `—`. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null || !Number.isFinite(minutes)) return "—";
  return `${minutes.toLocaleString("en", { maximumFractionDigits: 4 })} min`;
}

/** Whether a key press belongs to a text field (global shortcuts leave those alone). */
export function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

/** The next index for an arrow key in a list of `count` (none past either end). */
export function stepIndex(index: number, key: string, count: number): number | null {
  const step = key === "ArrowDown" || key === "ArrowRight" ? 1 : key === "ArrowUp" || key === "ArrowLeft" ? -1 : 0;
  if (step === 0) return null;
  const next = index + step;
  return next >= 0 && next < count ? next : null;
}

export interface SearchFilters {
  /** Client org id, or empty for every client. */
  orgId: string;
  assistantId: string;
  /** `YYYY-MM-DD` from date inputs, or empty; both days included. */
  from: string;
  to: string;
  endedReason: string;
  /** USD as typed, or empty. */
  minCost: string;
  maxCost: string;
}

export const NO_SEARCH_FILTERS: SearchFilters = {
  orgId: "",
  assistantId: "",
  from: "",
  to: "",
  endedReason: "",
  minCost: "",
  maxCost: "",
};

/** The search for the first page of `text` under `filters` (empty filters left out). */
export function searchQuery(text: string, filters: SearchFilters, limit: number): CallSearch {
  const search: CallSearch = { text, limit };
  const from = filters.from ? localDayStart(filters.from) : undefined;
  const to = filters.to ? localDayEnd(filters.to) : undefined;
  if (from) search.from = from;
  if (to) search.to = to;
  if (filters.orgId) search.orgId = filters.orgId;
  if (filters.assistantId) search.assistantId = filters.assistantId;
  if (filters.endedReason.trim()) search.endedReason = filters.endedReason.trim();
  if (filters.minCost.trim()) search.minCost = filters.minCost.trim();
  if (filters.maxCost.trim()) search.maxCost = filters.maxCost.trim();
  return search;
}
