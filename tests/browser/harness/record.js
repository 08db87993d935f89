// Imported before the snippet: records, in the page itself, what happened to every POST /call/web
// (status and body, as the SDK received them) and every 'error' the SDK emitted. The outcome is
// written into <pre id="outcome"> as URI-encoded JSON after each event, so the DOM Chromium dumps
// holds it even if the SDK never settles (after a successful call it tries to reach Daily, which
// is unreachable here).
const outcome = { page: location.href, origin: location.origin, webCalls: [], errors: [], result: null };

function publish() {
  let pre = document.getElementById("outcome");
  if (!pre) {
    pre = document.createElement("pre");
    pre.id = "outcome";
    document.body.appendChild(pre);
  }
  pre.textContent = encodeURIComponent(JSON.stringify(outcome));
}

const realFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input.url;
  if (!url.includes("/call/web")) return realFetch(input, init);
  try {
    const response = await realFetch(input, init);
    const body = await response.clone().text();
    outcome.webCalls.push({ url, status: response.status, body });
    publish();
    return response;
  } catch (error) {
    // A CORS refusal or an unreachable server lands here, with no status at all.
    outcome.webCalls.push({ url, status: null, error: String(error) });
    publish();
    throw error;
  }
};

/** Listens to the SDK instance's 'error' event. */
export function watch(vapi) {
  vapi.on("error", (event) => {
    outcome.errors.push(JSON.parse(JSON.stringify(event ?? null)));
    publish();
  });
}

/** Runs `start` (a call start) and records what it resolved to. */
export async function record(start) {
  publish();
  try {
    const call = await start();
    outcome.result = { resolved: call ? { id: call.id ?? null } : null };
  } catch (error) {
    outcome.result = { rejected: String(error) };
  }
  publish();
}
