// Package conformance holds the tests that check the example site the way
// readers and their tools meet it, against the promises of SPEC.md §8: no
// request to any other host, no script or style a strict
// Content-Security-Policy would block, WCAG 2.1 AA, valid HTML5.
//
// It has no code of its own, only tests. They build the example site at
// the repository root in-process (site.Load and Render, with the base URL
// http://127.0.0.1:<port>/observatory/) and serve its Output from the test
// on a loopback port, every response with a strict Content-Security-Policy.
//
//   - TestBrowserPages drives headless Chromium with chromedp through every
//     page: it loads the page, scrolls through it in viewport-height steps,
//     and fails on a console error, an uncaught exception, a failed or
//     non-2xx request (the 404 page's own 404 excepted), a request to
//     another host, or a CSP violation. On every page it then runs
//     axe-core's rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa in the
//     light colour scheme, and its colour rules (contrast) again in the
//     dark one, and fails on any violation, naming the rule, the elements
//     and the help text.
//   - TestBrowserScreenshots saves full-page PNGs of the home page, a
//     brief, a dataset page and the 404 page, 1280 px (desktop) and 390 px
//     (phone) wide, into screenshots/ here, which git ignores, for a
//     person to look at after a run.
//   - TestHTMLValid runs the Nu Html Checker (vnu.jar) over every built
//     page with --errors-only and fails on any error, naming file and line.
//     Its JVM starts in TestMain and runs alongside the browser tests.
//   - TestEditions builds the example site with -pdf and -images, twice,
//     and fails unless both builds are byte-identical, every brief's PDF is
//     A4 and its text (pdftotext) holds the title, authors, figure titles,
//     endnotes and citation, every chart has an SVG that parses as XML
//     (title and desc first, no script) and a PNG of twice its size, and
//     the pages that link them are valid HTML (the Nu Html Checker).
//   - TestBrowserCatches and TestHTMLCheckerCatches serve hand-written bad
//     pages (an inline script, an external image, a low-contrast colour,
//     invalid nesting, ...) and fail unless the checkers report them, so
//     the checks above cannot pass by checking nothing.
//
// The tools are pinned in tools/conformance: package.json and its lock
// file pin axe-core and vnu-jar, and install.sh installs Chromium and a
// Java runtime with apt-get where they are missing, then runs npm ci. To
// run the tests locally:
//
//	tools/conformance/install.sh    # once
//	go test ./internal/conformance
//
// Without Chromium, Java, poppler-utils or the npm packages each test skips with one line
// saying what to install; with CI=true in the environment it fails
// instead, so CI cannot pass by skipping. FOLIO_CHROMIUM names another
// Chromium binary than /usr/bin/chromium.
package conformance
