package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/mmcdole/gofeed"
)

// screenshotDirEnv names a folder for the browser test's screenshots
// (screenshot-suche.png, screenshot-dokument.png); without it they go to
// a temporary folder. docs/ holds a copy made with
//
//	STICHWORT_SCREENSHOTS=$PWD/docs go test -run TestBrowser ./cmd/stichwort
const screenshotDirEnv = "STICHWORT_SCREENSHOTS"

// chromium returns the path of Debian's Chromium. Without it the test
// skips, except on CI (CI=true), where a missing browser is a failure:
// .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		t.Fatal("Chromium is not installed, and CI is set: install it with apt-get install -y chromium")
	}
	t.Skip("Chromium is not installed (apt-get install -y chromium); skipping the browser test")
	return ""
}

// mustBrowser starts a headless Chromium with a fresh profile and returns
// a tab. The first action starts the browser, so it runs here, without a
// timeout; the test's steps get theirs from the returned context.
func mustBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromium(t)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "de-DE"),
		chromedp.WindowSize(1280, 900),
		// No UserDataDir: chromedp makes a fresh profile folder for this
		// browser and removes it (with retries) when the browser is gone.
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium (%s): %v", path, err)
	}
	return ctx
}

// TestBrowser uses the search page like a person would, in a real
// headless Chromium against the real program serving the crawled sample
// site: type a query (autocomplete appears), click a Stichwort facet,
// check the results and the URL, follow the feed link, open a document.
func TestBrowser(t *testing.T) {
	browser := mustBrowser(t)
	f := mustSite(t)
	m := mustServe(t, f, t.TempDir())
	base := "http://" + m.Addr()

	shots := os.Getenv(screenshotDirEnv)
	if shots == "" {
		shots = t.TempDir()
	}

	// Everything the pages write to the console: a CSP violation or a
	// script error fails the test.
	var (
		mu      sync.Mutex
		console []string
	)
	messages := chromedp.Console(browser)
	go func() {
		for msg, err := range messages {
			if err != nil {
				return
			}
			if msg.Type == chromedp.ConsoleError || msg.Type == chromedp.ConsoleException || msg.Type == chromedp.ConsoleWarning {
				mu.Lock()
				console = append(console, string(msg.Type)+": "+msg.Text+" ("+msg.URL+")")
				mu.Unlock()
			}
		}
	}()

	ctx, cancel := context.WithTimeout(browser, 30*time.Second)
	defer cancel()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		must(what, chromedp.Do(ctx, steps...))
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		must("text of "+sel, err)
		return strings.TrimSpace(s)
	}
	location := func() *url.URL {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		must("location", err)
		u, err := url.Parse(loc)
		must("location", err)
		return u
	}
	// follow clicks a link and waits for the page it leads to.
	follow := func(sel string) {
		t.Helper()
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
		must("follow "+sel, err)
		if resp.Status != http.StatusOK {
			t.Fatalf("follow %s: status %d", sel, resp.Status)
		}
	}
	screenshot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		must("screenshot", err)
		p := filepath.Join(shots, name)
		must("save screenshot", os.WriteFile(p, png, 0o644))
		t.Logf("screenshot: %s", p)
	}

	// The start page: type a query; autocomplete offers completions.
	run("open the start page", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	run("type", chromedp.SendKeys(chromedp.ID("q"), "Zwil"))
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll("#vorschlaege option").length > 0`,
		chromedp.WithPollingTimeout(5*time.Second)))
	must("autocomplete", err)
	options, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#vorschlaege option"), o => o.value)`))
	must("autocomplete", err)
	if !slices.ContainsFunc(options, func(s string) bool { return strings.HasPrefix(s, "Zwilling") }) {
		t.Errorf("autocomplete for Zwil offers %q", options)
	}
	run("type", chromedp.SendKeys(chromedp.ID("q"), "linge"))
	_, err = chromedp.RunResponse(ctx, chromedp.SendKeys(chromedp.ID("q"), "\r"))
	must("submit the search", err)

	if u := location(); u.Path != "/" || u.Query().Get("q") != "Zwillinge" {
		t.Fatalf("after the search the URL is %s", u)
	}
	api := search(t, m, url.Values{"q": {"Zwillinge"}})
	if got := text(".anzahl-treffer strong"); got != strconv.Itoa(api.Total) {
		t.Errorf("the page says %s hits, the API %d", got, api.Total)
	}
	if got := text("li.treffer-eintrag h3 a"); got != api.Hits[0].Title {
		t.Errorf("first hit %q, the API's %q", got, api.Hits[0].Title)
	}

	// Keyboard: the first Tab reaches the skip link.
	run("tab", chromedp.KeyEvent("\t"))
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`))
	must("focus", err)
	if focused != "skip" {
		t.Errorf("first Tab focuses %q, want the skip link", focused)
	}

	// Click the Stichwort facet "Smart City": the count it showed is the
	// number of results, every hit carries the Stichwort, the URL says so.
	facet := `section[data-facet="tag"] a[data-value="Smart City"]`
	want := text(facet + " .anzahl")
	follow(facet)
	u := location()
	results := u.String()
	if u.Query().Get("q") != "Zwillinge" || u.Query().Get("tag") != "Smart City" {
		t.Errorf("after the facet click the URL is %s", u)
	}
	if got := text(".anzahl-treffer strong"); got != want {
		t.Errorf("%s hits after the click; the facet said %s", got, want)
	}
	api = search(t, m, url.Values{"q": {"Zwillinge"}, "tag": {"Smart City"}})
	if want != strconv.Itoa(api.Total) {
		t.Errorf("the facet said %s, the API finds %d", want, api.Total)
	}
	hitTags, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll("li.treffer-eintrag"),
		li => Array.from(li.querySelectorAll(".stichwoerter .tag"), t => t.textContent.trim()))`))
	must("tags of the hits", err)
	if len(hitTags) == 0 {
		t.Fatal("no hits after the facet click")
	}
	for i, tags := range hitTags {
		if !slices.Contains(tags, "Smart City") {
			t.Errorf("hit %d has Stichwörter %q", i+1, tags)
		}
	}
	if chip := text(".chips li a"); !strings.Contains(chip, "Stichwort: Smart City") {
		t.Errorf("chip %q", chip)
	}
	screenshot("screenshot-suche.png")

	// The feed link is this very search; the browser shows the feed.
	feedHref, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("a.feed-atom"), "href"))
	must("feed link", err)
	feedURL, _ := url.Parse(feedHref.Value)
	if feedURL.Path != "/feed.atom" || feedURL.Query().Get("q") != "Zwillinge" || feedURL.Query().Get("tag") != "Smart City" {
		t.Errorf("feed link %q is not this search", feedHref.Value)
	}
	follow("a.feed-atom")
	if u := location(); u.Path != "/feed.atom" {
		t.Fatalf("the feed link led to %s", u)
	}
	// Chromium shows a feed as its source text, in a <pre>.
	source, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`document.querySelector("body > pre") ? document.querySelector("body > pre").textContent : new XMLSerializer().serializeToString(document)`))
	must("read the feed", err)
	feed, err := gofeed.NewParser().ParseString(source)
	if err != nil {
		t.Fatalf("the browser's feed does not parse: %v: %.300s", err, source)
	}
	if feed.FeedType != "atom" || len(feed.Items) != min(api.Total, 50) {
		t.Errorf("feed %s with %d entries, want atom with %d", feed.FeedType, len(feed.Items), api.Total)
	}

	// Back to the results, open the first hit's text: the search words
	// are marked, related documents are offered.
	run("back to the results", chromedp.Navigate(results), chromedp.WaitVisible(chromedp.CSS("a.text-ansehen")))
	title := text("li.treffer-eintrag h3 a")
	follow("li.treffer-eintrag a.text-ansehen")
	u = location()
	if !strings.HasPrefix(u.Path, "/dokument/") || u.Query().Get("q") != "Zwillinge" {
		t.Errorf("document URL %s", u)
	}
	if got := text("h1"); got != title {
		t.Errorf("document title %q, want %q", got, title)
	}
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".text mark, h1 mark").length`))
	must("marks", err)
	if marks == 0 {
		t.Error("no search words marked in the document")
	}
	related, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".aehnlich li a").length`))
	must("related", err)
	if related == 0 {
		t.Error("no related documents")
	}
	original, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("a.original"), "href"))
	must("original", err)
	if !strings.HasPrefix(original.Value, f.site.WWWURL()) {
		t.Errorf("original link %q", original.Value)
	}
	screenshot("screenshot-dokument.png")

	mu.Lock()
	defer mu.Unlock()
	for _, msg := range console {
		t.Errorf("browser console: %s", msg)
	}
}
