// Runs the agencydesk binary with its own data folder; the keychain is the one run.sh started.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { app, work } from "./env.mjs";

export function newDataDir(label) {
  return mkdtempSync(join(work, `data-${label}-`));
}

/** `{ status, stdout, stderr }`; never throws on a non-zero exit (tests assert on it). */
export function agencydesk(dataDir, args, input) {
  const result = spawnSync(app, args, {
    input: input ?? "",
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, AGENCYDESK_DATA_DIR: dataDir, RUST_LOG: "warn" },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like `agencydesk` but fails the test with the command's own words when it does not exit 0. */
export function agencydeskOk(dataDir, args, input) {
  const result = agencydesk(dataDir, args, input);
  if (result.status !== 0) {
    throw new Error(`agencydesk ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  }
  return result;
}

/** Links the org whose private key is `privateKey` (read from stdin, as a user would pipe it). */
export function linkClient(dataDir, baseUrl, privateKey) {
  return agencydeskOk(dataDir, ["clients", "link", "--base-url", baseUrl], `${privateKey}\n`);
}
