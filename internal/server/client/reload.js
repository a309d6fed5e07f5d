// folio serve's live reload. The preview server adds this script to the
// pages it serves; `folio build` never does. It listens to the server's
// events: a new build reloads the page, or swaps its stylesheets when only
// they changed; a failed build shows the problems over the page until the
// sources build again. Nothing here parses text as HTML or sets a style
// attribute (styles go through CSSOM), so problem text stays text and a
// strict Content-Security-Policy holds.
(function () {
  "use strict";
  var me = document.currentScript || document.querySelector("script[data-build]");
  var build = (me && me.getAttribute("data-build")) || "";
  var failing = false;
  var overlay = null;

  function reload() {
    location.reload();
  }

  // swapCSS replaces each stylesheet named in hrefs (old path -> new path)
  // by a new link, removing the old one once the new has loaded, so the
  // page never shows unstyled.
  function swapCSS(hrefs) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var old = links[i];
      var next = hrefs[new URL(old.href, location.href).pathname];
      if (!next) continue;
      var link = old.cloneNode(false);
      link.href = next;
      link.addEventListener("load", old.remove.bind(old));
      link.addEventListener("error", old.remove.bind(old));
      old.after(link);
    }
  }

  function style(el, props) {
    for (var k in props) el.style.setProperty(k, props[k]);
  }

  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  // show draws the problems over the page: an alert, announced by screen
  // readers, with a heading, the list as path:line:col: message, and a
  // button (or Escape) to dismiss it.
  function show(problems) {
    hide();
    var box = document.createElement("section");
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", "folio-problems-title");
    box.id = "folio-problems";
    style(box, {
      position: "fixed", left: "0", right: "0", bottom: "0", "z-index": "2147483647",
      "max-height": "60vh", overflow: "auto", margin: "0", padding: "1rem 1.25rem",
      background: "#fff8f6", color: "#2b0d06", "border-top": "4px solid #b3261e",
      "box-shadow": "0 -4px 16px rgba(0,0,0,.25)", font: "15px/1.45 system-ui, sans-serif",
      "text-align": "left"
    });
    var h = document.createElement("h2");
    h.id = "folio-problems-title";
    h.textContent = "The site does not build: " + problems.length +
      (problems.length === 1 ? " problem" : " problems");
    style(h, { margin: "0 0 .25rem", font: "700 17px/1.3 system-ui, sans-serif", color: "#8c1d18" });
    var note = document.createElement("p");
    note.id = "folio-problems-note";
    note.textContent = "This page shows the last good build. It reloads when the sources build again.";
    style(note, { margin: "0 0 .5rem" });
    var list = document.createElement("ul");
    style(list, { margin: "0", padding: "0", "list-style": "none" });
    problems.forEach(function (p) {
      var li = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = p;
      style(code, { "white-space": "pre-wrap", "overflow-wrap": "anywhere", font: "13px/1.5 ui-monospace, monospace" });
      li.appendChild(code);
      list.appendChild(li);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.addEventListener("click", hide);
    style(close, { "margin-top": ".75rem", font: "inherit", padding: ".25rem .75rem", cursor: "pointer" });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape") hide();
    });
    box.append(h, note, list, close);
    document.body.appendChild(box);
    overlay = box;
  }

  var events = new EventSource("/_folio/events");
  events.addEventListener("build", function (e) {
    var msg = JSON.parse(e.data);
    if (failing) {
      reload(); // fixed: the overlay goes with the old page
      return;
    }
    if (msg.id === build) return;
    if (msg.css && msg.from === build) {
      swapCSS(msg.css);
      build = msg.id;
      return;
    }
    reload();
  });
  events.addEventListener("problems", function (e) {
    var msg = JSON.parse(e.data);
    if (build.indexOf("failed-") === 0 || build === "none") {
      // This is the server's page of problems, not a page of the site.
      if (msg.id !== build) reload();
      return;
    }
    failing = true;
    show(msg.problems);
  });
})();
