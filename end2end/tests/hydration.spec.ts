import { expect, test } from "./helpers";
import { fillComplaint, hydrated } from "./helpers";

test("typing a description updates the count and the category hint in the browser", async ({ page }) => {
  const serverCalls: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/")) serverCalls.push(r.url());
  });
  await page.goto("/complaints/new");
  await hydrated(page);
  await expect(page.getByTestId("char-count")).toHaveText(/^0 \/ 2000/);
  await expect(page.getByTestId("hint")).toContainText("继续描述");

  const before = serverCalls.length;
  await page.getByLabel("问题描述").pressSequentially("卫生间天花板漏水了", { delay: 20 });
  await expect(page.getByTestId("char-count")).toHaveText(/^9 \/ 2000/);
  await expect(page.getByTestId("hint")).toContainText("工程质量");
  expect(serverCalls.length, "hints are computed in the browser, not by the server").toBe(before);

  // A confident hint pre-selects the category, and says so.
  await expect(page.getByLabel("投诉类别")).toHaveValue("engineering_quality");
  await expect(page.getByTestId("category-preselected")).toBeVisible();
  await expect(page.getByTestId("hint").locator("button.chip").first()).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("hint").locator("button.chip").first()).toHaveText("已选择");
  // The owner chooses another; the hint's button takes its guess back in one tap.
  await page.getByLabel("投诉类别").selectOption("repair_service");
  await expect(page.getByTestId("category-preselected")).toBeHidden();
  await page.getByRole("button", { name: "使用此类别" }).click();
  await expect(page.getByLabel("投诉类别")).toHaveValue("engineering_quality");
  await expect(page.getByTestId("hint").locator("button.chip").first()).toHaveText("已选择");
  // The owner's own choice stands: typing on does not change it.
  await page.getByLabel("投诉类别").selectOption("repair_service");
  await page.getByLabel("问题描述").pressSequentially(",楼下也在渗水", { delay: 20 });
  await expect(page.getByLabel("投诉类别")).toHaveValue("repair_service");
});

test("the form lists only the chosen community's buildings and cannot be sent twice", async ({ page }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  const groups = page.locator("#building_id optgroup");
  expect(await groups.count(), "every community's buildings until one is chosen").toBeGreaterThan(1);
  await page.getByLabel("小区").selectOption({ label: "翠湖花园" });
  await expect(groups).toHaveCount(1);
  await expect(groups.first()).toHaveAttribute("label", "翠湖花园");
  await page.getByLabel("楼栋").selectOption({ label: "3栋" });
  await page.getByLabel("小区").selectOption({ label: "锦绣江南" });
  await expect(groups.first()).toHaveAttribute("label", "锦绣江南");
  await expect(page.getByLabel("楼栋"), "a building of another community is not kept").toHaveValue("");

  // A slow network: the button says the post is on its way and cannot send it again.
  let posts = 0;
  await page.route("**/api/file_complaint", async (route) => {
    posts += 1;
    await new Promise((done) => setTimeout(done, 1500));
    await route.continue();
  });
  await fillComplaint(page, { description: `电梯按钮失灵 ${Date.now()}`, category: "property_management" });
  // Looked at from inside the page: Playwright's own waits would wait for the next page.
  const sending = await page.evaluate(async () => {
    const button = document.querySelector<HTMLButtonElement>('#file-form button[type="submit"]')!;
    button.click();
    await new Promise((done) => setTimeout(done, 200));
    const seen = { disabled: button.disabled, text: button.textContent?.trim() };
    button.click(); // a second tap
    return seen;
  });
  expect(sending).toEqual({ disabled: true, text: "正在提交…" });
  await expect(page).toHaveURL(/\/track\//);
  expect(posts).toBe(1);
});
