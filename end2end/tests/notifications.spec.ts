// The inbox: the header counts unread notifications, the inbox lists them,
// opening one marks it read and goes to its page. axe on the inbox.
//
// Citizens: parents who are not the first of their town, after those the
// pharmacy and payments specs take (0–7); one per project.
import { expect, test, type TestInfo } from "@playwright/test";
import { accounts, isParent, parentsInDistinctTowns, signIn, type Account } from "./accounts";
import { sql } from "./db";
import { expectNoSeriousAxeViolations } from "./helpers";

const FIRST_READER = 8;

function reader(testInfo: TestInfo): Account {
  const projects = testInfo.config.projects.map((p) => p.name);
  const firsts = new Set(parentsInDistinctTowns().map((account) => account.fiscal_code));
  const others = accounts().filter((a) => a.role === "citizen" && isParent(a) && !firsts.has(a.fiscal_code));
  const person = others[FIRST_READER + Math.max(0, projects.indexOf(testInfo.project.name))];
  if (!person) throw new Error("not enough second parents for the notifications test");
  return person;
}

test("unread notifications show in the header and opening one marks it read", async ({ page }, testInfo) => {
  const person = reader(testInfo);
  const message = `Il pagamento di 25,00 € è stato registrato (${testInfo.project.name}).`;
  sql("INSERT INTO notifications (person, kind, message, link) VALUES (?, 'esito-pagamento', ?, '/pagamenti')", [
    person.fiscal_code,
    message,
  ]);

  await signIn(page, person, "/");
  const myArea = page.getByRole("navigation", { name: "La mia area" });
  const inboxLink = myArea.getByRole("link", { name: /^Notifiche \d+ da leggere$/ });
  await expect(inboxLink).toBeVisible();
  await inboxLink.click();

  await expect(page.getByRole("heading", { level: 1, name: "Notifiche" })).toBeVisible();
  const item = page.getByRole("listitem").filter({ hasText: message });
  await expect(item.getByText("Nuova")).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  await item.getByRole("button", { name: /^Apri/ }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Pagamenti" })).toBeVisible();
  await page.goto("/notifiche");
  await expect(page.getByRole("listitem").filter({ hasText: message }).getByText("Nuova")).toHaveCount(0);
});
