// The Billing tab in the real app window: open a demo client, go to Billing, which fills in once
// the demo's own background sync ends (nothing pressed); then see the chart (an <img> whose data:
// URL holds an SVG with bars: never markup in the page), the invoice preview with its total, and
// export a CSV. The save dialog is opened by the back end; WebDriver cannot click it, so the test
// build (cargo feature `e2e`, which run.sh builds) answers it with AGENCYDESK_E2E_SAVE_PATH instead
// of opening it; issuing the invoice and writing the file are the real path.
// The file is then read back: header, one row per invoice line, amounts adding up to the total.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { Session, until } from "./webdriver.mjs";

const { E2E_WEBDRIVER_URL, E2E_APP, E2E_SCREENSHOT_DIR, AGENCYDESK_E2E_SAVE_PATH } = process.env;
for (const [name, value] of Object.entries({ E2E_WEBDRIVER_URL, E2E_APP, AGENCYDESK_E2E_SAVE_PATH })) {
  if (!value) throw new Error(`${name} is not set: run tests/e2e/run.sh`);
}

const QBO_HEADER =
  "InvoiceNo,Customer,InvoiceDate,DueDate,Terms,Memo,Item(Product/Service),ItemDescription,ItemQuantity,ItemRate,ItemAmount,ItemTaxCode,ItemTaxAmount,Currency,ServiceDate";
const GENERIC_HEADER =
  "InvoiceNumber,ClientId,ClientName,PeriodFrom,PeriodTo,IssueDate,DueDate,Currency,LineNumber,LineKind,Item,Description,Quantity,Unit,UnitPrice,Amount,TaxCode,TaxAmount,LineTotal";

function screenshot(name) {
  if (!E2E_SCREENSHOT_DIR) return;
  mkdirSync(E2E_SCREENSHOT_DIR, { recursive: true });
  execFileSync("import", ["-window", "root", join(E2E_SCREENSHOT_DIR, name)], { timeout: 20000 });
}

/** Scrolls the element matching `css` to the top of its scrolling area (for screenshots). */
async function scrollTo(css) {
  await session.cmd("POST", "/execute/sync", {
    script: "document.querySelector(arguments[0])?.scrollIntoView({ block: 'start' });",
    args: [css],
  });
}

/** The SVG inside a chart's `data:image/svg+xml;base64,` URL. */
function svgOf(src) {
  const prefix = "data:image/svg+xml;base64,";
  assert.ok(src?.startsWith(prefix), `the chart is an SVG data URL (${String(src).slice(0, 40)})`);
  return Buffer.from(src.slice(prefix.length), "base64").toString("utf8");
}

function unescapeXml(text) {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Minimal RFC 4180 reader (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** "1,234.50" style decimal text -> integer cents, exactly (no floats). */
function cents(text) {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  assert.ok(m, `${JSON.stringify(text)} is an amount`);
  const value = BigInt(m[2]) * 100n + BigInt((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -value : value;
}

let session;

/** `YYYY-MM-DD` of the given day of last month (UTC), where the demo has calls on every day. */
function lastMonthDay(day) {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, day));
  return d.toISOString().slice(0, 10);
}

before(async () => {
  session = await Session.create(E2E_WEBDRIVER_URL, {
    alwaysMatch: { "tauri:options": { application: E2E_APP } },
  });
});

after(async () => {
  await session?.delete().catch(() => {});
});

test("a synced client's Billing tab shows the chart and invoice, and exports a CSV", async () => {
  const [demoButton] = await session.waitFor('[data-testid="choose-demo"]', { timeoutMs: 30000 });
  await demoButton.click();
  const [firstName] = await session.waitFor('[data-testid="client-row"] [data-testid="client-name"]', {
    timeoutMs: 60000,
  });
  const clientName = (await firstName.text()).trim();
  await firstName.click();
  await session.waitFor('[data-testid="client-page"]');

  const [billingTab] = await session.waitFor('[data-testid="client-tab-billing"]');
  await billingTab.click();
  await session.waitFor('[data-testid="billing-tab"]');

  // Nothing is pressed: the demo's own sync fills the tab (it may say "Sync this client first"
  // until that sync ends, then reloads). The never-synced state is covered in demo.test.mjs.
  await until(
    async () => (await session.findAll('[data-testid="billing-not-synced"]')).length === 0 &&
      (await session.findAll('[data-testid="invoice-total"]')).length === 1,
    "the demo's sync finished and the tab reloaded",
    120000,
  );

  // The chart: an image drawn by the back end, with one bar per day and more. Its SVG is inside
  // the data: URL, and no SVG markup is in the page.
  const [image] = await session.waitFor('[data-testid="billing-chart-image"]', { timeoutMs: 30000 });
  const svg = svgOf(await image.attribute("src"));
  const bars = svg.match(/<rect/g)?.length ?? 0;
  assert.ok(bars >= 30, `the chart has bars (${bars})`);
  assert.ok(unescapeXml(svg).includes(clientName), "the chart is titled with the client's name");
  assert.equal((await session.findAll('[data-testid="billing-chart"] svg')).length, 0, "no inline SVG");
  assert.ok(await image.displayed(), "the chart image is shown");

  // The invoice preview, with a total and at least one line.
  const [total] = await session.waitFor('[data-testid="invoice-total"]', { timeoutMs: 30000 });
  const totalAmount = await total.attribute("data-amount");
  assert.ok(cents(totalAmount) > 0n, `a total above zero (${totalAmount})`);
  assert.match(await total.text(), /\d+\.\d{2}/);
  const lines = await session.findAll('[data-testid="invoice-line"]');
  assert.ok(lines.length >= 1, "the invoice has lines");
  const [audit] = await session.findAll('[data-testid="billing-audit"]');
  assert.ok(audit, "the billing audit sits beside the preview");
  await scrollTo('[data-testid="billing-tab"]');
  screenshot("e2e-billing-tab.png");
  await scrollTo('[data-testid="billing-chart"]');
  screenshot("e2e-billing-chart.png");
  await scrollTo('[data-testid="plan-editor"]');
  screenshot("e2e-billing-plan.png");

  // Export (QuickBooks, the default format) to the chosen path.
  const [exportButton] = await session.findAll('[data-testid="export-button"]');
  await exportButton.click();
  const [done] = await session.waitFor('[data-testid="export-done"]', { timeoutMs: 30000 });
  assert.equal(await done.attribute("data-path"), AGENCYDESK_E2E_SAVE_PATH);
  assert.match(await done.text(), /Issued INV-\d{6}/);
  assert.ok(existsSync(AGENCYDESK_E2E_SAVE_PATH), "the CSV was written where chosen");
  const rows = parseCsv(readFileSync(AGENCYDESK_E2E_SAVE_PATH, "utf8"));
  assert.equal(rows[0].join(","), QBO_HEADER);
  const body = rows.slice(1).filter((r) => r.length > 1);
  assert.equal(body.length, lines.length, "one row per invoice line");
  const col = (name) => rows[0].indexOf(name);
  const sum = body.reduce((acc, r) => acc + cents(r[col("ItemAmount")]) + cents(r[col("ItemTaxAmount")]), 0n);
  assert.equal(sum, cents(totalAmount), "the rows add up to the total shown");
  assert.ok(body.every((r) => r[col("Customer")] === clientName), "billed to the client shown");
  const number = body[0][col("InvoiceNo")];
  await scrollTo('[data-testid="invoice-preview"]');
  screenshot("e2e-billing-exported.png");

  // The preview now says it is issued; exporting again in another format re-uses the number.
  await session.waitFor('[data-testid="invoice-issued"]');
  const [genericOption] = await session.findAll('[data-testid="export-format"] option[value="generic"]');
  await genericOption.click();
  const [again] = await session.findAll('[data-testid="export-button"]');
  await again.click();
  await until(async () => {
    const [d] = await session.findAll('[data-testid="export-done"]');
    return d && /Re-exported/.test(await d.text());
  }, "the second export finished", 30000);
  const generic = parseCsv(readFileSync(AGENCYDESK_E2E_SAVE_PATH, "utf8"));
  assert.equal(generic[0].join(","), GENERIC_HEADER);
  assert.ok(
    generic.slice(1).filter((r) => r.length > 1).every((r) => r[0] === number),
    `the same invoice number ${number}, not a new one`,
  );
});

test("the plan editor explains a bad value in plain words and keeps the saved plan", async () => {
  const [markup] = await session.waitFor('[data-testid="plan-field-markupPercent"] input');
  const before = await markup.property("value");
  await markup.clear();
  await markup.sendKeys("forty");
  const [issue] = await session.waitFor('[data-testid="plan-issue-markupPercent"]');
  assert.match(await issue.text(), /enter a number such as 25/);
  const [save] = await session.findAll('[data-testid="plan-save"]');
  assert.equal(await save.property("disabled"), true, "a plan with problems cannot be saved");
  await scrollTo('[data-testid="plan-editor"]');
  screenshot("e2e-billing-plan-issue.png");
  const [discard] = await session.findAll('[data-testid="plan-reset"]');
  await discard.click();
  await until(async () => (await markup.property("value")) === before, "the saved plan is back");
});

test("a custom range of days is previewed like a month", async () => {
  const [custom] = await session.findAll('[data-testid="billing-period"] option[value="custom"]');
  await custom.click();
  await session.waitFor('[data-testid="billing-from"]');
  // Date inputs take typed text differently per WebKit build: set the values as a picker would.
  const { from, to } = await session.cmd("POST", "/execute/sync", {
    script: `const [from, to] = [arguments[0], arguments[1]];
      for (const [id, value] of [["billing-from", from], ["billing-to", to]]) {
        const input = document.querySelector('[data-testid="' + id + '"]');
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
      return { from, to };`,
    args: [lastMonthDay(5), lastMonthDay(20)],
  });
  await until(async () => {
    const [preview] = await session.findAll('[data-testid="invoice-preview"]');
    return preview && (await preview.text()).includes(`${from} to ${to}`);
  }, "the preview shows the custom range", 30000);
  const [total] = await session.findAll('[data-testid="invoice-total"]');
  assert.ok(cents(await total.attribute("data-amount")) > 0n);
  await scrollTo('[data-testid="billing-tab"]');
  screenshot("e2e-billing-custom-range.png");
});

test("the agency overview lists every client with cost, billed and margin", async () => {
  const [nav] = await session.waitFor('[data-testid="nav-overview"]');
  await nav.click();
  const rows = await session.waitFor('[data-testid="agency-row"]', { min: 4, timeoutMs: 30000 });
  assert.equal(rows.length, 4);
  const [image] = await session.waitFor('[data-testid="agency-chart-image"]');
  assert.match(svgOf(await image.attribute("src")), /All clients/);
  assert.equal((await session.findAll('[data-testid="agency-chart"] svg')).length, 0, "no inline SVG");
  const [totals] = await session.findAll('[data-testid="agency-totals"]');
  assert.match(await totals.text(), /All clients/);
  screenshot("e2e-overview.png");
});
