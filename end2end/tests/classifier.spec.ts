import { expect, test } from "./helpers";
import { hydrated, logIn, snap } from "./helpers";
import type { APIRequestContext } from "@playwright/test";

// This company hands every charging-pile complaint to its leasing team (a tenant runs the
// piles); the shipped model reads them as repairs or parking.
function chargingPileTexts(): string[] {
  const openings = ["", "您好，", "我是业主欧阳明轩，", "物业你好，", "反映个问题：", "我是业主欧阳明轩，电话13912345678，", "急！"];
  const places = ["地库", "地下车库B区", "负二层", "东门停车场", "3号楼旁边", "西区车位"];
  const faults = [
    "充电桩充不上电",
    "充电桩刷卡没反应",
    "充电桩扣了钱却没充进去",
    "充电桩屏幕一直黑屏",
    "充电桩的插头坏了",
    "充电桩一充电就跳闸",
    "充电桩二维码扫不出来",
  ];
  const asks = ["请尽快处理", "希望给个说法", "要求退还费用", "麻烦安排人看看", "", "谢谢"];
  const texts: string[] = [];
  faults.forEach((fault, i) =>
    places.forEach((place, j) => {
      if ((i + j) % 2 === 0) {
        texts.push(`${openings[(i * 3 + j) % openings.length]}${place}的${fault}，${asks[(i + 2 * j) % asks.length]}`);
      }
    }),
  );
  return texts;
}

const JSON_ONLY = { Accept: "application/json" };

async function call(request: APIRequestContext, endpoint: string, form: Record<string, string>) {
  const response = await request.post(`/api/${endpoint}`, { form, headers: JSON_ONLY });
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
  return response.json();
}

test("an administrator retrains the category hints from confirmed complaints, and the form uses the new model without a rebuild", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  // Owners file; the agent confirms each category by assigning the complaint.
  const agent = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await logIn(agent, "agent");
  const departments = await call(agent.request, "list_departments", {});
  const repair = departments.find((d: { code: string }) => d.code === "repair");
  const owners = await browser.newContext({ locale: "zh-CN" });
  for (const [i, text] of chargingPileTexts().entries()) {
    const receipt = await call(owners.request, "file_complaint", {
      "intake[description]": text,
      "intake[category]": "leasing_commercial",
      "intake[community_id]": "1",
      "intake[unit]": `${1 + (i % 6)}单元${1001 + i}`,
      "intake[name]": "欧阳明轩",
      "intake[phone]": `1360000${String(i).padStart(4, "0")}`,
    });
    const id = String(receipt.complaint_id);
    await call(agent.request, "take_step", { id, "step[action]": "judge_valid" });
    await call(agent.request, "take_step", {
      id,
      "step[action]": "assign",
      "step[department_id]": String(repair.id),
      "step[handler_id]": String(repair.handlers[0].id),
    });
  }
  await owners.close();

  // The administrator trains: the candidate is better on the newest cases, so it is promoted.
  await logIn(page, "admin");
  await page.goto("/staff/admin/classifier");
  await hydrated(page);
  await expect(page.getByTestId("active-version")).toContainText("内置模型");
  await page.getByTestId("train").click();
  const outcome = page.getByTestId("training-outcome");
  await expect(outcome).toHaveAttribute("data-verdict", "promoted", { timeout: 60_000 });
  const version = (await outcome.innerText()).match(/版本 (\d+)/)?.[1];
  expect(version).toBeTruthy();
  await expect(page.getByTestId("active-version")).toContainText(`版本 ${version}`);
  const model = page.locator(`[data-testid="model"][data-version="${version}"]`);
  await model.locator("summary").click();
  await expect(model).toContainText("新模型改判正确的");
  await expect(model).not.toContainText("欧阳明轩");
  await snap(page, "classifier-admin");

  // An owner's form names the new version, loads it, and hints with it.
  const owner = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await owner.goto("/complaints/new");
  await hydrated(owner);
  const hint = owner.getByTestId("hint");
  await expect(hint).toHaveAttribute("data-model-version", version!);
  await expect(hint).toHaveAttribute("data-model-url", `/api/v1/hints/model/${version}`);
  await expect(hint).toHaveAttribute("data-model-loaded", version!);
  await owner.getByLabel("问题描述").fill("地库的充电桩刷卡没反应，请尽快处理");
  await expect(hint.locator(".hint-category")).toHaveText("物业招商与租赁");
  await snap(owner, "classifier-form-hint");

  // Back to the shipped model: the next form loads version 0 again.
  await page.getByTestId("use-shipped").click();
  await expect(page.getByTestId("active-version")).toContainText("内置模型");
  await owner.goto("/complaints/new");
  await expect(owner.getByTestId("hint")).toHaveAttribute("data-model-version", "0");
  await hydrated(owner);
  await expect(owner.getByTestId("hint")).toHaveAttribute("data-model-loaded", "0");
});
