import { expect, fillComplaint, hydrated, snap, staffPage, takeStep, test } from "./helpers";

test("an owner filing on a Friday evening is promised a call on Monday", async ({ page }) => {
  // Friday 4 December 2026, 19:00 in Shanghai: service hours are over for the week.
  await page.clock.setFixedTime(new Date("2026-12-04T19:00:00+08:00"));
  await page.goto("/complaints/new");
  await hydrated(page);
  const promise = page.getByTestId("promise-preview");
  // Two service hours from Monday's opening (08:30), computed in the browser.
  await expect(promise).toContainText("12月7日");
  await expect(promise).toContainText("10:30");
  await snap(page, "working-time-friday-evening");

  // An emergency runs round the clock: two hours from now, tonight.
  await page.getByLabel(/紧急/).first().check();
  await expect(promise).toContainText("21:00");
});

test("what the text seems to say is asked, not assumed, and the owner's answer stands", async ({ page }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  await page.getByLabel("问题描述").fill("楼上漏水到我家三天了,再不解决我就去找媒体曝光");
  const suggestions = page.getByTestId("hint-suggestions");
  await expect(suggestions).toContainText("是否属实");
  await expect(suggestions).toContainText("扬言曝光");
  await expect(page.getByTestId("hint-level")).toContainText("二级");
  await snap(page, "grading-suggestion");
  await suggestions.locator("li", { hasText: "扬言曝光" }).getByRole("button", { name: "是，属实" }).click();
  await expect(page.locator('input[name="intake[flags][]"][value="media_threat"]')).toBeChecked();
  // The owner states the impact: the text no longer decides it.
  await page.locator("details.more > summary").click();
  await page.getByLabel("影响程度").selectOption("none");
  await expect(page.getByTestId("hint-level")).toContainText("二级");
});

test("staff wait for the owner, the owner sees what is awaited, and their message resumes the clocks", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await page.goto("/complaints/new");
  await hydrated(page);
  await fillComplaint(page, { description: `阳台推拉门关不严,下雨进水 ${Date.now()}`, category: "repair_service" });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\//);
  const code = (await page.getByTestId("tracking-code").innerText()).replace(/-/g, "");
  await hydrated(page);

  const agent = await staffPage(browser, "agent");
  await agent.goto(`/staff?q=${code}`);
  await agent.locator("table.queue tbody tr").first().getByRole("link").click();
  await hydrated(agent);
  const waiting = agent.getByTestId("waiting");
  await takeStep(agent, "wait_for_owner", (timeout) => expect(waiting).toContainText("待业主安排入户", { timeout }), async (form) => {
    // The label is what a person taps.
    await form.locator("label", { hasText: "待业主安排入户" }).click();
    await expect(form.getByLabel("待业主安排入户")).toBeChecked({ timeout: 2_000 });
    await form.getByLabel(/告诉业主需要什么/).fill("请告诉我们本周哪天方便上门查看推拉门");
  });
  await snap(agent, "working-time-staff-waiting");

  // The owner's page (following live) says what we wait for.
  const awaiting = page.getByTestId("awaiting");
  await expect(awaiting).toContainText("我们需要入户查看");
  await expect(awaiting).toContainText("本周哪天方便上门");
  await snap(page, "working-time-owner-awaiting");

  await page.getByLabel("您的留言会出现在进度记录里").fill("周三下午两点以后家里有人");
  await page.getByRole("button", { name: "发送留言" }).click();
  await expect(awaiting).toHaveCount(0);
  await expect(page.locator(".timeline")).toContainText("恢复处理");

  await expect(agent.getByTestId("waiting")).toHaveCount(0);
  await expect(agent.locator(".timeline")).toContainText("周三下午两点以后家里有人");
});

test("an administrator keeps the business calendar; a wrong make-up day is refused with its date", async ({ browser }) => {
  const admin = await staffPage(browser, "admin");
  await admin.goto("/staff/admin#calendar");
  await hydrated(admin);
  const section = admin.locator("#calendar");
  await expect(section).toContainText("2026");
  await expect(section).toContainText("2025");
  // 2026: 365 days, 104 weekend days, 19 holiday weekdays, 6 make-up weekend days.
  await expect(section).toContainText("全年工作日 248 天");

  // A year not entered yet (next year once November has come: the banner names it).
  const banner = admin.getByTestId("calendar-missing");
  const year = (await banner.count()) > 0 ? ((await banner.innerText()).match(/(\d{4})年/)?.[1] ?? "2030") : "2030";
  const add = section.locator("details", { hasText: "录入新的年份" });
  if (!(await add.evaluate((d) => (d as HTMLDetailsElement).open))) await add.locator("summary").click();
  const form = add.locator("form");
  await form.getByLabel("年份").fill(year);
  await form.getByLabel(/放假日期/).fill(`${year}-01-01\n${year}-10-01..${year}-10-07`);
  // A Wednesday is no make-up day.
  const wednesday = firstWeekday(Number(year), 3);
  await form.getByLabel(/调休上班日/).fill(wednesday);
  await form.getByRole("button", { name: "保存" }).click();
  await expect(section).toContainText(wednesday);
  await expect(form.getByLabel(/放假日期/)).toHaveValue(`${year}-01-01\n${year}-10-01..${year}-10-07`);
  await snap(admin, "working-time-calendar-refused");

  await form.getByLabel(/调休上班日/).fill("");
  await form.getByRole("button", { name: "保存" }).click();
  await expect(section.locator(".admin-list")).toContainText(`${year} ·`);
  await expect(banner).toHaveCount(0);
});

/** The first date of `year` (yyyy-mm-dd) that falls on `weekday` (0 Sunday … 6 Saturday). */
function firstWeekday(year: number, weekday: number): string {
  const d = new Date(Date.UTC(year, 1, 1));
  while (d.getUTCDay() !== weekday) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
