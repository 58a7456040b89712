// Screenshots of the family-doctor page on a phone
// (docs/screenshots/doctors-*.png), from a running portal and development
// identity provider started as in scripts/test.sh:
//   PORTALE_E2E_URL=http://127.0.0.1:3000 PORTALE_E2E_ACCOUNTS=data/idp-accounts.json \
//     node end2end/screenshots-doctors.mjs
import { devices } from "@playwright/test";
import { launchChromium } from "./chromium.mjs";
import { mkdirSync, readFileSync } from "node:fs";

const base = process.env.PORTALE_E2E_URL ?? "http://127.0.0.1:3000";
const accounts = JSON.parse(readFileSync(process.env.PORTALE_E2E_ACCOUNTS, "utf8"));
const parent = accounts.filter((a) => a.role === "citizen" && a.description.includes("genitore di")).at(-3);
const out = new URL("../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
const context = await browser.newContext({ ...devices["Pixel 7"], locale: "it-IT" });
const page = await context.newPage();
const shot = async (name) => {
  await page.waitForFunction(() => document.getAnimations().length === 0);
  await page.screenshot({ path: `${out}doctors-phone-${name}.png`, fullPage: true });
};
await page.goto(`${base}/auth/login?return_to=/medico`);
await page.getByRole("button", { name: `Accedi come ${parent.given_name} ${parent.family_name}` }).click();
await page.waitForURL(`${base}/medico`);
await shot("overview");
await page.getByRole("link", { name: /^Cambia medico di / }).first().click();
await page.getByRole("heading", { name: /^Scegli un nuovo medico per / }).waitFor();
await shot("search");
await page.getByRole("button", { name: /^Scegli / }).last().click();
await page.getByText("Scelta registrata").waitFor();
await shot("chosen");
await browser.close();
console.log(`screenshots written to ${out}`);
