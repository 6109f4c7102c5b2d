package german

import (
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/registry"
)

// TestAnalyzer pins the whole chain word by word: the terms each input
// yields, in order, as the index stores them.
func TestAnalyzer(t *testing.T) {
	if err := Register(); err != nil {
		t.Fatal(err)
	}
	a, err := registry.NewCache().AnalyzerNamed(AnalyzerName)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want []string
	}{
		{"Föderalismus", []string{"foderalismus"}},
		{"Foederalismus", []string{"foderalismus"}},
		{"Roßnagel", []string{"rossnagel"}},
		{"Rossnagel", []string{"rossnagel"}},
		{"Zwilling", []string{"zwilling"}},
		{"Zwillinge", []string{"zwilling"}},
		{"Zwillingen", []string{"zwilling"}},
		{"Beschluss", []string{"beschluss"}},
		{"Beschlüsse", []string{"beschluss"}},
		{"Verwaltungscloud", []string{"verwaltungscloud", "verwaltung", "cloud"}},
		{"Kindertagesstätten", []string{"kindertagesstatt", "kind", "tag", "statt"}},
		{"KI-Verordnung", []string{"ki", "kiverordnung", "verordnung"}},
		{"Verwaltungscloud-Strategie", []string{"verwaltungscloud", "verwaltung", "cloud", "verwaltungscloudstrategi", "strategi"}},
		{"Gütersloh", []string{"gutersloh"}},
		{"Brandenburg", []string{"brandenburg"}},
		{"Hochwasser", []string{"hochwass", "hoch", "wass"}},
		{"Hochwassers", []string{"hochwass", "hoch", "wass"}},
		{"Prinzips", []string{"prinzip"}},
		{"Prinzip", []string{"prinzip"}},
		{"die", nil}, // stop word
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got []string
			for _, tok := range a.Analyze([]byte(tt.in)) {
				got = append(got, string(tok.Term))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Analyze(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestAnalyzerOffsets checks that every token's byte range is the text it
// came from, also after umlauts and inside compounds (Bleve's dict_compound
// gets this wrong).
func TestAnalyzerOffsets(t *testing.T) {
	if err := Register(); err != nil {
		t.Fatal(err)
	}
	a, _ := registry.NewCache().AnalyzerNamed(AnalyzerName)
	text := "Größere Kindertagesstätten nutzen die Verwaltungscloud-Strategie."
	for _, tok := range a.Analyze([]byte(text)) {
		seg := strings.ToLower(text[tok.Start:tok.End])
		if Fold(seg) == "" || !strings.HasPrefix(Fold(seg), string(tok.Term)[:min(3, len(tok.Term))]) {
			t.Errorf("token %q has range %d:%d = %q", tok.Term, tok.Start, tok.End, seg)
		}
	}
}
