// Screenshots of CUP booking on a phone (docs/screenshots/cup-phone-*.png):
// the search results and the booking confirmation. From a running portal
// and development identity provider started as in scripts/test.sh:
//   PORTALE_E2E_URL=http://127.0.0.1:3000 PORTALE_E2E_ACCOUNTS=data/idp-accounts.json \
//     node end2end/screenshots-cup.mjs
import { devices } from "@playwright/test";
import { launchChromium } from "./chromium.mjs";
import { mkdirSync, readFileSync } from "node:fs";

const base = process.env.PORTALE_E2E_URL ?? "http://127.0.0.1:3000";
const accounts = JSON.parse(readFileSync(process.env.PORTALE_E2E_ACCOUNTS, "utf8"));
const citizen = accounts.filter((a) => a.role === "citizen" && !a.description.includes("genitore di"))[20];
const out = new URL("../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
const context = await browser.newContext({ ...devices["Pixel 7"], locale: "it-IT" });
const page = await context.newPage();
const shot = async (name) => {
  await page.waitForFunction(() => document.getAnimations().length === 0);
  await page.screenshot({ path: `${out}cup-phone-${name}.png`, fullPage: true });
};
await page.goto(`${base}/auth/login?return_to=/prenotazioni`);
await page.getByRole("button", { name: `Accedi come ${citizen.given_name} ${citizen.family_name}` }).click();
await page.waitForURL(`${base}/prenotazioni`);
await shot("overview");
await page.getByRole("link", { name: /^Cerca i posti per / }).first().click();
await page.getByRole("heading", { name: "Primi posti liberi" }).waitFor();
await shot("search");
await page.getByRole("region", { name: "Primi posti liberi" }).getByRole("button", { name: /^Prenota / }).first().click();
await page.getByText("Prenotazione confermata").waitFor();
await shot("confirmation");
await browser.close();
console.log(`screenshots written to ${out}`);
