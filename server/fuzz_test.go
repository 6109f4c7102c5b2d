package server

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"stichwort/index/alerts"
)

// fuzzOps are the requests FuzzHandler makes; the fuzzer picks one by
// number and fills in the path segment, the query and the body.
var fuzzOps = []struct {
	method string
	path   func(seg string) string
	// form marks a body sent as a form, not JSON.
	form bool
}{
	{http.MethodGet, func(string) string { return "/api/search" }, false},
	{http.MethodGet, func(string) string { return "/feed.atom" }, false},
	{http.MethodGet, func(string) string { return "/feed.rss" }, false},
	{http.MethodGet, func(string) string { return "/" }, false},
	{http.MethodPost, func(string) string { return "/api/alerts" }, false},
	{http.MethodGet, func(s string) string { return "/api/alerts/" + s }, false},
	{http.MethodDelete, func(s string) string { return "/api/alerts/" + s }, false},
	{http.MethodGet, func(s string) string { return "/alerts/" + s + "/feed.atom" }, false},
	{http.MethodGet, func(s string) string { return "/alerts/" + s + "/feed.rss" }, false},
	{http.MethodPost, func(string) string { return "/alarm" }, true},
	{http.MethodGet, func(s string) string { return "/alarm/" + s }, false},
	{http.MethodPost, func(s string) string { return "/alarm/" + s + "/loeschen" }, true},
	{http.MethodGet, func(s string) string { return "/api/docs/" + s }, false},
	{http.MethodGet, func(s string) string { return "/dokument/" + s }, false},
	{http.MethodGet, func(string) string { return "/api/suggest" }, false},
	{http.MethodGet, func(string) string { return "/api/alerts.opml" }, false},
	{http.MethodGet, func(string) string { return "/opensearch/suggest" }, false},
	{http.MethodGet, func(s string) string { return "/static/" + s }, false},
	{http.MethodPut, func(s string) string { return "/api/alerts/" + s }, false},
	{http.MethodGet, func(s string) string { return "/" + s }, false},
}

// FuzzHandler drives every handler that takes user input (search, feeds,
// the page, documents, alerts over the API and the page's forms, static
// files) with random path segments, query strings and bodies, against a
// real index and a real alert store. It asserts what CONTRACT.md promises:
// never a 500 (a panic becomes one through recoverPanics), and a body that
// is valid JSON, XML or UTF-8 HTML as its Content-Type says.
func FuzzHandler(f *testing.F) {
	s := mustAlertServer(f, Config{}, alerts.Options{MaxAlerts: 500})
	known := mustCreateAlert(f, s.h, `{"name":"Bekannt","q":"Zwilling"}`).ID
	seeds := []struct {
		op             int
		seg, q, body   string
		useKnownID     bool
		withAlertQuery bool
	}{
		{op: 0, q: "q=Zwilling&tag=Smart+City&sort=date&page=2&size=3"},
		{op: 0, q: "q=%ff%fe&from=2024-13-01"},
		{op: 1, q: "tag=<script>&type=pdf"},
		{op: 3, q: "q=\"a&source=a.example&year=2024&state=Bayern"},
		{op: 4, body: `{"name":"Test","q":"Kita","tags":["Politik"],"type":"article"}`},
		{op: 4, body: `{"q":"x","type":["article","pdf"],"year":[2024],"from":"2024-01-01","to":"2023-01-01"}`},
		{op: 4, body: `{"webhook":"http://[::1]:80/","name":"\u0000"}`},
		{op: 4, body: `{"q":` + strings.Repeat("[", 1000)},
		{op: 4, body: `{"year":[1e400],"tags":null}`},
		{op: 4, body: `{"q":"a"}{"q":"b"}`},
		{op: 5, useKnownID: true},
		{op: 5, seg: "../../etc/passwd"},
		{op: 6, seg: strings.Repeat("f", 32)},
		{op: 7, useKnownID: true, q: "x=1"},
		{op: 8, seg: "%00"},
		{op: 9, body: "q=Zwilling&name=Mein+Alarm&tag=Politik"},
		{op: 9, body: "q=%zz&&&="},
		{op: 10, useKnownID: true, q: "neu=1"},
		{op: 11, seg: "0123456789abcdef0123456789abcdef"},
		{op: 12, seg: "x"},
		{op: 13, seg: "x", q: "q=<b>"},
		{op: 14, q: "q=zw&size=99"},
		{op: 15, q: "ids=a,b,c"},
		{op: 16, q: "q=%e4"},
		{op: 17, seg: "..%2f..%2fetc%2fpasswd"},
		{op: 18, body: "{}"},
		{op: 19, seg: "gibtsnicht"},
	}
	for _, sd := range seeds {
		seg := sd.seg
		if sd.useKnownID {
			seg = known
		}
		f.Add(uint8(sd.op), seg, sd.q, []byte(sd.body))
	}
	f.Fuzz(func(t *testing.T, op uint8, seg, rawQuery string, body []byte) {
		o := fuzzOps[int(op)%len(fuzzOps)]
		path := o.path(url.PathEscape(seg))
		req := httptest.NewRequest(o.method, "/", strings.NewReader(string(body)))
		req.URL.Path, req.URL.RawPath, req.URL.RawQuery = "", "", rawQuery
		if u, err := url.Parse(path); err == nil {
			req.URL.Path, req.URL.RawPath = u.Path, u.RawPath
		} else {
			req.URL.Path = path
		}
		if o.form {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else if o.method == http.MethodPost {
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		s.h.ServeHTTP(rec, req)
		checkResponse(t, o.method+" "+path+"?"+rawQuery, rec)
		// A full store answers 503 with a German message; empty it now and
		// then so that creation keeps being exercised.
		if rec.Code == http.StatusServiceUnavailable {
			for _, a := range s.store.List() {
				if a.ID != known {
					_ = s.store.Delete(a.ID)
				}
			}
		}
	})
}

// checkResponse asserts the promises every response keeps.
func checkResponse(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	body := rec.Body.Bytes()
	if rec.Code >= 500 && !(rec.Code == http.StatusServiceUnavailable && strings.Contains(string(body), "zu viele Alarme")) {
		t.Fatalf("%s: status %d: %s", what, rec.Code, body)
	}
	if rec.Header().Get("Content-Security-Policy") == "" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("%s: security headers missing", what)
	}
	ct := rec.Header().Get("Content-Type")
	switch {
	case rec.Code == http.StatusNoContent || rec.Code == http.StatusNotModified:
		if len(body) != 0 {
			t.Fatalf("%s: status %d with a body", what, rec.Code)
		}
	case strings.HasPrefix(ct, "application/json"):
		if !json.Valid(body) {
			t.Fatalf("%s: invalid JSON: %s", what, body)
		}
	case strings.Contains(ct, "xml"), strings.Contains(ct, "opml"):
		if err := xml.Unmarshal(body, new(any)); err != nil {
			t.Fatalf("%s: invalid XML: %v", what, err)
		}
	case strings.HasPrefix(ct, "text/html"):
		if !utf8.Valid(body) {
			t.Fatalf("%s: HTML is not UTF-8", what)
		}
	case rec.Code >= 300 && rec.Code < 400:
		// A redirect: Go's redirect body, or none.
	case strings.HasPrefix(ct, "text/css"), strings.HasPrefix(ct, "text/javascript"), strings.HasPrefix(ct, "image/svg"),
		strings.HasPrefix(ct, "application/opensearchdescription+xml"), strings.HasPrefix(ct, "application/x-suggestions+json"):
	default:
		t.Fatalf("%s: status %d with unexpected content type %q: %.200s", what, rec.Code, ct, body)
	}
}
