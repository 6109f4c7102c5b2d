package index

import (
	"reflect"
	"testing"
)

func TestParseQuery(t *testing.T) {
	w := func(s string) Term { return Term{Text: s} }
	p := func(s string) Term { return Term{Text: s, Phrase: true} }
	tests := []struct {
		name string
		in   string
		want Query
	}{
		{"empty", "", Query{}},
		{"spaces", "   \t ", Query{}},
		{"words", "digitale Zwillinge", Query{Groups: [][]Term{{w("digitale")}, {w("Zwillinge")}}}},
		{"phrase", `"digitale Zwillinge" Ulm`, Query{Groups: [][]Term{{p("digitale Zwillinge")}, {w("Ulm")}}}},
		{"german quotes", `„digitale Zwillinge“`, Query{Groups: [][]Term{{p("digitale Zwillinge")}}}},
		{"one-word phrase is a word", `"Cloud"`, Query{Groups: [][]Term{{w("Cloud")}}}},
		{"unclosed quote", `"smart city`, Query{Groups: [][]Term{{p("smart city")}}}},
		{"exclude", "Cloud -Bayern", Query{Groups: [][]Term{{w("Cloud")}}, Excluded: []Term{w("Bayern")}}},
		{"exclude phrase", `Cloud -"smart city"`, Query{Groups: [][]Term{{w("Cloud")}}, Excluded: []Term{p("smart city")}}},
		{"or", "Kita OR Schule Berlin", Query{Groups: [][]Term{{w("Kita"), w("Schule")}, {w("Berlin")}}}},
		{"or chain", "a OR b OR c", Query{Groups: [][]Term{{w("a"), w("b"), w("c")}}}},
		{"leading or", "OR Kita", Query{Groups: [][]Term{{w("Kita")}}}},
		{"trailing or", "Kita OR", Query{Groups: [][]Term{{w("Kita")}}}},
		{"lower or is a word", "Kita or Schule", Query{Groups: [][]Term{{w("Kita")}, {w("or")}, {w("Schule")}}}},
		{"hyphenated word", "KI-Verordnung", Query{Groups: [][]Term{{w("KI-Verordnung")}}}},
		{"lone dash", "Cloud - Bayern", Query{Groups: [][]Term{{w("Cloud")}, {w("Bayern")}}}},
		{"only exclusion", "-Bayern", Query{Excluded: []Term{w("Bayern")}}},
		{"title prefix", "title:Zwilling Ulm", Query{Groups: [][]Term{{{Text: "Zwilling", Field: FieldTitle}}, {w("Ulm")}}}},
		{"tag prefix quoted", `tag:"Smart City" Zwilling`, Query{Groups: [][]Term{{{Text: "Smart City", Field: FieldTag}}, {w("Zwilling")}}}},
		{"tag prefix case", `Tag:Politik`, Query{Groups: [][]Term{{{Text: "Politik", Field: FieldTag}}}}},
		{"excluded tag", `Cloud -tag:Politik`, Query{Groups: [][]Term{{w("Cloud")}}, Excluded: []Term{{Text: "Politik", Field: FieldTag}}}},
		{"title phrase", `title:"digitale Zwillinge"`, Query{Groups: [][]Term{{{Text: "digitale Zwillinge", Phrase: true, Field: FieldTitle}}}}},
		{"empty prefix is a word", "title: Ulm", Query{Groups: [][]Term{{w("title:")}, {w("Ulm")}}}},
		{"invalid utf8", "Cl\xffoud", Query{Groups: [][]Term{{w("Cl")}, {w("oud")}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseQuery(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseQuery(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`"a b" -c OR d`, `„x“ -"`, "-", "OR OR", "\xff\"", `KI-Verordnung "`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		for _, g := range q.Groups {
			if len(g) == 0 {
				t.Fatalf("empty group for %q", s)
			}
			for _, term := range g {
				if term.Text == "" {
					t.Fatalf("empty term for %q", s)
				}
			}
		}
	})
}
