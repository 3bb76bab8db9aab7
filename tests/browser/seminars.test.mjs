// The seminar pages' optional script, in Debian's chromium: times in the reader's zone,
// upcoming/past re-split by the reader's clock, and the in-place series filter.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, podium, serveStatic, launch, copyHub } from "./harness.mjs";
import { visit } from "./checks.mjs";

const BUILT_AT = "2020-11-06T12:00:00Z";
let browser, site;

before(async () => {
  browser = await launch();
  const out = mkdtempSync(join(tmpdir(), "podium-seminars-"));
  execFileSync(podium, ["build", "--root", repo, "--output", join(out, "hub"),
    "--base-url", "http://127.0.0.1/hub/", "--now", BUILT_AT]);
  site = await serveStatic(out);
});
after(async () => {
  await browser.close();
  site.stop();
});

/** The listing as a reader in `timezoneId` sees it when their clock says `now`. */
async function listing(timezoneId, now) {
  const context = await browser.newContext({ timezoneId });
  await context.clock.setFixedTime(new Date(now));
  const { page, problems } = await visit(context, `${site.origin}/hub/seminars/`);
  assert.deepEqual(problems, []);
  return { context, page };
}

const titles = (page, css) =>
  page.$$eval(`${css} li.talk:not([hidden]) .talk-title a`, (as) => as.map((a) => a.textContent.trim()));

test("a reader elsewhere also sees each time in their own zone", async () => {
  const { context, page } = await listing("Europe/Zurich", BUILT_AT);
  const own = await page.$$eval(".reader-time", (spans) => spans.map((s) => s.textContent));
  assert.ok(own.length > 0, "times converted");
  assert.match(own[0], /your time/);
  await context.close();

  const home = await listing("America/Los_Angeles", BUILT_AT);
  assert.equal(await home.page.$$eval(".reader-time", (s) => s.length), 0, "same zone: nothing added");
  await home.context.close();
});

test("talks that ended since the build move to the past", async () => {
  const atBuild = await listing("America/Los_Angeles", BUILT_AT);
  const upcoming = await titles(atBuild.page, "#upcoming-talks");
  await atBuild.context.close();
  assert.ok(upcoming.includes("Karp Lecture"));

  const later = await listing("America/Los_Angeles", "2020-11-10T00:00:00Z");
  const still = await titles(later.page, "#upcoming-talks");
  const ended = await later.page.$$eval(".past > ol.talks .talk-title a", (as) => as.map((a) => a.textContent.trim()));
  await later.context.close();
  assert.ok(!still.includes("Karp Lecture"), `${still}`);
  assert.ok(ended.includes("Karp Lecture"), `${ended}`);
  assert.equal(still.length + 2, upcoming.length, "the two talks of 9 November moved");
});

test("the series filter works in place", async () => {
  const { context, page } = await listing("America/Los_Angeles", BUILT_AT);
  await page.click(".series-filter a:text-is('Group meeting')");
  assert.equal(page.url(), `${site.origin}/hub/seminars/`, "no navigation");
  const shown = [...(await titles(page, "#upcoming-talks")), ...(await titles(page, ".past"))];
  assert.ok(shown.length > 0);
  assert.ok(shown.every((t) => t === "Group meeting"), `${shown}`);
  const current = await page.$eval(".series-filter a[aria-current]", (a) => a.textContent.trim());
  assert.equal(current, "Group meeting");
  await page.click(".series-filter a:text-is('All')");
  assert.ok((await titles(page, "#upcoming-talks")).includes("Karp Lecture"));
  await context.close();
});

test("a year of the archive filters in place; a series' page leads to the others", async () => {
  // The seminars fixture with 150 weekly talks from 2017, three in four of them colloquia:
  // enough for the section and the colloquium to have yearly archive pages.
  const hub = copyHub("tests/hubs/seminars");
  for (let week = 0; week < 150; week++) {
    const day = new Date(Date.UTC(2017, 0, 6 + 7 * week)).toISOString().slice(0, 10);
    const series = week % 4 === 0 ? "" : 'series = "colloquium"\n';
    writeFileSync(join(hub, "content/seminars", `archived-${week}.md`),
      `+++\ntitle = "Archived talk ${week}"\n${series}start = ${day}T16:00:00\n+++\n`);
  }
  const out = mkdtempSync(join(tmpdir(), "podium-archive-"));
  execFileSync(podium, ["build", "--root", hub, "--output", join(out, "lab"),
    "--base-url", "http://127.0.0.1/lab/", "--now", BUILT_AT]);
  const archive = await serveStatic(out);
  const context = await browser.newContext({ timezoneId: "America/Los_Angeles" });
  try {
    const year = await visit(context, `${archive.origin}/lab/seminars/archive/2018/`);
    assert.deepEqual(year.problems, []);
    const all = await titles(year.page, ".past");
    await year.page.click(".series-filter a:text-is('Colloquium')");
    assert.equal(year.page.url(), `${archive.origin}/lab/seminars/archive/2018/`, "no navigation");
    const colloquia = await titles(year.page, ".past");
    assert.ok(colloquia.length > 0 && colloquia.length < all.length, `${colloquia.length} of ${all.length}`);
    const series = await year.page.$$eval(".past li.talk:not([hidden])", (lis) => lis.map((li) => li.dataset.series));
    assert.ok(series.every((s) => s === "/lab/seminars/series/colloquium/"), `${series}`);

    const own = await visit(context, `${archive.origin}/lab/seminars/series/colloquium/`);
    assert.deepEqual(own.problems, []);
    await Promise.all([own.page.waitForURL("**/series/group-meeting/"),
      own.page.click(".series-filter a:text-is('Group meeting')")]);
  } finally {
    await context.close();
    archive.stop();
  }
});
