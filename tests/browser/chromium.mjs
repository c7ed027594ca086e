// What the browser scripts share (check.mjs, axe.mjs, filter.mjs): a
// static server that answers as GitHub Pages does, and the system's
// Chromium started headless with a fresh profile (puppeteer-core never
// downloads a browser; $CHROMIUM, else /usr/bin/chromium).
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import puppeteer from "puppeteer-core";

/** Content types of the files a kepboard site has. */
export const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".ico": "image/x-icon",
};

/**
 * Serves `dir` under `prefix` on 127.0.0.1 (any free port), as Pages
 * does: `d/` is `d/index.html`, `d` is redirected to `d/`, a missing path
 * (or one with `..`) is 404.html with status 404. Resolves to the server.
 */
export function serve(dir, prefix = "/") {
  const server = http.createServer((req, res) => {
    const send = (status, file) => {
      res.writeHead(status, {
        "Content-Type": TYPES[path.extname(file)] || "application/octet-stream",
      });
      res.end(fs.readFileSync(file));
    };
    const notFound = () => send(404, path.join(dir, "404.html"));
    let p;
    try {
      p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (!p.startsWith(prefix) || p.split("/").includes("..")) return notFound();
    let file = path.join(dir, p.slice(prefix.length));
    if (p.endsWith("/")) file = path.join(file, "index.html");
    else if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      res.writeHead(301, { Location: `${p}/` }).end();
      return;
    }
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return notFound();
    send(200, file);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/**
 * Starts headless Chromium with a fresh profile, without the background
 * networking this machine's closed network refuses. `close()` stops it
 * and removes the profile.
 */
export async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "kepboard-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    ...options,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
