// Open a Home Assistant page in Debian's Chromium, check that texts are shown, save a screenshot.
// Usage: node screenshot.cjs <url> <out.png> [expected ...]
// An expected item is a text shown on the page, or "css:<selector>" for an element (shadow DOM
// included, e.g. css:hui-thermostat-card).
// Prints one JSON line: {"ok": bool, "missing": [...], "title": "..."}; exits 1 when a text is missing.
// Only loopback requests are allowed: the frontend's requests for brand logos on the internet are dropped.
const { chromium } = require("playwright-core");

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

async function main() {
  const [url, out, ...expected] = process.argv.slice(2);
  if (!url || !out) {
    console.error("usage: node screenshot.cjs <url> <out.png> [expected text ...]");
    process.exit(2);
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-dev-shm-usage",
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.route("**/*", (route) => {
      const host = new URL(route.request().url()).hostname;
      return LOOPBACK.has(host) ? route.continue() : route.abort();
    });
    await page.goto(url, { waitUntil: "domcontentloaded", timeout: 60000 });
    await page.waitForSelector("hui-masonry-view, hui-sections-view", { timeout: 60000 });
    const missing = [];
    for (const item of expected) {
      const locator = item.startsWith("css:")
        ? page.locator(item.slice(4))
        : page.getByText(item, { exact: false });
      try {
        await locator.first().waitFor({ state: "visible", timeout: 15000 });
      } catch {
        missing.push(item);
      }
    }
    await page.waitForTimeout(1000);
    await page.screenshot({ path: out, fullPage: false });
    const result = { ok: missing.length === 0, missing, title: await page.title() };
    console.log(JSON.stringify(result));
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(3);
});
