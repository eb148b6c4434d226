import { expect, type Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";

/** The demo password of every demo staff account. */
export const DEMO_PASSWORD = "demo-2026";

/** Waits until the WebAssembly app has taken over the server-rendered page. */
export async function hydrated(page: Page) {
  // A debug build of the wasm is large; on a busy 2-core machine it can take a while.
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", { timeout: 45_000 });
}

/** Keeps a screenshot under end2end/screenshots/ (not committed) for people to look at. */
export async function snap(page: Page, name: string) {
  const dir = path.join(__dirname, "..", "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

export interface Complaint {
  description?: string;
  category?: string;
  phone?: string;
  name?: string;
}

/** Fills the complaint form (the community is the first demo community). */
export async function fillComplaint(page: Page, c: Complaint = {}) {
  await page.getByLabel("问题描述").fill(c.description ?? "3栋2单元1501卫生间天花板漏水,已经三天了,楼下也开始渗水。");
  await page.getByLabel("投诉类别").selectOption(c.category ?? "engineering_quality");
  await page.getByLabel("小区").selectOption({ label: "翠湖花园" });
  await page.getByLabel("单元/房号").fill("2单元1501");
  await page.getByLabel("您的称呼").fill(c.name ?? "王先生");
  await page.getByLabel("手机号或固话").fill(c.phone ?? "13812345678");
}

/** Logs a demo staff member in, in its own page. */
export async function logIn(page: Page, login: string) {
  await page.goto("/login");
  await page.getByLabel("账号").fill(login);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/staff$/);
}
