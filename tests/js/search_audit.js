// Audits pages with pa11y (htmlcs and axe, warnings included) as they stand in the browser: each one
// after a search typed into its field has opened the results, or as loaded when no query is given.
// Prints JSON: for each page its issues and its HTML at the time of the audit (for the Nu HTML Checker).
// Arguments: launch options (JSON), then pairs of page URL and query ("" for none).
const path = require("path");
const puppeteer = require(path.join(process.cwd(), "node_modules", "puppeteer"));
const pa11y = require(path.join(process.cwd(), "node_modules", "pa11y"));

async function main() {
  const [launchJson, ...pairs] = process.argv.slice(2);
  const browser = await puppeteer.launch(JSON.parse(launchJson));
  const found = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const [url, query] = [pairs[i], pairs[i + 1]];
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(url, { waitUntil: "load" });
    let results = 0;
    if (query) {
      await page.focus("#site-search-field");
      await page.keyboard.type(query, { delay: 20 });
      await page.waitForFunction(() => document.querySelector("#site-search").getAttribute("aria-busy") === "false"
        && document.querySelector("#site-search-status").textContent.trim(), { timeout: 20000 });
      results = await page.evaluate(() => document.querySelectorAll("#site-search-results li").length);
    }
    const html = await page.evaluate(() => "<!DOCTYPE html>\n" + document.documentElement.outerHTML);
    const report = await pa11y(url, { browser, page, ignoreUrl: true, standard: "WCAG2AA", runners: ["htmlcs", "axe"],
                                      includeNotices: false, includeWarnings: true, timeout: 60000 });
    found.push({ url, query, results, html, issues: report.issues.map((issue) => ({
      runner: issue.runner, code: issue.code, type: issue.type, message: issue.message, selector: issue.selector })) });
    await page.close();
  }
  await browser.close();
  process.stdout.write(JSON.stringify(found));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
