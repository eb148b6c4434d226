import { axeViolations, expect, fillComplaint, hydrated, staffPage, test, type Page } from "./helpers";

// axe-core's checks (every rule it runs by default: WCAG 2.x A/AA and best practices) on
// every page owners and staff reach, as each is shown on a phone: no violations.
const violations = axeViolations;

/** Opens `url`, waits until it is ready, and expects no violations. */
async function check(page: Page, url: string, ready: (page: Page) => Promise<void> = hydrated) {
  await page.goto(url);
  await ready(page);
  expect(await violations(page), url).toEqual([]);
}

test("every owner page passes axe-core", async ({ page }) => {
  test.setTimeout(180_000);
  for (const url of ["/", "/faq", "/faq/search?q=漏水", "/track", "/login", "/register", "/complaints/new"]) {
    await check(page, url);
  }
  await page.goto("/faq");
  const article = await page.locator(".faq-list a, .topic-articles a").first().getAttribute("href");
  await check(page, article!);
  const topic = await page.locator('a[href^="/faq/topic/"]').first().getAttribute("href");
  await check(page, topic!);

  // A tracking page, just filed, and with the guided questions answered.
  await page.goto("/complaints/new");
  await hydrated(page);
  await fillComplaint(page, { description: `阳台推拉门轨道变形，关不严，下雨进水 ${Date.now()}`, category: "repair_service" });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\/[2-9A-Z]{12}\?new=1$/);
  await hydrated(page);
  expect(await violations(page), "tracking page").toEqual([]);

  // An owner's own page, logged in (the demo owner).
  await page.goto("/login");
  await page.getByLabel("账号").fill("13812345678");
  await page.getByLabel("密码").fill("demo-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await hydrated(page);
  expect(await violations(page), "/me").toEqual([]);
});

test("every staff page passes axe-core", async ({ browser }) => {
  test.setTimeout(240_000);
  const admin = await staffPage(browser, "admin");
  for (const url of [
    "/staff",
    "/staff/intake",
    "/staff/revisits",
    "/staff/notifications",
    "/staff/reports",
    "/staff/reports/summary",
    "/staff/households",
    "/staff/faq",
    "/staff/faq/new",
    "/staff/admin",
    "/staff/admin/estate",
    "/staff/admin/deliveries",
    "/staff/admin/classifier",
    "/account/password",
  ]) {
    await check(admin, url);
  }
  const supervisor = await staffPage(browser, "supervisor");
  await supervisor.goto("/staff");
  await hydrated(supervisor);
  const complaint = await supervisor.locator("table.queue tbody tr a").first().getAttribute("href");
  await check(supervisor, complaint!);
  await check(supervisor, `${complaint}/report`);
  await admin.goto("/staff/faq");
  await hydrated(admin);
  const article = await admin.locator('a[href^="/staff/faq/"]:not([href="/staff/faq/new"])').first().getAttribute("href");
  await check(admin, article!);
});
