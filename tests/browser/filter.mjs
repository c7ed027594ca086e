// Checks /filter.js in headless Chromium on a built kepboard site: a
// filtered URL shows only the matching rows, the same URL with JavaScript
// disabled shows every row, the controls drive the URL fragment and the
// fragment drives them (hashchange), sorting reorders rows (stable,
// numeric, aria-sort), and no console error (a CSP refusal is one).
//
//   node filter.mjs DIR
//
// DIR is a built site; it is checked served on 127.0.0.1 and from disk
// (file://, where the CSP's 'self' must still allow the script). The
// browser is the system's Chromium (CHROMIUM, default /usr/bin/chromium);
// puppeteer-core never downloads one.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch, serve } from "./chromium.mjs";

const dir = path.resolve(process.argv[2] || "");
if (!process.argv[2] || !fs.existsSync(path.join(dir, "keps", "index.html"))) {
  console.error("usage: node filter.mjs DIR (a built site)");
  process.exit(2);
}



const chromium = await launch();
const browser = chromium.browser;

const errors = [];
async function open(url, { js = true } = {}) {
  const page = await browser.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${url}: console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${url}: ${e.message}`));
  page.on("requestfailed", (r) => errors.push(`${url}: failed ${r.url()}`));
  await page.setJavaScriptEnabled(js);
  await page.goto(url, { waitUntil: "load" });
  return page;
}

// Rows: [kep, stage, hidden] in DOM order, of the page's filterable tables.
const rows = (page) =>
  page.$$eval("table[data-filterable] tbody tr[data-kep]", (trs) =>
    trs.map((tr) => ({
      kep: Number(tr.dataset.kep),
      stage: tr.dataset.stage,
      status: tr.dataset.status,
      text: tr.dataset.text,
      hidden: tr.hidden || getComputedStyle(tr).display === "none",
    }))
  );
const shown = async (page) => (await rows(page)).filter((r) => !r.hidden);
const status = (page) => page.$eval(".filters output", (o) => o.textContent);

async function check(base, label) {
  // A filtered URL shows only the matching rows, and says how many.
  let page = await open(`${base}keps/index.html#stage=beta`);
  await page.waitForSelector(".filters output");
  let all = await rows(page);
  let visible = await shown(page);
  const beta = all.filter((r) => r.stage === "beta");
  assert.ok(beta.length > 0 && beta.length < all.length, `${label}: demo has beta and other rows`);
  assert.deepEqual(visible.map((r) => r.kep), beta.map((r) => r.kep), `${label}: #stage=beta`);
  assert.equal(await status(page), `${beta.length} of ${all.length} KEPs shown`);
  assert.equal(await page.$eval("#filter-stage", (s) => s.value), "beta");
  // The controls are labelled (each inside its <label>).
  const unlabelled = await page.$$eval(".filters select, .filters input", (cs) =>
    cs.filter((c) => !c.closest("label") || !c.closest("label").textContent.trim()).length
  );
  assert.equal(unlabelled, 0, `${label}: unlabelled controls`);

  // Typing in the search box (keyboard) filters and goes to the fragment.
  await page.select("#filter-stage", "");
  await page.focus("#filter-q");
  await page.keyboard.type("kep-127 ");
  visible = await shown(page);
  assert.deepEqual(visible.map((r) => r.kep), [127], `${label}: q=kep-127`);
  const hash = await page.evaluate(() => location.hash);
  assert.equal(hash, "#q=kep-127", `${label}: fragment`);

  // The fragment drives the controls too (hashchange): status and SIG.
  await page.evaluate(() => {
    location.hash = "#sig=sig-node&status=pending";
  });
  await page.waitForFunction(() => document.querySelector("#filter-status").value === "pending");
  visible = await shown(page);
  all = await rows(page);
  const pending = await page.$$eval("tr[data-kep]", (trs) =>
    trs
      .filter((tr) => tr.dataset.sig === "node" && tr.dataset.status.split(" ").includes("pending"))
      .map((tr) => Number(tr.dataset.kep))
  );
  assert.ok(pending.length > 0 && pending.length < all.length);
  assert.deepEqual(visible.map((r) => r.kep), pending, `${label}: sig=node&status=pending`);
  assert.equal(await page.$eval("#filter-q", (q) => q.value), "");
  assert.equal(await page.$eval("#filter-sig", (s) => s.value), "node");
  // An anchor is no filter.
  await page.evaluate(() => {
    location.hash = "#kep-127";
  });
  await page.waitForFunction(() => document.querySelector("#filter-status").value === "");
  assert.equal((await shown(page)).length, all.length, `${label}: #kep-127 shows all`);
  await page.close();

  // The same filtered URL without JavaScript: every row, no controls.
  page = await open(`${base}keps/index.html#stage=beta`, { js: false });
  all = await rows(page);
  assert.ok(all.length > 0);
  assert.equal((await shown(page)).length, all.length, `${label}: no JS shows every row`);
  assert.equal(await page.$$eval(".filters *, button.sort", (e) => e.length), 0, `${label}: dead controls`);
  await page.close();

  // Sorting: by KEP (numeric) both ways, then by containerd status,
  // stable (equal statuses keep the KEP order), aria-sort following.
  page = await open(`${base}keps/all/index.html`);
  await page.waitForSelector("button.sort");
  const keps = async () => (await rows(page)).map((r) => r.kep);
  const initial = await keps();
  const sortedAsc = [...initial].sort((a, b) => a - b);
  assert.deepEqual(initial, sortedAsc, `${label}: rows by number`);
  const kepHeader = "table.matrix thead th:nth-child(1)";
  await page.click(`${kepHeader} button.sort`);
  assert.equal(await page.$eval(kepHeader, (th) => th.getAttribute("aria-sort")), "ascending");
  assert.deepEqual(await keps(), sortedAsc);
  await page.click(`${kepHeader} button.sort`);
  assert.equal(await page.$eval(kepHeader, (th) => th.getAttribute("aria-sort")), "descending");
  assert.deepEqual(await keps(), [...sortedAsc].reverse(), `${label}: KEP descending`);
  await page.click(`${kepHeader} button.sort`); // ascending again
  const statusHeader = "table.matrix thead th:nth-child(2)";
  await page.click(`${statusHeader} button.sort`);
  assert.equal(await page.$eval(kepHeader, (th) => th.getAttribute("aria-sort")), null);
  assert.equal(await page.$eval(statusHeader, (th) => th.getAttribute("aria-sort")), "ascending");
  const byStatus = await page.$$eval("table.matrix tbody tr[data-kep]", (trs) =>
    trs.map((tr) => [Number(tr.cells[1].dataset.sort), Number(tr.dataset.kep)])
  );
  const expected = [...byStatus].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  assert.deepEqual(byStatus, expected, `${label}: stable numeric sort by status`);
  assert.notDeepEqual(byStatus.map((r) => r[1]), initial, `${label}: sorting changed the order`);
  // Sorting keeps the filter.
  await page.evaluate(() => {
    location.hash = "#stage=alpha";
  });
  await page.waitForFunction(() => document.querySelector("#filter-stage").value === "alpha");
  const alpha = (await rows(page)).filter((r) => r.stage === "alpha").length;
  await page.click(`${kepHeader} button.sort`);
  assert.equal((await shown(page)).length, alpha);
  await page.close();

  // A release page: its groups' tables are filtered together.
  page = await open(`${base}k8s/v1.35/index.html#status=shipped`);
  await page.waitForSelector(".filters output");
  all = await rows(page);
  visible = await shown(page);
  const shipped = all.filter((r) => r.status.split(" ").includes("shipped"));
  assert.ok(shipped.length > 0 && shipped.length < all.length);
  assert.deepEqual(visible.map((r) => r.kep), shipped.map((r) => r.kep));
  assert.equal(await status(page), `${shipped.length} of ${all.length} KEPs shown`);
  await page.close();
  console.log(`${label}: filter, no-JS fallback, fragment, sorting: ok`);
}

let failed = false;
const server = await serve(dir);
try {
  await check(`http://127.0.0.1:${server.address().port}/`, "served");
  await check(pathToFileURL(dir).href + "/", "file://");
  if (errors.length > 0) throw new Error(`console errors:\n${errors.join("\n")}`);
} catch (e) {
  console.error(e);
  failed = true;
} finally {
  server.close();
  await chromium.close();
}
process.exit(failed ? 1 : 0);
