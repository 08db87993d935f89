// A restricted public key, put on a page by `agencydesk snippet --kind web-sdk`, used by the
// official @vapi-ai/web SDK in Chromium (the key made with `agencydesk keys create`): it works from the client's site and nowhere else, only
// for its assistant, never for a transient one. A JWT from `agencydesk jwt mint` works until it
// expires. Every refusal is checked against the simulator's own message, so a page that merely
// failed to load cannot pass for a refusal.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { agencydesk, agencydeskOk, linkClient, newDataDir } from "./lib/cli.mjs";
import { visit } from "./lib/browser.mjs";
import {
  allowedOrigin,
  evilOrigin,
  manifest,
  privateKeys,
  siteDir,
  simUrl,
} from "./lib/env.mjs";
import { recorder, siteFile, snippetPage } from "./lib/page.mjs";
import { api, webCallsSince } from "./lib/sim.mjs";

const org = manifest.orgs[0];
const dataDir = newDataDir("restrictions");
const startedAt = new Date(Date.now() - 1000).toISOString();
/** Web calls the simulator must have recorded by the end: one per successful start. */
const expectedCallIds = new Set();
let key; // the restricted public key created for this run
let allowed; // the assistant the key may start
let other; // one it may not
let jwt; // { token, expiresAt } from `agencydesk jwt mint`

const RECORD = `import { watch, record } from ${JSON.stringify(recorder)};`;

before(async () => {
  linkClient(dataDir, simUrl, org.privateKey);
  allowed = org.assistants[0];
  other = org.assistants[1] ?? (await api("POST", "/assistant", org.privateKey, { name: "Second line" }));
  // The key is made the way a user makes it: `agencydesk keys create`, safe defaults.
  key = JSON.parse(
    agencydeskOk(dataDir, [
      "keys", "create", "--org", org.id, "--name", "client-a website (browser test)",
      "--origin", allowedOrigin, "--assistant", allowed.id, "--json",
    ]).stdout,
  );
  assert.deepEqual(key.restrictions.allowedOrigins, [allowedOrigin]);
  assert.equal(key.restrictions.allowTransientAssistant, false);
  // Link again so the store learns the assistant created through the API above.
  linkClient(dataDir, simUrl, org.privateKey);

  // The token first: its 30 seconds run while the other pages are tested.
  const minted = agencydeskOk(dataDir, [
    "jwt", "mint", "--org", org.id, "--origin", allowedOrigin, "--assistant", allowed.id,
    "--ttl", "30s", "--json",
  ]);
  jwt = JSON.parse(minted.stdout);
  siteFile("vapi-token", JSON.stringify({ token: jwt.token, expiresAt: jwt.expiresAt }));

  const webSdk = snippet(["--kind", "web-sdk", "--assistant", allowed.id]);
  assert.equal(webSdk.stderr, "", "a key that fits the site draws no warning");
  await snippetPage("web-sdk", webSdk.stdout, `${RECORD}
import vapi, { startCall } from "./snippet.js";
watch(vapi);
record(() => startCall());
`);
  await snippetPage("transient", webSdk.stdout, `${RECORD}
import vapi from "./snippet.js";
watch(vapi);
record(() => vapi.start({ name: "Made up in the page", firstMessage: "Hello" }));
`);

  const otherSnippet = snippet(["--kind", "web-sdk", "--assistant", other.id]);
  assert.match(otherSnippet.stderr, /may not start/, "the CLI warns before the browser refuses");
  await snippetPage("other-assistant", otherSnippet.stdout, `${RECORD}
import vapi, { startCall } from "./snippet.js";
watch(vapi);
record(() => startCall());
`);

  // JWT mode: the page code that fetches /vapi-token (a static file here) and starts the call.
  const jwtNode = JSON.parse(snippet(["--kind", "jwt-node", "--assistant", allowed.id, "--json"]).stdout);
  const frontend = jwtNode.companions.find((f) => f.filenameHint === "vapi-call.js");
  assert.ok(frontend, "the jwt-node snippet comes with its page code");
  await snippetPage("jwt", frontend.code, `${RECORD}
import { startCall } from "./snippet.js";
record(() => startCall());
`);
});

function snippet(args) {
  return agencydeskOk(dataDir, [
    "snippet", "--org", org.id, "--key", key.id, "--site-origin", allowedOrigin, ...args,
  ]);
}

/** The single POST /call/web a page made, with its body parsed. */
function onlyWebCall(outcome) {
  assert.equal(outcome.webCalls.length, 1, `one POST /call/web expected: ${JSON.stringify(outcome)}`);
  const [call] = outcome.webCalls;
  assert.notEqual(call.status, null, `the request failed before any answer: ${call.error}`);
  return { status: call.status, body: JSON.parse(call.body) };
}

/**
 * The page's POST /call/web got `status` with the simulator's `message`. Pages that hold the SDK
 * instance (`watched`) also saw it emit 'error' and the start resolve to no call; the JWT page
 * code makes its instance inside startCall, out of the recorder's reach.
 */
function assertRefused(outcome, status, message, { watched = true } = {}) {
  const call = onlyWebCall(outcome);
  assert.equal(call.status, status, JSON.stringify(call.body));
  assert.match(String(call.body.message), message);
  if (watched) {
    assert.ok(outcome.errors.length >= 1, "the SDK emitted 'error'");
    assert.deepEqual(outcome.result, { resolved: null });
  }
}

test("JWT from `agencydesk jwt mint` starts a call from the allowed site", async () => {
  assert.ok(Date.parse(jwt.expiresAt) - Date.now() > 5_000, "the token is still fresh");
  const outcome = await visit(allowedOrigin, "/jwt/");
  const call = onlyWebCall(outcome);
  assert.equal(call.status, 201, JSON.stringify(call.body));
  assert.equal(call.body.type, "webCall");
  assert.equal(call.body.assistantId, allowed.id);
  expectedCallIds.add(call.body.id);
});

test("the same JWT is refused from another site", async () => {
  const outcome = await visit(evilOrigin, "/jwt/");
  assertRefused(outcome, 403, new RegExp(`Origin Not Allowed.*${escape(evilOrigin)}`), {
    watched: false,
  });
  // The SDK resolves a refused start to null; the page code turns that into a clear error.
  assert.match(String(outcome.result?.rejected), /The call could not start/);
});

test("web-sdk snippet: POST /call/web succeeds from the client's site", async () => {
  const outcome = await visit(allowedOrigin, "/web-sdk/");
  const call = onlyWebCall(outcome);
  assert.ok([200, 201].includes(call.status), JSON.stringify(call.body));
  assert.equal(call.body.assistantId, allowed.id);
  assert.equal(call.body.orgId, org.id);
  expectedCallIds.add(call.body.id);

  // The simulator lists it as a web call of the org.
  const listed = await webCallsSince(org.privateKey, startedAt);
  const found = listed.find((c) => c.id === call.body.id);
  assert.ok(found, `call ${call.body.id} is listed by GET /call`);
  assert.equal(found.type, "webCall");
  assert.equal(found.orgId, org.id);
  assert.equal(found.assistantId, allowed.id);
});

test("web-sdk snippet: refused from a site that copied it", async () => {
  const outcome = await visit(evilOrigin, "/web-sdk/");
  assertRefused(outcome, 403, new RegExp(`Origin Not Allowed.*${escape(evilOrigin)}`));
});

test("web-sdk snippet: refused for an assistant the key does not allow", async () => {
  const outcome = await visit(allowedOrigin, "/other-assistant/");
  const call = onlyWebCall(outcome);
  assertRefused(outcome, 403, /Assistant Not Allowed/);
  assert.ok(!expectedCallIds.has(call.body.id));
});

test("web-sdk snippet: refused for a transient assistant", async () => {
  const outcome = await visit(allowedOrigin, "/transient/");
  assertRefused(outcome, 403, /Transient Assistant Not Allowed/);
});

test("no page, bundle or snippet contains a private key; the public key is where it belongs", () => {
  const files = listFiles(siteDir);
  assert.ok(files.length >= 10, `pages were written: ${files}`);
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const privateKey of privateKeys) {
      assert.ok(!text.includes(privateKey), `${file} contains a private key`);
    }
  }
  // A positive control, so the search above is looking at the right files.
  const bundle = readFileSync(join(siteDir, "web-sdk", "bundle.js"), "utf8");
  assert.ok(bundle.includes(key.value), "the web-sdk bundle embeds the public key");
  assert.ok(bundle.includes(simUrl), "the snippet points at the org's base URL (the simulator)");
  const jwtPage = readFileSync(join(siteDir, "jwt", "snippet.js"), "utf8");
  assert.ok(!jwtPage.includes(key.value), "JWT mode puts no key of any kind in the page");
});

test("the JWT is refused once it has expired", async () => {
  const wait = Date.parse(jwt.expiresAt) - Date.now() + 1_500;
  if (wait > 0) await sleep(wait);
  const outcome = await visit(allowedOrigin, "/jwt/");
  assertRefused(outcome, 401, /Invalid Key/, { watched: false });
  assert.match(String(outcome.result?.rejected), /The call could not start/);
});

test("the simulator recorded exactly the calls that were allowed", async () => {
  const listed = await webCallsSince(org.privateKey, startedAt);
  assert.deepEqual(new Set(listed.map((c) => c.id)), expectedCallIds);
  assert.equal(expectedCallIds.size, 2);
});

test("the CLI refuses what would not work, with a reason and exit status 1 or 2", () => {
  const noKey = agencydesk(dataDir, ["snippet", "--org", org.id, "--assistant", allowed.id, "--kind", "web-sdk"]);
  assert.equal(noKey.status, 1);
  assert.match(noKey.stderr, /embeds a public key: choose one with --key/);
  assert.ok(noKey.stderr.includes(key.id), "the message lists the keys to choose from");
  assert.equal(noKey.stdout, "");

  const badKind = agencydesk(dataDir, ["snippet", "--org", org.id, "--key", key.id, "--assistant", allowed.id, "--kind", "iframe"]);
  assert.equal(badKind.status, 2);
  assert.match(badKind.stderr, /script-tag, web-sdk, react/);

  const badOrigin = agencydesk(dataDir, ["jwt", "mint", "--org", org.id, "--origin", "https://acme.com/contact", "--assistant", allowed.id]);
  assert.equal(badOrigin.status, 2);
  assert.match(badOrigin.stderr, /Remove the path/);

  const tooShort = agencydesk(dataDir, ["jwt", "mint", "--org", org.id, "--origin", allowedOrigin, "--assistant", allowed.id, "--ttl", "5s"]);
  assert.equal(tooShort.status, 2);
  assert.match(tooShort.stderr, /at least 30 seconds/);

  const unknownOrg = agencydesk(dataDir, ["jwt", "mint", "--org", "no-such-org", "--origin", allowedOrigin, "--assistant", allowed.id]);
  assert.equal(unknownOrg.status, 1);
  assert.match(unknownOrg.stderr, /no org with id no-such-org/);
});

test("jwt mint prints a token signed with the org's private key, and never the key", async () => {
  const { createHmac } = await import("node:crypto");
  const out = agencydeskOk(dataDir, ["jwt", "mint", "--org", org.id, "--origin", allowedOrigin, "--assistant", allowed.id, "--ttl", "2m"]);
  for (const privateKey of privateKeys) {
    assert.ok(!out.stdout.includes(privateKey) && !out.stderr.includes(privateKey));
  }
  const token = out.stdout.trim();
  const [header, payload, signature] = token.split(".");
  const expected = createHmac("sha256", org.privateKey).update(`${header}.${payload}`).digest("base64url");
  assert.equal(signature, expected);
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  assert.equal(claims.orgId, org.id);
  assert.equal(claims.token.tag, "public");
  assert.deepEqual(claims.token.restrictions.allowedOrigins, [allowedOrigin]);
  assert.deepEqual(claims.token.restrictions.allowedAssistantIds, [allowed.id]);
  assert.equal(claims.exp - claims.iat, 120);
});

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
