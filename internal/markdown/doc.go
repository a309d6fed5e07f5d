// Package markdown renders the Markdown of briefs, pages and author bios
// to HTML. It holds folio's one goldmark configuration; this comment is the
// manual for the dialect authors write.
//
// # Syntax
//
// The body is CommonMark (https://spec.commonmark.org/) plus these
// GitHub Flavored Markdown extensions:
//
//   - tables, with column alignment set by colons in the separator row
//     (| :--- | :---: | ---: |);
//   - strikethrough: ~~withdrawn~~;
//   - task lists: "- [ ] to do" and "- [x] done" render as disabled checkboxes;
//   - autolinks: bare https://..., http://..., ftp://..., www.... and e-mail
//     addresses become links, as do CommonMark's <https://...>.
//
// Not supported: attribute lists ({#id .class}), definition lists, math,
// emoji shortcodes, and hard line breaks on a plain newline (end a line
// with a backslash or two spaces for <br>).
//
// # Footnotes
//
// "Text.[^1]" refers to a footnote defined anywhere in the body as
// "[^1]: The note." (the label may be any word; notes are numbered in the
// order they are first cited). Notes become endnotes at the end of the body,
// in a <div class="footnotes" role="doc-endnotes">, each with a back-link
// (↩) to every place that cites it. A note that is never cited is dropped.
// Their element ids are "fn:N" for note N and "fnref:N", "fnref1:N", ... for
// its citations; the colon keeps them apart from heading ids, which never
// contain one.
//
// # Typography
//
// Straight quotes become curly ("…" and ‘…’), an apostrophe within or
// ending a word becomes ’ (doesn’t, the ’90s), -- becomes an en dash (–),
// --- an em dash (—) and ... an ellipsis (…). The characters are written
// as UTF-8, not as entities. Code spans and code blocks are left alone, and
// so are << and >> (no guillemets: in English prose they are more often
// "much less than"). Write a backslash before a character to keep it
// straight: \" or \-\-.
//
// # Headings
//
// Every heading gets an id from its plain text (see Slug): "## Qualité et
// coûts" is <h2 id="qualite-et-couts">, so it can be linked as
// #qualite-et-couts. Ids are unique within a body: the second heading that
// would be "background" is "background-2", the third "background-3".
// Authors cannot set ids by hand. All six levels render as written; a
// brief's title is the template's h1, so bodies should start at ##. Level
// 2 and 3 headings are listed for the table of contents.
//
// # Links
//
// A link or image destination that starts with a single slash is a path
// within the site and is written relative to the site's base_url:
// with base_url https://example.org/observatory/, [data](/data/x/) links to
// /observatory/data/x/. Relative paths (../x/), fragments (#sec), URLs with
// a scheme (https:, mailto:) and protocol-relative //host/ links are left
// as written. Destinations with a script-running scheme (javascript:,
// vbscript:, file:, data: other than images) are emptied, unless raw HTML
// is allowed (which could run script anyway).
//
// # Raw HTML
//
// Raw HTML, inline or as a block, is omitted from the output (it leaves a
// "<!-- raw HTML omitted -->" comment) unless the site sets allow_html:
// true. When allowed, it is passed through untouched: links inside it are
// neither rewritten for base_url nor reported for checking.
package markdown
