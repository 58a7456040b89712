// The development identity provider's demo accounts (`server idp-accounts`,
// file in PORTALE_E2E_ACCOUNTS) and signing in through its login page.
// Specs pick disjoint accounts so that tests running in parallel never
// change the same citizen's data.
import { readFileSync } from "node:fs";
import { expect, type Page, type TestInfo } from "@playwright/test";

export const SIGNED_IN = "Accesso effettuato.";

// ------------------------------------------------------------ accounts --

export interface Account {
  sub: string;
  fiscal_code: string;
  given_name: string;
  family_name: string;
  birthdate: string;
  role: "citizen" | "pharmacist" | "hospital_operator" | "region_operator";
  description: string;
}

let loaded: Account[] | undefined;

/** The identity provider's demo accounts (`server idp-accounts`). */
export function accounts(): Account[] {
  if (loaded) return loaded;
  const file = process.env.PORTALE_E2E_ACCOUNTS;
  if (!file) {
    throw new Error(
      "PORTALE_E2E_ACCOUNTS is not set: point it at the JSON file printed by `server idp-accounts` " +
        "(the one the identity provider was started with), as scripts/test.sh does.",
    );
  }
  const list = JSON.parse(readFileSync(file, "utf8")) as Account[];
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error(`${file} holds no demo accounts`);
  }
  loaded = list;
  return list;
}

export function fullName(account: Account): string {
  return `${account.given_name} ${account.family_name}`;
}

/** `"41 anni · Genova · ASL3 · genitore di 2 figli minori"` → `"Genova"`. */
export function town(account: Account): string {
  return account.description.split(" · ")[1] ?? account.description;
}

export function isParent(account: Account): boolean {
  return account.description.includes("genitore di");
}

/** Adult citizens with no minor children. */
export function adultsWithoutChildren(): Account[] {
  return accounts().filter((account) => account.role === "citizen" && !isParent(account));
}

/**
 * Parents of minors, at most one per town: the demo region keeps each
 * household in one town, so two parents chosen here never share a child
 * (and never see each other's accesses in a child's log).
 */
export function parentsInDistinctTowns(): Account[] {
  const seen = new Set<string>();
  return accounts().filter((account) => {
    if (account.role !== "citizen" || !isParent(account) || seen.has(town(account))) return false;
    seen.add(town(account));
    return true;
  });
}

/** Which slot of a pool this project uses: distinct per project. */
export function pick(pool: Account[], what: string, slot: number, testInfo: TestInfo): Account {
  const projects = testInfo.config.projects.map((project) => project.name);
  const index = slot * projects.length + Math.max(0, projects.indexOf(testInfo.project.name));
  const account = pool[index];
  if (!account) {
    throw new Error(`not enough demo accounts: need ${what} number ${index + 1}, the file has ${pool.length}`);
  }
  return account;
}


/** A one-time success message at the top of the page. */
export function success(page: Page, text: string) {
  return page.getByRole("main").getByRole("status").filter({ hasText: text });
}

/** On the provider's login page: the account's own "Accedi come …" button. */
export function accountButton(page: Page, account: Account) {
  return page
    .getByRole("listitem")
    .filter({ hasText: account.fiscal_code })
    .getByRole("button", { name: `Accedi come ${fullName(account)}`, exact: true });
}

export async function chooseAccount(page: Page, account: Account) {
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso di prova");
  await accountButton(page, account).click();
}

/** Signs in through the provider and lands on `returnTo`, signed in. */
export async function signIn(page: Page, account: Account, returnTo = "/") {
  await page.goto(`/auth/login?return_to=${encodeURIComponent(returnTo)}`);
  await chooseAccount(page, account);
  await expect(success(page, SIGNED_IN)).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(new URL(returnTo, page.url()).pathname);
  await expect(page.getByRole("banner")).toContainText(fullName(account));
}
