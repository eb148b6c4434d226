// Benchmark of the pages an owner reaches without logging in, in Debian's Chromium on a
// throttled phone profile (not a test: it asserts nothing, it prints figures):
//  - first-load weight: every response of the page's first visit with an empty cache (the
//    document, css, scripts, images), as gzip -9 of each body;
//  - Core Web Vitals: Largest Contentful Paint and Cumulative Layout Shift, median of 5
//    fresh visits, with the network at 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip
//    and the CPU slowed 4x (a mid-range phone on a mobile network).
//
// Start a release server (`.ci/serve`, or target/release/server), then:
//   cd end2end && PORTAL_BASE_URL=http://127.0.0.1:3000 node bench/owner-vitals.mjs
import { chromium, devices } from "@playwright/test";
import { gzipSync } from "node:zlib";

const base = process.env.PORTAL_BASE_URL ?? "http://127.0.0.1:3000";
const runs = Number(process.env.BENCH_RUNS ?? 5);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});

// An article's address, read off the knowledge base's home page.
async function firstArticle() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/faq`);
  const href = await page.locator('a[href^="/faq/"]:not([href^="/faq/topic"]):not([href^="/faq/search"])').first().getAttribute("href");
  await context.close();
  return href;
}

// The tracking page of a complaint filed in this context (through the form's no-script post,
// which lets the filing visitor follow it).
async function fileOne(context) {
  const n = Math.floor(Math.random() * 1e8);
  const form = {
    "intake[description]": `卫生间天花板漏水，已经三天了（第${n}次测量）`,
    "intake[category]": "repair_service",
    "intake[community_id]": "1",
    "intake[building_id]": "3",
    "intake[unit]": "1单元101",
    "intake[name]": "业主",
    "intake[phone]": `137${String(n).padStart(8, "0")}`,
  };
  const response = await context.request.post(`${base}/api/file_complaint`, { form, maxRedirects: 0 });
  const to = response.headers()["location"];
  if (!to || !to.startsWith("/track/")) throw new Error(`filing answered ${response.status()} ${to}`);
  return to.replace("?new=1", "");
}

async function visit(path, throttled) {
  const context = await browser.newContext({ ...devices["Pixel 5"], locale: "zh-CN" });
  if (path === TRACKING) path = await fileOne(context);
  const page = await context.newPage();
  if (throttled) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  }
  await page.addInitScript(() => {
    window.__lcp = 0;
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__lcp = e.startTime;
    }).observe({ type: "largest-contentful-paint", buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  // Every response's address; the bodies are fetched again afterwards (a module compiled
  // while streaming leaves no body to read here).
  const urls = [];
  page.on("response", (response) => {
    const type = response.headers()["content-type"] ?? "";
    // A live event stream never ends: it is no part of the load.
    if (response.status() < 300 && !type.startsWith("text/event-stream")) urls.push(response.url());
  });
  await page.goto(`${base}${path}`, { waitUntil: "load" });
  await page.waitForLoadState("networkidle");
  // LCP is final once the page is hidden or the user acts; read it after the load settles.
  await page.waitForTimeout(300);
  const vitals = await page.evaluate(() => ({ lcp: window.__lcp, cls: window.__cls }));
  const bodies = [];
  if (!throttled) {
    for (const url of urls) {
      const body = await (await context.request.get(url)).body();
      bodies.push({ url: url.replace(base, ""), gzip: gzipSync(body, { level: 9 }).length });
    }
  }
  await context.close();
  return { bodies, ...vitals };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const article = await firstArticle();
const TRACKING = "/track/<code> (filed just before)";
const pages = ["/", "/faq", article, "/faq/search?q=%E6%BC%8F%E6%B0%B4", "/track", TRACKING, "/complaints/new"];
console.log(`| page | first load (gzip) | responses | LCP (median of ${runs}) | CLS (max) |`);
console.log("| --- | --- | --- | --- | --- |");
for (const path of pages) {
  const weight = await visit(path, false);
  const total = weight.bodies.reduce((s, b) => s + b.gzip, 0);
  const lcps = [];
  const clss = [];
  for (let i = 0; i < runs; i++) {
    const v = await visit(path, true);
    lcps.push(v.lcp);
    clss.push(v.cls);
  }
  console.log(`| \`${path === TRACKING ? path : decodeURIComponent(path)}\` | ${(total / 1024).toFixed(1)} KB | ${weight.bodies.length} | ${Math.round(median(lcps))} ms | ${Math.max(...clss).toFixed(3)} |`);
}
await browser.close();
