package german

import (
	"bufio"

	"embed"
	"fmt"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed data/*.txt
var dataFS embed.FS

// Dictionary holds the words that may be parts of compounds and the words
// that must never be split. It is safe for concurrent reads; Add must not
// run concurrently with splitting.
type Dictionary struct {
	parts   map[string]struct{}
	nosplit map[string]struct{}
}

// NewDictionary returns an empty dictionary.
func NewDictionary() *Dictionary {
	return &Dictionary{parts: map[string]struct{}{}, nosplit: map[string]struct{}{}}
}

// AddPart makes w (any case, ä or ae alike) a valid compound part.
func (d *Dictionary) AddPart(w string) {
	if w = Fold(strings.TrimSpace(w)); w != "" {
		d.parts[w] = struct{}{}
	}
}

// AddNoSplit protects w (any case, ä or ae alike) from being split.
func (d *Dictionary) AddNoSplit(w string) {
	if w = Fold(strings.TrimSpace(w)); w != "" {
		d.nosplit[w] = struct{}{}
	}
}

// Clone returns an independent copy, to extend without touching d.
func (d *Dictionary) Clone() *Dictionary {
	c := &Dictionary{parts: make(map[string]struct{}, len(d.parts)), nosplit: make(map[string]struct{}, len(d.nosplit))}
	for k := range d.parts {
		c.parts[k] = struct{}{}
	}
	for k := range d.nosplit {
		c.nosplit[k] = struct{}{}
	}
	return c
}

// Len is the number of valid parts.
func (d *Dictionary) Len() int { return len(d.parts) }

func (d *Dictionary) isPart(w string) bool {
	_, ok := d.parts[Fold(w)]
	return ok
}

func (d *Dictionary) isNoSplit(w string) bool {
	_, ok := d.nosplit[Fold(w)]
	return ok
}

// Fold is the form in which words are compared: lower case, umlauts and
// their transcriptions folded to the base vowel, ß to ss (Bleve's German
// normalisation), so "Stätte", "staette" and "Statte" meet.
func Fold(w string) string {
	ts := normalizer.Filter(analysis.TokenStream{{Term: []byte(strings.ToLower(w))}})
	return string(ts[0].Term)
}

var normalizer = de.NewGermanNormalizeFilter()

// readWordList calls add for every word of a list: one per line, # starts
// a comment.
func readWordList(r io.Reader, name string, add func(string)) error {
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		w := sc.Text()
		if i := strings.IndexByte(w, '#'); i >= 0 {
			w = w[:i]
		}
		w = strings.TrimSpace(w)
		if w == "" {
			continue
		}
		if !utf8.ValidString(w) {
			return fmt.Errorf("german: %s:%d: invalid UTF-8", name, line)
		}
		add(w)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("german: read %s: %w", name, err)
	}
	return nil
}

var (
	defaultDictOnce sync.Once
	defaultDict     *Dictionary
	defaultDictErr  error
)

// DefaultDictionary is the project's lexicon and no-split list from data/,
// loaded once.
func DefaultDictionary() (*Dictionary, error) {
	defaultDictOnce.Do(func() {
		d := NewDictionary()
		for name, add := range map[string]func(string){
			"data/lexicon_de.txt": d.AddPart,
			"data/nosplit_de.txt": d.AddNoSplit,
		} {
			f, err := dataFS.Open(name)
			if err != nil {
				defaultDictErr = fmt.Errorf("german: %w", err)
				return
			}
			err = readWordList(f, name, add)
			f.Close()
			if err != nil {
				defaultDictErr = err
				return
			}
		}
		defaultDict = d
	})
	return defaultDict, defaultDictErr
}
