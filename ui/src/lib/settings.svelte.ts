// The agency's settings (key rotation age), stored in SQLite by the back end so the window and the
// CLI (`agencydesk keys audit`) agree. This module keeps the last values read, for the screens
// that only pass them along (key lists, snippets). Spend alerts are thresholds of their own
// (`alerts.svelte.ts`), the background sync interval is saved by its panel.
import { getSettings, updateSettings } from "./backend";
import type { AgencySettings } from "./bindings/AgencySettings";

export const DEFAULT_ROTATION_AGE_DAYS = 180;
export const MAX_ROTATION_AGE_DAYS = 3650;

interface SettingsState {
  /** `null` until read: the back end then applies its own default. */
  rotationAgeDays: number | null;
}

export const settings: SettingsState = $state({ rotationAgeDays: null });

function keep(saved: AgencySettings): AgencySettings {
  settings.rotationAgeDays = saved.keyRotationMaxAgeDays;
  return saved;
}

/** Reads the open agency's settings (each agency, demo or real, has its own). */
export async function loadSettings(): Promise<AgencySettings> {
  return keep(await getSettings());
}

/** Forgets the values of a closed agency. */
export function forgetSettings(): void {
  settings.rotationAgeDays = null;
}

/** Saves the key rotation age; the back end validates it. */
export async function saveSettings(change: { rotationAgeDays: number }): Promise<AgencySettings> {
  return keep(await updateSettings({ keyRotationMaxAgeDays: change.rotationAgeDays }));
}
