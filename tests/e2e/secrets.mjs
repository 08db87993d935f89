// The secrets a test put into the app (private keys it pasted or that its simulator seeded). Each
// is appended to the file run.sh names, and run.sh's leak scan (leak-scan.mjs) looks for every one
// of them in everything the run left behind: the data folder, exports, the IPC answers the window
// received and the app's own output.
import { appendFileSync } from "node:fs";

export function rememberSecrets(values) {
  const file = process.env.E2E_SECRETS_FILE;
  if (!file) throw new Error("E2E_SECRETS_FILE is not set: run tests/e2e/run.sh");
  const lines = values.filter((v) => typeof v === "string" && v.length >= 16);
  if (lines.length) appendFileSync(file, lines.map((v) => `${v}\n`).join(""));
}
