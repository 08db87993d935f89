// The real app window, first run: a fresh data folder shows the onboarding choice; "Explore the
// demo agency" opens the demo, whose clients are the simulator's seeded orgs. The expected names
// come from the simulator itself (`vapi-sim` with the demo's seed prints its manifest), not from
// this file.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Session } from "./webdriver.mjs";

const { E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM, E2E_SCREENSHOT_DIR } = process.env;
for (const [name, value] of Object.entries({ E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM })) {
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.sh`);
}

// Must match the demo's world in src-tauri/src/demo.rs.
const DEMO_SIM_ARGS = ["--seed", "7", "--orgs", "4", "--days", "90"];

/** Starts vapi-sim with the demo's seed, reads its one-line manifest, stops it. */
async function seededManifest() {
  const child = spawn(E2E_SIM, DEMO_SIM_ARGS, {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, RUST_LOG: "warn" },
  });
  try {
    const lines = createInterface({ input: child.stdout });
    for await (const line of lines) {
      if (line.trim()) return JSON.parse(line);
    }
    throw new Error("vapi-sim printed no manifest");
  } finally {
    child.kill("SIGTERM");
  }
}

let session;
let manifest;

before(async () => {
  manifest = await seededManifest();
  assert.equal(manifest.orgs.length, 4, "the demo world has four client orgs");
  // tauri-driver cannot pass environment variables per session: run.sh started it with
  // AGENCYDESK_DATA_DIR pointing at an empty folder, which the app inherits.
  session = await Session.create(E2E_WEBDRIVER_URL, {
    alwaysMatch: { "tauri:options": { application: E2E_APP } },
  });
});

after(async () => {
  await session?.delete().catch(() => {});
});

test("first run offers the choice, and the demo shows the seeded client orgs", async () => {
  const [demoButton] = await session.waitFor('[data-testid="choose-demo"]');
  assert.ok(demoButton, "onboarding offers the demo");
  const [realButton] = await session.findAll('[data-testid="choose-real"]');
  assert.ok(realButton, "onboarding offers connecting a real account");

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

  // The window must never show a private key, only fingerprints.
  const text = await session.pageText();
  for (const org of manifest.orgs) {
    assert.ok(!text.includes(org.privateKey), `the private key of ${org.name} is not on screen`);
  }

  if (E2E_SCREENSHOT_DIR) {
    mkdirSync(E2E_SCREENSHOT_DIR, { recursive: true });
    writeFileSync(join(E2E_SCREENSHOT_DIR, "e2e-demo-clients.png"), await session.screenshotPng());
  }
});
