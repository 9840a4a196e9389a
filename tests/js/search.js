// Drives the search of one built page with the keyboard alone, as a reader would, and prints what it
// saw as JSON. Used by tests/site/test_search.py; the launch options come from handpress (system Chromium).
// Arguments: launch options (JSON), page URL, query, viewport width, screenshot path or "".
const path = require("path");
const puppeteer = require(path.join(process.cwd(), "node_modules", "puppeteer"));

async function main() {
  const [launchJson, url, query, width, shot] = process.argv.slice(2);
  const browser = await puppeteer.launch(JSON.parse(launchJson));
  const page = await browser.newPage();
  await page.setViewport({ width: Number(width), height: 900 });
  const requests = [];
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(url, { waitUntil: "load" });
  const atLoad = requests.slice();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return { id: el.id, tag: el.tagName.toLowerCase(), href: el.getAttribute("href") || "",
             inResults: Boolean(el.closest(".search-results")), text: el.textContent.trim() };
  });
  let tabs = 0;
  while ((await focused()).id !== "site-search-field" && tabs < 40) {
    await page.keyboard.press("Tab");
    tabs += 1;
  }
  const beforeTyping = requests.slice();
  await page.keyboard.type(query, { delay: 20 });
  // Settled: the form is no longer busy (a search waiting or running) and the status says something.
  await page.waitForFunction(() => document.querySelector("#site-search").getAttribute("aria-busy") === "false"
    && document.querySelector("#site-search-status").textContent.trim(), { timeout: 20000 });
  const seen = await page.evaluate(() => ({
    status: document.querySelector("#site-search-status").textContent.trim(),
    statusRole: document.querySelector("#site-search-status").getAttribute("role"),
    results: [...document.querySelectorAll(".search-results li")].map((li) => ({
      heading: li.querySelector("h2") ? li.querySelector("h2").textContent.trim() : "",
      href: li.querySelector("h2 a") ? li.querySelector("h2 a").getAttribute("href") : "",
      excerpt: li.querySelector("p") ? li.querySelector("p").textContent.trim() : "",
      marks: li.querySelectorAll("p mark").length,
    })),
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  }));
  if (shot) await page.screenshot({ path: shot, fullPage: false });
  const walk = [];
  for (let i = 0; i < 4 && !(walk.length && walk[walk.length - 1].inResults); i += 1) {
    await page.keyboard.press("Tab");
    walk.push(await focused());
  }
  const reached = walk[walk.length - 1];
  let landed = "";
  if (reached && reached.inResults) {
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
    landed = page.url();
  }
  await browser.close();
  process.stdout.write(JSON.stringify({ tabs, atLoad, beforeTyping, after: requests, seen, walk, landed }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
