package german

import (
	"slices"
	"strings"
	"unicode"
)

// statesReference is States as it was before it was made fast: the
// specification the fast one is tested against (FuzzStatesEquivalence).
func statesReference(text string) []string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '-'
	})
	var found []string
	add := func(s string) {
		if !slices.Contains(found, s) {
			found = append(found, s)
		}
	}
	for _, w := range words {
		w = strings.Trim(w, "-")
		if w == "" {
			continue
		}
		for _, sw := range stateWords {
			if refMatchesState(w, sw.names, sw.adjectives) {
				add(sw.state)
			}
		}
	}
	// Report in a stable order.
	out := make([]string, 0, len(found))
	for _, sw := range stateWords {
		if slices.Contains(found, sw.state) {
			out = append(out, sw.state)
		}
	}
	return out
}

func refMatchesState(w string, names, adjectives []string) bool {
	for _, n := range names {
		// "brandenburg" or "brandenburg-weit"/"nrw-kommunen", but not
		// "neubrandenburg" and not "sachsen" inside "sachsen-anhalt".
		if w == n || (strings.HasPrefix(w, n+"-") && !refLongerStateName(w, n)) {
			return true
		}
	}
	for _, a := range adjectives {
		if strings.HasPrefix(w, a) && !refLongerStateName(w, a) {
			return true
		}
	}
	return false
}

// refLongerStateName reports whether w starts with a state name longer
// than the matched prefix, as "sachsen-anhalt" is longer than "sachsen".
func refLongerStateName(w, matched string) bool {
	for _, sw := range stateWords {
		for _, n := range sw.names {
			if len(n) > len(matched) && strings.HasPrefix(w, n) {
				return true
			}
		}
	}
	return false
}
