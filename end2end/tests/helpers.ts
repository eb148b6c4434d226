import { test as base, expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Every spec imports `test` from here: an automatic fixture fails the test when the
 * browser reports a Content-Security-Policy violation in any page of the test, in the
 * default context and in contexts the test opens itself.
 */
export const test = base.extend<{ cspViolations: string[]; formLayout: "one-page" | "steps" }>({
  // How the owner's complaint form is laid out on a phone. Owners get it one step at a time
  // unless they chose "在一页中显示全部" (kept on the device); the journeys that fill the
  // whole form use that choice, and `steps.spec.ts` the steps (`test.use({ formLayout: "steps" })`).
  formLayout: ["one-page", { option: true }],
  cspViolations: [
    async ({ context, browser, formLayout }, use) => {
      const violations: string[] = [];
      const watch = (ctx: BrowserContext) => {
        ctx.on("console", (message) => {
          const text = message.text();
          if (/Content Security Policy/i.test(text)) violations.push(`${message.location().url}: ${text}`);
        });
        if (formLayout === "one-page") {
          return ctx.addInitScript(() => {
            try {
              window.localStorage.setItem("portal.complaint-form-layout", "one-page");
            } catch {
              // Pages without storage (about:blank) need no layout.
            }
          });
        }
        return Promise.resolve();
      };
      await watch(context);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const ctx = await newContext(options);
        await watch(ctx);
        return ctx;
      };
      try {
        await use(violations);
      } finally {
        browser.newContext = newContext;
      }
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };
export type { Browser, Locator, Page } from "@playwright/test";

/** A 1×1 PNG: a photo to attach. */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

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

/** A demo staff member logged in, in a browser context of their own. */
export async function staffPage(browser: Browser, login: string): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await logIn(page, login);
  return page;
}

/** Logs a demo staff member in, in its own page. */
export async function logIn(page: Page, login: string) {
  await page.goto("/login");
  await page.getByLabel("账号").fill(login);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

/**
 * Takes the workflow step `action` on a staff complaint page: opens its form, fills it,
 * sends it, and waits until `done(timeout)` holds. A live refresh can rebuild the page's
 * forms at any moment (another actor's change, the stream reopening), as it can for a
 * person: then the step is tried again, and never sent again once `done` holds.
 */
export async function takeStep(
  page: Page,
  action: string,
  done: (timeout: number) => Promise<void>,
  fill?: (form: Locator) => Promise<void>,
) {
  const form = page.locator(`form[data-step="${action}"]`);
  const details = page.locator("details", { has: form });
  // Each attempt gives up quickly on a field the refresh took away, and tries again.
  page.setDefaultTimeout(8_000);
  try {
    await attempts();
  } finally {
    page.setDefaultTimeout(0);
  }
  async function attempts() {
  await expect(async () => {
    try {
      await done(500);
      return;
    } catch {
      // Not done yet: (re)open, fill and send.
    }
    try {
      if ((await details.count()) > 0 && !(await details.evaluate((d) => (d as HTMLDetailsElement).open))) {
        await details.locator("summary").click({ timeout: 5_000 });
      }
      if (fill) await fill(form);
      await form.locator('button[type="submit"]').click({ timeout: 5_000 });
      await done(8_000);
    } catch (error) {
      // Kept in the test's output: why this attempt did not take.
      const state = await form
        .evaluate((f) => {
          const d = f.closest("details");
          const r = f.getBoundingClientRect();
          return `details open=${d?.open} form ${r.width}x${r.height} at ${r.y}`;
        })
        .catch((e) => String(e).slice(0, 80));
      console.log(`step ${action} not taken yet (${state}): ${String(error).split("\n").slice(0, 3).join(" | ")}`);
      throw error;
    }
  }).toPass({ timeout: 90_000, intervals: [250, 1_000, 2_000] });
  }
}

/** `done` for `takeStep`: the complaint page's title shows `status`. */
export function statusShows(page: Page, status: string) {
  return (timeout: number) => expect(page.locator(".complaint-title")).toContainText(status, { timeout });
}

let axeSource: string | undefined;
const readAxe = () => (axeSource ??= fs.readFileSync(path.join(__dirname, "..", "node_modules", "axe-core", "axe.min.js"), "utf8"));

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core's violations on the page as it is now (every rule it runs by default). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated by the browser's debugger protocol, not as a page script: the page's
  // Content-Security-Policy stays as it is.
  await page.evaluate(readAxe());
  const found: Violation[] = await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = await (window as any).axe.run(document);
    return result.violations;
  });
  return found.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`,
  );
}

