// Screenshots of the Electronic Health Record on a phone and a desktop
// (docs/screenshots/fse-*.png): the document list, a lab report and a
// trend chart. From a running portal and development identity provider
// started as in scripts/test.sh:
//   PORTALE_E2E_URL=http://127.0.0.1:3000 PORTALE_E2E_ACCOUNTS=data/idp-accounts.json \
//     node end2end/screenshots-fse.mjs
import { devices } from "@playwright/test";
import { launchChromium } from "./chromium.mjs";
import { mkdirSync, readFileSync } from "node:fs";

const base = process.env.PORTALE_E2E_URL ?? "http://127.0.0.1:3000";
const accounts = JSON.parse(readFileSync(process.env.PORTALE_E2E_ACCOUNTS, "utf8"));
const citizen = accounts.filter((a) => a.role === "citizen" && !a.description.includes("genitore di")).at(-1);
const out = new URL("../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await launchChromium();

for (const [device, options] of [
  ["phone", devices["Pixel 7"]],
  ["desktop", { viewport: { width: 1280, height: 900 } }],
]) {
  const context = await browser.newContext({ ...options, locale: "it-IT" });
  const page = await context.newPage();
  const shot = async (name) => {
    await page.waitForFunction(() => document.getAnimations().length === 0);
    await page.screenshot({ path: `${out}fse-${device}-${name}.png`, fullPage: true });
  };
  await page.goto(`${base}/auth/login?return_to=/fascicolo`);
  await page.getByRole("button", { name: `Accedi come ${citizen.given_name} ${citizen.family_name}` }).click();
  await page.waitForURL(`${base}/fascicolo`);
  await shot("list");
  await page.goto(`${base}/fascicolo?tipo=laboratorio`);
  await page.getByRole("list", { name: "Documenti" }).getByRole("link").first().click();
  await page.getByRole("columnheader", { name: "Valori di riferimento" }).waitFor();
  await shot("lab-report");
  await page.goto(`${base}/fascicolo/andamenti?esame=2093-3`);
  await page.getByRole("img", { name: /Colesterolo totale/ }).waitFor();
  await shot("trend");
  await context.close();
}
await browser.close();
console.log(`screenshots written to ${out}`);
