// The real app window: a demo call's recording plays in the detail (the back end hands the page
// the WAV bytes; the page holds no key, it only names the call) for as long as the call lasted; a
// call without a recording says so; Settings moves the archive folder to the one the test
// build's stand-in dialog answers, and the recording still plays afterwards.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Session, until } from "./webdriver.mjs";

const { E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM, AGENCYDESK_E2E_FOLDER_PATH } = process.env;
for (const [name, value] of Object.entries({ E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM, AGENCYDESK_E2E_FOLDER_PATH })) {
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

function run(script) {
  return session.cmd("POST", "/execute/sync", { script, args: [] }).then((answer) => answer.value ?? answer);
}

const PLAYER = "document.querySelector('[data-testid=\"call-detail-player\"]')";

async function openCall(id) {
  const rows = await session.waitFor('[data-testid="call-row"]', { min: 3, timeoutMs: 30000 });
  for (const r of rows) {
    if ((await r.attribute("data-call-id")) !== id) continue;
    await (await r.findAll("td"))[1].click();
    return;
  }
  assert.fail(`call ${id} is listed`);
}

/** Loads the recording in the detail and checks that it really plays, as long as the call. */
async function playsForAsLongAs(seconds) {
  await (await testid("call-detail-play", { timeoutMs: 20000 })).click();
  const player = await testid("call-detail-player", { timeoutMs: 30000 });
  assert.match(await player.attribute("src"), /^blob:/);
  const state = await until(async () => {
    const s = await run(`const a = ${PLAYER}; return { ready: a.readyState, duration: a.duration, error: a.error && a.error.code };`);
    if (s.error) throw new Error(`the player failed with MediaError code ${s.error}`);
    return s.ready >= 2 && Number.isFinite(s.duration) ? s : null;
  }, "the recording loaded (HAVE_CURRENT_DATA)", 30000);
  assert.ok(Math.abs(state.duration - seconds) < 1, `the recording lasts ${state.duration} s, the call ${seconds} s`);
  // The component starts playing on the click; play() again in case the output refused it then.
  await run(`const a = ${PLAYER}; window.__playError = null; a.play().catch((e) => { window.__playError = String(e); }); return true;`);
  const first = await until(async () => {
    const s = await run(`const a = ${PLAYER}; return { t: a.currentTime, err: window.__playError, error: a.error && a.error.code };`);
    if (s.err || s.error) throw new Error(`play() failed: ${s.err ?? `MediaError ${s.error}`}`);
    return s.t > 0.2 ? s.t : null;
  }, "currentTime advancing after play()", 20000);
  const later = await until(async () => {
    const t = await run(`return ${PLAYER}.currentTime;`);
    return t > first + 0.3 ? t : null;
  }, "currentTime still advancing", 20000);
  assert.ok(later > first);
  // The sound really goes to an audio output: the app's stream is an input of the null sink.
  const inputs = execFileSync("pactl", ["list", "short", "sink-inputs"], { encoding: "utf8" });
  assert.ok(inputs.trim().length > 0, "the playing recording is a stream of the audio server");
  await run(`${PLAYER}.pause(); return true;`);
}

before(async () => {
  sim = await startSimulator();
  session = await Session.create(E2E_WEBDRIVER_URL, { alwaysMatch: { "tauri:options": { application: E2E_APP } } });
});

after(async () => {
  await session?.delete().catch(() => {});
  sim?.child.kill("SIGTERM");
});

test("a call's recording plays as long as the call; none says so; the archive moves in Settings", async () => {
  const org = sim.manifest.orgs[0];
  const [entry] = await session.waitFor('[data-testid="choose-demo"], [data-testid="shell"]', { timeoutMs: 30000 });
  if ((await entry.attribute("data-testid")) === "choose-demo") await entry.click();
  const row = await until(async () => {
    for (const r of await session.findAll('[data-testid="client-row"]')) {
      if ((await r.attribute("data-client-id")) !== org.id) continue;
      const [badge] = await r.findAll('[data-testid="client-sync"]');
      if (badge && (await badge.attribute("data-state")) === "synced") return r;
    }
    return null;
  }, "the first demo client synced", 120000);
  await (await row.findAll('[data-testid="client-name"]'))[0].click();
  await (await testid("client-tab-calls")).click();

  // The simulator serving the same world tells which calls have a recording, and how long.
  const response = await fetch(`${sim.manifest.url}/call?limit=50`, { headers: { Authorization: `Bearer ${org.privateKey}` } });
  const calls = await response.json();
  const ended = calls.filter((c) => c.startedAt && c.endedAt);
  const call = ended.find((c) => typeof c.recordingUrl === "string");
  const silent = ended.find((c) => typeof c.recordingUrl !== "string");
  assert.ok(call, "a call with a recording");
  assert.ok(silent, "an ended call without a recording");
  const seconds = (Date.parse(call.endedAt) - Date.parse(call.startedAt)) / 1000;

  // Streamed from Vapi through the back end (nothing archived yet).
  await openCall(call.id);
  await playsForAsLongAs(seconds);
  await (await testid("call-detail-back")).click();

  // A call nobody spoke in: the detail says there is no recording.
  await openCall(silent.id);
  await (await testid("call-detail-play", { timeoutMs: 20000 })).click();
  assert.match(await (await testid("call-detail-no-recording", { timeoutMs: 30000 })).text(), /no recording/i);
  await (await testid("call-detail-back")).click();

  // Settings moves the archive folder to the one the stand-in folder dialog answers. Nothing is
  // archived in this window (a demo client's ~1000 recordings take minutes here): the files a
  // move carries, its checks and an interrupted move are covered by crates/core's
  // recordings_move and the CLI's recordings_cli tests.
  await (await testid("nav-settings")).click();
  const before = await (await testid("settings-archive-folder")).text();
  assert.match(before, /[\\/]archive$/, "the default folder, in the data folder");
  assert.match(await (await testid("settings-archive-count")).text(), /0 recording\(s\)/);
  assert.ok(!existsSync(AGENCYDESK_E2E_FOLDER_PATH));
  await (await testid("settings-archive-move")).click();
  const moved = await testid("settings-archive-moved", { timeoutMs: 60000 });
  assert.match(await moved.text(), /Moved 0 recording\(s\) to /);
  await until(async () => (await (await testid("settings-archive-folder")).text()) === AGENCYDESK_E2E_FOLDER_PATH, "the new folder shown", 10000);
  assert.ok(existsSync(join(AGENCYDESK_E2E_FOLDER_PATH, ".agencydesk-archive")), "the new folder is marked as the archive");
  // Moving again to the same folder changes nothing.
  await (await testid("settings-archive-move")).click();
  await until(async () => /already in that folder/.test(await (await testid("settings-archive-moved")).text()), "already there", 10000);

  // The detail still plays the recording after the move.
  await (await testid("nav-clients")).click();
  const again = await until(async () => {
    for (const r of await session.findAll('[data-testid="client-row"]')) {
      if ((await r.attribute("data-client-id")) === org.id) return r;
    }
    return null;
  }, "the client listed");
  await (await again.findAll('[data-testid="client-name"]'))[0].click();
  await (await testid("client-tab-calls")).click();
  await openCall(call.id);
  await playsForAsLongAs(seconds);
});
