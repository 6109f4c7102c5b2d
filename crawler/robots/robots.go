package robots

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/temoto/robotstxt"
)

// MaxCrawlDelay caps the Crawl-delay a site may ask for, so that one
// robots.txt cannot stall a crawl for hours.
const MaxCrawlDelay = time.Minute

// Rules are the parsed robots.txt of one host.
type Rules struct {
	data *robotstxt.RobotsData
}

// ErrStatus is returned by Parse for a status that says nothing about
// robots.txt (1xx, 3xx).
var ErrStatus = errors.New("robots: unexpected status")

// AllowAll returns rules that allow every path, with no delay or sitemaps.
func AllowAll() *Rules {
	data, _ := robotstxt.FromStatusAndBytes(404, nil)
	return &Rules{data: data}
}

// DisallowAll returns rules that disallow every path.
func DisallowAll() *Rules {
	data, _ := robotstxt.FromStatusAndBytes(503, nil)
	return &Rules{data: data}
}

// Parse reads a robots.txt response with the given HTTP status. It fails
// only for a status that is not 2xx, 4xx or 5xx (ErrStatus). A 2xx body that
// cannot be read even after dropping invalid lines counts as no robots.txt:
// everything is allowed, as for a 404.
func Parse(status int, body []byte) (*Rules, error) {
	switch {
	case status >= 200 && status < 300:
		data, err := robotstxt.FromBytes(sanitize(body))
		if err != nil {
			return AllowAll(), nil
		}
		return &Rules{data: data}, nil
	case status >= 400 && status < 600:
		data, err := robotstxt.FromStatusAndBytes(status, nil)
		if err != nil {
			return nil, fmt.Errorf("robots: status %d: %w", status, err)
		}
		return &Rules{data: data}, nil
	}
	return nil, fmt.Errorf("%w: %d", ErrStatus, status)
}

// Allowed reports whether agent may fetch path (the path with query, e.g.
// "/artikel/x.html?seite=2").
func (r *Rules) Allowed(agent, path string) bool {
	if path == "" {
		path = "/"
	}
	return r.data.TestAgent(path, productToken(agent))
}

// CrawlDelay is the delay the rules ask of agent between two requests,
// capped at MaxCrawlDelay; zero if none.
func (r *Rules) CrawlDelay(agent string) time.Duration {
	g := r.data.FindGroup(productToken(agent))
	if g == nil {
		return 0
	}
	return min(g.CrawlDelay, MaxCrawlDelay)
}

// Sitemaps are the URLs of the Sitemap: lines, as written.
func (r *Rules) Sitemaps() []string {
	return append([]string(nil), r.data.Sitemaps...)
}

// productToken returns the name part of a User-Agent ("stichwort" from
// "stichwort/0.1 (+https://…)"), which robots.txt groups are matched against.
func productToken(agent string) string {
	agent = strings.TrimSpace(agent)
	if i := strings.IndexAny(agent, "/ "); i > 0 {
		agent = agent[:i]
	}
	return strings.ToLower(agent)
}

// sanitize drops lines that would make the library reject the whole file:
// group members (allow, disallow, crawl-delay) before the first
// User-agent, and Crawl-delay values that are not non-negative numbers.
// Google's parser ignores such lines as well.
func sanitize(body []byte) []byte {
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	seenAgent := false
	for sc.Scan() {
		line := sc.Text()
		content, _, _ := strings.Cut(line, "#")
		key, val, found := strings.Cut(content, ":")
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		if found {
			switch key {
			case "user-agent", "useragent":
				seenAgent = true
			case "allow", "disallow":
				if !seenAgent {
					continue
				}
			case "crawl-delay", "crawldelay":
				if !seenAgent || !validDelay(val) {
					continue
				}
			}
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

func validDelay(s string) bool {
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f >= 0 && f < 1e9
}
