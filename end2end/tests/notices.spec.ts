import { expect, fillComplaint, hydrated, logIn, snap, test } from "./helpers";

// The test command points PORTAL_SMS_URL at a stand-in for the provider's gateway
// (end2end/support/sms_gateway.py) and passes its address here.
const gateway = process.env.E2E_SMS_GATEWAY;

test("filing sends the tracking code by SMS; the owner sees it went, the administrator's log shows it", async ({ page, browser, request }) => {
  test.skip(!gateway, "needs the SMS gateway stand-in started by .ci/test");
  test.setTimeout(90_000);
  await page.goto("/complaints/new");
  await hydrated(page);
  const description = `电梯按钮失灵,按了没有反应,老人上下楼很不方便 ${Date.now()}`;
  await fillComplaint(page, { description, category: "repair_service", phone: "13812345678" });
  await page.getByRole("button", { name: "提交投诉" }).click();
  await expect(page).toHaveURL(/\/track\//);
  await hydrated(page);
  const code = (await page.getByTestId("tracking-code").innerText()).replace(/-/g, "");

  // The receipt says where the SMS went, once the gateway took it (no reload).
  await expect(page.getByTestId("sms-status")).toHaveText("短信已发送至 138****5678", { timeout: 20_000 });
  await snap(page, "notices-receipt-sms-sent");

  // The gateway got the text: the signature, the tracking code, a link, nothing more.
  const received: { phone: string; text: string; id: string }[] = await (await request.get(`${gateway}/messages`)).json();
  const sms = received.find((m) => m.text.includes(code));
  expect(sms, "an SMS with the tracking code").toBeTruthy();
  expect(sms!.phone).toBe("13812345678");
  expect(sms!.text).toMatch(/^【物业服务中心】/);
  expect(sms!.text).toContain("回T退订");
  expect(sms!.text).not.toContain("王先生");
  expect(sms!.id).toMatch(/^[0-9a-f]{32}$/);

  // The tracking page's card lists it and lets the owner add an e-mail address.
  const card = page.getByTestId("notices");
  await expect(card).toContainText("138****5678");
  await card.getByLabel(/邮箱/).fill("wang.owner@example.com");
  await card.getByRole("button", { name: "保存通知设置" }).click();
  await expect(card).toContainText("已保存");
  await snap(page, "notices-owner-card");

  // The administrator's delivery log shows the SMS, masked, sent.
  const admin = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await logIn(admin, "admin");
  await admin.setViewportSize({ width: 1280, height: 900 });
  await admin.goto("/staff/admin/deliveries");
  const log = admin.getByTestId("delivery-log");
  const row = log.locator("tbody tr", { hasText: code }).filter({ hasText: "短信" }).first();
  await expect(row).toContainText("138****5678");
  await expect(row).toContainText("已发送");
  await expect(log).not.toContainText("13812345678");
  await snap(admin, "notices-admin-delivery-log");
});
