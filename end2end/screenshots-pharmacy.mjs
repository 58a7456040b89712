// Screenshots of dematerialised prescriptions (docs/screenshots/pharmacy-*.png):
// the pharmacist's counter on a desktop and the citizen's list on a phone.
// From a running portal and development identity provider started as in
// scripts/test.sh (PORTALE_E2E_DATABASE is the portal's SQLite file):
//   PORTALE_E2E_URL=http://127.0.0.1:3000 PORTALE_E2E_ACCOUNTS=data/idp-accounts.json \
//     PORTALE_E2E_DATABASE=data/portale.db node end2end/screenshots-pharmacy.mjs
import { devices } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { launchChromium } from "./chromium.mjs";
import { mkdirSync, readFileSync } from "node:fs";

const base = process.env.PORTALE_E2E_URL ?? "http://127.0.0.1:3000";
const accounts = JSON.parse(readFileSync(process.env.PORTALE_E2E_ACCOUNTS, "utf8"));
const citizen = accounts.filter((a) => a.role === "citizen" && a.description.includes("genitore di")).at(-1);
const pharmacist = accounts.find((a) => a.role === "pharmacist");
const card = execFileSync(
  "python3",
  ["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT health_card_number FROM people WHERE fiscal_code = ?', (sys.argv[2],)).fetchone()[0])",
    process.env.PORTALE_E2E_DATABASE, citizen.fiscal_code],
  { encoding: "utf8" },
).trim();
const out = new URL("../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
const signIn = async (page, account, path) => {
  await page.goto(`${base}/auth/login?return_to=${path}`);
  await page.getByRole("button", { name: `Accedi come ${account.given_name} ${account.family_name}` }).click();
  await page.waitForURL(`${base}${path}`);
};
const settle = (page) => page.waitForFunction(() => document.getAnimations().length === 0);

const phone = await (await browser.newContext({ ...devices["Pixel 7"], locale: "it-IT" })).newPage();
await signIn(phone, citizen, "/ricette");
await phone.getByRole("button", { name: "Dai il consenso" }).click();
await phone.getByText("Consenso registrato").waitFor();

const desktop = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "it-IT" })).newPage();
await signIn(desktop, pharmacist, "/farmacia");
await desktop.getByLabel("Codice fiscale").fill(citizen.fiscal_code);
await desktop.getByLabel("Numero di identificazione della tessera").fill(card);
await desktop.getByRole("button", { name: "Cerca le ricette" }).click();
await desktop.getByRole("button", { name: /^Dispensa / }).first().click();
await desktop.getByText("Dispensazione registrata").waitFor();
await settle(desktop);
await desktop.screenshot({ path: `${out}pharmacy-desktop-counter.png`, fullPage: true });

await phone.reload();
await settle(phone);
await phone.screenshot({ path: `${out}pharmacy-phone-my-prescriptions.png`, fullPage: true });
await browser.close();
console.log(`screenshots written to ${out}`);
