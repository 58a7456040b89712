// pagoPA payments through the sandbox provider: pay a booking ticket and
// download the receipt (also from the booking), a declined payment leaves
// the ticket payable, a paper notice is found by its codes and paid. axe
// runs on every payments page and on the sandbox checkout.
//
// Citizens: parents who are not the first of their town, after the two
// the pharmacy spec takes; three per project.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { accounts, isParent, parentsInDistinctTowns, signIn, type Account } from "./accounts";
import { sql } from "./db";
import { expectNoSeriousAxeViolations } from "./helpers";

const FIRST_PAYER = 2;
const ROLE = { booking: 0, declined: 1, notice: 2 } as const;
const ASL3_FISCAL_CODE = "03399650104";

function projectIndex(testInfo: TestInfo): number {
  return Math.max(0, testInfo.config.projects.map((p) => p.name).indexOf(testInfo.project.name));
}

function payer(role: keyof typeof ROLE, testInfo: TestInfo): Account {
  const firsts = new Set(parentsInDistinctTowns().map((account) => account.fiscal_code));
  const others = accounts().filter((a) => a.role === "citizen" && isParent(a) && !firsts.has(a.fiscal_code));
  const person = others[FIRST_PAYER + projectIndex(testInfo) * 3 + ROLE[role]];
  if (!person) throw new Error("not enough second parents for the payments tests");
  return person;
}

/** A valid notice code: 3 + segregation 03 + 13-digit IUV base + check (mod 93). */
function noticeCode(base: number): string {
  const prefix = `303${String(base).padStart(13, "0")}`;
  return `${prefix}${String(BigInt(prefix) % 93n).padStart(2, "0")}`;
}

/** A payable position of `person` towards ASL3 Genovese. */
function owe(person: string, reason: string, cents: number, base: number): string {
  const notice = noticeCode(base);
  sql(
    `INSERT INTO payment_positions (person, asl_code, reason, amount_cents, due_on, notice_code, iuv, status)
     VALUES (?, 'ASL3', ?, ?, date('now', '+30 days'), ?, ?, 'payable')`,
    [person, reason, cents, notice, notice.slice(1)],
  );
  return notice;
}

/** Ticks only the position named `reason` and pays it: lands on the sandbox. */
async function payOnly(page: Page, reason: string) {
  const toPay = page.getByRole("region", { name: "Da pagare" });
  for (const box of await toPay.getByRole("checkbox").all()) await box.uncheck();
  await toPay.getByRole("checkbox", { name: new RegExp(reason) }).check();
  await page.getByRole("button", { name: "Paga i ticket selezionati con pagoPA" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Pagamento pagoPA" })).toBeVisible();
  await expect(page.getByText("Ambiente di prova: nessun pagamento reale")).toBeVisible();
  await expectNoSeriousAxeViolations(page);
}

async function expectPdf(page: Page, link: string, fileName: string) {
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: link }).first().click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(fileName);
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe("%PDF-");
}

test("a booking ticket is paid through pagoPA and its receipt downloaded", async ({ page }, testInfo) => {
  const person = payer("booking", testInfo);
  // No exemption, so the booking carries a ticket.
  sql("DELETE FROM exemptions WHERE person = ?", [person.fiscal_code]);
  const [[code, name]] = sql(
    `SELECT code, name FROM outpatient_services
      WHERE ticket_cents > 0 AND code IN (SELECT service_code FROM slots WHERE date(starts_at) > date('now', '+2 days'))
      ORDER BY code LIMIT 1 OFFSET ?`,
    [4 + projectIndex(testInfo)],
  ) as [string, string][];
  const nre = `0709P${String(500 + projectIndex(testInfo)).padStart(10, "0")}`;
  sql(
    `INSERT INTO prescriptions (nre, person, kind, colour, priority, service_code, prescriber, issued_on, valid_until)
     VALUES (?, ?, 'specialist', 'red', 'P', ?, 'Medico di medicina generale', date('now'), date('now', '+180 days'))`,
    [nre, person.fiscal_code, code],
  );

  await signIn(page, person, "/prenotazioni");
  await page.getByRole("link", { name: `Cerca i posti per ${name}` }).click();
  await page.getByRole("region", { name: "Primi posti liberi" }).getByRole("button", { name: /^Prenota / }).first().click();
  const bookingCode = (await page.locator("dd").first().textContent())?.trim() ?? "";
  expect(bookingCode).toMatch(/^PR-[0-9A-F]{8}$/);
  await page.getByRole("link", { name: "Paga il ticket ora" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Pagamenti" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Da pagare" }).getByText(`prenotazione ${bookingCode}`).first()).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  await payOnly(page, `prenotazione ${bookingCode}`);
  await page.getByRole("button", { name: /^Paga \d+,\d{2} €$/ }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Esito del pagamento" })).toBeVisible();
  await expect(page.getByText("Pagamento riuscito")).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  const [[notice]] = sql(
    "SELECT pp.notice_code FROM payment_positions pp JOIN bookings b ON b.id = pp.booking_id WHERE b.code = ?",
    [bookingCode],
  ) as [string][];
  await expectPdf(page, "Scarica la ricevuta (PDF)", `ricevuta-pagopa-${notice}.pdf`);

  // The booking links the receipt; the payments page lists it as paid.
  await page.goto(`/prenotazioni/${bookingCode}`);
  await expectPdf(page, "Ticket pagato: scarica la ricevuta (PDF)", `ricevuta-pagopa-${notice}.pdf`);
  await page.goto("/pagamenti");
  await expect(page.getByRole("region", { name: "Pagati" }).getByText(`prenotazione ${bookingCode}`).first()).toBeVisible();
});

test("a declined payment leaves the ticket to pay, with a clear message", async ({ page }, testInfo) => {
  const person = payer("declined", testInfo);
  const reason = `Ticket di prova rifiutato ${projectIndex(testInfo)}`;
  owe(person.fiscal_code, reason, 2500, 2_099_000_000_100 + projectIndex(testInfo));
  await signIn(page, person, "/pagamenti");
  await payOnly(page, reason);
  await page.getByRole("button", { name: "Simula un pagamento rifiutato" }).click();

  await expect(page.getByText("Pagamento non riuscito")).toBeVisible();
  await expect(page.getByText(/non ti è stato addebitato nulla\. Il ticket resta da pagare/)).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  await page.getByRole("link", { name: "Torna ai pagamenti" }).click();
  const card = page.getByRole("region", { name: "Da pagare" }).getByRole("listitem").filter({ hasText: reason });
  await expect(card.getByText("Da pagare", { exact: true })).toBeVisible();
  // The notice's QR code is there for paying elsewhere.
  await card.getByText("Mostra il codice QR dell'avviso").click();
  await expect(card.getByRole("img", { name: /Codice QR dell'avviso pagoPA/ })).toBeVisible();
});

test("a paper notice is found by notice code and creditor and paid", async ({ page }, testInfo) => {
  const person = payer("notice", testInfo);
  // Someone else's notice: anyone holding the two codes may pay it.
  const [[debtor]] = sql(
    "SELECT fiscal_code FROM people WHERE birth_date <= date('now', '-30 years') AND fiscal_code <> ? ORDER BY fiscal_code LIMIT 1 OFFSET ?",
    [person.fiscal_code, 40 + projectIndex(testInfo)],
  ) as [string][];
  const notice = owe(debtor, "Ticket pronto soccorso di prova", 4200, 2_099_000_000_200 + projectIndex(testInfo));
  const spaced = notice.replace(/(\d{4})(?=\d)/g, "$1 ");

  await signIn(page, person, "/pagamenti");
  await page.getByRole("link", { name: "Paga un avviso" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Paga un avviso" })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  await page.getByLabel("Codice avviso").fill(spaced);
  await page.getByLabel("Codice fiscale dell'ente creditore").fill("03399650105");
  await page.getByRole("button", { name: "Cerca l'avviso" }).click();
  await expect(page.getByRole("alert")).toContainText("Il codice fiscale dell'ente creditore non è valido");

  await page.getByLabel("Codice fiscale dell'ente creditore").fill(ASL3_FISCAL_CODE);
  await page.getByRole("button", { name: "Cerca l'avviso" }).click();
  // Someone else's notice shows what a pagoPA point shows: no reason, no booking.
  await expect(page.getByRole("heading", { name: /Ticket sanitario — 42,00 €/ })).toBeVisible();
  await expect(page.getByText("Ticket pronto soccorso di prova")).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);
  await page.getByRole("button", { name: "Paga con pagoPA" }).click();
  await expect(page.getByText("Ambiente di prova: nessun pagamento reale")).toBeVisible();
  await page.getByRole("button", { name: "Paga 42,00 €" }).click();

  await expect(page.getByText("Pagamento riuscito")).toBeVisible();
  await expectPdf(page, "Scarica la ricevuta (PDF)", `ricevuta-pagopa-${notice}.pdf`);

  // The income exemption page (no change made here).
  await page.goto("/pagamenti/esenzioni");
  await expect(page.getByRole("heading", { level: 1, name: "Esenzione per reddito" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Autocertifica un'esenzione per reddito" })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});
