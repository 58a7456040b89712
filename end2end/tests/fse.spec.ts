// The Electronic Health Record: filter, open a lab report and its PDF,
// trend chart, obscure and show again, FHIR export, patient summary,
// notebook upload, and a professional without consent. Every page passes
// axe on phone and desktop.
//
// Citizens come from the end of the adults list (identity.spec.ts takes
// them from the front), one slot per test, so no two tests share a record.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { accounts, adultsWithoutChildren, signIn, success, type Account } from "./accounts";
import { downloaded, expectNoSeriousAxeViolations } from "./helpers";

const SLOT = { labReport: 0, trend: 1, obscure: 2, fhir: 3, summaryAndNotebook: 4, professional: 5 } as const;

function citizen(slot: keyof typeof SLOT, testInfo: TestInfo): Account {
  const adults = adultsWithoutChildren();
  const projects = testInfo.config.projects.map((project) => project.name);
  const index = adults.length - 1 - (SLOT[slot] * projects.length + Math.max(0, projects.indexOf(testInfo.project.name)));
  // identity.spec.ts uses the first 16 adults.
  if (index < 16) throw new Error("not enough adults without children for the FSE tests");
  return adults[index];
}

const documentLinks = (page: Page) => page.getByRole("list", { name: "Documenti" }).getByRole("link");

test("a citizen filters the record, opens a lab report and downloads its PDF", async ({ page }, testInfo) => {
  await signIn(page, citizen("labReport", testInfo), "/fascicolo");
  await expect(page.getByRole("heading", { level: 1, name: "Fascicolo sanitario elettronico" })).toBeVisible();
  await expect(page.getByText(/Documenti trovati: \d+/)).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  await page.getByLabel("Tipo di documento").selectOption({ label: "Referto di laboratorio" });
  await page.getByRole("button", { name: "Applica i filtri" }).click();
  await expect(page).toHaveURL(/tipo=laboratorio/);
  const links = documentLinks(page);
  await expect(links.first()).toHaveText("Referto di laboratorio analisi");
  expect(await page.getByRole("list", { name: "Documenti" }).getByText("Verbale di Pronto Soccorso").count()).toBe(0);
  const first = page.getByRole("list", { name: "Documenti" }).getByRole("listitem").first();
  await expect(first.getByText("Nuovo", { exact: true })).toBeVisible();

  await links.first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Referto di laboratorio analisi" })).toBeVisible();
  const table = page.getByRole("table");
  await expect(table.getByRole("columnheader", { name: "Valori di riferimento" })).toBeVisible();
  await expect(table.getByRole("rowheader", { name: "Glucosio" })).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  const pdf = await downloaded(page, () => page.getByRole("link", { name: "Scarica il PDF" }).click());
  expect(pdf.name).toMatch(/^documento-fse-\d+\.pdf$/);
  expect(pdf.bytes.subarray(0, 5).toString()).toBe("%PDF-");

  // Opened: no longer marked new.
  await page.goto("/fascicolo?tipo=laboratorio");
  await expect(
    page.getByRole("list", { name: "Documenti" }).getByRole("listitem").first().getByText("Nuovo", { exact: true }),
  ).toHaveCount(0);
});

test("a citizen sees a lab value's trend as a chart and as a table", async ({ page }, testInfo) => {
  await signIn(page, citizen("trend", testInfo), "/fascicolo/andamenti");
  await page.getByLabel("Esame").selectOption({ label: "Colesterolo totale" });
  await page.getByRole("button", { name: "Mostra l'andamento" }).click();
  await expect(page).toHaveURL(/esame=2093-3/);
  await expect(page.getByRole("img", { name: "Colesterolo totale (mg/dL)" })).toBeVisible();
  const points = page.locator("svg circle");
  expect(await points.count()).toBeGreaterThanOrEqual(2);
  const table = page.getByRole("table", { name: "Valori di Colesterolo totale" });
  await expect(table.getByRole("row")).toHaveCount((await points.count()) + 1);
  await expect(page.getByText("Fascia dei valori di riferimento: < 200 mg/dL")).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});

test("a citizen obscures a document from professionals and makes it visible again", async ({ page }, testInfo) => {
  await signIn(page, citizen("obscure", testInfo), "/fascicolo?tipo=pronto-soccorso");
  const links = documentLinks(page);
  // Not everyone has been to the ER: fall back to any document.
  if ((await links.count()) === 0) await page.goto("/fascicolo");
  const title = (await documentLinks(page).first().textContent()) ?? "";
  await documentLinks(page).first().click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  await page.getByRole("button", { name: "Oscura il documento" }).click();
  await expect(success(page, "Documento oscurato")).toBeVisible();
  await expect(page.getByText("Questo documento è oscurato")).toBeVisible();

  await page.getByRole("navigation", { name: "Sezioni del fascicolo" }).getByRole("link", { name: "Consensi e oscuramento" }).click();
  const hidden = page.getByRole("region", { name: "Documenti oscurati" });
  await expect(hidden.getByRole("link", { name: title })).toBeVisible();
  await expect(hidden.getByText("Oscurato", { exact: true })).toBeVisible();
  await expect(page.getByText("Consenso alla consultazione: non dato.")).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  await hidden.getByRole("link", { name: title }).click();
  await page.getByRole("button", { name: "Rendi di nuovo visibile" }).click();
  await expect(success(page, "di nuovo visibile")).toBeVisible();
  await expect(page.getByRole("button", { name: "Oscura il documento" })).toBeVisible();
  await page.goto("/fascicolo/consensi");
  await expect(page.getByText("Nessun documento oscurato.")).toBeVisible();
});

test("a citizen exports the whole record as a FHIR bundle", async ({ page }, testInfo) => {
  const person = citizen("fhir", testInfo);
  await signIn(page, person, "/fascicolo");
  const file = await downloaded(page, () =>
    page.getByRole("link", { name: "Scarica tutto il fascicolo (FHIR, JSON)" }).click(),
  );
  expect(file.name).toMatch(new RegExp(`^fascicolo-${person.fiscal_code}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  const bundle = JSON.parse(file.bytes.toString("utf8"));
  expect(bundle.resourceType).toBe("Bundle");
  expect(bundle.type).toBe("collection");
  expect(bundle.entry[0].resource.resourceType).toBe("Patient");
  expect(bundle.entry[0].resource.identifier[0].value).toBe(person.fiscal_code);
  const types = new Set(bundle.entry.map((entry: { resource: { resourceType: string } }) => entry.resource.resourceType));
  expect([...types]).toEqual(expect.arrayContaining(["DocumentReference", "Observation"]));
});

test("the patient summary and the personal notebook", async ({ page }, testInfo) => {
  const person = citizen("summaryAndNotebook", testInfo);
  await signIn(page, person, "/fascicolo/profilo");
  await expect(page.getByRole("heading", { level: 1, name: "Profilo sanitario sintetico" })).toBeVisible();
  await expect(page.getByText(person.fiscal_code)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Ultimi parametri vitali" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Stampa" })).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  await page.goto("/fascicolo/taccuino");
  await expect(page.getByText("Il taccuino è vuoto.")).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  // A script with a PDF name is refused by its content.
  await page.getByLabel("Titolo (al massimo 120 caratteri)").fill("Non un PDF");
  await page.getByLabel("File PDF, JPEG o PNG, al massimo 5 MB").setInputFiles({
    name: "referto.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("#!/bin/sh\necho ciao\n"),
  });
  await page.getByRole("button", { name: "Carica il documento" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "non è un PDF, un JPEG o un PNG" })).toBeVisible();
  await expect(page.getByText("Il taccuino è vuoto.")).toBeVisible();

  await page.getByLabel("Titolo (al massimo 120 caratteri)").fill("Visita privata");
  await page.getByLabel("File PDF, JPEG o PNG, al massimo 5 MB").setInputFiles({
    name: "visita.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "latin1"),
  });
  await page.getByRole("button", { name: "Carica il documento" }).click();
  await expect(success(page, "Documento aggiunto al taccuino")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Visita privata" })).toBeVisible();
  await page.getByRole("button", { name: "Elimina Visita privata" }).click();
  await expect(success(page, "Documento eliminato dal taccuino")).toBeVisible();
  await expect(page.getByText("Il taccuino è vuoto.")).toBeVisible();
});

test("a professional sees nothing of a record without consent", async ({ page }, testInfo) => {
  const operator = accounts().find((account) => account.role === "hospital_operator");
  if (!operator) throw new Error("the demo accounts have no hospital operator");
  const patient = citizen("professional", testInfo);
  await signIn(page, operator, "/professionisti/fascicolo");
  await page.getByLabel("Codice fiscale del paziente").fill(patient.fiscal_code);
  await page.getByRole("button", { name: "Consulta" }).click();
  await expect(page.getByText("non ha dato il consenso alla consultazione")).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Documenti di / })).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);
});
