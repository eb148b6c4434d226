import { expect, hydrated, logIn, snap, test } from "./helpers";

// 管理 → 房产资料: the administrator imports the company's spreadsheet in the browser; a
// file with bad rows imports nothing and lists every one; owners then choose from it.

const ESTATE = [
  "小区,楼栋,单元,房号,业主姓名,手机号",
  "浏览器花园,1栋,1单元,101,张三,13911110001",
  "浏览器花园,1栋,1单元,102,李四,13911110002",
  "浏览器花园,2栋,,201,王五,13911110003",
].join("\n");

test("an administrator imports the estate file and sees every bad row of a bad one", async ({ page }) => {
  await logIn(page, "admin");
  await page.goto("/staff/admin/estate");
  await hydrated(page);

  const bad = ESTATE.replace("13911110002", "1391111").replace(",201,", ",,");
  await page.getByLabel("选择文件").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "导入", exact: true }).click();
  const rejected = page.getByTestId("estate-rejected");
  await expect(rejected).toContainText("共2处错误");
  await expect(rejected).toContainText("第3行「手机号」");
  await expect(rejected).toContainText("第4行「房号」：不能为空");
  await snap(page, "estate-rejected");
  await expect(page.getByText("浏览器花园")).toHaveCount(0);

  await page.getByLabel("选择文件").setInputFiles({ name: "estate.csv", mimeType: "text/csv", buffer: Buffer.from(ESTATE) });
  await page.getByRole("button", { name: "导入", exact: true }).click();
  await expect(page.getByTestId("estate-imported")).toContainText("新增3户");
  await expect(page.getByRole("heading", { name: "浏览器花园" })).toBeVisible();
  await page.getByRole("link", { name: "查看房号" }).first().click();
  await expect(page.getByRole("cell", { name: "13911110002" })).toBeVisible();
  await snap(page, "estate-imported");

  // The owner's form offers the chosen building's units; another unit can still be typed.
  await page.goto("/complaints/new");
  await hydrated(page);
  await page.getByLabel("小区").selectOption({ label: "浏览器花园" });
  await page.getByLabel("楼栋").selectOption({ label: "1栋" });
  await expect(page.locator("#unit-options option")).toHaveCount(2);
  await expect(page.locator("#unit-options option").first()).toHaveAttribute("value", "1单元101");
  await page.getByLabel("楼栋").selectOption({ label: "2栋" });
  await expect(page.locator("#unit-options option")).toHaveCount(1);
  await expect(page.locator("#unit-options option").first()).toHaveAttribute("value", "201");
});
