import { expect, fillComplaint, hydrated, snap, staffPage, statusShows, takeStep, test } from "./helpers";

test("an owner disputes a not-valid judgement and a different supervisor reverses it", async ({ page, browser }) => {
  test.setTimeout(150_000);
  // The owner files from a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/complaints/new");
  await hydrated(page);
  const description = `阳台顶部渗水,雨天滴到地板上,已经泡坏了 ${Date.now()}`;
  await fillComplaint(page, { description, category: "repair_service", phone: "13955556666" });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\//);
  const code = (await page.getByTestId("tracking-code").innerText()).replace(/-/g, "");
  await page.goto(`/track/${code}`);
  await hydrated(page);

  // The agent judges it not valid; a forbidden phrase must be confirmed first.
  const agent = await staffPage(browser, "agent");
  await agent.goto(`/staff?q=${code}`);
  await agent.locator("table.queue tbody tr").first().getByRole("link").click();
  await expect(agent).toHaveURL(/\/staff\/complaints\/\d+/);
  await hydrated(agent);
  const complaintUrl = agent.url();
  const judge = agent.locator('form[data-step="judge_not_valid"]');
  await agent.locator("details", { has: judge }).locator("summary").click();
  await judge.getByLabel(/给业主的说明/).fill("经核实,渗水来自您家自行封闭阳台时破坏的防水层,这不归我们管。");
  await judge.locator('button[type="submit"]').click();
  const sendAnyway = judge.getByLabel("我已确认，仍然发送");
  await expect(sendAnyway).toBeVisible();
  // The agent rewrites it politely instead; the box goes with the phrase.
  await judge.getByLabel(/给业主的说明/).fill("经现场核实,渗水来自阳台封闭改造时破坏的防水层,不属于物业维修范围;我们可以协助联系施工单位。");
  await expect(sendAnyway).toBeHidden();
  await takeStep(agent, "judge_not_valid", statusShows(agent, "投诉不成立"));

  // The owner reads the judgement and disputes it, live on the same page.
  const card = page.getByTestId("judgement");
  await expect(card).toContainText("阳台封闭改造");
  await card.getByLabel(/申诉理由/).fill("阳台是开发商交房时就封闭好的,我们从未改造过,有交房照片为证。");
  await snap(page, "dispute-owner-form");
  await card.getByRole("button", { name: "提出申诉" }).click();
  await expect(page.getByTestId("status")).toContainText("申诉复核中");
  await expect(page.getByTestId("disputed")).toBeVisible();

  // The agent who judged is not offered the decision; a supervisor reverses it.
  await agent.reload();
  await hydrated(agent);
  await expect(agent.locator('form[data-step="reverse_judgement"]')).toHaveCount(0);
  const supervisor = await staffPage(browser, "supervisor");
  await supervisor.goto("/staff/notifications");
  await expect(supervisor.locator(".notifications")).toContainText("提出申诉");
  await supervisor.goto(complaintUrl);
  await hydrated(supervisor);
  await takeStep(supervisor, "reverse_judgement", statusShows(supervisor, "投诉成立"), async (form) => {
    await form.getByLabel(/改判理由/).fill("核对交房资料,阳台为交付时原有封闭,投诉成立,我们将安排工程部处理。");
  });
  await snap(supervisor, "dispute-reversed-staff");

  // The owner sees the reversal without reloading.
  await expect(page.getByTestId("status")).toContainText("投诉成立", { timeout: 20_000 });
  await expect(page.locator(".timeline")).toContainText("阳台为交付时原有封闭");
  await expect(page.getByTestId("judgement")).toHaveCount(0);
  await snap(page, "dispute-reversed-owner");
});
