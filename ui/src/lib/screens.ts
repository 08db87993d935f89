// The sidebar's destinations, in the order the agency owner's jobs come up (ui-map.md).
// "search" is no destination of its own: the sidebar's search box opens it.
export type ScreenId = "overview" | "clients" | "keys" | "settings" | "search";

export interface ScreenEntry {
  id: ScreenId;
  label: string;
  /** Not built yet: the screen says so plainly instead of pretending. */
  comingSoon: boolean;
}

export const SCREENS: readonly ScreenEntry[] = [
  { id: "overview", label: "Agency overview", comingSoon: false },
  { id: "clients", label: "Clients", comingSoon: false },
  { id: "keys", label: "Key audit", comingSoon: false },
  { id: "settings", label: "Settings", comingSoon: false },
];
