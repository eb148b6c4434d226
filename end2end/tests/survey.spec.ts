import { expect, test, type Page } from "./helpers";
import { axeViolations, fillComplaint, hydrated, logIn, snap } from "./helpers";

const gateway = process.env.E2E_SMS_GATEWAY;

/** Takes the complaint at `url` to "resolved" (the page's user is a supervisor, who may do every step). */
async function resolveAsSupervisor(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
  const submit = async (action: string, fill?: () => Promise<void>) => {
    const form = page.locator(`form[data-step="${action}"]`);
    const details = page.locator("details", { has: form });
    if ((await details.count()) > 0 && !(await details.evaluate((d) => (d as HTMLDetailsElement).open))) {
      await details.locator("summary").click();
    }
    if (fill) await fill();
    await form.locator('button[type="submit"]').click();
  };
  await submit("judge_valid");
  await expect(page.locator(".complaint-title")).toContainText("投诉成立");
  await submit("assign", async () => {
    const form = page.locator('form[data-step="assign"]');
    await form.getByLabel("责任部门").selectOption({ label: "维修部" });
    await form.getByLabel("处理人").selectOption({ label: "维修 张师傅" });
  });
  await expect(page.locator(".complaint-title")).toContainText("已分派");
  await submit("start_investigation");
  await expect(page.locator(".complaint-title")).toContainText("调查处理中");
  await submit("propose_solution", async () => {
    await page.locator('form[data-step="propose_solution"]').getByLabel("处理方案").fill("更换破裂的排水管");
  });
  await expect(page.locator(".complaint-title")).toContainText("方案已提出");
  await submit("resolve", async () => {
    await page.locator('form[data-step="resolve"]').getByLabel("处理结果").fill("排水管已更换,试水正常");
  });
  await expect(page.locator(".complaint-title")).toContainText("已解决");
}

test("an owner answers the revisit on the tracking page; not satisfied reopens it on both sides", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await page.goto("/complaints/new");
  await hydrated(page);
  await fillComplaint(page, { description: `厨房下水管漏水,橱柜泡坏了 ${Date.now()}`, category: "repair_service" });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\//);
  const ownerUrl = page.url().replace("?new=1", "");

  const staffContext = await browser.newContext({ locale: "zh-CN" });
  const staff = await staffContext.newPage();
  const code = ownerUrl.split("/track/")[1];
  await logIn(staff, "supervisor");
  await staff.goto(`/staff?q=${code}`);
  await staff.locator("table.queue tbody tr").first().getByRole("link").click();
  await expect(staff.locator(".complaint-title")).toBeVisible();
  const complaintUrl = staff.url();
  await resolveAsSupervisor(staff, complaintUrl);

  // The survey link the owner got by SMS opens a page of its own, with no login.
  if (gateway) {
    let link: string | undefined;
    await expect
      .poll(
        async () => {
          const sent: { text: string }[] = await (await page.request.get(`${gateway}/messages`)).json();
          link = sent
            .map((m) => m.text)
            .find((text) => text.replace(/-/g, "").includes(code) && text.includes("/survey/"))
            ?.match(/https?:\/\/\S+\/survey\/[A-Za-z0-9_-]+/)?.[0];
          return link;
        },
        { timeout: 30_000 },
      )
      .toBeTruthy();
    const byLink = await page.context().newPage();
    await byLink.goto(new URL(link!).pathname);
    await hydrated(byLink);
    await expect(byLink.getByTestId("survey-form")).toBeVisible();
    expect(await axeViolations(byLink), "the survey page by its link").toEqual([]);
    await snap(byLink, "survey-by-link");
    await byLink.close();
  }

  await page.goto(ownerUrl);
  await hydrated(page);
  const survey = page.getByTestId("survey-form");
  await expect(survey).toBeVisible();
  await snap(page, "survey-in-app");
  for (const [question, answer] of [
    ["处理过程", "基本满意"],
    ["处理速度", "满意"],
    ["工作人员的态度", "满意"],
    ["处理结果", "不满意"],
  ]) {
    await survey.getByRole("group", { name: new RegExp(question) }).getByLabel(answer, { exact: true }).check();
  }
  await survey.getByRole("group", { name: /总体评分/ }).getByLabel("2", { exact: true }).check();
  await survey.getByLabel("还有什么想告诉我们的").fill("管子换了,可是柜子里还是有水");
  await survey.getByRole("button", { name: "提交评价" }).click();
  await expect(page.getByTestId("status")).toContainText("已重新处理");
  await expect(page.getByTestId("survey-form")).toHaveCount(0);
  // The timeline says what the survey came to, as a sentence.
  await expect(page.locator(".timeline")).toContainText("回访后业主仍不满意，投诉重新处理");
  await snap(page, "survey-reopened-owner");

  await staff.goto(complaintUrl);
  await expect(staff.locator(".complaint-title")).toContainText("已重新处理");
  await expect(staff.locator(".timeline")).toContainText("柜子里还是有水");
  await staffContext.close();
});
