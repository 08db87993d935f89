// The accountants' export options as the Settings form edits them: the closed list of date
// formats, and quick checks of the typed text before the back end (which has the final word and
// says why) is asked to save.
import type { DateFormat } from "./bindings/DateFormat";

export interface DateFormatChoice {
  id: DateFormat;
  /** As people write it. */
  pattern: string;
  /** 31 October 2026 in this format. */
  example: string;
}

export const DATE_FORMATS: readonly DateFormatChoice[] = [
  { id: "day_first", pattern: "DD/MM/YYYY", example: "31/10/2026" },
  { id: "month_first", pattern: "MM/DD/YYYY", example: "10/31/2026" },
  { id: "iso", pattern: "YYYY-MM-DD", example: "2026-10-31" },
];

export const MAX_DUE_DAYS = 365;

/**
 * The due days typed: `null` for empty (each invoice keeps its own terms), a whole number of days
 * from 0 to 365, or `undefined` when the text is neither.
 */
export function parseDueDays(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  if (!/^\d{1,3}$/.test(trimmed)) return undefined;
  const days = Number(trimmed);
  return days <= MAX_DUE_DAYS ? days : undefined;
}

/** A Xero account code: 1 to 10 letters, digits, "-", "_" or ".", starting with a letter or digit. */
export function accountCodeValid(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,9}$/.test(text.trim());
}

/** A tax rate name: at most 50 characters, not starting like a spreadsheet formula. */
export function taxNameValid(text: string, mayBeEmpty: boolean): boolean {
  const trimmed = text.trim();
  if (trimmed === "") return mayBeEmpty;
  return [...trimmed].length <= 50 && !/^[=+\-@＝＋－＠﹦﹢﹣﹫]/.test(trimmed) && !/[\u0000-\u001f\u007f]/.test(trimmed);
}
