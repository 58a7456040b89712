// Shared checks for every spec.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** Every page a person can reach in the shell, in Italian slugs. */
export const PAGES = [
  "/",
  "/accessibilita",
  "/privacy",
  "/pronto-soccorso",
  "/dove-andare",
  "/sessione-scaduta",
  "/accesso-non-riuscito?motivo=scaduto",
  "/pagina-che-non-esiste",
];

/** Fails on any serious or critical WCAG 2.1 A/AA violation. */
export async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const serious = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

/** Clicks something that downloads a file; returns its name and bytes. */
export async function downloaded(page: Page, click: () => Promise<void>) {
  const downloading = page.waitForEvent("download");
  await click();
  const download = await downloading;
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
}
