import { expect, fillComplaint, hydrated, snap, staffPage, statusShows, takeStep, test, type Locator, type Page } from "./helpers";

/** Takes the step `action` and waits for the new status. */
async function step(page: Page, action: string, status: string, fill?: (form: Locator) => Promise<void>) {
  await takeStep(page, action, statusShows(page, status), fill);
}

test("a complaint is handled from filing to closing, with approval by amount, revisit and a printable report", async ({ page, browser }) => {
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
    // The department's only handler is chosen already.
    await expect(form.getByLabel("处理人").locator("option:checked")).toHaveText("维修 张师傅");
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
  await expect(handler.getByTestId("approver")).toContainText("须由总经理审批");
  await step(handler, "request_approval", "待审批");
  await snap(handler, "lifecycle-awaiting-approval");

  // ¥12,000 is above the department manager's ¥10,000: refused, and told who decides.
  const manager = await staffPage(browser, "manager");
  await manager.goto(complaintUrl);
  await hydrated(manager);
  const grant = manager.locator('form[data-step="grant_approval"]');
  await grant.locator('button[type="submit"]').click();
  await expect(grant.locator(".error-banner, [role=alert]").first()).toContainText("须由总经理审批");
  await expect(manager.locator(".complaint-title")).toContainText("待审批");
  await snap(manager, "lifecycle-manager-above-tier");

  // The general manager, told of it, approves.
  const gm = await staffPage(browser, "gm");
  await gm.goto("/staff/notifications");
  await expect(gm.locator(".notifications")).toContainText("待您审批");
  await gm.goto(complaintUrl);
  await hydrated(gm);
  await step(gm, "grant_approval", "方案已批准");
  await expect(gm.locator(".approvals")).toContainText("总经理");

  // The handler resolves; the agent logs the revisit and closes with the root cause.
  await handler.reload();
  await hydrated(handler);
  await step(handler, "resolve", "已解决", async (form) => {
    await form.getByLabel("处理结果").fill("楼上防水已重做,您家墙面已修复,12000元赔偿已转账");
  });
  // Level 1: the report to the general manager runs on a stage clock; the handler submits it.
  await expect(handler.getByTestId("stage-plan")).toHaveClass(/met/);
  await expect(handler.getByTestId("stage-report")).toContainText("处理报告呈报总经理");
  await takeStep(handler, "submit_report", (timeout) =>
    expect(handler.getByTestId("report-submitted")).toContainText("维修 张师傅", { timeout }),
  );
  await expect(handler.getByTestId("stage-report")).toHaveClass(/met/);
  await snap(handler, "lifecycle-report-submitted");
  await agent.reload();
  await hydrated(agent);
  await step(agent, "record_revisit", "已回访", async (form) => {
    for (const q of ["处理过程", "及时性", "工作人员态度", "处理结果"]) {
      await form.getByRole("group", { name: new RegExp(q) }).getByLabel("满意", { exact: true }).check();
    }
    await form.getByLabel("总体评分").selectOption("5");
  });
  // The customer-service supervisor reviews the revisit record, with guidance.
  const supervisor = await staffPage(browser, "supervisor");
  await supervisor.goto(complaintUrl);
  await hydrated(supervisor);
  await takeStep(
    supervisor,
    "review_revisit",
    (timeout) => expect(supervisor.getByTestId("revisit-reviewed")).toContainText("回访及时", { timeout }),
    async (form) => {
      await form.getByLabel(/审查意见/).fill("回访及时,记录完整");
    },
  );
  await supervisor.goto("/staff/revisits");
  await expect(supervisor.getByTestId("review-rate")).toContainText("回访审查率");
  await agent.reload();
  await hydrated(agent);
  await step(agent, "close", "已结案", async (form) => {
    await form.getByLabel("根本原因").fill("楼上卫生间防水层施工不合格");
    await form.getByLabel("纠正和预防措施").fill("同批次住户卫生间闭水试验排查,防水施工验收加抽检");
    await form.getByLabel("责任部门").selectOption({ label: "工程部" });
    await form.getByLabel(/^责任人（|^责任人\(/).fill("工程部 王工");
    for (const check of ["原因已查清", "责任人已处理", "相关人员已受教育", "整改措施已落实"]) {
      await form.getByLabel(check).check();
    }
    await form.getByLabel(/列为培训案例/).check();
  });
  await expect(agent.getByTestId("responsibility")).toContainText("工程部 王工");
  await snap(agent, "lifecycle-closed-staff");

  // The handling report: every section, on one A4 width when printed.
  await agent.getByTestId("report-link").click();
  await expect(agent).toHaveURL(/\/report$/);
  const report = agent.getByTestId("handling-report");
  await expect(report.locator("h1")).toHaveText("投诉处理报告");
  for (const section of ["facts", "level", "clocks", "timeline", "solution", "approvals", "responsibility", "revisit", "closing", "signatures"]) {
    await expect(report.locator(`[data-section="${section}"]`)).toBeVisible();
  }
  await expect(report.locator('[data-section="approvals"]')).toContainText("总经理");
  await expect(report.locator('[data-section="clocks"]')).toContainText("处理报告呈报总经理");
  await expect(report.locator('[data-section="revisit"]')).toContainText("回访及时");
  await expect(report.locator('[data-section="responsibility"]')).toContainText("☑ 整改措施已落实");
  await expect(report.locator('[data-section="closing"]')).toContainText("楼上卫生间防水层施工不合格");
  await agent.emulateMedia({ media: "print" });
  await agent.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  const overflow = await agent.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "the report fits one A4 width").toBeLessThanOrEqual(0);
  await expect(agent.locator(".site-header")).toBeHidden();
  await snap(agent, "lifecycle-handling-report-print");
  const pdf = await agent.pdf({ format: "A4", printBackground: true });
  expect(pdf.length).toBeGreaterThan(10_000);
  await agent.emulateMedia({ media: "screen" });

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
