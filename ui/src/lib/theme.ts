// The colour theme is a preference of this window, not of the agency, so it stays in local
// storage. "system" follows the OS (app.css's prefers-color-scheme); the others set
// data-theme on <html>, which app.css lets override the system.
export type Theme = "system" | "light" | "dark";

const STORAGE_KEY = "agencydesk.theme";
export const THEMES: readonly { id: Theme; label: string }[] = [
  { id: "system", label: "Same as the system" },
  { id: "light", label: "Light" },
  { id: "dark", label: "Dark" },
];

export function storedTheme(): Theme {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    return raw === "light" || raw === "dark" ? raw : "system";
  } catch {
    return "system";
  }
}

export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === "system") root.removeAttribute("data-theme");
  else root.setAttribute("data-theme", theme);
}

export function setTheme(theme: Theme): void {
  applyTheme(theme);
  try {
    if (theme === "system") globalThis.localStorage?.removeItem(STORAGE_KEY);
    else globalThis.localStorage?.setItem(STORAGE_KEY, theme);
  } catch {
    // Storage unavailable: the theme lasts until the window closes.
  }
}
