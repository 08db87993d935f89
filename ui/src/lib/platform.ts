// The desktop around the window: the clipboard, the save dialog and the back end's events. The
// one module that imports Tauri's plugins and event API (scripts/check-invoke-imports.mjs fails
// `npm run check` on any other importer), so each failure is turned into a BackendError with
// words for the person, here, once.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { writeText } from "@tauri-apps/plugin-clipboard-manager";
import { save } from "@tauri-apps/plugin-dialog";
import { BackendError } from "./errors";

export type { UnlistenFn };

function detail(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Puts text on the system clipboard (write only: the window never reads it). */
export async function copyText(text: string): Promise<void> {
  try {
    await writeText(text);
  } catch (error) {
    throw new BackendError("Unknown", `The text could not be put on the clipboard (${detail(error)}). Select it and copy it by hand.`);
  }
}

export interface SaveOptions {
  title: string;
  suggestedName: string;
  /** One file type, e.g. `{ name: "CSV file", extensions: ["csv"] }`. */
  filter: { name: string; extensions: string[] };
}

/**
 * The path chosen in the system's save dialog, or null when the person cancelled it.
 *
 * `override` is a path decided before any dialog (the e2e tests' AGENCYDESK_E2E_SAVE_PATH, since
 * WebDriver cannot drive the native GTK dialog): when it is set no dialog opens and it is the
 * answer. An empty override counts as none.
 */
export async function chooseSavePath(options: SaveOptions, override: string | null = null): Promise<string | null> {
  if (override) return override;
  try {
    return await save({ title: options.title, defaultPath: options.suggestedName, filters: [options.filter] });
  } catch (error) {
    throw new BackendError("Unknown", `The save dialog could not open (${detail(error)}). Restart agencydesk and try again.`);
  }
}

/** Calls `handler` with each payload of the back end's event `name` until the returned function is called. */
export async function onEvent<T>(name: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  try {
    return await listen<T>(name, (event) => handler(event.payload));
  } catch (error) {
    throw new BackendError("Unknown", `agencydesk could not follow its back end's progress (${detail(error)}). Restart agencydesk.`);
  }
}
