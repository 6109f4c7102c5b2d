package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"stichwort/internal/samplesite"
)

// startServe runs the real program with args after "serve --data dir
// --addr 127.0.0.1:0" until the test ends or stop is called.
func startServe(tb testing.TB, dir string, args ...string) (m *Main, stop func()) {
	tb.Helper()
	m = NewMain()
	m.Stdout, m.Stderr = io.Discard, io.Discard
	if err := m.ParseFlags(append([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--log-level", "error"}, args...)); err != nil {
		tb.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		tb.Fatal(err)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			if err := m.Close(); err != nil {
				tb.Errorf("close: %v", err)
			}
		})
	}
	tb.Cleanup(stop)
	return m, stop
}

// call sends a request to the running program and decodes a JSON answer
// into v (when v is not nil).
func call(tb testing.TB, m *Main, method, path, body string, v any, header ...string) int {
	tb.Helper()
	req, err := http.NewRequest(method, "http://"+m.Addr()+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(data, v); err != nil {
			tb.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
	return resp.StatusCode
}

func alertFeed(tb testing.TB, m *Main, id string) *gofeed.Feed {
	tb.Helper()
	resp, err := http.Get("http://" + m.Addr() + "/alerts/" + id + "/feed.atom")
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("alert feed: status %d", resp.StatusCode)
	}
	feed, err := gofeed.NewParser().Parse(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return feed
}

// eventually polls cond until it holds or the deadline passes.
func eventually(tb testing.TB, what string, limit time.Duration, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// articlePage is an article in the sample site's layout, as its profile
// in crawler/extract reads it: the date in brackets before the lead.
func articlePage(slug, title, date, lead, body, tag string) []byte {
	return fmt.Appendf(nil, `<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>%[2]s – eVerwaltung aktuell</title>
<link rel="canonical" href="%[7]s/artikel/%[1]s.html">
</head>
<body>
<header class="site-header"><a class="site-name" href="/">eVerwaltung aktuell</a></header>
<main>
<article class="artikel">
<h1>%[2]s</h1>
<p class="lead">[%[3]s] %[4]s</p>
<div class="artikel-text">
<p>%[5]s</p>
<p>Die Verwaltung will die Ergebnisse im kommenden Jahr auswerten und dem Rat vorlegen. Bis dahin sammelt sie Erfahrungen im laufenden Betrieb und beteiligt die Bürgerinnen und Bürger in mehreren Veranstaltungen.</p>
<p>Die Kosten trägt zum größten Teil ein Förderprogramm des Landes; den Rest übernimmt die Stadt aus ihrem Haushalt für die Digitalisierung. (red)</p>
</div>
<p class="stichwoerter">Stichwörter: <a href="/stichwort/smart-city.html">%[6]s</a></p>
</article>
</main>
</body>
</html>
`, slug, title, date, lead, body, tag, samplesite.WWWBase)
}

// webhookSink is an httptest receiver of alert webhooks.
type webhookSink struct {
	mu  sync.Mutex
	got []map[string]any
}

func (w *webhookSink) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	var p map[string]any
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil || r.Method != http.MethodPost {
		rw.WriteHeader(http.StatusBadRequest)
		return
	}
	w.mu.Lock()
	w.got = append(w.got, p)
	w.mu.Unlock()
}

func (w *webhookSink) posts() []map[string]any {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]map[string]any(nil), w.got...)
}

// TestAlertsEndToEnd is issue 5's check: the real program crawls the
// sample site every 200 ms; an alert created through the API catches
// exactly the one new matching article (published years ago) in its feed
// and its webhook, and alert and match survive a restart.
func TestAlertsEndToEnd(t *testing.T) {
	site, err := samplesite.NewSite(siteDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := site.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { site.Close() })
	sink := &webhookSink{}
	hook := httptest.NewServer(sink)
	t.Cleanup(hook.Close)

	dir := t.TempDir()
	m, stop := startServe(t, dir, "--seed", site.WWWURL()+"/", "--delay", "0", "--recrawl", "200ms",
		"--allow-private-webhooks", "--admin-token", "e2e-token")
	select {
	case <-m.CrawlDone():
	case <-time.After(60 * time.Second):
		t.Fatal("the first crawl did not finish within 60 s")
	}

	var a struct{ ID, Feed string }
	body := fmt.Sprintf(`{"name":"Quantenfunk","q":"Quantenfunk Altstadt","tags":["Smart City"],"type":"article","webhook":%q}`, hook.URL+"/hook")
	if code := call(t, m, http.MethodPost, "/api/alerts", body, &a); code != http.StatusCreated || a.Feed != "/alerts/"+a.ID+"/feed.atom" {
		t.Fatalf("create: status %d, %+v", code, a)
	}
	if feed := alertFeed(t, m, a.ID); len(feed.Items) != 0 {
		t.Fatalf("a new alert has %d items", len(feed.Items))
	}

	// Publish two articles: one matching with a date years back, one not.
	match := articlePage("quantenfunk-altstadt", "Quantenfunk in der Altstadt", "03.04.2019",
		"Die Stadt erprobt Quantenfunk für ihre Sensoren in der Altstadt.", "Der Versuch läuft seit Jahren und wird erst jetzt bekannt.", "Smart City")
	other := articlePage("kita-anmeldung-online", "Kita-Anmeldung jetzt online", "02.04.2019",
		"Eltern melden ihre Kinder künftig im Portal an.", "Das Portal ersetzt die Papierformulare.", "Smart City")
	site.Put(samplesite.HostWWW, "/artikel/quantenfunk-altstadt.html", match)
	site.Put(samplesite.HostWWW, "/artikel/kita-anmeldung-online.html", other)
	home, err := os.ReadFile(siteDir + "/www/index.html")
	if err != nil {
		t.Fatal(err)
	}
	links := `<ul class="teaser-liste">
<li class="teaser"><a href="/artikel/quantenfunk-altstadt.html">Quantenfunk in der Altstadt</a></li>
<li class="teaser"><a href="/artikel/kita-anmeldung-online.html">Kita-Anmeldung jetzt online</a></li>`
	site.Put(samplesite.HostWWW, "/index.html", bytes.Replace(home, []byte(`<ul class="teaser-liste">`), []byte(links), 1))
	matchURL := site.WWWURL() + "/artikel/quantenfunk-altstadt.html"

	// Both get indexed by a recrawl; the feed then holds exactly the match.
	eventually(t, "both new articles indexed", 30*time.Second, func() bool {
		var res apiResult
		call(t, m, http.MethodGet, "/api/search?q="+url.QueryEscape("Quantenfunk OR Papierformulare"), "", &res)
		return res.Total == 2
	})
	eventually(t, "the match in the alert's feed", 10*time.Second, func() bool { return len(alertFeed(t, m, a.ID).Items) > 0 })
	feed := alertFeed(t, m, a.ID)
	if len(feed.Items) != 1 || feed.Items[0].GUID != matchURL || feed.Items[0].Link != matchURL {
		t.Fatalf("alert feed: %d items, first %+v", len(feed.Items), feed.Items[0])
	}
	if p := feed.Items[0].PublishedParsed; p == nil || p.Format(time.DateOnly) != "2019-04-03" {
		t.Errorf("published %v, want the old publication date", p)
	}
	if u := feed.Items[0].UpdatedParsed; u == nil || time.Since(*u) > time.Minute {
		t.Errorf("updated %v, want the time of discovery", u)
	}

	eventually(t, "the webhook POST", 10*time.Second, func() bool { return len(sink.posts()) > 0 })
	post := sink.posts()[0]
	matches, _ := post["matches"].([]any)
	if len(matches) != 1 || matches[0].(map[string]any)["url"] != matchURL || post["alert"].(map[string]any)["id"] != a.ID {
		t.Errorf("webhook payload %v", post)
	}

	// The admin sees the alert and the delivery; others get 401.
	if code := call(t, m, http.MethodGet, "/api/alerts", "", nil); code != http.StatusUnauthorized {
		t.Errorf("list without token: status %d", code)
	}
	var list struct {
		Alerts     []struct{ ID string }
		Deliveries struct{ Delivered int }
	}
	if code := call(t, m, http.MethodGet, "/api/alerts", "", &list, "Authorization", "Bearer e2e-token"); code != http.StatusOK ||
		len(list.Alerts) != 1 || list.Deliveries.Delivered != 1 {
		t.Errorf("list: status %d, %+v", code, list)
	}
	if code := call(t, m, http.MethodPost, "/api/crawl", "", nil); code != http.StatusUnauthorized {
		t.Errorf("crawl without token: status %d", code)
	}
	if code := call(t, m, http.MethodPost, "/api/crawl", "", nil, "Authorization", "Bearer e2e-token"); code != http.StatusAccepted && code != http.StatusConflict {
		t.Errorf("crawl: status %d", code)
	}

	// Restart on the same data folder: the alert and its match are there.
	stop()
	t.Setenv(adminTokenEnv, "aus-der-umgebung")
	m2, _ := startServe(t, dir)
	var got struct {
		Name    string
		Matches int
	}
	if code := call(t, m2, http.MethodGet, "/api/alerts/"+a.ID, "", &got); code != http.StatusOK || got.Name != "Quantenfunk" || got.Matches != 1 {
		t.Fatalf("after the restart: status %d, %+v", code, got)
	}
	if feed := alertFeed(t, m2, a.ID); len(feed.Items) != 1 || feed.Items[0].GUID != matchURL {
		t.Errorf("feed after the restart: %+v", feed.Items)
	}
	if code := call(t, m2, http.MethodGet, "/api/alerts", "", nil, "Authorization", "Bearer aus-der-umgebung"); code != http.StatusOK {
		t.Errorf("the token from %s: status %d", adminTokenEnv, code)
	}
	if len(sink.posts()) != 1 {
		t.Errorf("%d webhook POSTs, want 1", len(sink.posts()))
	}
}

func TestAdminTokenFlagWinsOverEnvironment(t *testing.T) {
	t.Setenv(adminTokenEnv, "aus-der-umgebung")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--data", "x"}, "aus-der-umgebung"},
		{[]string{"serve", "--data", "x", "--admin-token", "vom-flag"}, "vom-flag"},
		{[]string{"serve", "--data", "x", "--admin-token", ""}, ""}, // given empty: no token, no fallback
		{[]string{"crawl", "--data", "x", "--seed", "http://example.org/"}, ""},
	} {
		m := NewMain()
		m.Stdout, m.Stderr = io.Discard, io.Discard
		if err := m.ParseFlags(tc.args); err != nil {
			t.Fatal(err)
		}
		if m.alerts.adminToken != tc.want {
			t.Errorf("%q: token %q, want %q", tc.args, m.alerts.adminToken, tc.want)
		}
	}
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, io.Discard
	if err := m.ParseFlags([]string{"search", "--data", "x", "--allow-private-webhooks", "q"}); err == nil {
		t.Error("search accepts --allow-private-webhooks")
	}
}
