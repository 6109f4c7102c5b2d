package crawler

import (
	"net/url"
	"time"

	"stichwort/crawler/extract"
	"stichwort/crawler/pdftext"
	"stichwort/crawler/robots"
	"stichwort/crawler/state"
)

// kindRobots is a robots.txt fetch; the other kinds are state.Kind*.
const kindRobots = "robots"

// job is one URL to fetch.
type job struct {
	url  *url.URL
	key  string // url.String()
	kind string
	// origin is the URL that was linked, before redirects; PDF parents are
	// recorded under it.
	origin string
	// chain are the URLs redirected from, oldest first.
	chain []string
	// seed marks a seed and the hops of its redirects: a seed that
	// redirects to another host brings that host into scope.
	seed bool
	// guessed marks /sitemap.xml tried without being announced: a 404 is
	// not a failure.
	guessed bool
	// cond are the validators of the last fetch, set at dispatch.
	cond validators
	// wait is the host's politeness delay, the least wait between retries.
	wait time.Duration
	// counted marks a fetch counted against MaxPages.
	counted bool
	// depth is the number of links followed from a seed (Config.MaxDepth).
	depth int
}

// result is a fetched and parsed job.
type result struct {
	job  *job
	resp *response
	err  error

	// Exactly one of these is set for a successful 200 response.
	page    *pageResult
	pdf     *pdfResult
	links   []state.Link // sitemap or feed entries
	robots  *robots.Rules
	skipped string // why the body was not used (content type)
}

type pageResult struct {
	links   extract.Links
	article *extract.Article // nil: not an article
}

type pdfResult struct {
	res pdftext.Result
	err error // extraction error: the fetch worked, the PDF did not
}
