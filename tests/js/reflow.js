// Opens each HTML file given on the command line at a viewport width and prints, as JSON, how far
// each page scrolls sideways (scrollWidth - clientWidth of the root) and whether any text is clipped
// by it. Used by tests/test_reflow.py; the launch options come from handpress (system Chromium).
const path = require("path");
const puppeteer = require(path.join(process.cwd(), "node_modules", "puppeteer"));

async function main() {
  const [launchJson, width, ...files] = process.argv.slice(2);
  const browser = await puppeteer.launch(JSON.parse(launchJson));
  const page = await browser.newPage();
  await page.setViewport({ width: Number(width), height: 800 });
  const found = {};
  for (const file of files) {
    await page.goto("file://" + file, { waitUntil: "load" });
    found[file] = await page.evaluate(() => {
      const root = document.documentElement;
      const wide = [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && el.getClientRects().length)
        .slice(0, 3)
        .map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : ""));
      return { overflow: root.scrollWidth - root.clientWidth, wide };
    });
  }
  await browser.close();
  process.stdout.write(JSON.stringify(found));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
