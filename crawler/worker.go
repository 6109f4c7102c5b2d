package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"

	"stichwort/crawler/extract"
	"stichwort/crawler/pdftext"
	"stichwort/crawler/robots"
	"stichwort/crawler/sitemap"
	"stichwort/crawler/state"
	"stichwort/crawler/urlnorm"
)

// work fetches and parses one job. It runs in a worker goroutine and
// touches no crawler state.
func (c *Crawler) work(ctx context.Context, j *job) *result {
	r := &result{job: j}
	if j.kind == kindRobots {
		r.robots, r.err = c.fetchRobots(ctx, j)
		return r
	}
	r.resp, r.err = c.fetch.get(ctx, j.key, fetchOptions{cond: j.cond, minWait: j.wait})
	if r.err != nil || r.resp.status != http.StatusOK && r.resp.status != http.StatusNonAuthoritativeInfo {
		return r
	}
	body, typ := r.resp.body, r.resp.contentType
	switch j.kind {
	case state.KindSitemap:
		sm, err := sitemap.Parse(body)
		if err != nil {
			r.err = err
			return r
		}
		kind := state.KindPage
		if sm.Index {
			kind = state.KindSitemap
		}
		for _, e := range sm.Entries {
			r.links = append(r.links, state.Link{URL: e.Loc, Kind: kind})
		}
	case state.KindFeed:
		feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			r.err = fmt.Errorf("parse feed: %w", err)
			return r
		}
		for _, it := range feed.Items {
			for _, l := range append([]string{it.Link}, it.Links...) {
				if l = strings.TrimSpace(l); l != "" {
					r.links = append(r.links, state.Link{URL: l, Kind: state.KindPage})
				}
			}
		}
	default: // pages and PDFs
		switch {
		case isPDF(typ, j, body):
			r.pdf = c.extractPDF(ctx, body)
		case isHTML(typ, body) && j.kind == state.KindPage:
			r.page, r.err = parseHTML(j, body, r.resp.rawType)
		default:
			r.skipped = "content type " + typ
		}
	}
	return r
}

func (c *Crawler) fetchRobots(ctx context.Context, j *job) (*robots.Rules, error) {
	// robots.txt may redirect (http → https, a www host); follow a few
	// hops within the fetcher, as crawlers commonly do.
	u := j.key
	for hop := 0; hop < 5; hop++ {
		resp, err := c.fetch.get(ctx, u, fetchOptions{minWait: j.wait, maxBody: maxRobotsBytes, truncate: true})
		if err != nil {
			return nil, err
		}
		if resp.status >= 300 && resp.status < 400 && resp.location != "" {
			next, err := urlnorm.Resolve(j.url, resp.location)
			if err != nil {
				return robots.AllowAll(), nil
			}
			u = next.String()
			continue
		}
		if resp.status >= 300 && resp.status < 400 {
			return robots.AllowAll(), nil
		}
		return robots.Parse(resp.status, resp.body)
	}
	// Too many redirects: treat as no robots.txt, like a 4xx.
	return robots.AllowAll(), nil
}

func isPDF(typ string, j *job, body []byte) bool {
	if bytes.HasPrefix(body, []byte("%PDF-")) {
		return true
	}
	switch typ {
	case "application/pdf", "application/x-pdf":
		return true
	case "", "application/octet-stream", "binary/octet-stream", "application/force-download", "application/download":
		return extract.IsPDFURL(j.url)
	}
	return false
}

func isHTML(typ string, body []byte) bool {
	switch typ {
	case "text/html", "application/xhtml+xml":
		return true
	case "":
		return strings.HasPrefix(http.DetectContentType(body), "text/html")
	}
	return false
}

// parseHTML decodes the body to UTF-8 (charset from BOM, header or
// <meta>) and extracts links and the article.
func parseHTML(j *job, body []byte, contentType string) (*pageResult, error) {
	enc, _, certain := charset.DetermineEncoding(body, contentType)
	// Without a BOM or a charset in the header the guess can be wrong: a
	// page whose first KiB is ASCII is guessed windows-1252 even when
	// umlauts further down are UTF-8, and pages that claim ISO-8859-1 in a
	// <meta> are often UTF-8. Text in a single-byte charset with umlauts is
	// practically never valid UTF-8, so valid UTF-8 wins.
	if !certain && utf8.Valid(body) {
		enc = nil
	}
	if enc != nil {
		decoded, err := enc.NewDecoder().Bytes(body)
		if err != nil {
			return nil, fmt.Errorf("decode charset: %w", err)
		}
		body = decoded
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	pr := &pageResult{links: extract.ParseLinks(j.url, doc)}
	a, err := extract.ParseArticle(j.url, doc)
	switch {
	case errors.Is(err, extract.ErrNotArticle):
	case err != nil:
		return nil, fmt.Errorf("extract: %w", err)
	default:
		pr.article = &a
	}
	return pr, nil
}

// extractPDF runs pdftext.Extract with a time limit. pdftext caps its work
// but has no clock; an extraction that overruns is abandoned (its goroutine
// ends on its own when the caps are reached).
func (c *Crawler) extractPDF(ctx context.Context, data []byte) *pdfResult {
	done := make(chan *pdfResult, 1)
	go func() {
		res, err := pdftext.Extract(data)
		done <- &pdfResult{res: res, err: err}
	}()
	t := time.NewTimer(c.cfg.PDFTimeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r
	case <-t.C:
		return &pdfResult{err: fmt.Errorf("pdf extraction took longer than %v", c.cfg.PDFTimeout)}
	case <-ctx.Done():
		return &pdfResult{err: ctx.Err()}
	}
}
