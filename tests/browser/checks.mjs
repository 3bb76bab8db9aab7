// What every page of a hub must get right in a real browser (SPEC §6, issue "GitHub Pages
// deployment, and a site that is right in a real browser"). Each check returns problems as
// strings, so one run reports everything that is wrong.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Opens `url` and collects console errors and requests to hosts other than the site's. */
export async function visit(context, url) {
  const page = await context.newPage();
  const problems = [];
  const origin = new URL(url).host;
  page.on("console", (m) => {
    // The document's own status is checked below; every other failed load is a problem.
    const ownStatus = m.text().startsWith("Failed to load resource") && m.location().url === url;
    if (m.type() === "error" && !ownStatus) problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  // Requests to other hosts are recorded and stopped here, so none ever leaves the machine.
  await page.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.host === origin) return route.continue();
    problems.push(`request to another host: ${u.href}`);
    return route.abort("blockedbyclient");
  });
  const response = await page.goto(url, { waitUntil: "load" });
  if (!response || response.status() >= 400) problems.push(`HTTP ${response?.status()} for ${url}`);
  return { page, problems };
}

/** axe-core's WCAG 2.1 A/AA rules; serious and critical findings are problems. */
export async function accessibility(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `axe ${v.impact}: ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

/** At phone width nothing may scroll sideways. */
export async function noHorizontalScroll(page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  return scroll > client ? [`scrolls sideways at ${client}px: content is ${scroll}px wide`] : [];
}

/** With a dark system theme the page background is dark and the text light. */
export async function darkMode(page) {
  const { bg, fg } = await page.evaluate(() => {
    const s = getComputedStyle(document.body);
    return { bg: s.backgroundColor, fg: s.color };
  });
  const lum = (c) => {
    const [r, g, b] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  };
  return lum(bg) < 0.25 && lum(fg) > 0.6 ? [] : [`dark mode not applied: background ${bg}, text ${fg}`];
}

/** Without JavaScript the page still has its heading, navigation and content. */
export async function usableWithoutScript(page) {
  const found = await page.evaluate(() => ({
    h1: document.querySelector("h1")?.textContent.trim() ?? "",
    main: document.querySelector("main")?.innerText.trim().length ?? 0,
    hidden: getComputedStyle(document.querySelector("main")).display === "none",
  }));
  const problems = [];
  if (!found.h1) problems.push("no <h1> without JavaScript");
  if (found.main < 20 || found.hidden) problems.push("main content missing without JavaScript");
  return problems;
}
