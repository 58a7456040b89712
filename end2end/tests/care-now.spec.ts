// "Dove andare adesso": without JavaScript a person filters by town and by
// a day and time (tomorrow at 23:00): the pharmacy on the demo rota that
// night is listed open "di turno", the other pharmacy of the ASL (closed at
// that hour) is not. With JavaScript the device position sorts the lists.
// axe on the page.
import { expect, test } from "@playwright/test";
import { sql } from "./db";
import { expectNoSeriousAxeViolations } from "./helpers";

/** Tomorrow in Rome, `YYYY-MM-DD`. */
function romeTomorrow(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome" }).format(new Date(Date.now() + 86_400_000));
}

/** The ASL4 pharmacies: [on duty at 23:00 of `day`, the others]. */
function asl4Pharmacies(day: string): [string, string[]] {
  const all = sql("SELECT name FROM facilities WHERE kind = 'pharmacy' AND asl_code = 'ASL4' ORDER BY name").map(
    (row) => String(row[0]),
  );
  const night = `${day} 23:00`;
  const duty = sql(
    `SELECT f.name FROM pharmacy_rota r JOIN facilities f ON f.id = r.pharmacy_id
      WHERE f.asl_code = 'ASL4' AND r.starts_local <= ? AND r.ends_local > ?`,
    [night, night],
  ).map((row) => String(row[0]));
  expect(duty).toHaveLength(1);
  return [duty[0], all.filter((name) => name !== duty[0])];
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("tomorrow at 23:00 near Chiavari the pharmacy on duty is open and a closed one is not listed", async ({
    page,
  }) => {
    const day = romeTomorrow();
    const [onDuty, closed] = asl4Pharmacies(day);
    await page.goto("/dove-andare");
    await expect(page.getByRole("heading", { level: 1, name: "Dove andare adesso" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Chiama il 112" })).toHaveAttribute("href", "tel:112");
    await expect(page.getByRole("link", { name: "Chiama il 116117" })).toHaveAttribute("href", "tel:116117");
    await expect(page.locator('[data-care="line-116117"]')).toContainText("ASL4 Chiavarese");

    await page.getByLabel("Vicino a (comune)").fill("Chiavari");
    await page.getByLabel("Giorno").fill(day);
    await page.getByLabel("Ora").fill("23:00");
    await page.getByRole("button", { name: "Cerca" }).click();
    await expect(page).toHaveURL(/vicino=Chiavari/);
    await expect(page.getByText("Dal più vicino a Chiavari")).toBeVisible();
    await expect(page.locator('[data-care="moment"]')).toContainText("23:00");
    // The ASL of the town is first among the 116117 lines.
    await expect(page.locator('[data-care="line-116117"] li').first()).toContainText("la tua zona");

    const duty = page.locator(`[data-care-place="${onDuty}"]`);
    await expect(duty).toHaveAttribute("data-open", "true");
    await expect(duty).toContainText("Di turno fino a");
    for (const name of closed) {
      await expect(page.locator(`[data-care-place="${name}"]`)).toHaveCount(0);
    }
    const guardia = page.locator('[data-care-place="Guardia medica Tigullio"]');
    await expect(guardia).toHaveAttribute("data-open", "true");

    await page.getByLabel("Vicino a (comune)").fill("Atlantide");
    await page.getByRole("button", { name: "Cerca" }).click();
    await expect(page.getByRole("alert")).toContainText("Comune non trovato");
  });
});

test.describe("with the device position", () => {
  // Sestri Levante: its own guardia medica is the nearest.
  test.use({ geolocation: { latitude: 44.273, longitude: 9.396 }, permissions: ["geolocation"] });

  test("'Usa la mia posizione' sorts the places from the device", async ({ page }) => {
    await page.goto("/dove-andare");
    await page.getByRole("button", { name: "Usa la mia posizione" }).click();
    await expect(page).toHaveURL(/lat=44\.2730&lon=9\.3960/);
    await expect(page.getByText("Dal più vicino alla tua posizione")).toBeVisible();
    await expect(page.locator('[data-care="guardia-medica"] [data-care-place]').first()).toHaveAttribute(
      "data-care-place",
      "Guardia medica Sestri Levante",
    );
    await expectNoSeriousAxeViolations(page);
  });
});

test("the ER board links to where to go when it is not an emergency", async ({ page }) => {
  await page.goto("/pronto-soccorso");
  await page.getByRole("link", { name: /Non è un'emergenza\?/ }).click();
  await expect(page).toHaveURL(/\/dove-andare$/);
  await expect(page.getByRole("heading", { level: 2, name: "Pronto Soccorso: l'attesa adesso" })).toBeVisible();
});
