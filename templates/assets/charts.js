/*
 * folio — starts the charts on a page (SPEC §6).
 *
 * Loaded, after vendor/echarts/echarts.min.js, only by pages with figures.
 * Each figure (templates/figure.html) holds
 *
 *   <div class="chart__canvas" data-options="ID-options" data-type="bar"
 *        data-height="360" role="img" aria-labelledby="ID-title"
 *        aria-describedby="ID-summary" hidden></div>
 *   <script type="application/json" id="ID-options">{...}</script>
 *   <details class="chart__data" open>...the plotted data...</details>
 *
 * Without this script (or without ECharts) the reader sees the table. With
 * it, every figure whose options parse gets its drawing area shown at its
 * final height and its table folded at once, so the page does not jump
 * later; the chart itself is drawn when it comes within 200px of the
 * viewport. The options are read with JSON.parse only, text from data
 * reaches the page only through textContent, and nothing here needs
 * eval or inline styles, so a strict Content-Security-Policy holds.
 *
 * What the browser decides, whatever the options say: colours and type
 * (a theme made from the page's custom properties, light, dark or print;
 * a transparent background), the tooltip (HTML built here from text
 * nodes: ECharts' own markup has style attributes that the CSP blocks),
 * animation (off for prefers-reduced-motion and print) and the aria
 * description (the figure's summary). The drawing takes keyboard focus;
 * the arrow keys step through the data and a live region reads each
 * point out.
 */
(function () {
  'use strict';

  var doc = document;
  var win = window;

  var DEFAULT_HEIGHT = 360;
  var MIN_HEIGHT = 120;
  var MAX_HEIGHT = 1600;
  var PRINT_WIDTH = 660; // CSS px: fits A4 and US Letter with the print margins
  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
    'August', 'September', 'October', 'November', 'December'];

  // Series colours. Each has at least 3:1 contrast against the page
  // background of its scheme (WCAG 1.4.11), and neighbours differ in
  // lightness as well as hue.
  var PALETTE_LIGHT = ['#1f5f99', '#d0661b', '#2e8068', '#b8394a', '#7357a4',
    '#8a6c19', '#3c8fc7', '#5f656d'];
  var PALETTE_DARK = ['#7db3e8', '#f29a55', '#55c29e', '#ef8490', '#b89de2',
    '#d6b656', '#93d3f5', '#aab0b8'];

  function query(q) {
    return win.matchMedia ? win.matchMedia(q) : null;
  }

  function onChange(mql, fn) {
    if (!mql) {
      return;
    }
    if (mql.addEventListener) {
      mql.addEventListener('change', fn);
    } else if (mql.addListener) {
      mql.addListener(fn);
    }
  }

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

  /* Copy buttons for the embed code --------------------------------- */

  function copyText(text, pre) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(function () {
        return true;
      }, function () {
        return selectAndCopy(pre);
      });
    }
    return {
      then: function (fn) {
        fn(selectAndCopy(pre));
      }
    };
  }

  // The fallback: select the code, so that the reader can copy it, and
  // try the old copy command.
  function selectAndCopy(pre) {
    var sel = win.getSelection && win.getSelection();
    if (!sel || !doc.createRange) {
      return false;
    }
    var range = doc.createRange();
    range.selectNodeContents(pre);
    sel.removeAllRanges();
    sel.addRange(range);
    try {
      return doc.execCommand('copy') === true;
    } catch (e) {
      return false;
    }
  }

  function setUpCopy(pre) {
    var row = make('div', 'chart__copy');
    var button = make('button', 'chart__copy-button', 'Copy embed code');
    var status = make('span', 'chart__copy-status');
    var timer = 0;
    button.type = 'button';
    status.setAttribute('role', 'status');
    row.appendChild(button);
    row.appendChild(status);
    pre.parentNode.insertBefore(row, pre.nextSibling);
    button.addEventListener('click', function () {
      clearTimeout(timer);
      status.textContent = '';
      copyText(pre.textContent, pre).then(function (ok) {
        status.textContent = ok ? 'Copied.' : 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';
        timer = setTimeout(function () {
          status.textContent = '';
        }, 6000);
      });
    });
  }

  var codes = doc.querySelectorAll('.chart__embed .chart__code');
  for (var c = 0; c < codes.length; c++) {
    setUpCopy(codes[c]);
  }

  /* Charts ----------------------------------------------------------- */

  var echarts = win.echarts;
  if (!echarts || typeof echarts.init !== 'function' || !win.JSON) {
    return; // the tables stay open
  }

  var darkQuery = query('(prefers-color-scheme: dark)');
  var printQuery = query('print');
  var motionQuery = query('(prefers-reduced-motion: reduce)');
  var printing = false;
  var records = [];
  var lang = doc.documentElement.getAttribute('lang') || undefined;
  var numberFormat = null;
  try {
    numberFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  } catch (e) {
    numberFormat = null;
  }

  /* Themes: the site's colours and type, read from its custom properties. */

  function cssVars() {
    var cs = win.getComputedStyle(doc.documentElement);
    function v(name, fallback) {
      var x = cs.getPropertyValue(name);
      x = x ? x.trim() : '';
      return x || fallback;
    }
    return {
      text: v('--text', '#1a1c1e'),
      text2: v('--text-2', '#3b4148'),
      muted: v('--muted', '#575e66'),
      border: v('--border', '#d8d5ce'),
      strong: v('--border-strong', '#a9a59c'),
      bg: v('--bg', '#ffffff'),
      surface: v('--surface', '#f4f3ef'),
      font: v('--font-sans', 'system-ui, sans-serif')
    };
  }

  function isDark() {
    return !printing && !!(darkQuery && darkQuery.matches);
  }

  function makeTheme(c, dark) {
    function axis() {
      return {
        axisLine: { lineStyle: { color: c.strong } },
        axisTick: { lineStyle: { color: c.strong } },
        axisLabel: { color: c.muted, fontSize: 12, hideOverlap: true },
        nameTextStyle: { color: c.muted, fontSize: 12 },
        splitLine: { lineStyle: { color: c.border } },
        minorSplitLine: { lineStyle: { color: c.border } },
        splitArea: { areaStyle: { color: ['transparent'] } }
      };
    }
    return {
      darkMode: dark,
      color: dark ? PALETTE_DARK : PALETTE_LIGHT,
      backgroundColor: 'transparent',
      textStyle: { fontFamily: c.font, color: c.text2, fontSize: 12 },
      title: { textStyle: { color: c.text }, subtextStyle: { color: c.muted } },
      legend: {
        textStyle: { color: c.text2, fontSize: 13 },
        pageTextStyle: { color: c.muted },
        pageIconColor: c.text2,
        pageIconInactiveColor: c.border,
        inactiveColor: c.strong
      },
      tooltip: {
        backgroundColor: c.bg,
        borderColor: c.strong,
        borderWidth: 1,
        textStyle: { color: c.text, fontFamily: c.font, fontSize: 13 }
      },
      axisPointer: {
        lineStyle: { color: c.strong },
        crossStyle: { color: c.strong },
        label: { color: c.bg, backgroundColor: c.text2 }
      },
      categoryAxis: axis(),
      valueAxis: axis(),
      timeAxis: axis(),
      logAxis: axis(),
      line: { symbol: 'circle', symbolSize: 6, lineStyle: { width: 2.5 } },
      pie: {
        itemStyle: { borderColor: c.bg, borderWidth: 1.5 },
        label: { color: c.text2 },
        labelLine: { lineStyle: { color: c.strong } }
      },
      scatter: { symbolSize: 10 }
    };
  }

  // Printed charts are black on white whatever the screen's scheme.
  var PRINT_VARS = {
    text: '#000000', text2: '#1a1a1a', muted: '#333333', border: '#c8c8c8',
    strong: '#666666', bg: '#ffffff', surface: '#ffffff', font: null
  };

  function currentTheme() {
    var c = cssVars();
    if (printing) {
      PRINT_VARS.font = c.font;
      return makeTheme(PRINT_VARS, false);
    }
    return makeTheme(c, isDark());
  }

  /* Text for tooltips. Everything goes in through textContent. */

  function pad2(n) {
    return (n < 10 ? '0' : '') + n;
  }

  // "2022-10-07" or a time in ms as "7 October 2022", like the site's dates.
  function formatDate(v) {
    var m;
    if (typeof v === 'string' && (m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(v))) {
      var month = MONTHS[parseInt(m[2], 10) - 1];
      if (!month) {
        return v;
      }
      return (m[3] ? parseInt(m[3], 10) + ' ' : '') + month + ' ' + m[1];
    }
    var d = typeof v === 'number' ? new Date(v) : null;
    if (!d || isNaN(d.getTime())) {
      return v == null ? '' : String(v);
    }
    var s = d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
    if (d.getUTCHours() || d.getUTCMinutes()) {
      s += ', ' + pad2(d.getUTCHours()) + ':' + pad2(d.getUTCMinutes()) + ' UTC';
    }
    return s;
  }

  function formatNumber(v) {
    if (typeof v === 'string' && v !== '' && !isNaN(Number(v))) {
      v = Number(v);
    }
    if (typeof v === 'number' && isFinite(v)) {
      return numberFormat ? numberFormat.format(v) : String(v);
    }
    return v;
  }

  function isMissing(v) {
    return v == null || v === '-' || v === '' || (typeof v === 'number' && isNaN(v));
  }

  function axisOf(option, dim, seriesIndex) {
    var series = option.series;
    series = Array.isArray(series) ? series[seriesIndex || 0] : series;
    var list = option[dim + 'Axis'];
    var index = (series && series[dim + 'AxisIndex']) || 0;
    var axis = Array.isArray(list) ? list[index] : list;
    return axis || {};
  }

  // A value as the chart labels it: a date on a time axis, otherwise the
  // number in the series' valueTemplate or the axis labels' string
  // template ("${value}bn"), so that the tooltip says "$115.2bn".
  function formatOnAxis(axis, v, template) {
    if (isMissing(v)) {
      return null;
    }
    if (axis.type === 'time') {
      return formatDate(v);
    }
    return fillTemplate(template || labelTemplate(axis), formatNumber(v));
  }

  function labelTemplate(axis) {
    var f = axis && axis.axisLabel && axis.axisLabel.formatter;
    return typeof f === 'string' ? f : '';
  }

  function seriesTemplate(option, seriesIndex) {
    var series = option.series;
    series = Array.isArray(series) ? series[seriesIndex || 0] : series;
    var t = series && series.valueTemplate;
    return typeof t === 'string' ? t : '';
  }

  function fillTemplate(template, text) {
    if (!template || template.indexOf('{value}') < 0) {
      return text;
    }
    return template.split('{value}').join(text);
  }

  // The value of a data item along dimension dim ("x" or "y").
  function valueAlong(p, dim) {
    var v = p.value;
    if (Array.isArray(v)) {
      var enc = p.encode && p.encode[dim];
      if (enc && enc.length) {
        return v[enc[0]];
      }
      return v[dim === 'x' ? 0 : 1];
    }
    return v;
  }

  function colorOf(p) {
    var col = p.color;
    if (col && typeof col === 'object' && col.colorStops && col.colorStops.length) {
      col = col.colorStops[0].color;
    }
    return typeof col === 'string' ? col : '';
  }

  function swatch(p) {
    var s = make('span', 'chart-tip__swatch');
    var col = colorOf(p);
    s.setAttribute('aria-hidden', 'true');
    if (col) {
      s.style.backgroundColor = col; // CSSOM, allowed by the CSP
    }
    return s;
  }

  // A row: colour, label and value; value undefined leaves the value out,
  // null says "no value".
  function row(p, label, value) {
    var r = make('div', 'chart-tip__row');
    r.appendChild(swatch(p));
    if (label != null && label !== '') {
      r.appendChild(make('span', 'chart-tip__label', label));
    }
    if (value === undefined) {
      return r;
    }
    if (value == null) {
      r.appendChild(make('span', 'chart-tip__value chart-tip__value--none', 'no value'));
    } else {
      r.appendChild(make('span', 'chart-tip__value', value));
    }
    return r;
  }

  function tooltipFormatter(rec) {
    return function (params) {
      var box = buildTip(rec, params);
      rec.tipText = tipText(box);
      return box;
    };
  }

  // The tooltip as one line of text, for the live region.
  function tipText(box) {
    var parts = [];
    for (var i = 0; i < box.children.length; i++) {
      var child = box.children[i];
      var words = [];
      for (var j = 0; j < child.childNodes.length; j++) {
        var t = child.childNodes[j].textContent;
        if (t) {
          words.push(t);
        }
      }
      if (words.length) {
        parts.push(words.join(' '));
      }
    }
    return parts.join('; ');
  }

  function buildTip(rec, params) {
    var list = Array.isArray(params) ? params : [params];
    var box = make('div', 'chart-tip');
    var option = rec.option;
    var p = list[0];
    var i;
    if (!p) {
      return box;
    }
    if (Array.isArray(params)) {
      // Axis trigger: the category or date, then one row per series.
      var head = p.axisType === 'xAxis.time' || p.axisType === 'yAxis.time'
        ? formatDate(p.axisValue) : (p.axisValueLabel != null ? p.axisValueLabel : p.name);
      box.appendChild(make('div', 'chart-tip__head', head));
      var other = p.axisDim === 'y' ? 'x' : 'y';
      for (i = 0; i < list.length; i++) {
        var q = list[i];
        var v = valueAlong(q, other);
        box.appendChild(row(q, q.seriesName,
          formatOnAxis(axisOf(option, other, q.seriesIndex), v, seriesTemplate(option, q.seriesIndex))));
      }
      return box;
    }
    if (rec.type === 'timeline') {
      // A dated event: date, category, then the event text.
      var date = valueAlong(p, 'x');
      var cat = valueAlong(p, 'y');
      box.className += ' chart-tip--event';
      var when = formatDate(date);
      box.appendChild(make('div', 'chart-tip__head', when));
      box.appendChild(row(p, p.seriesName || (cat == null ? '' : String(cat)), undefined));
      var text = p.name || '';
      // The event's own text: a date in front of it is in the head.
      var prefixes = [String(date) + ': ', when + ': '];
      for (i = 0; i < prefixes.length; i++) {
        if (text.indexOf(prefixes[i]) === 0) {
          text = text.slice(prefixes[i].length);
          break;
        }
      }
      if (text) {
        box.appendChild(make('p', 'chart-tip__text', text));
      }
      return box;
    }
    if (p.seriesType === 'pie') {
      var val = Array.isArray(p.value) ? valueAlong(p, 'y') : p.value;
      var shown = isMissing(val) ? null
        : fillTemplate(seriesTemplate(option, p.seriesIndex), formatNumber(val));
      if (shown != null && p.percent != null) {
        shown += ' (' + formatNumber(p.percent) + '%)';
      }
      if (p.seriesName && !/^series\d+$/.test(p.seriesName)) {
        box.appendChild(make('div', 'chart-tip__head', p.seriesName));
      }
      box.appendChild(row(p, p.name, shown));
      return box;
    }
    if (Array.isArray(p.value) && p.componentSubType === 'scatter') {
      // A point: its name, then both coordinates under the axis names.
      var xa = axisOf(option, 'x', p.seriesIndex);
      var ya = axisOf(option, 'y', p.seriesIndex);
      var title = p.name || p.seriesName;
      if (title) {
        box.appendChild(make('div', 'chart-tip__head', title));
      }
      box.appendChild(row(p, xa.name || 'x', formatOnAxis(xa, valueAlong(p, 'x'))));
      var yr = row(p, ya.name || 'y', formatOnAxis(ya, valueAlong(p, 'y'), seriesTemplate(option, p.seriesIndex)));
      yr.className += ' chart-tip__row--plain';
      box.appendChild(yr);
      return box;
    }
    // Any other item: its category, then series and value.
    if (p.name) {
      box.appendChild(make('div', 'chart-tip__head', p.name));
    }
    var single = Array.isArray(p.value) ? valueAlong(p, 'y') : p.value;
    box.appendChild(row(p, p.seriesName, formatOnAxis(axisOf(option, 'y', p.seriesIndex), single,
      seriesTemplate(option, p.seriesIndex))));
    return box;
  }

  /* Options: the JSON from Go, plus what only the browser knows. */

  function prepareTooltip(rec, t) {
    if (!t || typeof t !== 'object') {
      t = {};
    }
    if (!t.trigger) {
      t.trigger = /^(bar|line|area)$/.test(rec.type) ? 'axis' : 'item';
    }
    // Our own DOM content: ECharts' default markup carries style
    // attributes, which the CSP would block.
    t.formatter = tooltipFormatter(rec);
    t.renderMode = 'html';
    t.confine = true;
    t.enterable = false;
    t.className = 'chart-tooltip';
    t.transitionDuration = motionQuery && motionQuery.matches ? 0 : 0.2;
    t.extraCssText = 'white-space:normal;';
    return t;
  }

  function prepare(rec) {
    var o = rec.option;
    // The page's colours decide these, in every scheme and in print.
    delete o.color;
    o.backgroundColor = 'transparent';
    if (rec.animation === undefined) {
      rec.animation = o.animation !== false;
    }
    o.animation = rec.animation && !printing && !(motionQuery && motionQuery.matches);
    var i;
    if (Array.isArray(o.tooltip)) {
      for (i = 0; i < o.tooltip.length; i++) {
        o.tooltip[i] = prepareTooltip(rec, o.tooltip[i]);
      }
    } else {
      o.tooltip = prepareTooltip(rec, o.tooltip);
    }
    // A series' own tooltip settings would win over ours.
    var series = Array.isArray(o.series) ? o.series : (o.series ? [o.series] : []);
    for (i = 0; i < series.length; i++) {
      var st = series[i] && series[i].tooltip;
      if (st && typeof st === 'object') {
        delete st.formatter;
        delete st.renderMode;
      }
    }
    // ECharts' aria: the figure's summary is the chart's description.
    var aria = o.aria && typeof o.aria === 'object' ? o.aria : {};
    aria.enabled = true;
    aria.label = aria.label && typeof aria.label === 'object' ? aria.label : {};
    aria.label.enabled = true;
    if (!aria.label.description && rec.summary) {
      aria.label.description = rec.summary;
    }
    o.aria = aria;
    return o;
  }

  /* Starting, resizing, re-theming. */

  function fail(rec) {
    rec.failed = true;
    if (rec.chart) {
      try {
        rec.chart.dispose();
      } catch (e) { /* nothing more to undo */ }
      rec.chart = null;
    }
    rec.el.hidden = true;
    rec.el.removeAttribute('tabindex');
    rec.figure.classList.remove('chart--live');
    if (rec.details) {
      rec.details.open = true;
    }
  }

  function start(rec) {
    if (rec.chart || rec.failed) {
      return;
    }
    try {
      rec.chart = echarts.init(rec.el, currentTheme(), { renderer: 'svg' });
      rec.chart.setOption(prepare(rec));
      rec.width = rec.el.clientWidth;
      rec.figure.classList.add('chart--started');
      setUpKeys(rec);
    } catch (e) {
      fail(rec);
    }
  }

  /* Keyboard: the drawing takes focus, and the arrow keys step through
     the data, showing each point's tooltip, which a live region beside
     the drawing repeats for screen readers. */

  // The points in reading order: [seriesIndex, dataIndex] pairs; one per
  // category for an axis tooltip, events in date order for a timeline.
  function points(rec) {
    var out = [];
    var series = rec.option.series;
    series = Array.isArray(series) ? series : (series ? [series] : []);
    var tip = Array.isArray(rec.option.tooltip) ? rec.option.tooltip[0] : rec.option.tooltip;
    var axis = tip && tip.trigger === 'axis';
    for (var s = 0; s < series.length; s++) {
      var data = series[s] && series[s].data;
      if (!Array.isArray(data)) {
        continue;
      }
      for (var i = 0; i < data.length; i++) {
        var d = data[i];
        var v = d && typeof d === 'object' && !Array.isArray(d) ? d.value : d;
        if (!axis && isMissing(v)) {
          continue;
        }
        out.push({ s: s, i: i, at: Array.isArray(v) ? v[0] : i });
      }
      if (axis) {
        break;
      }
    }
    if (rec.type === 'timeline') {
      out.sort(function (a, b) {
        var x = Date.parse(a.at);
        var y = Date.parse(b.at);
        return x === y ? a.s - b.s || a.i - b.i : x - y;
      });
    }
    return out;
  }

  function setUpKeys(rec) {
    if (rec.keys) {
      return;
    }
    var list = points(rec);
    if (!list.length) {
      return;
    }
    rec.keys = true;
    var hint = make('span', 'visually-hidden', 'Use the arrow keys to go through the data.');
    var live = make('span', 'visually-hidden');
    var at = -1;
    hint.id = rec.el.id ? rec.el.id + '-keys' : '';
    if (!hint.id && rec.figure.id) {
      hint.id = rec.figure.id + '-keys';
    }
    live.setAttribute('aria-live', 'polite');
    rec.el.parentNode.insertBefore(hint, rec.el.nextSibling);
    rec.el.parentNode.insertBefore(live, hint.nextSibling);
    if (hint.id) {
      var described = rec.el.getAttribute('aria-describedby');
      rec.el.setAttribute('aria-describedby', (described ? described + ' ' : '') + hint.id);
    }
    rec.el.tabIndex = 0;

    function show(n) {
      if (!rec.chart) {
        return;
      }
      at = Math.max(0, Math.min(list.length - 1, n));
      rec.tipText = '';
      rec.chart.dispatchAction({ type: 'showTip', seriesIndex: list[at].s, dataIndex: list[at].i });
      live.textContent = rec.tipText || '';
    }

    function hide() {
      at = -1;
      live.textContent = '';
      if (rec.chart) {
        rec.chart.dispatchAction({ type: 'hideTip' });
      }
    }

    rec.el.addEventListener('keydown', function (e) {
      var key = e.key;
      var next = null;
      if (key === 'ArrowRight' || key === 'ArrowDown') {
        next = at + 1;
      } else if (key === 'ArrowLeft' || key === 'ArrowUp') {
        next = at < 0 ? list.length - 1 : at - 1;
      } else if (key === 'Home') {
        next = 0;
      } else if (key === 'End') {
        next = list.length - 1;
      } else if (key === 'Escape' && at >= 0) {
        hide();
        e.preventDefault();
        return;
      }
      if (next !== null) {
        show(next);
        e.preventDefault();
      }
    });
    rec.el.addEventListener('blur', hide);
  }

  function resize(rec) {
    if (!rec.chart || printing) {
      return;
    }
    var w = rec.el.clientWidth;
    if (w && w !== rec.width) {
      rec.width = w;
      try {
        rec.chart.resize();
      } catch (e) {
        fail(rec);
      }
    }
  }

  function retheme() {
    var theme = currentTheme();
    for (var i = 0; i < records.length; i++) {
      var rec = records[i];
      if (rec.chart) {
        try {
          rec.chart.setTheme(theme);
        } catch (e) {
          fail(rec);
        }
      }
    }
  }

  function svgOf(rec) {
    return rec.el.querySelector('svg');
  }

  // Before printing, draw every chart, lazy or not, in black on white at
  // the width of a printed page, without animation; the SVG gets a viewBox
  // so that it scales to whatever width the printed page has. A timeline
  // also opens its table: on paper no one can hover over a point to read
  // its event.
  function beforePrint() {
    if (printing) {
      return;
    }
    printing = true;
    var theme = currentTheme();
    for (var i = 0; i < records.length; i++) {
      var rec = records[i];
      start(rec);
      if (!rec.chart) {
        continue;
      }
      if (rec.type === 'timeline' && rec.details && !rec.details.open) {
        rec.details.open = true;
        rec.openedForPrint = true;
      }
      try {
        rec.chart.setOption({ animation: false });
        rec.chart.setTheme(theme);
        var w = Math.min(rec.el.clientWidth || PRINT_WIDTH, PRINT_WIDTH);
        rec.chart.resize({ width: w, height: rec.height, animation: { duration: 0 } });
        var svg = svgOf(rec);
        if (svg) {
          svg.setAttribute('viewBox', '0 0 ' + w + ' ' + rec.height);
          svg.setAttribute('preserveAspectRatio', 'xMinYMin meet');
        }
      } catch (e) {
        fail(rec);
      }
    }
  }

  function afterPrint() {
    if (!printing) {
      return;
    }
    printing = false;
    var theme = currentTheme();
    for (var i = 0; i < records.length; i++) {
      var rec = records[i];
      if (rec.openedForPrint) {
        rec.details.open = false;
        rec.openedForPrint = false;
      }
      if (!rec.chart) {
        continue;
      }
      try {
        var svg = svgOf(rec);
        if (svg) {
          svg.removeAttribute('viewBox');
          svg.removeAttribute('preserveAspectRatio');
        }
        rec.chart.setTheme(theme);
        rec.chart.resize({ width: 'auto', height: 'auto', animation: { duration: 0 } });
        rec.chart.setOption({ animation: rec.animation && !(motionQuery && motionQuery.matches) });
        rec.width = rec.el.clientWidth;
      } catch (e) {
        fail(rec);
      }
    }
  }

  /* Finding the figures. */

  function closestFigure(el) {
    for (var n = el.parentNode; n && n.nodeType === 1; n = n.parentNode) {
      if (n.tagName === 'FIGURE') {
        return n;
      }
    }
    return el.parentNode;
  }

  var canvases = doc.querySelectorAll('.chart__canvas[data-options]');
  for (var k = 0; k < canvases.length; k++) {
    var el = canvases[k];
    var script = doc.getElementById(el.getAttribute('data-options'));
    var option = null;
    if (!script) {
      continue;
    }
    try {
      option = JSON.parse(script.textContent);
    } catch (e) {
      option = null;
    }
    if (!option || typeof option !== 'object' || Array.isArray(option)) {
      continue; // the table stays
    }
    var figure = closestFigure(el);
    var height = parseInt(el.getAttribute('data-height'), 10);
    if (!(height >= MIN_HEIGHT && height <= MAX_HEIGHT)) {
      height = DEFAULT_HEIGHT;
    }
    var summaryId = el.getAttribute('aria-describedby');
    var summaryEl = summaryId ? doc.getElementById(summaryId) : null;
    var rec = {
      el: el,
      figure: figure,
      type: el.getAttribute('data-type') || '',
      option: option,
      height: height,
      summary: summaryEl ? summaryEl.textContent : '',
      details: figure.querySelector('details.chart__data'),
      chart: null,
      animation: undefined,
      width: 0,
      failed: false
    };
    records.push(rec);
    // Reserve the chart's room now and fold the table, so that the page
    // settles once rather than jumping as charts start.
    el.style.height = height + 'px';
    el.hidden = false;
    figure.classList.add('chart--live');
    if (rec.details) {
      rec.details.open = false;
    }
  }

  if (!records.length) {
    return;
  }

  /* Images, for folio build -images, which calls this through the
     DevTools protocol; the page itself never does. The chart of figure id
     is drawn apart from the page, black on white as in print, without
     animation, at width x height CSS px: as an SVG document by ECharts'
     server-side SVG renderer, and as a PNG at twice the size. */

  win.folioChartImages = function (id, width, height) {
    var rec = null;
    for (var i = 0; i < records.length; i++) {
      if (records[i].figure.id === id) {
        rec = records[i];
      }
    }
    if (!rec || rec.failed) {
      return null;
    }
    var base = prepare(rec);
    var o = {};
    for (var key in base) {
      if (Object.prototype.hasOwnProperty.call(base, key)) {
        o[key] = base[key];
      }
    }
    o.animation = false;
    o.backgroundColor = '#ffffff';
    o.tooltip = { show: false };
    // Single quotes: the SVG renderer writes the font into a style
    // attribute in double quotes without escaping them.
    PRINT_VARS.font = cssVars().font.replace(/"/g, "'");
    var theme = makeTheme(PRINT_VARS, false);
    var svgChart = echarts.init(null, theme, { renderer: 'svg', ssr: true, width: width, height: height });
    var pngChart = echarts.init(make('div'), theme, { renderer: 'canvas', width: width, height: height, devicePixelRatio: 2 });
    try {
      svgChart.setOption(o);
      pngChart.setOption(o);
      return {
        svg: svgChart.renderToSVGString(),
        png: pngChart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' })
      };
    } finally {
      svgChart.dispose();
      pngChart.dispose();
    }
  };

  function recordOf(el) {
    for (var i = 0; i < records.length; i++) {
      if (records[i].el === el) {
        return records[i];
      }
    }
    return null;
  }

  var r;
  if ('IntersectionObserver' in win) {
    var io = new win.IntersectionObserver(function (entries) {
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].isIntersecting || entries[i].intersectionRatio > 0) {
          io.unobserve(entries[i].target);
          var found = recordOf(entries[i].target);
          if (found) {
            start(found);
          }
        }
      }
    }, { rootMargin: '200px 0px 200px 0px' });
    for (r = 0; r < records.length; r++) {
      io.observe(records[r].el);
    }
  } else {
    for (r = 0; r < records.length; r++) {
      start(records[r]);
    }
  }

  var pending = false;
  function resizeAll() {
    if (pending) {
      return;
    }
    pending = true;
    var later = win.requestAnimationFrame || function (fn) {
      return setTimeout(fn, 50);
    };
    later(function () {
      pending = false;
      for (var i = 0; i < records.length; i++) {
        resize(records[i]);
      }
    });
  }

  if ('ResizeObserver' in win) {
    var ro = new win.ResizeObserver(resizeAll);
    for (r = 0; r < records.length; r++) {
      ro.observe(records[r].el);
    }
  } else {
    win.addEventListener('resize', resizeAll);
  }

  onChange(darkQuery, function () {
    if (!printing) {
      retheme();
    }
  });
  win.addEventListener('beforeprint', beforePrint);
  win.addEventListener('afterprint', afterPrint);
  onChange(printQuery, function (e) {
    if (e.matches) {
      beforePrint();
    } else {
      afterPrint();
    }
  });
}());
