// Shared pieces of the browser tests: a copy of a fixture hub, `podium serve` on a free
// port, and Debian's chromium launched the way this machine allows (no network of its own).
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
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
