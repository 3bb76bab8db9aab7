// `podium serve` in a real browser: an edit shows up without touching the page, a broken
// file shows the error overlay over the last good page, and fixing it clears the overlay.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyHub, serve, launch } from "./harness.mjs";

test("edits reload the page, errors show an overlay, fixes clear it", async () => {
  const root = copyHub("tests/hubs/serve");
  const server = await serve(root);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/hub/about/`);
    assert.equal(await page.textContent("h1"), "About");

    const file = join(root, "content/about.md");
    const good = readFileSync(file, "utf8");
    writeFileSync(file, good.replace('title = "About"', 'title = "About the lab"'));
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "About the lab", null, { timeout: 10000 });

    writeFileSync(file, good.replace('title = "About"', 'title = "About the lab'));
    const overlay = page.locator("#podium-error");
    await overlay.waitFor({ state: "visible", timeout: 10000 });
    assert.match(await overlay.textContent(), /content\/about\.md:2:\d+/);
    assert.equal(await page.textContent("h1"), "About the lab", "the last good page stays underneath");

    writeFileSync(file, good.replace('title = "About"', 'title = "About, fixed"'));
    await page.waitForFunction(() => document.querySelector("h1")?.textContent === "About, fixed", null, { timeout: 10000 });
    assert.equal(await overlay.count(), 0, "the overlay is gone once the file is fixed");
  } finally {
    await browser.close();
    server.stop();
  }
});

test("a stylesheet change is applied without reloading the page", async () => {
  const root = copyHub("tests/hubs/serve");
  const server = await serve(root);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/hub/`);
    await page.evaluate(() => { window.__marker = "still here"; });
    const css = join(root, "static/style.css");
    writeFileSync(css, readFileSync(join(root, "static/extra.css"), "utf8") + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n");
    await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)", null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => window.__marker), "still here", "no reload happened");
  } finally {
    await browser.close();
    server.stop();
  }
});
