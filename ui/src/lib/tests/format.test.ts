import { describe, expect, it } from "vitest";
import { maskFingerprint, orgStatus, plural, timeAgo } from "../format";

describe("maskFingerprint", () => {
  it("keeps core's short tag as it is", () => {
    expect(maskFingerprint("…1a2b3c4d")).toBe("…1a2b3c4d");
  });

  it("cuts anything longer to its last 8 characters", () => {
    expect(maskFingerprint("sk_live_0123456789abcdef")).toBe("…89abcdef");
    expect(maskFingerprint("…0123456789abcdef")).toBe("…89abcdef");
  });
});

describe("plural", () => {
  it("uses the singular for one only", () => {
    expect(plural(1, "key")).toBe("1 key");
    expect(plural(0, "key")).toBe("0 keys");
    expect(plural(3, "finding")).toBe("3 findings");
    expect(plural(2, "person", "people")).toBe("2 people");
  });
});

describe("timeAgo", () => {
  const now = new Date("2026-11-20T12:00:00Z");
  it.each([
    ["2026-11-20T11:59:30Z", "just now"],
    ["2026-11-20T11:59:00Z", "1 minute ago"],
    ["2026-11-20T11:15:00Z", "45 minutes ago"],
    ["2026-11-20T09:00:00Z", "3 hours ago"],
    ["2026-11-18T12:00:00Z", "2 days ago"],
  ])("%s is %s", (iso, words) => {
    expect(timeAgo(iso, now)).toBe(words);
  });

  it("says unknown for a time it cannot read", () => {
    expect(timeAgo("not a date", now)).toBe("unknown");
  });
});

describe("orgStatus", () => {
  it("gives each status a label and a tone", () => {
    expect(orgStatus("linked")).toMatchObject({ label: "Connected", tone: "ok" });
    expect(orgStatus("pending_key")).toMatchObject({ label: "Key needed", tone: "warn" });
    expect(orgStatus("key_rejected")).toMatchObject({ label: "Key rejected", tone: "bad" });
    expect(orgStatus("key_missing")).toMatchObject({ label: "Key missing", tone: "bad" });
  });
});
