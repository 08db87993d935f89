import { describe, expect, it } from "vitest";
import {
  callTypeLabel,
  callsQuery,
  countOf,
  endedReasonLabel,
  formatCallCost,
  formatDuration,
  formatMinutes,
  formatUsd,
  hasFilters,
  localDayEnd,
  localDayStart,
  NO_SEARCH_FILTERS,
  searchQuery,
  speakerLabel,
  stepIndex,
} from "../calls";

describe("labels", () => {
  it("words call types, keeping unknown ones as sent", () => {
    expect(callTypeLabel("inboundPhoneCall")).toBe("Inbound phone");
    expect(callTypeLabel("webCall")).toBe("Web");
    expect(callTypeLabel("smsCall")).toBe("smsCall");
    expect(callTypeLabel(null)).toBe("—");
  });

  it("turns an ended reason into a sentence", () => {
    expect(endedReasonLabel("customer-ended-call")).toBe("Customer ended call");
    expect(endedReasonLabel("pipeline-error.openai_failed")).toBe("Pipeline error openai failed");
    expect(endedReasonLabel(null)).toBe("—");
  });
});

describe("formatDuration", () => {
  it("shows m:ss, or h:mm:ss past an hour", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(65.4)).toBe("1:05");
    expect(formatDuration(3725)).toBe("1:02:05");
  });

  it("shows a dash for no or nonsense durations", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(-3)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
  });
});

describe("formatUsd", () => {
  it("rounds half up on the digits", () => {
    expect(formatUsd("0.013060", 4)).toBe("$0.0131");
    expect(formatUsd("0.01305", 4)).toBe("$0.0131");
    expect(formatUsd("0.01304", 4)).toBe("$0.0130");
    expect(formatUsd("136.685", 2)).toBe("$136.69");
    expect(formatUsd("9.995", 2)).toBe("$10.00");
  });

  it("stays exact beyond a float's precision and groups thousands", () => {
    expect(formatUsd("123456789012345678.125", 2)).toBe("$123,456,789,012,345,678.13");
    expect(formatUsd("1234", 0)).toBe("$1,234");
  });

  it("keeps the sign, except for what rounds to zero", () => {
    expect(formatUsd("-1.5", 2)).toBe("−$1.50");
    expect(formatUsd("-0.00001", 2)).toBe("$0.00");
  });

  it("passes text that is not a number through, and shows a dash for none", () => {
    expect(formatUsd("n/a", 2)).toBe("n/a");
    expect(formatUsd(null, 2)).toBe("—");
    expect(formatCallCost("0.0725")).toBe("$0.0725");
  });
});

describe("local days", () => {
  it("starts a picked day at local midnight and ends it at the next", () => {
    const start = localDayStart("2026-03-10");
    const end = localDayEnd("2026-03-10");
    expect(start).toBe(new Date(2026, 2, 10).toISOString());
    expect(end).toBe(new Date(2026, 2, 11).toISOString());
  });

  it("refuses text that is not a date", () => {
    expect(localDayStart("10/03/2026")).toBeUndefined();
    expect(localDayEnd("")).toBeUndefined();
  });
});

describe("countOf", () => {
  it("groups and picks singular or plural", () => {
    expect(countOf(1, "call")).toBe("1 call");
    expect(countOf(1918, "call")).toBe("1,918 calls");
  });
});

describe("callsQuery", () => {
  it("asks for everything without filters", () => {
    const empty = { from: "", to: "", assistantId: "" };
    expect(callsQuery("org-1", empty, 200)).toEqual({ orgId: "org-1", limit: 200 });
    expect(hasFilters(empty)).toBe(false);
  });

  it("turns picked days into an inclusive range and keeps the assistant", () => {
    const filters = { from: "2026-03-01", to: "2026-03-31", assistantId: "asst-9" };
    expect(callsQuery("org-1", filters, 50)).toEqual({
      orgId: "org-1",
      limit: 50,
      from: new Date(2026, 2, 1).toISOString(),
      to: new Date(2026, 3, 1).toISOString(),
      assistantId: "asst-9",
    });
    expect(hasFilters(filters)).toBe(true);
    expect(hasFilters({ from: "", to: "", assistantId: "asst-9" })).toBe(true);
  });
});

describe("call detail", () => {
  it("names speakers, keeping unknown roles as sent", () => {
    expect(speakerLabel("assistant", null)).toBe("Assistant");
    expect(speakerLabel("customer", null)).toBe("Customer");
    expect(speakerLabel("tool-result", "checkAvailability")).toBe("Tool result (checkAvailability)");
    expect(speakerLabel("narrator", null)).toBe("narrator");
  });

  it("shows billed minutes to four decimals", () => {
    expect(formatMinutes(2.50421)).toBe("2.5042 min");
    expect(formatMinutes(null)).toBe("—");
  });

  it("steps through a list with the arrow keys, stopping at both ends", () => {
    expect(stepIndex(0, "ArrowDown", 3)).toBe(1);
    expect(stepIndex(1, "ArrowLeft", 3)).toBe(0);
    expect(stepIndex(2, "ArrowRight", 3)).toBeNull();
    expect(stepIndex(0, "ArrowUp", 3)).toBeNull();
    expect(stepIndex(1, "Enter", 3)).toBeNull();
  });
});

describe("search", () => {
  it("leaves out empty filters and trims what was typed", () => {
    expect(searchQuery("root canal", NO_SEARCH_FILTERS, 50)).toEqual({ text: "root canal", limit: 50 });
    const q = searchQuery("x", { ...NO_SEARCH_FILTERS, orgId: "o1", endedReason: " voicemail ", minCost: "0.10 " }, 20);
    expect(q).toEqual({ text: "x", limit: 20, orgId: "o1", endedReason: "voicemail", minCost: "0.10" });
    const dated = searchQuery("x", { ...NO_SEARCH_FILTERS, from: "2026-11-03", to: "2026-11-03" }, 20);
    expect(new Date(dated.to!).getTime() - new Date(dated.from!).getTime()).toBe(24 * 3600 * 1000);
  });
});
