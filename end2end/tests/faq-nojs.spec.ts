import { expect, test } from "./helpers";
import { snap } from "./helpers";

// The FAQ with JavaScript off: articles are server-rendered, search is a GET form, and the
// "was this helpful?" answer is a form post that comes back to the article.
test("without JavaScript an owner reads an article, votes, and searches", async ({ page }) => {
  await page.goto("/faq/burst-pipe-flooding");
  await expect(page.locator(".faq-article h1")).toBeVisible();
  await expect(page.locator(".article-body h2").first()).toBeVisible();
  await expect(page.locator(".breadcrumbs")).toContainText("紧急情况");
  await expect(page.locator("section[aria-labelledby=faq-related] li").first()).toBeVisible();
  await page.getByLabel("还有什么建议").fill("总阀的位置能配张图吗?");
  await page.getByRole("button", { name: "没帮助" }).click();
  await expect(page).toHaveURL(/voted=no/);
  await expect(page.getByTestId("vote-thanks")).toContainText("已收到您的建议");
  await snap(page, "nojs-faq-article");

  await page.goto("/faq");
  await page.getByLabel("搜索问题").fill("物业费");
  await page.getByLabel("搜索问题").press("Enter");
  await expect(page).toHaveURL(/\/faq\/search\?q=/);
  await expect(page.locator(".search-hit").first()).toContainText("物业费");
  await snap(page, "nojs-faq-search");
});
