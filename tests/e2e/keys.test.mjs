// The Keys and Snippets tabs in the real app window: in the demo, open a client, create a key
// restricted to one website (plus the www twin the form suggests) and one assistant, see it
// listed with its restriction in plain words, then on Snippets pick it, press Copy, and read the
// X clipboard back with xclip (the same DISPLAY the app runs on): it must hold exactly the code
// on screen, with the new key's value in it. Names and ids come from the simulator's manifest.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { rememberSecrets } from "./secrets.mjs";
import { Element, Session, until } from "./webdriver.mjs";

const { E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM, E2E_SCREENSHOT_DIR, DISPLAY } = process.env;
for (const [name, value] of Object.entries({ E2E_WEBDRIVER_URL, E2E_APP, E2E_SIM, DISPLAY })) {
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.sh`);
}

// Must match the demo's world in src-tauri/src/demo.rs.
const DEMO_SIM_ARGS = ["--seed", "7", "--orgs", "4", "--days", "90"];
const SITE = "https://e2e-clinic.example";
const SITE_WWW = "https://www.e2e-clinic.example";
const KEY_NAME = `E2E site ${process.pid}`.slice(0, 40);

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
  mkdirSync(E2E_SCREENSHOT_DIR, { recursive: true });
  execFileSync("import", ["-window", "root", join(E2E_SCREENSHOT_DIR, name)], { timeout: 20000 });
}

/** What the X clipboard holds right now, as another program on the display sees it. */
function clipboard() {
  return execFileSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8", timeout: 10000, env: process.env });
}

/** Puts known text on the clipboard first, so a Copy that did nothing cannot pass. */
function clearClipboard(text) {
  // xclip forks to keep serving the selection (until the app takes it over, or the display
  // ends): its output goes nowhere, so no pipe of ours is held open by that child.
  execFileSync("xclip", ["-i", "-selection", "clipboard"], {
    input: text,
    stdio: ["pipe", "ignore", "ignore"],
    timeout: 10000,
    env: process.env,
  });
}

async function one(css, opts) {
  const [el] = await session.waitFor(css, opts);
  return el;
}

async function textOf(css) {
  return (await one(css)).property("textContent");
}

let session;
let sim;
let org;
let assistant;
let createdKeyId;

before(async () => {
  sim = await startSimulator();
  // The demo's own simulator has the same seed, so these are the keys the app holds.
  rememberSecrets(sim.manifest.orgs.map((o) => o.privateKey));
  org = sim.manifest.orgs[0];
  assistant = org.assistants[0];
  assert.ok(assistant, "the first demo org has an assistant");
  session = await Session.create(E2E_WEBDRIVER_URL, {
    alwaysMatch: { "tauri:options": { application: E2E_APP } },
  });
});

after(async () => {
  await session?.delete().catch(() => {});
  sim?.child.kill("SIGTERM");
});

test("a restricted key is created from the Keys tab and listed in plain words", async () => {
  await (await one('[data-testid="choose-demo"]')).click();
  const rows = await session.waitFor('[data-testid="client-row"]', { min: sim.manifest.orgs.length, timeoutMs: 60000 });
  let opened = false;
  for (const row of rows) {
    const [name] = await row.findAll('[data-testid="client-name"]');
    if ((await name.text()) === org.name) {
      await name.click();
      opened = true;
      break;
    }
  }
  assert.ok(opened, `${org.name} is in the clients list`);
  await (await one('[data-testid="client-tab-keys"]')).click();
  // The seeded keys are listed, each with its sentence.
  await session.waitFor('[data-testid="key-card"]', { min: org.publicKeys.length });
  screenshot("e2e-keys-tab.png");

  // Esc closes the form without creating anything.
  await (await one('[data-testid="key-create"]')).click();
  const nameInput = await one('[data-testid="key-form-name"]');
  await nameInput.sendKeys(Element.ESCAPE);
  await until(async () => (await session.findAll('[data-testid="key-form-name"]')).length === 0, "Esc closed the key form");

  await (await one('[data-testid="key-create"]')).click();
  await (await one('[data-testid="key-form-name"]')).sendKeys(KEY_NAME);
  const submit = await one('[data-testid="key-form-submit"]');
  assert.equal(await submit.property("disabled"), true, "an empty form cannot be submitted");

  // A path is refused with its own message and the corrected origin offered.
  const origin = await one('[data-testid="key-origin-input-0"]');
  await origin.sendKeys(`${SITE}/contact`);
  await until(async () => /Remove the path/.test(await textOf('[data-testid="key-origin-status-0"]')), "the path is explained");
  screenshot("e2e-key-origin-error.png");
  await (await one('[data-testid="key-origin-fix-0"]')).click();
  await until(async () => (await origin.property("value")) === SITE, "the fix replaced the text");
  // Valid now; the www twin is missing and offered.
  const twin = await one('[data-testid="key-origin-twin-0"]', { timeoutMs: 5000 });
  assert.match(await twin.text(), new RegExp(SITE_WWW.replaceAll(".", "\\.")));
  await twin.click();
  await until(
    async () => (await (await one('[data-testid="key-origin-input-1"]')).property("value")) === SITE_WWW,
    "the twin was added as a second website",
  );
  await (await one(`[data-testid="key-assistant-${assistant.id}"]`)).click();
  try {
    await until(async () => (await submit.property("disabled")) === false, "the form is complete");
  } catch (error) {
    screenshot("e2e-key-form-incomplete.png");
    const [missing] = await session.findAll('[data-testid="key-form-missing"]');
    throw new Error(`${error.message}; the form says: ${missing ? await missing.text() : "nothing"}`);
  }
  screenshot("e2e-key-form.png");
  await submit.click();

  const card = await until(async () => {
    for (const c of await session.findAll('[data-testid="key-card"]')) {
      const [n] = await c.findAll('[data-testid="key-name"]');
      if ((await n.text()) === KEY_NAME) return c;
    }
    return null;
  }, `"${KEY_NAME}" is listed`);
  createdKeyId = await card.attribute("data-key-id");
  const [sentence] = await card.findAll('[data-testid="key-sentence"]');
  assert.equal(
    await sentence.text(),
    `Only ${SITE} and ${SITE_WWW} may start ${assistant.name}. Transient assistants are refused.`,
  );
  assert.equal((await card.findAll('[data-testid="key-warning"]')).length, 0, "a well-restricted key draws no warning");
  assert.equal(await card.attribute("data-enabled"), "true");
  screenshot("e2e-key-created.png");
});

test("its snippet is copied to the real clipboard", async () => {
  assert.ok(createdKeyId, "the key was created by the previous test");
  await (await one('[data-testid="client-tab-snippets"]')).click();
  const option = await one(`[data-testid="snippet-key"] option[value="${createdKeyId}"]`);
  await option.click();
  await until(
    async () => (await (await one('[data-testid="snippet-key"]')).property("value")) === createdKeyId,
    "the new key is picked",
  );
  const keyValue = await until(async () => {
    const [v] = await session.findAll('[data-testid="snippet-key-allows"] [data-testid="key-sentence"]');
    return v && (await v.text()).includes(SITE_WWW) ? true : null;
  }, "the panel shows what the new key allows");
  assert.ok(keyValue);

  const code = await until(async () => {
    const [pre] = await session.findAll('[data-testid="snippet-code"]');
    const text = pre ? await pre.property("textContent") : "";
    return text.includes(assistant.id) ? text : null;
  }, "the script-tag snippet for the chosen assistant is shown");
  assert.match(code, /<script/);
  // The demo's API is the local simulator, which the script-tag widget cannot use: said in place.
  // Nothing is said against the key itself: it is restricted to the site and the assistant.
  const warnings = await Promise.all((await session.findAll('[data-testid="snippet-warning"]')).map((w) => w.text()));
  assert.deepEqual(
    warnings.filter((w) => !/custom API address/.test(w)),
    [],
    `no warning about a well-restricted key: ${warnings.join(" | ")}`,
  );

  clearClipboard("not the snippet");
  await (await one('[data-testid="snippet-copy"]')).click();
  await until(async () => /Copied/.test(await textOf('[data-testid="snippet-copy-status"]')), "the page says Copied");
  const copied = await until(() => {
    const text = clipboard();
    return text !== "not the snippet" ? text : null;
  }, "the clipboard changed");
  assert.equal(copied, code, "the clipboard holds exactly the snippet on screen");
  for (const o of sim.manifest.orgs) {
    assert.ok(!copied.includes(o.privateKey), `no private key of ${o.name} in the snippet`);
  }
  screenshot("e2e-snippet-copied.png");

  // A website the key does not allow is flagged next to the code.
  await (await one('[data-testid="snippet-site"]')).sendKeys("https://copycat.example");
  await until(async () => {
    const texts = await Promise.all((await session.findAll('[data-testid="snippet-warning"]')).map((w) => w.text()));
    return texts.some((t) => t.includes("does not allow https://copycat.example"));
  }, "the site the key does not allow is warned about");
  screenshot("e2e-snippet-warning.png");
});

test("rotating the key: a replacement first, then the old key turned off", async () => {
  await (await one('[data-testid="client-tab-keys"]')).click();
  const card = await one(`[data-testid="key-card"][data-key-id="${createdKeyId}"]`);
  const [rotate] = await card.findAll('[data-testid="key-rotate"]');
  await rotate.click();
  await (await one('[data-testid="key-rotate-start"]')).click();
  const started = await one('[data-testid="key-rotate-started"]', { timeoutMs: 30000 });
  const kinds = await (await one('[data-testid="key-rotate-snippets"]')).text();
  for (const label of ["Script tag", "Web SDK", "React"]) assert.match(kinds, new RegExp(label));
  assert.match(await started.text(), /Both keys work now/);
  screenshot("e2e-key-rotate-started.png");
  await (await one('[data-testid="key-rotate-finish"]')).click();
  await one('[data-testid="key-rotate-finished"]', { timeoutMs: 30000 });
  await (await one('[data-testid="key-rotate-done"]')).click();
  await until(
    async () =>
      (await (await one(`[data-testid="key-card"][data-key-id="${createdKeyId}"]`)).attribute("data-enabled")) === "false",
    "the old key is listed as off",
  );
  const cards = await session.findAll('[data-testid="key-card"]');
  let replacement = null;
  for (const c of cards) {
    const [n] = await c.findAll('[data-testid="key-name"]');
    if ((await n.text()).startsWith(`${KEY_NAME.slice(0, 20)}`) && (await c.attribute("data-key-id")) !== createdKeyId) replacement = c;
  }
  assert.ok(replacement, "the replacement is listed");
  assert.equal(await replacement.attribute("data-enabled"), "true");
  screenshot("e2e-key-rotated.png");
});

test("the Key audit screen lists findings and applies a one-click fix", async () => {
  await (await one('[data-testid="nav-keys"]')).click();
  await one('[data-testid="key-audit-summary"]', { timeoutMs: 30000 });
  const transient = await one('[data-testid="key-finding"][data-kind="transientAllowed"]');
  const keyId = await transient.attribute("data-key-id");
  screenshot("e2e-key-audit.png");
  const [fixButton] = await transient.findAll('[data-testid="key-fix"]');
  assert.match(await fixButton.text(), /Refuse transient assistants/);
  await fixButton.click();
  await until(async () => /Fixed/.test(await textOf('[data-testid="key-audit-notice"]')), "the fix is reported");
  await until(
    async () =>
      (await session.findAll(`[data-testid="key-finding"][data-kind="transientAllowed"][data-key-id="${keyId}"]`)).length ===
      0,
    "the finding is gone after the audit ran again",
  );
  // The other findings of that key remain: the fix did only what it said.
  assert.ok((await session.findAll(`[data-testid="key-finding"][data-key-id="${keyId}"]`)).length >= 1);
  screenshot("e2e-key-audit-fixed.png");

  // "Choose the websites" opens the key's form with "any website" unticked, ready for a site.
  const open = await one(`[data-testid="key-finding"][data-kind="noOriginRestriction"][data-key-id="${keyId}"]`);
  const [choose] = await open.findAll('[data-testid="key-fix-edit"]');
  await choose.click();
  const anyOrigin = await one('[data-testid="key-any-origin"]');
  assert.equal(await anyOrigin.property("checked"), false);
  const input = await one('[data-testid="key-origin-input-0"]');
  assert.equal(await input.property("disabled"), false);
  await input.sendKeys("https://brightside.example");
  await until(async () => /Saved as/.test(await textOf('[data-testid="key-origin-status-0"]')), "the origin is accepted");
  screenshot("e2e-key-audit-edit.png");
  await input.sendKeys(Element.ESCAPE);
  await until(async () => (await session.findAll('[data-testid="key-form-name"]')).length === 0, "Esc closed the form");
});
