package alerts

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"html"
	"strings"
	"time"
	"unicode/utf8"

	"stichwort"
	"stichwort/index"
)

// Errors callers branch on.
var (
	// ErrNotFound: no alert with that id.
	ErrNotFound = errors.New("alerts: alert not found")
	// ErrFull: the store holds Options.MaxAlerts alerts already.
	ErrFull = errors.New("alerts: too many alerts")
	// ErrForbiddenAddress: a webhook points to a loopback, private,
	// link-local or otherwise non-public address and such addresses are
	// not allowed.
	ErrForbiddenAddress = errors.New("alerts: webhook address is not public")
	// ErrLocked: another process holds alerts.db.
	ErrLocked = errors.New("alerts: alerts.db is in use by another process")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("alerts: store closed")
)

// Alert is a saved search.
type Alert struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Search Search `json:"search"`
	// Webhook is an http(s) URL that receives new matches as a JSON POST;
	// empty for none.
	Webhook string    `json:"webhook,omitempty"`
	Created time.Time `json:"created"`
}

// Search is the saved query and its filters: the parts of an
// index.Request that select documents (no sort, no paging).
type Search struct {
	Query   string    `json:"q,omitempty"`
	Tags    []string  `json:"tags,omitempty"`
	Types   []string  `json:"types,omitempty"`
	Sources []string  `json:"sources,omitempty"`
	Years   []int     `json:"years,omitempty"`
	States  []string  `json:"states,omitempty"`
	From    time.Time `json:"from,omitzero"`
	To      time.Time `json:"to,omitzero"`
}

// SearchOf keeps the selecting parts of a validated request.
func SearchOf(r index.Request) Search {
	return Search{Query: r.Query, Tags: r.Tags, Types: r.Types, Sources: r.Sources, Years: r.Years,
		States: r.States, From: r.From, To: r.To}
}

// Request is the index request of the search.
func (s Search) Request() index.Request {
	return index.Request{Query: s.Query, Tags: s.Tags, Types: s.Types, Sources: s.Sources, Years: s.Years,
		States: s.States, From: s.From, To: s.To}
}

// Match is a document an alert found, as its feed and webhook show it.
type Match struct {
	DocID  string    `json:"id"`
	URL    string    `json:"url"`
	Title  string    `json:"title"`
	Type   string    `json:"type"`
	Source string    `json:"source"`
	Date   time.Time `json:"date,omitzero"` // publication; zero when unknown
	Tags   []string  `json:"tags,omitempty"`
	// Snippet is the beginning of the lead or text, HTML-escaped.
	Snippet string `json:"snippet,omitempty"`
	// Found is when stichwort discovered that the document matches.
	Found time.Time `json:"found"`
}

// snippetRunes is the length of a match's snippet.
const snippetRunes = 280

func matchOf(d stichwort.Document, found time.Time) Match {
	text := d.Lead
	if text == "" {
		text = d.Body
	}
	return Match{
		DocID: d.ID, URL: d.URL, Title: d.Title, Type: d.Type, Source: d.Source, Date: d.Date,
		Tags: d.Tags, Snippet: html.EscapeString(truncate(text, snippetRunes)), Found: found,
	}
}

// truncate shortens s to at most n runes at a word boundary.
func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + " …"
}

// newID returns 128 random bits in hex: an alert's id is the only key to
// it, so it must not be guessable.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b[:])
}

// ValidID reports whether s has the form of an alert id, so that callers
// can refuse anything else before it reaches the store.
func ValidID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
