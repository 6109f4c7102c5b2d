package german

import (
	"fmt"
	"io"
	"strings"
	"sync"
)

// Synonyms maps a word or phrase to the other members of its group
// ("ki" ↔ "künstliche intelligenz"). Keys are folded (see Fold), so "KI",
// "Kuenstliche Intelligenz" and "künstliche Intelligenz" all find their group.
type Synonyms struct {
	groups map[string][]string
}

// ParseSynonyms reads groups, one per line, members separated by commas;
// # starts a comment.
func ParseSynonyms(r io.Reader, name string) (*Synonyms, error) {
	s := &Synonyms{groups: map[string][]string{}}
	err := readWordList(r, name, func(line string) {
		var members []string
		seen := map[string]bool{}
		for _, m := range strings.Split(line, ",") {
			m = strings.Join(strings.Fields(m), " ")
			if m == "" || seen[Fold(m)] {
				continue
			}
			seen[Fold(m)] = true
			members = append(members, m)
		}
		for _, m := range members {
			k := Fold(m)
			for _, other := range members {
				if Fold(other) != k && !containsFold(s.groups[k], other) {
					s.groups[k] = append(s.groups[k], other)
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func containsFold(list []string, w string) bool {
	for _, x := range list {
		if Fold(x) == Fold(w) {
			return true
		}
	}
	return false
}

// Of returns the synonyms of a word or phrase, without the word itself.
func (s *Synonyms) Of(w string) []string {
	if s == nil {
		return nil
	}
	return s.groups[Fold(strings.Join(strings.Fields(w), " "))]
}

// Len is the number of words and phrases that have synonyms.
func (s *Synonyms) Len() int { return len(s.groups) }

var (
	defaultSynOnce sync.Once
	defaultSyn     *Synonyms
	defaultSynErr  error
)

// DefaultSynonyms are the project's synonyms from data/synonyms_de.txt.
func DefaultSynonyms() (*Synonyms, error) {
	defaultSynOnce.Do(func() {
		const name = "data/synonyms_de.txt"
		f, err := dataFS.Open(name)
		if err != nil {
			defaultSynErr = fmt.Errorf("german: %w", err)
			return
		}
		defer f.Close()
		defaultSyn, defaultSynErr = ParseSynonyms(f, name)
	})
	return defaultSyn, defaultSynErr
}
