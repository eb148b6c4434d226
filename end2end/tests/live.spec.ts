import { expect, fillComplaint, hydrated, logIn, snap, statusShows, takeStep, test, type Page } from "./helpers";

/** Counts main-frame navigations from now on and leaves a marker a reload would erase. */
async function watchNavigation(page: Page) {
  const navigations = { count: 0 };
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations.count += 1;
  });
  await page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = 42));
  return async () => {
    expect(navigations.count, "the page never navigated").toBe(0);
    expect(await page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(42);
  };
}

/** Takes one step on the staff complaint page (opening its <details> when folded). */

test("the owner's tracking page and the staff pages update themselves", async ({ page, browser }) => {
  test.setTimeout(180_000);

  // The owner files and stays on the tracking page.
  await page.goto("/complaints/new");
  await hydrated(page);
  await fillComplaint(page, { description: `阳台顶上渗水,墙皮起泡 ${Date.now()}`, category: "repair_service" });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\//);
  const code = page.url().split("/track/")[1].replace("?new=1", "");
  await hydrated(page);
  const owner = page.getByTestId("live");
  await expect(owner).toContainText("实时更新中");
  await expect(page.getByTestId("promises")).toContainText(/我们将在.+前联系您/);
  const ownerStayed = await watchNavigation(page);
  // The owner has picked a photo and is writing a message when news arrives: both survive
  // the page re-rendering around them.
  const photo = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  await page.getByLabel("选择照片或视频").setInputFiles({ name: "阳台.png", mimeType: "image/png", buffer: photo });
  const message = page.getByLabel("您的留言会出现在进度记录里，处理人员会收到通知");
  await message.fill("下午三点后家里有人");

  // Staff: the complaint page and, in a second tab, the queue.
  const staffContext = await browser.newContext({ locale: "zh-CN" });
  const staff = await staffContext.newPage();
  await logIn(staff, "supervisor");
  await staff.goto(`/staff?q=${code}`);
  await staff.locator("table.queue tbody tr").first().getByRole("link").click();
  await expect(staff.locator(".complaint-title")).toBeVisible();
  await hydrated(staff);
  await expect(staff.getByTestId("live")).toContainText("实时更新中");
  const queue = await staffContext.newPage();
  await queue.goto(`/staff?q=${code}&status=all`);
  await hydrated(queue);
  await expect(queue.getByTestId("live")).toContainText("实时更新中");
  const queueStayed = await watchNavigation(queue);

  // A reply and a status change reach the owner without a reload.
  const reply = "您好,维修师傅今天下午到场查看阳台渗水,请家里留人。";
  await staff.getByLabel("回复业主", { exact: true }).fill(reply);
  await staff.getByRole("button", { name: "发送回复" }).click();
  await expect(page.locator(".timeline")).toContainText(reply, { timeout: 5_000 });
  await expect(message).toHaveValue("下午三点后家里有人");
  await expect.poll(() => page.locator("#evidence-file").evaluate((input: HTMLInputElement) => input.files?.length ?? 0)).toBe(1);
  await takeStep(staff, "judge_valid", statusShows(staff, "投诉成立"));
  await expect(page.getByTestId("status")).toContainText("投诉成立", { timeout: 5_000 });
  await expect(queue.locator("table.queue tbody tr").first()).toContainText("投诉成立", { timeout: 5_000 });
  await takeStep(staff, "assign", statusShows(staff, "已分派"), async () => {
    const form = staff.locator('form[data-step="assign"]');
    await form.getByLabel("责任部门").selectOption({ label: "维修部" });
    await form.getByLabel("处理人").selectOption({ label: "维修 张师傅" });
  });
  await expect(page.getByTestId("handler")).toContainText("张师傅", { timeout: 5_000 });
  await expect(page.locator(".timeline")).toContainText("维修部 · 维修 张师傅");
  await snap(page, "live-owner-assigned");
  await ownerStayed();

  await takeStep(staff, "start_investigation", statusShows(staff, "调查处理中"));
  await takeStep(staff, "propose_solution", statusShows(staff, "方案已提出"), async () => {
    await staff.locator('form[data-step="propose_solution"]').getByLabel("处理方案").fill("重新做阳台顶部防水");
  });
  await expect(staff.locator(".complaint-title")).toContainText("方案已提出");
  await takeStep(staff, "resolve", statusShows(staff, "已解决"), async () => {
    await staff.locator('form[data-step="resolve"]').getByLabel("处理结果").fill("防水层已重做,淋水试验无渗漏");
  });
  await expect(staff.locator(".complaint-title")).toContainText("已解决");

  // The survey appears on the owner's page by itself.
  const survey = page.getByTestId("survey-form");
  await expect(survey).toBeVisible({ timeout: 5_000 });
  await ownerStayed();

  // A staff member is typing a note when the owner's answer arrives: the text survives.
  const noteForm = staff.locator('form[data-step="note"]');
  await staff.locator("details", { has: noteForm }).locator("summary").click();
  const note = "业主上次反映柜子也有水,回访时再确认一下";
  await noteForm.getByLabel("内部备注").fill(note);
  const staffStayed = await watchNavigation(staff);

  for (const [question, answer] of [
    ["处理过程", "基本满意"],
    ["处理速度", "满意"],
    ["工作人员的态度", "满意"],
    ["处理结果", "不满意"],
  ]) {
    await survey.getByRole("group", { name: new RegExp(question) }).getByLabel(answer, { exact: true }).check();
  }
  await survey.getByRole("group", { name: /总体评分/ }).getByLabel("2", { exact: true }).check();
  await survey.getByLabel("还有什么想告诉我们的").fill("墙角还是潮的");
  await survey.getByRole("button", { name: "提交评价" }).click();
  await expect(page.getByTestId("status")).toContainText("已重新处理");

  // Reopened on the staff pages, without a reload, and the note being typed is intact.
  await expect(staff.locator(".complaint-title")).toContainText("已重新处理", { timeout: 5_000 });
  await expect(staff.locator(".timeline")).toContainText("墙角还是潮的");
  await expect(queue.locator("table.queue tbody tr").first()).toContainText("已重新处理", { timeout: 5_000 });
  await expect(staff.locator('form[data-step="note"]').getByLabel("内部备注")).toHaveValue(note);
  await snap(staff, "live-staff-reopened");
  await snap(queue, "live-queue-reopened");
  await snap(page, "live-owner-reopened");
  await staffStayed();
  await queueStayed();
  await ownerStayed();
  await staffContext.close();
});

test("without a stream the page says so and refreshes every 30 seconds", async ({ page }) => {
  await page.clock.install();
  // Make the stream fail as a broken proxy would.
  await page.route("**/live/**", (route) => route.fulfill({ status: 503, body: "unavailable" }));
  await page.goto("/complaints/new");
  await hydrated(page);
  await fillComplaint(page, { description: `单元门禁坏了,刷卡没反应 ${Date.now()}`, category: "property_management" });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\//);
  await hydrated(page);
  await expect(page.getByTestId("live")).toContainText("连接中断，每30秒自动刷新");
  await snap(page, "live-owner-polling");

  const refetches: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/tracked_complaint")) refetches.push(r.url());
  });
  await page.clock.runFor(31_000);
  await expect.poll(() => refetches.length, { message: "the page refetched after 30 s" }).toBeGreaterThan(0);
});

test("a tab in the background lets go of its stream and catches up when it is back", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const streams: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/live/track/")) streams.push(r.url());
  });
  await page.goto("/complaints/new");
  await hydrated(page);
  await fillComplaint(page, { description: `楼道灯不亮,晚上看不见路 ${Date.now()}`, category: "property_management" });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\//);
  await hydrated(page);
  await expect(page.getByTestId("live")).toContainText("实时更新中");
  const code = page.url().split("/track/")[1].replace("?new=1", "");
  const opened = streams.length;

  const setHidden = (hidden: boolean) =>
    page.evaluate((hidden) => {
      Object.defineProperty(document, "hidden", { value: hidden, configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    }, hidden);
  await setHidden(true);

  const staffContext = await browser.newContext({ locale: "zh-CN" });
  const staff = await staffContext.newPage();
  await logIn(staff, "agent");
  await staff.goto(`/staff?q=${code}`);
  await staff.locator("table.queue tbody tr").first().getByRole("link").click();
  await expect(staff.locator(".complaint-title")).toBeVisible();
  await hydrated(staff);
  await takeStep(staff, "judge_valid", statusShows(staff, "投诉成立"));
  await expect(staff.locator(".complaint-title")).toContainText("投诉成立");
  await expect(page.getByTestId("status")).toContainText("已受理");

  await setHidden(false);
  await expect(page.getByTestId("status")).toContainText("投诉成立", { timeout: 5_000 });
  expect(streams.length, "a new stream once the tab is back").toBe(opened + 1);
  await staffContext.close();
});
