// The save dialog of invoice exports (the only dialog the window is allowed: capabilities grant
// `dialog:allow-save` and nothing else).
//
// Test-only: when the app was started with AGENCYDESK_E2E_SAVE_PATH set, the back end hands that
// path out and no dialog opens (WebDriver cannot drive the native GTK dialog). Everything after
// the dialog (issuing, writing the file) runs exactly as in normal use.
import { exportSavePathOverride } from "./backend";
import { chooseSavePath } from "./platform";

/** The path the person chose, or null when they cancelled the dialog. */
export async function chooseExportPath(suggestedName: string): Promise<string | null> {
  return chooseSavePath(
    { title: "Export invoice as CSV", suggestedName, filter: { name: "CSV file", extensions: ["csv"] } },
    await exportSavePathOverride(),
  );
}
