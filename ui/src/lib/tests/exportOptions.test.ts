import { describe, expect, it } from "vitest";
import { accountCodeValid, DATE_FORMATS, parseDueDays, taxNameValid } from "../exportOptions";

describe("parseDueDays", () => {
  it("reads empty as each invoice's own terms and whole days up to 365", () => {
    expect(parseDueDays("")).toBeNull();
    expect(parseDueDays("  ")).toBeNull();
    expect(parseDueDays("0")).toBe(0);
    expect(parseDueDays(" 14 ")).toBe(14);
    expect(parseDueDays("365")).toBe(365);
  });

  it("refuses anything else", () => {
    for (const bad of ["366", "-1", "1.5", "1e2", "ten", "0x10"]) expect(parseDueDays(bad)).toBeUndefined();
  });
});

describe("accountCodeValid", () => {
  it("takes Xero account codes", () => {
    for (const good of ["200", "4000", " 200 ", "REV-01"]) expect(accountCodeValid(good)).toBe(true);
    for (const bad of ["", "=1+1", "-200", "2 00", "12345678901"]) expect(accountCodeValid(bad)).toBe(false);
  });
});

describe("taxNameValid", () => {
  it("refuses names a spreadsheet would read as a formula", () => {
    expect(taxNameValid("Tax Exempt", false)).toBe(true);
    expect(taxNameValid("20% (VAT on Income)", false)).toBe(true);
    expect(taxNameValid("", true)).toBe(true);
    expect(taxNameValid("", false)).toBe(false);
    expect(taxNameValid("=SUM(A1)", true)).toBe(false);
    expect(taxNameValid("＠x", true)).toBe(false);
    expect(taxNameValid("x".repeat(51), true)).toBe(false);
  });
});

describe("DATE_FORMATS", () => {
  it("lists the three formats the back end accepts, each with its example", () => {
    expect(DATE_FORMATS.map((f) => f.id)).toEqual(["day_first", "month_first", "iso"]);
    expect(DATE_FORMATS.map((f) => f.example)).toEqual(["31/10/2026", "10/31/2026", "2026-10-31"]);
  });
});
