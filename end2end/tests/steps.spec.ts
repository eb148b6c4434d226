import { axeViolations, expect, hydrated, PNG, snap, test } from "./helpers";

// On a phone the owner's form comes one step at a time: what happened → where → details and
// photos → contact → check and send, with its progress, each step checked before the next,
// and everything shown again before sending.
test.use({ formLayout: "steps" });

test("an owner on a phone files in short steps, checks everything on the review step and sends with a photo", async ({ page }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  const progress = page.getByTestId("step-progress");
  await expect(progress).toBeVisible();
  await expect(page.locator("#step-count")).toHaveText("第 1 步，共 5 步：发生了什么");
  // Only the first step shows; the send button waits for the review.
  await expect(page.getByLabel("单元/房号")).toBeHidden();
  await expect(page.getByRole("button", { name: "提交投诉" })).toBeHidden();
  expect(await axeViolations(page), "first step").toEqual([]);

  // Nothing typed: the step says what is missing and stays.
  await page.getByRole("button", { name: "下一步" }).click();
  await expect(page.locator("#description-error")).not.toBeEmpty();
  await expect(page.locator("#step-count")).toContainText("第 1 步");

  await page.locator("label.topic", { hasText: "家里需要维修" }).click();
  await page.getByLabel("问题描述").fill("厨房下水管接口漏水，地上一直有水，橱柜底板已经泡坏了。");
  // The topic and the hint chose the category; the review shows it in words.
  await expect(page.getByLabel("投诉类别")).not.toHaveValue("");
  const category = await page.getByLabel("投诉类别").locator("option:checked").innerText();
  await snap(page, "steps-1-what");
  await page.getByRole("button", { name: "下一步" }).click();
  await expect(page.locator("#step-count")).toHaveText("第 2 步，共 5 步：在哪里");
  await page.getByLabel("小区").selectOption({ label: "翠湖花园" });
  await page.getByLabel("单元/房号").fill("2单元801");
  await page.getByRole("button", { name: "下一步" }).click();

  await expect(page.locator("#step-count")).toContainText("第 3 步");
  await page.getByTestId("question-where_home").locator("label", { hasText: "厨房" }).click();
  await page.getByLabel("照片或视频（可选）").setInputFiles({ name: "下水管.png", mimeType: "image/png", buffer: PNG });
  await page.getByRole("button", { name: "下一步" }).click();

  await expect(page.locator("#step-count")).toContainText("第 4 步");
  await page.getByLabel("您的称呼").fill("钱先生");
  // A wrong phone is caught on its own step.
  await page.getByLabel("手机号或固话").fill("123");
  await page.getByRole("button", { name: "下一步" }).click();
  await expect(page.locator("#phone-error")).toContainText("电话格式不正确");
  await page.getByLabel("手机号或固话").fill("13700002222");
  await page.getByRole("button", { name: "下一步" }).click();

  // The review: every step's answers, each with a way back.
  const review = page.getByTestId("step-review");
  await expect(review).toBeVisible();
  await expect(page.locator("#step-count")).toHaveText("第 5 步，共 5 步：核对提交");
  await expect(review).toContainText("家里需要维修");
  await expect(review).toContainText("厨房下水管接口漏水");
  await expect(review).toContainText(category);
  await expect(review).toContainText("问题描述厨房");
  await expect(review).toContainText("翠湖花园");
  await expect(review).toContainText("2单元801");
  await expect(review).toContainText("厨房");
  await expect(review).toContainText("1 个照片或视频");
  await expect(review).toContainText("钱先生");
  await expect(review).toContainText("13700002222");
  await snap(page, "steps-5-review");
  expect(await axeViolations(page), "review step").toEqual([]);

  // Going back to change a step, and forward again, keeps everything.
  await review.getByRole("button", { name: "修改：在哪里" }).click();
  await expect(page.getByLabel("单元/房号")).toHaveValue("2单元801");
  await page.getByLabel("单元/房号").fill("2单元802");
  for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "下一步" }).click();
  await expect(review).toContainText("2单元802");

  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\/[2-9A-Z]{12}\?new=1&evidence_added=1/);
  await expect(page.getByTestId("evidence").locator("img")).toHaveCount(1);
});

test("the owner can switch to one page, and the choice is kept on the device", async ({ page }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  await expect(page.getByTestId("step-progress")).toBeVisible();
  await page.getByRole("button", { name: "在一页中显示全部" }).click();
  await expect(page.getByTestId("step-progress")).toBeHidden();
  await expect(page.getByLabel("单元/房号")).toBeVisible();
  await expect(page.getByRole("button", { name: "提交投诉" })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("step-progress")).toBeHidden();
  await page.getByRole("button", { name: "分步填写" }).click();
  await expect(page.getByTestId("step-progress")).toBeVisible();
  await expect(page.getByLabel("单元/房号")).toBeHidden();
});
