// The client page's tabs, one per job (ui-map.md). Each tab is its own component in this folder.
export type ClientTabId = "overview" | "keys" | "snippets" | "calls" | "billing";

export const CLIENT_TABS: readonly { id: ClientTabId; label: string }[] = [
  { id: "overview", label: "Overview" },
  { id: "keys", label: "Keys" },
  { id: "snippets", label: "Snippets" },
  { id: "calls", label: "Calls" },
  { id: "billing", label: "Billing" },
];
