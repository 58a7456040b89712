// Screenshots of payments on a phone (docs/screenshots/payments-*.png): the
// tickets to pay with a notice's QR code, the sandbox checkout, the outcome
// with the receipt, the income exemption page. From a running portal and
// development identity provider started as in scripts/test.sh:
//   PORTALE_E2E_URL=http://127.0.0.1:3000 PORTALE_E2E_ACCOUNTS=data/idp-accounts.json \
//     PORTALE_E2E_DATABASE=data/portale.db node end2end/screenshots-payments.mjs
import { devices } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { launchChromium } from "./chromium.mjs";
import { mkdirSync, readFileSync } from "node:fs";

const base = process.env.PORTALE_E2E_URL ?? "http://127.0.0.1:3000";
const accounts = JSON.parse(readFileSync(process.env.PORTALE_E2E_ACCOUNTS, "utf8"));
const owing = new Set(
  JSON.parse(
    execFileSync(
      "python3",
      ["-c", "import json,sqlite3,sys; print(json.dumps([r[0] for r in sqlite3.connect(sys.argv[1]).execute(\"SELECT person FROM payment_positions WHERE status = 'payable'\")]))",
        process.env.PORTALE_E2E_DATABASE],
      { encoding: "utf8" },
    ),
  ),
);
const citizen = accounts.find((a) => a.role === "citizen" && owing.has(a.fiscal_code));
if (!citizen) throw new Error("no demo account owes a ticket");
const out = new URL("../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
const settle = (page) => page.waitForFunction(() => document.getAnimations().length === 0);

const phone = await (await browser.newContext({ ...devices["Pixel 7"], locale: "it-IT" })).newPage();
await phone.goto(`${base}/auth/login?return_to=/pagamenti`);
await phone.getByRole("button", { name: `Accedi come ${citizen.given_name} ${citizen.family_name}` }).click();
await phone.waitForURL(`${base}/pagamenti`);
await phone.getByText("Mostra il codice QR dell'avviso").first().click();
await settle(phone);
await phone.screenshot({ path: `${out}payments-phone-to-pay.png`, fullPage: true });

await phone.getByRole("button", { name: "Paga i ticket selezionati con pagoPA" }).click();
await phone.getByText("Ambiente di prova").waitFor();
await phone.screenshot({ path: `${out}payments-phone-sandbox-checkout.png`, fullPage: true });
await phone.getByRole("button", { name: /^Paga \d/ }).click();
await phone.getByText("Pagamento riuscito").waitFor();
await settle(phone);
await phone.screenshot({ path: `${out}payments-phone-outcome.png`, fullPage: true });

await phone.goto(`${base}/pagamenti/esenzioni`);
await settle(phone);
await phone.screenshot({ path: `${out}payments-phone-income-exemption.png`, fullPage: true });
await browser.close();
console.log(`screenshots written to ${out}`);
