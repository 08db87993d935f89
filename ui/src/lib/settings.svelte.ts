// The agency's settings (key rotation age, spend alert), stored in SQLite by the back end so the
// window and the CLI (`agencydesk keys audit`) agree. This module keeps the last values read, for
// the screens that only pass them along (key lists, snippets), and saves both fields at once.
import { getSettings, updateSettings } from "./backend";
import type { AgencySettings } from "./bindings/AgencySettings";

export const DEFAULT_ROTATION_AGE_DAYS = 180;
export const MAX_ROTATION_AGE_DAYS = 3650;

interface SettingsState {
  /** `null` until read: the back end then applies its own default. */
  rotationAgeDays: number | null;
  spendAlertUsd: string | null;
}

export const settings: SettingsState = $state({ rotationAgeDays: null, spendAlertUsd: null });

function keep(saved: AgencySettings): AgencySettings {
  settings.rotationAgeDays = saved.keyRotationMaxAgeDays;
  settings.spendAlertUsd = saved.spendAlertUsd;
  return saved;
}

/** Reads the open agency's settings (each agency, demo or real, has its own). */
export async function loadSettings(): Promise<AgencySettings> {
  return keep(await getSettings());
}

/** Forgets the values of a closed agency. */
export function forgetSettings(): void {
  settings.rotationAgeDays = null;
  settings.spendAlertUsd = null;
}

/** Saves the fields given, keeping the others as last saved; the back end validates both. */
export async function saveSettings(change: { rotationAgeDays?: number; spendAlertUsd?: string | null }): Promise<AgencySettings> {
  const current = settings.rotationAgeDays === null ? await loadSettings() : null;
  return keep(
    await updateSettings({
      keyRotationMaxAgeDays: change.rotationAgeDays ?? settings.rotationAgeDays ?? current?.keyRotationMaxAgeDays ?? DEFAULT_ROTATION_AGE_DAYS,
      spendAlertUsd: change.spendAlertUsd !== undefined ? change.spendAlertUsd : settings.spendAlertUsd,
    }),
  );
}
