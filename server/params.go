package server

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"stichwort"
	"stichwort/index"
	"stichwort/index/german"
)

// Limits on user input; beyond them a request is refused with 400.
const (
	maxQueryLen  = 500 // runes
	maxTags      = 10
	maxTagLen    = 100
	maxSourceLen = 253
	maxValues    = 20 // values of one repeatable filter
	minYear      = 1700
	maxYear      = 2200
)

// paramError is a user mistake in a request; its text is shown to the user.
type paramError struct{ msg string }

func (e *paramError) Error() string { return e.msg }

func badParam(format string, args ...any) error {
	return &paramError{msg: fmt.Sprintf(format, args...)}
}

// parseSearch validates the search parameters shared by the API, the feeds
// and the page, and turns them into an index request.
func parseSearch(v url.Values) (index.Request, error) {
	var r index.Request
	r.Query = strings.TrimSpace(v.Get("q"))
	if !utf8.ValidString(r.Query) {
		return r, badParam("Parameter q: kein gültiges UTF-8")
	}
	if utf8.RuneCountInString(r.Query) > maxQueryLen {
		return r, badParam("Parameter q: höchstens %d Zeichen", maxQueryLen)
	}
	tags := v["tag"]
	if len(tags) > maxTags {
		return r, badParam("Parameter tag: höchstens %d Stichwörter", maxTags)
	}
	for _, t := range tags {
		if !utf8.ValidString(t) || utf8.RuneCountInString(t) > maxTagLen {
			return r, badParam("Parameter tag: höchstens %d Zeichen gültiges UTF-8", maxTagLen)
		}
		if strings.TrimSpace(t) != "" {
			r.Tags = append(r.Tags, t)
		}
	}
	for _, t := range v["type"] {
		switch t {
		case "":
		case stichwort.TypeArticle, stichwort.TypePDF:
			if !slices.Contains(r.Types, t) {
				r.Types = append(r.Types, t)
			}
		default:
			return r, badParam("Parameter type: %q ist weder %q noch %q", clip(t), stichwort.TypeArticle, stichwort.TypePDF)
		}
	}
	if len(v["source"]) > maxValues {
		return r, badParam("Parameter source: höchstens %d Quellen", maxValues)
	}
	for _, s := range v["source"] {
		s = strings.TrimSpace(s)
		if len(s) > maxSourceLen || !utf8.ValidString(s) {
			return r, badParam("Parameter source: kein gültiger Hostname")
		}
		if s != "" {
			r.Sources = append(r.Sources, strings.ToLower(s))
		}
	}
	if len(v["year"]) > maxValues {
		return r, badParam("Parameter year: höchstens %d Jahre", maxValues)
	}
	for _, y := range v["year"] {
		if strings.TrimSpace(y) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(y))
		if err != nil || n < minYear || n > maxYear {
			return r, badParam("Parameter year: %q ist kein Jahr von %d bis %d", clip(y), minYear, maxYear)
		}
		if !slices.Contains(r.Years, n) {
			r.Years = append(r.Years, n)
		}
	}
	if len(v["state"]) > 16 {
		return r, badParam("Parameter state: höchstens 16 Bundesländer")
	}
	for _, s := range v["state"] {
		if strings.TrimSpace(s) == "" {
			continue
		}
		name, ok := stateName(s)
		if !ok {
			return r, badParam("Parameter state: %q ist kein Bundesland", clip(s))
		}
		if !slices.Contains(r.States, name) {
			r.States = append(r.States, name)
		}
	}
	var err error
	if r.From, err = parseDay(v, "from"); err != nil {
		return r, err
	}
	if r.To, err = parseDay(v, "to"); err != nil {
		return r, err
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return r, badParam("Parameter from/to: das Enddatum liegt vor dem Anfangsdatum")
	}
	switch rec := strings.TrimSpace(v.Get("recent")); rec {
	case "", "0", "false":
	case "1", "true":
		r.Recent = true
	default:
		return r, badParam("Parameter recent: %q ist weder 1 noch 0", clip(rec))
	}
	switch r.Sort = v.Get("sort"); r.Sort {
	case "", index.SortRelevance, index.SortDate:
	default:
		return r, badParam("Parameter sort: %q ist weder %q noch %q", clip(r.Sort), index.SortRelevance, index.SortDate)
	}
	if r.Size, err = parseInt(v, "size", 10, 1, index.MaxSize); err != nil {
		return r, err
	}
	maxPage := index.MaxOffset / r.Size
	if r.Page, err = parseInt(v, "page", 1, 1, maxPage); err != nil {
		return r, err
	}
	return r, nil
}

func parseInt(v url.Values, name string, def, lo, hi int) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badParam("Parameter %s: %q ist keine ganze Zahl von %d bis %d", name, clip(s), lo, hi)
	}
	return n, nil
}

func parseDay(v url.Values, name string) (time.Time, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, badParam("Parameter %s: %q ist kein Datum der Form JJJJ-MM-TT", name, clip(s))
	}
	// The index keeps dates as nanoseconds since 1970, which span the
	// years 1678 to 2262; stay well inside.
	if t.Year() < minYear || t.Year() > maxYear {
		return time.Time{}, badParam("Parameter %s: das Jahr muss zwischen %d und %d liegen", name, minYear, maxYear)
	}
	return t, nil
}

// clip shortens user input echoed in an error message.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}

// searchValues is the inverse of parseSearch: the canonical query string of
// a request (without paging), used for links that keep the search.
func searchValues(r index.Request) url.Values {
	v := url.Values{}
	if r.Query != "" {
		v.Set("q", r.Query)
	}
	for _, t := range r.Tags {
		v.Add("tag", t)
	}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	for _, t := range r.Types {
		v.Add("type", t)
	}
	for _, s := range r.Sources {
		v.Add("source", s)
	}
	for _, y := range r.Years {
		v.Add("year", strconv.Itoa(y))
	}
	for _, s := range r.States {
		v.Add("state", s)
	}
	if !r.From.IsZero() {
		v.Set("from", r.From.Format(time.DateOnly))
	}
	if !r.To.IsZero() {
		v.Set("to", r.To.Format(time.DateOnly))
	}
	set("sort", r.Sort)
	if r.Recent {
		v.Set("recent", "1")
	}
	return v
}

// stateName returns the official spelling of a Bundesland, any case.
func stateName(s string) (string, bool) {
	for _, n := range german.StateNames() {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return n, true
		}
	}
	return "", false
}

// hasTag reports whether tags contains t, compared as Stichwort keys.
func hasTag(tags []string, t string) bool {
	return slices.ContainsFunc(tags, func(s string) bool { return stichwort.TagKey(s) == stichwort.TagKey(t) })
}
