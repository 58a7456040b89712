// Playwright drives Debian's chromium (never a downloaded browser) against
// a portal started by scripts/test.sh on a random loopback port.
import { defineConfig, devices } from "@playwright/test";

const baseURL = process.env.PORTALE_E2E_URL ?? "http://127.0.0.1:3000";
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  reporter: [["list"]],
  timeout: 30_000,
  use: {
    baseURL,
    locale: "it-IT",
    timezoneId: "Europe/Rome",
    trace: "off",
    launchOptions: chromium,
  },
  projects: [
    {
      name: "phone",
      use: { ...devices["Pixel 7"], launchOptions: chromium },
      // Response headers do not depend on the device: scored once, on desktop.
      testIgnore: "**/observatory.spec.ts",
    },
    {
      name: "desktop",
      use: { ...devices["Desktop Chrome"], launchOptions: chromium },
    },
  ],
});
