import { expect, test } from "./helpers";
import { fillComplaint, snap } from "./helpers";

// The same owner journey with JavaScript off: forms post to the server, errors come
// back into the page, and nothing typed is lost.
test("without JavaScript an owner still files, sees a field error, recovers and tracks", async ({ page }) => {
  await page.goto("/complaints/new");
  await fillComplaint(page, { phone: "123" });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page.locator("#phone-error")).toContainText("电话格式不正确");
  await expect(page.getByLabel("问题描述")).toHaveValue(/卫生间天花板漏水/);
  await expect(page.getByLabel("您的称呼")).toHaveValue("王先生");
  await snap(page, "nojs-validation-error");

  await page.getByLabel("手机号或固话").fill("13812345678");
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\/[2-9A-Z]{12}\?new=1$/);
  await expect(page.getByTestId("tracking-code")).toBeVisible();
  await snap(page, "nojs-receipt");
});
