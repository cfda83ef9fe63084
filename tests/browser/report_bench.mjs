// Timing of the review page in headless Chromium (bench/report_bench.sh runs it):
//   node tests/browser/report_bench.mjs --report report.html [--runs 5]
// Load: from navigation start to the page's "copydesk-ready" mark (data parsed,
// indexed, first document drawn) and to the first contentful paint. Clicks:
// each action is dispatched in the page and timed to the next frame (the
// handler, style, layout and paint it causes), `runs` times: median and worst.
import { chromium } from "playwright-core";
import path from "node:path";
import { pathToFileURL } from "node:url";

const args = { runs: "5" };
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const runs = Number(args.runs);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
const wall = Date.now();
await page.goto(pathToFileURL(path.resolve(args.report)).href, { timeout: 120000 });
await page.waitForSelector("body[data-ready='1']", { timeout: 120000 });
const wallMs = Date.now() - wall;
const load = await page.evaluate(() => ({
  ready: performance.getEntriesByName("copydesk-ready")[0]?.startTime,
  fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
  items: document.getElementById("sum-changes").textContent + " changes, " + document.getElementById("sum-flags").textContent + " flags",
  documents: document.getElementById("sum-documents").textContent,
}));
console.log(`load: ready ${load.ready?.toFixed(0)} ms after navigation start, first paint ${load.fcp?.toFixed(0)} ms, ` +
            `${wallMs} ms wall (goto to ready); ${load.documents} documents, ${load.items}`);

await page.evaluate(() => {
  window.__frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  window.__key = (key) => document.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
  window.__change = (sel, value) => { const s = document.querySelector(sel); s.value = value; s.dispatchEvent(new Event("change")); };
});

const results = [];
// Times `action` (a function run in the page) `n` times; `before` prepares each run untimed.
async function time(name, action, before, n = runs) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    if (before) await page.evaluate(before, i);
    ms.push(await page.evaluate(async ([src, i]) => {
      const fn = new Function("i", src);
      const t = performance.now();
      fn(i);
      await window.__frame();
      return performance.now() - t;
    }, [`(${action})(i)`, i]));
  }
  ms.sort((a, b) => a - b);
  results.push([name, ms[Math.floor(ms.length / 2)], ms[ms.length - 1]]);
}

// Document view.
await time("next document (button)", () => document.getElementById("doc-next").click());
await time("previous document (key [)", () => window.__key("["));
await time("next change (key j)", () => window.__key("j"));
await page.evaluate(() => { window.__marks = () => Array.from(document.querySelectorAll("#article [data-first]")).filter((m) => m.tagName !== "MARK"); });
await time("open a mark (click)", (i) => window.__marks()[i + 1].click());
await time("reject on the mark (popover button)", () => document.querySelector("#pop .pop-toggle").click(),
           (i) => window.__marks()[i + 1].click());
await time("reject / accept (key x)", () => window.__key("x"));
await time("step control: after the first stage", () => window.__change("#step", "1"));
await time("step control: the result", () => window.__change("#step", String(document.querySelectorAll("#step option").length - 1)));
await time("reject all in document", () => document.getElementById("doc-reject").click(), () => document.getElementById("doc-next").click());
await time("filter the document list", (i) => { const s = document.getElementById("doc-search"); s.value = i % 2 ? "" : "01"; s.dispatchEvent(new Event("input")); });
// List view.
await time("switch to the list view (first time: index the groups)", () => document.getElementById("tab-list").click(), null, 1);
await time("switch views (key v, twice)", () => { window.__key("v"); window.__key("v"); });
await time("stage filter", (i) => window.__change("#f-stage", i % 2 ? "" : document.querySelectorAll("#f-stage option")[1 + (i >> 1) % 3]?.value || ""));
await time("rule filter", (i) => window.__change("#f-rule", i % 2 ? "" : document.querySelectorAll("#f-rule option")[1 + i]?.value || ""));
await time("document filter (path contains)", (i) => window.__change("#f-doc", i % 2 ? "" : String(1000 + i * 100)));
await page.evaluate(() => { for (const id of ["#f-doc", "#f-stage", "#f-rule"]) window.__change(id, ""); });
await time("expand a group of identical edits", () => document.querySelector("#list .group").click());
await time("reject one item (accept box)", () => document.querySelector("#list .item .accept-box").click());
await time("reject all of a rule (bulk, all documents)", (i) => { const b = document.querySelectorAll("#list .rulehead .bulk-reject"); b[i % b.length].click(); });
await time("reject all of a stage (bulk)", () => document.querySelector("#list .stagehead .bulk-reject").click());
await time("reject every item shown (bulk)", () => document.getElementById("shown-reject").click());
await time("accept all (whole run)", () => document.getElementById("reset").click());
await time("scroll the list further (draws the next rows)", () => { const l = document.getElementById("list"); l.scrollTop = l.scrollHeight; });
await time("reject all of a rule, after that scrolling", (i) => { const b = document.querySelectorAll("#list .rulehead .bulk-reject"); b[i % b.length].click(); });
await time("accept all, after that scrolling", () => document.getElementById("reset").click());
await time("export rejected ids (build the JSON)", () => JSON.stringify(window.copydeskReport.rejectedJson()));

const width = Math.max(...results.map((r) => r[0].length));
console.log(`clicks (${runs} runs each; median / worst, ms, to the next frame):`);
for (const [name, med, worst] of results) console.log(`  ${name.padEnd(width)}  ${med.toFixed(1).padStart(7)}  ${worst.toFixed(1).padStart(7)}`);
console.log(`slowest click: ${Math.max(...results.map((r) => r[2])).toFixed(1)} ms`);
if (errors.length) console.log("page errors:", errors);
await browser.close();
