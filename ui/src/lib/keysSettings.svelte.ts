// The rotation age (keys older than this are flagged), set on the Key audit screen and used by
// every key list so the Keys tab and the audit agree. Kept in this window's local storage: it is
// a display preference, and `agencydesk keys audit --max-age-days` takes it on the command line.
const STORAGE_KEY = "agencydesk.keys.rotationAgeDays";
export const DEFAULT_ROTATION_AGE_DAYS = 180;
export const MAX_ROTATION_AGE_DAYS = 3650;

function load(): number | null {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    const days = raw === null || raw === undefined ? NaN : Number(raw);
    return Number.isInteger(days) && days >= 1 && days <= MAX_ROTATION_AGE_DAYS ? days : null;
  } catch {
    return null;
  }
}

export const keySettings = $state({ rotationAgeDays: load() });

/** Saves a valid age (whole days, 1 to 3650); `null` goes back to the default. */
export function setRotationAge(days: number | null): void {
  keySettings.rotationAgeDays = days;
  try {
    if (days === null) globalThis.localStorage?.removeItem(STORAGE_KEY);
    else globalThis.localStorage?.setItem(STORAGE_KEY, String(days));
  } catch {
    // Storage can be unavailable; the setting then lasts until the window closes.
  }
}
