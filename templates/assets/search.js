/*
 * folio — the search page /search/ (SPEC §8).
 *
 * Loaded by base.html on the search page only, as
 *
 *   <script src="search.<hash>.js" defer data-index="/base/search/index/">
 *
 * It reads the index that internal/search builds (its package comment
 * describes the files) from data-index, on this page's own host: first
 * meta.json, then only the shards that hold the query's terms, then one
 * small file per result shown, ten at a time. Nothing is sent anywhere;
 * the query stays in the page and in its address (?q=), which is kept in
 * step as the reader types, so a search can be bookmarked or shared.
 *
 * Every word must match. A word still being typed (the query does not end
 * in a space) also matches the words it begins, at half weight. Results
 * with more of the words in their title come first, then by weight (title
 * over headings and tags over summary over text), then newest first.
 *
 * The tokeniser repeats internal/search/tokenize.go rule for rule; change
 * both together (TestQueryTermsMatchJS runs both over the same cases).
 *
 * Index text reaches the page only through textContent and elements made
 * here, and nothing needs eval or inline styles, so a strict
 * Content-Security-Policy holds. Without JavaScript the page's noscript
 * note links to the briefs and the data instead.
 */
(function () {
  'use strict';

  var PAGE_SIZE = 10; // results per "Show more"
  var DEBOUNCE_MS = 180;
  var MAX_TERMS = 10; // words of a query that count
  var MAX_PREFIX_SHARDS = 8; // shards a word being typed may fetch
  var MIN_PREFIX = 2; // code points before a word being typed matches longer ones
  var EXCERPT_WORDS = 32;
  var LEAD_WORDS = 8; // words of context before the first match in an excerpt
  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
    'August', 'September', 'October', 'November', 'December'];

  /* The tokeniser --------------------------------------------------- */

  var re = null;
  try {
    re = {
      word: new RegExp('^[\\p{L}\\p{N}\\p{M}]$', 'u'),
      digit: new RegExp('^\\p{Nd}$', 'u'),
      number: new RegExp('^\\p{N}$', 'u'),
      mn: new RegExp('\\p{Mn}', 'gu'),
      spaceless: new RegExp('[\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}]', 'u')
    };
  } catch (e) {
    re = null; // a browser without Unicode property escapes
  }
  var JOINERS = '\'\u2019-\u2010\u2011.';
  var stop = {};
  var maxTerm = 40;

  // The code point at i of s, as a string of one or two code units.
  function cpAt(s, i) {
    var c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      var d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        return s.slice(i, i + 2);
      }
    }
    return s.charAt(i);
  }

  function isWord(c) {
    return re.word.test(c);
  }

  // The compounds of s: lists of [start, end] of the words they join.
  function compounds(s) {
    var out = [];
    var n = s.length;
    var i = 0;
    while (i < n) {
      var c = cpAt(s, i);
      if (!isWord(c)) {
        i += c.length;
        continue;
      }
      var words = [];
      for (;;) {
        var start = i;
        var last = '';
        while (i < n) {
          c = cpAt(s, i);
          if (!isWord(c)) {
            break;
          }
          last = c;
          i += c.length;
        }
        words.push([start, i]);
        if (i >= n) {
          break;
        }
        var j = cpAt(s, i);
        var next = i + j.length < n ? cpAt(s, i + j.length) : '';
        if (next && isWord(next) && (JOINERS.indexOf(j) >= 0 ||
            (j === ',' && re.digit.test(last) && re.digit.test(next)))) {
          i += j.length;
          continue;
        }
        break;
      }
      out.push(words);
    }
    return out;
  }

  function cut(t) {
    var cps = Array.from(t);
    return cps.length > maxTerm ? cps.slice(0, maxTerm).join('') : t;
  }

  // The normalised tokens of one word, appended to out.
  function tokens(word, out) {
    var w = word.normalize('NFKD').replace(re.mn, '');
    var buf = '';
    function flush() {
      if (buf) {
        out.push(cut(buf));
        buf = '';
      }
    }
    for (var i = 0; i < w.length;) {
      var c = cpAt(w, i);
      i += c.length;
      if (!isWord(c)) {
        flush();
      } else if (re.spaceless.test(c)) {
        flush();
        out.push(c);
      } else {
        c = c.toLowerCase();
        buf += c === '\u03c2' ? '\u03c3' : c;
      }
    }
    flush();
    return out;
  }

  function isTerm(t) {
    if (Object.prototype.hasOwnProperty.call(stop, t)) {
      return false;
    }
    if (cpAt(t, 0).length === t.length) {
      return re.number.test(t) || re.spaceless.test(t);
    }
    return true;
  }

  function joined(toks) {
    if (toks.length < 2) {
      return '';
    }
    var j = toks.join('');
    return re.spaceless.test(j) ? '' : cut(j);
  }

  function compoundTokens(s, words) {
    var toks = [];
    for (var k = 0; k < words.length; k++) {
      tokens(s.slice(words[k][0], words[k][1]), toks);
    }
    return toks;
  }

  // parseQuery returns the terms of a query, each once, and whether the
  // last one is a word still being typed.
  function parseQuery(q) {
    var terms = [];
    var lastFrom = -1; // index in terms of the last compound's last term
    var comps = compounds(q);
    for (var i = 0; i < comps.length; i++) {
      var toks = compoundTokens(q, comps[i]);
      var found = false;
      lastFrom = -1;
      for (var k = 0; k < toks.length; k++) {
        var t = toks[k];
        var kept = isTerm(t);
        if (kept) {
          found = true;
          if (terms.indexOf(t) < 0) {
            terms.push(t);
          }
        }
        if (k === toks.length - 1 && kept) {
          lastFrom = terms.indexOf(t);
        }
      }
      var j = joined(toks);
      if (!found && j && isTerm(j)) {
        if (terms.indexOf(j) < 0) {
          terms.push(j);
        }
        lastFrom = terms.indexOf(j);
      }
    }
    terms = terms.slice(0, MAX_TERMS);
    var prefix = -1;
    if (lastFrom >= 0 && lastFrom < terms.length && isWord(lastCp(q)) &&
        Array.from(terms[lastFrom]).length >= MIN_PREFIX) {
      prefix = lastFrom;
    }
    return { terms: terms, prefix: prefix };
  }

  function lastCp(s) {
    var c = s.charCodeAt(s.length - 1);
    if (c >= 0xdc00 && c <= 0xdfff && s.length > 1) {
      return s.slice(-2);
    }
    return s.slice(-1);
  }

  // A matcher for the tokens of text: exact terms, and words beginning
  // with the word being typed.
  function matcher(query) {
    var set = {};
    var pre = query.prefix >= 0 ? query.terms[query.prefix] : null;
    for (var i = 0; i < query.terms.length; i++) {
      set['~' + query.terms[i]] = true;
    }
    return function (tok) {
      return set['~' + tok] === true || (pre !== null && tok.indexOf(pre) === 0);
    };
  }

  // The ranges of s that match: words, or a whole compound whose joined
  // form matches; and per compound whether it matched, for excerpts.
  function marks(s, match) {
    var comps = compounds(s);
    var list = [];
    for (var i = 0; i < comps.length; i++) {
      var words = comps[i];
      var ranges = [];
      var all = [];
      for (var k = 0; k < words.length; k++) {
        var toks = tokens(s.slice(words[k][0], words[k][1]), []);
        all = all.concat(toks);
        for (var m = 0; m < toks.length; m++) {
          if (match(toks[m])) {
            ranges.push(words[k]);
            break;
          }
        }
      }
      if (!ranges.length) {
        var j = joined(all);
        if (j && match(j)) {
          ranges.push([words[0][0], words[words.length - 1][1]]);
        }
      }
      list.push({ start: words[0][0], end: words[words.length - 1][1], ranges: ranges });
    }
    return list;
  }

  // For tests in Node (internal/search): the tokeniser alone.
  if (typeof document === 'undefined') {
    if (typeof module === 'object' && module && module.exports && re) {
      module.exports = {
        parseQuery: parseQuery,
        marks: function (s, q) {
          return marks(s, matcher(parseQuery(q)));
        },
        setStop: function (words) {
          stop = {};
          for (var i = 0; i < words.length; i++) {
            stop[words[i]] = true;
          }
        }
      };
    }
    return;
  }

  /* The page -------------------------------------------------------- */

  var doc = document;
  var win = window;
  var script = doc.currentScript || doc.querySelector('script[data-index]');
  var form = doc.querySelector('form[role="search"]');
  var input = doc.getElementById('search-input');
  var status = doc.getElementById('search-status');
  var list = doc.getElementById('search-list');
  var hint = doc.getElementById('search-hint');
  if (!script || !form || !input || !status || !list) {
    return;
  }

  function say(text) {
    status.textContent = text;
  }

  var base = null;
  try {
    base = new URL(script.getAttribute('data-index') || '', win.location.href);
    if (base.origin !== win.location.origin) {
      base = null;
    }
  } catch (e) {
    base = null;
  }
  if (!base || !re || !win.fetch || !win.Promise || !String.prototype.normalize) {
    say('Search does not work in this browser. Browse the briefs and the data from the menu instead.');
    return;
  }
  if (hint) {
    hint.hidden = false;
  }

  var lang = doc.documentElement.getAttribute('lang') || undefined;
  var numberFormat = null;
  try {
    numberFormat = new Intl.NumberFormat(lang);
  } catch (e) {
    numberFormat = null;
  }

  function count(n) {
    return numberFormat ? numberFormat.format(n) : String(n);
  }

  /* Fetching the index. */

  var metaPromise = null;
  var files = {}; // path below the version folder -> promise of its JSON

  function getJSON(path, fresh) {
    return win.fetch(new URL(path, base).href, {
      credentials: 'same-origin',
      cache: fresh ? 'no-cache' : 'default'
    }).then(function (r) {
      if (!r.ok) {
        throw new Error('HTTP ' + r.status);
      }
      return r.json();
    });
  }

  function loadMeta() {
    if (!metaPromise) {
      metaPromise = getJSON('meta.json', true).then(function (m) {
        if (!m || m.format !== 1 || !Array.isArray(m.shards) || typeof m.version !== 'string' ||
            !/^[0-9a-f]+$/.test(m.version) || !m.shards.every(function (x) {
              return typeof x === 'string';
            })) {
          throw new Error('unknown index format');
        }
        stop = {};
        var words = Array.isArray(m.stop) ? m.stop : [];
        for (var i = 0; i < words.length; i++) {
          stop[words[i]] = true;
        }
        if (m.max_term > 0) {
          maxTerm = m.max_term;
        }
        return m;
      });
      metaPromise.catch(function () {
        metaPromise = null;
      });
    }
    return metaPromise;
  }

  function load(m, name) {
    var key = m.version + '/' + name;
    if (!files[key]) {
      files[key] = getJSON(key, false);
      files[key].catch(function () {
        delete files[key];
      });
    }
    return files[key];
  }

  // Go sorts terms by code point; JavaScript compares code units, which
  // differs above U+FFFF.
  function compare(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x !== y) {
        var xs = x >= 0xd800 && x <= 0xdfff;
        var ys = y >= 0xd800 && y <= 0xdfff;
        return xs !== ys ? (xs ? 1 : -1) : x - y;
      }
    }
    return a.length - b.length;
  }

  // The shard whose range holds term: the last that starts at or before it.
  function shardOf(m, term) {
    var lo = 0;
    var hi = m.shards.length - 1;
    var at = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (compare(m.shards[mid], term) <= 0) {
        at = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return at;
  }

  function shardsFor(m, term, isPrefix) {
    var at = shardOf(m, term);
    if (!isPrefix) {
      return at < 0 ? [] : [at];
    }
    var out = [Math.max(at, 0)];
    for (var k = out[0] + 1; k < m.shards.length && out.length < MAX_PREFIX_SHARDS &&
        m.shards[k].indexOf(term) === 0; k++) {
      out.push(k);
    }
    return out;
  }

  // hitsOf adds up what the shards say about a term: doc id -> {w, t}.
  function hitsOf(term, isPrefix, shards) {
    var hits = new Map();
    function add(postings, exact) {
      if (!Array.isArray(postings)) {
        return;
      }
      var id = 0;
      for (var i = 0; i + 1 < postings.length; i += 2) {
        id += postings[i];
        var v = postings[i + 1];
        var w = v >> 1;
        if (!exact) {
          w = w / 2;
        }
        var h = hits.get(id);
        if (!h) {
          hits.set(id, { w: w, t: v & 1 });
        } else {
          h.w = Math.max(h.w, w);
          h.t = h.t | (v & 1);
        }
      }
    }
    for (var s = 0; s < shards.length; s++) {
      var entries = Array.isArray(shards[s]) ? shards[s] : [];
      for (var e = 0; e < entries.length; e++) {
        var entry = entries[e];
        if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
          continue;
        }
        if (entry[0] === term) {
          add(entry[1], true);
        } else if (isPrefix && entry[0].indexOf(term) === 0) {
          add(entry[1], false);
        }
      }
    }
    return hits;
  }

  // rank returns the ids of the documents that have every term, best first.
  function rank(perTerm) {
    var out = [];
    if (!perTerm.length) {
      return out;
    }
    var smallest = perTerm[0];
    for (var i = 1; i < perTerm.length; i++) {
      if (perTerm[i].size < smallest.size) {
        smallest = perTerm[i];
      }
    }
    smallest.forEach(function (_, id) {
      var score = 0;
      var titled = 0;
      for (var k = 0; k < perTerm.length; k++) {
        var h = perTerm[k].get(id);
        if (!h) {
          return;
        }
        score += h.w;
        titled += h.t;
      }
      out.push({ id: id, score: score, titled: titled });
    });
    out.sort(function (a, b) {
      return b.titled - a.titled || b.score - a.score || a.id - b.id;
    });
    return out;
  }

  /* Showing results. */

  function make(tag, className, text) {
    var el = doc.createElement(tag);
    if (className) {
      el.className = className;
    }
    if (text != null) {
      el.textContent = String(text);
    }
    return el;
  }

  // appendMarked appends text[from:to] to el, with the ranges in <mark>.
  function appendMarked(el, text, ranges, from, to) {
    var at = from;
    for (var i = 0; i < ranges.length; i++) {
      var s = Math.max(ranges[i][0], at);
      var e = Math.min(ranges[i][1], to);
      if (e <= s) {
        continue;
      }
      if (s > at) {
        el.appendChild(doc.createTextNode(text.slice(at, s)));
      }
      el.appendChild(make('mark', '', text.slice(s, e)));
      at = e;
    }
    if (at < to) {
      el.appendChild(doc.createTextNode(text.slice(at, to)));
    }
  }

  function rangesOf(comps, from, to) {
    var out = [];
    for (var i = from; i < to; i++) {
      out = out.concat(comps[i].ranges);
    }
    return out;
  }

  // excerpt fills el with the passage of text richest in matches, or
  // returns false when the text has none.
  function excerpt(el, text, match) {
    var comps = marks(text, match);
    var n = comps.length;
    if (!n) {
      return false;
    }
    var best = -1;
    var bestHits = 0;
    var hits = 0;
    for (var i = 0; i < n; i++) {
      hits += comps[i].ranges.length ? 1 : 0;
      if (i >= EXCERPT_WORDS) {
        hits -= comps[i - EXCERPT_WORDS].ranges.length ? 1 : 0;
      }
      if (hits > bestHits) {
        bestHits = hits;
        best = Math.max(0, i - EXCERPT_WORDS + 1);
      }
    }
    if (best < 0) {
      return false;
    }
    var first = best;
    while (!comps[first].ranges.length) {
      first++;
    }
    var s = Math.max(0, first - LEAD_WORDS);
    var e = Math.min(n, s + EXCERPT_WORDS);
    var from = comps[s].start;
    var to = e < n ? comps[e].start : text.length;
    while (to > from && /\s/.test(text.charAt(to - 1))) {
      to--;
    }
    if (s > 0) {
      el.appendChild(doc.createTextNode('… '));
    }
    appendMarked(el, text, rangesOf(comps, s, e), from, to);
    if (e < n) {
      el.appendChild(doc.createTextNode(' …'));
    }
    return true;
  }

  function marked(el, text, match) {
    var comps = marks(text, match);
    appendMarked(el, text, rangesOf(comps, 0, comps.length), 0, text.length);
    return el;
  }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    var month = m && MONTHS[parseInt(m[2], 10) - 1];
    return month ? parseInt(m[3], 10) + ' ' + month + ' ' + m[1] : iso;
  }

  function str(v) {
    return typeof v === 'string' ? v : '';
  }

  // The result item of one doc file, or null when its link is not a page
  // of this site.
  function item(frag, match) {
    var href;
    try {
      var u = new URL(str(frag.url), win.location.href);
      if (u.origin !== win.location.origin || str(frag.url).charAt(0) !== '/') {
        return null;
      }
      href = u.pathname + u.search + u.hash;
    } catch (e) {
      return null;
    }
    var li = make('li', 'search-result');
    if (str(frag.kind)) {
      li.appendChild(make('p', 'type-label search-result__kind', frag.kind));
    }
    var h = make('h2', 'search-result__title');
    var a = make('a');
    a.href = href;
    marked(a, str(frag.title) || href, match);
    h.appendChild(a);
    li.appendChild(h);
    if (str(frag.date)) {
      var meta = make('p', 'search-result__meta');
      var time = make('time', '', formatDate(frag.date));
      time.setAttribute('datetime', frag.date);
      meta.appendChild(time);
      li.appendChild(meta);
    }
    var p = make('p', 'search-result__excerpt');
    if (!excerpt(p, str(frag.text), match)) {
      var summary = str(frag.summary);
      if (summary) {
        marked(p, summary, match);
      } else {
        p.textContent = str(frag.text).split(/\s+/).slice(0, EXCERPT_WORDS).join(' ');
      }
    }
    if (p.firstChild) {
      li.appendChild(p);
    }
    return li;
  }

  var more = make('button', 'search-more', 'Show more results');
  more.type = 'button';
  more.hidden = true;
  list.parentNode.insertBefore(more, list.nextSibling);

  var current = null; // {seq, m, query, results, shown}
  var seq = 0;
  var retried = false;

  function clearResults() {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    more.hidden = true;
  }

  // showPage fetches the doc files of the next page of results and shows
  // them; before runs first, so that a new search replaces the old one's
  // results and status line at once, when its own are ready.
  function showPage(state, focusFirst, before) {
    var from = state.shown;
    var ids = state.results.slice(from, from + PAGE_SIZE);
    return Promise.all(ids.map(function (r) {
      return load(state.m, 'doc-' + r.id + '.json');
    })).then(function (frags) {
      if (state !== current || state.shown !== from) {
        return;
      }
      state.shown = from + ids.length;
      if (before) {
        before();
      }
      var match = matcher(state.query);
      var firstLink = null;
      for (var i = 0; i < frags.length; i++) {
        var li = frags[i] && typeof frags[i] === 'object' ? item(frags[i], match) : null;
        if (li) {
          list.appendChild(li);
          firstLink = firstLink || li.querySelector('a');
        }
      }
      more.hidden = state.shown >= state.results.length;
      if (focusFirst && firstLink) {
        firstLink.focus();
      }
    });
  }

  function failed() {
    if (!retried) {
      // Most likely a new build replaced the index since meta.json was
      // read: read it again, once.
      retried = true;
      metaPromise = null;
      files = {};
      search(input.value);
      return;
    }
    clearResults();
    say('Search is not available right now: the index could not be read. Reload the page to try again.');
  }

  function search(q) {
    var mine = ++seq;
    var shown = q.trim();
    if (!shown) {
      current = null;
      clearResults();
      say('');
      return;
    }
    // The query is read once meta.json is, which has the stop words.
    loadMeta().then(function (m) {
      if (mine !== seq) {
        return null;
      }
      var query = parseQuery(q);
      if (!query.terms.length) {
        current = null;
        clearResults();
        say('Nothing to search for in “' + shown + '”: type longer or less common words.');
        return null;
      }
      return Promise.all(query.terms.map(function (term, k) {
        var isPrefix = k === query.prefix;
        return Promise.all(shardsFor(m, term, isPrefix).map(function (n) {
          return load(m, 'shard-' + n + '.json');
        })).then(function (shards) {
          return hitsOf(term, isPrefix, shards);
        });
      })).then(function (perTerm) {
        if (mine !== seq) {
          return null;
        }
        var state = { m: m, query: query, results: rank(perTerm), shown: 0 };
        current = state;
        var n = state.results.length;
        return showPage(state, false, function () {
          clearResults();
          say(n === 0 ? 'No results for “' + shown + '”.'
            : count(n) + (n === 1 ? ' result' : ' results') + ' for “' + shown + '”');
        });
      });
    }).then(function () {
      if (mine === seq) {
        retried = false;
      }
    }, function () {
      if (mine === seq) {
        failed();
      }
    });
  }

  /* The address: ?q= follows the query. */

  function syncAddress(q) {
    if (!win.history || !win.history.replaceState || !win.URLSearchParams) {
      return;
    }
    var params = new URLSearchParams(win.location.search);
    if (q) {
      params.set('q', q);
    } else {
      params.delete('q');
    }
    var s = params.toString();
    var u = win.location.pathname + (s ? '?' + s : '') + win.location.hash;
    try {
      win.history.replaceState(win.history.state, '', u);
    } catch (e) { /* the address stays as it was */ }
  }

  var timer = 0;

  function now() {
    clearTimeout(timer);
    timer = 0;
    syncAddress(input.value);
    search(input.value);
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(now, DEBOUNCE_MS);
  });

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    now();
  });

  more.addEventListener('click', function () {
    if (current) {
      showPage(current, true).catch(failed);
    }
  });

  /* Keyboard: the arrow keys go from the box through the result links. */

  function links() {
    return list.querySelectorAll('.search-result__title a');
  }

  input.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown') {
      var all = links();
      if (all.length) {
        e.preventDefault();
        all[0].focus();
      }
    }
  });

  list.addEventListener('keydown', function (e) {
    var all = links();
    var at = Array.prototype.indexOf.call(all, doc.activeElement);
    if (at < 0) {
      return;
    }
    if (e.key === 'ArrowDown' && at + 1 < all.length) {
      e.preventDefault();
      all[at + 1].focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (at > 0) {
        all[at - 1].focus();
      } else {
        input.focus();
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      input.focus();
    }
  });

  var initial = '';
  if (win.URLSearchParams) {
    initial = new URLSearchParams(win.location.search).get('q') || '';
  }
  if (initial) {
    input.value = initial;
    search(initial);
  } else {
    loadMeta().catch(function () { /* said when the reader searches */ });
  }
}());
