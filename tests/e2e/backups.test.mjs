// Settings → Backups in the real app window, in the demo: the demo says it keeps no backups, and
// "Rebuild the call cache" empties the cache through the real command once the demo's own sync
// finished (while a sync runs it is refused with a reason).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Session, until } from "./webdriver.mjs";

const { E2E_WEBDRIVER_URL, E2E_APP, DISPLAY } = process.env;
for (const [name, value] of Object.entries({ E2E_WEBDRIVER_URL, E2E_APP, DISPLAY })) {
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.sh`);
}

let session;

async function one(css, opts) {
  const [el] = await session.waitFor(css, opts);
  return el;
}

before(async () => {
  session = await Session.create(E2E_WEBDRIVER_URL, {
    alwaysMatch: { "tauri:options": { application: E2E_APP } },
  });
});

after(async () => {
  await session?.delete().catch(() => {});
});

test("the demo has no backups, and rebuilding its call cache empties it", async () => {
  await (await one('[data-testid="choose-demo"]')).click();
  await session.waitFor('[data-testid="client-row"]', { timeoutMs: 60000 });
  await until(async () => {
    const rows = await session.findAll('[data-testid="client-row"]');
    const states = [];
    for (const r of rows) {
      const [badge] = await r.findAll('[data-testid="client-sync"]');
      states.push(badge ? await badge.attribute("data-state") : "none");
    }
    return rows.length > 0 && states.every((s) => s === "synced");
  }, "the demo's first sync finished", 120000);

  await (await one('[data-testid="nav-settings"]')).click();
  const panel = await one('[data-testid="settings-backups"]');
  assert.match(await panel.text(), /demo keeps no backups/i);
  assert.equal((await session.findAll('[data-testid="settings-backup"]')).length, 0);

  await (await one('[data-testid="settings-rebuild"]')).click();
  await (await one('[data-testid="settings-rebuild-confirm"]')).click();
  const notice = await one('[data-testid="settings-backups-notice"]', { timeoutMs: 30000 });
  const text = await notice.text();
  const removed = Number(/Removed (\d+)/.exec(text)?.[1]);
  assert.ok(removed > 0, `the cached calls were removed: ${text}`);
  assert.match(text, /plans and invoices are unchanged/);
});
