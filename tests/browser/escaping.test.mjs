// Hostile names in a real page: a client org and an assistant whose names close comments and
// script elements are linked, and `agencydesk snippet --kind script-tag` is pasted into a page as
// a client would. Chromium must run the snippet as written (the widget gets the right key,
// assistant and label) and never the injected code. A control page with the same names pasted
// raw proves the payloads do run when nothing escapes them.
import assert from "node:assert/strict";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { dumpDom } from "./lib/browser.mjs";
import { agencydeskOk, linkClient, newDataDir } from "./lib/cli.mjs";
import { allowedOrigin, manifest, siteDir, simUrl } from "./lib/env.mjs";
import { api } from "./lib/sim.mjs";

const org = manifest.orgs[1];
const assistant = org.assistants[0];
const key = org.publicKeys[0];
// Each at most 40 characters (Vapi's limit on names); each calls pwn(n) if it ever runs.
const CLIENT_NAME = `--><img src=x onerror=pwn(3)>"'`;
const ASSISTANT_NAME = `"'</script><script>pwn(1)</script>`;

// pwn() marks the page; window.vapiSDK stands in for the widget bundle (its CDN is unreachable
// here) and records what the snippet hands it.
const HEAD = `<!doctype html>
<html><head><meta charset="utf-8"><title>client site</title>
<script>
  function pwn(n) {
    var root = document.documentElement;
    root.setAttribute("data-pwned", ((root.getAttribute("data-pwned") || "") + " " + n).trim());
  }
  window.vapiSDK = {
    run: function (options) {
      document.getElementById("widget").textContent = encodeURIComponent(JSON.stringify(options));
    },
  };
</script></head>
<body><h1>Client site</h1><pre id="widget"></pre><pre id="inserted"></pre>
`;
// The snippet inserts the widget's script element and runs the widget from its onload; the load
// cannot happen offline, so the page fires onload itself.
const TAIL = `
<script>
  var widget = document.querySelector('script[src*="html-script-tag"]');
  document.getElementById("inserted").textContent = widget ? widget.src : "none";
  if (widget && widget.onload) widget.onload();
</script>
</body></html>
`;

let dataDir;
let snippet;

before(async () => {
  await api("PATCH", `/org/${org.id}`, org.privateKey, { name: CLIENT_NAME });
  await api("PATCH", `/assistant/${assistant.id}`, org.privateKey, { name: ASSISTANT_NAME });
  dataDir = newDataDir("escaping");
  linkClient(dataDir, simUrl, org.privateKey);
  snippet = agencydeskOk(dataDir, [
    "snippet", "--org", org.id, "--key", key.id, "--assistant", assistant.id, "--kind", "script-tag",
  ]).stdout;
  page("escaping", snippet);
  page(
    "escaping-control",
    `<!-- Vapi voice widget: ${CLIENT_NAME}, assistant ${ASSISTANT_NAME}. -->
<script>var label = "Talk to ${ASSISTANT_NAME}";</script>`,
  );
});

function page(name, body) {
  const dir = join(siteDir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.html"), HEAD + body + TAIL);
}

function pwned(dom) {
  const match = /<html[^>]*\sdata-pwned="([^"]*)"/.exec(dom);
  return match ? match[1].split(" ").sort() : [];
}

test("control: the hostile names do run when pasted unescaped", async () => {
  const dom = await dumpDom(`${allowedOrigin}/escaping-control/`);
  assert.deepEqual(pwned(dom), ["1", "1", "3"].sort(), dom.slice(0, 1500));
});

test("the store really holds the hostile names", () => {
  const clients = JSON.parse(agencydeskOk(dataDir, ["clients", "list", "--json"]).stdout);
  const linked = clients.find((c) => c.id === org.id);
  assert.equal(linked.name, CLIENT_NAME);
  assert.equal(linked.assistants.find((a) => a.id === assistant.id).name, ASSISTANT_NAME);
});

test("script-tag snippet with hostile names: no injected code runs, the widget gets its options", async () => {
  // Only the snippet's own closing tag; the names left no markup behind.
  assert.equal(snippet.split("</script>").length - 1, 1, snippet);
  assert.ok(!snippet.includes("<img"), snippet);

  const dom = await dumpDom(`${allowedOrigin}/escaping/`);
  assert.deepEqual(pwned(dom), [], "an injected script ran");
  const inserted = /<pre id="inserted">([^<]*)<\/pre>/.exec(dom)?.[1];
  assert.match(inserted ?? "", /^https:\/\/cdn\.jsdelivr\.net\/gh\/VapiAI\/html-script-tag/, "the snippet's script ran");
  const options = JSON.parse(decodeURIComponent(/<pre id="widget">([^<]*)<\/pre>/.exec(dom)?.[1] ?? ""));
  assert.equal(options.apiKey, key.value);
  assert.equal(options.assistant, assistant.id);
  // The label keeps the name, quotes and all, minus the angle brackets.
  assert.equal(options.config.idle.title, `Talk to ${ASSISTANT_NAME.replace(/[<>]/g, "")}`);
});
