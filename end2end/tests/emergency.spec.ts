// The ER board: a report pushed through the ingest API (with a machine
// token from the development identity provider) reaches an open board
// within 2 s without reload; without JavaScript the board and its filters
// work the same. Each project reports for its own unit. axe on the board.
import { expect, test, type APIRequestContext, type TestInfo } from "@playwright/test";
import { expectNoSeriousAxeViolations } from "./helpers";

// One unit per project, in the ASL each test filters on.
const LIVE_UNITS = ["OSP-SARZANA", "OSP-SPEZIA"]; // ASL5
const PLAIN_UNITS = ["OSP-RAPALLO", "OSP-SESTRI"]; // ASL4

function unitFor(testInfo: TestInfo, units: string[]): string {
  const projects = testInfo.config.projects.map((p) => p.name);
  const unit = units[Math.max(0, projects.indexOf(testInfo.project.name))];
  if (!unit) throw new Error("more projects than ER units set aside for them");
  return unit;
}

async function machineToken(request: APIRequestContext): Promise<string> {
  const issuer = process.env.PORTALE_E2E_IDP;
  if (!issuer) throw new Error("PORTALE_E2E_IDP is not set (scripts/test.sh sets it)");
  const discovery = await (await request.get(`${issuer}/.well-known/openid-configuration`)).json();
  const basic = Buffer.from("flusso-regionale-ps:sviluppo-flusso-regionale-ps").toString("base64");
  const response = await request.post(discovery.token_endpoint, {
    headers: { authorization: `Basic ${basic}` },
    form: { grant_type: "client_credentials", scope: "emergency:write" },
  });
  expect(response.status()).toBe(200);
  return (await response.json()).access_token;
}

async function report(request: APIRequestContext, unit: string, green: number) {
  const token = await machineToken(request);
  const response = await request.post("/ingest/v1/emergency/status", {
    headers: { authorization: `Bearer ${token}` },
    data: {
      event_id: `e2e-${unit}-${Date.now()}-${green}`,
      unit,
      reported_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      waiting: { red: 0, orange: 1, light_blue: 2, green, white: 3 },
      in_treatment: { red: 1, orange: 0, light_blue: 2, green: 4, white: 1 },
      mean_wait_minutes: { green: 95 },
    },
  });
  expect(response.status()).toBe(200);
  expect((await response.json()).result).toBe("applied");
}

test("an open board shows a pushed report within 2 s, without reload", async ({ page, request }, testInfo) => {
  const unit = unitFor(testInfo, LIVE_UNITS);
  await report(request, unit, 5);
  await page.goto("/pronto-soccorso?asl=ASL5");
  const card = page.locator(`[data-er-unit="${unit}"]`);
  await expect(card.locator('[data-er="waiting-green"]')).toHaveText("5");
  // The island says the stream is open once hydrated and connected.
  await expect(page.locator("[data-er-live]")).toHaveText("Aggiornamento automatico attivo.");
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

  const green = 100 + Math.floor(Math.random() * 800);
  await report(request, unit, green);
  await expect(card.locator('[data-er="waiting-green"]')).toHaveText(String(green), { timeout: 2000 });
  await expect(page.locator("[data-er-last]")).toContainText("Aggiornato:");
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await expect(card.getByRole("cell", { name: "1 h 35 min" })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});

test.describe("with the device position", () => {
  // Chiavari: the nearest emergency room is Lavagna's.
  test.use({ geolocation: { latitude: 44.3168, longitude: 9.3222 }, permissions: ["geolocation"] });

  test("'Usa la mia posizione' sorts the board from the device", async ({ page }) => {
    await page.goto("/pronto-soccorso");
    await page.getByRole("button", { name: "Usa la mia posizione" }).click();
    await expect(page).toHaveURL(/lat=44\.3168&lon=9\.3222/);
    await expect(page.getByText("Dal più vicino alla tua posizione")).toBeVisible();
    await expect(page.locator("[data-er-unit]").first()).toHaveAttribute("data-er-unit", "OSP-LAVAGNA");
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the board is complete and the filters work", async ({ page, request }, testInfo) => {
    const unit = unitFor(testInfo, PLAIN_UNITS);
    await report(request, unit, 17);
    await page.goto("/pronto-soccorso");
    await expect(page.getByRole("heading", { level: 1, name: "Pronto soccorso" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Pronto Soccorso Sanremo" })).toBeVisible();

    await page.getByLabel("ASL").selectOption("ASL4");
    await page.getByRole("button", { name: "Mostra" }).click();
    await expect(page).toHaveURL(/asl=ASL4/);
    await expect(page.getByRole("heading", { name: "Pronto Soccorso Sanremo" })).toHaveCount(0);
    const card = page.locator(`[data-er-unit="${unit}"]`);
    await expect(card.locator('[data-er="waiting-green"]')).toHaveText("17");
    await expect(card.getByRole("row", { name: /Verde/ })).toContainText("17");
    await expect(card.getByText("Aggiornato al")).toBeVisible();
    await expect(card.getByRole("img", { name: /Persone in attesa nelle ultime 12 ore/ })).toBeVisible();

    await page.getByLabel("Vicino a (comune)").fill("Chiavari");
    await page.getByLabel("ASL").selectOption("");
    await page.getByRole("button", { name: "Mostra" }).click();
    await expect(page.getByText("Dal più vicino a Chiavari")).toBeVisible();
    await expect(page.locator("[data-er-unit]").first()).toHaveAttribute("data-er-unit", "OSP-LAVAGNA");
    // (axe needs JavaScript: the board is scanned by the live test and by shell.spec.)
  });
});
