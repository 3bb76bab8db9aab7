// Shared pieces of the browser tests: a copy of a fixture hub, `podium serve` on a free
// port, and Debian's chromium launched the way this machine allows (no network of its own).
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { chromium } from "playwright-core";

export const repo = resolve(import.meta.dirname, "../..");
export const podium = process.env.PODIUM_BIN ?? join(repo, "target/debug/podium");

/** A throwaway copy of `tests/hubs/NAME` (or of any folder). */
export function copyHub(source) {
  const dir = mkdtempSync(join(tmpdir(), "podium-browser-"));
  cpSync(resolve(repo, source), dir, {
    recursive: true,
    filter: (p) => !/[/\\](target|public|node_modules|\.git)([/\\]|$)/.test(p.slice(repo.length)),
  });
  return dir;
}

async function freePort() {
  return new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}

async function waitForPort(port, child, deadline = Date.now() + 30000) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`podium serve exited with ${child.exitCode}`);
    const open = await new Promise((done) => {
      const c = connect(port, "127.0.0.1", () => { c.end(); done(true); });
      c.on("error", () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("podium serve did not start");
}

/** Starts `podium serve` for `root`; returns its origin and a stop function. */
export async function serve(root) {
  const port = await freePort();
  const child = spawn(podium, ["serve", "--port", String(port), "--root", root], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (d) => { log += d; });
  await waitForPort(port, child);
  return { origin: `http://127.0.0.1:${port}`, log: () => log, stop: () => child.kill() };
}

/** Debian's chromium, headless, with its own background networking off. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    ],
  });
}

/** Builds the hub at `root` under `/hub/` into a temporary folder; returns the folder. */
export function buildSite(root, extra = []) {
  const out = mkdtempSync(join(tmpdir(), "podium-site-"));
  const base = "http://127.0.0.1/hub/";
  execFileSync(podium, ["build", "--root", root, "--output", join(out, "hub"), "--base-url", base, "--now", "2026-11-23T12:00:00Z", ...extra]);
  return out;
}

const TYPES = { html: "text/html; charset=utf-8", css: "text/css", js: "text/javascript", svg: "image/svg+xml", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", xml: "application/xml", ics: "text/calendar", vcf: "text/vcard", json: "application/json" };

/** A plain static file server over `dir`, like GitHub Pages: `x/` serves `x/index.html`. */
export async function serveStatic(dir) {
  const server = createHttpServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.includes("..")) { res.writeHead(400).end(); return; }
    if (path.endsWith("/")) path += "index.html";
    const file = join(dir, path);
    if (existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, { "content-type": TYPES[extname(file).slice(1)] ?? "application/octet-stream" });
      res.end(readFileSync(file));
    } else {
      res.writeHead(404, { "content-type": TYPES.html });
      res.end(readFileSync(join(dir, "hub/404.html")));
    }
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  return { origin: `http://127.0.0.1:${server.address().port}`, stop: () => server.close() };
}
