// Headless-browser test of the HTML review report (driven by run.sh).
//
//   node report_test.mjs --report report.html --cleaned cleaned.txt --changes changes.json
//                        --out DIR [--input FILE] [--multi 1 [--screenshot docs/report.png]]
//
// Opens the report from a file:// URL in Debian's chromium.
//
// One document (the default): checks that the summary numbers are the change
// log's; that the document view's marks are the change log's edits (one mark
// per edit, its deleted and inserted text the log's before and after, its
// popover the log's rule, reason and line); that the page shows the cleaned
// text at the last step and the input at the first; that j/k move between
// marks; that the list view's stage filter and groups of identical edits
// work; and that the text export with nothing rejected equals `copydesk
// clean`'s output. Then, for each scenario, it saves the page's two exports,
// DIR/NAME.rejected.json and DIR/NAME.txt, which run.sh compares with
// `copydesk apply --reject`:
//   s1: one change of the last stage with changes, rejected on its mark in the
//       document view; also checked here: the text differs exactly there.
//   s2: every third change of the run.
//   s3: a rejection that makes a later edit skipped, if the sample has one.
//   s4: every change of the rule with the most changes, by the list view's
//       "reject all" of that rule.
// Several documents (--multi 1): the list view's "reject all" of the rule with
// the most changes across documents; DIR/m.rejected.json and DIR/m/NAME, the
// page's text of every document; with --screenshot, the README's pictures of
// both views (NAME.png and NAME-list.png).
// Quality (when the change log has it, from --quality): the document's badge
// gives the log's score, band and reasons; the highlighted sentences are the
// log's sentences (their text and score), under the "good" band, and none of
// the sentences left unhighlighted (with final punctuation) scores lower; with
// --multi, the document list sorted by score follows the log's scores. Without
// quality: no badge, highlight or sort control.
// --index DIR (with --multi): DIR/index-by-score.html of a `--report DIR/`
// lists the documents by the log's scores, lowest first, with their badges.
// Every run also checks that the page made no network request, raised no
// error, opened no dialog and ran no script from the article text.
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
for (const k of ["report", "changes", "out"]) if (!args[k]) throw new Error(`missing --${k}`);

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

const log = JSON.parse(fs.readFileSync(args.changes, "utf8"));
const edits = log.documents.flatMap((d) => d.edits.filter((e) => e.stage !== "input").map((e) => ({ ...e, document: d.document })));
const changes = edits.filter((e) => e.kind === "change");
const flags = edits.filter((e) => e.kind === "flag");
fs.mkdirSync(args.out, { recursive: true });
const out = (name) => path.join(args.out, name);

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
  page.on("dialog", (d) => { errors.push(`dialog opened: ${d.message()}`); d.dismiss(); });
  const requests = [];
  page.on("request", (r) => { if (!/^(file|blob|data):/.test(r.url())) requests.push(r.url()); });
  await page.goto(pathToFileURL(path.resolve(args.report)).href);
  await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
  const title = await page.title();

  const text = async (sel) => (await page.textContent(sel)).trim();
  check(await text("#sum-documents") === String(log.documents.length), "summary: documents");
  check(await text("#sum-changes") === String(changes.length), `summary: ${changes.length} changes`);
  check(await text("#sum-flags") === String(flags.length), `summary: ${flags.length} flags`);
  check(changes.length > 0, "the run has changes to review");

  async function save(buttonSelector, file) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(buttonSelector)]);
    await download.saveAs(file);
    return fs.readFileSync(file);
  }
  // The list view's rule with the most changes, and its "reject all".
  async function rejectBusiestRule() {
    const perRule = new Map();
    for (const e of changes) perRule.set(`${e.stage}/${e.rule}`, (perRule.get(`${e.stage}/${e.rule}`) || 0) + 1);
    const [rule, n] = [...perRule].sort((a, b) => b[1] - a[1])[0];
    await page.click("#tab-list");
    await page.selectOption("#f-rule", rule);  // the list draws its rows lazily: show the rule's heading
    await page.click(`.rulehead[data-rule='${rule}'] .bulk-reject`);
    await page.selectOption("#f-rule", "");
    const ids = changes.filter((e) => `${e.stage}/${e.rule}` === rule);
    check(await text("#sum-rejected") === String(n), `list view: "reject all" of ${rule} rejects its ${n} changes`);
    return ids;
  }

  const scored = log.documents.every((d) => d.quality);
  check(scored || log.documents.every((d) => !d.quality), "the change log has quality for all documents or none");
  if (!scored) {
    check(await page.locator(".qbadge:visible, #article .qs, #doc-sort:visible").count() === 0,
          "without quality: no badge, highlight or sort control");
  }

  if (args.multi) {
    if (scored) {
      const rows = async () => page.$$eval("#docrows .drow", (rs) => rs.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((r) => [Number(r.dataset.doc), r.querySelector(".qbadge") ? r.querySelector(".qbadge").textContent : null]));
      const runOrder = await rows();
      check(runOrder.every(([di, b], i) => di === i && b === log.documents[di].quality.score.toFixed(1)),
            "document list: a score badge per document, the log's score, in run order");
      await page.selectOption("#doc-sort", "low");
      const low = await rows();
      const want = log.documents.map((d, i) => [i, d.quality.score]).sort((a, b) => a[1] - b[1] || a[0] - b[0]).map((x) => x[0]);
      check(JSON.stringify(low.map((r) => r[0])) === JSON.stringify(want),
            `document list sorted by quality, lowest first: ${low.map((r) => r[1]).join(" ")}`);
      await page.selectOption("#doc-sort", "high");
      const high = await rows();
      const wantHigh = log.documents.map((d, i) => [i, d.quality.score]).sort((a, b) => b[1] - a[1] || a[0] - b[0]).map((x) => x[0]);
      check(JSON.stringify(high.map((r) => r[0])) === JSON.stringify(wantHigh), "and highest first");
      await page.selectOption("#doc-sort", "run");
      check(JSON.stringify((await rows()).map((r) => r[0])) === JSON.stringify(log.documents.map((d, i) => i)), "and back to run order");
    }
    if (args.screenshot) {  // the document view with a popover, the list view with a group open
      await page.locator("#doc-title").click();
      for (const key of ["j", "j", "j", "x", "j", "j"]) await page.keyboard.press(key);
      await page.hover("#article .cur");
      await page.screenshot({ path: args.screenshot });
      await page.keyboard.press("Escape");
      await page.click("#reset");
      await page.click("#tab-list");
      await page.selectOption("#f-stage", "names");
      await page.click("#list .group");
      await page.screenshot({ path: args.screenshot.replace(/\.png$/, "-list.png") });
      await page.selectOption("#f-stage", "");
      await page.click("#tab-doc");
    }
    const ids = await rejectBusiestRule();
    const rej = JSON.parse(await save("#export-rejected", out("m.rejected.json")));
    const exported = Object.values(rej.documents).reduce((n, d) => n + d.rejected.length, 0);
    check(rej.copydesk_rejected === 2 && exported === ids.length &&
          ids.every((e) => rej.documents[e.document].rejected.includes(e.id)),
          `rejected-ids export names exactly those ${ids.length} edits`);
    fs.mkdirSync(out("m"), { recursive: true });
    const texts = await page.evaluate(() => window.copydeskReport.documents.map((d, i) => [d.path, window.copydeskReport.text(i)]));
    for (const [p, t] of texts) fs.writeFileSync(out(path.join("m", path.basename(p))), t);
  } else {
    const doc = log.documents[0];
    const cleaned = fs.readFileSync(args.cleaned);
    const input = fs.readFileSync(args.input, "utf8").replace(/\r\n/g, "\n");

    if (scored) {
      const q = doc.quality;
      const badge = await page.$eval("#doc-quality", (b) => ({ text: b.textContent, title: b.title, cls: b.className,
                                                               shown: !b.classList.contains("hidden") }));
      check(badge.shown && badge.text.includes(q.score.toFixed(1)) && badge.text.includes(q.band) && badge.cls.includes(q.band) &&
            q.reasons.every((r) => badge.title.includes(r.why)),
            `quality badge: ${badge.text}; its title names the reasons (${badge.title})`);
      // The highlighted sentences, by range index: their text (marks' deleted text and proposals aside) and score.
      const hl = await page.evaluate(() => {
        const out = {};
        for (const n of document.querySelectorAll("#article .qs")) {
          const c = n.cloneNode(true);
          c.querySelectorAll("del, .prop, mark.pt").forEach((x) => x.remove());
          const o = out[n.dataset.q] || (out[n.dataset.q] = { text: "", score: null, title: n.title });
          o.text += c.textContent;
          if (n.dataset.score) o.score = n.dataset.score;
        }
        return Object.values(out);
      });
      const text = cleaned.toString("utf8").includes("\r\n") ? null : cleaned;
      const sentences = q.sentences.map((x) => ({ ...x, text: text ? text.subarray(x.begin, x.end).toString("utf8") : "" }));
      const matched = hl.map((h) => sentences.find((x) => x.text === h.text && x.score.toFixed(1) === h.score));
      const final = (x) => /[.!?]["')\]\u201d\u2019]*$/.test(x.text);
      const rest = sentences.filter((x) => final(x) && !matched.includes(x));
      const worst = Math.max(...matched.filter(Boolean).map((x) => x.score));
      const lowest = Math.min(...sentences.filter(final).map((x) => x.score));
      check(hl.length >= (lowest < 62 ? 1 : 0) && hl.length <= 3 && matched.every(Boolean) && matched.every((x) => x.score < 62) &&
            rest.every((x) => x.score >= worst) && hl.every((h) => h.title.includes(h.score)),
            `highlights: ${hl.length} sentence(s) (${hl.map((h) => h.score).join(", ")}), the log's lowest-scoring, each with its score`);
      await page.selectOption("#step", "0");
      check(await page.locator("#article .qs").count() === 0, "no highlight on the input (step 0)");
      await page.selectOption("#step", await page.$$eval("#step option", (o) => o[o.length - 1].value));
    }

    // The document view: one mark per edit of the change log, with its text.
    const marks = await page.evaluate(() => {
      const byId = {};
      const cat = (sel) => Array.from(document.querySelectorAll(sel)).map((n) => n.textContent).join("");
      for (const m of document.querySelectorAll("#article [data-first]")) {
        const id = m.dataset.id;
        byId[id] = { del: cat(`#article del[data-id="${id}"]`), ins: cat(`#article ins[data-id="${id}"]`),
                     flag: cat(`#article mark[data-id="${id}"]:not(.pt)`) };
      }
      return { order: Array.from(document.querySelectorAll("#article [data-first]")).map((m) => m.dataset.id), byId };
    });
    check(marks.order.length === changes.length + flags.length && edits.every((e) => marks.byId[e.id]),
          `document view: one mark per edit of the change log (${marks.order.length})`);
    const wrong = edits.filter((e) => {
      const m = marks.byId[e.id];
      if (!m) return true;
      if (e.kind === "flag") return e.before !== "" && m.flag !== e.before;
      return m.del !== e.before || m.ins !== e.after;
    });
    check(wrong.length === 0, `document view: each mark deletes the log's "before" and inserts its "after"` +
          (wrong.length ? ` (not: ${wrong.map((e) => e.id).join(", ")})` : ""));
    const shownText = () => page.evaluate(() => {
      const art = document.getElementById("article").cloneNode(true);
      art.querySelectorAll("del, .prop, mark.pt").forEach((n) => n.remove());
      return art.textContent;
    });
    check(await shownText() === cleaned.toString("utf8").replace(/\r\n/g, "\n"), "document view shows the cleaned text");
    await page.selectOption("#step", "0");
    check(await shownText() === input && await page.locator("#article .m").count() === 0, "step 0 shows the input, unmarked");
    await page.selectOption("#step", await page.$$eval("#step option", (o) => o[o.length - 1].value));

    // Hover: the popover gives the log's rule, reason and line.
    const first = edits.find((e) => e.id === marks.order[0]);
    await page.hover(`#article [data-first][data-id='${first.id}']`);
    const pop = await text("#pop");
    check(pop.includes(first.rule) && pop.includes(first.reason) && pop.includes(`line ${first.line}`),
          `popover of ${first.id}: rule, reason and line ${first.line} as in the change log`);

    // Keyboard: j/k move between the marks.
    await page.mouse.move(0, 0);
    await page.locator("#doc-title").click();
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    const second = await page.$eval("#article .cur", (e) => e.dataset.id);
    await page.keyboard.press("k");
    const back = await page.$eval("#article .cur", (e) => e.dataset.id);
    check(marks.order.length < 2 || (back === marks.order[0] && second === marks.order[1]), "j/k move to the next / previous mark");

    const none = await save(".export-text[data-doc='0']", out("s0.txt"));
    check(Buffer.compare(none, cleaned) === 0, "export with nothing rejected == copydesk clean output");

    // s1: one change of the last stage with changes, rejected on its mark.
    const lastStage = changes[changes.length - 1].stage;
    const target = changes.find((e) => e.stage === lastStage);
    await page.keyboard.press("Escape");  // closes the popover j/k opened
    await page.click(`#article [data-first][data-id='${target.id}']`);
    await page.click("#pop .pop-toggle");
    check(await page.locator(`#article .prop.rejected[data-id='${target.id}']`).count() === 1, `rejected ${target.id} is marked in the text`);
    check(await text("#sum-rejected") === "1", "summary counts 1 rejected");
    const rej1 = JSON.parse(await save("#export-rejected", out("s1.rejected.json")));
    check(rej1.copydesk_rejected === 2 && JSON.stringify(rej1.documents[doc.document].rejected) === JSON.stringify([target.id]),
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
    check(await shownText() === b.replace(/\r\n/g, "\n"), "s1: the document view shows the text with the accepted edits");

    // The list view: the stage filter, and groups of identical edits.
    await page.click("#tab-list");
    const perStage = new Map();
    for (const e of edits) perStage.set(e.stage, (perStage.get(e.stage) || 0) + 1);
    const [stage, count] = [...perStage].sort((x, y) => y[1] - x[1])[0];
    await page.selectOption("#f-stage", stage);
    const shownStages = await page.$$eval("#list [data-rule]", (els) => els.map((e) => e.dataset.rule.split("/")[0]));
    check(shownStages.length > 0 && shownStages.every((s) => s === stage) &&
          await page.$eval("#status", (s) => s.dataset.shown) === String(count), `list view: stage filter '${stage}' shows its ${count} items only`);
    const groups = await page.locator("#list .group").count();
    if (groups) {
      const n = Number((await text("#list .group .n")).slice(1));
      await page.click("#list .group");
      check(await page.locator("#list .item.occ").count() === n, `list view: a group of ${n} identical edits expands to ${n} items`);
    }
    await page.selectOption("#f-stage", "");
    await page.click("#tab-doc");

    // s2: additionally every third change of the run.
    await page.evaluate((ids) => window.copydeskReport.setMany(ids.map((id) => [0, id]), true),
                        changes.filter((e, i) => i % 3 === 0).map((e) => e.id));
    const rej2 = JSON.parse(await save("#export-rejected", out("s2.rejected.json")));
    await save(".export-text[data-doc='0']", out("s2.txt"));
    const skipped = await page.evaluate(() => window.copydeskReport.skipped(0));
    check(rej2.documents[doc.document].rejected.length >= 1, `s2: ${rej2.documents[doc.document].rejected.length} rejected, ${skipped.length} skipped`);
    check(await shownText() === fs.readFileSync(out("s2.txt"), "utf8").replace(/\r\n/g, "\n"), "s2: the document view shows the text with the accepted edits");

    // s3: the first single rejection that makes the replay skip a later edit
    // (found with the page's own replay), so both sides exercise skipping.
    await page.click("#reset");
    const skipper = await page.evaluate((ids) => {
      const r = window.copydeskReport;
      for (const id of ids) {
        r.setRejected(0, id, true);
        const s = r.skipped(0);
        r.setRejected(0, id, false);
        if (s.length) return id;
      }
      return null;
    }, changes.map((e) => e.id));
    if (skipper) {
      await page.keyboard.press("Escape");
      await page.click(`#article [data-first][data-id='${skipper}']`);
      await page.click("#pop .pop-toggle");
      const rej3 = JSON.parse(await save("#export-rejected", out("s3.rejected.json")));
      await save(".export-text[data-doc='0']", out("s3.txt"));
      const skipped3 = await page.evaluate(() => window.copydeskReport.skipped(0));
      check(rej3.documents[doc.document].rejected.length === 1 && await page.locator("#article .prop.skipped").count() === skipped3.length,
            `s3: rejecting ${skipper} skips ${skipped3.join(", ")} (marked in the text)`);
    } else {
      console.log("note: no single rejection in this sample makes a later edit depend on it; s3 not run");
    }

    // s4: bulk reject by rule in the list view.
    await page.click("#reset");
    await rejectBusiestRule();
    await save("#export-rejected", out("s4.rejected.json"));
    await page.click("#tab-doc");
    await save(".export-text[data-doc='0']", out("s4.txt"));
  }

  // Hostile article text stays text: no script ran, no element came from it.
  const inert = await page.evaluate(() => ({
    pwned: document.documentElement.dataset.pwned || window.pwned || null,
    elements: Array.from(document.querySelectorAll("#article *, #list *")).filter((n) =>
      ["SCRIPT", "IMG", "IFRAME", "A", "SVG", "OBJECT", "STYLE"].includes(n.tagName) && n.closest("#list .meta") === null).length,
  }));
  check(inert.pwned === null && inert.elements === 0 && await page.title() === title,
        "article text stays inert (no script ran, no element made from it)");
  if (args.index) {
    await page.goto(pathToFileURL(path.resolve(args.index, "index-by-score.html")).href);
    const rows = await page.$$eval("tr", (trs) => trs.slice(1).map((tr) => ({ doc: tr.querySelector("a").textContent,
      href: tr.querySelector("a").getAttribute("href"), badge: tr.querySelector(".qbadge")?.textContent,
      title: tr.querySelector(".qbadge")?.title })));
    const want = log.documents.map((d, i) => [d, i]).sort((a, b) => a[0].quality.score - b[0].quality.score || a[1] - b[1]);
    check(rows.length === want.length && rows.every((r, k) => r.doc === want[k][0].document &&
          r.badge === want[k][0].quality.score.toFixed(1) && r.title.startsWith(want[k][0].quality.band)),
          `index-by-score.html: documents lowest score first (${rows.map((r) => r.badge).join(" ")})`);
    await page.click("tr:nth-child(2) a");
    await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
    check(await page.$eval("#doc-quality", (b, score) => b.textContent.includes(score), want[0][0].quality.score.toFixed(1)),
          "its first link opens the lowest-scoring document's page, with its badge");
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
