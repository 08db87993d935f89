// Billing display helpers: billing periods, and amounts shown exactly as the back end computed
// them. Amounts arrive as decimal text and are only re-formatted here (grouping, two decimals),
// never turned into floating-point numbers.
import type { ChartKind } from "./bindings/ChartKind";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { MinuteRounding } from "./bindings/MinuteRounding";
import type { Period } from "./bindings/Period";

const pad = (n: number) => String(n).padStart(2, "0");

/** The calendar month `year`-`month` (1-12), in UTC days like the back end. */
export function monthPeriod(year: number, month: number): Period {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(last)}` };
}

export interface MonthOption {
  /** `2026-10` */
  key: string;
  label: string;
  period: Period;
}

/** This month and the `count - 1` before it, newest first. */
export function recentMonths(count: number, today: Date = new Date()): MonthOption[] {
  const options: MonthOption[] = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - i, 1));
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    const name = d.toLocaleString("en", { month: "long", year: "numeric", timeZone: "UTC" });
    options.push({
      key: `${year}-${pad(month)}`,
      label: i === 0 ? `${name} (so far)` : name,
      period: monthPeriod(year, month),
    });
  }
  return options;
}

/** `October 2026`, or `2026-10-05 to 2026-10-20` for a range that is not a calendar month. */
export function periodLabel(period: Period): string {
  const [y, m] = period.from.split("-").map(Number);
  if (y !== undefined && m !== undefined) {
    const month = monthPeriod(y, m);
    if (month.from === period.from && month.to === period.to) {
      return new Date(Date.UTC(y, m - 1, 1)).toLocaleString("en", { month: "long", year: "numeric", timeZone: "UTC" });
    }
  }
  return `${period.from} to ${period.to}`;
}

const SYMBOLS: Record<string, string> = { USD: "$", EUR: "€", GBP: "£", CAD: "CA$", AUD: "A$", NZD: "NZ$" };

/** ISO 4217 currencies without a minor unit (the same list as core's `billing::money`). */
const NO_MINOR_UNIT = new Set([
  "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF",
]);

/**
 * `1234.5` in USD -> `$1,234.50`; `1234` in JPY -> `1,234 JPY` (no minor unit, no decimals). Exact:
 * the text is regrouped, not parsed into a number. Amounts with more decimals (rates) keep them.
 */
export function formatMoney(amount: string, currency = "USD"): string {
  const text = amount.trim();
  const negative = text.startsWith("-");
  const [whole = "0", fraction = ""] = text.replace(/^[-+]/, "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const minor = NO_MINOR_UNIT.has(currency) ? 0 : 2;
  const digits = fraction.replace(/0+$/, "").length > minor ? fraction : fraction.slice(0, minor).padEnd(minor, "0");
  const number = digits ? `${grouped}.${digits}` : grouped;
  const symbol = SYMBOLS[currency];
  const body = symbol ? `${symbol}${number}` : `${number} ${currency}`;
  return negative ? `−${body}` : body;
}

/** A quantity such as minutes: grouped, without trailing zeros beyond `maxDecimals`. */
export function formatQuantity(value: string, maxDecimals = 2): string {
  const [whole = "0", fraction = ""] = value.trim().split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const kept = fraction.slice(0, maxDecimals).replace(/0+$/, "");
  return kept ? `${grouped}.${kept}` : grouped;
}

/** True for decimal text below zero (text compared, not parsed into a float). */
export function isNegative(amount: string): boolean {
  return /^-\s*\d*\.?\d*[1-9]/.test(amount.trim());
}

export const ROUNDING_LABELS: Record<MinuteRounding, string> = {
  exact_seconds: "Exact seconds",
  up_to_6s: "Round each call up to 6 seconds",
  up_to_30s: "Round each call up to 30 seconds",
  up_to_60s: "Round each call up to the minute",
};

export const CHART_KINDS: readonly { kind: ChartKind; label: string }[] = [
  { kind: "cost", label: "Cost per day" },
  { kind: "cost_by_component", label: "Components" },
  { kind: "minutes_and_calls", label: "Minutes & calls" },
  { kind: "margin", label: "Margin" },
];

export const EXPORT_FORMATS: readonly { format: ExportFormat; label: string; hint: string }[] = [
  { format: "qbo", label: "QuickBooks Online", hint: "Sales › Invoices › Import invoices; dates as MM/DD/YYYY." },
  { format: "xero", label: "Xero", hint: "Sales › Invoices › Import; dates as DD/MM/YYYY, account 200." },
  { format: "generic", label: "Generic CSV", hint: "Every field, one row per invoice line, ISO dates." },
];

/** `report_2026-10_acme-dental.pdf`: the client report's suggested file name. */
export function reportFileName(clientName: string, month: Period): string {
  return exportFileName(clientName, month, "pdf").replace(/^invoice_/, "report_");
}

/**
 * `invoice_2026-10_acme-dental_qbo.csv` (`invoice_2026-10_acme-dental.pdf` for a PDF): a file name
 * the save dialog starts with.
 */
export function exportFileName(clientName: string, period: Period, format: ExportFormat): string {
  const slug =
    clientName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "client";
  const month = monthPeriod(Number(period.from.slice(0, 4)), Number(period.from.slice(5, 7)));
  const tag = month.from === period.from && month.to === period.to ? period.from.slice(0, 7) : `${period.from}_to_${period.to}`;
  return format === "pdf" ? `invoice_${tag}_${slug}.pdf` : `invoice_${tag}_${slug}_${format}.csv`;
}

/** A bar length in percent of `max`, for display only (amounts are never computed in floats). */
export function barPercent(amount: string | null, max: number): number {
  const value = Number(amount ?? "0");
  if (!Number.isFinite(value) || value <= 0 || max <= 0) return 0;
  return Math.max(1, Math.min(100, (value / max) * 100));
}
