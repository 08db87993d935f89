// The real agency in the real window, with a real keychain: "Connect your Vapi account", then the
// Connect dialog links a client org by its private key into the throwaway Secret Service run.sh
// started (under the test-only service name it chose, never `agencydesk`), and a sync reads its
// calls. The key must then be in that keychain and nowhere else: not on screen, not in the data
// folder; run.sh's leak scan checks every IPC answer and the app's output for it afterwards.
// The real agency's files are parked outside the data folder at the end, so the suites after this
// one start on the first-run screen again.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { rememberSecrets } from "./secrets.mjs";
import { Session, until } from "./webdriver.mjs";

const { E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM, E2E_PARKED_DIR, AGENCYDESK_DATA_DIR, AGENCYDESK_E2E_KEYCHAIN_SERVICE } =
  process.env;
for (const [name, value] of Object.entries({
  E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM, E2E_PARKED_DIR, AGENCYDESK_DATA_DIR, AGENCYDESK_E2E_KEYCHAIN_SERVICE,
})) {
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.sh`);
}

async function startSimulator() {
  const child = spawn(E2E_SIM, ["--seed", "31", "--orgs", "2", "--days", "5"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, RUST_LOG: "warn" },
  });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    if (line.trim()) return { child, manifest: JSON.parse(line) };
  }
  child.kill("SIGTERM");
  throw new Error("vapi-sim printed no manifest");
}

/** Every item the Secret Service holds under `service`, as secret-tool prints them. */
function keychainItems(service) {
  try {
    return execFileSync("secret-tool", ["search", "--all", "--unlock", "service", service], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 20000,
    });
  } catch (e) {
    // secret-tool exits 1 when nothing matches.
    if (e.status === 1) return `${e.stdout ?? ""}`;
    throw e;
  }
}

function filesUnder(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

let session;
let sim;

before(async () => {
  sim = await startSimulator();
  rememberSecrets(sim.manifest.orgs.map((o) => o.privateKey));
  session = await Session.create(E2E_WEBDRIVER_URL, {
    alwaysMatch: { "tauri:options": { application: E2E_APP } },
  });
});

after(async () => {
  await session?.delete().catch(() => {});
  sim?.child.kill("SIGTERM");
  // The app has exited: park the real agency (database, backups, logs) where the leak scan still
  // reads it, leaving the demo folder, so the next suite sees a first run again.
  const parked = join(E2E_PARKED_DIR, "real-keychain");
  mkdirSync(parked, { recursive: true });
  for (const name of readdirSync(AGENCYDESK_DATA_DIR)) {
    if (name !== "demo") renameSync(join(AGENCYDESK_DATA_DIR, name), join(parked, name));
  }
});

test("Connect puts a real key into the real keychain, under the test service, and nowhere else", async () => {
  const org = sim.manifest.orgs[0];
  assert.equal(keychainItems(AGENCYDESK_E2E_KEYCHAIN_SERVICE).includes(org.privateKey), false, "the keychain starts without the key");

  await (await session.waitFor('[data-testid="choose-real"]'))[0].click();
  const [connect] = await session.waitFor('[data-testid="connect-client"]', { timeoutMs: 30000 });
  await connect.click();
  const [key] = await session.waitFor('[data-testid="connect-key"]');
  const [baseUrl] = await session.findAll('[data-testid="connect-base-url"]');
  await baseUrl.clear();
  await baseUrl.sendKeys(sim.manifest.url);
  await key.sendKeys(org.privateKey);
  await (await session.findAll('[data-testid="connect-submit"]'))[0].click();

  const [resultName] = await session.waitFor('[data-testid="connect-result-name"]', { timeoutMs: 30000 });
  assert.equal(await resultName.text(), org.name, "the dialog names the org the key belongs to");
  assert.ok(!(await session.pageText()).includes(org.privateKey), "the key is not on screen");
  await (await session.findAll('[data-testid="connect-done"]'))[0].click();

  // The key is in the throwaway Secret Service under the test-only name, and under no other.
  const items = keychainItems(AGENCYDESK_E2E_KEYCHAIN_SERVICE);
  assert.ok(items.includes(org.privateKey), `the key is stored under service ${AGENCYDESK_E2E_KEYCHAIN_SERVICE}`);
  assert.equal(keychainItems("agencydesk").trim(), "", "nothing is stored under the user's own service name");

  // A sync reads the org's calls with that key (so the cache the scans read is real).
  await (await session.waitFor('[data-testid="nav-overview"]'))[0].click();
  await (await session.waitFor('[data-testid="sync-now"]', { timeoutMs: 30000 }))[0].click();
  await (await session.waitFor('[data-testid="nav-clients"]'))[0].click();
  await until(async () => {
    const [badge] = await session.findAll('[data-testid="client-sync"]');
    return badge && (await badge.attribute("data-state")) === "synced";
  }, "the linked org synced", 120000);

  // The data folder (database, WAL, backups, logs) holds no trace of the key.
  const files = filesUnder(AGENCYDESK_DATA_DIR).filter((f) => !f.includes(`${join(AGENCYDESK_DATA_DIR, "demo")}`));
  assert.ok(files.some((f) => f.endsWith("agencydesk.sqlite")), "the real agency's database exists");
  for (const file of files) {
    assert.ok(!readFileSync(file).toString("latin1").includes(org.privateKey), `the key is not in ${file}`);
  }
});
