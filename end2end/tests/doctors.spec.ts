// Family doctor: a parent changes a child's paediatrician and downloads the
// confirmation; the page is checked with axe on phone and desktop.
//
// The parents used here live in the last towns of the accounts list, which
// identity.spec.ts never picks (it takes towns from the front), so the
// children's records (and their access logs) are touched by one spec only.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { parentsInDistinctTowns, signIn } from "./accounts";
import { expectNoSeriousAxeViolations } from "./helpers";

function parentFor(testInfo: TestInfo, slot: number) {
  const parents = parentsInDistinctTowns();
  const projects = testInfo.config.projects.map((project) => project.name);
  const index = parents.length - 1 - (slot * projects.length + Math.max(0, projects.indexOf(testInfo.project.name)));
  const parent = parents[index];
  if (!parent || index < 8) throw new Error("not enough parents in towns of their own for the doctor tests");
  return parent;
}

/** The section of the page that shows one child's current doctor. */
function childSections(page: Page) {
  return page.getByRole("region").filter({ has: page.getByRole("heading", { name: /^Medico di / }) });
}

test("a parent changes a child's paediatrician and downloads the confirmation", async ({ page }, testInfo) => {
  const parent = parentFor(testInfo, 0);
  await signIn(page, parent, "/medico");
  await expect(page.getByRole("heading", { level: 1, name: "Medico di famiglia" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Il tuo medico" })).toBeVisible();
  const child = childSections(page).first();
  const childHeading = (await child.getByRole("heading", { level: 2 }).textContent()) ?? "";
  const childName = childHeading.replace(/^Medico di /, "");
  const before = (await child.getByRole("heading", { level: 3 }).textContent()) ?? "";

  await child.getByRole("link", { name: `Cambia medico di ${childName}` }).click();
  const search = page.getByRole("region", { name: `Scegli un nuovo medico per ${childName}` });
  await expect(search).toBeVisible();
  await expect(search.getByText(/ambito territoriale di residenza/)).toBeVisible();
  const choices = search.getByRole("button", { name: /^Scegli / });
  const beforeName = before.split(" — ")[0];
  const other = choices.filter({ hasNotText: beforeName }).first();
  const otherName = ((await other.textContent()) ?? "").replace(/^Scegli /, "").trim();
  await other.click();

  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "Scelta registrata" })).toBeVisible();
  const updated = childSections(page).filter({ hasText: childName });
  await expect(updated.getByRole("heading", { level: 3 })).toContainText(otherName);
  const downloading = page.waitForEvent("download");
  await updated.getByRole("link", { name: "Scarica la conferma della scelta (PDF)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^conferma-scelta-medico-\d+\.pdf$/);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe("%PDF-");
});

test("the doctor page and its search pass axe", async ({ page }, testInfo) => {
  const parent = parentFor(testInfo, 1);
  await signIn(page, parent, "/medico");
  await expectNoSeriousAxeViolations(page);

  await childSections(page).first().getByRole("link", { name: /^Cambia medico di / }).click();
  await expect(page.getByRole("region", { name: /^Scegli un nuovo medico per / })).toBeVisible();
  await page.getByLabel("Solo medici con posti disponibili").check();
  await page.getByRole("button", { name: "Cerca" }).click();
  await expect(page).toHaveURL(/disponibili=1/);
  await expectNoSeriousAxeViolations(page);
});
