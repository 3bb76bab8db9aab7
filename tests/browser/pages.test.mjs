// Every kind of page of the demo hub, in Debian's chromium: no console errors, no request
// to another host, no serious or critical WCAG 2.1 AA violation (axe-core), no sideways
// scrolling at 375px, dark mode with a dark system theme, usable with JavaScript off.
// Screenshots of each (light, dark, phone) land in tests/screenshots/ for people to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repo, copyHub, buildSite, serveStatic, launch } from "./harness.mjs";
import { visit, accessibility, noHorizontalScroll, darkMode, usableWithoutScript } from "./checks.mjs";

/** One page of each kind the demo hub has. */
export const PAGES = {
  home: "",
  "news list": "news/",
  post: "news/dance-ml-2020/",
  page: "about/",
  tags: "tags/",
  tag: "tags/workshops/",
  seminars: "seminars/",
  "seminar series": "seminars/series/group-meeting/",
  seminar: "seminars/ju/",
  "seminar month": "seminars/calendar/2020-11/",
  "not found": "no-such-page/",
  people: "people/",
  profile: "people/benjamin-nachman/",
  group: "groups/machine-learning/",
};

const shots = join(repo, "tests/screenshots");
let browser, site;

before(async () => {
  browser = await launch();
  site = await serveStatic(buildSite(repo));
  mkdirSync(shots, { recursive: true });
});
after(async () => {
  await browser.close();
  site.stop();
});

/** Every check on one page; returns all problems found. */
async function checkPage(url, name) {
  const problems = [];
  const light = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, problems: seen } = await visit(light, url);
  problems.push(...seen, ...(await accessibility(page)));
  await page.screenshot({ path: join(shots, `${name}-light.png`), fullPage: true });
  await light.close();

  const dark = await browser.newContext({ colorScheme: "dark", viewport: { width: 1280, height: 900 } });
  const d = await visit(dark, url);
  problems.push(...d.problems, ...(await darkMode(d.page)), ...(await accessibility(d.page)));
  await d.page.screenshot({ path: join(shots, `${name}-dark.png`), fullPage: true });
  await dark.close();

  const phone = await browser.newContext({ viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true });
  const p = await visit(phone, url);
  problems.push(...p.problems, ...(await noHorizontalScroll(p.page)));
  await p.page.screenshot({ path: join(shots, `${name}-phone.png`), fullPage: true });
  await phone.close();

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const n = await visit(noScript, url);
  problems.push(...n.problems, ...(await usableWithoutScript(n.page)));
  await noScript.close();
  return problems;
}

for (const [name, path] of Object.entries(PAGES)) {
  test(`${name} page is right in a real browser`, async () => {
    const problems = await checkPage(`${site.origin}/hub/${path}`, name.replace(/ /g, "-"));
    const expected = name === "not found" ? problems.filter((p) => !p.startsWith("HTTP 404")) : problems;
    assert.deepEqual(expected, [], `${name} (/hub/${path})`);
  });
}

test("the checks catch a missing alt text and a link to another host", async () => {
  const root = copyHub(".");
  mkdirSync(join(root, "templates"), { recursive: true });
  const post = readFileSync(join(repo, "themes/hub/templates/post.html"), "utf8")
    .replace(/<img src="\{\{ page\.image\.url \}\}" alt="[^"]*">/, '<img src="{{ page.image.url }}">');
  assert.ok(!post.includes("alt=\"{{ page.image.caption"), "the sabotage removed the alt text");
  writeFileSync(join(root, "templates/post.html"), post);
  const base = readFileSync(join(repo, "themes/hub/templates/base.html"), "utf8")
    .replace("</head>", '<link rel="stylesheet" href="https://cdn.example.com/theme.css">\n</head>');
  writeFileSync(join(root, "templates/base.html"), base);
  const sabotaged = await serveStatic(buildSite(root));
  try {
    const context = await browser.newContext();
    const { page, problems } = await visit(context, `${sabotaged.origin}/hub/news/dance-ml-2020/`);
    problems.push(...(await accessibility(page)));
    await context.close();
    assert.ok(problems.some((p) => p.includes("image-alt")), `missing alt not caught: ${problems}`);
    assert.ok(problems.some((p) => p.includes("cdn.example.com")), `other host not caught: ${problems}`);
  } finally {
    sabotaged.stop();
  }
});
