package german

import (
	"fmt"
	"strings"
	"testing"
)

func TestHyphenTokenizer(t *testing.T) {
	tests := []struct {
		in   string
		want string // term@position[start:end] ...
	}{
		{"KI-Verordnung", "KI@1[0:2] KIVerordnung@1[0:13] Verordnung@2[3:13]"},
		{"die Smart-City-Strategie", "die@1[0:3] Smart@2[4:9] SmartCityStrategie@2[4:24] City@3[10:14] Strategie@4[15:24]"},
		{"Bund - Länder", "Bund@1[0:4] Länder@2[7:14]"},
		{"Süd-Ost", "Süd@1[0:4] SüdOst@1[0:8] Ost@2[5:8]"},
		{"2024-10", "2024@1[0:4] 10@2[5:7]"},
		{"a-b-c-d-e-f", "a@1[0:1] abcd@1[0:7] b@2[2:3] c@3[4:5] d@4[6:7] e@5[8:9] ef@5[8:11] f@6[10:11]"},
	}
	tok := NewHyphenTokenizer()
	for _, tt := range tests {
		var got []string
		for _, x := range tok.Tokenize([]byte(tt.in)) {
			got = append(got, fmt.Sprintf("%s@%d[%d:%d]", x.Term, x.Position, x.Start, x.End))
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("Tokenize(%q) = %s\n want %s", tt.in, g, tt.want)
		}
	}
}
