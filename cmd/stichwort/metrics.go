package main

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"stichwort/crawler"
)

// newMetrics returns the registry serve hands to the server, which adds
// its HTTP and index metrics and serves it on /metrics: Go runtime and
// process metrics, and the crawl counts (crawler.Stats, added up over all
// runs since the start).
func (m *Main) newMetrics() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newCrawlCollector(func() (crawler.Stats, bool) {
			c := m.live.Load()
			if c == nil {
				return crawler.Stats{}, false
			}
			return c.Totals(), true
		}),
	)
	return reg
}

// crawlMetric is one crawler.Stats field as a metric.
type crawlMetric struct {
	desc  *prometheus.Desc
	kind  prometheus.ValueType
	value func(crawler.Stats) float64
}

// crawlCollector reports the crawl counts when scraped; it reads them
// from the crawler instead of keeping a second set of counters.
type crawlCollector struct {
	stats   func() (crawler.Stats, bool)
	metrics []crawlMetric
}

func newCrawlCollector(stats func() (crawler.Stats, bool)) *crawlCollector {
	c := &crawlCollector{stats: stats}
	counter := func(name, help string, v func(crawler.Stats) int) {
		c.metrics = append(c.metrics, crawlMetric{
			desc: prometheus.NewDesc("stichwort_crawl_"+name+"_total", help, nil, nil), kind: prometheus.CounterValue,
			value: func(s crawler.Stats) float64 { return float64(v(s)) },
		})
	}
	gauge := func(name, help string, v func(crawler.Stats) float64) {
		c.metrics = append(c.metrics, crawlMetric{
			desc: prometheus.NewDesc("stichwort_crawl_"+name, help, nil, nil), kind: prometheus.GaugeValue, value: v,
		})
	}
	counter("requests", "HTTP requests the crawler sent, with robots.txt, sitemaps, feeds, redirects and retries.", func(s crawler.Stats) int { return s.Requests })
	counter("fetched", "HTML pages and PDFs downloaded in full.", func(s crawler.Stats) int { return s.Fetched })
	counter("not_modified", "Conditional requests answered 304 Not Modified.", func(s crawler.Stats) int { return s.NotModified })
	counter("unchanged", "Pages and PDFs fetched again whose document did not change.", func(s crawler.Stats) int { return s.Unchanged })
	counter("failed", "Fetches that failed after retries, and PDFs without usable text.", func(s crawler.Stats) int { return s.Failed })
	counter("robots_blocked", "URLs robots.txt did not allow.", func(s crawler.Stats) int { return s.RobotsBlocked })
	counter("pdfs", "PDFs downloaded.", func(s crawler.Stats) int { return s.PDFs })
	counter("documents", "Documents handed to the index.", func(s crawler.Stats) int { return s.Documents })
	counter("duplicates", "Articles whose content was already indexed under another URL.", func(s crawler.Stats) int { return s.Duplicates })
	counter("skipped", "Responses neither HTML nor PDF, and redirects out of scope.", func(s crawler.Stats) int { return s.Skipped })
	counter("limited", "URLs not fetched because of the depth limit or the per-host page budget (spider traps).", func(s crawler.Stats) int { return s.Limited })
	gauge("queued", "URLs waiting in the frontier.", func(s crawler.Stats) float64 { return float64(s.Queued) })
	gauge("in_flight", "URLs being fetched.", func(s crawler.Stats) float64 { return float64(s.InFlight) })
	gauge("running", "1 while a crawl runs.", func(s crawler.Stats) float64 {
		if s.Running {
			return 1
		}
		return 0
	})
	gauge("last_finished_timestamp_seconds", "When the last crawl ended (Unix time; 0: none yet).", func(s crawler.Stats) float64 {
		if s.Finished.IsZero() {
			return 0
		}
		return float64(s.Finished.UnixNano()) / 1e9
	})
	return c
}

func (c *crawlCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range c.metrics {
		ch <- m.desc
	}
}

func (c *crawlCollector) Collect(ch chan<- prometheus.Metric) {
	s, _ := c.stats() // zero counts before the first crawl: the series exist from the start
	for _, m := range c.metrics {
		ch <- prometheus.MustNewConstMetric(m.desc, m.kind, m.value(s))
	}
}
