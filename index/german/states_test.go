package german

import (
	"reflect"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestStates(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"adjective and name", "Die brandenburgische Landesregierung und das Land Berlin", []string{"Berlin", "Brandenburg"}},
		{"longer name first", "In Sachsen-Anhalt und Niedersachsen", []string{"Niedersachsen", "Sachsen-Anhalt"}},
		{"umlaut adjective", "Der Freistaat Sachsen, die sächsischen Kommunen", []string{"Sachsen"}},
		{"not inside a word", "Neubrandenburg liegt in Mecklenburg-Vorpommern", []string{"Mecklenburg-Vorpommern"}},
		{"hyphenated adjective and abbreviation", "Die nordrhein-westfälische Ministerin; NRW-Kommunen", []string{"Nordrhein-Westfalen"}},
		{"capitalised adjectives", "Bayerische Gemeinden und baden-württembergische Städte", []string{"Baden-Württemberg", "Bayern"}},
		{"inhabitant adjective", "Der Berliner Senat", []string{"Berlin"}},
		{"ambiguous adjective", "Die Thüringer Allgemeine", nil}, // "Thüringer" alone is ambiguous: not matched
		{"part of a compound", "Eine Bundesangelegenheit", nil},
		{"empty", "", nil},
		{"upper case", "BAYERN UND SACHSEN-ANHALT", []string{"Bayern", "Sachsen-Anhalt"}},
		{"upper case umlaut", "THÜRINGEN, SÄCHSISCHE", []string{"Sachsen", "Thüringen"}},
		{"name before hyphen", "brandenburg-weit, Hessen-Fonds", []string{"Brandenburg", "Hessen"}},
		{"longer name with suffix", "Sachsen-Anhalt-weit", []string{"Sachsen-Anhalt"}},
		{"hyphens trimmed", "--Bremen-- und -Hamburg", []string{"Bremen", "Hamburg"}},
		{"name then letters", "Bremens Häfen, Hamburgs Senat", nil},
		{"adjective of longer name", "sachsen-anhaltische Städte", []string{"Sachsen-Anhalt"}},
		{"every state once", "Baden-Württemberg Bayern Berlin Brandenburg Bremen Hamburg Hessen Mecklenburg-Vorpommern Niedersachsen Nordrhein-Westfalen Rheinland-Pfalz Saarland Sachsen Sachsen-Anhalt Schleswig-Holstein Thüringen", StateNames()},
		{"repeated", "Bayern, Bayern, bayerisch", []string{"Bayern"}},
		{"separated by digits and punctuation", "2024:Bayern/Hessen_Saarland3", []string{"Bayern", "Hessen", "Saarland"}},
		{"invalid UTF-8 separates", "Bay\xffern \xffBerlin\xff", []string{"Berlin"}},
		{"decomposed umlaut separates", "Thu\u0308ringen", nil},
		{"dotted capital I", "BERLİN", []string{"Berlin"}}, // İ lower-cases to i
		{"other scripts", "Берлин 柏林 Berlin", []string{"Berlin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := States(tt.text)
			if got == nil {
				t.Fatal("States returned nil, want an empty slice")
			}
			if len(got) == 0 {
				got = nil
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("States(%q) = %q, want %q", tt.text, got, tt.want)
			}
			if ref := statesReference(tt.text); !reflect.DeepEqual(States(tt.text), ref) {
				t.Errorf("States(%q) = %q, reference %q", tt.text, States(tt.text), ref)
			}
		})
	}
}

// TestStatesArticles compares States with the reference on the corpus.
func TestStatesArticles(t *testing.T) {
	for name, text := range sampleTexts(t) {
		if got, want := States(string(text)), statesReference(string(text)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: States = %q, reference %q", name, got, want)
		}
	}
}

// TestLowerKeepsLetters pins what States relies on to find words without
// lower-casing the text: lower-casing neither makes nor unmakes a letter
// or a hyphen, and no pattern starts with a non-ASCII byte.
func TestLowerKeepsLetters(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		l := unicode.ToLower(r)
		if unicode.IsLetter(l) != unicode.IsLetter(r) || (l == '-') != (r == '-') {
			t.Errorf("%U lower-cases to %U: letter %t, was %t", r, l, unicode.IsLetter(l), unicode.IsLetter(r))
		}
	}
	for c, patterns := range statePatterns {
		for _, p := range patterns {
			if p.text[0] != byte(c) || p.text[0] >= utf8.RuneSelf {
				t.Errorf("pattern %q filed under %q", p.text, byte(c))
			}
		}
	}
}

func TestStatesAllocations(t *testing.T) {
	text := "Die brandenburgische Landesregierung und das Land Berlin beraten mit Sachsen-Anhalt."
	if n := testing.AllocsPerRun(100, func() { States(text) }); n > 1 {
		t.Errorf("States allocates %.0f times, want at most 1 (the result)", n)
	}
}

func FuzzStates(f *testing.F) {
	f.Add("Sachsen-Anhalt-weit und brandenburgisch")
	f.Fuzz(func(t *testing.T, s string) { _ = States(s) })
}

// FuzzStatesEquivalence checks States against the reference.
func FuzzStatesEquivalence(f *testing.F) {
	f.Add("Sachsen-Anhalt-weit und brandenburgisch")
	f.Add("NRW-Kommunen, BERLİN, Thu\u0308ringen, Bay\xffern, --Bremen--")
	f.Add("SÄCHSISCHE niedersächsische Mecklenburg-Vorpommersche")
	f.Fuzz(func(t *testing.T, s string) {
		got, want := States(s), statesReference(s)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("States(%q) = %q, reference %q", s, got, want)
		}
	})
}

// benchStates calls states once per sample article, as indexing does
// once per document.
func benchStates(b *testing.B, states func(string) []string) {
	var texts []string
	size := 0
	for _, text := range sampleTexts(b) {
		texts = append(texts, string(text))
		size += len(text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, text := range texts {
			states(text)
		}
	}
}

// BenchmarkStates runs States over the sample articles.
func BenchmarkStates(b *testing.B) { benchStates(b, States) }

// BenchmarkStatesReference is the implementation States replaced.
func BenchmarkStatesReference(b *testing.B) { benchStates(b, statesReference) }
