// Loads every page of built kepboard sites in headless Chromium and fails
// on any failed request, any 4xx/5xx response, any console error (a CSP
// refusal is one), a stylesheet that did not apply or an image that did
// not load. Pages are found by crawling internal links from the overview
// (and the 404 page); every internal link to another file is checked too.
//
//   node check.mjs [--file DIR]... [--serve DIR PREFIX]...
//
// --file DIR checks the site in DIR opened from disk (file://).
// --serve DIR PREFIX serves DIR on 127.0.0.1 under PREFIX (`/kepboard/`)
// as GitHub Pages does (`dir/` is `dir/index.html`, a missing path is
// 404.html with status 404) and checks it there, including the 404 page
// shown for a missing path deep below PREFIX.
//
// The browser is the system's Chromium (CHROMIUM, default /usr/bin/chromium);
// puppeteer-core never downloads one.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launch, serve } from "./chromium.mjs";


function usage(msg) {
  console.error(`${msg}\nusage: node check.mjs [--file DIR]... [--serve DIR PREFIX]...`);
  process.exit(2);
}

function parseArgs(argv) {
  const sites = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--file" && argv[i + 1]) {
      sites.push({ kind: "file", dir: path.resolve(argv[++i]) });
    } else if (argv[i] === "--serve" && argv[i + 1] && argv[i + 2]) {
      const dir = path.resolve(argv[++i]);
      const prefix = argv[++i];
      if (!prefix.startsWith("/") || !prefix.endsWith("/")) usage(`prefix ${prefix}: /…/`);
      sites.push({ kind: "serve", dir, prefix });
    } else {
      usage(`unexpected argument ${argv[i]}`);
    }
  }
  if (sites.length === 0) usage("nothing to check");
  for (const s of sites) {
    if (!fs.existsSync(path.join(s.dir, "index.html"))) usage(`${s.dir}: no index.html`);
  }
  return sites;
}


// Whether a non-page file an internal link names exists.
async function exists(url) {
  if (url.startsWith("file:")) return fs.existsSync(fileURLToPath(url));
  const r = await fetch(url);
  return r.ok;
}

const isPage = (url) => url.endsWith("/") || url.endsWith(".html");

async function checkSite(browser, root, extraPages, problems) {
  const page = await browser.newPage();
  let current = "";
  let expectStatus = 200;
  page.on("requestfailed", (req) => {
    problems.push(`${current}: ${req.url()} failed: ${req.failure()?.errorText}`);
  });
  page.on("response", (res) => {
    const isDoc = res.url() === current;
    const want = isDoc ? expectStatus : 200;
    if (res.status() >= 400 && res.status() !== want) {
      problems.push(`${current}: ${res.url()} answered ${res.status()}`);
    }
    if (isDoc && res.status() !== want) {
      problems.push(`${current}: answered ${res.status()}, expected ${want}`);
    }
  });
  page.on("console", (msg) => {
    // Failed loads are in the network log above (where an expected 404
    // document is told apart); other errors (a CSP refusal) count here.
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) {
      problems.push(`${current}: console: ${msg.text()}`);
    }
  });
  page.on("pageerror", (err) => problems.push(`${current}: ${err.message}`));

  const start = root.startsWith("file:") ? `${root}index.html` : root;
  const queue = [start, ...extraPages.map((p) => p.url)];
  const statusOf = new Map(extraPages.map((p) => [p.url, p.status]));
  const seen = new Set(queue);
  const files = new Set();
  let pages = 0;
  while (queue.length > 0) {
    current = queue.shift();
    expectStatus = statusOf.get(current) ?? 200;
    try {
      await page.goto(current, { waitUntil: "load", timeout: 60000 });
    } catch (e) {
      problems.push(`${current}: did not load: ${e.message}`);
      continue;
    }
    pages++;
    const found = await page.evaluate(() => ({
      // style.css sets the body's margin to 0 (a browser's default is 8px).
      styled: getComputedStyle(document.body).marginTop === "0px",
      broken: [...document.images]
        .filter((i) => !i.complete || i.naturalWidth === 0)
        .map((i) => i.src),
      links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    }));
    if (!found.styled) problems.push(`${current}: the stylesheet did not apply`);
    for (const src of found.broken) problems.push(`${current}: image ${src} did not load`);
    for (const href of found.links) {
      const url = href.split("#")[0];
      if (!url.startsWith(root)) continue;
      if (isPage(url)) {
        if (!seen.has(url)) {
          seen.add(url);
          queue.push(url);
        }
      } else if (!files.has(url)) {
        files.add(url);
        if (!(await exists(url))) problems.push(`${current}: link to ${url}: missing`);
      }
    }
  }
  await page.close();
  console.log(`${root}: ${pages} pages and ${files.size} other files checked`);
  if (pages < 10) problems.push(`${root}: only ${pages} pages reached`);
}

async function main() {
  const sites = parseArgs(process.argv.slice(2));
  const chromium = await launch();
  const browser = chromium.browser;
  const servers = [];
  const problems = [];
  try {
    for (const s of sites) {
      if (s.kind === "file") {
        const root = pathToFileURL(s.dir + path.sep).href;
        await checkSite(browser, root, [{ url: `${root}404.html`, status: 200 }], problems);
      } else {
        const server = await serve(s.dir, s.prefix);
        servers.push(server);
        const root = `http://127.0.0.1:${server.address().port}${s.prefix}`;
        // Pages shows 404.html for a missing path at any depth.
        const missing = [
          { url: `${root}no/such/page/`, status: 404 },
          { url: `${root}kep/0/`, status: 404 },
        ];
        await checkSite(browser, root, missing, problems);
      }
    }
  } finally {
    await chromium.close();
    for (const s of servers) s.close();
  }
  if (problems.length > 0) {
    console.error(`${problems.length} problem(s):`);
    for (const p of [...new Set(problems)]) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log("browser check: no failed request");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
