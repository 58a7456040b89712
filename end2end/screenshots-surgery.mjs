// Screenshots of a followed operation on a phone (docs/screenshots/surgery-*.png),
// from a portal started as in scripts/run.sh (demo feeders on), with the
// provider's account file:
//   PORTALE_E2E_URL=http://127.0.0.1:3000 PORTALE_E2E_ACCOUNTS=accounts.json node end2end/screenshots-surgery.mjs
import { devices } from "@playwright/test";
import { launchChromium } from "./chromium.mjs";
import { mkdirSync, readFileSync } from "node:fs";

const base = process.env.PORTALE_E2E_URL ?? "http://127.0.0.1:3000";
const accounts = JSON.parse(readFileSync(process.env.PORTALE_E2E_ACCOUNTS, "utf8"));
const relative = accounts.find((account) => account.description.includes("segue un intervento"));
if (!relative) throw new Error("no account follows a demo operation: are the demo feeds on?");
const out = new URL("../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
const phone = await (await browser.newContext({ ...devices["Pixel 7"], locale: "it-IT" })).newPage();
await phone.goto(`${base}/auth/login?return_to=/interventi`);
await phone
  .getByRole("listitem")
  .filter({ hasText: relative.fiscal_code })
  .getByRole("button", { name: `Accedi come ${relative.given_name} ${relative.family_name}`, exact: true })
  .click();
await phone.getByRole("link", { name: /Segui l'intervento di/ }).first().waitFor({ timeout: 90000 });
await phone.screenshot({ path: `${out}surgery-phone-list.png` });
await phone.getByRole("link", { name: /Segui l'intervento di/ }).first().click();
await phone.locator("[data-case-live]").filter({ hasText: "Aggiornamento automatico attivo." }).waitFor();
// Wait for a phase to arrive live, so the picture shows the page alive.
await phone.locator("[data-case-last]").filter({ hasText: "Nuova fase:" }).waitFor({ timeout: 90000 });
await phone.screenshot({ path: `${out}surgery-phone.png`, fullPage: true });
await browser.close();
