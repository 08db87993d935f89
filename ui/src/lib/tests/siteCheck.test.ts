import { describe, expect, it } from "vitest";
import { summaryLine } from "../siteCheck";

const base = {
  orgId: "o",
  orgName: "Acme",
  scannedAt: "2026-12-05T08:00:00.000Z",
  critical: 0,
  high: 0,
  willNotWork: 0,
  warning: 0,
  info: 0,
};

describe("summaryLine", () => {
  it("lists the counts worth a line, most severe first", () => {
    expect(summaryLine({ ...base, critical: 1, willNotWork: 2, info: 3 })).toBe(
      "1 critical, 2 keys that will not work there, 3 info",
    );
    expect(summaryLine({ ...base, warning: 1 })).toBe("1 warning");
  });

  it("says so when the site had no key", () => {
    expect(summaryLine(base)).toBe("no keys found");
  });
});
