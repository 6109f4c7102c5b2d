package pdftext

import "testing"

func TestParagraphText(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"plain lines", []string{"eins zwei", "drei"}, "eins zwei drei"},
		{"hyphenated word", []string{"die Verwal-", "tung"}, "die Verwaltung"},
		{"capital after hyphen", []string{"die KI-", "Verordnung"}, "die KI-Verordnung"},
		{"digit after hyphen", []string{"die Covid-", "19-Hilfen"}, "die Covid-19-Hilfen"},
		{"conjunction after hyphen", []string{"Landes-", "und Kommunalbehörden"}, "Landes- und Kommunalbehörden"},
		{"bzw. after hyphen", []string{"Ein-", "bzw. Ausgang"}, "Ein- bzw. Ausgang"},
		{"dash at line end", []string{"Erfurt –", "Sitzung"}, "Erfurt – Sitzung"},
		{"minus after a digit", []string{"Temperatur 5-", "grad"}, "Temperatur 5- grad"},
		{"soft hyphen at line end", []string{"Digitali\u00AD", "sierung"}, "Digitalisierung"},
		{"soft hyphen inside", []string{"Digi\u00ADtalisierung"}, "Digitalisierung"},
		{"unicode hyphen", []string{"Verwal\u2010", "tung"}, "Verwaltung"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (paragraph{lines: tt.lines}).text(); got != tt.want {
				t.Errorf("text() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNormalizeLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  a \t b  ", "a b"},
		{"\uFB01nden \uFB02ach o\uFB00en \uFB03 \uFB04", "finden flach offen ffi ffl"},
		{"a\u00A0b", "a b"},
		{"a\uFFFDb\x00c", "abc"},
		{"Straße „Öl“", "Straße „Öl“"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := normalizeLine(tt.in); got != tt.want {
				t.Errorf("normalizeLine(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestBuildLines(t *testing.T) {
	frag := func(x0, x1, y float64, s string) fragment {
		return fragment{x0: x0, x1: x1, y: y, size: 10, text: s}
	}
	tests := []struct {
		name  string
		frags []fragment
		want  []string
	}{
		{"word gap becomes a space", []fragment{frag(0, 30, 700, "Wort"), frag(33, 60, 700, "Wort")}, []string{"Wort Wort"}},
		{"kerning gap does not", []fragment{frag(0, 30, 700, "Verwal"), frag(30.5, 50, 700, "tung")}, []string{"Verwaltung"}},
		{"explicit space kept once", []fragment{frag(0, 30, 700, "a"), frag(30, 33, 700, " "), frag(36, 40, 700, "b")}, []string{"a b"}},
		{"new baseline", []fragment{frag(0, 30, 700, "oben"), frag(0, 30, 686, "unten")}, []string{"oben", "unten"}},
		{"back to the left", []fragment{frag(200, 230, 700, "rechts"), frag(0, 30, 700, "links")}, []string{"rechts", "links"}},
		{"subscript stays on the line", []fragment{frag(0, 30, 700, "CO"), frag(30, 35, 698, "2")}, []string{"CO2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := buildLines(tt.frags)
			var got []string
			for _, l := range lines {
				got = append(got, l.text)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("lines = %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("line %d = %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}
