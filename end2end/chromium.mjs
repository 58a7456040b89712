// Debian's chromium for the screenshot scripts, started the way
// playwright.config.ts starts it (never a downloaded browser).
import { chromium } from "@playwright/test";

export const launchChromium = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
