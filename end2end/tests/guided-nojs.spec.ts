import { expect, snap, test } from "./helpers";

// The guided form without JavaScript: the topic and a "yes" show their questions by the
// stylesheet alone, and the server takes the category from the topic.
test("without JavaScript the topic chooses the category and its questions are answered", async ({ page }) => {
  await page.goto("/complaints/new");
  await expect(page.getByTestId("questions")).toBeHidden();
  await page.locator("label.topic", { hasText: "物业服务与收费" }).click();
  await expect(page.getByTestId("question-fee_related")).toBeVisible();
  await page.getByTestId("question-fee_related").locator("label", { hasText: "是" }).click();
  await page.getByLabel("哪一期的账单？").fill("2026年第四季度");
  await page.getByLabel("具体在哪个位置？").fill("物业服务中心");
  await page.getByLabel("问题描述").fill("第四季度物业费账单多收了电梯费，去服务中心问没人解释。");
  await page.getByLabel("小区").selectOption({ label: "翠湖花园" });
  await page.getByLabel("您的称呼").fill("孙先生");
  // A wrong phone first: the post comes back with the topic and answers kept.
  await page.getByLabel("手机号或固话").fill("123");
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page.locator("#phone-error")).toContainText("电话格式不正确");
  await expect(page.locator("label.topic", { hasText: "物业服务与收费" }).locator("input")).toBeChecked();
  await expect(page.getByLabel("哪一期的账单？")).toHaveValue("2026年第四季度");
  await snap(page, "guided-nojs-error");

  await page.getByLabel("手机号或固话").fill("13700002222");
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\/[2-9A-Z]{12}\?new=1$/);
  await expect(page.getByTestId("tracking-code")).toBeVisible();
});
