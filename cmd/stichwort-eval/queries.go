package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode"

	"stichwort/internal/samplesite"
)

// Categories of the evaluation queries, in report order.
var categories = []string{"inflection", "compound", "folding", "abbreviation", "phrase", "typo", "tag"}

// Query is one judged query of testdata/eval/queries.json.
type Query struct {
	ID       string   `json:"id"`
	Category string   `json:"category"`
	Q        string   `json:"q"`
	Tags     []string `json:"tags,omitempty"`
	// Relevant maps judged document ids (article slug or PDF name) to a
	// grade: 2 highly relevant, 1 relevant. Unlisted documents are 0.
	Relevant map[string]int `json:"relevant"`
	Note     string         `json:"note,omitempty"` // why, where the judgment is not obvious
}

// loadQueries reads and checks the query file against the corpus ids: a
// judgment of a document that does not exist would silently lower every
// system's recall.
func loadQueries(path string, docIDs []string) ([]Query, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("queries: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var qs []Query
	if err := dec.Decode(&qs); err != nil {
		return nil, fmt.Errorf("queries: %s: %w", path, err)
	}
	if err := checkQueries(qs, docIDs); err != nil {
		return nil, fmt.Errorf("queries: %s: %w", path, err)
	}
	return qs, nil
}

func checkQueries(qs []Query, docIDs []string) error {
	ids := make(map[string]bool, len(qs))
	for _, q := range qs {
		switch {
		case q.ID == "":
			return fmt.Errorf("query %q has no id", q.Q)
		case ids[q.ID]:
			return fmt.Errorf("query id %q used twice", q.ID)
		case !slices.Contains(categories, q.Category):
			return fmt.Errorf("query %s: unknown category %q", q.ID, q.Category)
		case strings.TrimSpace(q.Q) == "":
			return fmt.Errorf("query %s: empty q", q.ID)
		case len(q.Relevant) == 0:
			return fmt.Errorf("query %s: no relevant documents", q.ID)
		}
		ids[q.ID] = true
		for _, t := range q.Tags {
			if !slices.Contains(samplesite.Vocabulary, t) {
				return fmt.Errorf("query %s: tag %q is not in the vocabulary", q.ID, t)
			}
		}
		for id, g := range q.Relevant {
			if !slices.Contains(docIDs, id) {
				return fmt.Errorf("query %s: judged document %q is not in the corpus", q.ID, id)
			}
			if g != 1 && g != 2 {
				return fmt.Errorf("query %s: grade %d for %q is not 1 or 2", q.ID, g, id)
			}
		}
	}
	return nil
}

// queryTerms splits user query text into words and quoted phrases, for the
// baselines, which have no query syntax of their own. Straight and German
// quotes both delimit phrases; an unclosed quote runs to the end.
func queryTerms(s string) (words, phrases []string) {
	isQuote := func(r rune) bool { return r == '"' || r == '„' || r == '“' || r == '”' }
	var cur []rune
	inPhrase := false
	flush := func() {
		t := strings.TrimSpace(string(cur))
		cur = cur[:0]
		if t == "" {
			return
		}
		if inPhrase {
			phrases = append(phrases, t)
		} else {
			words = append(words, strings.Fields(t)...)
		}
	}
	for _, r := range s {
		if isQuote(r) {
			flush()
			inPhrase = !inPhrase
			continue
		}
		cur = append(cur, r)
	}
	flush()
	// A lone dash or other punctuation is no word.
	words = slices.DeleteFunc(words, func(w string) bool {
		return !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
	})
	return words, phrases
}
