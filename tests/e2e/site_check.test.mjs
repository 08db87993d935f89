// The Site check panel in the real app window: in the demo, read a client's public key from its
// Keys tab, serve a page on 127.0.0.1 whose /widget.js holds that key and a random UUID, add the
// page's address on the client's overview and press Scan. The demo key is reported with a
// severity above info (it is not restricted to 127.0.0.1), the UUID as info, both only as
// fingerprints; the test site never received a credential or a key.
import { createHash, randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
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

/** core's fingerprint: "…" and the first 8 hex digits of the value's SHA-256. */
function fingerprint(value) {
  return `…${createHash("sha256").update(value).digest("hex").slice(0, 8)}`;
}

async function one(css, opts) {
  const [el] = await session.waitFor(css, opts);
  return el;
}

let session;
let site;
let siteUrl;
let publicKey = "";
const uuid = randomUUID();
const requests = [];

function startSite() {
  const server = createServer((req, res) => {
    requests.push({ url: req.url, headers: req.headers });
    if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end('<!doctype html><title>Clinic</title><script src="/widget.js"></script>');
    } else if (req.url === "/widget.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(`const vapi = new Vapi("${publicKey}");\nconst vapiAssistant = "${uuid}";\n`);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

before(async () => {
  site = await startSite();
  siteUrl = `http://127.0.0.1:${site.address().port}/`;
  session = await Session.create(E2E_WEBDRIVER_URL, {
    alwaysMatch: { "tauri:options": { application: E2E_APP } },
  });
});

after(async () => {
  await session?.delete().catch(() => {});
  site?.close();
});

test("the Site check panel finds the demo key on a page and shows it as a fingerprint", async () => {
  await (await one('[data-testid="choose-demo"]')).click();
  const [first] = await session.waitFor('[data-testid="client-row"] [data-testid="client-name"]', { timeoutMs: 60000 });
  await first.click();

  // The key as the Keys tab shows it (public keys are published in pages by design).
  await (await one('[data-testid="client-tab-keys"]')).click();
  publicKey = await until(async () => {
    for (const card of await session.findAll('[data-testid="key-card"]')) {
      if ((await card.attribute("data-enabled")) !== "true") continue;
      const [value] = await card.findAll('[data-testid="key-value"]');
      const text = value ? (await value.text()).trim() : "";
      if (text) return text;
    }
    return null;
  }, "an enabled public key is shown");

  await (await one('[data-testid="client-tab-overview"]')).click();
  const input = await one('[data-testid="site-url-input"]');
  await input.sendKeys(siteUrl);
  await (await one('[data-testid="site-url-add"]')).click();
  await until(async () => {
    for (const li of await session.findAll('[data-testid="site-url"]')) {
      if ((await li.text()).includes(siteUrl)) return true;
    }
    return false;
  }, "the address is listed");
  await (await one('[data-testid="site-check-scan"]')).click();

  const findings = await until(async () => {
    const found = {};
    for (const f of await session.findAll('[data-testid="site-finding"]')) {
      found[await f.attribute("data-key")] = await f.attribute("data-severity");
    }
    return found[fingerprint(publicKey)] && found[fingerprint(uuid)] ? found : null;
  }, "both values are reported", 60000);
  screenshot("e2e-site-check.png");

  assert.notEqual(findings[fingerprint(publicKey)], "info", "the demo key needs attention on 127.0.0.1");
  assert.equal(findings[fingerprint(uuid)], "info", "a UUID of no linked org is info");

  const panel = await (await one('[data-testid="site-check"]')).text();
  assert.ok(!panel.includes(publicKey), "the key itself is not shown");
  assert.ok(!panel.includes(uuid), "the UUID itself is not shown");
  assert.ok(panel.includes(fingerprint(publicKey)));

  assert.ok(requests.some((r) => r.url === "/widget.js"), "the same-site script was read");
  for (const r of requests) {
    assert.equal(r.headers.authorization, undefined, `no Authorization on ${r.url}`);
    assert.equal(r.headers.cookie, undefined, `no Cookie on ${r.url}`);
    assert.ok(!JSON.stringify(r).includes(publicKey), `no key in the request for ${r.url}`);
  }
});
