// The surgery tracker: San Martino's system admits a patient naming a
// relative (through the ingest API, with a machine token from the
// development identity provider); the relative follows three phases live
// without reload; the patient withdraws the authorisation and the
// relative's open page stops. axe on both pages.
import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { adultsWithoutChildren, fullName, pick, signIn, success, type Account } from "./accounts";
import { expectNoSeriousAxeViolations } from "./helpers";

// identity.spec.ts uses adult slots 0–7, cup.spec.ts 8–9.
const SLOT = { patient: 10, relative: 11 } as const;
const adult = (slot: keyof typeof SLOT, testInfo: TestInfo): Account =>
  pick(adultsWithoutChildren(), "an adult for the surgery tracker", SLOT[slot], testInfo);

async function machineToken(request: APIRequestContext): Promise<string> {
  const issuer = process.env.PORTALE_E2E_IDP;
  if (!issuer) throw new Error("PORTALE_E2E_IDP is not set (scripts/test.sh sets it)");
  const discovery = await (await request.get(`${issuer}/.well-known/openid-configuration`)).json();
  const basic = Buffer.from("ospedale-san-martino:sviluppo-san-martino").toString("base64");
  const response = await request.post(discovery.token_endpoint, {
    headers: { authorization: `Basic ${basic}` },
    form: { grant_type: "client_credentials", scope: "surgery:write" },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).access_token;
}

async function phase(request: APIRequestContext, caseId: string, code: string, extra: object = {}) {
  const response = await request.post("/ingest/v1/surgery/events", {
    headers: { authorization: `Bearer ${await machineToken(request)}` },
    data: {
      event_id: `${caseId}-${code}`,
      hospital: "HUB-SANMARTINO",
      case_id: caseId,
      phase: code,
      at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      ...extra,
    },
  });
  expect(response.status()).toBe(200);
  expect((await response.json()).result).toBe("applied");
}

const step = (page: Page, code: string) => page.locator(`[data-phase="${code}"]`);

test("a relative follows an operation live until the patient withdraws", async ({ browser, request }, testInfo) => {
  const patient = adult("patient", testInfo);
  const relative = adult("relative", testInfo);
  const caseId = `E2E-${testInfo.project.name}-${Date.now()}`;
  await phase(request, caseId, "admitted", { patient: patient.fiscal_code, authorised: [relative.fiscal_code] });

  const follower = await (await browser.newContext()).newPage();
  await signIn(follower, relative, "/interventi");
    await follower.getByRole("link", { name: `Segui l'intervento di ${fullName(patient)}` }).click();
  await expect(follower.getByRole("heading", { level: 1 })).toHaveText(`Intervento di ${fullName(patient)}`);
  await expect(step(follower, "admitted")).toHaveAttribute("data-state", "current");
  await expect(follower.locator("[data-case-live]")).toHaveText("Aggiornamento automatico attivo.");
  await expectNoSeriousAxeViolations(follower);
  await follower.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

  for (const code of ["in_block", "in_theatre", "surgery_started"]) {
    await phase(request, caseId, code);
    await expect(step(follower, code)).toHaveAttribute("data-state", "current", { timeout: 2000 });
  }
  await expect(step(follower, "in_block")).toHaveAttribute("data-state", "done");
  await expect(step(follower, "surgery_started")).toContainText("Intervento iniziato — fase attuale");
  await expect(follower.locator("[data-case-last]")).toContainText("Nuova fase: Intervento iniziato");
  expect(await follower.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

  // The patient withdraws the authorisation from their own page.
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, patient, "/interventi");
  await expect(owner.getByText("autorizzata al ricovero")).toBeVisible();
  await expectNoSeriousAxeViolations(owner);
  await owner.getByRole("button", { name: `Ritira l'autorizzazione a ${fullName(relative)}` }).click();
  await expect(success(owner, "Autorizzazione ritirata")).toBeVisible();

  await expect(follower.locator("[data-case-live]")).toHaveText(
    "Non sei più autorizzato a seguire questo intervento: gli aggiornamenti si sono fermati.",
    { timeout: 2000 },
  );
  await phase(request, caseId, "surgery_ended");
  await follower.waitForTimeout(1500);
  await expect(step(follower, "surgery_ended")).toHaveAttribute("data-state", "waiting");
  await follower.reload();
  await expect(follower.getByRole("alert")).toContainText("Intervento non trovato");
});
