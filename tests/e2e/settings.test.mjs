// The Settings screen in the real app window: in the demo, change the key rotation age, see it
// kept in the agency's database (the Key audit shows it, and so does Settings after navigating
// away and back), and see an unsafe Vapi address refused with its reason.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Session, until } from "./webdriver.mjs";

const { E2E_WEBDRIVER_URL, E2E_APP, E2E_SCREENSHOT_DIR, DISPLAY } = process.env;
for (const [name, value] of Object.entries({ E2E_WEBDRIVER_URL, E2E_APP, DISPLAY })) {
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.sh`);
}

function screenshot(name) {
  if (!E2E_SCREENSHOT_DIR) return;
  mkdirSync(E2E_SCREENSHOT_DIR, { recursive: true });
  execFileSync("import", ["-window", "root", join(E2E_SCREENSHOT_DIR, name)], { timeout: 20000 });
}

let session;

async function one(css, opts) {
  const [el] = await session.waitFor(css, opts);
  return el;
}

async function valueOf(css) {
  return (await one(css)).property("value");
}

before(async () => {
  session = await Session.create(E2E_WEBDRIVER_URL, {
    alwaysMatch: { "tauri:options": { application: E2E_APP } },
  });
});

after(async () => {
  await session?.delete().catch(() => {});
});

test("the rotation age is saved in the agency and read back everywhere", async () => {
  await (await one('[data-testid="choose-demo"]')).click();
  await session.waitFor('[data-testid="client-row"]', { timeoutMs: 60000 });

  await (await one('[data-testid="nav-settings"]')).click();
  const input = '[data-testid="settings-rotation-input"]';
  await until(async () => (await valueOf(input)) === "180", "the default age (180 days) is shown");
  await session.waitFor('[data-testid="settings-base-url-row"]');
  assert.notEqual(await (await one('[data-testid="settings-data-folder"]')).text(), "", "the data folder is shown");

  const field = await one(input);
  await field.clear();
  await field.sendKeys("45");
  await (await one('[data-testid="settings-rotation-save"]')).click();
  await until(
    async () => /45 days/.test(await (await one('[data-testid="settings-rotation-saved"]')).text()),
    "the save is confirmed",
  );
  screenshot("e2e-settings.png");

  // Another screen reads the stored value, not the form's.
  await (await one('[data-testid="nav-keys"]')).click();
  await until(async () => (await valueOf('[data-testid="key-audit-age-input"]')) === "45", "the Key audit uses 45 days");

  await (await one('[data-testid="nav-settings"]')).click();
  await until(async () => (await valueOf(input)) === "45", "Settings shows 45 days after coming back");
});

test("renaming the agency in Settings shows the new name in the sidebar at once", async () => {
  await (await one('[data-testid="nav-settings"]')).click();
  const field = await one('[data-testid="agency-details-name"]');
  await until(async () => (await field.property("value")) !== "", "the agency's name is loaded");
  await field.clear();
  await field.sendKeys("Renamed Voice Co");
  await (await one('[data-testid="agency-details-save"]')).click();
  await session.waitFor('[data-testid="agency-details-saved"]');
  await until(
    async () => (await (await one('[data-testid="agency-name"]')).text()) === "Renamed Voice Co",
    "the sidebar shows the new name without reopening",
  );
});

test("a Vapi address that would send the key in clear text is refused with its reason", async () => {
  const [row] = await session.waitFor('[data-testid="settings-base-url-row"]');
  const [urlInput] = await row.findAll('[data-testid="settings-base-url-input"]');
  const before = await urlInput.property("value");
  await urlInput.clear();
  await urlInput.sendKeys("http://proxy.example");
  const [save] = await row.findAll('[data-testid="settings-base-url-save"]');
  await save.click();
  const error = await until(async () => (await row.findAll('[data-testid="settings-base-url-error"]'))[0], "the refusal is shown");
  assert.match(await error.text(), /https:\/\//);
  assert.equal((await row.findAll('[data-testid="settings-base-url-saved"]')).length, 0);
  assert.ok(before.length > 0, "the row started with the stored address");
});

/** Runs `invoke(command, args)` in the page, as a script in the window could, and returns its outcome. */
async function invokeFromPage(command, args) {
  return session.cmd("POST", "/execute/async", {
    script: `const [command, args, done] = arguments;
      window.__TAURI_INTERNALS__.invoke(command, args).then((ok) => done({ ok }), (err) => done({ err }));`,
    args: [command, args],
  });
}

/** Rows of the demo's real SQLite file, read with the sqlite3 command line tool. */
function sqlite(query) {
  const db = join(process.env.AGENCYDESK_DATA_DIR, "demo", "agencydesk.sqlite");
  return execFileSync("sqlite3", ["-readonly", db, query], { encoding: "utf8", timeout: 20000 }).trim();
}

test("a host other than Vapi's is refused unless the owner confirms it, whatever the page sends", async () => {
  const [row] = await session.waitFor('[data-testid="settings-base-url-row"]');
  const [urlInput] = await row.findAll('[data-testid="settings-base-url-input"]');
  await urlInput.clear();
  await urlInput.sendKeys("https://Other.Example/vapi");
  const [save] = await row.findAll('[data-testid="settings-base-url-save"]');
  await save.click();
  // The test build answers the native confirmation "no", as the owner's Cancel would.
  const error = await until(async () => (await row.findAll('[data-testid="settings-base-url-error"]'))[0], "the refusal is shown");
  assert.match(await error.text(), /other\.example was not confirmed/);
  assert.match(await error.text(), /--trust-host other\.example/);
  assert.equal((await row.findAll('[data-testid="settings-base-url-saved"]')).length, 0);
  screenshot("e2e-settings-untrusted-host.png");

  // A script in the window gets the same answer: no argument can trust a host.
  const clients = await invokeFromPage("list_clients", {});
  const org = clients.ok.find((c) => c.kind === "client");
  for (const [command, args] of [
    ["set_client_base_url", { orgId: org.id, baseUrl: "https://other.example" }],
    ["set_client_base_url", { orgId: org.id, baseUrl: "https://other.example", trusted: true, trustHost: "other.example" }],
    ["link_client", { baseUrl: "https://other.example", key: "00000000-0000-4000-8000-000000000000" }],
  ]) {
    const outcome = await invokeFromPage(command, args);
    assert.equal(outcome.ok, undefined, `${command} was refused`);
    assert.equal(outcome.err?.code, "InvalidInput", JSON.stringify(outcome));
    assert.match(outcome.err.message, /other\.example was not confirmed/);
  }
  // Plain http off this machine is refused before anyone is asked.
  const clear = await invokeFromPage("set_client_base_url", { orgId: org.id, baseUrl: "http://other.example" });
  assert.match(clear.err?.message ?? "", /https:\/\//);
  // The page cannot choose where a new client org lives either: the argument is gone.
  const created = await invokeFromPage("create_client_org", { name: "Page Co", baseUrl: "https://other.example" });
  if (created.ok) assert.doesNotMatch(created.ok.baseUrl, /other\.example/);

  // Nothing of it reached the database: no trusted host, no address at other.example.
  assert.equal(sqlite("SELECT count(*) FROM trusted_hosts;"), "0");
  assert.equal(sqlite("SELECT count(*) FROM client_orgs WHERE base_url LIKE '%other.example%';"), "0");
  const stored = await invokeFromPage("list_clients", {});
  assert.equal(stored.ok.find((c) => c.id === org.id).baseUrl, org.baseUrl, "the address is unchanged");
});

test("About shows the version and licenses; Copy diagnostics copies a report with no key, id or client name", async () => {
  const [about] = await session.waitFor('[data-testid="settings-about"]');
  const version = await (await one('[data-testid="about-version"]')).text();
  assert.match(version, /^\d+\.\d+\.\d+ \((debug|release) build\)$/);
  // The test build names no update feed: Settings says so and offers no check.
  assert.match(await (await one('[data-testid="about-updates"]')).text(), /checks for no updates/);
  assert.equal((await session.findAll('[data-testid="check-updates"]')).length, 0);
  assert.match(await (await one('[data-testid="about-licenses"] summary')).text(), /1 bundled font, \d{3,} crates/);

  execFileSync("xclip", ["-i", "-selection", "clipboard"], {
    input: "nothing copied yet",
    stdio: ["pipe", "ignore", "ignore"],
    timeout: 10000,
  });
  await (await one('[data-testid="copy-diagnostics"]')).click();
  await session.waitFor('[data-testid="diagnostics-copied"]', { timeoutMs: 30000 });
  const copied = await until(async () => {
    const text = execFileSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8", timeout: 10000 });
    return text.startsWith("agencydesk ") ? text : null;
  }, "the report is on the clipboard");
  assert.equal(copied.trim(), (await (await one('[data-testid="diagnostics-text"]')).text()).trim(), "what is copied is what is shown");
  assert.ok(copied.startsWith(`agencydesk ${version.split(" ")[0]}`), copied);
  assert.match(copied, /demo mode/);
  assert.match(copied, /calls cached: [1-9]\d*/, "the demo's synced calls are counted");
  // The refusals of the test before are among the recent errors, with nothing private in them.
  assert.match(copied, /other\.example was not confirmed/);

  const clients = (await invokeFromPage("list_clients", {})).ok;
  assert.ok(clients.length > 0);
  for (const c of clients) {
    assert.ok(!copied.includes(c.id), "no org id in the report");
    assert.ok(!copied.includes(c.name), `no client name in the report (${c.name})`);
  }
  screenshot("e2e-settings-about.png");
  assert.ok(about);
});
