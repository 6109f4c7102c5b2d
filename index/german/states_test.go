package german

import (
	"reflect"
	"testing"
)

func TestStates(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Die brandenburgische Landesregierung und das Land Berlin", []string{"Berlin", "Brandenburg"}},
		{"In Sachsen-Anhalt und Niedersachsen", []string{"Niedersachsen", "Sachsen-Anhalt"}},
		{"Der Freistaat Sachsen, die sächsischen Kommunen", []string{"Sachsen"}},
		{"Neubrandenburg liegt in Mecklenburg-Vorpommern", []string{"Mecklenburg-Vorpommern"}},
		{"Die nordrhein-westfälische Ministerin; NRW-Kommunen", []string{"Nordrhein-Westfalen"}},
		{"Bayerische Gemeinden und baden-württembergische Städte", []string{"Baden-Württemberg", "Bayern"}},
		{"Der Berliner Senat", []string{"Berlin"}},
		{"Die Thüringer Allgemeine", nil}, // "Thüringer" alone is ambiguous: not matched
		{"Eine Bundesangelegenheit", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := States(tt.text)
		if len(got) == 0 {
			got = nil
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("States(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func FuzzStates(f *testing.F) {
	f.Add("Sachsen-Anhalt-weit und brandenburgisch")
	f.Fuzz(func(t *testing.T, s string) { _ = States(s) })
}
