package german

import (
	"reflect"
	"strings"
	"testing"
)

func TestSynonyms(t *testing.T) {
	s, err := ParseSynonyms(strings.NewReader(`# comment
künstliche intelligenz, ki
onlinezugangsgesetz, ozg, OZG
kindertagesstätte, kita, kitas  # plural too
`), "test")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want []string
	}{
		{"KI", []string{"künstliche intelligenz"}},
		{"Kuenstliche  Intelligenz", []string{"ki"}},
		{"ozg", []string{"onlinezugangsgesetz"}},
		{"Kita", []string{"kindertagesstätte", "kitas"}},
		{"Kindertagesstaette", []string{"kita", "kitas"}},
		{"Cloud", nil},
	}
	for _, tt := range tests {
		if got := s.Of(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Of(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
