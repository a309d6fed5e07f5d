// A harness for client/reload.js under Node: a DOM just big enough for
// the script, which refuses the APIs that would turn text into markup or
// break a strict Content-Security-Policy. client_test.go runs it; each
// scenario prints one JSON line of what the page did.
"use strict";
const fs = require("fs");
const vm = require("vm");
const src = fs.readFileSync(process.argv[2], "utf8");

class El {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.attrs = {};
    this.children = [];
    this.parent = null;
    this.listeners = {};
    this.text = "";
    const props = {};
    this.style = { setProperty: (k, v) => { props[k] = v; }, props };
  }
  setAttribute(k, v) {
    if (k === "style" || k.startsWith("on")) throw new Error("setAttribute(" + k + ") breaks a strict CSP");
    this.attrs[k] = String(v);
  }
  getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }
  get id() { return this.attrs.id || ""; }
  set id(v) { this.attrs.id = v; }
  get href() { return this.attrs.href || ""; }
  set href(v) { this.attrs.href = new URL(v, "http://127.0.0.1:8080/obs/page/").href; }
  get textContent() { return this.text + this.children.map((c) => c.textContent).join(""); }
  set textContent(v) { this.text = String(v); this.children = []; }
  set innerHTML(v) { throw new Error("innerHTML used"); }
  set outerHTML(v) { throw new Error("outerHTML used"); }
  insertAdjacentHTML() { throw new Error("insertAdjacentHTML used"); }
  addEventListener(t, f) { (this.listeners[t] = this.listeners[t] || []).push(f); }
  dispatch(t, ev) { (this.listeners[t] || []).forEach((f) => f(Object.assign({ type: t, key: "" }, ev))); }
  appendChild(c) { c.remove(); c.parent = this; this.children.push(c); return c; }
  append(...cs) { cs.forEach((c) => this.appendChild(c)); }
  remove() {
    if (this.parent) this.parent.children.splice(this.parent.children.indexOf(this), 1);
    this.parent = null;
  }
  after(c) {
    c.remove();
    const sib = this.parent.children;
    sib.splice(sib.indexOf(this) + 1, 0, c);
    c.parent = this.parent;
  }
  cloneNode() {
    const c = new El(this.tagName);
    Object.assign(c.attrs, this.attrs);
    return c;
  }
  all() { return this.children.flatMap((c) => [c, ...c.all()]); }
}

function page(build, links) {
  const head = new El("head"), body = new El("body");
  for (const href of links) {
    const l = new El("link");
    l.attrs.rel = "stylesheet";
    l.href = href;
    head.appendChild(l);
  }
  const script = new El("script");
  script.attrs["data-build"] = build;
  body.appendChild(script);
  const doc = {
    head, body, currentScript: script,
    createElement: (t) => new El(t),
    querySelector: (sel) => [head, body].flatMap((e) => e.all()).find((e) => e.getAttribute("data-build") !== null) || null,
    querySelectorAll: (sel) => {
      if (sel !== 'link[rel~="stylesheet"]') throw new Error("unexpected selector " + sel);
      return head.all().filter((e) => e.tagName === "LINK" && / stylesheet /.test(" " + e.getAttribute("rel") + " "));
    },
    write() { throw new Error("document.write used"); },
  };
  const out = { reloads: 0, sources: [] };
  let es = null;
  class EventSource {
    constructor(url) { out.sources.push(url); this.l = {}; es = this; }
    addEventListener(t, f) { this.l[t] = f; }
  }
  const ctx = {
    document: doc, URL, JSON,
    location: { href: "http://127.0.0.1:8080/obs/page/", reload: () => { out.reloads++; } },
    EventSource,
    eval: () => { throw new Error("eval used"); },
    Function: () => { throw new Error("Function used"); },
  };
  vm.runInNewContext(src, ctx);
  out.send = (type, data) => es.l[type]({ data: JSON.stringify(data) });
  out.doc = doc;
  return out;
}

function overlay(doc) {
  const box = doc.body.children.find((e) => e.id === "folio-problems");
  if (!box) return null;
  return {
    role: box.getAttribute("role"),
    labelledby: box.getAttribute("aria-labelledby"),
    heading: box.all().filter((e) => e.tagName === "H2").map((e) => e.id + ": " + e.textContent),
    items: box.all().filter((e) => e.tagName === "CODE").map((e) => e.textContent),
    button: box.all().filter((e) => e.tagName === "BUTTON").map((e) => e.type + ": " + e.textContent),
    fixed: box.style.props.position,
  };
}

const hrefs = (doc) => doc.head.all().filter((e) => e.tagName === "LINK").map((e) => new URL(e.href).pathname);
const results = {};

// A new build reloads; the same build does not.
{
  const p = page("A", []);
  p.send("build", { id: "A" });
  const same = p.reloads;
  p.send("build", { id: "B", from: "A" });
  results.reload = { events: p.sources, same, other: p.reloads };
}

// A stylesheet-only build swaps the stylesheet, keeping the page; the old
// link goes once the new one has loaded.
{
  const p = page("A", ["/obs/assets/site.1111111111.css", "/obs/assets/print.2222222222.css"]);
  p.send("build", { id: "B", from: "A", css: { "/obs/assets/site.1111111111.css": "/obs/assets/site.3333333333.css" } });
  const during = hrefs(p.doc);
  const added = p.doc.head.all().find((e) => e.href.endsWith("site.3333333333.css"));
  added.dispatch("load");
  const after = hrefs(p.doc);
  // The page is now build B: a swap from B applies, one from A reloads.
  p.send("build", { id: "C", from: "B", css: { "/obs/assets/site.3333333333.css": "/obs/assets/site.4444444444.css" } });
  const reloadsAfterC = p.reloads;
  p.doc.head.all().find((e) => e.href.endsWith("site.4444444444.css")).dispatch("error");
  p.send("build", { id: "D", from: "A", css: { "/obs/assets/site.1111111111.css": "/obs/assets/site.5555555555.css" } });
  results.css = { during, after, reloadsAfterC, final: hrefs(p.doc), reloads: p.reloads };
}

// A failed build shows the problems as text, over the page; the fix
// reloads it, even to the same build.
{
  const p = page("A", []);
  const probs = ["content/briefs/x.md:3:1: unknown key \"<img src=x onerror=alert(1)>\"", "data/y.yaml:7:25: bad"];
  p.send("problems", { id: "failed-1", build: "A", problems: probs });
  const shown = overlay(p.doc);
  p.send("problems", { id: "failed-2", build: "A", problems: probs.slice(1) });
  const redrawn = overlay(p.doc);
  const boxes = p.doc.body.children.filter((e) => e.id === "folio-problems").length;
  const before = p.reloads;
  p.send("build", { id: "A" });
  results.problems = { shown, redrawn, boxes, before, after: p.reloads };
}

// The overlay's button and Escape dismiss it.
{
  const p = page("A", []);
  p.send("problems", { id: "failed-1", build: "A", problems: ["x: y"] });
  p.doc.body.all().find((e) => e.tagName === "BUTTON").dispatch("click");
  const clicked = overlay(p.doc);
  p.send("problems", { id: "failed-2", build: "A", problems: ["x: z"] });
  p.doc.body.children.find((e) => e.id === "folio-problems").dispatch("keydown", { key: "Escape" });
  results.dismiss = { clicked, escaped: overlay(p.doc), reloads: p.reloads };
}

// The server's own page of problems reloads when they change or go.
{
  const p = page("failed-1", []);
  p.send("problems", { id: "failed-1", build: "", problems: ["x: y"] });
  const same = p.reloads;
  const shown = overlay(p.doc);
  p.send("problems", { id: "failed-2", build: "", problems: ["x: z"] });
  const changed = p.reloads;
  const q = page("none", []);
  q.send("build", { id: "A" });
  results.failurePage = { same, shown, changed, built: q.reloads };
}

console.log(JSON.stringify(results));
