// Takes the screenshots under docs/screenshots/ from a running portal:
//   PORTALE_E2E_URL=http://127.0.0.1:3000 node end2end/screenshots.mjs
import { devices } from "@playwright/test";
import { launchChromium } from "./chromium.mjs";
import { mkdirSync } from "node:fs";

const base = process.env.PORTALE_E2E_URL ?? "http://127.0.0.1:3000";
const out = new URL("../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
const shots = [
  ["phone-home", devices["Pixel 7"], "/", null],
  ["phone-menu-open", devices["Pixel 7"], "/", "menu"],
  ["phone-404", devices["Pixel 7"], "/pagina-che-non-esiste", null],
  ["desktop-home", { viewport: { width: 1280, height: 900 } }, "/", null],
  ["desktop-home-en", { viewport: { width: 1280, height: 900 } }, "/", "english"],
];
for (const [name, device, path, action] of shots) {
  const context = await browser.newContext({ ...device, locale: "it-IT" });
  const page = await context.newPage();
  await page.goto(base + path);
  await page.waitForFunction(() => document.querySelector(".menu-toggle:not([hidden])") !== null);
  if (action === "menu") await page.getByRole("button", { name: "Menu" }).click();
  if (action === "english") {
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Liguria's health services, in one place" }).waitFor();
    // Let the islands router's cross-fade finish.
    await page.waitForFunction(() => document.getAnimations().length === 0);
  }
  await page.screenshot({ path: `${out}${name}.png`, fullPage: name !== "phone-menu-open" });
  await context.close();
}
await browser.close();
console.log(`screenshots written to ${out}`);
