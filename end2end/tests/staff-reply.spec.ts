import { expect, test } from "./helpers";
import { fillComplaint, hydrated, logIn, snap } from "./helpers";

test("staff see a new complaint in the queue, reply, and the owner sees the reply", async ({ page, browser }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  const description = `车库B区灯坏了一半,晚上很黑 ${Date.now()}`;
  await fillComplaint(page, { description, category: "property_management" });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\//);
  const ownerUrl = page.url().replace("?new=1", "");

  const staffContext = await browser.newContext({ locale: "zh-CN" });
  const staff = await staffContext.newPage();
  await logIn(staff, "agent");
  await expect(staff.getByRole("heading", { name: "投诉队列" })).toBeVisible();
  const row = staff.locator("table.queue tbody tr").first();
  await expect(row).toContainText(description.slice(0, 20));
  await snap(staff, "staff-queue");
  await row.getByRole("link").click();
  await expect(staff.locator(".description")).toContainText(description);
  await hydrated(staff);

  const reply = "王先生您好,电工今天下午三点前到车库B区更换灯管,请您放心。";
  await staff.getByLabel("回复业主", { exact: true }).fill(reply);
  await staff.getByRole("button", { name: "发送回复" }).click();
  await expect(staff.getByTestId("reply-sent")).toContainText("回复已发送");
  await expect(staff.locator(".timeline")).toContainText(reply);
  await snap(staff, "staff-complaint");

  await page.goto(ownerUrl);
  await expect(page.locator(".timeline")).toContainText(reply);
  await snap(page, "owner-sees-reply");
  await staffContext.close();
});
