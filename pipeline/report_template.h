// The HTML, CSS and JavaScript of the review report (pipeline/report.cpp puts
// the data block between kReportHead and kReportTail). Self-contained: no
// network, no external assets. docs/report.md describes the page.
//
// `replayStage` / `replay` below mirror StageReplay / apply_review in
// pipeline/review.cpp line for line: keep them in step.
#pragma once

namespace copydesk {

inline constexpr const char* kReportHead = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>copydesk review</title>
<style>
:root { --fg: #1d1d1f; --muted: #6b6b70; --line: #d9d9de; --bg: #fff; --panel: #f5f5f7;
        --del: #ffd7d5; --del-fg: #8a1c14; --ins: #ccf2d1; --ins-fg: #0d5c1a; --flag: #fff1c2; --cur: #2f6fed; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 12px 20px 4px; }
h1 { font-size: 20px; margin: 0 0 2px; }
h2 { font-size: 16px; margin: 0; word-break: break-all; }
h3 { font-size: 13px; margin: 14px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.muted { color: var(--muted); }
kbd { font: 12px ui-monospace, monospace; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 4px; background: var(--panel); }
#summary { display: flex; flex-wrap: wrap; gap: 16px; padding: 8px 20px 12px; }
.card { background: var(--panel); border-radius: 8px; padding: 10px 14px; min-width: 120px; }
.card .n { font-size: 22px; font-weight: 600; }
.card table { border-collapse: collapse; font-size: 13px; }
.card td, .card th { padding: 1px 10px 1px 0; text-align: left; }
.card td.num, .card th.num { text-align: right; }
.card a { color: inherit; }
#toolbar { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; align-items: center; gap: 10px;
           padding: 8px 20px; background: rgba(255,255,255,.96); border-bottom: 1px solid var(--line); }
#toolbar label { font-size: 13px; }
select, button { font: inherit; font-size: 13px; }
button { border: 1px solid var(--line); background: var(--panel); border-radius: 6px; padding: 3px 10px; cursor: pointer; }
button:hover { border-color: var(--cur); }
#status { font-size: 13px; color: var(--muted); margin-left: auto; }
main { padding: 0 20px 40vh; }
section.doc { margin: 18px 0; border-top: 2px solid var(--line); padding-top: 10px; }
.dochead { display: flex; flex-wrap: wrap; align-items: baseline; gap: 12px; }
.item { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
.item.change { border-left-color: #7aa7ff; }
.item.flag { border-left-color: #e0b400; background: #fffcf0; }
.item.rejected { opacity: .55; border-left-color: #aaa; }
.item.rejected .ctx del, .item.rejected .ctx ins { text-decoration: line-through; }
.item.skipped { border-left-color: #d9822b; }
.item.current { outline: 2px solid var(--cur); outline-offset: 1px; }
.meta { display: flex; flex-wrap: wrap; gap: 10px; align-items: baseline; font-size: 12.5px; }
.meta .id { font: 12px ui-monospace, monospace; color: var(--muted); }
.meta .rule { font-weight: 600; }
.meta .accept { margin-left: auto; user-select: none; }
.note { font-size: 12px; color: #a04f00; }
.ctx { font: 13px/1.5 ui-monospace, "SF Mono", Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; margin-top: 4px; }
.ctx del { background: var(--del); color: var(--del-fg); text-decoration: none; border-radius: 2px; }
.ctx ins { background: var(--ins); color: var(--ins-fg); text-decoration: none; border-radius: 2px; }
.ctx mark { background: var(--flag); border-radius: 2px; }
.ctx .ws { opacity: .6; }
.hidden { display: none !important; }
#help { font-size: 13px; }
</style>
</head>
<body>
<header>
  <h1>copydesk review</h1>
  <div class="muted" id="generator"></div>
  <div id="help">Keys: <kbd>j</kbd>/<kbd>n</kbd> next item, <kbd>k</kbd>/<kbd>p</kbd> previous item,
    <kbd>x</kbd> reject / accept the current change, <kbd>g</kbd> first item, <kbd>/</kbd> stage filter.
    Unticking <b>accept</b> rejects an edit; export the rejected ids for <code>copydesk apply --reject FILE</code>,
    or a document's text with the accepted edits only (the same text).</div>
</header>
<div id="summary"></div>
<div id="toolbar">
  <label>Document <select id="f-doc"><option value="">all</option></select></label>
  <label>Stage <select id="f-stage"><option value="">all</option></select></label>
  <label>Rule <select id="f-rule"><option value="">all</option></select></label>
  <label>Show <select id="f-kind"><option value="">changes and flags</option><option value="change">changes</option><option value="flag">flags</option></select></label>
  <button id="export-rejected" type="button">Export rejected ids (JSON)</button>
  <button id="reset" type="button">Accept all</button>
  <span id="status"></span>
</div>
<main id="docs"></main>
)HTML";

inline constexpr const char* kReportTail = R"HTML(<script>
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("copydesk-data").textContent);
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const CHANGE = 0;
  const CONTEXT = 160;     // bytes of context shown either side of an edit
  const SHOW_MAX = 600;    // characters of a long removed or inserted span shown
  const DIFF_MAX = 300;    // tokens per side above which no word diff is made

  // ---- the replay: keep in step with pipeline/review.cpp -------------------
  // Pieces tile F (the run's text) and A (accepted edits only): {f, fLen, a, aLen, aligned}.

  function editId(stage, k) { return stage + "-" + (k + 1); }

  function conflicts(st, e) {
    const old = st.old;
    while (st.check < old.length && old[st.check].f + old[st.check].fLen < e.b) st.check++;
    for (let k = st.check; k < old.length && old[k].f <= e.e; k++) {
      const p = old[k];
      if (p.aligned) continue;
      if (e.b === e.e) return true;
      if (p.fLen > 0 ? (p.f < e.e && p.f + p.fLen > e.b) : (e.b < p.f && p.f < e.e)) return true;
    }
    return false;
  }

  function emit(st, fLen, aLen, aligned) {
    if (fLen === 0 && aLen === 0) return;
    const next = st.next;
    const last = next.length ? next[next.length - 1] : null;
    if (last && last.aligned === aligned) { last.fLen += fLen; last.aLen += aLen; return; }
    next.push({ f: last ? last.f + last.fLen : 0, fLen: fLen, a: last ? last.a + last.aLen : 0, aLen: aLen, aligned: aligned });
  }

  function walk(st, y, through, emitPieces) {
    let consumed = 0;
    const old = st.old;
    while (st.i < old.length) {
      const p = old[st.i];
      let fLen = 0, aLen = 0, done = false;
      if (p.fLen === 0) {
        if (!(p.f < y || (through && p.f === y))) break;
        aLen = p.a + p.aLen - st.ac;
        st.ac = p.a + p.aLen;
        done = true;
      } else {
        if (p.f >= y) break;
        const s = Math.max(st.f, p.f), t = Math.min(y, p.f + p.fLen);
        if (t > s) {
          fLen = t - s;
          if (p.aligned) { aLen = t - s; st.ac = p.a + (t - p.f); }
          else { aLen = p.a + p.aLen > st.ac ? p.a + p.aLen - st.ac : 0; st.ac = Math.max(st.ac, p.a + p.aLen); }
        }
        done = t === p.f + p.fLen;
      }
      if (emitPieces) emit(st, fLen, aLen, p.aligned); else consumed += aLen;
      if (!done) break;
      st.i++;
    }
    st.f = Math.max(st.f, y);
    return consumed;
  }

  // One stage: returns [pieces, A bytes] for the next stage.
  function replayStage(pieces, aText, fLength, stage, rejected, skipped) {
    const st = { old: pieces, next: [], i: 0, check: 0, f: 0, ac: 0 };
    const out = [];
    let aDone = 0;
    stage.edits.forEach(function (e, k) {
      if (e.kind !== CHANGE) return;
      const id = editId(stage.name, k);
      const accepted = !rejected.has(id);
      const skip = accepted && conflicts(st, e);
      if (skip) skipped.push(id);
      walk(st, e.b, true, true);
      if (accepted && !skip) {
        const aBegin = st.ac;
        walk(st, e.e, false, false);
        out.push(aText.subarray(aDone, aBegin), e.bytes);
        aDone = st.ac;
        emit(st, e.bytes.length, e.bytes.length, true);
      } else {
        const aLen = walk(st, e.e, false, false);
        emit(st, e.bytes.length, aLen, false);
      }
    });
    walk(st, fLength, true, true);
    if (st.ac !== aText.length || st.i !== pieces.length) throw new Error("review replay: piece map out of step");
    out.push(aText.subarray(aDone));
    return [st.next, concat(out)];
  }

  function concat(parts) {
    let n = 0;
    for (const p of parts) n += p.length;
    const r = new Uint8Array(n);
    let o = 0;
    for (const p of parts) { r.set(p, o); o += p.length; }
    return r;
  }

  // The document's bytes with the edits in `rejected` (a Set of ids) left out.
  function replay(doc, rejected) {
    const skipped = [];
    let aText = doc.inputBytes;
    let fLength = aText.length;
    let pieces = fLength > 0 ? [{ f: 0, fLen: fLength, a: 0, aLen: fLength, aligned: true }] : [];
    for (const stage of doc.stages) {
      let nextLength = fLength;
      for (const e of stage.edits) if (e.kind === CHANGE) nextLength += e.bytes.length - (e.e - e.b);
      const r = replayStage(pieces, aText, fLength, stage, rejected, skipped);
      pieces = r[0]; aText = r[1]; fLength = nextLength;
    }
    if (doc.crlf) aText = restoreCrlf(aText);
    return { bytes: aText, skipped: skipped };
  }

  function restoreCrlf(bytes) {
    let n = 0;
    for (const c of bytes) if (c === 10) n++;
    const r = new Uint8Array(bytes.length + n);
    let o = 0;
    for (const c of bytes) { if (c === 10) r[o++] = 13; r[o++] = c; }
    return r;
  }

  // F_k for every stage (the run's own stage inputs), rebuilt from the input.
  function stageInputs(doc) {
    const inputs = [];
    let text = doc.inputBytes;
    for (const stage of doc.stages) {
      inputs.push(text);
      const parts = [];
      let pos = 0;
      for (const e of stage.edits) {
        if (e.kind !== CHANGE) continue;
        parts.push(text.subarray(pos, e.b), e.bytes);
        pos = e.e;
      }
      parts.push(text.subarray(pos));
      text = concat(parts);
    }
    return inputs;
  }

  // ---- rendering ----------------------------------------------------------

  function el(tag, cls, text) {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }

  const isCont = function (c) { return (c & 0xC0) === 0x80; };

  // Whitespace made visible inside a removed or inserted span.
  function showSpan(parent, tag, text) {
    if (text.length > SHOW_MAX) text = text.slice(0, SHOW_MAX / 2) + " … [" + text.length + " characters] … " + text.slice(-SHOW_MAX / 2);
    const node = el(tag);
    const re = /[ \t\n\u00a0]/g;
    let last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) node.appendChild(document.createTextNode(text.slice(last, m.index)));
      const ch = m[0];
      node.appendChild(el("span", "ws", ch === " " ? "·" : ch === "\t" ? "→" : ch === "\n" ? "¶\n" : "⍽"));
      last = m.index + 1;
    }
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
    parent.appendChild(node);
  }

  const TOKEN = /\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;

  // Word-level diff of a change: equal tokens plain, the rest as <del>/<ins>.
  function wordDiff(parent, before, after) {
    const a = before.match(TOKEN) || [], b = after.match(TOKEN) || [];
    if (a.length > DIFF_MAX || b.length > DIFF_MAX || a.length * b.length === 0) {
      if (before) showSpan(parent, "del", before);
      if (after) showSpan(parent, "ins", after);
      return;
    }
    const n = a.length, m = b.length;
    const L = new Array((n + 1) * (m + 1)).fill(0);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        L[i * (m + 1) + j] = a[i] === b[j] ? L[(i + 1) * (m + 1) + j + 1] + 1
                                           : Math.max(L[(i + 1) * (m + 1) + j], L[i * (m + 1) + j + 1]);
    let i = 0, j = 0, del = "", ins = "", same = "";
    const flush = function () {
      if (del) showSpan(parent, "del", del);
      if (ins) showSpan(parent, "ins", ins);
      if (same) parent.appendChild(document.createTextNode(same));
      del = ins = same = "";
    };
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) { if (del || ins) flush(); same += a[i]; i++; j++; }
      else if (j < m && (i === n || L[i * (m + 1) + j + 1] >= L[(i + 1) * (m + 1) + j])) { if (same) flush(); ins += b[j++]; }
      else { if (same) flush(); del += a[i++]; }
    }
    flush();
  }

  // The line around [b, e) of `text` (bytes), at most CONTEXT bytes either side.
  function context(text, b, e) {
    let s = b, t = e;
    while (s > 0 && b - s < CONTEXT && text[s - 1] !== 10) s--;
    while (s < b && isCont(text[s])) s++;
    while (t < text.length && t - e < CONTEXT && text[t] !== 10) t++;
    while (t > e && t < text.length && isCont(text[t])) t--;
    return { pre: (s > 0 && text[s - 1] !== 10 ? "…" : "") + dec.decode(text.subarray(s, b)),
             old: dec.decode(text.subarray(b, e)),
             post: dec.decode(text.subarray(e, t)) + (t < text.length && text[t] !== 10 ? "…" : "") };
  }

  function lineOf(text, pos) {
    let n = 1;
    for (let i = 0; i < pos; i++) if (text[i] === 10) n++;
    return n;
  }

  const docs = data.documents;
  const rejected = docs.map(function () { return new Set(); });
  const items = [];            // every rendered item, in page order
  let current = -1;

  function prepare() {
    docs.forEach(function (doc) {
      doc.inputBytes = enc.encode(doc.input);
      doc.stages = doc.stages.map(function (s) {
        return { name: s.name, edits: s.edits.map(function (x) {
          return { b: x[0], e: x[1], repl: x[2], bytes: enc.encode(x[2]), rule: x[3], reason: x[4], kind: x[5] };
        }) };
      });
    });
  }

  function renderSummary() {
    const perStage = new Map(), perRule = new Map();
    let changes = 0, flags = 0;
    for (const doc of docs) for (const s of doc.stages) {
      if (!perStage.has(s.name)) perStage.set(s.name, [0, 0]);
      for (const e of s.edits) {
        const key = s.name + "\u0000" + e.rule;
        if (!perRule.has(key)) perRule.set(key, [s.name, e.rule, 0, 0]);
        const c = e.kind === CHANGE ? 0 : 1;
        perStage.get(s.name)[c]++;
        perRule.get(key)[2 + c]++;
        if (c === 0) changes++; else flags++;
      }
    }
    const box = document.getElementById("summary");
    const card = function (id, n, label) {
      const c = el("div", "card");
      const v = el("div", "n", String(n)); v.id = id;
      c.appendChild(v); c.appendChild(el("div", "muted", label));
      box.appendChild(c);
    };
    card("sum-documents", docs.length, "documents");
    card("sum-changes", changes, "changes");
    card("sum-flags", flags, "flagged, unchanged");
    card("sum-rejected", 0, "rejected");
    const table = function (title, head, rows, onclick) {
      const c = el("div", "card");
      c.appendChild(el("div", "muted", title));
      const t = el("table"), tr = el("tr");
      head.forEach(function (h, i) { tr.appendChild(el("th", i >= head.length - 2 ? "num" : "", h)); });
      t.appendChild(tr);
      rows.forEach(function (r) {
        const row = el("tr");
        r.forEach(function (v, i) {
          const td = el("td", i >= r.length - 2 ? "num" : "");
          if (i === r.length - 3 && onclick) {
            const a = el("a", "", String(v)); a.href = "#";
            a.addEventListener("click", function (ev) { ev.preventDefault(); onclick(r); });
            td.appendChild(a);
          } else td.textContent = String(v);
          row.appendChild(td);
        });
        t.appendChild(row);
      });
      c.appendChild(t);
      box.appendChild(c);
    };
    table("per stage", ["stage", "changes", "flags"], Array.from(perStage, function (kv) { return [kv[0], kv[1][0], kv[1][1]]; }),
          function (r) { setFilter("f-stage", r[0]); });
    table("per rule", ["stage", "rule", "changes", "flags"], Array.from(perRule.values()),
          function (r) { setFilter("f-rule", r[0] + "/" + r[1]); });
    document.getElementById("generator").textContent = data.generator + " · " + docs.length + " document(s)";
    const addOpts = function (id, values) {
      const s = document.getElementById(id);
      values.forEach(function (v) { const o = el("option", "", v[1]); o.value = v[0]; s.appendChild(o); });
    };
    addOpts("f-doc", docs.map(function (d, i) { return [String(i), d.path]; }));
    addOpts("f-stage", Array.from(perStage.keys(), function (s) { return [s, s]; }));
    addOpts("f-rule", Array.from(perRule.values(), function (r) { return [r[0] + "/" + r[1], r[0] + ": " + r[1]]; }));
  }

  function renderItem(di, stage, k, e, text) {
    const id = editId(stage.name, k);
    const isChange = e.kind === CHANGE;
    const item = el("div", "item " + (isChange ? "change" : "flag"));
    item.id = "d" + di + "-" + id;
    item.dataset.doc = String(di);
    item.dataset.stage = stage.name;
    item.dataset.rule = stage.name + "/" + e.rule;
    item.dataset.kind = isChange ? "change" : "flag";
    item.dataset.id = id;
    const meta = el("div", "meta");
    meta.appendChild(el("span", "id", id));
    meta.appendChild(el("span", "rule", e.rule));
    meta.appendChild(el("span", "", e.reason));
    meta.appendChild(el("span", "muted", "line " + lineOf(text, e.b)));
    if (isChange) {
      const lab = el("label", "accept");
      const box = el("input");
      box.type = "checkbox"; box.checked = true; box.className = "accept-box";
      box.addEventListener("change", function () { setRejected(di, id, !box.checked); });
      lab.appendChild(box); lab.appendChild(document.createTextNode(" accept"));
      meta.appendChild(lab);
    } else {
      meta.appendChild(el("span", "muted", "flag: nothing changed"));
    }
    item.appendChild(meta);
    const c = context(text, e.b, e.e);
    const ctx = el("div", "ctx");
    ctx.appendChild(document.createTextNode(c.pre));
    if (isChange) wordDiff(ctx, c.old, e.repl); else ctx.appendChild(el("mark", "", c.old || "‸"));
    ctx.appendChild(document.createTextNode(c.post));
    item.appendChild(ctx);
    item.appendChild(el("div", "note hidden"));
    item.addEventListener("click", function (ev) { if (ev.target.tagName !== "INPUT") setCurrent(items.indexOf(item)); });
    items.push(item);
    return item;
  }

  function renderDocs() {
    const main = document.getElementById("docs");
    docs.forEach(function (doc, di) {
      const sec = el("section", "doc");
      sec.dataset.doc = String(di);
      const head = el("div", "dochead");
      head.appendChild(el("h2", "", doc.path));
      let n = 0, f = 0;
      for (const s of doc.stages) for (const e of s.edits) if (e.kind === CHANGE) n++; else f++;
      head.appendChild(el("span", "muted", n + " changes, " + f + " flags" + (doc.crlf ? ", CRLF" : "") +
                          (doc.lossy ? ", " + doc.lossy + " invalid bytes replaced (not reviewable)" : "")));
      const btn = el("button", "export-text", "Export text (accepted edits only)");
      btn.type = "button";
      btn.dataset.doc = String(di);
      btn.addEventListener("click", function () { exportText(di); });
      head.appendChild(btn);
      const skipped = el("div", "note skipped-list hidden");
      head.appendChild(skipped);
      sec.appendChild(head);
      const inputs = stageInputs(doc);
      const flagBlock = el("div", "stage flags");
      flagBlock.appendChild(el("h3", "", "flagged, not changed"));
      doc.stages.forEach(function (stage, si) {
        const block = el("div", "stage");
        block.dataset.stage = stage.name;
        block.appendChild(el("h3", "", stage.name));
        stage.edits.forEach(function (e, k) {
          const item = renderItem(di, stage, k, e, inputs[si]);
          (e.kind === CHANGE ? block : flagBlock).appendChild(item);
        });
        if (block.children.length > 1) sec.appendChild(block);
      });
      if (flagBlock.children.length > 1) sec.appendChild(flagBlock);
      main.appendChild(sec);
    });
  }

  // ---- filters, navigation, review ----------------------------------------

  function setFilter(id, value) {
    document.getElementById(id).value = value;
    applyFilters();
  }

  function applyFilters() {
    const fd = document.getElementById("f-doc").value, fs = document.getElementById("f-stage").value;
    const fr = document.getElementById("f-rule").value, fk = document.getElementById("f-kind").value;
    let shown = 0;
    for (const item of items) {
      const d = item.dataset;
      const hide = (fd && d.doc !== fd) || (fs && d.stage !== fs) || (fr && d.rule !== fr) || (fk && d.kind !== fk);
      item.classList.toggle("hidden", !!hide);
      if (!hide) shown++;
    }
    document.querySelectorAll("#docs .stage").forEach(function (b) {
      b.classList.toggle("hidden", !b.querySelector(".item:not(.hidden)"));
    });
    document.querySelectorAll("#docs section.doc").forEach(function (s) {
      s.classList.toggle("hidden", !!fd && s.dataset.doc !== fd);
    });
    document.getElementById("status").dataset.shown = String(shown);
    updateStatus();
  }

  function visible() { return items.filter(function (i) { return !i.classList.contains("hidden"); }); }

  function setCurrent(index) {
    if (current >= 0 && items[current]) items[current].classList.remove("current");
    current = index;
    if (current >= 0) {
      items[current].classList.add("current");
      items[current].scrollIntoView({ block: "center" });
    }
  }

  function step(dir) {
    const vis = visible();
    if (!vis.length) return;
    const pos = current >= 0 ? vis.indexOf(items[current]) : -1;
    let next;
    if (pos < 0) next = dir > 0 ? 0 : vis.length - 1;
    else next = Math.min(vis.length - 1, Math.max(0, pos + dir));
    setCurrent(items.indexOf(vis[next]));
  }

  function setRejected(di, id, reject) {
    if (reject) rejected[di].add(id); else rejected[di].delete(id);
    const item = document.getElementById("d" + di + "-" + id);
    item.classList.toggle("rejected", reject);
    item.querySelector(".accept-box").checked = !reject;
    refreshDocument(di);
  }

  // Marks the changes the replay skips because they depend on a rejected one.
  function refreshDocument(di) {
    const r = replay(docs[di], rejected[di]);
    const skipped = new Set(r.skipped);
    document.querySelectorAll('.item.change[data-doc="' + di + '"]').forEach(function (item) {
      const on = skipped.has(item.dataset.id);
      item.classList.toggle("skipped", on);
      const note = item.querySelector(".note");
      note.textContent = on ? "skipped: depends on a rejected edit, so it is not applied" : "";
      note.classList.toggle("hidden", !on);
    });
    const list = document.querySelector('section.doc[data-doc="' + di + '"] .skipped-list');
    list.textContent = r.skipped.length ? "skipped (depend on rejected edits): " + r.skipped.join(", ") : "";
    list.classList.toggle("hidden", !r.skipped.length);
    updateStatus();
    return r;
  }

  function updateStatus() {
    let n = 0;
    for (const s of rejected) n += s.size;
    document.getElementById("sum-rejected").textContent = String(n);
    const st = document.getElementById("status");
    st.textContent = st.dataset.shown + " of " + items.length + " items shown · " + n + " rejected";
  }

  function rejectedJson() {
    const documents = {};
    docs.forEach(function (doc, di) {
      documents[doc.path] = { input: doc.hash, rejected: Array.from(rejected[di]).sort(function (a, b) {
        return a < b ? -1 : a > b ? 1 : 0;
      }) };
    });
    return { copydesk_rejected: 2, config: data.config, documents: documents };
  }

  function download(name, parts, type) {
    const url = URL.createObjectURL(new Blob(parts, { type: type }));
    const a = el("a");
    a.href = url; a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function exportText(di) {
    const r = refreshDocument(di);
    const base = docs[di].path.split(/[\\/]/).pop() || "document";
    download(base.replace(/\.txt$/, "") + ".reviewed.txt", [r.bytes], "text/plain;charset=utf-8");
  }

  document.getElementById("export-rejected").addEventListener("click", function () {
    download("rejected.json", [JSON.stringify(rejectedJson(), null, 1) + "\n"], "application/json");
  });
  document.getElementById("reset").addEventListener("click", function () {
    docs.forEach(function (doc, di) { Array.from(rejected[di]).forEach(function (id) { setRejected(di, id, false); }); });
  });
  ["f-doc", "f-stage", "f-rule", "f-kind"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", applyFilters);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const tag = ev.target.tagName;
    if (tag === "SELECT" || tag === "TEXTAREA" || (tag === "INPUT" && ev.target.type !== "checkbox")) return;
    if (ev.key === "j" || ev.key === "n") step(1);
    else if (ev.key === "k" || ev.key === "p") step(-1);
    else if (ev.key === "g") { setCurrent(-1); step(1); }
    else if (ev.key === "/") document.getElementById("f-stage").focus();
    else if (ev.key === "x" && current >= 0 && items[current].dataset.kind === "change") {
      const d = items[current].dataset;
      setRejected(Number(d.doc), d.id, !rejected[Number(d.doc)].has(d.id));
    } else return;
    ev.preventDefault();
  });

  prepare();
  renderSummary();
  renderDocs();
  applyFilters();
  // For scripts and tests: the same functions the buttons use.
  window.copydeskReport = {
    documents: docs,
    rejectedJson: rejectedJson,
    setRejected: setRejected,
    text: function (di) { return dec.decode(replay(docs[di], rejected[di]).bytes); },
    skipped: function (di) { return replay(docs[di], rejected[di]).skipped; }
  };
  document.body.dataset.ready = "1";
})();
</script>
</body>
</html>
)HTML";

}  // namespace copydesk
