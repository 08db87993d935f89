// The real app window, first run: a fresh data folder shows the onboarding choice; "Explore the
// demo agency" opens the demo, whose clients are the simulator's seeded orgs; the Connect flow
// links an org by its private key, shows which org it is, and never shows the key again.
// Expected names come from the simulator itself (`vapi-sim` with the demo's seed prints its
// manifest), not from this file.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { rememberSecrets } from "./secrets.mjs";
import { Element, Session, until } from "./webdriver.mjs";

const { E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM, E2E_SCREENSHOT_DIR } = process.env;
for (const [name, value] of Object.entries({ E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM })) {
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.sh`);
}

// Must match the demo's world in src-tauri/src/demo.rs.
const DEMO_SIM_ARGS = ["--seed", "7", "--orgs", "4", "--days", "90"];

/** Starts vapi-sim with the demo's seed and reads its one-line manifest; it keeps serving. */
async function startSimulator() {
  const child = spawn(E2E_SIM, DEMO_SIM_ARGS, {
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

function screenshot(name) {
  if (!E2E_SCREENSHOT_DIR) return;
  // The whole X display, as a person would see it. (WebKitWebDriver's own screenshot command
  // hangs under Xvfb without compositing.)
  mkdirSync(E2E_SCREENSHOT_DIR, { recursive: true });
  execFileSync("import", ["-window", "root", join(E2E_SCREENSHOT_DIR, name)], { timeout: 20000 });
}

let session;
let sim;

before(async () => {
  sim = await startSimulator();
  // The demo's own simulator has the same seed, so these are the keys the app holds.
  rememberSecrets(sim.manifest.orgs.map((o) => o.privateKey));
  assert.equal(sim.manifest.orgs.length, 4, "the demo world has four client orgs");
  // tauri-driver cannot pass environment variables per session: run.sh started it with
  // AGENCYDESK_DATA_DIR pointing at an empty folder, which the app inherits.
  session = await Session.create(E2E_WEBDRIVER_URL, {
    alwaysMatch: { "tauri:options": { application: E2E_APP } },
  });
});

after(async () => {
  await session?.delete().catch(() => {});
  sim?.child.kill("SIGTERM");
});

test("first run offers the choice, and the demo shows the seeded client orgs", async () => {
  const { manifest } = sim;
  const [demoButton] = await session.waitFor('[data-testid="choose-demo"]');
  const [realButton] = await session.findAll('[data-testid="choose-real"]');
  assert.ok(realButton, "onboarding also offers connecting a real account");

  await demoButton.click();

  const [banner] = await session.waitFor('[data-testid="demo-banner"]', { timeoutMs: 60000 });
  assert.match(await banner.text(), /nothing here is real/i);

  const rows = await session.waitFor('[data-testid="client-row"]', { min: manifest.orgs.length, timeoutMs: 30000 });
  assert.equal(rows.length, manifest.orgs.length, "one row per seeded client org, and no more");

  const shown = new Map();
  for (const row of rows) {
    const [name] = await row.findAll('[data-testid="client-name"]');
    const assistants = await row.findAll('[data-testid="client-assistants"]');
    shown.set(await name.text(), assistants.length ? await assistants[0].text() : "");
  }
  for (const org of manifest.orgs) {
    assert.ok(shown.has(org.name), `client org "${org.name}" is listed (shown: ${[...shown.keys()].join(", ")})`);
    const firstAssistant = org.assistants[0]?.name;
    if (firstAssistant) {
      assert.ok(shown.get(org.name).includes(firstAssistant), `"${org.name}" shows its assistant "${firstAssistant}"`);
    }
  }
  screenshot("e2e-demo-clients.png");

  // The demo syncs its clients by itself: each row reaches "synced" with no button pressed.
  await until(async () => {
    const states = [];
    for (const r of await session.findAll('[data-testid="client-row"]')) {
      const [badge] = await r.findAll('[data-testid="client-sync"]');
      states.push(badge ? await badge.attribute("data-state") : "none");
    }
    return states.length === manifest.orgs.length && states.every((s) => s === "synced");
  }, "every demo client synced by itself", 120000);
});

test("Connect links an org by its key, names the org, and never shows the key again", async () => {
  const { manifest } = sim;
  const org = manifest.orgs[1];

  const [connect] = await session.waitFor('[data-testid="connect-client"]');
  await connect.click();
  const [keyInput] = await session.waitFor('[data-testid="connect-key"]');
  assert.equal(await keyInput.attribute("type"), "password", "the key field is masked");

  // Esc closes the dialog.
  await keyInput.sendKeys(Element.ESCAPE);
  await until(async () => (await session.findAll('[data-testid="connect-key"]')).length === 0, "Esc closed the dialog");

  await connect.click();
  const [key] = await session.waitFor('[data-testid="connect-key"]');
  const [baseUrl] = await session.findAll('[data-testid="connect-base-url"]');
  await baseUrl.clear();
  await baseUrl.sendKeys(manifest.url);
  await key.sendKeys(org.privateKey);
  screenshot("e2e-connect-form.png");
  const [submit] = await session.findAll('[data-testid="connect-submit"]');
  await submit.click();

  const [resultName] = await session.waitFor('[data-testid="connect-result-name"]', { timeoutMs: 30000 });
  assert.equal(await resultName.text(), org.name, "the dialog names the org the key belongs to");
  screenshot("e2e-connect-result.png");

  const text = await session.pageText();
  for (const o of manifest.orgs) {
    assert.ok(!text.includes(o.privateKey), `the private key of ${o.name} is not on screen`);
  }
  assert.equal((await session.findAll('[data-testid="connect-key"]')).length, 0, "the key field is gone");

  const [done] = await session.findAll('[data-testid="connect-done"]');
  await done.click();
  const names = await Promise.all(
    (await session.findAll('[data-testid="client-name"]')).map((n) => n.text()),
  );
  assert.ok(names.includes(org.name), `"${org.name}" is in the list after linking`);
});

test("New client org creates it through the agency's key; it waits for its own key", async () => {
  const name = `E2E Clinic ${process.pid}`;
  const [create] = await session.waitFor('[data-testid="create-client"]');
  await create.click();
  const [input] = await session.waitFor('[data-testid="create-name"]');
  await input.sendKeys(name);
  const [submit] = await session.findAll('[data-testid="create-submit"]');
  await submit.click();

  const [resultName] = await session.waitFor('[data-testid="create-result-name"]', { timeoutMs: 30000 });
  assert.equal(await resultName.text(), name);
  const [done] = await session.findAll('[data-testid="create-done"]');
  await done.click();

  const row = await until(async () => {
    for (const r of await session.findAll('[data-testid="client-row"]')) {
      const [n] = await r.findAll('[data-testid="client-name"]');
      if ((await n.text()) === name) return r;
    }
    return null;
  }, `"${name}" is listed`);
  const [status] = await row.findAll('[data-testid="client-status"]');
  assert.equal(await status.attribute("data-status"), "pending_key");
  assert.equal((await row.findAll('[data-testid="client-paste-key"]')).length, 1, "the row offers to paste its key");
  screenshot("e2e-created-org.png");

  // An org the demo did not sync (it has no key yet): its Calls and Billing tabs say to sync first.
  const [openName] = await row.findAll('[data-testid="client-name"]');
  await openName.click();
  const [callsTab] = await session.waitFor('[data-testid="client-tab-calls"]');
  await callsTab.click();
  const [empty] = await session.waitFor('[data-testid="calls-empty"]', { timeoutMs: 30000 });
  assert.match(await empty.text(), /sync this client to see its calls/i);
  assert.equal((await empty.findAll('[data-testid="sync-now"]')).length, 1, "the empty state offers Sync now");
  screenshot("e2e-calls-empty.png");
  const [billingTab] = await session.findAll('[data-testid="client-tab-billing"]');
  await billingTab.click();
  const [notSynced] = await session.waitFor('[data-testid="billing-not-synced"]', { timeoutMs: 30000 });
  assert.match(await notSynced.text(), /Sync this client first/);
  assert.equal((await notSynced.findAll('[data-testid="sync-now"]')).length, 1, "it offers Sync now");
  screenshot("e2e-billing-not-synced.png");
});
