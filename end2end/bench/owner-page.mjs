// Benchmark of the owner's complaint page in Debian's Chromium (not a test: it asserts
// nothing, it prints figures):
//  1. first-load weight of the complaint page (every wasm/js/css response, raw and gzip),
//     and of the other pages an owner may land on first;
//  2. the instant hint (classify + severity preview + FAQ match) in the page's own module,
//     timed per call with performance.now() over 2,000 calls on a 500-character text.
//
// Start a release server (`.ci/serve`, or target/release/server), then:
//   cd end2end && PORTAL_BASE_URL=http://127.0.0.1:3000 node bench/owner-page.mjs
import { chromium } from "@playwright/test";
import { gzipSync } from "node:zlib";

const base = process.env.PORTAL_BASE_URL ?? "http://127.0.0.1:3000";
const calls = Number(process.env.BENCH_CALLS ?? 2000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const kb = (n) => (n / 1024).toFixed(1).padStart(8);

// First load of an owner page in a fresh context (empty cache): every wasm/js/css response.
async function firstLoad(path, ready) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const assets = [];
  page.on("response", async (response) => {
    const url = response.url();
    // The page's code and style, and the classifier's model file the form loads.
    if (!/\.(wasm|js|css)(\?|$)/.test(url) && !url.includes("/api/v1/hints/model/")) return;
    try {
      const body = await response.body();
      assets.push({ url: url.replace(base, ""), raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
    } catch { /* redirects have no body */ }
  });
  await page.goto(`${base}${path}`);
  if (ready) await page.waitForSelector("body[data-hydrated=true]", { timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  const total = assets.reduce((s, a) => ({ raw: s.raw + a.raw, gzip: s.gzip + a.gzip }), { raw: 0, gzip: 0 });
  return { page, context, assets, total };
}

// The complaint form: the budget (wasm + js + css <= 300 KB gzip) is for this page.
const form = await firstLoad("/complaints/new", true);
await form.page.waitForSelector("#hint[data-model-loaded]", { timeout: 60_000 });
console.log("First load of /complaints/new (wasm + js + css + the hint model):");
console.log(`${"asset".padEnd(48)}${"raw KB".padStart(8)}${"gzip KB".padStart(9)}`);
for (const a of form.assets) console.log(`${a.url.padEnd(48)}${kb(a.raw)} ${kb(a.gzip)}`);
console.log(`${"total".padEnd(48)}${kb(form.total.raw)} ${kb(form.total.gzip)}`);

// The other pages an owner may land on first, for comparison.
console.log("\nFirst load of other owner pages (wasm + js + css):");
for (const [path, ready] of [["/", false], ["/faq", true], ["/track", true]]) {
  const other = await firstLoad(path, ready);
  console.log(`${path.padEnd(48)}${kb(other.total.raw)} ${kb(other.total.gzip)}`);
  await other.context.close();
}
const page = form.page;

// The FAQ entries the form matches against, as the page gets them.
const faq = await page.evaluate(async () => {
  const r = await fetch("/api/faq_hint_entries", { method: "POST", headers: { accept: "application/json" } });
  return r.ok ? await r.text() : "[]";
});
const text = ("我家住3栋2单元1501,卫生间天花板从上周开始漏水,楼上邻居说他们家没有问题,物业来看过一次就没下文了。" +
  "现在墙面已经发霉,地板也泡坏了,孩子晚上睡觉都能听到滴水声。之前报修过三次,每次都说会安排师傅,结果一直没人来。" +
  "我们要求尽快查明漏水原因并维修,同时赔偿地板和墙面的损失。如果这周还不处理,我们就打12345投诉。").repeat(4).slice(0, 500);
const times = await page.evaluate(async ({ text, faq, calls }) => {
  const wasm = await import("/pkg/complaint_form.js");
  wasm.bench_hints(text, faq, 200); // warm-up
  return Array.from(wasm.bench_hints(text, faq, calls));
}, { text, faq, calls });
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.round((times.length - 1) * q))];
const mean = times.reduce((s, t) => s + t, 0) / times.length;
console.log(`\nHint in the browser (${times.length} calls, ${[...text].length} characters, ${JSON.parse(faq).length} FAQ articles):`);
console.log(`  mean ${mean.toFixed(3)} ms  p50 ${at(0.5).toFixed(3)} ms  p99 ${at(0.99).toFixed(3)} ms  max ${at(1).toFixed(3)} ms`);
console.log("  (performance.now() is coarsened by the browser; the mean over all calls is exact)");
await browser.close();
