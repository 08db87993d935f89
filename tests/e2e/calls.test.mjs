// The real app window: entering the demo syncs every client by itself (no button pressed); the
// Calls tab then lists the synced calls. The count on screen must agree with the back end three
// ways: the table's total label (count_calls), the overview's "N calls cached" (calls_stats) and,
// once "Sync now" is pressed after the automatic sync, that sync's own final word ("Up to date: N
// calls cached"); loading every page must show that many rows; filtering by an assistant must
// narrow the list to that assistant's calls. (A never-synced client's empty state is covered in
// demo.test.mjs with an org the demo does not sync: one created without a key.)
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Session, until } from "./webdriver.mjs";

const { E2E_WEBDRIVER_URL, E2E_APP, E2E_SCREENSHOT_DIR } = process.env;
for (const [name, value] of Object.entries({ E2E_WEBDRIVER_URL, E2E_APP })) {
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.sh`);
}

function screenshot(name) {
  if (!E2E_SCREENSHOT_DIR) return;
  // The whole X display, as a person would see it.
  mkdirSync(E2E_SCREENSHOT_DIR, { recursive: true });
  execFileSync("import", ["-window", "root", join(E2E_SCREENSHOT_DIR, name)], { timeout: 20000 });
}

/** The first number in a text, digits grouped or not ("1,918 calls" -> 1918). */
function numberIn(text) {
  const match = /\d[\d,]*/.exec(text);
  assert.ok(match, `a number in "${text}"`);
  return Number(match[0].replaceAll(",", ""));
}

// Sync progress events redraw their element while a run is going, so a found element can go stale
// between finding and reading it: read through a fresh find (`until` retries a stale read).
async function readFresh(id, read, timeoutMs = 10000) {
  const found = await until(async () => {
    const [el] = await session.findAll(`[data-testid="${id}"]`);
    return el ? { value: await read(el) } : null;
  }, `${id} can be read`, timeoutMs);
  return found.value;
}

async function testid(id, options) {
  const [element] = await session.waitFor(`[data-testid="${id}"]`, options);
  return element;
}

let session;

before(async () => {
  session = await Session.create(E2E_WEBDRIVER_URL, {
    alwaysMatch: { "tauri:options": { application: E2E_APP } },
  });
});

after(async () => {
  await session?.delete().catch(() => {});
});

test("the demo syncs itself; the Calls tab's total equals calls stats; Sync now then says up to date", async () => {
  // Into the demo (the data folder may hold an earlier demo; the demo starts afresh each time).
  const [demoButton] = await session.waitFor('[data-testid="choose-demo"], [data-testid="shell"]', { timeoutMs: 30000 });
  if ((await demoButton.attribute("data-testid")) === "choose-demo") await demoButton.click();
  const rows = await session.waitFor('[data-testid="client-row"]', { min: 4, timeoutMs: 60000 });
  screenshot("e2e-calls-demo-entered.png");

  // Nothing is pressed: every client's badge reaches "synced" through the run the demo started.
  await until(async () => {
    const states = [];
    for (const r of await session.findAll('[data-testid="client-row"]')) {
      const [badge] = await r.findAll('[data-testid="client-sync"]');
      states.push(badge ? await badge.attribute("data-state") : "none");
    }
    return states.length >= 4 && states.every((s) => s === "synced");
  }, "every demo client synced by itself", 120000);
  screenshot("e2e-calls-demo-synced.png");

  // Re-read the list: rows may have been redrawn as the syncs ended.
  const [row] = await session.findAll('[data-testid="client-row"]');
  assert.ok(row && rows.length >= 4);
  const clientId = await row.attribute("data-client-id");
  const [name] = await row.findAll('[data-testid="client-name"]');
  const clientName = await name.text();
  await name.click();

  // The overview's figures come from the cache, already filled.
  await testid("tab-overview");
  const cached = await until(async () => (await session.findAll('[data-testid="overview-cached-calls"]'))[0], "the cached count shows", 30000);
  const fromStats = Number(await cached.attribute("data-calls"));
  assert.ok(fromStats > 0, "the demo client has calls without pressing Sync now");
  assert.match(await (await testid("overview-last-sync")).text(), /last synced/i);
  assert.doesNotMatch(await (await testid("overview-last-sync")).text(), /never synced/i);
  assert.match(await (await testid("overview-this-month-cost")).text(), /^\$\d[\d,]*\.\d\d$/);
  screenshot("e2e-calls-overview-after.png");

  // The Calls tab: the total label, and every row once all pages are loaded.
  await (await testid("client-tab-calls")).click();
  const total = await until(async () => {
    const [label] = await session.findAll('[data-testid="calls-total"]');
    const value = label ? await label.attribute("data-total") : "";
    return value ? Number(value) : null;
  }, "the calls total shows");
  assert.equal(total, fromStats, "the table's total equals calls stats for this org");
  assert.equal(numberIn(await (await testid("calls-total")).text()), total, "the label reads the same number");
  const firstPage = await session.findAll('[data-testid="call-row"]');
  assert.equal(firstPage.length, Math.min(200, total), "the first page holds 200 rows");
  screenshot("e2e-calls-table.png");

  for (;;) {
    const [more] = await session.findAll('[data-testid="calls-load-more"]');
    if (!more) break;
    const before = (await session.findAll('[data-testid="call-row"]')).length;
    await more.click();
    await until(async () => (await session.findAll('[data-testid="call-row"]')).length > before, "another page loaded", 30000);
  }
  const allRows = await session.findAll('[data-testid="call-row"]');
  assert.equal(allRows.length, total, "loading every page shows exactly the cached calls");
  assert.match(await (await testid("calls-shown")).text(), new RegExp(`Showing ${total.toLocaleString("en")} of ${total.toLocaleString("en")}`));

  // Filter by an assistant that has some but not all of the calls.
  const select = await testid("calls-filter-assistant");
  const options = await select.findAll("option");
  let narrowed = null;
  for (const option of options) {
    const assistantId = await option.attribute("value");
    if (!assistantId) continue;
    await option.click();
    const shown = await until(async () => {
      const [label] = await session.findAll('[data-testid="calls-total"]');
      const value = label ? Number(await label.attribute("data-total")) : NaN;
      const text = label ? await label.text() : "";
      return value !== total && /match/.test(text) ? value : null;
    }, `the total follows the assistant filter (${assistantId})`, 20000).catch(() => null);
    if (shown !== null && shown > 0 && shown < total) {
      narrowed = { assistantId, count: shown, label: await option.text() };
      break;
    }
  }
  assert.ok(narrowed, `an assistant of ${clientName} narrows the list`);
  assert.equal(await select.property("value"), narrowed.assistantId, "the picker shows the chosen assistant");
  const filteredRows = await session.findAll('[data-testid="call-row"]');
  assert.equal(filteredRows.length, Math.min(200, narrowed.count));
  for (const r of filteredRows.slice(0, 25)) {
    assert.equal(await r.attribute("data-assistant-id"), narrowed.assistantId, "only the chosen assistant's calls");
  }
  const [assistantCell] = await filteredRows[0].findAll('[data-testid="call-assistant"]');
  assert.equal((await assistantCell.text()).trim(), narrowed.label.trim());
  screenshot("e2e-calls-filtered.png");

  // Clearing the filter brings back every call.
  await (await testid("calls-filter-clear")).click();
  await until(async () => Number(await (await testid("calls-total")).attribute("data-total")) === total, "the filter is cleared");

  // Sync now after the automatic sync: an incremental run that finds the cache up to date.
  await (await testid("client-tab-overview")).click();
  await testid("tab-overview");
  await (await testid("sync-now")).click();
  await testid("sync-progress", { timeoutMs: 10000 });
  assert.equal(await readFresh("sync-progress", (el) => el.attribute("data-org-id")), clientId);
  await until(
    async () => (await session.findAll('[data-testid="sync-progress"][data-phase="done"]')).length === 1,
    "the sync is done",
    120000,
  );
  const finalWords = await readFresh("sync-progress-text", (el) => el.text());
  assert.match(finalWords, /up to date/i);
  const fromSync = numberIn(finalWords);
  const recounted = await until(async () => {
    const [c] = await session.findAll('[data-testid="overview-cached-calls"]');
    return c ? Number(await c.attribute("data-calls")) : null;
  }, "the cached count shows again");
  assert.equal(recounted, fromSync, "calls_stats agrees with the sync's report");
  assert.ok(fromSync >= total, "an incremental sync never loses calls");
  assert.match(await (await testid("overview-last-sync")).text(), /last synced just now/i);
  screenshot("e2e-calls-sync-now-up-to-date.png");

  // The clients list now says the client was synced.
  await (await testid("client-back")).click();
  const syncedRow = await until(async () => {
    for (const r of await session.findAll('[data-testid="client-row"]')) {
      if ((await r.attribute("data-client-id")) === clientId) return r;
    }
    return null;
  }, "the client is listed again");
  const [after] = await syncedRow.findAll('[data-testid="client-sync"]');
  assert.equal(await after.attribute("data-state"), "synced");
  assert.match(await after.text(), /synced just now/i);
  screenshot("e2e-calls-clients-synced.png");
});
