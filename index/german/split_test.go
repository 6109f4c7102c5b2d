package german

import (
	"reflect"
	"strings"
	"testing"
)

func testDictionary() *Dictionary {
	d := NewDictionary()
	for _, w := range strings.Fields(`verwaltung cloud strategie daten schutz datenschutz konferenz
		kinder tag stätte digital minister ministerin zugang gesetz online register modernisierung
		breitband ausbau sicherheit cyber zwilling stadt planung entwicklung brand burg güter loh
		verkehr plattform rat räte gemeinde beschluss land länder ki verordnung grund`) {
		d.AddPart(w)
	}
	for _, w := range []string{"Brandenburg", "Gütersloh"} {
		d.AddNoSplit(w)
	}
	return d
}

func parts(ps []Part) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Text)
	}
	return out
}

func TestSplit(t *testing.T) {
	s := NewSplitter(testDictionary())
	tests := []struct {
		word string
		want []string
	}{
		{"verwaltungscloud", []string{"verwaltung", "cloud"}},
		{"datenschutzkonferenz", []string{"datenschutz", "konferenz", "daten", "schutz"}},
		{"kindertagesstätten", []string{"kinder", "tag", "stätten"}},
		{"kindertagesstaetten", []string{"kinder", "tag", "staetten"}},
		{"digitalministerkonferenz", []string{"digital", "minister", "konferenz"}},
		{"onlinezugangsgesetz", []string{"online", "zugang", "gesetz"}},
		{"registermodernisierung", []string{"register", "modernisierung"}},
		{"breitbandausbau", []string{"breitband", "ausbau"}},
		{"cybersicherheitsstrategie", []string{"cyber", "sicherheit", "strategie"}},
		{"stadtentwicklungsplanung", []string{"stadt", "entwicklung", "planung"}},
		{"zwillinge", nil},   // inflected simple word
		{"verwaltung", nil},  // a simple word
		{"brandenburg", nil}, // protected place name
		{"gütersloh", nil},   // protected place name
		{"gemeinderäte", []string{"gemeinde", "räte"}},
		{"staatsvertrag", nil},    // unknown parts: leave alone
		{"ki2024verordnung", nil}, // not letters only
		{"abc", nil},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			got := parts(s.Split(tt.word))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

func TestSplitOffsets(t *testing.T) {
	s := NewSplitter(testDictionary())
	w := "kindertagesstätten"
	for _, p := range s.Split(w) {
		seg := w[p.Start:p.End]
		if !strings.HasPrefix(seg, strings.TrimSuffix(p.Text, "en")) {
			t.Errorf("part %q has range %d:%d = %q", p.Text, p.Start, p.End, seg)
		}
	}
}

func FuzzSplit(f *testing.F) {
	s := NewSplitter(testDictionary())
	for _, w := range []string{"verwaltungscloud", "kindertagesstätten", "ääääääää", "ß"} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, w string) {
		for _, p := range s.Split(w) {
			if p.Start < 0 || p.End > len(w) || p.Start >= p.End {
				t.Fatalf("Split(%q): bad range %+v", w, p)
			}
		}
	})
}

func TestCorpusParts(t *testing.T) {
	d := testDictionary()
	cp := NewCorpusParts(d)
	for _, text := range []string{
		"Das Tandem aus Stadt und Land startet.", "Ein Tandem berät die Gemeinde.", "Tandem, Tandem und Ende.",
		"Die Verwaltung arbeitet innen.", "Innen und Ende.", "Ende gut, innen gut.",
	} {
		cp.Add(text)
	}
	got := cp.Parts()
	want := []string{"tandem"} // "verwaltung" is known; "innen" and "ende" are never parts
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parts() = %q, want %q", got, want)
	}
	d.AddPart("tandem")
	if p := parts(NewSplitter(d).Split("verwaltungstandem")); !reflect.DeepEqual(p, []string{"verwaltung", "tandem"}) {
		t.Errorf("with the learned part: %q", p)
	}
}
