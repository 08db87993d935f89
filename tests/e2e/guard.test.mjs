// Guarding the money in the real app window, on the demo: a client's billing limit (5000 refused
// as Vapi refuses it, 250 saved and read back from Vapi), the check of last month's cache against
// Vapi's own totals, a spend threshold of one cent marking the client row and the agency total
// until it is cleared, the background sync interval (default 15, an invalid value refused, 30
// saved and read back) and the last sync time in the sidebar.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Session, sleep, until } from "./webdriver.mjs";

const { E2E_WEBDRIVER_URL, E2E_APP, DISPLAY } = process.env;
for (const [name, value] of Object.entries({ E2E_WEBDRIVER_URL, E2E_APP, DISPLAY })) {
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.sh`);
}

let session;

async function one(css, opts) {
  const [el] = await session.waitFor(css, opts);
  return el;
}

async function textOf(css, opts) {
  return (await one(css, opts)).text();
}

async function absent(css) {
  return (await session.findAll(css)).length === 0;
}

async function type(css, text) {
  const field = await one(css);
  await field.clear();
  await field.sendKeys(text);
}

before(async () => {
  session = await Session.create(E2E_WEBDRIVER_URL, {
    alwaysMatch: { "tauri:options": { application: E2E_APP } },
  });
});

after(async () => {
  await session?.delete().catch(() => {});
});

let clientId;

test("the sidebar shows when the demo last synced", async () => {
  await (await one('[data-testid="choose-demo"]')).click();
  await session.waitFor('[data-testid="client-row"]', { timeoutMs: 60000 });
  assert.match(await textOf('[data-testid="last-sync"]'), /Not synced yet|Last sync/);
  // The demo's first sync fills the cache; its end shows in the sidebar.
  await until(async () => /Last sync/.test(await textOf('[data-testid="last-sync"]')), "the last sync time is shown", 120000);
  await until(async () => /every 15 min/.test(await textOf('[data-testid="background-sync"]')), "the interval is shown");
  clientId = await (await one('[data-testid="client-row"]')).attribute("data-client-id");
  assert.ok(clientId);
});

test("a billing limit Vapi refuses is refused, 250 is saved and read back from Vapi", async () => {
  await (await one(`[data-testid="client-row"][data-client-id="${clientId}"] [data-testid="client-name"]`)).click();
  await (await one('[data-testid="billing-limit-edit"]', { timeoutMs: 30000 })).click();
  await type('[data-testid="billing-limit-input"]', "5000");
  await (await one('[data-testid="billing-limit-save"]')).click();
  const refusal = await textOf('[data-testid="billing-limit-save-error"]');
  assert.match(refusal, /1000|limit/i, refusal);

  await type('[data-testid="billing-limit-input"]', "250");
  await (await one('[data-testid="billing-limit-save"]')).click();
  await until(async () => /\$250 a month/.test(await textOf('[data-testid="billing-limit-value"]')), "250 is saved");

  // Read again from Vapi: leave the client and open it again.
  await (await one('[data-testid="nav-clients"]')).click();
  await (await one(`[data-testid="client-row"][data-client-id="${clientId}"] [data-testid="client-name"]`)).click();
  await until(async () => /\$250 a month/.test(await textOf('[data-testid="billing-limit-value"]', { timeoutMs: 30000 })), "250 is read back");
});

test("last month's cache matches Vapi", async () => {
  // The demo's sync may still be finishing this org: ask again until it has.
  await until(
    async () => {
      await (await one('[data-testid="reconcile-check"]')).click();
      await sleep(1500);
      return !(await absent('[data-testid="reconcile-matches"]'));
    },
    "the reconcile says the cache matches Vapi",
    90000,
  );
  assert.match(await textOf('[data-testid="reconcile-matches"]'), /Cache matches Vapi/);
});

test("a spend threshold of one cent marks the client and the agency total until cleared", async () => {
  await (await one('[data-testid="nav-settings"]')).click();
  await session.waitFor('[data-testid="spend-alerts"]');

  // The client's threshold.
  await (await one(`[data-testid="spend-threshold-whose"] option[value="${clientId}"]`)).click();
  await (await one('[data-testid="spend-threshold-kind"] option[value="amount"]')).click();
  await type('[data-testid="spend-threshold-value"]', "0.01");
  await (await one('[data-testid="spend-threshold-save"]')).click();
  await until(async () => /crossed this month/.test(await textOf('[data-testid="spend-threshold-saved"]')), "the check finds it crossed");

  // The agency's threshold; a value the back end refuses first.
  await (await one('[data-testid="spend-threshold-whose"] option[value=""]')).click();
  await type('[data-testid="spend-threshold-value"]', "0");
  await (await one('[data-testid="spend-threshold-save"]')).click();
  assert.match(await textOf('[data-testid="spend-threshold-error"]'), /above 0/);
  await type('[data-testid="spend-threshold-value"]', "0.01");
  await (await one('[data-testid="spend-threshold-save"]')).click();
  await until(async () => (await session.findAll('[data-testid="spend-threshold-crossed"]')).length === 2, "both are crossed");

  await (await one('[data-testid="nav-clients"]')).click();
  const mark = await textOf(`[data-testid="client-row"][data-client-id="${clientId}"] [data-testid="client-spend-mark"]`);
  assert.match(mark, /0\.01 USD a month/);
  await (await one('[data-testid="nav-overview"]')).click();
  assert.match(await textOf('[data-testid="agency-spend-mark"]', { timeoutMs: 30000 }), /Spend alert/);

  // Cleared: the marks go.
  await (await one('[data-testid="nav-settings"]')).click();
  await session.waitFor('[data-testid="spend-threshold"]', { min: 2 });
  for (let left = 2; left > 0; left--) {
    await (await one('[data-testid="spend-threshold-clear"]')).click();
    await until(async () => (await session.findAll('[data-testid="spend-threshold"]')).length === left - 1, "a threshold is cleared");
  }
  await (await one('[data-testid="nav-overview"]')).click();
  await session.waitFor('[data-testid="agency-totals"]', { timeoutMs: 30000 });
  await until(() => absent('[data-testid="agency-spend-mark"]'), "the agency mark is gone");
  await (await one('[data-testid="nav-clients"]')).click();
  await session.waitFor('[data-testid="client-row"]');
  await until(() => absent('[data-testid="client-spend-mark"]'), "the client mark is gone");
});

test("the background sync interval defaults to 15, refuses 3 and keeps 30", async () => {
  await (await one('[data-testid="nav-settings"]')).click();
  const input = '[data-testid="settings-background-sync-input"]';
  await until(async () => (await (await one(input)).property("value")) === "15", "the default (15 minutes) is shown");
  await type(input, "3");
  await (await one('[data-testid="settings-background-sync-save"]')).click();
  assert.match(await textOf('[data-testid="settings-background-sync-error"]'), /between 5 and 1440/);
  await type(input, "30");
  await (await one('[data-testid="settings-background-sync-save"]')).click();
  await until(async () => /every 30 minutes/.test(await textOf('[data-testid="settings-background-sync-saved"]')), "30 is saved");

  await (await one('[data-testid="nav-clients"]')).click();
  await until(async () => /every 30 min/.test(await textOf('[data-testid="background-sync"]')), "the sidebar shows 30 minutes");
  await (await one('[data-testid="nav-settings"]')).click();
  await until(async () => (await (await one(input)).property("value")) === "30", "Settings reads 30 back");
});
