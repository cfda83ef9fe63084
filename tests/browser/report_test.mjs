// Headless-browser test of the HTML review report (driven by run.sh).
//
//   node report_test.mjs --report report.html --cleaned cleaned.txt --changes changes.json
//                        --out DIR [--screenshot docs/report.png]
//
// Opens the report from a file:// URL in Debian's chromium and checks that it
// renders (summary numbers equal the change log's), that the stage filter
// hides the other stages' items, that j/k move between items, and that the
// page's text export with nothing rejected equals `copydesk clean`'s output.
// Then it rejects edits by clicking their "accept" boxes and saves, for each
// scenario, the page's two exports: DIR/NAME.rejected.json and DIR/NAME.txt.
// run.sh feeds each .rejected.json to `copydesk apply --reject` and compares.
//   s1: one change of the last stage that made changes; also checked here: the
//       exported text differs from the cleaned text exactly at that edit.
//   s2: every third change of every stage, same comparison in run.sh.
//   s3: a rejection that makes a later edit skipped, if the sample has one.
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
for (const k of ["report", "cleaned", "changes", "out"]) if (!args[k]) throw new Error(`missing --${k}`);

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

const log = JSON.parse(fs.readFileSync(args.changes, "utf8"));
const doc = log.documents[0];
const changes = doc.edits.filter((e) => e.kind === "change" && e.stage !== "input");
const flags = doc.edits.filter((e) => e.kind === "flag");
const cleaned = fs.readFileSync(args.cleaned);

const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-chromium-"));
// A fresh profile (playwright passes it as --user-data-dir).
const context = await chromium.launchPersistentContext(userDir, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  acceptDownloads: true,
  viewport: { width: 1280, height: 860 },
});
try {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  const requests = [];
  page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) requests.push(r.url()); });
  await page.goto(pathToFileURL(path.resolve(args.report)).href);
  await page.waitForSelector("body[data-ready='1']", { timeout: 15000 });

  // Renders: the summary's numbers are the change log's.
  const text = async (sel) => (await page.textContent(sel)).trim();
  check(await text("#sum-documents") === String(log.documents.length), "summary: documents");
  check(await text("#sum-changes") === String(changes.length), `summary: ${changes.length} changes`);
  check(await text("#sum-flags") === String(flags.length), `summary: ${flags.length} flags`);
  check(await page.locator(".item").count() === changes.length + flags.length, "one item per edit");
  check(changes.length > 0, "the sample has changes to review");

  // The stage filter hides every other stage's items.
  const perStage = new Map();
  for (const e of doc.edits) perStage.set(e.stage, (perStage.get(e.stage) || 0) + 1);
  const [stage, count] = [...perStage].sort((a, b) => b[1] - a[1])[0];
  await page.selectOption("#f-stage", stage);
  const shown = await page.$$eval(".item", (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.dataset.stage));
  check(shown.length === count && shown.every((s) => s === stage), `stage filter '${stage}': ${shown.length} items shown, all of it`);
  const otherVisible = await page.$$eval(`.item:not([data-stage='${stage}'])`, (els) => els.filter((e) => e.offsetParent !== null).length);
  check(otherVisible === 0, "stage filter: other stages' items hidden");
  await page.selectOption("#f-stage", "");
  check(await page.locator(".item.hidden").count() === 0, "filter reset shows everything");

  // Keyboard: j/k move between items.
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  const second = await page.$eval(".item.current", (e) => e.id);
  await page.keyboard.press("k");
  const first = await page.$eval(".item.current", (e) => e.id);
  const ids = await page.$$eval(".item", (els) => els.map((e) => e.id));
  check(ids.length < 2 || (first === ids[0] && second === ids[1]), "j/k move to the next / previous item");

  async function save(buttonSelector, file) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(buttonSelector)]);
    await download.saveAs(file);
    return fs.readFileSync(file);
  }
  fs.mkdirSync(args.out, { recursive: true });
  const out = (name) => path.join(args.out, name);

  const none = await save(".export-text[data-doc='0']", out("s0.txt"));
  check(Buffer.compare(none, cleaned) === 0, "export with nothing rejected == copydesk clean output");

  async function reject(id) {
    const box = page.locator(`#d0-${id} .accept-box`);
    await box.scrollIntoViewIfNeeded();
    await box.uncheck();
  }

  // s1: one edit of the last stage with changes.
  const lastStage = changes[changes.length - 1].stage;
  const target = changes.find((e) => e.stage === lastStage);
  await reject(target.id);
  check(await page.locator(`#d0-${target.id}.rejected`).count() === 1, `rejected ${target.id} is marked`);
  check(await text("#sum-rejected") === "1", "summary counts 1 rejected");
  const rej1 = JSON.parse(await save("#export-rejected", out("s1.rejected.json")));
  check(rej1.copydesk_rejected === 1 && JSON.stringify(rej1.documents[doc.document]) === JSON.stringify([target.id]),
        "rejected-ids export names exactly that edit");
  const t1 = await save(".export-text[data-doc='0']", out("s1.txt"));
  const a = cleaned.toString("utf8"), b = t1.toString("utf8");
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const midClean = a.slice(pre, a.length - suf), midExport = b.slice(pre, b.length - suf);
  check(a !== b && target.after.includes(midClean) && target.before.includes(midExport),
        `s1: text differs only at ${target.id} (${JSON.stringify(target.before)} -> ${JSON.stringify(target.after)}; ` +
        `export has ${JSON.stringify(midExport)} where clean has ${JSON.stringify(midClean)})`);
  if (args.screenshot) {  // the summary and some word-level changes
    if (perStage.has("spacing")) await page.selectOption("#f-stage", "spacing");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: args.screenshot });
    await page.selectOption("#f-stage", "");
  }

  // s2: additionally every third change of the run.
  for (let i = 0; i < changes.length; i += 3) if (changes[i].id !== target.id) await reject(changes[i].id);
  const rej2 = JSON.parse(await save("#export-rejected", out("s2.rejected.json")));
  await save(".export-text[data-doc='0']", out("s2.txt"));
  const skipped = await page.evaluate(() => window.copydeskReport.skipped(0));
  check(rej2.documents[doc.document].length >= 1, `s2: ${rej2.documents[doc.document].length} rejected, ${skipped.length} skipped`);
  // s3: the first single rejection that makes the replay skip a later edit
  // (found with the page's own replay), so both sides exercise skipping.
  await page.click("#reset");
  const skipper = await page.evaluate((ids) => {
    const r = window.copydeskReport;
    for (const id of ids) {
      r.setRejected(0, id, true);
      const skipped = r.skipped(0);
      r.setRejected(0, id, false);
      if (skipped.length) return id;
    }
    return null;
  }, changes.map((e) => e.id));
  if (skipper) {
    await reject(skipper);
    const rej3 = JSON.parse(await save("#export-rejected", out("s3.rejected.json")));
    await save(".export-text[data-doc='0']", out("s3.txt"));
    const skipped3 = await page.evaluate(() => window.copydeskReport.skipped(0));
    check(rej3.documents[doc.document].length === 1 && await page.locator(".item.skipped").count() === skipped3.length,
          `s3: rejecting ${skipper} skips ${skipped3.join(", ")} (marked in the page)`);
  } else {
    console.log("note: no single rejection in this sample makes a later edit depend on it; s3 not run");
  }
  check(requests.length === 0, `no network requests (${requests.join(", ")})`);
  check(errors.length === 0, `no page errors (${errors.join("; ")})`);
} finally {
  await context.close();
  fs.rmSync(userDir, { recursive: true, force: true });
}
if (failures) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
