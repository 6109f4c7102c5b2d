package index

import (
	"strings"
	"testing"
)

func TestSnippet(t *testing.T) {
	x, err := Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	analyzer := x.bleve.Mapping().AnalyzerNamed(textAnalyzer)
	filler := strings.Repeat("Die Verwaltung berät über Haushalt und Personal. ", 400) // ~20 KB
	for _, tt := range []struct {
		name, query, text string
		fuzzy             bool
		want              []string // substrings of the snippet
		score             bool     // whether anything matches
	}{
		{"plain", "Zwilling", "Die Stadt plant digitale Zwillinge.", false, []string{"<mark>Zwillinge</mark>"}, true},
		{"escaped", "Plätze", "Straßen & <b>Plätze</b>", false, []string{"&amp;", "&lt;b&gt;<mark>Plätze</mark>&lt;/b&gt;"}, true},
		{"compound part", "Cloud", "Die Verwaltungscloud-Strategie steht.", false, []string{"Verwaltungs<mark>cloud</mark>-Strategie"}, true},
		{"deep in a long text", "Glasfaser", filler + "Am Ende kommt die Glasfaser. " + filler, false, []string{"… ", "<mark>Glasfaser</mark>", " …"}, true},
		{"beyond the scanned part", "Glasfaser", filler + filler + filler + filler + "Glasfaser", false, nil, false},
		{"typo", "Zwilinge", "Die Stadt plant digitale Zwillinge.", true, []string{"<mark>Zwillinge</mark>"}, true},
		{"no match", "Breitband", "Die Stadt plant digitale Zwillinge.", false, nil, false},
		{"line breaks collapse", "Zwilling", "Erste Zeile\n\nZwillinge\tim Netz", false, []string{"Erste Zeile <mark>Zwillinge</mark> im Netz"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := x.newMatcher(analyzer, ParseQuery(tt.query), tt.fuzzy)
			got, score := snippet(analyzer, tt.text, m)
			if (score > 0) != tt.score {
				t.Fatalf("score %d, want match %v (snippet %q)", score, tt.score, got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("snippet %q lacks %q", got, w)
				}
			}
			if len(got) > 2*snippetWidth {
				t.Errorf("snippet of %d bytes", len(got))
			}
		})
	}
}

func FuzzSnippet(f *testing.F) {
	x, err := Open(f.TempDir(), nil)
	if err != nil {
		f.Fatal(err)
	}
	defer x.Close()
	analyzer := x.bleve.Mapping().AnalyzerNamed(textAnalyzer)
	f.Add("Zwilling", "Die Stadt plant digitale Zwillinge.")
	f.Add("Straße", "Straßen\xff & Plätze <i>")
	f.Fuzz(func(t *testing.T, q, text string) {
		m := x.newMatcher(analyzer, ParseQuery(q), true)
		got, _ := snippet(analyzer, text, m)
		if strings.Count(got, "<mark>") != strings.Count(got, "</mark>") {
			t.Fatalf("unbalanced marks in %q", got)
		}
		if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(got, "<mark>", ""), "</mark>", ""), "<") {
			t.Fatalf("unescaped < in %q", got)
		}
	})
}
