import { expect, test } from "@playwright/test";
import { hydrated } from "./helpers";

test("typing a description updates the count and the category hint in the browser", async ({ page }) => {
  const serverCalls: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/")) serverCalls.push(r.url());
  });
  await page.goto("/complaints/new");
  await hydrated(page);
  await expect(page.getByTestId("char-count")).toHaveText(/^0 \/ 2000/);
  await expect(page.getByTestId("hint")).toContainText("继续描述");

  const before = serverCalls.length;
  await page.getByLabel("问题描述").pressSequentially("卫生间天花板漏水了", { delay: 20 });
  await expect(page.getByTestId("char-count")).toHaveText(/^9 \/ 2000/);
  await expect(page.getByTestId("hint")).toContainText("工程质量");
  expect(serverCalls.length, "hints are computed in the browser, not by the server").toBe(before);

  await page.getByRole("button", { name: "使用此类别" }).click();
  await expect(page.getByLabel("投诉类别")).toHaveValue("engineering_quality");
});
