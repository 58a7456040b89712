// CUP booking: from a prescription, search, book, download the reminder,
// move, cancel; then the waiting list: nothing free within 72 hours, a
// person joins, another cancels, the first accepts the offered slot.
// axe runs on every CUP page.
//
// Accounts: adults without children 16–19 (identity.spec.ts takes 0–15,
// fse.spec.ts the last twelve). Each project arranges its own services.
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { adultsWithoutChildren, pick, signIn, success, type Account } from "./accounts";
import { romeTime, sql } from "./db";
import { expectNoSeriousAxeViolations } from "./helpers";

const FIRST_CUP_ADULT = 16;
const SLOT = { holder: 0, waiting: 1 } as const;

const adult = (slot: keyof typeof SLOT, testInfo: TestInfo): Account =>
  pick(adultsWithoutChildren(), "an adult without children for the CUP tests", FIRST_CUP_ADULT / 2 + SLOT[slot], testInfo);

function projectIndex(testInfo: TestInfo): number {
  return Math.max(0, testInfo.config.projects.map((p) => p.name).indexOf(testInfo.project.name));
}

/** A service with a ticket and agendas, distinct per project and use. */
function service(testInfo: TestInfo, use: number): { code: string; name: string } {
  const [[code, name]] = sql(
    `SELECT code, name FROM outpatient_services
      WHERE ticket_cents > 0 AND code IN (SELECT service_code FROM slots) ORDER BY code LIMIT 1 OFFSET ?`,
    [projectIndex(testInfo) * 2 + use],
  ) as [string, string][];
  return { code, name };
}

function prescribe(person: Account, serviceCode: string, priority: string, number: number): string {
  const nre = `0709E${String(number).padStart(10, "0")}`;
  sql(
    `INSERT INTO prescriptions (nre, person, kind, colour, priority, service_code, prescriber, issued_on, valid_until)
     VALUES (?, ?, 'specialist', 'red', ?, ?, 'Medico di medicina generale', date('now'), date('now', '+180 days'))`,
    [nre, person.fiscal_code, priority, serviceCode],
  );
  return nre;
}

/** Removes the service's free slots up to `days` ahead. */
function clearAgenda(serviceCode: string, days: number) {
  sql(
    `DELETE FROM slots WHERE service_code = ? AND date(starts_at) <= date('now', ?)
        AND id NOT IN (SELECT slot_id FROM bookings) AND id NOT IN (SELECT slot_id FROM slot_offers)`,
    [serviceCode, `+${days} days`],
  );
}

async function signedIn(browser: Browser, person: Account, path: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, person, path);
  return page;
}

async function openSearch(page: Page, serviceName: string) {
  await page.goto("/prenotazioni");
  await page.getByRole("link", { name: `Cerca i posti per ${serviceName}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Cerca un posto" })).toBeVisible();
}

test("a citizen books from a prescription, downloads the reminder, moves and cancels", async ({ page }, testInfo) => {
  const person = adult("holder", testInfo);
  const { code, name } = service(testInfo, 0);
  // Leave only slots more than two days ahead, so moving and cancelling stay open.
  clearAgenda(code, 2);
  prescribe(person, code, "P", 100 + projectIndex(testInfo));
  await signIn(page, person, "/prenotazioni");
  await expectNoSeriousAxeViolations(page);

  await openSearch(page, name);
  await expect(page.getByText("Priorità P (programmata): entro 120 giorni")).toBeVisible();
  const results = page.getByRole("region", { name: "Primi posti liberi" });
  await expect(results.getByText(/^Strutture con posti liberi: [1-9]/)).toBeVisible();
  await expect(results.getByText("Entro i tempi della priorità").first()).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  await results.getByRole("button", { name: /^Prenota / }).first().click();

  await expect(success(page, "Prenotazione confermata")).toBeVisible();
  const bookingCode = (await page.locator("dd").first().textContent())?.trim() ?? "";
  expect(bookingCode).toMatch(/^PR-[0-9A-F]{8}$/);
  // A ticket due creates a pagoPA payment position; an exemption zeroes it.
  const ticket = (await page.locator("dt", { hasText: "Ticket da pagare" }).locator("+ dd").textContent()) ?? "";
  if (ticket.includes("esenzione")) {
    await expect(page.getByText("Codice avviso pagoPA")).toHaveCount(0);
  } else {
    expect(ticket).toMatch(/^\d+,\d{2} €$/);
    await expect(page.getByText("Codice avviso pagoPA")).toBeVisible();
  }
  await expectNoSeriousAxeViolations(page);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Scarica il promemoria (PDF)" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`promemoria-${bookingCode}.pdf`);
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe("%PDF-");

  await page.getByRole("link", { name: "Sposta la prenotazione" }).click();
  await expect(page.getByText(`Stai spostando la prenotazione ${bookingCode}`)).toBeVisible();
  await page.getByRole("region", { name: "Primi posti liberi" }).getByRole("button", { name: /^Prenota / }).last().click();
  await expect(success(page, "Prenotazione spostata")).toBeVisible();
  const movedCode = (await page.locator("dd").first().textContent())?.trim() ?? "";
  expect(movedCode).not.toBe(bookingCode);

  await page.getByRole("button", { name: "Disdici la prenotazione" }).click();
  await expect(success(page, "Prenotazione disdetta")).toBeVisible();
  await expect(page.getByText("Nessuna prenotazione in programma.")).toBeVisible();
});

test("nothing free within 72 hours: the waiting list offers the slot another person cancels", async ({ browser }, testInfo) => {
  const holder = adult("holder", testInfo);
  const waiting = adult("waiting", testInfo);
  const { code, name } = service(testInfo, 1);
  // Priority U (72 hours): one slot in the window, at a facility of the service.
  clearAgenda(code, 5);
  sql(
    `INSERT INTO slots (facility_id, service_code, starts_at, duration_minutes)
     SELECT facility_id, service_code, ?, duration_minutes FROM slots WHERE service_code = ? LIMIT 1`,
    [romeTime(2, 10), code],
  );
  prescribe(holder, code, "U", 200 + projectIndex(testInfo));
  prescribe(waiting, code, "U", 300 + projectIndex(testInfo));

  const holderPage = await signedIn(browser, holder, "/prenotazioni");
  await openSearch(holderPage, name);
  await holderPage.getByRole("region", { name: "Primi posti liberi" }).getByRole("button", { name: /^Prenota / }).first().click();
  await expect(success(holderPage, "Prenotazione confermata")).toBeVisible();

  const waitingPage = await signedIn(browser, waiting, "/prenotazioni");
  await openSearch(waitingPage, name);
  await expect(waitingPage.getByText("Nessuna struttura della regione ha posti liberi entro la scadenza della priorità.")).toBeVisible();
  await expectNoSeriousAxeViolations(waitingPage);
  await waitingPage.getByRole("button", { name: "Entra in lista d'attesa" }).click();
  await expect(success(waitingPage, "Sei in lista d'attesa")).toBeVisible();
  const list = waitingPage.getByRole("region", { name: "Lista d'attesa" });
  await expect(list.getByText(/^LA-[0-9A-F]{8}$/)).toBeVisible();
  await expect(list.getByText("In attesa di un posto")).toBeVisible();
  const receipt = waitingPage.waitForEvent("download");
  await list.getByRole("link", { name: "Scarica la ricevuta di presa in carico (PDF)" }).click();
  expect((await receipt).suggestedFilename()).toMatch(/^presa-in-carico-LA-[0-9A-F]{8}\.pdf$/);

  await holderPage.getByRole("button", { name: "Disdici la prenotazione" }).click();
  await expect(success(holderPage, "Prenotazione disdetta")).toBeVisible();

  await waitingPage.reload();
  await expect(list.getByText("Si è liberato un posto per te")).toBeVisible();
  await expectNoSeriousAxeViolations(waitingPage);
  await list.getByRole("button", { name: "Accetta il posto" }).click();
  await expect(success(waitingPage, "Posto accettato")).toBeVisible();
  await expect(waitingPage.getByRole("heading", { level: 2, name })).toBeVisible();
});
