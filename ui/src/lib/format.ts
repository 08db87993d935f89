// Small display helpers shared by the screens.
import type { OrgStatus } from "./bindings/OrgStatus";

/**
 * A key's fingerprint as shown: core already makes it a short, non-reversible tag ("…1a2b3c4d");
 * anything longer is cut to its tail, so a mistake upstream can never put a whole value on screen.
 */
export function maskFingerprint(fingerprint: string): string {
  const tail = fingerprint.replace(/^…/, "").slice(-8);
  return `…${tail}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "3 minutes ago"-style text for a past ISO timestamp; the exact time goes in a tooltip. */
export function timeAgo(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (Number.isNaN(seconds)) return "unknown";
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${plural(minutes, "minute")} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${plural(hours, "hour")} ago`;
  const days = Math.round(hours / 24);
  return `${plural(days, "day")} ago`;
}

export interface StatusDisplay {
  label: string;
  tone: "ok" | "warn" | "bad";
  hint: string;
}

/** A client org's status as a short label, a colour and a sentence saying what it means. */
export function orgStatus(status: OrgStatus): StatusDisplay {
  switch (status) {
    case "linked":
      return { label: "Connected", tone: "ok", hint: "Its private key is in your keychain and Vapi accepts it." };
    case "pending_key":
      return {
        label: "Key needed",
        tone: "warn",
        hint: "Created from your agency account; paste this org's own private key to manage it.",
      };
    case "key_rejected":
      return {
        label: "Key rejected",
        tone: "bad",
        hint: "Vapi refused the stored key (revoked or replaced). Connect the client again with its new key.",
      };
    case "key_missing":
      return {
        label: "Key missing",
        tone: "bad",
        hint: "Its key is no longer in your keychain (removed outside agencydesk). Link this org again with its private key.",
      };
  }
}
