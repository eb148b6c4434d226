import { expect, test, type Browser, type Page } from "./helpers";
import * as fs from "node:fs";
import { hydrated, logIn, snap } from "./helpers";

/** Records of a CSV file; quoted fields may hold commas and line breaks. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else if (c !== "\r") field += c;
  }
  return records;
}

async function total(page: Page): Promise<number> {
  return Number(await page.getByTestId("figure-total").innerText());
}

async function supervisorOn(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN", ...options });
  const page = await context.newPage();
  await logIn(page, "supervisor");
  return page;
}

test("with the demo data the dashboard draws its charts, the month filter changes the numbers, and the CSV has a row per complaint", async ({ page }) => {
  test.setTimeout(120_000);
  await logIn(page, "supervisor");
  await page.getByRole("link", { name: "报表" }).click();
  await expect(page).toHaveURL(/\/staff\/reports$/);
  await hydrated(page);
  const yearTotal = await total(page);
  expect(yearTotal).toBeGreaterThan(300);

  // Non-empty charts: points on the trend, bars per category, shaded cells linking to the queue.
  await expect(page.getByTestId("chart-trend").locator("svg circle")).toHaveCount(12);
  expect(await page.getByTestId("chart-categories").locator("svg rect").count()).toBeGreaterThan(4);
  expect(await page.getByTestId("chart-levels_by_month").locator("svg rect").count()).toBeGreaterThan(12);
  expect(await page.getByTestId("chart-satisfaction").locator("svg rect").count()).toBeGreaterThan(3);
  expect(await page.getByTestId("chart-hot_spots").locator("svg a.heat-cell").count()).toBeGreaterThan(5);
  await expect(page.getByTestId("chart-trend").locator("svg title").first()).toHaveText("每月投诉量");
  await expect(page.getByTestId("figure-revisit-rate")).toHaveText(/\d+%/);
  // Every revisit question is reported: timeliness and attitude beside process and result.
  await expect(page.getByTestId("figure-timeliness-rate")).toHaveText(/\d+%/);
  await expect(page.getByTestId("figure-attitude-rate")).toHaveText(/\d+%/);
  await expect(page.getByTestId("chart-satisfaction").locator("table.data")).toContainText("服务态度");
  // The FAQ panel: deflections and the year's most-read articles, each a link to the article.
  const deflections = Number(await page.getByTestId("faq-deflections").innerText());
  expect(deflections).toBeGreaterThan(0);
  await expect(page.getByTestId("faq-most-read").locator("li")).toHaveCount(10);
  await expect(page.getByTestId("faq-least-helpful").locator("li").first()).toContainText("没帮助");
  const firstRead = page.getByTestId("faq-most-read").locator("li a").first();
  expect(await firstRead.getAttribute("href")).toMatch(/^\/faq\/[a-z0-9-]+$/);
  await snap(page, "reports-phone");

  // Each chart has its table behind it.
  const categories = page.getByTestId("chart-categories");
  await categories.locator("summary").click();
  await expect(categories.locator("table.data tbody tr")).toHaveCount(8);

  // A narrower range: fewer complaints, and the inputs keep it.
  const from = await page.locator("#r-from").inputValue();
  const to = await page.locator("#r-to").inputValue();
  const [year, month] = to.split("-").map(Number);
  const earlier = new Date(Date.UTC(year, month - 1 - 2, 1)).toISOString().slice(0, 7);
  expect(from < earlier).toBeTruthy();
  await page.locator("#r-from").fill(earlier);
  await page.getByRole("button", { name: "统计" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${earlier}`));
  await expect(page.getByTestId("chart-trend").locator("svg circle")).toHaveCount(3);
  const quarterTotal = await total(page);
  expect(quarterTotal).toBeGreaterThan(0);
  expect(quarterTotal).toBeLessThan(yearTotal);
  await expect(page.locator("#r-from")).toHaveValue(earlier);
  // Fewer months, fewer deflections.
  expect(Number(await page.getByTestId("faq-deflections").innerText())).toBeLessThan(deflections);

  // The CSV of these complaints: UTF-8 with a BOM, one row per complaint counted above.
  const download = page.waitForEvent("download");
  await page.getByTestId("export-complaints").click();
  const file = await (await download).path();
  const bytes = fs.readFileSync(file!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const records = csvRecords(bytes.toString("utf8"));
  expect(records[0][0]).toBe("\ufeff查询码");
  expect(records.length).toBe(1 + quarterTotal);

  // A hot spot opens the queue filtered to that building, category and period.
  const cell = page.getByTestId("chart-hot_spots").locator("svg a.heat-cell").first();
  const cellCount = Number(await cell.locator("text").innerHTML());
  await page.goto((await cell.getAttribute("href"))!);
  await expect(page.getByTestId("queue-counts")).toContainText(`共 ${cellCount} 件`);
  await expect(page.locator("#f-from")).toHaveValue(earlier);

  // The most-read article opens from the panel.
  await page.goBack();
  await page.getByTestId("faq-most-read").locator("li a").first().click();
  await expect(page).toHaveURL(/\/faq\/[a-z0-9-]+$/);
  await expect(page.locator("h1")).toBeVisible();
});

test("the dashboard reads well on a desktop and without JavaScript", async ({ browser }) => {
  test.setTimeout(90_000);
  const desktop = await supervisorOn(browser, { viewport: { width: 1280, height: 900 } });
  await desktop.goto("/staff/reports");
  await hydrated(desktop);
  await snap(desktop, "reports-desktop");
  await desktop.context().close();

  const page = await supervisorOn(browser, { javaScriptEnabled: false, viewport: { width: 412, height: 915 } });
  await page.goto("/staff/reports");
  await expect(page.getByTestId("chart-trend").locator("svg circle")).toHaveCount(12);
  const before = await total(page);
  // The GET form works without JavaScript.
  await page.locator("#r-category").selectOption("engineering_quality");
  await page.getByRole("button", { name: "统计" }).click();
  await expect(page).toHaveURL(/category=engineering_quality/);
  const after = await total(page);
  expect(after).toBeGreaterThan(0);
  expect(after).toBeLessThan(before);
  await snap(page, "reports-nojs");
  await page.context().close();
});

test("the monthly summary prints the figures and the closing actions by category", async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await supervisorOn(browser, { viewport: { width: 1000, height: 900 } });
  await page.goto("/staff/reports/summary");
  await hydrated(page);
  await expect(page.getByTestId("summary-title")).toContainText("投诉统计报告");
  expect(await page.getByTestId("summary-actions").count()).toBeGreaterThan(1);
  await expect(page.getByTestId("summary-actions").first()).toContainText("纠正和预防措施");
  await page.getByRole("link", { name: "半年报" }).click();
  await expect(page.getByTestId("summary-title")).toContainText("半年");
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await snap(page, "reports-summary-print");
  await page.context().close();
});

test("agents and handlers are refused the reports", async ({ browser }) => {
  for (const login of ["agent", "repair"]) {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await logIn(page, login);
    await expect(page.getByRole("link", { name: "报表" })).toHaveCount(0);
    await page.goto("/staff/reports");
    await expect(page.getByRole("alert")).toBeVisible();
    await expect(page.getByTestId("figure-total")).toHaveCount(0);
    const csv = await page.request.get("/staff/reports/export/complaints.csv");
    expect(csv.status()).toBe(403);
    await context.close();
  }
});
