// Screenshots of vaccinations and screening on a phone
// (docs/screenshots/prevention-*.png), from a portal started as in
// scripts/run.sh (demo feeds on: the demo screening centre moves the kit),
// with the provider's account file:
//   PORTALE_E2E_URL=http://127.0.0.1:3000 PORTALE_E2E_ACCOUNTS=accounts.json node end2end/screenshots-prevention.mjs
import { devices } from "@playwright/test";
import { launchChromium } from "./chromium.mjs";
import { mkdirSync, readFileSync } from "node:fs";

const base = process.env.PORTALE_E2E_URL ?? "http://127.0.0.1:3000";
const accounts = JSON.parse(readFileSync(process.env.PORTALE_E2E_ACCOUNTS, "utf8"));
const age = (account) => Number.parseInt(account.description, 10);
const adults = accounts.filter((a) => a.role === "citizen" && !a.description.includes("genitore"));
const older = adults.find((a) => age(a) >= 66);
const fifties = adults.find((a) => age(a) >= 50 && age(a) <= 69);
const operator = accounts.find((a) => a.role === "region_operator");
const out = new URL("../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await launchChromium();

async function phoneAs(account, returnTo) {
  const page = await (await browser.newContext({ ...devices["Pixel 7"], locale: "it-IT" })).newPage();
  await page.goto(`${base}/auth/login?return_to=${encodeURIComponent(returnTo)}`);
  await page
    .getByRole("listitem")
    .filter({ hasText: account.fiscal_code })
    .getByRole("button", { name: `Accedi come ${account.given_name} ${account.family_name}`, exact: true })
    .click();
  await page.waitForURL((url) => url.pathname === returnTo);
  return page;
}

const vaccinations = await phoneAs(older, "/");
await vaccinations.screenshot({ path: `${out}prevention-phone-home.png` });
await vaccinations.goto(`${base}/vaccinazioni`);
await vaccinations.screenshot({ path: `${out}prevention-phone-vaccinations.png`, fullPage: true });
await vaccinations.getByRole("region", { name: "Da fare" }).getByRole("link", { name: "Prenota — Antinfluenzale" }).click();
await vaccinations.getByRole("heading", { level: 1, name: "Scegli data e luogo" }).waitFor();
await vaccinations.screenshot({ path: `${out}prevention-phone-vaccination-slots.png` });
await vaccinations.getByRole("region", { name: "Primi posti liberi per luogo" }).getByRole("button").first().click();
await vaccinations.getByText("Appuntamento prenotato").waitFor();
await vaccinations.locator("[id^=appuntamento-]").first().scrollIntoViewIfNeeded();
await vaccinations.screenshot({ path: `${out}prevention-phone-vaccination-booked.png` });

const screening = await phoneAs(fifties, "/screening");
await screening.getByRole("button", { name: "Richiedi il kit" }).click();
await screening.getByText("Kit richiesto").waitFor();
// The demo screening centre moves the kit one step at a time.
const resulted = screening.locator('[data-kit-step="resulted"][data-state="done"]');
for (let i = 0; i < 40 && (await resulted.count()) === 0; i++) {
  if (i === 1) {
    await screening.getByRole("list", { name: "Il tuo kit" }).scrollIntoViewIfNeeded();
    await screening.screenshot({ path: `${out}prevention-phone-kit.png` });
  }
  await screening.waitForTimeout(4000);
  await screening.reload();
}
await screening.getByRole("list", { name: "Il tuo kit" }).scrollIntoViewIfNeeded();
await screening.screenshot({ path: `${out}prevention-phone-kit-result.png` });
await screening.screenshot({ path: `${out}prevention-phone-screening.png`, fullPage: true });

const region = await phoneAs(operator, "/regione/screening");
await region.screenshot({ path: `${out}prevention-phone-adherence.png`, fullPage: true });
await browser.close();
