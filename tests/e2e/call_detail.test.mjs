// The real app window: a call opens from the Calls tab (click or Enter) and shows what Vapi kept
// of it, for the three shapes that render differently: a call that failed before starting (no
// cost, no conversation), a squad's call (its members, one cost entry per member) and an ordinary
// ended call (the conversation, the customer's number masked until asked). The arrow keys walk
// the list, Esc goes back to it. Then the sidebar's search box (`/`) finds calls by their words
// and opens one. The demo's first client gets the two rare calls as its newest (src-tauri/src/demo.rs).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Session, until } from "./webdriver.mjs";

const { E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM, E2E_SCREENSHOT_DIR } = process.env;
for (const [name, value] of Object.entries({ E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM })) {
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.sh`);
}

// Must match the demo's world in src-tauri/src/demo.rs.
const DEMO_SIM_ARGS = ["--seed", "7", "--orgs", "4", "--days", "90"];
const KEY = { enter: "\uE007", escape: "\uE00C", up: "\uE013", down: "\uE015" };

async function startSimulator() {
  const child = spawn(E2E_SIM, DEMO_SIM_ARGS, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, RUST_LOG: "warn" } });
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.trim()) return { child, manifest: JSON.parse(line) };
  }
  throw new Error("vapi-sim printed no manifest");
}

function screenshot(name) {
  if (!E2E_SCREENSHOT_DIR) return;
  mkdirSync(E2E_SCREENSHOT_DIR, { recursive: true });
  execFileSync("import", ["-window", "root", join(E2E_SCREENSHOT_DIR, name)], { timeout: 20000 });
}

let session;
let sim;

async function testid(id, options) {
  const [element] = await session.waitFor(`[data-testid="${id}"]`, options);
  return element;
}

/** The detail once it shows call `id` (loaded, not the previous one). */
async function detailOf(id) {
  return until(async () => {
    const [detail] = await session.findAll(`[data-testid="call-detail"][data-call-id="${id}"]`);
    if (!detail) return null;
    const [when] = await detail.findAll('[data-testid="call-detail-when"]');
    return when ? detail : null;
  }, `the detail of ${id}`, 20000);
}

before(async () => {
  sim = await startSimulator();
  session = await Session.create(E2E_WEBDRIVER_URL, { alwaysMatch: { "tauri:options": { application: E2E_APP } } });
});

after(async () => {
  await session?.delete().catch(() => {});
  sim?.child.kill("SIGTERM");
});

test("a failed call, a squad call and an ended call open in full; arrows, Esc and search", async () => {
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
  const rows = await session.waitFor('[data-testid="call-row"]', { min: 3, timeoutMs: 30000 });
  const ids = [];
  for (const r of rows.slice(0, 3)) ids.push(await r.attribute("data-call-id"));

  // The newest call failed before it started: nothing but why.
  // A row opens on a click anywhere in it (WebKitWebDriver clicks cells, not rows).
  await (await rows[0].findAll("td"))[1].click();
  let detail = await detailOf(ids[0]);
  assert.match(await (await testid("call-detail-ended")).text(), /could not start/i);
  await testid("call-detail-no-cost");
  await testid("call-detail-no-messages");
  await testid("call-detail-no-analysis");
  assert.match(await (await testid("call-detail-duration")).text(), /^— real · — billed$/);
  screenshot("e2e-call-detail-failed.png");

  // Down: the squad's call, its members named and one model entry per member.
  await detail.sendKeys(KEY.down);
  detail = await detailOf(ids[1]);
  assert.match(await (await testid("call-detail-taker")).text(), /^Squad .+: .+, .+/);
  const models = await session.findAll('[data-testid="call-detail-cost-entry"][data-kind="model"]');
  assert.ok(models.length >= 2, `${models.length} model cost entries`);
  assert.match(await (await testid("call-detail-cost")).text(), /^\$\d+\.\d{4}$/);
  screenshot("e2e-call-detail-squad.png");

  // Down again: an ordinary ended call, the conversation and the analysis.
  await detail.sendKeys(KEY.down);
  detail = await detailOf(ids[2]);
  const messages = await session.findAll('[data-testid="call-detail-message"]');
  assert.ok(messages.length >= 2, "the conversation shows");
  const said = await messages[0].text();
  await testid("call-detail-success");
  assert.match(await (await testid("call-detail-duration")).text(), /^\d+:\d\d real · [\d.]+ min billed$/);
  const [customer] = await session.findAll('[data-testid="call-detail-customer"]');
  if (customer) {
    assert.match(await customer.text(), /^••• \d{4}$/, "the number is masked");
    await (await testid("call-detail-reveal")).click();
    await until(async () => /^\+\d{11}$/.test(await (await testid("call-detail-customer")).text()), "the number is revealed");
  }
  screenshot("e2e-call-detail-ended.png");

  // Up goes back; Esc returns to the list, where Enter opens the focused row.
  detail = await detailOf(ids[2]);
  await detail.sendKeys(KEY.up);
  detail = await detailOf(ids[1]);
  await detail.sendKeys(KEY.escape);
  await testid("calls-table");
  const [again] = await session.findAll(`[data-testid="call-row"][data-call-id="${ids[2]}"]`);
  await again.sendKeys(KEY.enter);
  detail = await detailOf(ids[2]);
  await (await testid("call-detail-back")).click();
  await testid("calls-table");

  // `/` puts the cursor in the search box; a word of that conversation finds calls.
  const word = said.split(/[^A-Za-z]+/).find((w) => w.length > 5);
  assert.ok(word, `a word in "${said}"`);
  const [someRow] = await session.findAll('[data-testid="call-row"]');
  await someRow.sendKeys("/");
  const box = await testid("global-search");
  await until(async () => Object.values(await session.cmd("GET", "/element/active"))[0] === box.id, "`/` focuses the search box");
  await box.sendKeys(`${word}${KEY.enter}`);
  await testid("search-screen");
  const hits = await session.waitFor('[data-testid="search-hit"]', { timeoutMs: 30000 });
  for (const hit of hits.slice(0, 10)) {
    const marks = await hit.findAll("mark");
    assert.ok(marks.length > 0, "each result marks the word");
    assert.equal((await marks[0].text()).toLowerCase(), word.toLowerCase());
  }
  screenshot("e2e-search-results.png");
  const first = await hits[0].attribute("data-call-id");
  await hits[0].click();
  detail = await detailOf(first);
  await detail.sendKeys(KEY.escape);
  await testid("search-hits");
});
