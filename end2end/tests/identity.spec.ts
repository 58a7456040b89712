// Identity: signing in at the development identity provider, acting for a
// child or a delegator, delegations, the audit log page, signing out, and
// the pages of the sign-in flow's outcomes, with and without JavaScript.
//
// Tests of the two projects (phone, desktop) run at the same time on two
// workers: every test that changes someone's state (a delegation, an audit
// entry) uses its own citizens, chosen per test slot and per project.
import { expect, test, type Browser, type Locator, type Page, type TestInfo } from "@playwright/test";
import {
  accountButton,
  accounts,
  adultsWithoutChildren,
  chooseAccount,
  fullName,
  parentsInDistinctTowns,
  pick,
  signIn,
  SIGNED_IN,
  success,
  type Account,
} from "./accounts";
import { expectNoSeriousAxeViolations } from "./helpers";

// Slots: each test that signs in has its own, so no two tests (of either
// project) ever share a citizen.
const ADULT = {
  signIn: 0,
  delegator: 1,
  delegate: 2,
  axeGiver: 3,
  axeReceiver: 4,
  noJsDelegator: 5,
  noJsDelegate: 6,
  expired: 7,
} as const;
const PARENT = { actingForChild: 0, keyboard: 1, axe: 2, noJs: 3 } as const;

const adult = (slot: keyof typeof ADULT, testInfo: TestInfo) =>
  pick(adultsWithoutChildren(), "an adult without minor children", ADULT[slot], testInfo);
const parent = (slot: keyof typeof PARENT, testInfo: TestInfo) =>
  pick(parentsInDistinctTowns(), "a parent (in a town of their own)", PARENT[slot], testInfo);

// ------------------------------------------------------------ helpers --

const ACCESS_LOG = "Chi ha consultato i miei dati";
const ACTING_CHANGED = "Ora stai agendo per la persona scelta.";


/** A one-time error message at the top of the page. */
function failure(page: Page, text: string) {
  return page.getByRole("main").getByRole("alert").filter({ hasText: text });
}

function actingBanner(page: Page) {
  return page.getByRole("main").getByText("Stai consultando i dati di");
}

function actingSelect(page: Page) {
  return page.getByRole("banner").getByRole("combobox", { name: "Stai agendo per" });
}

function myArea(page: Page) {
  return page.getByRole("banner").getByRole("navigation", { name: "La mia area" });
}



/** Presses Tab from the top of the page until `target` has the focus; fails if it never does. */
async function tabUntilFocused(page: Page, target: Locator, what: string) {
  await page.locator("body").focus();
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}


/** A second person, in a browser context of their own (the provider keeps one sign-in per context). */
async function otherPerson(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

/** The "Stai agendo per" option of the person's first minor child. */
async function firstChildOption(page: Page): Promise<{ label: string; name: string }> {
  const labels = await actingSelect(page).getByRole("option").allTextContents();
  const label = labels.map((text) => text.trim()).find((text) => text.endsWith("(figlio/a minore)"));
  expect(label, `a child among ${JSON.stringify(labels)}`).toBeTruthy();
  return { label: label!, name: label!.replace(/ \(figlio\/a minore\)$/, "") };
}

/** Chooses whom to act for with the header's form. */
async function actFor(page: Page, optionLabel: string) {
  await actingSelect(page).selectOption({ label: optionLabel });
  await page.getByRole("banner").getByRole("button", { name: "Cambia persona" }).click();
  await expect(success(page, ACTING_CHANGED)).toBeVisible();
}

function accessTable(page: Page) {
  return page.getByRole("table", { name: ACCESS_LOG });
}

/** The services a delegation may cover, as the form lists them. */
const DELEGABLE_SERVICES = [
  "Fascicolo sanitario",
  "Prenotazioni",
  "Pagamenti",
  "Vaccinazioni",
  "Screening",
  "Medico di famiglia",
  "Ricette",
  "Interventi chirurgici",
  "Registro degli accessi",
];

/** Fills and sends the "Nuova delega" form, ticking exactly `services`. */
/** A literal fiscal code gets a made-up name (it is refused before the registry). */
async function giveDelegation(page: Page, person: Account | string, services: string[]) {
  const form = page.getByRole("region", { name: "Nuova delega" });
  const [fiscalCode, givenName, familyName] =
    typeof person === "string" ? [person, "Mario", "Rossi"] : [person.fiscal_code, person.given_name, person.family_name];
  await form.getByRole("textbox", { name: "Codice fiscale della persona da delegare" }).fill(fiscalCode);
  await form.getByRole("textbox", { name: "Nome della persona da delegare", exact: true }).fill(givenName);
  await form.getByRole("textbox", { name: "Cognome della persona da delegare" }).fill(familyName);
  const group = form.getByRole("group", { name: "Servizi delegati" });
  await expect(group.getByRole("checkbox")).toHaveCount(DELEGABLE_SERVICES.length);
  // Every box set explicitly: after a refused try the page may keep the last choice.
  for (const service of DELEGABLE_SERVICES) {
    await group.getByRole("checkbox", { name: service, exact: true }).setChecked(services.includes(service));
  }
  await form.getByRole("button", { name: "Registra la delega" }).click();
}

function given(page: Page) {
  return page.getByRole("region", { name: "Deleghe che hai dato" });
}

function received(page: Page) {
  return page.getByRole("region", { name: "Deleghe che hai ricevuto" });
}

/** After "Esci" (and the provider's end-session page): the home page, signed out. */
async function expectSignedOutAtHome(page: Page) {
  await expect(success(page, "Sei uscito dal Portale Salute.")).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/");
  await expect(page.getByRole("banner").getByRole("link", { name: "Accedi", exact: true })).toBeVisible();
  await expect(myArea(page)).toHaveCount(0);
}

// -------------------------------------------------------------- tests --

test.describe("with JavaScript", () => {
  test("a signed-out visit to a personal page signs in at the provider and comes back to it", async ({
    page,
    baseURL,
  }, testInfo) => {
    const citizen = adult("signIn", testInfo);

    await page.goto("/accessi");

    // The provider's own page, on its own origin.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso di prova");
    expect(new URL(page.url()).origin).not.toBe(new URL(baseURL!).origin);
    await chooseAccount(page, citizen);

    await expect(page).toHaveURL(/\/accessi$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(ACCESS_LOG);
    await expect(success(page, SIGNED_IN)).toBeVisible();
    await expect(page.getByRole("banner")).toContainText(fullName(citizen));
    await expect(myArea(page).getByRole("link", { name: "Deleghe" })).toBeVisible();
    await expect(myArea(page).getByRole("link", { name: ACCESS_LOG })).toBeVisible();
    await expect(myArea(page).getByRole("button", { name: "Esci" })).toBeVisible();
    await expect(page.getByRole("banner").getByRole("link", { name: "Accedi", exact: true })).toHaveCount(0);
    // Nobody but the person has looked at this data, and their own look is not recorded.
    await expect(page.getByText("Nessun accesso registrato con questi filtri.")).toBeVisible();
    // Without a child or a delegation there is nobody else to act for.
    await expect(actingSelect(page)).toHaveCount(0);
    // Notices are one-time: gone on the next page.
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(ACCESS_LOG);
    await expect(success(page, SIGNED_IN)).toHaveCount(0);
  });

  test("a parent acts for a child, sees the child's log, switches back and signs out", async ({ page }, testInfo) => {
    const mother = parent("actingForChild", testInfo);
    await page.goto("/");
    await page.getByRole("banner").getByRole("link", { name: "Accedi", exact: true }).click();
    await chooseAccount(page, mother);
    await expect(success(page, SIGNED_IN)).toBeVisible();
    expect(new URL(page.url()).pathname).toBe("/");
    await expect(page.getByRole("banner")).toContainText(fullName(mother));
    await expect(actingSelect(page)).toHaveValue(mother.fiscal_code);
    await expect(actingBanner(page)).toHaveCount(0);
    const child = await firstChildOption(page);

    await actFor(page, child.label);

    await expect(actingBanner(page)).toHaveText(`Stai consultando i dati di ${child.name} (figlio/a minore)`);
    await myArea(page).getByRole("link", { name: ACCESS_LOG }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(ACCESS_LOG);
    await expect(actingBanner(page)).toHaveText(`Stai consultando i dati di ${child.name} (figlio/a minore)`);
    // The child's log: nothing but the parent's own look at it just now.
    await expect(page.getByText("Accessi trovati: 1", { exact: true })).toBeVisible();
    const rows = accessTable(page).getByRole("row");
    await expect(rows).toHaveCount(2);
    const row = rows.filter({ hasText: fullName(mother) });
    await expect(row.getByRole("cell").filter({ hasText: mother.fiscal_code })).toHaveCount(1);
    await expect(row).toContainText("Genitore");
    await expect(row).toContainText("Registro degli accessi");
    await expect(row).toContainText("Consultazione");

    // Back to themselves: their own log, where their own looks are not recorded.
    await actFor(page, `${fullName(mother)} (te stesso/a)`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(ACCESS_LOG);
    await expect(actingBanner(page)).toHaveCount(0);
    await expect(actingSelect(page)).toHaveValue(mother.fiscal_code);
    await expect(page.getByText("Nessun accesso registrato con questi filtri.")).toBeVisible();
    await expect(accessTable(page)).toHaveCount(0);

    await myArea(page).getByRole("button", { name: "Esci" }).click();

    await expectSignedOutAtHome(page);
    await expect(page.getByRole("banner")).not.toContainText(fullName(mother));
    // Both sessions ended: the portal's and the provider's (no silent sign-in).
    await page.goto("/deleghe");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso di prova");
  });

  test("a delegation is given, used, shows in the delegator's log and is revoked", async ({ page, browser }, testInfo) => {
    test.slow(); // two people, three sign-ins
    const anna = adult("delegator", testInfo);
    const bruno = adult("delegate", testInfo);
    expect(anna.fiscal_code).not.toBe(bruno.fiscal_code);
    await signIn(page, anna, "/deleghe");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Deleghe");
    await expect(given(page)).toContainText("Non hai dato deleghe.");

    // Wrong input is refused with the reason, and nothing is stored.
    await giveDelegation(page, "RSSMRA80A01H501X", ["Registro degli accessi"]);
    await expect(
      failure(page, "Il codice fiscale della persona da delegare non è valido: controlla i 16 caratteri."),
    ).toBeVisible();
    await expect(given(page)).toContainText("Non hai dato deleghe.");
    await giveDelegation(page, bruno, []);
    await expect(failure(page, "Scegli almeno un servizio da delegare.")).toBeVisible();
    await expect(given(page)).toContainText("Non hai dato deleghe.");
    await expect(given(page).getByRole("listitem")).toHaveCount(0);

    await giveDelegation(page, { ...bruno, fiscal_code: bruno.fiscal_code.toLowerCase() }, ["Fascicolo sanitario", "Registro degli accessi"]);

    await expect(success(page, "Delega registrata. La persona delegata la troverà nella sua area.")).toBeVisible();
    const card = given(page).getByRole("listitem");
    await expect(card).toHaveCount(1);
    await expect(card).toContainText(`${fullName(bruno)} (${bruno.fiscal_code})`);
    await expect(card).toContainText("Fascicolo sanitario, Registro degli accessi");
    await expect(card).toContainText("Attiva");
    await expect(card.getByRole("button", { name: `Revoca la delega a ${fullName(bruno)}` })).toBeVisible();

    // The delegate, in a browser of their own.
    const delegate = await otherPerson(browser);
    try {
      const bPage = delegate.page;
      await signIn(bPage, bruno, "/deleghe");
      const fromAnna = received(bPage).getByRole("listitem").filter({ hasText: anna.fiscal_code });
      await expect(fromAnna).toContainText(fullName(anna));
      await expect(fromAnna).toContainText("Attiva");
      await expect(fromAnna.getByRole("button")).toHaveCount(0);

      await actFor(bPage, `${fullName(anna)} (delega ricevuta)`);
      await expect(actingBanner(bPage)).toHaveText(`Stai consultando i dati di ${fullName(anna)} (delega ricevuta)`);
      await myArea(bPage).getByRole("link", { name: ACCESS_LOG }).click();
      await expect(bPage.getByRole("heading", { level: 1 })).toHaveText(ACCESS_LOG);
      await expect(accessTable(bPage).getByRole("row").filter({ hasText: fullName(bruno) })).toContainText("Delegato");

      // The delegator sees who looked, and in which capacity.
      await page.goto("/accessi");
      const byBruno = accessTable(page).getByRole("row").filter({ hasText: bruno.fiscal_code });
      await expect(byBruno).toHaveCount(1);
      await expect(byBruno).toContainText(fullName(bruno));
      await expect(byBruno).toContainText("Delegato");
      await expect(byBruno).toContainText("Registro degli accessi");
      await expect(byBruno).toContainText("Consultazione");
      const who = page.getByRole("combobox", { name: "Chi", exact: true });
      await who.selectOption({ label: "Solo altre persone" });
      await page.getByRole("button", { name: "Applica i filtri" }).click();
      await expect(page).toHaveURL(/[?&]chi=altri(&|$)/);
      await expect(who).toHaveValue("altri");
      await expect(byBruno).toHaveCount(1);
      await who.selectOption({ label: "Solo io" });
      await page.getByRole("button", { name: "Applica i filtri" }).click();
      await expect(page).toHaveURL(/[?&]chi=io(&|$)/);
      // Only Anna's own line: the delegation she gave.
      await expect(accessTable(page).getByRole("row").filter({ hasText: "Deleghe" })).toHaveCount(1);
      await expect(byBruno).toHaveCount(0);

      // Revoked: the delegate falls back to themselves on their next page.
      await page.goto("/deleghe");
      await given(page).getByRole("button", { name: `Revoca la delega a ${fullName(bruno)}` }).click();
      await expect(success(page, "Delega revocata: da ora la persona non può più agire per te.")).toBeVisible();
      await expect(card).toContainText("Revocata");
      await expect(card.getByRole("button")).toHaveCount(0);

      await bPage.reload();
      await expect(
        failure(bPage, "La delega con cui agivi non è più valida: ora stai agendo per te stesso/a."),
      ).toBeVisible();
      await expect(actingBanner(bPage)).toHaveCount(0);
      await expect(actingSelect(bPage)).toHaveCount(0);
      await expect(bPage.getByRole("heading", { level: 1 })).toHaveText(ACCESS_LOG);
      await expect(bPage.getByText("Nessun accesso registrato con questi filtri.")).toBeVisible();
      await bPage.goto("/deleghe");
      await expect(received(bPage).getByRole("listitem").filter({ hasText: anna.fiscal_code })).toContainText("Revocata");
    } finally {
      await delegate.context.close();
    }
  });

  test("cancelling at the provider explains it and offers to try again", async ({ page }) => {
    await page.goto("/privacy");
    await page.getByRole("banner").getByRole("link", { name: "Accedi", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso di prova");

    await page.getByRole("button", { name: "Annulla e torna al portale" }).click();

    await expect(page).toHaveURL(/\/accesso-non-riuscito\?motivo=annullato$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso non riuscito");
    await expect(page.getByText("Hai annullato l'accesso. Quando vuoi, puoi riprovare.")).toBeVisible();
    await expect(page.getByRole("banner").getByRole("link", { name: "Accedi", exact: true })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await page.getByRole("link", { name: "Riprova l'accesso" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso di prova");
  });

  test("an expired session sends a personal page to 'Sessione scaduta', and signing in again returns there", async ({
    page,
    context,
  }, testInfo) => {
    const citizen = adult("expired", testInfo);
    await signIn(page, citizen, "/privacy");
    // What the browser does when the idle timeout passes: it drops the
    // session cookie (its Max-Age is the idle time).
    await context.clearCookies({ name: "portale_sessione" });

    await page.goto("/deleghe");

    await expect(page).toHaveURL(/\/sessione-scaduta\?return_to=(%2F|\/)deleghe$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sessione scaduta");
    await expect(page.getByRole("banner").getByRole("link", { name: "Accedi", exact: true })).toBeVisible();
    await expect(myArea(page)).toHaveCount(0);
    await expectNoSeriousAxeViolations(page);
    // Said once: the next page is simply signed out.
    await page.goto("/privacy");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Informativa sulla privacy");
    await expect(page.getByRole("alert")).toHaveCount(0);
    await page.goto("/sessione-scaduta?return_to=%2Fdeleghe");

    // The provider still knows this browser: signing in again needs no choice.
    await page.getByRole("main").getByRole("link", { name: "Accedi di nuovo" }).click();

    await expect(page).toHaveURL(/\/deleghe$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Deleghe");
    await expect(success(page, SIGNED_IN)).toBeVisible();
    await expect(page.getByRole("banner")).toContainText(fullName(citizen));
  });

  test("the account controls work with the keyboard alone", async ({ page }, testInfo) => {
    const father = parent("keyboard", testInfo);
    await page.goto("/privacy");
    await tabUntilFocused(page, page.getByRole("banner").getByRole("link", { name: "Accedi", exact: true }), "«Accedi»");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso di prova");
    await accountButton(page, father).focus();
    await page.keyboard.press("Enter");
    await expect(success(page, SIGNED_IN)).toBeVisible();
    await expect(page).toHaveURL(/\/privacy$/);
    const child = await firstChildOption(page);
    const select = actingSelect(page);

    await tabUntilFocused(page, select, "the «Stai agendo per» select");
    await expect(select).toBeFocused();
    // The first child comes right after the person themselves.
    await page.keyboard.press("ArrowDown");
    expect(await select.evaluate((element: HTMLSelectElement) => element.selectedOptions[0]?.textContent?.trim())).toBe(
      child.label,
    );
    await page.keyboard.press("Tab");
    await expect(page.getByRole("banner").getByRole("button", { name: "Cambia persona" })).toBeFocused();
    await page.keyboard.press("Enter");

    await expect(success(page, ACTING_CHANGED)).toBeVisible();
    await expect(actingBanner(page)).toHaveText(`Stai consultando i dati di ${child.name} (figlio/a minore)`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Informativa sulla privacy");

    // "La mia area": links and "Esci" in order after the select's button.
    await select.focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const delegations = myArea(page).getByRole("link", { name: "Deleghe" });
    await expect(delegations).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(myArea(page).getByRole("link", { name: ACCESS_LOG })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(myArea(page).getByRole("link", { name: /^Notifiche/ })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(myArea(page).getByRole("button", { name: "Esci" })).toBeFocused();
    await delegations.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Deleghe");
    // Acting for a child: delegations are managed only for oneself.
    await expect(page.getByText("Stai agendo per un'altra persona: le deleghe si gestiscono solo per sé.")).toBeVisible();

    await myArea(page).getByRole("button", { name: "Esci" }).focus();
    await page.keyboard.press("Enter");
    await expectSignedOutAtHome(page);
  });
});

test.describe("accessibility of the identity pages", () => {
  test("axe: signed-in header, a log with entries, and the provider's login page", async ({ page }, testInfo) => {
    const someone = parent("axe", testInfo);
    await page.goto("/auth/login?return_to=%2F");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso di prova");
    await expect(page.locator("html")).toHaveAttribute("lang", "it");
    await expectNoSeriousAxeViolations(page);
    await chooseAccount(page, someone);
    await expect(success(page, SIGNED_IN)).toBeVisible();

    // The header with the "Stai agendo per" form, and a notice.
    await expectNoSeriousAxeViolations(page);
    const child = await firstChildOption(page);
    await actFor(page, child.label);
    await page.goto("/");
    await expect(actingBanner(page)).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await page.goto("/accessi");
    // The child's log holds this very look, by the parent.
    await expect(accessTable(page).getByRole("row").filter({ hasText: fullName(someone) })).toHaveCount(1);
    await expectNoSeriousAxeViolations(page);
    // The English texts too.
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Who accessed my data");
    await expect(page.getByRole("table", { name: "Who accessed my data" }).getByRole("row")).not.toHaveCount(0);
    await expectNoSeriousAxeViolations(page);
    await page.getByRole("button", { name: "Italiano" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(ACCESS_LOG);
  });

  test("axe: the delegations page with a delegation given and one received", async ({ page, browser }, testInfo) => {
    test.slow(); // two people, two sign-ins
    const giver = adult("axeGiver", testInfo);
    const receiver = adult("axeReceiver", testInfo);
    await signIn(page, giver, "/deleghe");
    await giveDelegation(page, receiver, ["Prenotazioni", "Registro degli accessi"]);
    await expect(success(page, "Delega registrata. La persona delegata la troverà nella sua area.")).toBeVisible();

    const other = await otherPerson(browser);
    try {
      await signIn(other.page, receiver, "/deleghe");
      await giveDelegation(other.page, giver, ["Ricette"]);
      await expect(success(other.page, "Delega registrata. La persona delegata la troverà nella sua area.")).toBeVisible();
      // Acting for the delegator: the page without the form, with the banner.
      await actFor(other.page, `${fullName(giver)} (delega ricevuta)`);
      await expect(other.page.getByText("Stai agendo per un'altra persona: le deleghe si gestiscono solo per sé.")).toBeVisible();
      await expectNoSeriousAxeViolations(other.page);
    } finally {
      await other.context.close();
    }

    await page.reload();
    await expect(given(page).getByRole("listitem")).toHaveCount(1);
    await expect(received(page).getByRole("listitem")).toHaveCount(1);
    await expect(received(page)).toContainText(fullName(receiver));
    await expectNoSeriousAxeViolations(page);
    // And with an error notice.
    await giveDelegation(page, "RSSMRA80A01H501X", ["Ricette"]);
    await expect(failure(page, "Il codice fiscale della persona da delegare non è valido")).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("signing in, choosing a child and signing out work as plain forms and links", async ({ page }, testInfo) => {
    const someone = parent("noJs", testInfo);
    await page.goto("/pronto-soccorso");
    await page.getByRole("banner").getByRole("link", { name: "Accedi", exact: true }).click();
    await chooseAccount(page, someone);
    await expect(success(page, SIGNED_IN)).toBeVisible();
    await expect(page).toHaveURL(/\/pronto-soccorso$/);
    const child = await firstChildOption(page);

    await actFor(page, child.label);

    await expect(page).toHaveURL(/\/pronto-soccorso$/);
    await expect(actingBanner(page)).toHaveText(`Stai consultando i dati di ${child.name} (figlio/a minore)`);
    await myArea(page).getByRole("link", { name: ACCESS_LOG }).click();
    await expect(accessTable(page).getByRole("row").filter({ hasText: fullName(someone) })).toContainText("Genitore");
    await actFor(page, `${fullName(someone)} (te stesso/a)`);
    await expect(actingBanner(page)).toHaveCount(0);

    // The provider's end-session page waits for its button without JavaScript.
    await myArea(page).getByRole("button", { name: "Esci" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Uscita dal Portale Salute");
    await page.getByRole("button", { name: "Esci" }).click();
    await expectSignedOutAtHome(page);
  });

  test("giving and revoking a delegation work as plain forms", async ({ page }, testInfo) => {
    const giver = adult("noJsDelegator", testInfo);
    const delegate = adult("noJsDelegate", testInfo);
    await signIn(page, giver, "/deleghe");

    await giveDelegation(page, delegate, []);
    await expect(failure(page, "Scegli almeno un servizio da delegare.")).toBeVisible();
    await giveDelegation(page, delegate, ["Vaccinazioni"]);

    await expect(page).toHaveURL(/\/deleghe$/);
    await expect(success(page, "Delega registrata. La persona delegata la troverà nella sua area.")).toBeVisible();
    const card = given(page).getByRole("listitem");
    await expect(card).toHaveCount(1);
    await expect(card).toContainText(fullName(delegate));
    await expect(card).toContainText("Vaccinazioni");
    await card.getByRole("button", { name: `Revoca la delega a ${fullName(delegate)}` }).click();
    await expect(success(page, "Delega revocata: da ora la persona non può più agire per te.")).toBeVisible();
    await expect(card).toContainText("Revocata");
  });
});
