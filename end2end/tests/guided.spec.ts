import { expect, hydrated, PNG, snap, staffPage, test, type Page } from "./helpers";

/** The rest of the form that is not guided: where, and who. */
async function fillWhereAndWho(page: Page, phone: string) {
  await page.getByLabel("小区").selectOption({ label: "翠湖花园" });
  await page.getByLabel("单元/房号").fill("5单元302");
  await page.getByLabel("您的称呼").fill("赵女士");
  await page.getByLabel("手机号或固话").fill(phone);
}

/** Opens the staff page of the complaint with this tracking code. */
async function openAsAgent(browser: import("@playwright/test").Browser, code: string) {
  const agent = await staffPage(browser, "agent");
  await agent.goto(`/staff?q=${code}`);
  await agent.locator("table.queue tbody tr").first().getByRole("link").click();
  await expect(agent).toHaveURL(/\/staff\/complaints\/\d+/);
  return agent;
}

test("an owner starts from their own words, answers the category's questions and attaches a photo while filing; staff see it all", async ({ page, browser }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  // Nothing chosen yet: no questions.
  await expect(page.getByTestId("questions")).toBeHidden();

  await page.locator("label.topic", { hasText: "家里需要维修" }).click();
  await expect(page.getByLabel("投诉类别")).toHaveValue("repair_service");
  await expect(page.getByTestId("category-preselected")).toBeVisible();
  await expect(page.getByTestId("question-where_home")).toBeVisible();
  await expect(page.getByTestId("question-promised")).toBeHidden();
  // The owner confirms it: their choice stands whatever is typed next.
  await page.getByLabel("投诉类别").selectOption("repair_service");
  await expect(page.getByTestId("category-preselected")).toBeHidden();

  await page.getByLabel("问题描述").fill("卫生间水龙头坏了，一直滴水关不紧，墙面也有渗水，上周报修过还没有人来修。");
  await page.getByTestId("question-where_home").locator("label", { hasText: "卫生间" }).click();
  await page.getByLabel("从什么时候开始的？").fill("上周三");
  const reported = page.getByTestId("question-reported_before");
  // A follow-up is asked only after a "yes".
  await expect(page.getByLabel("什么时候、向谁反映的？有单号请写上")).toBeHidden();
  await reported.locator("label", { hasText: "是" }).click();
  await page.getByLabel("什么时候、向谁反映的？有单号请写上").fill("11月30日打客服电话，单号 BX1130");
  await expect(page.getByLabel("投诉类别")).toHaveValue("repair_service");
  // A wrong phone first: the problem is shown beside it, and the photo stays chosen.
  await fillWhereAndWho(page, "123");
  await page.getByLabel("照片或视频（可选）").setInputFiles({ name: "水龙头.png", mimeType: "image/png", buffer: PNG });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page.locator("#phone-error")).toContainText("电话格式不正确");
  await expect(page).toHaveURL(/\/complaints\/new/);
  expect(await page.locator("#files").evaluate((input) => (input as HTMLInputElement).files?.length)).toBe(1);
  await page.getByLabel("手机号或固话").fill("13700001111");
  await snap(page, "guided-form");
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\/[2-9A-Z]{12}\?new=1&evidence_added=1/);
  const code = (await page.getByTestId("tracking-code").innerText()).replace(/-/g, "");
  await expect(page.getByTestId("evidence").locator("img")).toHaveCount(1);
  await expect(page.locator(".timeline img.timeline-thumb")).toHaveAttribute("alt", "水龙头.png");
  await snap(page, "guided-receipt-with-photo");

  const agent = await openAsAgent(browser, code);
  const answers = agent.getByTestId("guided-answers");
  await expect(answers).toContainText("家里需要维修");
  await expect(answers).toContainText("卫生间");
  await expect(answers).toContainText("上周三");
  await expect(answers).toContainText("BX1130");
  await snap(agent, "guided-answers-staff");
});

test("a confident hint pre-selects the category until the owner chooses one", async ({ page }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  await expect(page.locator("#hint")).toHaveAttribute("data-model-loaded", /\d+/);
  await page.getByLabel("问题描述").fill("物业费今年涨了一倍，没有开业主大会也没有公示，收费不合理。");
  await expect(page.getByLabel("投诉类别")).toHaveValue("property_management");
  await expect(page.getByTestId("category-preselected")).toBeVisible();
  // Questions of that category appear with it.
  await expect(page.getByTestId("question-fee_related")).toBeVisible();
});

test("what the owner typed is kept on the device: a reload brings it back, and it can be cleared", async ({ page }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  await page.locator("label.topic", { hasText: "停车" }).click();
  await page.getByLabel("问题描述").fill("地下车库B2层我的车位经常被外来车辆占用，保安不管。");
  await page.getByLabel("您的称呼").fill("钱先生");
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("draft-restored")).toBeVisible();
  await expect(page.getByLabel("问题描述")).toHaveValue(/B2层我的车位/);
  await expect(page.getByLabel("您的称呼")).toHaveValue("钱先生");
  await expect(page.locator("label.topic", { hasText: "停车" }).locator("input")).toBeChecked();
  await snap(page, "guided-draft-restored");

  await page.getByRole("button", { name: "清空重填" }).click();
  await expect(page.getByTestId("draft-restored")).toBeHidden();
  await expect(page.getByLabel("问题描述")).toHaveValue("");
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("draft-restored")).toBeHidden();
  await expect(page.getByLabel("问题描述")).toHaveValue("");
});
