import { expect, hydrated, snap, staffPage, test, type Page } from "./helpers";

// An owner whose phone reads English: the knowledge base in English, a complaint described in
// English (the hint still names the category), and the tracking page with no Chinese
// system text.
test.use({ locale: "en-GB" });

/** Chinese characters in the page's main content, leaving out what people typed or named. */
async function chineseSystemText(page: Page, allowed: string[]): Promise<string> {
  const text = await page.locator("main").innerText();
  let rest = text;
  for (const a of allowed) rest = rest.split(a).join("");
  return (rest.match(/[\u4e00-\u9fff]+/g) ?? []).join(" ");
}

test("an English-speaking owner reads the FAQ in English and finds articles by English words", async ({ page }) => {
  for (const path of ["/", "/track"]) {
    await page.goto(path);
    await hydrated(page);
    expect(await chineseSystemText(page, []), path).toBe("");
  }
  await page.goto("/faq");
  await hydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  expect(await chineseSystemText(page, [])).toBe("");
  await page.getByLabel("Search the FAQ").fill("leak");
  await page.getByLabel("Search the FAQ").press("Enter");
  await expect(page).toHaveURL(/\/faq\/search\?q=leak/);
  const hits = page.locator(".search-hit");
  await expect(hits.first()).toBeVisible();
  await expect(hits.first().locator("mark").first()).toHaveText(/leak/i);
  expect(await chineseSystemText(page, [])).toBe("");
  await snap(page, "english-faq-search");
  await hits.first().locator("a.hit-title").click();
  await expect(page.locator("h1")).not.toBeEmpty();
  await expect(page.getByText("Was this article helpful?")).toBeVisible();
  expect(await chineseSystemText(page, [])).toBe("");
  await snap(page, "english-faq-article");
});

test("an English-speaking owner files in English, the hint names the category, and the tracking page speaks English", async ({ page, browser }) => {
  await page.goto("/complaints/new");
  await hydrated(page);
  await expect(page.locator("#hint")).toHaveAttribute("data-model-loaded", /\d+/);
  const description = `The kitchen tap is broken and leaking; the plumber came once to fix it and never came back ${Date.now()}`;
  await page.getByLabel("Description").fill(description);
  await expect(page.getByLabel("Category")).toHaveValue("repair_service");
  await expect(page.getByText("Chosen from your description; you can change it")).toBeVisible();
  const communities = page.locator("#community_id");
  await communities.selectOption({ index: 1 });
  const community = await communities.locator("option:checked").innerText();
  await page.getByLabel("Unit / room").fill("3-1502");
  await page.getByLabel("Your name").fill("Ms Lee");
  await page.getByLabel("Mobile or landline").fill("13700003333");
  await snap(page, "english-form");
  await page.getByRole("button", { name: "Submit complaint" }).click();
  await expect(page).toHaveURL(/\/track\/[2-9A-Z]{12}\?new=1$/);
  await hydrated(page);
  await expect(page.getByText("Complaint filed and received")).toBeVisible();
  expect(await chineseSystemText(page, [community])).toBe("");

  await page.getByLabel("Your message appears in the timeline").fill("Could someone come on Saturday morning?");
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.getByText("Message sent; the handler will reply soon")).toBeVisible();
  expect(await chineseSystemText(page, [community])).toBe("");
  await snap(page, "english-tracking");

  // The agent is told the owner reads English, and the canned replies are in English.
  const code = (await page.getByTestId("tracking-code").innerText()).replace(/-/g, "");
  const agent = await staffPage(browser, "agent");
  await agent.goto(`/staff?q=${code}`);
  await agent.locator("table.queue tbody tr").first().getByRole("link").click();
  await hydrated(agent);
  await expect(agent.getByTestId("owner-reads-english")).toBeVisible();
  await agent.locator("#canned-select").selectOption({ label: "已受理，两小时内联系" });
  await expect(agent.locator("#reply-body")).toHaveValue(/^Dear Ms Lee, we have received your complaint/);
  await snap(agent, "english-owner-staff-reply");
});
