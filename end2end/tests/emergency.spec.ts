import { expect, test } from "./helpers";
import { hydrated, logIn, snap } from "./helpers";

const JSON_ONLY = { Accept: "application/json" };

test("an administrator sets the hotline; an owner describing a trapped lift is told to call it first and files an emergency in one tap", async ({
  page,
  browser,
}) => {
  // The administrator sets 翠湖花园's hotline on the estate page (typed with full-width digits).
  const admin = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await logIn(admin, "admin");
  await admin.goto("/staff/admin/estate");
  await hydrated(admin);
  const community = admin.getByTestId("estate-community").filter({ hasText: "翠湖花园" });
  const input = community.getByTestId("hotline-input");
  await input.fill("见小区公告栏");
  await community.getByRole("button", { name: "保存热线" }).click();
  await expect(community.locator(".field-error")).toContainText("请填写电话号码");
  await expect(input).toHaveValue("见小区公告栏");
  await input.fill("４００－８２０－１２３４");
  await community.getByRole("button", { name: "保存热线" }).click();
  await expect(input).toHaveValue("400-820-1234");
  await expect(community.locator(".field-error")).toBeEmpty();
  await admin.context().close();

  // The owner, on a phone: the hotline is the first thing on the form.
  await page.goto("/complaints/new");
  await hydrated(page);
  const box = page.getByTestId("emergency-call");
  await expect(box.getByTestId("hotline-link")).toHaveAttribute("href", "tel:4008201234");
  await expect(page.getByTestId("footer-hotline")).toContainText("400-820-1234");
  await expect(page.getByTestId("danger-now")).toBeHidden();

  // The FAQ's "见小区公告栏" gives way to the number.
  await page.goto("/faq/what-counts-as-emergency");
  const body = page.locator(".article-body");
  await expect(body.locator('a[href="tel:4008201234"]').first()).toHaveText("400-820-1234");
  await expect(body).not.toContainText("见小区公告栏");
  await page.goto("/complaints/new");
  await hydrated(page);

  // Something that is no danger now shows no call prompt.
  await page.getByLabel("问题描述").fill("上周电梯困过人，希望加强维保");
  await expect(page.getByTestId("danger-now")).toBeHidden();

  await page.getByLabel("问题描述").fill("3栋的电梯困人了，里面有两位老人，快来人");
  const now = page.getByTestId("danger-now");
  await expect(now).toBeVisible();
  await expect(now).toContainText("看起来正在发生危险：电梯困人");
  await expect(now).toContainText("警铃");
  const call = page.getByTestId("danger-call");
  await expect(call).toHaveAttribute("href", "tel:4008201234");
  await expect(call).toHaveText("请立即拨打 400-820-1234");
  await snap(page, "emergency-call");

  // One tap files it as an emergency (the contact fields as usual).
  await page.getByLabel("小区").selectOption({ label: "翠湖花园" });
  await page.getByLabel("单元/房号").fill("3栋电梯");
  await page.getByLabel("您的称呼").fill("周女士");
  await page.getByLabel("手机号或固话").fill("13812340000");
  await page.getByLabel("投诉类别").selectOption("property_management");
  await page.getByTestId("danger-file").click();
  await expect(page).toHaveURL(/\/track\/[2-9A-Z]{12}\?new=1$/);
  const code = new URL(page.url()).pathname.split("/").pop() ?? "";
  const response = await page.request.post("/api/tracked_complaint", { form: { code }, headers: JSON_ONLY });
  expect(response.status()).toBe(200);
  expect((await response.json()).emergency).toBe(true);
});

test("a tap on a danger works without typing, and an empty description gets its first line", async ({ page }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  await page.getByRole("button", { name: "燃气泄漏" }).click();
  await expect(page.getByRole("button", { name: "燃气泄漏" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByLabel("问题描述")).toHaveValue("紧急情况：燃气泄漏，请尽快派人到场处理。");
  await expect(page.getByTestId("danger-now")).toContainText("关闭燃气阀门");
  // Tapped again: taken back (the text itself still says gas).
  await page.getByRole("button", { name: "燃气泄漏" }).click();
  await expect(page.getByRole("button", { name: "燃气泄漏" })).toHaveAttribute("aria-pressed", "false");
});
