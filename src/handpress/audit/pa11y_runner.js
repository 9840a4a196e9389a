'use strict';
/*
 * handpress's pa11y driver: audit many URLs in ONE shared Chromium, a few pages at a time.
 *
 *   node pa11y_runner.js /absolute/path/to/config.json
 *
 * The config (written by handpress/audit/pa11y.py) holds:
 *   nodeModules         the node_modules folder that holds pa11y and puppeteer
 *   chromeLaunchConfig  puppeteer launch options (executablePath, headless, args)
 *   standard, runners   pa11y options (e.g. "WCAG2AA", ["htmlcs", "axe"])
 *   includeWarnings     pa11y's option of that name (notices are never included)
 *   concurrency         how many pages are open at once
 *   timeout             milliseconds allowed to load a page, and to audit one of up to `elementsPerTimeout`
 *                       elements; a bigger page gets as many times that as it is bigger (axe's contrast
 *                       check alone takes seconds per thousand elements: a whole-guide page has thousands)
 *   elementsPerTimeout  see timeout
 *   urls                the pages to audit
 *
 * stdout gets one JSON line per URL as soon as it is done:
 *   {"index": 0, "url": "...", "status": 200, "title": "...", "issues": [...]}  or
 *   {"index": 0, "url": "...", "error": "..."}
 * A failure of the whole run (no browser) goes to stderr with exit code 1.
 */

const fs = require('fs');
const path = require('path');
const {createRequire} = require('module');

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const requireHere = createRequire(path.join(config.nodeModules, '..', 'package.json'));
const pa11y = requireHere('pa11y');
const puppeteer = requireHere('puppeteer');

function emit(record) {
	process.stdout.write(JSON.stringify(record) + '\n');
}

function withTimeout(promise, ms, what, why = '') {
	let timer;
	const timeout = new Promise((resolve, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms${why}`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function auditOne(browser, page, url) {
	// A static page served from disk is complete at "load" (pa11y itself waits for network idle,
	// which costs half a second a page); web fonts are awaited so text metrics are final.
	const response = await withTimeout(page.goto(url, {waitUntil: 'load', timeout: config.timeout}),
		config.timeout, url);
	const status = response ? response.status() : 0;
	const landed = page.url();
	if (new URL(landed).origin !== new URL(url).origin) {
		return {status, error: `redirected off the site to ${landed}`};
	}
	if (status < 200 || status >= 300) {
		return {status, error: `HTTP ${status} for ${url}`};
	}
	const elements = await withTimeout(page.evaluate(
		() => document.fonts.ready.then(() => document.getElementsByTagName('*').length)), config.timeout, url);
	const budget = auditBudget(elements);
	const audit = pa11y(url, {
		browser,
		page,
		ignoreUrl: true,
		standard: config.standard,
		runners: config.runners,
		includeNotices: false,
		includeWarnings: Boolean(config.includeWarnings),
		timeout: budget
	});
	const result = await withTimeout(audit, budget, url, ` (a page gets [audit] timeout_ms, ${config.timeout} ms, `
		+ `per ${config.elementsPerTimeout} elements; this one has ${elements})`);
	return {status, title: result.documentTitle, issues: result.issues.map(issue => ({
		runner: issue.runner,
		code: issue.code,
		type: issue.type,
		message: issue.message,
		selector: issue.selector || '',
		context: issue.context || ''
	}))};
}

function auditBudget(elements) {
	return Math.round(config.timeout * Math.max(1, elements / config.elementsPerTimeout));
}

async function worker(browser, queue) {
	let page = await browser.newPage();
	for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
		const {index, url} = next;
		try {
			const outcome = await auditOne(browser, page, url);
			emit({index, url, ...outcome});
		} catch (error) {
			emit({index, url, error: error.message});
			// The page may be stuck mid-navigation: start the next URL on a fresh one.
			await page.close().catch(() => {});
			page = await browser.newPage();
		}
	}
	await page.close().catch(() => {});
}

async function main() {
	const browser = await puppeteer.launch(config.chromeLaunchConfig);
	try {
		const queue = config.urls.map((url, index) => ({index, url}));
		const workers = Math.max(1, Math.min(config.concurrency, queue.length));
		await Promise.all(Array.from({length: workers}, () => worker(browser, queue)));
	} finally {
		await browser.close();
	}
}

main().catch(error => {
	// One line for handpress to show: puppeteer's first lines say what failed, the rest is a help link.
	const lines = String(error.message).split('\n').map(line => line.trim())
		.filter(line => line && !line.startsWith('TROUBLESHOOTING'));
	process.stderr.write(`${lines.slice(0, 3).join('; ')}\n`);
	process.exit(1);
});
