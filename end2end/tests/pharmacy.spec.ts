// Prescriptions at the pharmacy: a citizen turns on retrieval by health
// card, a pharmacist finds the prescriptions by card and dispenses a line,
// the citizen sees the dispensation. axe on both pages.
//
// Citizens: parents who are not the first of their town (identity.spec.ts
// and doctors.spec.ts use those), one per project; each project has its
// own pharmacist and pharmacy.
import { expect, test, type TestInfo } from "@playwright/test";
import { accounts, isParent, parentsInDistinctTowns, signIn, success, type Account } from "./accounts";
import { sql } from "./db";
import { expectNoSeriousAxeViolations } from "./helpers";

function projectIndex(testInfo: TestInfo): number {
  return Math.max(0, testInfo.config.projects.map((p) => p.name).indexOf(testInfo.project.name));
}

function citizenFor(testInfo: TestInfo): Account {
  const firsts = new Set(parentsInDistinctTowns().map((account) => account.fiscal_code));
  const others = accounts().filter((a) => a.role === "citizen" && isParent(a) && !firsts.has(a.fiscal_code));
  const citizen = others[projectIndex(testInfo)];
  if (!citizen) throw new Error("not enough second parents for the pharmacy tests");
  return citizen;
}

function pharmacistFor(testInfo: TestInfo): Account {
  const pharmacist = accounts().filter((a) => a.role === "pharmacist")[projectIndex(testInfo)];
  if (!pharmacist) throw new Error("the demo accounts lack a pharmacist for this project");
  return pharmacist;
}

test("a pharmacist finds a consenting citizen's prescriptions by health card and dispenses one", async ({ browser }, testInfo) => {
  const person = citizenFor(testInfo);
  const [[card]] = sql("SELECT health_card_number FROM people WHERE fiscal_code = ?", [person.fiscal_code]) as [string][];

  const citizenPage = await (await browser.newContext()).newPage();
  await signIn(citizenPage, person, "/ricette");
  await expect(citizenPage.getByRole("heading", { level: 1, name: "Le mie ricette" })).toBeVisible();
  await expect(citizenPage.getByText("Consenso non dato")).toBeVisible();
  await expectNoSeriousAxeViolations(citizenPage);
  await citizenPage.getByRole("button", { name: "Dai il consenso" }).click();
  await expect(success(citizenPage, "Consenso registrato")).toBeVisible();

  const counter = await (await browser.newContext()).newPage();
  await signIn(counter, pharmacistFor(testInfo), "/farmacia");
  await expect(counter.getByRole("heading", { level: 1, name: "Banco della farmacia" })).toBeVisible();
  await counter.getByLabel("Codice fiscale").fill(person.fiscal_code);
  await counter.getByLabel("Numero di identificazione della tessera").fill(card);
  await counter.getByRole("button", { name: "Cerca le ricette" }).click();
  const served = counter.getByRole("region", { name: new RegExp(`^Ricette di .* — ${person.fiscal_code}$`) });
  await expect(served).toBeVisible();
  await expect(served.getByText(/Ricetta rossa/).first()).toBeVisible();
  await expectNoSeriousAxeViolations(counter);
  const dispense = served.getByRole("button", { name: /^Dispensa Atorvastatina/ }).first();
  await dispense.click();
  await expect(success(counter, "Dispensazione registrata")).toBeVisible();
  await expect(served.getByText(/^Già dispensata: /).first()).toBeVisible();
  await counter.getByRole("button", { name: "Termina (nuovo cittadino)" }).first().click();
  await expect(served).toHaveCount(0);

  await citizenPage.reload();
  await expect(citizenPage.getByText(/^Consegnata da .*, \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} — 2 confezioni$/).first()).toBeVisible();
  await expect(citizenPage.getByText(/^Ritirata( in parte)?$/).first()).toBeVisible();
});
