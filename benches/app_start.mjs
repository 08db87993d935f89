// Start-up benchmark driver (run by benches/app_start.sh): launches the release app through
// tauri-driver on a data folder holding a live agency with 1M cached calls, and prints figures
// as JSON. Never judges them.
//
// start to first paint: from asking tauri-driver for a session (which launches the app) until
// the first element of the app's own screen is in the page. Then the clients list, a client's
// Calls tab (its first page of rows, over 200k calls of that client), a filtered page, and the
// memory of the app with its WebKit processes at that point.

import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { Session } from "../tests/e2e/webdriver.mjs";

const { E2E_WEBDRIVER_URL: url, E2E_APP: app } = process.env;

/** RSS in kB of the app process and every process under it (WebKit's web and network ones). */
function treeRssKb() {
  const procs = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  const info = new Map();
  for (const pid of procs) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
      const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      let exe = "";
      try { exe = fs.readlinkSync(`/proc/${pid}/exe`); } catch { /* another user's process */ }
      info.set(pid, { ppid, rss: rss ? Number(rss[1]) : 0, exe });
    } catch { /* the process ended meanwhile */ }
  }
  const roots = [...info].filter(([, p]) => p.exe === fs.realpathSync(app)).map(([pid]) => pid);
  const seen = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of info) {
      if (!seen.has(pid) && seen.has(p.ppid)) { seen.add(pid); grew = true; }
    }
  }
  const parts = [...seen].map((pid) => ({ pid, exe: info.get(pid).exe.split("/").pop(), rssKb: info.get(pid).rss }));
  return { totalKb: parts.reduce((s, p) => s + p.rssKb, 0), parts };
}

const t0 = performance.now();
const session = await Session.create(url, { alwaysMatch: { "tauri:options": { application: app } } });
const figures = {};
try {
  figures.session_ms = performance.now() - t0;
  await session.waitFor('[data-testid="shell"], [data-testid="choose-demo"], [data-testid="choose-real"]', { timeoutMs: 120000 });
  figures.first_paint_ms = performance.now() - t0;
  const [name] = await session.waitFor('[data-testid="client-row"] [data-testid="client-name"]', { timeoutMs: 120000 });
  figures.clients_ms = performance.now() - t0;
  figures.rss_at_start = treeRssKb();
  await name.click();
  const [tab] = await session.waitFor('[data-testid="client-tab-calls"]', { timeoutMs: 60000 });
  const t1 = performance.now();
  await tab.click();
  await session.waitFor('[data-testid="call-row"]', { timeoutMs: 60000 });
  figures.calls_tab_first_page_ms = performance.now() - t1;
  const [total] = await session.waitFor('[data-testid="calls-total"]', { timeoutMs: 60000 });
  figures.calls_total = Number(await total.attribute("data-total"));
  figures.call_rows = (await session.findAll('[data-testid="call-row"]')).length;
  figures.rss_with_calls_tab = treeRssKb();
} finally {
  await session.delete().catch(() => {});
}
console.log(JSON.stringify(figures));
