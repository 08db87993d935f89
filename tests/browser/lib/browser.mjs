// Debian's Chromium, headless, one fresh profile per page. Name resolution is pinned to this
// machine: *.localhost and 127.0.0.1 resolve, every other host fails, so nothing leaves the
// machine (the script-tag widget's CDN and Daily's servers are unreachable on purpose).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromium, work } from "./env.mjs";

const run = promisify(execFile);

/** The page's DOM after the scripts ran (virtual time), as Chromium serialises it. */
export async function dumpDom(url, { budgetMs = 8000 } = {}) {
  const profile = mkdtempSync(join(work, "chromium-"));
  try {
    const { stdout } = await run(
      chromium,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE *.localhost, EXCLUDE 127.0.0.1",
        `--user-data-dir=${profile}`,
        `--virtual-time-budget=${budgetMs}`,
        "--dump-dom",
        url,
      ],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The recorder's outcome (see harness/record.js) from a dumped DOM; fails when there is none. */
export function outcomeOf(dom) {
  const match = /<pre id="outcome">([^<]*)<\/pre>/.exec(dom);
  if (!match) throw new Error(`the page recorded no outcome; DOM was:\n${dom.slice(0, 2000)}`);
  return JSON.parse(decodeURIComponent(match[1]));
}

/** Loads `path` from `origin` and returns the recorded outcome. */
export async function visit(origin, path) {
  return outcomeOf(await dumpDom(`${origin}${path}`));
}
