import { describe, expect, it } from "vitest";
import { barPercent, exportFileName, formatMoney, formatQuantity, isNegative, monthPeriod, periodLabel, recentMonths } from "../billing";

describe("monthPeriod", () => {
  it("runs from the first to the last day of the month", () => {
    expect(monthPeriod(2026, 10)).toEqual({ from: "2026-10-01", to: "2026-10-31" });
    expect(monthPeriod(2026, 11)).toEqual({ from: "2026-11-01", to: "2026-11-30" });
  });

  it("knows leap years", () => {
    expect(monthPeriod(2028, 2).to).toBe("2028-02-29");
    expect(monthPeriod(2026, 2).to).toBe("2026-02-28");
  });
});

describe("recentMonths", () => {
  it("lists this month first, marked as so far, across a year's end", () => {
    const months = recentMonths(3, new Date("2026-01-15T00:00:00Z"));
    expect(months.map((m) => m.key)).toEqual(["2026-01", "2025-12", "2025-11"]);
    expect(months[0]?.label).toBe("January 2026 (so far)");
    expect(months[1]?.label).toBe("December 2025");
    expect(months[1]?.period).toEqual({ from: "2025-12-01", to: "2025-12-31" });
  });
});

describe("periodLabel", () => {
  it("names a calendar month", () => {
    expect(periodLabel({ from: "2026-10-01", to: "2026-10-31" })).toBe("October 2026");
  });

  it("spells out any other range", () => {
    expect(periodLabel({ from: "2026-10-05", to: "2026-10-20" })).toBe("2026-10-05 to 2026-10-20");
    expect(periodLabel({ from: "2026-10-01", to: "2026-10-30" })).toBe("2026-10-01 to 2026-10-30");
  });
});

describe("formatMoney", () => {
  it("groups and pads without going through a float", () => {
    expect(formatMoney("1234.5")).toBe("$1,234.50");
    expect(formatMoney("1234567890123456789.99")).toBe("$1,234,567,890,123,456,789.99");
    expect(formatMoney("0")).toBe("$0.00");
  });

  it("keeps a rate's extra decimals", () => {
    expect(formatMoney("0.0125")).toBe("$0.0125");
  });

  it("marks negatives with a minus sign and knows other currencies", () => {
    expect(formatMoney("-12.3", "EUR")).toBe("−€12.30");
    expect(formatMoney("7", "CHF")).toBe("7.00 CHF");
  });

  it("writes currencies without a minor unit with no decimals", () => {
    expect(formatMoney("123456", "JPY")).toBe("123,456 JPY");
    expect(formatMoney("-1500", "KRW")).toBe("−1,500 KRW");
    expect(formatMoney("0.15", "JPY")).toBe("0.15 JPY");
  });
});

describe("formatQuantity", () => {
  it("groups and drops trailing zeros", () => {
    expect(formatQuantity("12345.500")).toBe("12,345.5");
    expect(formatQuantity("10.00")).toBe("10");
    expect(formatQuantity("1.23456", 3)).toBe("1.234");
  });
});

describe("isNegative", () => {
  it("is true below zero only", () => {
    expect(isNegative("-0.01")).toBe(true);
    expect(isNegative("-0.00")).toBe(false);
    expect(isNegative("0")).toBe(false);
    expect(isNegative("12.5")).toBe(false);
  });
});

describe("exportFileName", () => {
  it("names a month's export after the client and the format", () => {
    expect(exportFileName("Acme Dental, Inc.", { from: "2026-10-01", to: "2026-10-31" }, "qbo")).toBe(
      "invoice_2026-10_acme-dental-inc_qbo.csv",
    );
  });

  it("names a PDF without the format tag", () => {
    expect(exportFileName("Acme Dental", { from: "2026-10-01", to: "2026-10-31" }, "pdf")).toBe(
      "invoice_2026-10_acme-dental.pdf",
    );
  });

  it("spells out a custom range and never leaves the name empty", () => {
    expect(exportFileName("***", { from: "2026-10-05", to: "2026-10-20" }, "xero")).toBe(
      "invoice_2026-10-05_to_2026-10-20_client_xero.csv",
    );
  });
});

describe("barPercent", () => {
  it("scales to the largest amount, at least 1% when above zero", () => {
    expect(barPercent("50", 200)).toBe(25);
    expect(barPercent("0.001", 200)).toBe(1);
    expect(barPercent("500", 200)).toBe(100);
  });

  it("draws nothing for zero, nothing or a bad scale", () => {
    expect(barPercent(null, 200)).toBe(0);
    expect(barPercent("0", 200)).toBe(0);
    expect(barPercent("10", 0)).toBe(0);
    expect(barPercent("abc", 10)).toBe(0);
  });
});
