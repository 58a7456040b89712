// Screenshots of the live ER board on a phone (docs/screenshots/er-board-*.png),
// from a portal started as in scripts/run.sh (demo feeder on):
//   PORTALE_E2E_URL=http://127.0.0.1:3000 node end2end/screenshots-emergency.mjs
import { devices } from "@playwright/test";
import { launchChromium } from "./chromium.mjs";
import { mkdirSync } from "node:fs";

const base = process.env.PORTALE_E2E_URL ?? "http://127.0.0.1:3000";
const out = new URL("../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
const phone = await (await browser.newContext({ ...devices["Pixel 7"], locale: "it-IT" })).newPage();
await phone.goto(`${base}/pronto-soccorso?vicino=Genova`);
await phone.locator("[data-er-last]").filter({ hasText: "Aggiornato:" }).waitFor({ timeout: 60000 });
await phone.screenshot({ path: `${out}er-board-phone.png` });
await phone.locator("[data-er-unit]").first().evaluate((card) => card.scrollIntoView());
await phone.screenshot({ path: `${out}er-board-phone-unit.png` });
await browser.close();
