import { expect, test } from "./helpers";
import { fillComplaint, hydrated, snap } from "./helpers";

test("an owner files a complaint, fixes a wrong phone number, and lands on the tracking page", async ({ page }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  // The impact is asked in the open, under its own name, and left unanswered until answered.
  const impact = page.getByLabel("影响程度");
  await expect(impact).toBeVisible();
  await expect(impact).toHaveValue("");
  await fillComplaint(page, { phone: "12345" });
  await page.getByRole("button", { name: "提交投诉" }).click();

  await expect(page.locator("#phone-error")).toContainText("电话格式不正确");
  await expect(page.getByRole("alert")).toContainText("请修改标红的内容");
  await expect(page.getByLabel("问题描述")).toHaveValue(/卫生间天花板漏水/);
  await snap(page, "owner-validation-error");

  await page.getByLabel("手机号或固话").fill("13812345678");
  await page.getByRole("button", { name: "提交投诉" }).click();

  await expect(page).toHaveURL(/\/track\/[2-9A-Z]{12}\?new=1$/);
  await expect(page.getByRole("heading", { name: "投诉已受理" })).toBeVisible();
  const code = await page.getByTestId("tracking-code").innerText();
  expect(code.replace(/-/g, "")).toMatch(/^[2-9A-HJKMNP-TV-Z]{12}$/);
  await expect(page.getByTestId("status")).toContainText("已受理");
  await expect(page.locator(".timeline")).toContainText("投诉已提交并受理");
  await snap(page, "owner-receipt");
});

test("another visitor opens a complaint only with its code and the right phone", async ({ page, browser }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  await fillComplaint(page, { phone: "13900001234" });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\//);
  const code = (await page.getByTestId("tracking-code").innerText()).replace(/-/g, "");

  const other = await browser.newContext({ locale: "zh-CN" });
  const visitor = await other.newPage();
  await visitor.goto(`/track/${code}`);
  await expect(visitor.getByRole("heading", { name: "查询投诉进度" })).toBeVisible();
  await hydrated(visitor);
  await visitor.getByLabel("手机号或固话").fill("13900009999");
  await visitor.getByRole("button", { name: "查询" }).click();
  await expect(visitor.getByRole("alert")).toContainText("不匹配");

  await visitor.getByLabel("手机号或固话").fill("139 0000 1234");
  await visitor.getByRole("button", { name: "查询" }).click();
  await expect(visitor.getByTestId("status")).toContainText("已受理");
  await snap(visitor, "owner-tracking");
  await other.close();
});
