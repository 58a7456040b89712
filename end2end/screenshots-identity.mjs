// Screenshots of sign-in, acting for a child, delegations and the access log
// (docs/screenshots/identity-*.png), from a running portal and development
// identity provider started as in scripts/test.sh:
//   PORTALE_E2E_URL=http://127.0.0.1:3000 PORTALE_E2E_ACCOUNTS=data/idp-accounts.json \
//     node end2end/screenshots-identity.mjs
import { devices } from "@playwright/test";
import { launchChromium } from "./chromium.mjs";
import { mkdirSync, readFileSync } from "node:fs";

const base = process.env.PORTALE_E2E_URL ?? "http://127.0.0.1:3000";
const accounts = JSON.parse(readFileSync(process.env.PORTALE_E2E_ACCOUNTS, "utf8"));
const parent = accounts.find((a) => a.role === "citizen" && a.description.includes("genitore di"));
const adults = accounts.filter((a) => a.role === "citizen" && !a.description.includes("genitore di"));
const [delegator, delegate] = adults.slice(-2);
const out = new URL("../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
const phone = { ...devices["Pixel 7"], locale: "it-IT" };
const desktop = { viewport: { width: 1280, height: 900 }, locale: "it-IT" };

async function signIn(device, account, path) {
  const context = await browser.newContext(device);
  const page = await context.newPage();
  await page.goto(`${base}/auth/login?return_to=${encodeURIComponent(path)}`);
  await page.getByRole("button", { name: `Accedi come ${account.given_name} ${account.family_name}` }).click();
  await page.waitForURL(`${base}${path}`);
  return { context, page };
}
// Let the islands router's cross-fade finish before each picture.
const settle = (page) => page.waitForFunction(() => document.getAnimations().length === 0);
const shot = async (page, name) => {
  await settle(page);
  await page.screenshot({ path: `${out}identity-${name}.png`, fullPage: true });
};

// The provider's login page, on a phone.
{
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(`${base}/auth/login?return_to=/accessi`);
  await page.getByRole("heading", { name: "Accesso di prova" }).waitFor();
  await page.screenshot({ path: `${out}identity-phone-provider-login.png` });
  await context.close();
}

// A delegation given, then used: the delegator's and the delegate's views.
{
  const a = await signIn(desktop, delegator, "/deleghe");
  await a.page.getByLabel("Codice fiscale della persona da delegare").fill(delegate.fiscal_code);
  await a.page.getByLabel("Nome della persona da delegare", { exact: true }).fill(delegate.given_name);
  await a.page.getByLabel("Cognome della persona da delegare").fill(delegate.family_name);
  await a.page.getByLabel("Registro degli accessi").check();
  await a.page.getByLabel("Fascicolo sanitario").check();
  await a.page.getByRole("button", { name: "Registra la delega" }).click();
  await a.page.getByText("Delega registrata.").waitFor();
  await shot(a.page, "desktop-delegations");
  const b = await signIn(phone, delegate, "/deleghe");
  await shot(b.page, "phone-delegations-received");
  await b.page.getByLabel("Stai agendo per").selectOption({ label: `${delegator.given_name} ${delegator.family_name} (delega ricevuta)` });
  await b.page.getByRole("button", { name: "Cambia persona" }).click();
  await b.page.getByText("Ora stai agendo per la persona scelta.").waitFor();
  await b.page.goto(`${base}/accessi`);
  await a.page.goto(`${base}/accessi?chi=altri`);
  await shot(a.page, "desktop-access-log");
  await a.page.setViewportSize({ width: 412, height: 915 });
  await shot(a.page, "phone-access-log");
  await a.context.close();
  await b.context.close();
}

// A parent acting for a minor child.
{
  const { context, page } = await signIn(desktop, parent, "/accessi");
  const select = page.getByLabel("Stai agendo per");
  const child = (await select.locator("option").allTextContents()).find((t) => t.includes("figlio/a minore"));
  await select.selectOption({ label: child });
  await page.getByRole("button", { name: "Cambia persona" }).click();
  await page.getByText("Stai consultando i dati di").waitFor();
  await settle(page);
  await page.screenshot({ path: `${out}identity-desktop-acting-for-child.png` });
  await context.close();
}
await browser.close();
console.log(`screenshots written to ${out}`);
