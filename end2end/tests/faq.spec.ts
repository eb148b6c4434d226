import { expect, test } from "./helpers";
import { hydrated, logIn, snap } from "./helpers";

const LEAKS = [
  "ceiling-leak-from-upstairs",
  "bathroom-waterproofing-leak-after-decoration",
  "burst-pipe-flooding",
  "window-and-exterior-wall-seepage",
];
const LIFTS = ["lift-entrapment", "lift-fault-and-annual-inspection"];

test("an owner finds answers with two-character searches and says the article helped", async ({ page }) => {
  await page.goto("/faq");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "常见问题", level: 1 })).toBeVisible();
  await expect(page.locator(".topic-tile")).toHaveCount(10);
  await snap(page, "faq-home-phone");

  await page.getByLabel("搜索问题").fill("漏水");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page).toHaveURL(/\/faq\/search\?q=/);
  const hits = page.locator(".search-hit");
  await expect(hits.first()).toBeVisible();
  for (let i = 0; i < 3; i++) {
    expect(LEAKS).toContain(await hits.nth(i).getAttribute("data-slug"));
  }
  await expect(hits.first().locator("mark").first()).toHaveText(/漏水|漏|水/);
  await snap(page, "faq-search-leak-phone");

  await page.getByLabel("搜索问题").fill("电梯");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page).toHaveURL(/q=%E7%94%B5%E6%A2%AF|q=电梯/);
  expect(new URL(page.url()).search, "the query alone in the address").toMatch(/^\?q=[^&]*$/);
  await expect(hits.first()).toHaveAttribute("data-slug", new RegExp(LIFTS.join("|")));
  expect(LIFTS).toContain(await hits.nth(1).getAttribute("data-slug"));

  await hits.first().locator("a.hit-title").click();
  await expect(page).toHaveURL(/\/faq\/lift-/);
  await expect(page.locator(".faq-article h1")).toContainText("电梯");
  await expect(page.locator(".breadcrumbs")).toContainText("常见问题");
  await page.getByRole("button", { name: "有帮助" }).click();
  await expect(page.getByTestId("vote-thanks")).toContainText("谢谢您的反馈");
  await expect(page).toHaveURL(/voted=yes/);
  await expect(page.getByRole("button", { name: "有帮助" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("button", { name: "没帮助" })).toHaveAttribute("aria-pressed", "false");
  // No list of internal keywords under the article.
  await expect(page.locator(".faq-article .tags")).toHaveCount(0);
  // The suggestion box has its own send button, and the answer stays as given.
  await page.getByLabel("还有什么建议").fill("能配一张按钮位置的图吗？");
  await page.getByTestId("send-comment").click();
  await expect(page.getByTestId("vote-thanks")).toContainText("已收到您的建议");
  await expect(page).toHaveURL(/voted=yes&noted=1/);
  await expect(page.getByRole("button", { name: "有帮助" })).toHaveAttribute("aria-pressed", "true");
  await snap(page, "faq-article-voted-phone");

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/faq");
  await snap(page, "faq-home-desktop");
  await page.goto("/faq/ceiling-leak-from-upstairs");
  await snap(page, "faq-article-desktop");
});

test("an agent writes and publishes an article, and owners find it by search right away", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const word = `快递柜${Date.now() % 100000}`;
  await logIn(page, "agent");
  await page.goto("/staff/faq");
  await hydrated(page);
  await expect(page.locator("table.faq-table tbody tr").first()).toBeVisible();
  await page.getByRole("link", { name: "新建文章" }).click();
  await expect(page).toHaveURL(/\/staff\/faq\/new$/);
  await hydrated(page);
  await page.getByLabel("标题").fill(`${word}在哪里取件?`);
  await page.getByLabel("分类").selectOption("repair");
  await page.getByLabel("关键词").fill(`${word}, 快递, 取件`);
  await page.getByLabel("摘要").fill("智能快递柜的位置、取件码和超时费用。");
  await page.getByLabel("正文").fill(`## 位置\n\n${word}在南门岗亭旁,**24小时**可取件。\n\n- 取件码见短信\n- 超过48小时收费`);
  await page.getByRole("button", { name: "预览" }).click();
  await expect(page.getByTestId("faq-preview").locator("strong")).toHaveText("24小时");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/\/staff\/faq\/\d+$/);
  await expect(page.locator(".badge.article-draft").first()).toBeVisible();
  await hydrated(page);
  await page.getByTestId("faq-publish").getByRole("button", { name: "发布" }).click();
  await expect(page.locator(".badge.article-published").first()).toBeVisible();
  await snap(page, "faq-editor-published");

  const owner = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await owner.goto(`/faq/search?q=${encodeURIComponent(word)}`);
  const hit = owner.locator(".search-hit").first();
  await expect(hit).toContainText(word);
  await expect(hit.locator("mark").first()).toBeVisible();
  await hit.locator("a.hit-title").click();
  await expect(owner.locator(".faq-article strong")).toHaveText("24小时");
  await owner.close();

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/staff/faq");
  await expect(page.locator("table.faq-table")).toContainText(word);
  await snap(page, "faq-staff-list-desktop");
});

test("the complaint form suggests articles; reading one is a pending deflection for staff", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await page.goto("/complaints/new");
  await hydrated(page);
  await page.getByLabel("问题描述").fill("楼上卫生间漏水,渗到我家天花板,墙面发霉");
  const suggestions = page.getByTestId("faq-suggestions");
  await expect(suggestions.getByRole("link").first()).toBeVisible();
  await snap(page, "faq-suggestions-on-form");
  const link = suggestions.getByRole("link").first();
  expect(await link.getAttribute("href")).toMatch(/^\/faq\/\d+\?from=complaint$/);
  const title = (await link.textContent()) ?? "";
  const [article] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
  await expect(article.locator(".faq-article h1")).toHaveText(title);
  await expect(article.locator(".from-complaint")).toBeVisible();
  await expect(page.getByLabel("问题描述")).toHaveValue(/楼上卫生间漏水/);

  const staff = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await logIn(staff, "agent");
  // Reads are counted in memory and written every few seconds: the list shows the open
  // once it is written. The row of the article read (the search may list others that share
  // its first words).
  await expect(async () => {
    await staff.goto(`/staff/faq?q=${encodeURIComponent(title.slice(0, 6))}`);
    await expect(staff.locator("table.faq-table tbody tr", { hasText: title }).first()).toContainText(/待定 \d+/, { timeout: 1_000 });
  }).toPass({ timeout: 30_000, intervals: [1_000, 2_000] });
  await staff.close();
});

test("a form error carried in the address goes once the owner posts again from the page", async ({ page, browser }) => {
  // Without JavaScript a refused post comes back with the error in the address.
  const plain = await (await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" })).newPage();
  await plain.goto("/faq/lost-keys-and-access-cards");
  await plain.getByLabel("还有什么建议").fill("取件码收不到");
  await plain.getByTestId("send-comment").click();
  await expect(plain.locator("#feedback-helpful-error")).toContainText("请选择");
  await expect(plain.getByLabel("还有什么建议")).toHaveValue("取件码收不到");
  const refused = plain.url();
  expect(refused).toContain("__err=");
  await plain.context().close();

  // The article is a plain page for everybody (no app): the same address shows the error;
  // the next refused post carries only its own error and what was typed; a post that
  // succeeds leaves the address clean.
  await page.goto(refused);
  await hydrated(page);
  await expect(page.locator("#feedback-helpful-error")).toContainText("请选择");
  await page.getByLabel("还有什么建议").fill("取件码收不到，请看看");
  await page.getByTestId("send-comment").click();
  await expect(page.getByLabel("还有什么建议")).toHaveValue("取件码收不到，请看看");
  await expect(page.locator("#feedback-helpful-error")).toContainText("请选择");
  expect(page.url().match(/__err=/g) ?? []).toHaveLength(1);
  await page.getByRole("button", { name: "没帮助" }).click();
  await expect(page.getByTestId("vote-thanks")).toContainText("已收到您的建议");
  await expect(page).not.toHaveURL(/__err=|__path=/);
});
