import { defineConfig, devices } from "@playwright/test";

// The test command starts a freshly built server on a free port and passes its URL.
const baseURL = process.env.PORTAL_BASE_URL ?? "http://127.0.0.1:3000";

const chromium = {
  // Debian's Chromium: Playwright cannot download browsers on these machines.
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

export default defineConfig({
  testDir: "./tests",
  outputDir: "test-results",
  timeout: 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: chromium,
  },
  projects: [
    {
      name: "phone",
      use: { ...devices["Pixel 7"], launchOptions: chromium },
      testIgnore: /nojs\.spec\.ts/,
    },
    {
      name: "no-javascript",
      use: { ...devices["Pixel 7"], javaScriptEnabled: false, launchOptions: chromium },
      testMatch: /nojs\.spec\.ts/,
    },
  ],
});
