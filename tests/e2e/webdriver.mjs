// A tiny W3C WebDriver client over fetch: just what the real-window tests need (sessions, find,
// click, text). tauri-driver forwards these to WebKitWebDriver.

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriverError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} -> HTTP ${status}: ${JSON.stringify(body?.value ?? body)}`);
    this.name = "WebDriverError";
    this.status = status;
    this.error = body?.value?.error;
  }
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, capabilities) {
    const value = await request(base, "POST", "/session", { capabilities });
    return new Session(base, value.sessionId);
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async delete() {
    await this.cmd("DELETE", "");
  }

  async findAll(css) {
    const found = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return found.map((e) => new Element(this, e[ELEMENT]));
  }

  /** Polls until `css` matches at least one element (a real app renders asynchronously). */
  async waitFor(css, { timeoutMs = 20000, min = 1 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last = [];
    while (Date.now() < deadline) {
      last = await this.findAll(css);
      if (last.length >= min) return last;
      await sleep(200);
    }
    const html = await this.pageText().catch(() => "<page text unavailable>");
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${min}x "${css}" (found ${last.length}). Page text:\n${html}`);
  }

  async pageText() {
    const body = await this.waitFor("body", { timeoutMs: 2000 });
    return body[0].text();
  }
}

export class Element {
  static ESCAPE = "\uE00C";

  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  text() {
    return this.session.cmd("GET", `/element/${this.id}/text`);
  }

  attribute(name) {
    return this.session.cmd("GET", `/element/${this.id}/attribute/${name}`);
  }

  /** Clicks once the element can take it (like WebdriverIO's waitForClickable): see `whenReady`. */
  click() {
    return whenReady(() => this.session.cmd("POST", `/element/${this.id}/click`, {}));
  }

  /** Types into the element; WebDriver key codes such as Element.ESCAPE work too. */
  sendKeys(text) {
    return whenReady(() => this.session.cmd("POST", `/element/${this.id}/value`, { text }));
  }

  clear() {
    return this.session.cmd("POST", `/element/${this.id}/clear`, {});
  }

  property(name) {
    return this.session.cmd("GET", `/element/${this.id}/property/${name}`);
  }

  displayed() {
    return this.session.cmd("GET", `/element/${this.id}/displayed`);
  }

  async findAll(css) {
    const found = await this.session.cmd("POST", `/element/${this.id}/elements`, {
      using: "css selector",
      value: css,
    });
    return found.map((e) => new Element(this.session, e[ELEMENT]));
  }
}

const DEBUG = Boolean(process.env.E2E_DEBUG);

async function request(base, method, path, body) {
  const started = Date.now();
  if (DEBUG) console.error(`webdriver: ${method} ${path}`);
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60000),
  });
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { value: text };
  }
  if (DEBUG) console.error(`webdriver: ${method} ${path} -> ${response.status} in ${Date.now() - started} ms`);
  if (!response.ok) throw new WebDriverError(method, path, response.status, json);
  return json.value;
}

// A button found while the app is still rendering can be disabled, mid-transition or covered for a
// moment, more so on a loaded 2-core machine. These errors mean "not yet", not "wrong": the action
// is retried for a bounded time, and any other error (or the same one past the deadline) is thrown.
const NOT_YET = new Set(["element not interactable", "element click intercepted"]);

async function whenReady(action, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await action();
    } catch (e) {
      if (!(e instanceof WebDriverError) || !NOT_YET.has(e.error) || Date.now() >= deadline) throw e;
      await sleep(200);
    }
  }
}

/**
 * Polls `check` until it returns a truthy value. Each check finds its elements afresh, so an element
 * that went stale mid-check (the app re-rendered it, e.g. on a sync progress event) only means
 * "not yet": that check is retried. Any other error is thrown at once.
 */
export async function until(check, what, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let value;
    try {
      value = await check();
    } catch (e) {
      if (!(e instanceof WebDriverError && e.error === "stale element reference")) throw e;
    }
    if (value) return value;
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
