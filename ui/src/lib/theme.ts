// The colour theme is a preference of this window, not of the agency, so it stays in local
// storage. app.css writes every colour as light-dark(light, dark); the theme only picks which
// applies, through color-scheme on <html> ("light dark" leaves the choice to the system).
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

/** The CSS color-scheme of a theme. */
export function colorScheme(theme: Theme): "light dark" | "light" | "dark" {
  return theme === "system" ? "light dark" : theme;
}

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  root.style.colorScheme = colorScheme(theme);
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
