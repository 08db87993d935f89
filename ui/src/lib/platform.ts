// The desktop around the window: the clipboard and the back end's events (dialogs are opened by
// the back end itself, so their answers never pass through the page). The
// one module that imports Tauri's plugins and event API (scripts/check-invoke-imports.mjs fails
// `npm run check` on any other importer), so each failure is turned into a BackendError with
// words for the person, here, once.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { writeText } from "@tauri-apps/plugin-clipboard-manager";
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

/** Calls `handler` with each payload of the back end's event `name` until the returned function is called. */
export async function onEvent<T>(name: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  try {
    return await listen<T>(name, (event) => handler(event.payload));
  } catch (error) {
    throw new BackendError("Unknown", `agencydesk could not follow its back end's progress (${detail(error)}). Restart agencydesk.`);
  }
}
