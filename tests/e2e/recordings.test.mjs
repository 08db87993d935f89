// The real app window: a demo call's recording plays in the detail, streamed through the back
// end's `recording:` scheme (the page holds no key: it only names the call), as long as the call
// lasted; then the client's "Archive recordings" button archives them (the simulator serves
// real WAV files behind Vapi's 302 to a signed URL).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Session, until } from "./webdriver.mjs";

const { E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM } = process.env;
for (const [name, value] of Object.entries({ E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM })) {
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.sh`);
}

// Must match the demo's world in src-tauri/src/demo.rs.
const DEMO_SIM_ARGS = ["--seed", "7", "--orgs", "4", "--days", "90"];

async function startSimulator() {
  const child = spawn(E2E_SIM, DEMO_SIM_ARGS, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, RUST_LOG: "warn" } });
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.trim()) return { child, manifest: JSON.parse(line) };
  }
  throw new Error("vapi-sim printed no manifest");
}

let session;
let sim;

async function testid(id, options) {
  const [element] = await session.waitFor(`[data-testid="${id}"]`, options);
  return element;
}

before(async () => {
  sim = await startSimulator();
  session = await Session.create(E2E_WEBDRIVER_URL, { alwaysMatch: { "tauri:options": { application: E2E_APP } } });
});

after(async () => {
  await session?.delete().catch(() => {});
  sim?.child.kill("SIGTERM");
});

test("a call's recording plays in the detail, as long as the call", async () => {
  const org = sim.manifest.orgs[1];
  const [entry] = await session.waitFor('[data-testid="choose-demo"], [data-testid="shell"]', { timeoutMs: 30000 });
  if ((await entry.attribute("data-testid")) === "choose-demo") await entry.click();
  const row = await until(async () => {
    for (const r of await session.findAll('[data-testid="client-row"]')) {
      if ((await r.attribute("data-client-id")) !== org.id) continue;
      const [badge] = await r.findAll('[data-testid="client-sync"]');
      if (badge && (await badge.attribute("data-state")) === "synced") return r;
    }
    return null;
  }, "the second demo client synced", 120000);
  await (await row.findAll('[data-testid="client-name"]'))[0].click();
  await (await testid("client-tab-calls")).click();
  await testid("recordings-archive-button");

  // The simulator serving the same world tells which calls have a recording, and how long.
  const response = await fetch(`${sim.manifest.url}/call?limit=50`, { headers: { Authorization: `Bearer ${org.privateKey}` } });
  const calls = await response.json();
  const call = calls.find((c) => typeof c.recordingUrl === "string");
  assert.ok(call, "a call with a recording");
  const seconds = (Date.parse(call.endedAt) - Date.parse(call.startedAt)) / 1000;

  const rows = await session.waitFor('[data-testid="call-row"]', { min: 3, timeoutMs: 30000 });
  let opened = false;
  for (const r of rows) {
    if ((await r.attribute("data-call-id")) !== call.id) continue;
    await (await r.findAll("td"))[1].click();
    opened = true;
    break;
  }
  assert.ok(opened, `call ${call.id} is listed`);
  const player = await testid("call-detail-player", { timeoutMs: 20000 });
  assert.match(await player.attribute("src"), /^recording:\/\/localhost\/[0-9a-f-]+$/);
  await session.cmd("POST", "/execute/sync", {
    script: "const a = document.querySelector('[data-testid=\"call-detail-player\"]'); a.preload = 'metadata'; a.load(); return true;",
    args: [],
  });
  const duration = await until(async () => {
    const error = await player.property("error");
    if (error) throw new Error(`the player failed: ${JSON.stringify(error)}`);
    const d = await player.property("duration");
    return typeof d === "number" && Number.isFinite(d) && d > 0 ? d : null;
  }, "the recording's length", 30000);
  assert.ok(Math.abs(duration - seconds) < 0.5, `played ${duration} s, the call lasted ${seconds} s`);
});
