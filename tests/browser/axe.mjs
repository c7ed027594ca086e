// Accessibility check of built kepboard sites in headless Chromium: one
// page of every kind (overview, all KEPs, a release, a KEP, policy,
// health, people, containerd, a containerd line, changes, archives, an
// archive page, the 404 page), each at 1280 px and 390 px wide, in the
// light and the dark colour scheme, is checked with axe-core against
// WCAG 2.0, 2.1 and 2.2 A and AA (target-size included). It fails listing
// every violation (rule, page, element, scheme, width), every page wider
// than a 390 px viewport (a wide table may scroll inside its .scroll
// wrapper; the page itself must not), and every failed request.
//
//   node axe.mjs DIR...
//
// Each DIR (a built site, the directory holding index.html) is served on
// 127.0.0.1 under /kepboard/ as GitHub Pages serves it. The site's CSP
// forbids scripts: the CSP is bypassed only to inject axe-core (from
// node_modules) for the check. The browser is the system's Chromium
// (CHROMIUM, default /usr/bin/chromium); puppeteer-core never downloads one.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { launch, serve } from "./chromium.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const PREFIX = "/kepboard/";
const WIDTHS = [1280, 390];
const SCHEMES = ["light", "dark"];
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];



// The internal page links (relative to the root) of the page at `url`.
async function linksOf(page, root, url) {
  await page.goto(url, { waitUntil: "load", timeout: 60000 });
  const hrefs = await page.evaluate(() =>
    [...document.querySelectorAll("a[href]")].map((a) => a.href.split("#")[0]),
  );
  return [...new Set(hrefs)]
    .filter((h) => h.startsWith(root))
    .map((h) => h.slice(root.length).replace(/(^|\/)index\.html$/, "$1"))
    .filter((p) => p === "" || p.endsWith("/"));
}

// One page of every kind: [kind, path relative to the root, status].
// The 404 page is checked where Pages shows it, deep below the root, when
// its links are absolute (a build with --site-url); else as 404.html.
async function pagesOf(page, root, dir, problems) {
  const absolute = /href="(\/|&#x2F;|https?:)[^"]*style\.css"/.test(
    fs.readFileSync(path.join(dir, "404.html"), "utf8"),
  );
  const notFound = absolute ? ["404", "no/such/page/", 404] : ["404", "404.html", 200];
  const home = await linksOf(page, root, root);
  const containerd = await linksOf(page, root, `${root}containerd/`);
  const archive = await linksOf(page, root, `${root}archive/`);
  // The release under way (the navigation's link) if there is one.
  const current = await page.goto(root).then(() =>
    page.evaluate(() => {
      const a = [...document.querySelectorAll("header nav a")].find((x) =>
        x.textContent.startsWith("Kubernetes"),
      );
      return a ? a.href : null;
    }),
  );
  const pick = (kind, list, re, optional = false) => {
    const p = list.find((x) => re.test(x));
    if (!p && optional) console.log(`${root}: no ${kind} page to check`);
    else if (!p) problems.push(`${root}: no ${kind} page found`);
    return p ? [[kind, p, 200]] : [];
  };
  return [
    ["overview", "", 200],
    ["all KEPs", "keps/", 200],
    ...(current
      ? [["release", current.slice(root.length).replace(/index\.html$/, ""), 200]]
      : pick("release", home, /^k8s\/[^/]+\/$/)),
    ...pick("KEP", home, /^kep\/\d+\/$/),
    ["policy", "policy/", 200],
    ["health", "health/", 200],
    ["people", "people/", 200],
    ["containerd", "containerd/", 200],
    ...pick("containerd line", containerd, /^containerd\/[^/]+\/$/),
    ["changes", "changes/", 200],
    ["archives", "archive/", 200],
    // A site may have no archive yet (the real-data one).
    ...pick("archive", archive, /^archive\/[^/]+\/$/, true),
    notFound,
  ];
}

async function checkSite(browser, dir, problems) {
  const server = await serve(dir, PREFIX);
  const root = `http://127.0.0.1:${server.address().port}${PREFIX}`;
  const page = await browser.newPage();
  let current = "";
  let expectStatus = 200;
  page.on("requestfailed", (req) => {
    // A new viewport makes the page being left pick another <picture>
    // source, and the next navigation cancels that load: ERR_ABORTED is
    // the browser leaving, not a missing file (those answer 404, below).
    if (req.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`${current}: ${req.url()} failed: ${req.failure()?.errorText}`);
  });
  page.on("response", (res) => {
    const want = res.url() === current ? expectStatus : 200;
    if (res.status() >= 400 && res.status() !== want) {
      problems.push(`${current}: ${res.url()} answered ${res.status()}`);
    }
  });
  // For axe only: the site's CSP allows no script.
  await page.setBypassCSP(true);
  let runs = 0;
  const review = new Map();
  try {
    const pages = await pagesOf(page, root, dir, problems);
    for (const [kind, rel, status] of pages) {
      current = root + rel;
      expectStatus = status;
      for (const width of WIDTHS) {
        for (const scheme of SCHEMES) {
          const where = `${kind} (${rel || "/"}) at ${width} px, ${scheme}`;
          await page.setViewport({ width, height: 900 });
          await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
          const res = await page.goto(current, { waitUntil: "load", timeout: 60000 });
          if (res.status() !== status) problems.push(`${where}: answered ${res.status()}`);
          const wide = await page.evaluate(() => {
            const w = innerWidth;
            if (document.documentElement.scrollWidth <= w) return null;
            const sticking = [...document.body.querySelectorAll("*")]
              .filter((e) => e.getBoundingClientRect().right > w + 1)
              .filter((e) => !e.closest(".scroll, .issue .body"))
              .slice(0, 5)
              .map((e) => e.tagName.toLowerCase() + (e.className ? `.${e.className}` : ""));
            return { scroll: document.documentElement.scrollWidth, w, sticking };
          });
          if (wide && width <= 390) {
            problems.push(
              `${where}: the page is ${wide.scroll} px wide in a ${wide.w} px viewport` +
                ` (${wide.sticking.join(", ") || "?"})`,
            );
          }
          await page.addScriptTag({ path: AXE });
          const result = await page.evaluate(
            (tags) =>
              window.axe.run(document, {
                runOnly: { type: "tag", values: tags },
                resultTypes: ["violations", "incomplete"],
              }),
            TAGS,
          );
          runs++;
          for (const r of result.incomplete) {
            review.set(r.id, (review.get(r.id) || 0) + r.nodes.length);
            if (process.env.AXE_VERBOSE) {
              for (const n of r.nodes) console.log(`  review ${where}: ${r.id}: ${n.target.join(" ")}: ${(n.any[0] || n.all[0] || n.none[0])?.message}`);
            }
          }
          for (const v of result.violations) {
            for (const n of v.nodes) {
              problems.push(
                `${where}: ${v.id} (${v.impact}): ${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`,
              );
            }
          }
        }
      }
    }
  } finally {
    await page.close();
    server.close();
  }
  console.log(
    `${dir}: ${runs} axe runs (${TAGS.join(", ")}); left undecided by axe (not failures): ` +
      ([...review].map(([id, n]) => `${id} ${n}`).join(", ") || "none"),
  );
}

async function main() {
  const dirs = process.argv.slice(2).map((d) => path.resolve(d));
  if (dirs.length === 0) {
    console.error("usage: node axe.mjs DIR...");
    process.exit(2);
  }
  for (const d of dirs) {
    if (!fs.existsSync(path.join(d, "index.html"))) {
      console.error(`${d}: no index.html`);
      process.exit(2);
    }
  }
  const chromium = await launch({ protocolTimeout: 300000 });
  const browser = chromium.browser;
  const problems = [];
  try {
    for (const d of dirs) await checkSite(browser, d, problems);
  } finally {
    await chromium.close();
  }
  if (problems.length > 0) {
    const unique = [...new Set(problems)];
    console.error(`${unique.length} accessibility problem(s):`);
    for (const p of unique) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log("axe check: no violation, no page wider than a 390 px viewport");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
