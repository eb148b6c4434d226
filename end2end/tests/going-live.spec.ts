import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { expect, hydrated, snap, statusShows, takeStep, test } from "./helpers";

// A company's first day in production mode (no demo data, no known password): its own
// server, started here from the built binary with a throwaway database. The administrator
// created with `server create-admin` imports the estate in the browser and creates a
// handler; an owner then files choosing the building and a unit from the estate.

const root = path.join(__dirname, "..", "..");
const binary = process.env.PORTAL_SERVER_BIN ?? path.join(root, "target", "debug", "server");
const ADMIN_PASSWORD = "go-live-2026!";
let server: ChildProcess | undefined;
let base = "";

const ESTATE = [
  "小区,楼栋,单元,房号,业主姓名,手机号",
  "开业花园,1栋,1单元,101,张三,13911110001",
  "开业花园,1栋,1单元,102,李四,13911110002",
  "开业花园,2栋,,201,王五,13911110003",
].join("\n");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-going-live-"));
  const port = await freePort();
  const env = {
    ...process.env,
    PORTAL_DEMO: "",
    PORTAL_ADDR: `127.0.0.1:${port}`,
    PORTAL_DATABASE_URL: `sqlite://${dir}/portal.db`,
    PORTAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
  };
  execFileSync(binary, ["create-admin", "--login", "boss", "--name", "物业管理员"], { cwd: root, env });
  server = spawn(binary, [], { cwd: root, env, stdio: "ignore" });
  base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the production-mode server did not start");
});

test.afterAll(() => {
  server?.kill();
});

test("a company goes live: estate imported, a handler created, an owner files for a unit of the estate", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await admin.goto(`${base}/login`);
  await admin.getByLabel("账号").fill("boss");
  await admin.getByLabel("密码").fill(ADMIN_PASSWORD);
  await admin.getByRole("button", { name: "登录" }).click();
  await expect(admin).toHaveURL(/\/staff$/);

  // The first-run checklist says what is missing.
  await admin.goto(`${base}/staff/admin`);
  await hydrated(admin);
  await expect(admin.getByTestId("setup-checklist")).toContainText("上线准备：还差");
  await expect(admin.getByTestId("setup-checklist")).toContainText("房产资料：还没有导入");
  await snap(admin, "going-live-checklist");

  // No estate yet: the owner's form has no community to offer but the prompt.
  await admin.goto(`${base}/staff/admin/estate`);
  await hydrated(admin);
  await expect(admin.getByText("还没有任何房产资料")).toBeVisible();
  await admin.getByLabel("选择文件").setInputFiles({ name: "房产资料.csv", mimeType: "text/csv", buffer: Buffer.from(ESTATE) });
  await admin.getByRole("button", { name: "导入", exact: true }).click();
  await expect(admin.getByTestId("estate-imported")).toContainText("新增3户");
  await snap(admin, "going-live-estate");

  // A handler in the engineering department.
  await admin.goto(`${base}/staff/admin`);
  await hydrated(admin);
  const add = admin.locator("details.step").filter({ has: admin.locator("summary", { hasText: "新增员工" }) });
  await add.locator("summary").click();
  await add.getByLabel("账号").fill("gongcheng");
  await add.getByLabel("姓名").fill("工程 周工");
  await add.getByLabel("角色").selectOption({ label: "处理人" });
  await add.getByLabel("部门").selectOption({ label: "工程部" });
  await add.getByLabel(/初始密码/).fill("handler-2026");
  await add.getByRole("button", { name: "保存" }).click();
  await expect(admin.locator("#users")).toContainText("工程 周工");
  // And one in repairs, to hand complaints on to.
  await add.locator("summary").click();
  if (!(await add.evaluate((d) => (d as HTMLDetailsElement).open))) await add.locator("summary").click();
  await add.getByLabel("账号").fill("weixiu");
  await add.getByLabel("姓名").fill("维修 刘工");
  await add.getByLabel("角色").selectOption({ label: "处理人" });
  await add.getByLabel("部门").selectOption({ label: "维修部" });
  await add.getByLabel(/初始密码/).fill("handler-2026");
  await add.getByRole("button", { name: "保存" }).click();
  await expect(admin.locator("#users")).toContainText("维修 刘工");
  await admin.reload();
  await expect(admin.getByTestId("setup-checklist")).toContainText("房产资料：1个小区，3户");

  const handler = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await handler.goto(`${base}/login`);
  await handler.getByLabel("账号").fill("gongcheng");
  await handler.getByLabel("密码").fill("handler-2026");
  await handler.getByRole("button", { name: "登录" }).click();
  await expect(handler).toHaveURL(/\/staff$/);

  // An owner files for 1栋 1单元102, offered by the form.
  const owner = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await owner.goto(`${base}/complaints/new`);
  await hydrated(owner);
  await owner.getByLabel("问题描述").fill("1栋1单元102卫生间天花板漏水，已经三天了，墙面开始发霉。");
  await owner.getByLabel("投诉类别").selectOption("engineering_quality");
  await owner.getByLabel("小区").selectOption({ label: "开业花园" });
  await owner.getByLabel("楼栋").selectOption({ label: "1栋" });
  await expect(owner.locator("#unit-options option")).toHaveCount(2);
  await owner.getByLabel("单元/房号").fill("1单元102");
  await owner.getByLabel("您的称呼").fill("李四");
  await owner.getByLabel("手机号或固话").fill("13911110002");
  await snap(owner, "going-live-owner-form");
  await owner.getByRole("button", { name: "提交投诉" }).click();
  await expect(owner).toHaveURL(/\/track\/[2-9A-Z]{12}\?new=1$/);
  await expect(owner.getByTestId("status")).toContainText("已受理");

  // The administrator sees it in the queue, its unit found in the estate.
  await admin.goto(`${base}/staff`);
  await admin.getByRole("link", { name: /卫生间天花板漏水/ }).first().click();
  await expect(admin.getByText("开业花园 1栋 1单元102")).toBeVisible();
  await expect(admin.getByTestId("unit-not-in-estate")).toHaveCount(0);
  await snap(admin, "going-live-complaint");

  // 王五 calls about 2栋201: the desk records it, finding the owner by the phone.
  await admin.goto(`${base}/staff`);
  await hydrated(admin);
  await admin.getByRole("link", { name: "登记投诉" }).click();
  await expect(admin).toHaveURL(/\/staff\/intake$/);
  await admin.getByLabel("收到渠道").selectOption({ label: "电话" });
  await admin.getByLabel("问题描述").fill("来电:2栋201厨房下水道堵塞反水，已经两天，家里没法做饭。");
  await admin.getByLabel("手机号或固话").fill("13911110003");
  await admin.getByRole("button", { name: "按手机号或房号查找业主" }).click();
  await expect(admin.getByTestId("caller")).toContainText("开业花园 2栋 201(王五)");
  await expect(admin.getByLabel("您的称呼")).toHaveValue("王五");
  await expect(admin.getByLabel("单元/房号")).toHaveValue("201");
  await expect(admin.getByLabel("问题描述")).toHaveValue(/厨房下水道堵塞/);
  await admin.getByLabel("投诉类别").selectOption("repair_service");
  await snap(admin, "going-live-intake");
  await admin.getByRole("button", { name: "登记投诉" }).click();
  await expect(admin).toHaveURL(/\/staff\/complaints\/\d+\?recorded=1$/);
  await expect(admin.getByTestId("recorded")).toContainText(/[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/);
  await expect(admin.getByTestId("received-by")).toContainText("电话");
  await expect(admin.getByText("开业花园 2栋 201")).toBeVisible();
  await snap(admin, "going-live-recorded");
  await hydrated(admin);

  // It was given to engineering by mistake: handed on to repairs, and its category corrected.
  await takeStep(admin, "judge_valid", statusShows(admin, "投诉成立"));
  await takeStep(admin, "assign", statusShows(admin, "已分派"), async (form) => {
    await form.getByLabel("责任部门").selectOption({ label: "工程部" });
    await form.getByLabel("处理人").selectOption({ label: "工程 周工" });
  });
  await takeStep(admin, "reassign", (timeout) => expect(admin.getByTestId("handler")).toContainText("刘工", { timeout }), async (form) => {
    await form.getByLabel("责任部门").selectOption({ label: "维修部" });
    await form.getByLabel("处理人").selectOption({ label: "维修 刘工" });
  });
  await expect(admin.locator(".timeline")).toContainText("维修部 · 维修 刘工");
  await takeStep(admin, "correct", (timeout) => expect(admin.locator(".timeline")).toContainText("记录已更正", { timeout }), async (form) => {
    await form.getByLabel("共同投诉人数").fill("2");
    await form.getByLabel("更正原因").fill("来电核实:两户共用下水管,楼下也反水");
  });
  await expect(admin.locator(".timeline")).toContainText("共同投诉人数：1 → 2");
  await snap(admin, "going-live-corrected");

  // The household files: 王五's from the complaint, 李四's found by the phone.
  await admin.getByTestId("household-link").click();
  await expect(admin).toHaveURL(/\/staff\/households\/\d+$/);
  await expect(admin.getByTestId("household")).toContainText("开业花园 2栋 201");
  await expect(admin.getByTestId("household")).toContainText("王五 · 13911110003");
  await expect(admin.getByTestId("household-complaints")).toContainText("厨房下水道堵塞");
  await expect(admin.getByTestId("household-complaints")).toContainText("电话");
  await snap(admin, "going-live-household");
  await admin.goto(`${base}/staff/households`);
  await hydrated(admin);
  await admin.getByLabel("手机号、姓名、房号或查询码").fill("13911110002");
  await admin.getByRole("button", { name: "查找" }).click();
  await expect(admin).toHaveURL(/\/staff\/households\/\d+$/);
  await expect(admin.getByTestId("household")).toContainText("开业花园 1栋 1单元102");
  await expect(admin.getByTestId("household-complaints")).toContainText("卫生间天花板漏水");

  await admin.goto(`${base}/staff`);
  await expect(admin.getByTestId("channel").first()).toContainText("电话");
});
