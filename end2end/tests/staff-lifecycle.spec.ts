import { expect, fillComplaint, hydrated, snap, staffPage, statusShows, takeStep, test, type Locator, type Page } from "./helpers";

/** Takes the step `action` and waits for the new status. */
async function step(page: Page, action: string, status: string, fill?: (form: Locator) => Promise<void>) {
  await takeStep(page, action, statusShows(page, status), fill);
}

test("a complaint is handled from filing to closing, with approval and revisit", async ({ page, browser }) => {
  // Four people and a dozen steps: a long journey on a shared 2-core machine.
  test.setTimeout(180_000);
  // The owner files.
  await page.goto("/complaints/new");
  await hydrated(page);
  const description = `B座1203卫生间漏水到楼下,墙面大面积发霉 ${Date.now()}`;
  await fillComplaint(page, { description });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\//);
  const code = (await page.getByTestId("tracking-code").innerText()).replace(/-/g, "");
  const ownerUrl = `/track/${code}`;

  // The agent judges it valid and assigns one named handler.
  const agent = await staffPage(browser, "agent");
  await agent.goto(`/staff?q=${code}`);
  await agent.locator("table.queue tbody tr").first().getByRole("link").click();
  // The router changes the address after the click returns.
  await expect(agent).toHaveURL(/\/staff\/complaints\/\d+/);
  await hydrated(agent);
  const complaintUrl = agent.url();
  await step(agent, "judge_valid", "投诉成立");
  await step(agent, "assign", "已分派", async (form) => {
    await form.getByLabel("责任部门").selectOption({ label: "维修部" });
    await form.getByLabel("处理人").selectOption({ label: "维修 张师傅" });
  });
  await expect(agent.getByTestId("handler")).toHaveText("维修 张师傅");

  // The handler investigates, notes internally, proposes ¥12,000 and asks for approval.
  const handler = await staffPage(browser, "repair");
  await handler.goto(complaintUrl);
  await hydrated(handler);
  await step(handler, "start_investigation", "调查处理中");
  await handler.locator("summary", { hasText: "内部备注" }).click();
  await handler.locator('form[data-step="note"]').getByLabel("内部备注").fill("楼上B座1303防水层开裂,需凿开重做,业主暂未知情");
  await handler.locator('form[data-step="note"] button[type="submit"]').click();
  await expect(handler.locator(".timeline")).toContainText("防水层开裂");
  await step(handler, "propose_solution", "方案已提出", async (form) => {
    await form.getByLabel("处理方案").fill("重做楼上卫生间防水,修复您家墙面并赔偿装修损失");
    await form.getByLabel("赔偿/补偿金额").fill("12000");
  });
  await step(handler, "request_approval", "待主管审批");
  await snap(handler, "lifecycle-awaiting-approval");

  // The supervisor approves.
  const supervisor = await staffPage(browser, "supervisor");
  await supervisor.goto("/staff/notifications");
  await expect(supervisor.locator(".notifications")).toContainText("待您审批");
  await supervisor.goto(complaintUrl);
  await hydrated(supervisor);
  await step(supervisor, "grant_approval", "方案已批准");

  // The handler resolves; the agent logs the revisit and closes with the root cause.
  await handler.reload();
  await hydrated(handler);
  await step(handler, "resolve", "已解决", async (form) => {
    await form.getByLabel("处理结果").fill("楼上防水已重做,您家墙面已修复,12000元赔偿已转账");
  });
  await agent.reload();
  await hydrated(agent);
  await step(agent, "record_revisit", "已回访", async (form) => {
    for (const q of ["处理过程", "及时性", "工作人员态度", "处理结果"]) {
      await form.getByRole("group", { name: new RegExp(q) }).getByLabel("满意", { exact: true }).check();
    }
    await form.getByLabel("总体评分").selectOption("5");
  });
  await step(agent, "close", "已结案", async (form) => {
    await form.getByLabel("根本原因").fill("楼上卫生间防水层施工不合格");
    await form.getByLabel("纠正和预防措施").fill("同批次住户卫生间闭水试验排查,防水施工验收加抽检");
  });
  await snap(agent, "lifecycle-closed-staff");

  // The owner sees the public story, and never the internal note.
  await page.goto(ownerUrl);
  await expect(page.getByTestId("status")).toContainText("已结案");
  await expect(page.locator(".timeline")).toContainText("重做楼上卫生间防水");
  await expect(page.locator("body")).not.toContainText("防水层开裂");
  await expect(page.getByTestId("handler")).toHaveText("维修 张师傅");
  await snap(page, "lifecycle-closed-owner");
});

test("an owner cannot open another owner's complaint by URL or by calling the server", async ({ page, browser }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  await fillComplaint(page, { phone: "13911112222" });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\//);
  const code = (await page.getByTestId("tracking-code").innerText()).replace(/-/g, "");

  const other = await browser.newContext({ locale: "zh-CN" });
  const stranger = await other.newPage();
  await stranger.goto(`/track/${code}`);
  await expect(stranger.getByRole("heading", { name: "查询投诉进度" })).toBeVisible();
  await expect(stranger.locator("body")).not.toContainText("13911112222");
  await expect(stranger.getByTestId("status")).toHaveCount(0);

  const byFunction = await stranger.request.post("/api/tracked_complaint", {
    form: { code },
    headers: { Accept: "application/json" },
  });
  expect(byFunction.status()).toBe(401);
  const byId = await stranger.request.post("/api/load_staff_complaint", {
    form: { id: "1" },
    headers: { Accept: "application/json" },
  });
  expect(byId.status()).toBe(401);
  await other.close();
});
