import { expect, PNG, test } from "./helpers";
import { fillComplaint, hydrated, snap } from "./helpers";

// A real 1×1 PNG: the gallery shows it as an image.
test("the hint previews the level from what the owner writes and the facts they give", async ({ page }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  await page.getByLabel("问题描述").fill("楼上卫生间漏水到我家天花板,已经一个星期了");
  await expect(page.getByTestId("hint")).toContainText("工程质量");
  await expect(page.getByTestId("hint")).not.toContainText("一级");
  await page.getByLabel("问题描述").fill("楼上卫生间漏水到我家天花板,已经一个星期了,我们已经联系了电视台记者");
  await expect(page.getByTestId("hint-level")).toContainText("一级");
  await expect(page.getByTestId("hint-level")).toContainText("媒体");
  await snap(page, "hint-level");
});

test("an owner adds a photo and a message, registers with the complaint's code and sees it under 我的投诉", async ({ page }) => {
  const phone = `137${Date.now().toString().slice(-8)}`;
  await page.goto("/complaints/new");
  await hydrated(page);
  await fillComplaint(page, { phone });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\/[2-9A-Z]{12}\?new=1$/);
  const code = (await page.getByTestId("tracking-code").innerText()).replace(/-/g, "");

  // Evidence: a plain multipart form, back on the tracking page with the outcome.
  await page.getByLabel("选择照片或视频").setInputFiles({ name: "天花板.png", mimeType: "image/png", buffer: PNG });
  await page.getByRole("button", { name: "上传" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已上传1个文件" })).toBeVisible();
  await expect(page.getByTestId("evidence").locator("img")).toHaveCount(1);
  await expect(page.locator(".timeline")).toContainText("补充了照片");
  // The photo itself, where it was added.
  await expect(page.locator(".timeline img.timeline-thumb")).toHaveAttribute("alt", "天花板.png");
  // Something that is not a photo is refused with a reason; nothing is lost.
  await page.getByLabel("选择照片或视频").setInputFiles({ name: "fake.jpg", mimeType: "image/jpeg", buffer: Buffer.from("not really a photo") });
  await page.getByRole("button", { name: "上传" }).click();
  await expect(page.getByTestId("evidence-error")).toContainText("只支持");
  await expect(page.getByTestId("evidence").locator("img")).toHaveCount(1);

  await hydrated(page);
  await page.getByLabel("您的留言会出现在进度记录里，处理人员会收到通知").fill("今天下午两点后家里有人,可以上门查看");
  await page.getByRole("button", { name: "发送留言" }).click();
  await expect(page.locator(".timeline")).toContainText("今天下午两点后家里有人");
  await expect(page.locator(".timeline")).toContainText("业主留言");
  await snap(page, "owner-evidence-and-message");

  // An account for the same phone, proven by the complaint's code: the complaint is
  // the account's at once. A code of nothing filed with this phone is refused first.
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("称呼").fill("李女士");
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("查询码").fill("ABCD-EFGH-JKMN");
  await page.getByLabel("密码").fill("owner-pass-1");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.locator("#reg-code-error")).toContainText("不匹配");
  await expect(page.getByLabel("称呼")).toHaveValue("李女士");
  await snap(page, "owner-register-proof");
  await page.getByLabel("查询码").fill(code);
  await page.getByLabel("密码").fill("owner-pass-1");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await hydrated(page);
  await expect(page.locator(".claim")).toHaveCount(0);
  await expect(page.locator(".my-complaints li")).toHaveCount(1);
  await expect(page.locator(".site-nav")).toContainText("我的投诉");
  await expect(page.locator(".site-nav")).not.toContainText("登录");
  await expect(page.locator(".my-complaints")).toContainText("卫生间天花板漏水");
  await snap(page, "owner-my-complaints");
});
