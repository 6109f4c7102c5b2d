package german

import (
	"slices"
	"strings"
	"unicode"
)

// The 16 Länder and the words that say a text is about one of them: the
// name, its adjective (any inflection, matched by prefix) and the usual
// forms of address ("Land Berlin", "Freistaat Bayern", "Hansestadt
// Hamburg"). Names are matched as whole words, so "Sachsen" does not match
// in "Niedersachsen" and "Sachsen-Anhalt" is not also Sachsen.
var stateWords = []struct {
	state      string
	names      []string // whole words or hyphenated word sequences
	adjectives []string // prefixes of inflected adjectives, lower case
}{
	{"Baden-Württemberg", []string{"baden-württemberg"}, []string{"baden-württembergisch"}},
	{"Bayern", []string{"bayern"}, []string{"bayerisch"}},
	{"Berlin", []string{"berlin"}, []string{"berliner"}},
	{"Brandenburg", []string{"brandenburg"}, []string{"brandenburgisch"}},
	{"Bremen", []string{"bremen"}, []string{"bremisch"}},
	{"Hamburg", []string{"hamburg"}, []string{"hamburgisch"}},
	{"Hessen", []string{"hessen"}, []string{"hessisch"}},
	{"Mecklenburg-Vorpommern", []string{"mecklenburg-vorpommern"}, []string{"mecklenburg-vorpommersch", "mecklenburgisch"}},
	{"Niedersachsen", []string{"niedersachsen"}, []string{"niedersächsisch"}},
	{"Nordrhein-Westfalen", []string{"nordrhein-westfalen", "nrw"}, []string{"nordrhein-westfälisch"}},
	{"Rheinland-Pfalz", []string{"rheinland-pfalz"}, []string{"rheinland-pfälzisch"}},
	{"Saarland", []string{"saarland"}, []string{"saarländisch"}},
	{"Sachsen", []string{"sachsen"}, []string{"sächsisch"}},
	{"Sachsen-Anhalt", []string{"sachsen-anhalt"}, []string{"sachsen-anhaltisch"}},
	{"Schleswig-Holstein", []string{"schleswig-holstein"}, []string{"schleswig-holsteinisch"}},
	{"Thüringen", []string{"thüringen"}, []string{"thüringisch"}},
}

// States returns the Länder that text mentions by name or adjective, in
// the order of stateWords. Hyphenated state names are matched before
// their parts, so "Sachsen-Anhalt" does not count as Sachsen and
// "niedersächsisch" not as sächsisch.
func States(text string) []string {
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
			if matchesState(w, sw.names, sw.adjectives) {
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

func matchesState(w string, names, adjectives []string) bool {
	for _, n := range names {
		// "brandenburg" or "brandenburg-weit"/"nrw-kommunen", but not
		// "neubrandenburg" and not "sachsen" inside "sachsen-anhalt".
		if w == n || (strings.HasPrefix(w, n+"-") && !longerStateName(w, n)) {
			return true
		}
	}
	for _, a := range adjectives {
		if strings.HasPrefix(w, a) && !longerStateName(w, a) {
			return true
		}
	}
	return false
}

// longerStateName reports whether w starts with a state name longer than
// the matched prefix, as "sachsen-anhalt" is longer than "sachsen".
func longerStateName(w, matched string) bool {
	for _, sw := range stateWords {
		for _, n := range sw.names {
			if len(n) > len(matched) && strings.HasPrefix(w, n) {
				return true
			}
		}
	}
	return false
}

// StateNames lists the 16 Länder in their official spelling.
func StateNames() []string {
	out := make([]string, len(stateWords))
	for i, sw := range stateWords {
		out[i] = sw.state
	}
	return out
}
