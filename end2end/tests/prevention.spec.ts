// Vaccinations and screening: book a flu vaccination and download the
// certificate; request a FIT kit and follow it, through the screening
// centre's ingest API, to a result in the FSE; the region's adherence
// figures. axe on every page, phone and desktop.
//
// The demo region has few adults without children and every spec takes
// some: these tests share cup.spec.ts's (slots 8–9), whose visits and
// waiting list they do not touch, and arrange what the rules need in the
// registry (a risk condition for the flu, an age of 55 for colorectal
// screening), as the Rust integration tests do.
import { expect, test, type APIRequestContext, type TestInfo } from "@playwright/test";
import { accounts, adultsWithoutChildren, signIn, success, type Account } from "./accounts";
import { sql } from "./db";
import { downloaded, expectNoSeriousAxeViolations } from "./helpers";

const CUP_ADULTS = 16;

function projectIndex(testInfo: TestInfo): number {
  return Math.max(0, testInfo.config.projects.map((project) => project.name).indexOf(testInfo.project.name));
}

function citizen(slot: 0 | 1, testInfo: TestInfo): Account {
  const account = adultsWithoutChildren()[CUP_ADULTS + slot * 2 + projectIndex(testInfo)];
  if (!account) throw new Error("not enough demo adults without children for the prevention tests");
  return account;
}

async function screeningToken(request: APIRequestContext): Promise<string> {
  const issuer = process.env.PORTALE_E2E_IDP;
  if (!issuer) throw new Error("PORTALE_E2E_IDP is not set (scripts/test.sh sets it)");
  const discovery = await (await request.get(`${issuer}/.well-known/openid-configuration`)).json();
  const basic = Buffer.from("centro-screening-liguria:sviluppo-centro-screening").toString("base64");
  const response = await request.post(discovery.token_endpoint, {
    headers: { authorization: `Basic ${basic}` },
    form: { grant_type: "client_credentials", scope: "screening:write" },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).access_token;
}

async function screeningEvent(request: APIRequestContext, token: string, kind: string, reference: string, result?: object) {
  const response = await request.post("/ingest/v1/screening/events", {
    headers: { authorization: `Bearer ${token}` },
    data: {
      event_id: `${reference}-${kind}`,
      kind,
      reference,
      at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      ...(result ? { result } : {}),
    },
  });
  expect(response.status()).toBe(200);
  expect((await response.json()).result).toBe("applied");
}

test("a citizen books a flu vaccination and downloads the vaccination certificate", async ({ page }, testInfo) => {
  const person = citizen(0, testInfo);
  // A chronic lung disease on record: the flu vaccination is offered at any age.
  sql("UPDATE people SET risk_groups = 'chronic_respiratory' WHERE fiscal_code = ?", [person.fiscal_code]);
  await signIn(page, person, "/vaccinazioni");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vaccinazioni");
  const due = page.getByRole("region", { name: "Da fare" });
  await expect(due.getByRole("heading", { name: "Antinfluenzale" })).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  await due.getByRole("link", { name: "Prenota — Antinfluenzale" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Scegli data e luogo");
  await expect(page.getByText("Gratuito: nessun ticket da pagare.").first()).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  // Only pharmacies, then one place per project so the two never race.
  await page.getByLabel("Dove").selectOption("farmacia");
  await page.getByRole("button", { name: "Mostra" }).click();
  await expect(page).toHaveURL(/luogo=farmacia/);
  const offers = page
    .getByRole("region", { name: "Primi posti liberi per luogo" })
    .getByRole("button", { name: /^Prenota .* — Farmacia/ });
  await offers.nth(projectIndex(testInfo)).click();

  await expect(success(page, "Appuntamento prenotato")).toBeVisible();
  const appointment = page.getByRole("region", { name: "Appuntamenti prenotati" }).getByRole("listitem");
  await expect(appointment).toContainText("Vaccinazione antinfluenzale");
  await expect(appointment).toContainText(/Codice appuntamento: VA-[0-9A-F]{8}/);
  await expect(page.getByRole("region", { name: "Da fare" }).getByRole("heading", { name: "Antinfluenzale" })).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);

  const certificate = await downloaded(page, () =>
    page.getByRole("link", { name: "Scarica il certificato vaccinale (PDF)" }).click(),
  );
  expect(certificate.name).toBe(`certificato-vaccinale-${person.fiscal_code}.pdf`);
  expect(certificate.bytes.subarray(0, 5).toString()).toBe("%PDF-");
  const [[lot]] = sql("SELECT lot FROM vaccinations WHERE person = ? ORDER BY id LIMIT 1", [person.fiscal_code]);
  expect(certificate.bytes.toString("latin1")).toContain(`(${lot})`);
});

test("a citizen requests a FIT kit and follows it to the result in the FSE", async ({ page, request }, testInfo) => {
  const person = citizen(1, testInfo);
  // 55 years old, never tested: invited to colorectal screening.
  sql("UPDATE people SET birth_date = date('now', '-55 years', '-10 days') WHERE fiscal_code = ?", [person.fiscal_code]);
  sql("DELETE FROM screening_tests WHERE person = ? AND programme = 'colorectal'", [person.fiscal_code]);
  await signIn(page, person, "/screening");
  const colorectal = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Screening del colon-retto" }) });
  await expect(colorectal).toContainText("È il momento del tuo test.");
  await expectNoSeriousAxeViolations(page);

  await colorectal.getByLabel("Farmacia dove ritirare il kit").selectOption({ index: projectIndex(testInfo) });
  await colorectal.getByRole("button", { name: "Richiedi il kit" }).click();
  await expect(success(page, "Kit richiesto")).toBeVisible();
  const journey = page.getByRole("list", { name: "Il tuo kit" });
  await expect(journey.getByRole("listitem").first()).toContainText("Richiesto — a che punto è");
  await expect(journey.getByRole("listitem").nth(1)).toContainText("Pronto in farmacia — in attesa");
  await expectNoSeriousAxeViolations(page);
  const kit = (await page.getByText(/^Codice del kit: KIT-/).textContent())!.replace("Codice del kit: ", "").trim();

  const token = await screeningToken(request);
  await screeningEvent(request, token, "kit_ready", kit);
  await page.reload();
  await expect(journey.getByRole("listitem").nth(1)).toContainText("Pronto in farmacia — a che punto è");
  await expect(page.getByRole("navigation", { name: "La mia area" }).getByRole("link", { name: /Notifiche \d+ da leggere/ })).toBeVisible();
  await screeningEvent(request, token, "kit_collected", kit);
  await screeningEvent(request, token, "sample_returned", kit);
  await page.reload();
  await expect(journey.getByRole("listitem").nth(3)).toContainText("Campione riconsegnato — a che punto è");
  await screeningEvent(request, token, "result", kit, { haemoglobin_ng_ml: 42 });
  await page.reload();
  await expect(journey.getByRole("listitem").nth(4)).toContainText("Esito disponibile — fatto");
  await expect(colorectal).toContainText("esito: negativo");
  await expect(colorectal.getByText(/^Prossimo test dal \d\d\/\d\d\/\d{4}$/)).toBeVisible();

  await colorectal.getByRole("link", { name: "Leggi il referto — Screening del colon-retto" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Referto di screening del colon-retto (FIT)");
  await expect(page.getByRole("main")).toContainText("Sangue occulto nelle feci (FIT), screening");
  await expectNoSeriousAxeViolations(page);
});

test("the region's operators see adherence by programme, ASL and age", async ({ page }) => {
  const operator = accounts().find((account) => account.role === "region_operator");
  if (!operator) throw new Error("the demo accounts have no region operator");
  await signIn(page, operator, "/regione/screening");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Adesione agli screening");
  const colorectal = page.getByRole("table", { name: "Adesione allo screening: Screening del colon-retto" });
  await expect(colorectal.getByRole("row").filter({ hasText: "50–54" }).first()).toBeVisible();
  await expect(page.getByRole("table", { name: /Persone a cui la campagna è offerta/ })).toContainText("Antinfluenzale");
  await expectNoSeriousAxeViolations(page);
});
