// The portal's frame: server rendering without JavaScript, hydration,
// language switch, keyboard access, 404 and an axe scan of every page.
import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolations, PAGES } from "./helpers";

const SERVICES = [
  "Fascicolo sanitario",
  "Prenotazioni CUP",
  "Pagamenti",
  "Vaccinazioni",
  "Screening oncologici",
  "Medico di famiglia",
  "Interventi chirurgici",
  "Pronto soccorso",
  "Area farmacista",
];

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the home page and its services are fully rendered by the server", async ({ page, isMobile }) => {
    await page.goto("/");

    const title = page.getByRole("heading", { level: 1 });
    await expect(title).toHaveText("I servizi sanitari della Liguria, in un unico posto");
    let services = page.getByRole("navigation", { name: "Servizi", exact: true });
    if (isMobile) {
      // The menu starts closed: the title is on the first screen, and
      // "Menu" leads to the list of every service.
      await expect(title).toBeInViewport();
      await expect(services).toBeHidden();
      await page.getByRole("link", { name: "Menu" }).click();
      await expect(page).toHaveURL(/#elenco-servizi$/);
      services = page.getByRole("navigation", { name: "Tutti i servizi" });
      await expect(services).toBeInViewport();
    }
    for (const service of SERVICES) {
      await expect(services.getByRole("link", { name: service })).toBeVisible();
    }
    await expect(page.getByRole("link", { name: "Dichiarazione di accessibilità" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Informativa sulla privacy" })).toBeVisible();
  });

  test("following a navigation link loads the service page", async ({ page, isMobile }) => {
    await page.goto("/");

    const services = page.getByRole("navigation", { name: isMobile ? "Tutti i servizi" : "Servizi", exact: true });
    await services.getByRole("link", { name: "Pronto soccorso" }).click();

    await expect(page).toHaveURL(/\/pronto-soccorso$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pronto soccorso");
  });

  test("the language switch works as a plain form", async ({ page }) => {
    await page.goto("/privacy");

    await page.getByRole("button", { name: "English" }).click();

    await expect(page).toHaveURL(/\/privacy$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Privacy notice");
    await page.getByRole("button", { name: "Italiano" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Informativa sulla privacy");
  });
});

test.describe("with JavaScript", () => {
  test("the page hydrates and the language switch works without a reload", async ({ page }) => {
    await page.goto("/accessibilita");
    await page.evaluate(() => {
      (window as unknown as { stillSamePage: boolean }).stillSamePage = true;
    });
    await waitUntilHydrated(page);

    await page.getByRole("button", { name: "English" }).click();

    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accessibility statement");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(
      page.getByRole("navigation", { name: "Services", exact: true, includeHidden: true }).getByRole("link", { name: "Health record", includeHidden: true }),
    ).toBeAttached();
    expect(await page.evaluate(() => (window as unknown as { stillSamePage?: boolean }).stillSamePage)).toBe(true);

    // The choice persists across visits.
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accessibility statement");
    await page.getByRole("button", { name: "Italiano" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dichiarazione di accessibilità");
  });

  test("navigating between pages keeps the page and marks the current service", async ({ page }) => {
    await page.goto("/");
    await page.evaluate(() => {
      (window as unknown as { stillSamePage: boolean }).stillSamePage = true;
    });
    await waitUntilHydrated(page);
    await openMenuOnPhones(page);

    await page.getByRole("navigation", { name: "Servizi", exact: true }).getByRole("link", { name: "Pronto soccorso" }).click();

    await expect(page).toHaveURL(/\/pronto-soccorso$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pronto soccorso");
    // The new page starts with the phone menu closed.
    await openMenuOnPhones(page);
    const current = page.getByRole("navigation", { name: "Servizi", exact: true }).locator('[aria-current="page"]');
    await expect(current).toHaveText("Pronto soccorso");
    expect(await page.evaluate(() => (window as unknown as { stillSamePage?: boolean }).stillSamePage)).toBe(true);
  });

  test("a tour of differently shaped pages renders each one right without a reload", async ({ page }) => {
    await page.goto("/");
    await page.evaluate(() => {
      (window as unknown as { stillSamePage: boolean }).stillSamePage = true;
    });
    await waitUntilHydrated(page);
    const heading = page.getByRole("heading", { level: 1 });

    await page.getByRole("link", { name: "Dichiarazione di accessibilità" }).click();
    await expect(heading).toHaveText("Dichiarazione di accessibilità");
    await page.getByRole("link", { name: "Informativa sulla privacy" }).click();
    await expect(heading).toHaveText("Informativa sulla privacy");
    await expect(page.getByRole("heading", { name: "Cookie" })).toBeVisible();
    await page.getByRole("link", { name: /Portale Salute Liguria/ }).click();
    await expect(heading).toHaveText("I servizi sanitari della Liguria, in un unico posto");
    await expect(page.getByRole("heading", { name: "Cookie" })).toHaveCount(0);
    await page.getByRole("link", { name: /Pronto soccorso/ }).first().click();
    await expect(heading).toHaveText("Pronto soccorso");
    await page.goBack();
    await expect(heading).toHaveText("I servizi sanitari della Liguria, in un unico posto");
    await expect(page.getByRole("region", { name: "Servizi" }).getByRole("link")).toHaveCount(11);
    expect(await page.evaluate(() => (window as unknown as { stillSamePage?: boolean }).stillSamePage)).toBe(true);
  });

  test("the menu folds the navigation on phones and is absent on desktops", async ({ page, isMobile }) => {
    await page.goto("/");
    await waitUntilHydrated(page);
    const menu = page.getByRole("link", { name: "Menu" });
    const navigation = page.getByRole("navigation", { name: "Servizi", exact: true });

    if (!isMobile) {
      await expect(menu).toBeHidden();
      await expect(navigation.getByRole("link", { name: "Pronto soccorso" })).toBeVisible();
      return;
    }
    await expect(menu).toBeVisible();
    await expect(navigation).toBeHidden();
    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(navigation.getByRole("link", { name: "Pronto soccorso" })).toBeVisible();
    await expect(page).not.toHaveURL(/#/);
    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(navigation).toBeHidden();
  });

  test("every page brought in by the router starts with the menu closed and one tap opens it", async ({
    page,
    isMobile,
  }) => {
    await page.goto("/");
    await waitUntilHydrated(page);
    const menu = page.getByRole("link", { name: "Menu" });
    const navigation = page.getByRole("navigation", { name: "Servizi", exact: true });
    if (!isMobile) {
      // Desktops have no menu: the navigation stays in view on every page.
      await navigation.getByRole("link", { name: "Pronto soccorso" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pronto soccorso");
      await expect(navigation.getByRole("link", { name: "Fascicolo sanitario" })).toBeVisible();
      await expect(menu).toBeHidden();
      return;
    }
    await menu.click();
    await navigation.getByRole("link", { name: "Pronto soccorso" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pronto soccorso");

    await expect(navigation).toBeHidden();
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await menu.click();
    await expect(navigation.getByRole("link", { name: "Fascicolo sanitario" })).toBeVisible();
    // From a link elsewhere on the page (a tile), the menu is there too.
    await menu.click();
    await page.getByRole("link", { name: /Portale Salute Liguria/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("I servizi sanitari della Liguria, in un unico posto");
    await expect(menu).toBeVisible();
    await menu.click();
    await expect(navigation).toBeVisible();
  });
});

test("the skip link is the first thing the keyboard reaches and jumps to the content", async ({ page }) => {
  await page.goto("/");

  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Vai al contenuto principale" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");

  await expect(page.locator("main")).toBeFocused();
});

test("an unknown address shows the 404 page with a way back", async ({ page }) => {
  const response = await page.goto("/pagina-che-non-esiste");

  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagina non trovata");
  await page.getByRole("link", { name: "Torna alla pagina iniziale" }).click();
  await expect(page).toHaveURL(/\/$/);
});

for (const path of PAGES) {
  for (const lang of ["it", "en"]) {
    test(`axe finds no serious violation on ${path} (${lang})`, async ({ page, context, baseURL }) => {
      await context.addCookies([{ name: "lang", value: lang, url: baseURL! }]);
      await page.goto(path);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);

      await expectNoSeriousAxeViolations(page);
    });
  }
}

async function waitUntilHydrated(page: import("@playwright/test").Page) {
  // The menu island marks its link once hydrated.
  await page.waitForFunction(() => document.querySelector(".menu-toggle[data-hydrated]") !== null);
}

async function openMenuOnPhones(page: import("@playwright/test").Page) {
  const menu = page.getByRole("link", { name: "Menu" });
  if (await menu.isVisible()) {
    await menu.click();
  }
}
