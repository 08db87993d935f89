// The save dialog of invoice exports, through the dialog plugin's JS API (the only dialog the
// window is allowed: capabilities grant `dialog:allow-save` and nothing else).
//
// Test-only: when the app was started with AGENCYDESK_E2E_SAVE_PATH set, the back end hands that
// path out and no dialog opens (WebDriver cannot drive the native GTK dialog). Everything after
// the dialog (issuing, writing the file) runs exactly as in normal use.
import { save } from "@tauri-apps/plugin-dialog";
import { BackendError, exportSavePathOverride } from "./backend";

/** The path the person chose, or null when they cancelled the dialog. */
export async function chooseExportPath(suggestedName: string): Promise<string | null> {
  const override = await exportSavePathOverride();
  if (override) return override;
  try {
    return await save({
      title: "Export invoice as CSV",
      defaultPath: suggestedName,
      filters: [{ name: "CSV file", extensions: ["csv"] }],
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new BackendError("Unknown", `The save dialog could not open (${detail}). Restart agencydesk and try again.`);
  }
}
