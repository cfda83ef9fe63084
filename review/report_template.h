// The HTML, CSS and JavaScript of the review report (review/report.cpp puts
// the data block between kReportHead and kReportTail). Self-contained: no
// network, no external assets, no framework. docs/report.md describes the page.
//
// `replayStage` / `replay` below mirror StageReplay / apply_review in
// pipeline/review.cpp line for line: keep them in step.
//
// Scale: the data is parsed once and indexed once (one flat array of edits);
// only what is on screen is rendered: one document in the document view, the
// visible rows of the document list, and the list view in chunks as it is
// scrolled. A document is replayed when it is shown or its rejections change
// (cached per document), never the whole run.
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
:root { --fg: #1d1d1f; --muted: #6b6b70; --line: #d9d9de; --bg: #fff; --panel: #f5f5f7; --cur: #2f6fed;
        --del: #ffd7d5; --del-fg: #8a1c14; --ins: #ccf2d1; --ins-fg: #0d5c1a; --flag: #fff1c2; }
* { box-sizing: border-box; }
html, body { height: 100%; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
       display: flex; flex-direction: column; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 18px; padding: 8px 16px; border-bottom: 1px solid var(--line); }
h1 { font-size: 18px; margin: 0; }
h2 { font-size: 15px; margin: 0; word-break: break-all; }
.muted { color: var(--muted); }
kbd { font: 12px ui-monospace, monospace; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 4px; background: var(--panel); }
#summary { display: flex; gap: 14px; font-size: 13px; }
#summary b { font-size: 15px; }
.tabs { display: flex; gap: 2px; }
.tabs button { border-radius: 6px 6px 0 0; }
.tabs button[aria-selected="true"] { background: var(--cur); color: #fff; border-color: var(--cur); }
select, button, input { font: inherit; font-size: 13px; }
button { border: 1px solid var(--line); background: var(--panel); border-radius: 6px; padding: 2px 9px; cursor: pointer; }
button:hover { border-color: var(--cur); }
button.rej { color: #8a1c14; }
#help { font-size: 12.5px; flex-basis: 100%; }
.view { flex: 1; min-height: 0; display: flex; }
.hidden { display: none !important; }
/* document view */
#doclist { width: 290px; border-right: 1px solid var(--line); display: flex; flex-direction: column; }
#doclist input { margin: 6px; }
#docscroll { flex: 1; overflow-y: auto; position: relative; }
.drow { position: absolute; left: 0; right: 0; height: 28px; padding: 4px 8px; font-size: 12.5px; white-space: nowrap; overflow: hidden;
        text-overflow: ellipsis; cursor: pointer; border-bottom: 1px solid #f0f0f2; }
.drow:hover { background: var(--panel); }
.drow.sel { background: #e6eeff; }
.drow .cnt { float: right; color: var(--muted); margin-left: 6px; }
.drow .cnt.r { color: #8a1c14; }
#docpane { flex: 1; overflow-y: auto; position: relative; }
#doctools { position: sticky; top: 0; z-index: 2; background: rgba(255,255,255,.97); border-bottom: 1px solid var(--line);
            padding: 6px 20px; display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; }
#legend { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: 12px; }
#legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; background: var(--c); vertical-align: -1px; }
#article { font: 16px/1.7 Georgia, "Times New Roman", serif; white-space: pre-wrap; word-break: break-word; max-width: 48em; padding: 16px 24px 40vh; }
#article .m { border-radius: 2px; cursor: pointer; }
#article .m:focus, #article .m.cur { outline: 2px solid var(--cur); outline-offset: 1px; }
#article del { text-decoration: line-through 2px var(--c); background: color-mix(in srgb, var(--c) 14%, white); color: #7a2d26; }
#article ins { text-decoration: underline 2px var(--c); text-underline-offset: 3px; background: color-mix(in srgb, var(--c) 20%, white); }
#article del ins { background: none; }
#article del .m { pointer-events: none; }  /* inserted text a later edit deleted: the click is the deletion's */
#article .ws:empty::after, #article .ws::after { font: 12px ui-monospace, monospace; color: var(--muted); }
#article del.nl::after, #article ins.nl::before { content: "¶"; font: 12px ui-monospace, monospace; color: var(--muted); }
#article .sp { padding: 0 2px; }
#article .prop { font: 11px/1 ui-monospace, monospace; padding: 1px 4px; margin: 0 1px; border: 1px dashed var(--c); color: var(--muted);
                 text-decoration: line-through; vertical-align: 2px; white-space: pre; }
#article .prop.skipped { border-color: #d9822b; color: #a04f00; }
#article .rejspan { text-decoration: underline dashed 1px #999; }
#article mark { background: var(--flag); box-shadow: 0 0 0 1px #e0b400 inset; }
#article mark.pt { font: 12px ui-monospace, monospace; }
#pop { position: absolute; z-index: 10; max-width: 460px; background: #fff; border: 1px solid var(--line); border-radius: 8px;
       box-shadow: 0 6px 24px rgba(0,0,0,.15); padding: 8px 10px; font-size: 13px; }
#pop .id { font: 12px ui-monospace, monospace; color: var(--muted); }
#pop .chg { font: 12.5px ui-monospace, monospace; margin: 4px 0; white-space: pre-wrap; word-break: break-word; }
#pop .chg del { background: var(--del); color: var(--del-fg); text-decoration: none; }
#pop .chg ins { background: var(--ins); color: var(--ins-fg); text-decoration: none; }
#pop .state { font-weight: 600; }
/* list view */
#listview { flex-direction: column; }
#listtools { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; padding: 6px 16px; border-bottom: 1px solid var(--line); }
#listtools label { font-size: 13px; }
#list { flex: 1; overflow-y: auto; padding: 0 16px 30vh; position: relative; }
.stagehead { margin: 16px 0 4px; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
             display: flex; gap: 10px; align-items: baseline; border-bottom: 2px solid var(--c); }
.rulehead { margin: 10px 0 4px 8px; display: flex; gap: 10px; align-items: baseline; font-size: 13px; }
.rulehead b { font-size: 13.5px; }
.bulk { margin-left: auto; display: inline-flex; gap: 4px; }
.bulk button { font-size: 12px; padding: 0 7px; }
.group, .item { border: 1px solid var(--line); border-left: 4px solid var(--c); border-radius: 6px; padding: 4px 10px; margin: 4px 0 4px 16px; }
.group { display: flex; gap: 10px; align-items: baseline; cursor: pointer; }
.group .n { font-weight: 600; }
.group.open { background: var(--panel); }
.item.occ { margin-left: 36px; }
#list > .item, #list > .group { content-visibility: auto; contain-intrinsic-size: auto 70px; }
.item.flag { border-left-color: #e0b400; background: #fffcf0; }
.item.rejected { opacity: .6; }
.item.rejected .ctx del, .item.rejected .ctx ins { text-decoration: line-through; }
.item.skipped { border-left-color: #d9822b; }
.current { outline: 2px solid var(--cur); outline-offset: 1px; }
.meta { display: flex; flex-wrap: wrap; gap: 10px; align-items: baseline; font-size: 12.5px; }
.meta .id { font: 12px ui-monospace, monospace; color: var(--muted); }
.meta .rule { font-weight: 600; }
.meta a { color: inherit; }
.meta .accept { margin-left: auto; user-select: none; }
.note { font-size: 12px; color: #a04f00; }
.ctx, .pair { font: 13px/1.5 ui-monospace, "SF Mono", Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; }
.ctx { margin-top: 3px; }
.ctx del, .pair del { background: var(--del); color: var(--del-fg); text-decoration: none; border-radius: 2px; }
.ctx ins, .pair ins { background: var(--ins); color: var(--ins-fg); text-decoration: none; border-radius: 2px; }
.ctx mark { background: var(--flag); border-radius: 2px; }
.ctx .ws, .pair .ws { opacity: .6; }
#more { height: 40px; }
/* quality (--quality) */
.qbadge { display: inline-block; min-width: 2.9em; text-align: center; border-radius: 9px; padding: 0 6px; font-size: 12px; line-height: 18px; }
.qbadge.good { background: #d3f9d8; color: #2b5d34; }
.qbadge.fair { background: #fff3bf; color: #7a5a00; }
.qbadge.poor { background: #ffe3e3; color: #8a1c14; }
.drow .qbadge { float: right; margin-left: 6px; }
#doc-sort { margin: 0 6px 6px; }
#article .qs { background: rgba(230, 119, 0, .09); border-radius: 3px; }
#article .qs.poor { background: rgba(201, 42, 42, .10); }
#article .qs[data-score]::before { content: attr(data-score); font: 10.5px/1 ui-monospace, monospace; color: #8a4b00;
                                   background: #fff3e0; border: 1px solid #f0c080; border-radius: 3px; padding: 0 3px; margin-right: 3px; vertical-align: 2px; }
</style>
</head>
<body>
<header>
  <h1>copydesk review</h1>
  <span class="muted" id="generator"></span>
  <a id="index-link" class="hidden" href="#">all documents</a>
  <div class="tabs" role="tablist">
    <button type="button" id="tab-doc" role="tab" aria-selected="true">Document view</button>
    <button type="button" id="tab-list" role="tab" aria-selected="false">List view</button>
  </div>
  <div id="summary">
    <span><b id="sum-documents">0</b> documents</span><span><b id="sum-changes">0</b> changes</span>
    <span><b id="sum-flags">0</b> flagged</span><span><b id="sum-rejected">0</b> rejected</span>
  </div>
  <button id="export-rejected" type="button">Export rejected ids (JSON)</button>
  <button id="reset" type="button">Accept all</button>
  <div id="help" class="muted">Keys: <kbd>j</kbd>/<kbd>k</kbd> next / previous change, <kbd>x</kbd> reject or accept it,
    <kbd>[</kbd>/<kbd>]</kbd> previous / next document, <kbd>v</kbd> switch view, <kbd>/</kbd> search.
    Hover or focus a mark for its rule and reason. Export the rejected ids for <code>copydesk apply --reject FILE</code>,
    or a document's text with the accepted edits only (the same text).</div>
</header>
<div id="docview" class="view">
  <div id="doclist"><input id="doc-search" type="search" placeholder="filter documents"><select id="doc-sort" class="hidden" title="order of the documents"><option value="run">run order</option><option value="low">quality, lowest first</option><option value="high">quality, highest first</option></select><div id="docscroll"><div id="docrows"></div></div></div>
  <div id="docpane">
    <div id="doctools">
      <button type="button" id="doc-prev" title="previous document ([)">&#8592;</button>
      <button type="button" id="doc-next" title="next document (])">&#8594;</button>
      <h2 id="doc-title"></h2>
      <span class="muted" id="doc-counts"></span>
      <span id="doc-quality" class="qbadge hidden"></span>
      <label>Show <select id="step"></select></label>
      <label><input type="checkbox" id="only-stage"> that stage's marks only</label>
      <button type="button" id="doc-accept">Accept all in document</button>
      <button type="button" id="doc-reject" class="rej">Reject all in document</button>
      <button type="button" class="export-text" id="doc-export">Export text (accepted edits only)</button>
      <div id="legend"></div>
      <div class="note hidden" id="doc-skipped"></div>
    </div>
    <div id="article" lang="en"></div>
    <div id="pop" class="hidden" role="dialog"></div>
  </div>
</div>
<div id="listview" class="view hidden">
  <div id="listtools">
    <label>Document <input id="f-doc" type="search" placeholder="path contains"></label>
    <label>Stage <select id="f-stage"><option value="">all</option></select></label>
    <label>Rule <select id="f-rule"><option value="">all</option></select></label>
    <label>Show <select id="f-kind"><option value="">changes and flags</option><option value="change">changes</option><option value="flag">flags</option></select></label>
    <label>Text <input id="f-text" type="search" placeholder="before, after or reason"></label>
    <span class="bulk"><button type="button" id="shown-accept">Accept all shown</button><button type="button" id="shown-reject" class="rej">Reject all shown</button></span>
    <span id="status" class="muted"></span>
  </div>
  <div id="list"></div>
</div>
)HTML";

inline constexpr const char* kReportTail = R"HTML(<script>
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("copydesk-data").textContent);
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const CHANGE = 0;
  const CONTEXT = 160;     // bytes of context shown either side of an edit (list view)
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

  // Where position x of F_k lies in A_k (the end of a divergent piece for an end).
  function mapF(pieces, x, isEnd) {
    let last = 0;
    for (const p of pieces) {
      if (p.fLen === 0) continue;
      last = p.a + p.aLen;
      if (x < p.f + p.fLen || (isEnd && x === p.f + p.fLen)) {
        if (x <= p.f) return isEnd && !p.aligned ? p.a + p.aLen : p.a;
        return p.aligned ? p.a + (x - p.f) : (isEnd ? p.a + p.aLen : p.a);
      }
    }
    return last;
  }

  // One stage: returns [pieces, A bytes] for the next stage. With `rec`, also
  // records each edit's span in A_k and its state: [start, end, 0 accepted |
  // 1 rejected | 2 skipped | 3 flag] (the page draws its marks from these).
  function replayStage(pieces, aText, fLength, stage, rejected, skipped, rec) {
    const st = { old: pieces, next: [], i: 0, check: 0, f: 0, ac: 0 };
    const out = [];
    let aDone = 0;
    stage.edits.forEach(function (e, k) {
      if (e.kind !== CHANGE) {
        if (rec) { const s = mapF(pieces, e.b, false); rec[k] = [s, Math.max(s, mapF(pieces, e.e, true)), 3]; }
        return;
      }
      const id = editId(stage.name, k);
      const accepted = !rejected.has(id);
      const skip = accepted && conflicts(st, e);
      if (skip) skipped.push(id);
      walk(st, e.b, true, true);
      if (accepted && !skip) {
        const aBegin = st.ac;
        walk(st, e.e, false, false);
        if (rec) rec[k] = [aBegin, st.ac, 0];
        out.push(aText.subarray(aDone, aBegin), e.bytes);
        aDone = st.ac;
        emit(st, e.bytes.length, e.bytes.length, true);
      } else {
        const aStart = st.ac;
        const aLen = walk(st, e.e, false, false);
        if (rec) rec[k] = [aStart, aStart + aLen, accepted ? 2 : 1];
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

  // The document's bytes with the edits in `rejected` (a Set of ids) left
  // out; with `record`, also each stage's accepted text (texts) and spans.
  function replay(doc, rejected, record) {
    const skipped = [], spans = [], texts = [];
    let aText = doc.inputBytes;
    let fLength = aText.length;
    let pieces = fLength > 0 ? [{ f: 0, fLen: fLength, a: 0, aLen: fLength, aligned: true }] : [];
    for (const stage of doc.stages) {
      let nextLength = fLength;
      for (const e of stage.edits) if (e.kind === CHANGE) nextLength += e.bytes.length - (e.e - e.b);
      const rec = record ? new Array(stage.edits.length) : null;
      if (record) { spans.push(rec); texts.push(aText); }
      const r = replayStage(pieces, aText, fLength, stage, rejected, skipped, rec);
      pieces = r[0]; aText = r[1]; fLength = nextLength;
    }
    if (doc.crlf) aText = restoreCrlf(aText);
    return { bytes: aText, skipped: skipped, spans: spans, texts: texts, pieces: pieces };
  }

  function restoreCrlf(bytes) {
    let n = 0;
    for (const c of bytes) if (c === 10) n++;
    const r = new Uint8Array(bytes.length + n);
    let o = 0;
    for (const c of bytes) { if (c === 10) r[o++] = 13; r[o++] = c; }
    return r;
  }


  // ---- data, indexed once ------------------------------------------------------

  const docs = data.documents;
  const all = [];              // every edit of the run: {d, si, k, id, b, e, repl, bytes, rule, reason, kind, before, line, g}
  const stageNames = [];       // in run order
  const stageIndex = new Map();
  const COLORS = ["#1971c2", "#c92a2a", "#2b8a3e", "#862e9c", "#e67700", "#0c8599", "#5f3dc4", "#d6336c", "#5c940d", "#495057"];
  const rejected = docs.map(function () { return new Set(); });
  const version = docs.map(function () { return 0; });   // bumped on every change of a document's rejections
  const replayCache = new Map();                         // di -> {v, r}
  let rejectedTotal = 0, changesTotal = 0, flagsTotal = 0;

  function prepare() {
    docs.forEach(function (doc, di) {
      doc.byId = new Map();
      doc.changes = 0; doc.flags = 0;
      doc.stages = doc.stages.map(function (s, si) {
        if (!stageIndex.has(s.name)) { stageIndex.set(s.name, stageNames.length); stageNames.push(s.name); }
        return { name: s.name, edits: s.edits.map(function (x, k) {
          const e = { d: di, si: si, k: k, id: editId(s.name, k), b: x[0], e: x[1], repl: x[2], bytes: null, rule: x[3],
                      reason: x[4], kind: x[5], before: x[6] === undefined ? "" : x[6], line: x[7] || 0, g: all.length, stage: s.name };
          all.push(e);
          doc.byId.set(e.id, e);
          if (e.kind === CHANGE) { doc.changes++; changesTotal++; } else { doc.flags++; flagsTotal++; }
          return e;
        }) };
      });
    });
  }

  // Byte views are made when a document is first replayed, not at load.
  function bytesOf(doc) {
    if (!doc.inputBytes) {
      doc.inputBytes = enc.encode(doc.input);
      for (const s of doc.stages) for (const e of s.edits) e.bytes = enc.encode(e.repl);
    }
  }

  function stageColor(name) { return COLORS[stageIndex.get(name) % COLORS.length]; }

  // The replay of document di with its current rejections, recorded (cached per version).
  function replayOf(di) {
    const c = replayCache.get(di);
    if (c && c.v === version[di]) return c.r;
    bytesOf(docs[di]);
    const r = replay(docs[di], rejected[di], true);
    r.skippedSet = new Set(r.skipped);
    replayCache.set(di, { v: version[di], r: r });
    if (replayCache.size > 400) replayCache.delete(replayCache.keys().next().value);
    return r;
  }

  // ---- small DOM helpers -------------------------------------------------------

  function el(tag, cls, text) {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = text;
    return n;
  }
  function btn(text, cls, onclick) {
    const b = el("button", cls, text);
    b.type = "button";
    b.addEventListener("click", function (ev) { ev.stopPropagation(); onclick(ev); });
    return b;
  }
  const isCont = function (c) { return (c & 0xC0) === 0x80; };

  // Whitespace made visible inside a removed or inserted span (list view).
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

  // ---- review state ------------------------------------------------------------

  // Rejects (or accepts) every change in `edits`; one refresh for all of them.
  function setMany(edits, reject) {
    const touched = new Set();
    for (const e of edits) {
      if (e.kind !== CHANGE) continue;
      const set = rejected[e.d];
      if (set.has(e.id) === reject) continue;
      if (reject) set.add(e.id); else set.delete(e.id);
      rejectedTotal += reject ? 1 : -1;
      touched.add(e.d);
    }
    touched.forEach(function (di) { version[di]++; });
    if (touched.size) refresh(touched);
    return touched.size;
  }

  function setRejected(di, id, reject) {
    const e = docs[di].byId.get(id);
    if (!e) throw new Error("no edit " + id + " in document " + di);
    setMany([e], reject);
  }

  function refresh(touched) {
    document.getElementById("sum-rejected").textContent = String(rejectedTotal);
    if (touched.has(currentDoc)) renderDocument();
    docList.refreshVisible();
    if (listBuilt) refreshRows(touched);
  }

  // ---- document view -----------------------------------------------------------

  let currentDoc = 0;
  let currentMark = null;      // the id of the current change in the document view
  let shownDocs = docs.map(function (d, i) { return i; });

  // A virtual list: only the rows on screen exist in the DOM.
  const docList = (function () {
    const ROW = 28;
    const scroll = document.getElementById("docscroll"), rows = document.getElementById("docrows");
    let drawn = "";
    function draw(force) {
      rows.style.height = shownDocs.length * ROW + "px";
      const first = Math.max(0, Math.floor(scroll.scrollTop / ROW) - 5);
      const last = Math.min(shownDocs.length, first + Math.ceil((scroll.clientHeight || 800) / ROW) + 10);
      const key = first + ":" + last + ":" + shownDocs.length;
      if (!force && key === drawn) return;
      drawn = key;
      rows.textContent = "";
      for (let i = first; i < last; i++) {
        const di = shownDocs[i], doc = docs[di];
        const r = el("div", "drow" + (di === currentDoc ? " sel" : ""));
        r.style.top = i * ROW + "px";
        r.dataset.doc = String(di);
        r.title = doc.path;
        const n = rejected[di].size;
        if (doc.quality) r.appendChild(qualityBadge(doc.quality));
        r.appendChild(el("span", "cnt" + (n ? " r" : ""), (n ? n + " rejected · " : "") + doc.changes + " / " + doc.flags));
        r.appendChild(document.createTextNode(doc.path));
        rows.appendChild(r);
      }
    }
    scroll.addEventListener("scroll", function () { draw(false); });
    rows.addEventListener("click", function (ev) {
      const r = ev.target.closest(".drow");
      if (r) showDocument(Number(r.dataset.doc));
    });
    return {
      draw: draw,
      refreshVisible: function () { draw(true); },
      reveal: function (di) {
        const i = shownDocs.indexOf(di);
        if (i < 0) return;
        if (i * ROW < scroll.scrollTop || (i + 1) * ROW > scroll.scrollTop + scroll.clientHeight)
          scroll.scrollTop = Math.max(0, i * ROW - scroll.clientHeight / 2);
        draw(true);
      }
    };
  })();

  // ---- quality (present when the run had --quality) ------------------------------

  function qualityTitle(q) {
    return "quality " + q.score.toFixed(1) + " (" + q.band + ")" +
      (q.reasons.length ? "; pulled down by: " + q.reasons.map(function (r) { return r[1]; }).join("; ") : "");
  }
  function qualityBadge(q) {
    const b = el("span", "qbadge " + (/^(good|fair|poor)$/.test(q.band) ? q.band : ""), q.score.toFixed(1));
    b.title = qualityTitle(q);
    return b;
  }

  // The document's worst sentences as ranges of its accepted text (the scores
  // are of the run's text: mapped through the replay's pieces), sorted.
  function worstRanges(di) {
    const q = docs[di].quality;
    if (!q || !q.worst.length) return [];
    const pieces = replayOf(di).pieces;
    return q.worst.map(function (w) {
      const b = mapF(pieces, w[0], false);
      return [b, Math.max(b, mapF(pieces, w[1], true)), w[2]];
    }).sort(function (x, y) { return x[0] - y[0]; });
  }

  // Tags the text segments inside the ranges with `qs` (the range's index),
  // cutting segments at the ranges' edges.
  function tagSentences(segs, ranges) {
    if (!ranges.length) return segs;
    const out = [];
    let pos = 0, r = 0;
    for (const s of segs) {
      while (r < ranges.length && ranges[r][1] <= pos) r++;
      if (s.len === 0) {
        out.push(r < ranges.length && ranges[r][0] < pos ? Object.assign({}, s, { qs: r }) : s);
        continue;
      }
      let off = 0;
      while (off < s.len) {
        const at = pos + off;
        while (r < ranges.length && ranges[r][1] <= at) r++;
        let end = s.len, qs;
        if (r < ranges.length) {
          if (ranges[r][0] <= at) { qs = r; end = Math.min(s.len, ranges[r][1] - pos); }
          else end = Math.min(s.len, ranges[r][0] - pos);
        }
        const piece = off === 0 && end === s.len ? s : Object.assign({}, s, { t: s.t.subarray(off, end), len: end - off });
        out.push(qs === undefined ? piece : Object.assign({}, piece, { qs: qs }));
        off = end;
      }
      pos += s.len;
    }
    return out;
  }

  function sortDocs(list) {
    const mode = document.getElementById("doc-sort").value;
    if (mode === "run") return list;
    const sign = mode === "low" ? 1 : -1;
    const score = function (di) { return docs[di].quality ? docs[di].quality.score : Infinity; };
    return list.slice().sort(function (a, b) { return sign * (score(a) - score(b)) || a - b; });
  }

  function showDocument(di, markId) {
    if (di < 0 || di >= docs.length) return;
    currentDoc = di;
    currentMark = markId || null;
    const doc = docs[di];
    document.getElementById("doc-title").textContent = doc.path;
    document.getElementById("doc-export").dataset.doc = String(di);
    document.getElementById("doc-counts").textContent = doc.changes + " changes, " + doc.flags + " flags" +
      (doc.crlf ? ", CRLF" : "") + (doc.lossy ? ", " + doc.lossy + " invalid bytes replaced (not reviewable)" : "");
    const step = document.getElementById("step");
    step.textContent = "";
    const o0 = el("option", "", "the input"); o0.value = "0"; step.appendChild(o0);
    doc.stages.forEach(function (s, si) {
      const o = el("option", "", "after " + s.name + (si === doc.stages.length - 1 ? " (the result)" : ""));
      o.value = String(si + 1);
      step.appendChild(o);
    });
    step.value = String(doc.stages.length);
    const badge = document.getElementById("doc-quality");
    badge.classList.toggle("hidden", !doc.quality);
    if (doc.quality) {
      badge.className = "qbadge " + (/^(good|fair|poor)$/.test(doc.quality.band) ? doc.quality.band : "");
      badge.textContent = "quality " + doc.quality.score.toFixed(1) + " · " + doc.quality.band;
      badge.title = qualityTitle(doc.quality);
    }
    const legend = document.getElementById("legend");
    legend.textContent = "";
    for (const s of doc.stages) {
      if (!s.edits.length) continue;
      const l = el("span", "", s.name);
      l.style.setProperty("--c", stageColor(s.name));
      legend.appendChild(l);
    }
    renderDocument();
    document.getElementById("docpane").scrollTop = 0;
    docList.reveal(di);
    if (markId) focusMark(markId);
  }

  // The text of the document after `step` stages with the accepted edits, as
  // segments carrying their marks: {t: bytes, len: bytes in the text (0 for
  // deleted text and markers), ins, del, rej, flag, prop, pt}.
  function segments(di, step) {
    const doc = docs[di];
    const r = replayOf(di);
    let segs = doc.inputBytes.length ? [{ t: doc.inputBytes, len: doc.inputBytes.length }] : [];
    for (let si = 0; si < step; si++) {
      const stage = doc.stages[si], spans = r.spans[si];
      stage.edits.forEach(function (e, k) {  // flags first: they are spans of this stage's input
        if (e.kind === CHANGE) return;
        segs = passRange(segs, spans[k][0], spans[k][1], function (inner, out) {
          if (spans[k][0] === spans[k][1]) out.push({ t: EMPTY, len: 0, pt: e.id });
          for (const s of inner) out.push(s.len ? Object.assign({}, s, { flag: e.id }) : s);
        });
      });
      const ops = [];
      stage.edits.forEach(function (e, k) { if (e.kind === CHANGE) ops.push([spans[k][0], spans[k][1], e, spans[k][2]]); });
      segs = passOps(segs, ops);
    }
    return segs;
  }

  const EMPTY = new Uint8Array(0);

  // A reader over segments that cuts them at byte positions of the text.
  function reader(segs) {
    let i = 0, off = 0;
    function cut(s, a, b) { return a === 0 && b === s.len ? s : Object.assign({}, s, { t: s.t.subarray(a, b), len: b - a }); }
    return {
      take: function (n, out) {           // the next n bytes (and the zero-width segments among them)
        while (n > 0 && i < segs.length) {
          const s = segs[i];
          if (s.len === 0) { out.push(s); i++; continue; }
          const avail = s.len - off;
          if (avail <= n) { out.push(cut(s, off, s.len)); n -= avail; i++; off = 0; }
          else { out.push(cut(s, off, off + n)); off += n; n = 0; }
        }
      },
      zeros: function (out) { while (off === 0 && i < segs.length && segs[i].len === 0) out.push(segs[i++]); },
      rest: function (out) { if (i < segs.length) { out.push(cut(segs[i], off, segs[i].len)); i++; off = 0; } while (i < segs.length) out.push(segs[i++]); }
    };
  }

  function passRange(segs, s, e, fn) {
    const rd = reader(segs), out = [], inner = [];
    rd.take(s, out); rd.zeros(out);
    rd.take(e - s, inner);
    fn(inner, out);
    rd.rest(out);
    return out;
  }

  // One stage's changes: [start, end, edit, status] in the stage's accepted text, sorted, not overlapping.
  function passOps(segs, ops) {
    const rd = reader(segs), out = [];
    let pos = 0;
    for (const op of ops) {
      const s = op[0], e = op[1], edit = op[2], status = op[3];
      rd.take(s - pos, out); rd.zeros(out);
      const inner = [];
      rd.take(e - s, inner);
      pos = e;
      if (status === 0) {  // accepted: the old text becomes deleted text, the replacement inserted text
        for (const x of inner) out.push(x.len ? Object.assign({}, x, { len: 0, del: edit.id }) : x);
        if (edit.bytes.length) out.push({ t: edit.bytes, len: edit.bytes.length, ins: edit.id });
        else if (s === e) out.push({ t: EMPTY, len: 0, prop: edit.id });
      } else {             // rejected or skipped: the text stays; a marker shows the proposal
        out.push({ t: EMPTY, len: 0, prop: edit.id });
        for (const x of inner) out.push(x.len ? Object.assign({}, x, { rej: edit.id }) : x);
      }
    }
    rd.rest(out);
    return out;
  }

  function renderDocument() {
    const di = currentDoc, doc = docs[di];
    bytesOf(doc);
    const stepSel = document.getElementById("step");
    const step = Number(stepSel.value || doc.stages.length);
    const only = document.getElementById("only-stage").checked && step > 0 ? doc.stages[step - 1].name : null;
    const r = replayOf(di);
    // The worst sentences are marked on the result (the last step).
    const ranges = step === doc.stages.length ? worstRanges(di) : [];
    const segs = tagSentences(segments(di, step), ranges);
    const art = document.getElementById("article");
    let lastQs = -1;
    const frag = document.createDocumentFragment();
    const seen = new Set();
    const shows = function (id) { return id && (!only || doc.byId.get(id).stage === only); };
    const mark = function (node, id) {
      const e = doc.byId.get(id);
      node.classList.add("m");
      node.dataset.id = id;
      node.style.setProperty("--c", stageColor(e.stage));
      if (!seen.has(id)) { seen.add(id); node.tabIndex = 0; node.dataset.first = "1"; }
      return node;
    };
    for (const s of segs) {
      const text = s.len || s.del ? dec.decode(s.t) : "";
      let node;
      if (s.prop) {
        if (!shows(s.prop)) continue;
        const e = doc.byId.get(s.prop);
        const status = rejected[di].has(e.id) ? "rejected" : r.skippedSet.has(e.id) ? "skipped" : "accepted";
        node = mark(el("span", "prop " + status, status === "accepted" ? "∅" : (e.repl || "⌫")), e.id);
        node.title = status;
      } else if (s.pt) {
        if (!shows(s.pt)) continue;
        node = mark(el("mark", "pt", "‸"), s.pt);
      } else if (s.del && !s.len) {
        if (!shows(s.del)) { continue; }
        node = document.createTextNode(text);
        if (shows(s.ins)) { const i = mark(el("ins"), s.ins); i.appendChild(node); node = i; }
        const d = mark(el("del", /^\s+$/.test(text) ? (text.indexOf("\n") >= 0 ? "nl sp" : "sp") : ""), s.del);
        d.appendChild(node); node = d;
      } else {
        node = document.createTextNode(text);
        if (shows(s.ins)) {
          const i = mark(el("ins", /^\s+$/.test(text) ? (text.indexOf("\n") >= 0 ? "nl sp" : "sp") : ""), s.ins);
          i.appendChild(node); node = i;
        }
        if (shows(s.rej)) { const w = el("span", "rejspan"); w.dataset.of = s.rej; w.appendChild(node); node = w; }
      }
      if (s.flag && shows(s.flag)) { const f = mark(el("mark"), s.flag); f.appendChild(node); node = f; }
      if (s.qs !== undefined) {
        const w = ranges[s.qs];
        const q = el("span", "qs" + (w[2] < 52 ? " poor" : ""));
        q.dataset.q = String(s.qs);
        q.title = "sentence quality " + w[2].toFixed(1) + ": among the lowest of this document";
        if (s.qs !== lastQs) { q.dataset.score = w[2].toFixed(1); lastQs = s.qs; }
        q.appendChild(node); node = q;
      }
      frag.appendChild(node);
    }
    art.textContent = "";
    art.appendChild(frag);
    const skipped = r.skipped;
    const sk = document.getElementById("doc-skipped");
    sk.textContent = skipped.length ? "skipped (they depend on rejected edits): " + skipped.join(", ") : "";
    sk.classList.toggle("hidden", !skipped.length);
    if (currentMark) {
      const m = art.querySelector('[data-first][data-id="' + currentMark + '"]');
      if (m) m.classList.add("cur");
    }
    if (popId && !pop.classList.contains("hidden")) fillPop(popId);
  }

  function marksInView() { return Array.from(document.querySelectorAll("#article [data-first]")); }

  function focusMark(id) {
    currentMark = id;
    document.querySelectorAll("#article .cur").forEach(function (n) { n.classList.remove("cur"); });
    const m = document.querySelector('#article [data-first][data-id="' + id + '"]');
    if (!m) return;
    m.classList.add("cur");
    m.focus({ preventScroll: true });
    m.scrollIntoView({ block: "center" });
    openPop(m, id);
  }

  function stepMark(dir) {
    const marks = marksInView();
    let i = currentMark ? marks.findIndex(function (m) { return m.dataset.id === currentMark; }) : -1;
    i += dir;
    if (i >= 0 && i < marks.length) { focusMark(marks[i].dataset.id); return; }
    // past the ends: the next or previous document with edits
    const pos = shownDocs.indexOf(currentDoc);
    for (let p = pos + dir; p >= 0 && p < shownDocs.length; p += dir) {
      const d = docs[shownDocs[p]];
      if (!d.changes && !d.flags) continue;
      showDocument(shownDocs[p]);
      const ms = marksInView();
      if (ms.length) focusMark(ms[dir > 0 ? 0 : ms.length - 1].dataset.id);
      return;
    }
  }

  // The popover: rule, reason, line, before -> after, and the accept / reject button.
  const pop = document.getElementById("pop");
  let popId = null, popTimer = 0;

  function fillPop(id) {
    const di = currentDoc, e = docs[di].byId.get(id);
    if (!e) return;
    popId = id;
    pop.textContent = "";
    const head = el("div");
    head.appendChild(el("span", "id", id + " · " + e.stage + " · line " + e.line + " "));
    head.appendChild(el("b", "", e.rule));
    pop.appendChild(head);
    pop.appendChild(el("div", "", e.reason));
    const chg = el("div", "chg");
    if (e.kind === CHANGE) {
      if (e.before) showSpan(chg, "del", e.before);
      chg.appendChild(document.createTextNode(" → "));
      if (e.repl) showSpan(chg, "ins", e.repl); else chg.appendChild(el("span", "muted", "(deleted)"));
    } else {
      chg.appendChild(document.createTextNode("flagged, not changed: "));
      showSpan(chg, "mark", e.before || "‸");
    }
    pop.appendChild(chg);
    if (e.kind === CHANGE) {
      const isRej = rejected[di].has(id), isSkip = replayOf(di).skippedSet.has(id);
      const row = el("div", "meta");
      row.appendChild(el("span", "state", isRej ? "rejected" : isSkip ? "skipped: depends on a rejected edit" : "accepted"));
      row.appendChild(btn(isRej ? "Accept" : "Reject", "pop-toggle" + (isRej ? "" : " rej"), function () {
        setRejected(di, id, !isRej);
        focusMark(id);
      }));
      row.appendChild(btn("Reject all '" + e.rule + "' in document", "rej", function () {
        setMany(docs[di].stages[e.si].edits.filter(function (x) { return x.rule === e.rule; }), true);
        focusMark(id);
      }));
      pop.appendChild(row);
    }
  }

  function openPop(node, id) {
    clearTimeout(popTimer);
    fillPop(id);
    pop.classList.remove("hidden");
    // Placed in the scrolling pane, so it moves with its mark.
    const pane = document.getElementById("docpane");
    const r = node.getBoundingClientRect(), p = pane.getBoundingClientRect();
    pop.style.left = Math.max(4, Math.min(r.left - p.left, pane.clientWidth - pop.offsetWidth - 8)) + "px";
    let top = r.bottom - p.top + pane.scrollTop + 6;
    if (r.bottom + pop.offsetHeight + 12 > p.bottom) top = r.top - p.top + pane.scrollTop - pop.offsetHeight - 6;
    pop.style.top = top + "px";
  }
  function closePopSoon() { clearTimeout(popTimer); popTimer = setTimeout(function () { pop.classList.add("hidden"); }, 350); }

  const article = document.getElementById("article");
  article.addEventListener("mouseover", function (ev) {
    const m = ev.target.closest(".m");
    if (m) openPop(m, m.dataset.id); else if (!pop.classList.contains("hidden")) closePopSoon();
  });
  article.addEventListener("mouseout", function (ev) { if (ev.target.closest(".m")) closePopSoon(); });
  article.addEventListener("focusin", function (ev) {
    const m = ev.target.closest(".m");
    if (m) { currentMark = m.dataset.id; openPop(m, m.dataset.id); }
  });
  article.addEventListener("click", function (ev) {
    const m = ev.target.closest(".m");
    if (m) focusMark(m.dataset.id);
  });
  pop.addEventListener("mouseover", function () { clearTimeout(popTimer); });
  pop.addEventListener("mouseout", closePopSoon);

  // ---- list view ---------------------------------------------------------------

  let listBuilt = false;
  let rows = [];                 // what the list shows, in order: {type, ...}
  let rendered = 0;              // rows[0..rendered) are in the DOM
  const expanded = new Set();    // group keys
  const CHUNK = 40;
  let listCurrent = -1;          // index into rows
  let shownEdits = [];

  function buildList() {
    if (listBuilt) return;
    listBuilt = true;
    const addOpts = function (id, values) {
      const s = document.getElementById(id);
      const frag = document.createDocumentFragment();
      values.forEach(function (v) { const o = el("option", "", v[1]); o.value = v[0]; frag.appendChild(o); });
      s.appendChild(frag);
    };
    const rules = new Map();
    for (const e of all) rules.set(e.stage + "/" + e.rule, e.stage + ": " + e.rule);
    if (!hierarchy) buildHierarchy();
    addOpts("f-stage", stageNames.map(function (s) { return [s, s]; }));
    addOpts("f-rule", Array.from(rules));
    applyFilters();
  }

  function matches(e, f) {
    return (f.doc === "" || docs[e.d].path.toLowerCase().includes(f.doc)) && (!f.stage || e.stage === f.stage) &&
           (!f.rule || e.stage + "/" + e.rule === f.rule) && (!f.kind || (f.kind === "change") === (e.kind === CHANGE)) &&
           (!f.text || e.before.toLowerCase().includes(f.text) || e.repl.toLowerCase().includes(f.text) ||
            e.reason.toLowerCase().includes(f.text) || e.rule.toLowerCase().includes(f.text));
  }

  function filters() {
    return { doc: document.getElementById("f-doc").value.trim().toLowerCase(), stage: document.getElementById("f-stage").value,
             rule: document.getElementById("f-rule").value, kind: document.getElementById("f-kind").value,
             text: document.getElementById("f-text").value.trim().toLowerCase() };
  }

  // Groups the shown edits: stage, then rule, then identical edits (same before, after, kind).
  // Stage -> rule -> identical edits (same before, after and kind), built once.
  let hierarchy = null;
  function buildHierarchy() {
    const byStage = new Map();
    for (const e of all) {
      let rulesOf = byStage.get(e.stage);
      if (!rulesOf) byStage.set(e.stage, rulesOf = new Map());
      let groups = rulesOf.get(e.rule);
      if (!groups) rulesOf.set(e.rule, groups = new Map());
      const key = e.stage + "\u0000" + e.rule + "\u0000" + e.kind + "\u0000" + e.before + "\u0000" + e.repl;
      let g = groups.get(key);
      if (!g) groups.set(key, g = { key: key, edits: [] });
      g.edits.push(e);
    }
    hierarchy = [];
    for (const name of stageNames) {
      const rulesOf = byStage.get(name);
      if (!rulesOf) continue;
      const rules = [];
      rulesOf.forEach(function (groups, rule) { rules.push({ rule: rule, groups: Array.from(groups.values()) }); });
      hierarchy.push({ stage: name, rules: rules });
    }
  }

  function applyFilters() {
    const f = filters();
    const none = f.doc === "" && !f.stage && !f.rule && !f.kind && !f.text;
    shownEdits = [];
    rows = [];
    for (const st of hierarchy) {
      if (f.stage && st.stage !== f.stage) continue;
      const stageRow = { type: "stage", stage: st.stage, edits: [] };
      const stageRows = [stageRow];
      for (const r of st.rules) {
        if (f.rule && st.stage + "/" + r.rule !== f.rule) continue;
        const ruleRow = { type: "rule", stage: st.stage, rule: r.rule, edits: [] };
        const ruleRows = [ruleRow];
        for (const g of r.groups) {
          const edits = none ? g.edits : g.edits.filter(function (e) { return matches(e, f); });
          if (!edits.length) continue;
          for (const e of edits) ruleRow.edits.push(e);
          if (edits.length === 1) { ruleRows.push({ type: "occ", edit: edits[0], nested: false }); continue; }
          const key = g.key;
          ruleRows.push({ type: "group", key: key, edits: edits });
          if (expanded.has(key)) for (const e of edits) ruleRows.push({ type: "occ", edit: e, nested: true, group: key });
        }
        if (ruleRows.length === 1) continue;
        for (const e of ruleRow.edits) { stageRow.edits.push(e); shownEdits.push(e); }
        for (const x of ruleRows) stageRows.push(x);
      }
      if (stageRows.length > 1) for (const x of stageRows) rows.push(x);
    }
    listEl.textContent = "";
    rendered = 0;
    listCurrent = -1;
    renderMore();
    updateStatus();
  }

  const listEl = document.getElementById("list");
  const sentinel = el("div");
  sentinel.id = "more";
  const observer = new IntersectionObserver(function (entries) {
    if (entries.some(function (x) { return x.isIntersecting; })) renderMore();
  }, { root: listEl, rootMargin: "600px" });
  observer.observe(sentinel);

  function renderMore(upTo) {
    const end = Math.min(rows.length, Math.max(rendered + CHUNK, upTo || 0));
    const frag = document.createDocumentFragment();
    for (; rendered < end; rendered++) frag.appendChild(renderRow(rows[rendered], rendered));
    sentinel.remove();
    listEl.appendChild(frag);
    if (rendered < rows.length) listEl.appendChild(sentinel);
  }

  function stateOf(e) {
    if (e.kind !== CHANGE) return "flag";
    if (rejected[e.d].has(e.id)) return "rejected";
    return replayOf(e.d).skippedSet.has(e.id) ? "skipped" : "accepted";
  }

  function countLabel(edits) {
    let n = 0, c = 0;
    for (const e of edits) if (e.kind === CHANGE) { c++; if (rejected[e.d].has(e.id)) n++; }
    return edits.length + (edits.length === 1 ? " item" : " items") + (n ? " · " + n + " of " + c + " rejected" : "");
  }

  function bulkButtons(edits, what) {
    const b = el("span", "bulk");
    if (!edits.some(function (e) { return e.kind === CHANGE; })) return b;
    b.appendChild(btn("accept all", "bulk-accept", function () { setMany(edits, false); }));
    b.appendChild(btn("reject all", "rej bulk-reject", function () { setMany(edits, true); }));
    b.title = what;
    return b;
  }

  function renderRow(row, index) {
    let node;
    if (row.type === "stage") {
      node = el("div", "stagehead");
      node.style.setProperty("--c", stageColor(row.stage));
      node.appendChild(el("span", "", row.stage));
      node.appendChild(el("span", "cnt", countLabel(row.edits)));
      node.appendChild(bulkButtons(row.edits, "every shown edit of stage " + row.stage));
      node.dataset.stage = row.stage;
    } else if (row.type === "rule") {
      node = el("div", "rulehead");
      node.appendChild(el("b", "", row.rule));
      node.appendChild(el("span", "cnt muted", countLabel(row.edits)));
      node.appendChild(bulkButtons(row.edits, "every shown edit of rule " + row.rule));
      node.dataset.rule = row.stage + "/" + row.rule;
    } else if (row.type === "group") {
      const e = row.edits[0];
      node = el("div", "group" + (expanded.has(row.key) ? " open" : ""));
      node.style.setProperty("--c", stageColor(e.stage));
      node.appendChild(el("span", "", expanded.has(row.key) ? "▾" : "▸"));
      const pair = el("span", "pair");
      if (e.kind === CHANGE) {
        if (e.before) showSpan(pair, "del", e.before); else pair.appendChild(el("span", "muted", "(insert)"));
        pair.appendChild(document.createTextNode(" → "));
        if (e.repl) showSpan(pair, "ins", e.repl); else pair.appendChild(el("span", "muted", "(delete)"));
      } else pair.appendChild(el("mark", "", e.before || "‸"));
      node.appendChild(pair);
      node.appendChild(el("span", "n", "×" + row.edits.length));
      node.appendChild(el("span", "cnt muted", countLabel(row.edits)));
      node.appendChild(bulkButtons(row.edits, "these " + row.edits.length + " identical edits"));
      node.dataset.rule = e.stage + "/" + e.rule;
      node.addEventListener("click", function () { toggleGroup(row.key, Number(node.dataset.row)); });
    } else {
      node = renderItem(row.edit, row.nested);
    }
    node.dataset.row = String(index);
    if (index === listCurrent) node.classList.add("current");
    return node;
  }

  function renderItem(e, nested) {
    const isChange = e.kind === CHANGE;
    const item = el("div", "item " + (isChange ? "change" : "flag") + (nested ? " occ" : ""));
    item.style.setProperty("--c", stageColor(e.stage));
    item.id = "d" + e.d + "-" + e.id;
    item.dataset.doc = String(e.d);
    item.dataset.stage = e.stage;
    item.dataset.rule = e.stage + "/" + e.rule;
    item.dataset.kind = isChange ? "change" : "flag";
    item.dataset.id = e.id;
    const meta = el("div", "meta");
    meta.appendChild(el("span", "id", e.id));
    meta.appendChild(el("span", "rule", e.rule));
    meta.appendChild(el("span", "", e.reason));
    const where = el("a", "", docs[e.d].path + ", line " + e.line);
    where.href = "#";
    where.title = "show in the document view";
    where.addEventListener("click", function (ev) { ev.preventDefault(); setView("doc"); showDocument(e.d, e.id); });
    meta.appendChild(where);
    if (isChange) {
      const lab = el("label", "accept");
      const box = el("input");
      box.type = "checkbox"; box.className = "accept-box";
      box.addEventListener("change", function () { setRejected(e.d, e.id, !box.checked); });
      lab.appendChild(box); lab.appendChild(document.createTextNode(" accept"));
      meta.appendChild(lab);
    } else {
      meta.appendChild(el("span", "muted", "flag: nothing changed"));
    }
    item.appendChild(meta);
    // Context from the text with the accepted edits, as this stage saw it.
    const r = replayOf(e.d);
    const span = r.spans[e.si][e.k];
    const c = context(r.texts[e.si], span[0], span[1]);
    const ctx = el("div", "ctx");
    ctx.appendChild(document.createTextNode(c.pre));
    if (isChange) wordDiff(ctx, c.old, e.repl); else ctx.appendChild(el("mark", "", c.old || "‸"));
    ctx.appendChild(document.createTextNode(c.post));
    item.appendChild(ctx);
    item.appendChild(el("div", "note hidden"));
    item.addEventListener("click", function (ev) {
      if (ev.target.tagName !== "INPUT" && ev.target.tagName !== "A") setListCurrent(Number(item.dataset.row));
    });
    paintItem(item, e);
    return item;
  }

  function paintItem(item, e) {
    const st = stateOf(e);
    item.classList.toggle("rejected", st === "rejected");
    item.classList.toggle("skipped", st === "skipped");
    const box = item.querySelector(".accept-box");
    if (box) box.checked = st !== "rejected";
    const note = item.querySelector(".note");
    note.textContent = st === "skipped" ? "skipped: depends on a rejected edit, so it is not applied" : "";
    note.classList.toggle("hidden", st !== "skipped");
  }

  // After a change of rejections: the rendered rows of the documents touched.
  // Items on screen (or near) are drawn again (state and context, which comes
  // from the accepted text); the others only get their rejected state and are
  // drawn again when scrolled to.
  function refreshRows(touched) {
    const nodes = Array.from(listEl.children);
    const top = listEl.scrollTop - 600, bottom = listEl.scrollTop + listEl.clientHeight + 600;
    const near = nodes.map(function (n) { return n.offsetTop + n.offsetHeight >= top && n.offsetTop <= bottom; });
    nodes.forEach(function (n, i) {
      if (n === sentinel) return;
      const row = rows[Number(n.dataset.row)];
      if (row.type !== "occ") {
        const c = n.querySelector(".cnt");
        if (c) c.textContent = countLabel(row.edits);
      } else if (!touched || touched.has(row.edit.d)) {
        if (near[i]) redrawItem(n);
        else {
          n.classList.toggle("rejected", rejected[row.edit.d].has(row.edit.id));
          const box = n.querySelector(".accept-box");
          if (box) box.checked = !rejected[row.edit.d].has(row.edit.id);
          n.dataset.stale = "1";
        }
      }
    });
    updateStatus();
  }

  function redrawItem(n) {
    const row = rows[Number(n.dataset.row)];
    const fresh = renderItem(row.edit, row.nested);
    fresh.dataset.row = n.dataset.row;
    if (n.classList.contains("current")) fresh.classList.add("current");
    listEl.replaceChild(fresh, n);
  }

  let staleFrame = 0;
  listEl.addEventListener("scroll", function () {
    if (staleFrame) return;
    staleFrame = requestAnimationFrame(function () {
      staleFrame = 0;
      const stale = Array.from(listEl.querySelectorAll("[data-stale]"));
      const top = listEl.scrollTop - 600, bottom = listEl.scrollTop + listEl.clientHeight + 600;
      stale.filter(function (n) { return n.offsetTop + n.offsetHeight >= top && n.offsetTop <= bottom; }).forEach(redrawItem);
    });
  });

  // Opens or closes a group in place: its occurrences go into the rows after
  // it, and the list is drawn again from there (lazily, as for the rest).
  function toggleGroup(key, at) {
    const row = rows[at];
    if (!row || row.key !== key) return;
    let n = 0;
    while (at + 1 + n < rows.length && rows[at + 1 + n].group === key) n++;
    if (expanded.has(key)) { expanded.delete(key); rows.splice(at + 1, n); }
    else {
      expanded.add(key);
      rows.splice.apply(rows, [at + 1, 0].concat(row.edits.map(function (e) { return { type: "occ", edit: e, nested: true, group: key }; })));
    }
    const keepTop = listEl.scrollTop;
    while (listEl.lastChild && (listEl.lastChild === sentinel || Number(listEl.lastChild.dataset.row) >= at)) listEl.lastChild.remove();
    rendered = at;
    listCurrent = at;
    renderMore();
    listEl.scrollTop = keepTop;
  }

  function setListCurrent(index, noScroll) {
    const old = listEl.querySelector(".current");
    if (old) old.classList.remove("current");
    listCurrent = index;
    if (index < 0) return;
    if (index >= rendered) renderMore(index + 1);
    const n = listEl.querySelector('[data-row="' + index + '"]');
    if (n) { n.classList.add("current"); if (!noScroll) n.scrollIntoView({ block: "center" }); }
  }

  function stepList(dir) {
    let i = listCurrent;
    do { i += dir; } while (i >= 0 && i < rows.length && rows[i].type !== "occ" && rows[i].type !== "group");
    if (i >= 0 && i < rows.length) setListCurrent(i);
  }

  function toggleListCurrent() {
    const row = rows[listCurrent];
    if (!row) return;
    if (row.type === "occ" && row.edit.kind === CHANGE) setRejected(row.edit.d, row.edit.id, !rejected[row.edit.d].has(row.edit.id));
    else if (row.type === "group") {
      const anyAccepted = row.edits.some(function (e) { return e.kind === CHANGE && !rejected[e.d].has(e.id); });
      setMany(row.edits, anyAccepted);
    }
  }

  function updateStatus() {
    const st = document.getElementById("status");
    st.dataset.shown = String(shownEdits.length);
    st.textContent = shownEdits.length + " of " + all.length + " items shown · " + rejectedTotal + " rejected";
  }

  // ---- views, exports, keys ----------------------------------------------------

  let view = "doc";
  function setView(v) {
    view = v;
    document.getElementById("docview").classList.toggle("hidden", v !== "doc");
    document.getElementById("listview").classList.toggle("hidden", v !== "list");
    document.getElementById("tab-doc").setAttribute("aria-selected", String(v === "doc"));
    document.getElementById("tab-list").setAttribute("aria-selected", String(v === "list"));
    pop.classList.add("hidden");
    if (v === "list") buildList(); else docList.draw(true);  // the document is kept current by refresh()
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
    const r = replayOf(di);
    const base = docs[di].path.split(/[\\/]/).pop() || "document";
    download(base.replace(/\.txt$/, "") + ".reviewed.txt", [r.bytes], "text/plain;charset=utf-8");
  }

  document.getElementById("export-rejected").addEventListener("click", function () {
    download("rejected.json", [JSON.stringify(rejectedJson(), null, 1) + "\n"], "application/json");
  });
  document.getElementById("doc-export").addEventListener("click", function () { exportText(currentDoc); });
  document.getElementById("reset").addEventListener("click", function () { setMany(all, false); });
  document.getElementById("doc-accept").addEventListener("click", function () { setMany(docEdits(currentDoc), false); });
  document.getElementById("doc-reject").addEventListener("click", function () { setMany(docEdits(currentDoc), true); });
  document.getElementById("shown-accept").addEventListener("click", function () { setMany(shownEdits, false); });
  document.getElementById("shown-reject").addEventListener("click", function () { setMany(shownEdits, true); });
  document.getElementById("doc-prev").addEventListener("click", function () { moveDoc(-1); });
  document.getElementById("doc-next").addEventListener("click", function () { moveDoc(1); });
  document.getElementById("step").addEventListener("change", function () { currentMark = null; renderDocument(); });
  document.getElementById("only-stage").addEventListener("change", function () { renderDocument(); });
  document.getElementById("tab-doc").addEventListener("click", function () { setView("doc"); });
  document.getElementById("tab-list").addEventListener("click", function () { setView("list"); });
  ["f-stage", "f-rule", "f-kind"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", applyFilters);
  });
  let textTimer = 0;
  ["f-text", "f-doc"].forEach(function (id) {
    document.getElementById(id).addEventListener("input", function () { clearTimeout(textTimer); textTimer = setTimeout(applyFilters, 150); });
    document.getElementById(id).addEventListener("change", function () { clearTimeout(textTimer); applyFilters(); });
  });
  document.getElementById("doc-search").addEventListener("input", function (ev) {
    const q = ev.target.value.trim().toLowerCase();
    shownDocs = [];
    docs.forEach(function (d, i) { if (!q || d.path.toLowerCase().includes(q)) shownDocs.push(i); });
    shownDocs = sortDocs(shownDocs);
    document.getElementById("docscroll").scrollTop = 0;
    docList.draw(true);
  });
  document.getElementById("doc-sort").addEventListener("change", function () {
    shownDocs = sortDocs(shownDocs.slice().sort(function (a, b) { return a - b; }));
    document.getElementById("docscroll").scrollTop = 0;
    docList.reveal(currentDoc);
    docList.draw(true);
  });

  function docEdits(di) {
    const out = [];
    for (const s of docs[di].stages) for (const e of s.edits) out.push(e);
    return out;
  }

  function moveDoc(dir) {
    const p = shownDocs.indexOf(currentDoc) + dir;
    if (p >= 0 && p < shownDocs.length) showDocument(shownDocs[p]);
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const tag = ev.target.tagName;
    if (tag === "SELECT" || tag === "TEXTAREA" || (tag === "INPUT" && ev.target.type !== "checkbox")) return;
    if (ev.key === "Escape") { pop.classList.add("hidden"); return; }
    if (ev.key === "v") setView(view === "doc" ? "list" : "doc");
    else if (view === "doc") {
      if (ev.key === "j" || ev.key === "n") stepMark(1);
      else if (ev.key === "k" || ev.key === "p") stepMark(-1);
      else if (ev.key === "]") moveDoc(1);
      else if (ev.key === "[") moveDoc(-1);
      else if (ev.key === "g") { currentMark = null; stepMark(1); }
      else if (ev.key === "/") document.getElementById("doc-search").focus();
      else if (ev.key === "x" && currentMark) {
        const e = docs[currentDoc].byId.get(currentMark);
        if (e.kind !== CHANGE) return;
        setRejected(currentDoc, currentMark, !rejected[currentDoc].has(currentMark));
        focusMark(e.id);
      } else return;
    } else {
      if (ev.key === "j" || ev.key === "n") stepList(1);
      else if (ev.key === "k" || ev.key === "p") stepList(-1);
      else if (ev.key === "g") { listCurrent = -1; stepList(1); }
      else if (ev.key === "/") document.getElementById("f-text").focus();
      else if (ev.key === "x") toggleListCurrent();
      else return;
    }
    ev.preventDefault();
  });

  // ---- start -----------------------------------------------------------------

  prepare();
  document.getElementById("generator").textContent = data.generator + " · " + docs.length + " document(s)";
  document.getElementById("sum-documents").textContent = String(docs.length);
  document.getElementById("sum-changes").textContent = String(changesTotal);
  document.getElementById("sum-flags").textContent = String(flagsTotal);
  if (data.index) {
    const link = document.getElementById("index-link");
    link.href = data.index;
    link.classList.remove("hidden");
  }
  if (docs.some(function (d) { return d.quality; })) document.getElementById("doc-sort").classList.remove("hidden");
  docList.draw(true);
  if (docs.length) showDocument(0);
  // For scripts and tests: the same functions the buttons use.
  window.copydeskReport = {
    documents: docs,
    rejectedJson: rejectedJson,
    setRejected: setRejected,
    setMany: function (list, reject) { return setMany(list.map(function (x) { return docs[x[0]].byId.get(x[1]); }), reject); },
    text: function (di) { return dec.decode(replayOf(di).bytes); },
    skipped: function (di) { return replayOf(di).skipped.slice(); },
    showDocument: showDocument,
    setView: setView
  };
  performance.mark("copydesk-ready");
  document.body.dataset.ready = "1";
  // The list view's index, built while the reviewer reads the first document.
  (window.requestIdleCallback || setTimeout)(function () { if (!hierarchy) buildHierarchy(); });
})();
</script>
</body>
</html>
)HTML";

}  // namespace copydesk
