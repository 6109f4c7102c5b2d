package state

import "time"

// Link kinds in Page.Links: what the crawler should do with the URL.
const (
	KindPage    = "page"    // an HTML page on a seed host
	KindPDF     = "pdf"     // a PDF linked from an in-scope page
	KindFeed    = "feed"    // an RSS/Atom feed
	KindSitemap = "sitemap" // a sitemap or sitemap index
)

// Link is an outgoing link of a fetched resource.
type Link struct {
	URL  string `json:"url"`
	Kind string `json:"kind"`
	// Text is the anchor text; kept for PDFs, whose title falls back to it.
	Text string `json:"text,omitempty"`
}

// Page is the fetch state of one URL (a page, a sitemap, a feed or a PDF).
type Page struct {
	URL          string    `json:"url"`
	Kind         string    `json:"kind"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	FetchedAt    time.Time `json:"fetched_at"`
	// Links are the outgoing links found at the last full fetch.
	Links []Link `json:"links,omitempty"`
	// DocID is the id of the document this URL yielded, if any.
	DocID string `json:"doc_id,omitempty"`
	// PDFs are the PDF URLs an article linked at its last fetch; the crawler
	// compares them with the next version to drop the article from PDFs it
	// no longer links.
	PDFs []string `json:"pdfs,omitempty"`
}

// Doc is what was last delivered for one document id.
type Doc struct {
	URL string `json:"url"`
	// Hash is the content hash of the extracted text (Document.Hash).
	Hash string `json:"hash"`
	// Fingerprint covers every delivered field except the fetch time; a
	// document whose fingerprint did not change is not sent again.
	Fingerprint string    `json:"fingerprint"`
	SentAt      time.Time `json:"sent_at"`
}

// Parent is an article that links a PDF, with what the PDF inherits from it.
type Parent struct {
	URL  string    `json:"url"`
	Date time.Time `json:"date"`
	Tags []string  `json:"tags,omitempty"`
	// LinkText is the anchor text of the link to the PDF.
	LinkText string `json:"link_text,omitempty"`
}

// PDF is the extracted content of a PDF and the articles that link it.
type PDF struct {
	// URL is the URL the parents link; the key of the record.
	URL string `json:"url"`
	// DocURL is where the PDF was found after redirects: the document URL.
	DocURL string `json:"doc_url,omitempty"`
	// Extracted is false until the PDF has been fetched and its text
	// extracted; parents can be known before that.
	Extracted bool      `json:"extracted"`
	FetchedAt time.Time `json:"fetched_at"`
	// Error is why the last fetched version gave no text (encrypted, no
	// text layer, broken), empty after a success.
	Error   string    `json:"error,omitempty"`
	Title   string    `json:"title,omitempty"`
	Text    string    `json:"text,omitempty"`
	Pages   int       `json:"pages,omitempty"`
	Date    time.Time `json:"date"`
	Hash    string    `json:"hash,omitempty"`
	Parents []Parent  `json:"parents,omitempty"`
}

// Run is the record of a crawl that has not finished: it was killed,
// stopped or failed. The next run with the same seeds resumes it.
type Run struct {
	Started time.Time `json:"started"`
	Seeds   []string  `json:"seeds"`
	// Scope are the hosts (host:port) whose HTML is crawled: the seeds'
	// hosts and those a seed redirected to.
	Scope []string `json:"scope"`
	// Counted is the number of page and PDF fetches finished, for
	// Config.MaxPages.
	Counted int `json:"counted"`
}

// Job is a URL waiting in the frontier of an unfinished run.
type Job struct {
	URL  string `json:"url"`
	Kind string `json:"kind"`
	// Origin is the URL that was linked, before redirects.
	Origin string `json:"origin,omitempty"`
	// Chain are the URLs redirected from, oldest first.
	Chain []string `json:"chain,omitempty"`
	// Seed marks a seed and the hops of its redirects.
	Seed bool `json:"seed,omitempty"`
	// Guessed marks a /sitemap.xml tried without being announced.
	Guessed bool `json:"guessed,omitempty"`
	// Depth is the number of links followed from a seed.
	Depth int `json:"depth,omitempty"`
}
