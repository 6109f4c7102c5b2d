package samplesite

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// smallDir holds a few hand-written sources that cover the format.
const smallDir = "testdata/articles"

func TestLoadArticles(t *testing.T) {
	arts, err := LoadArticles(smallDir)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, a := range arts {
		slugs = append(slugs, a.Slug)
	}
	if want := []string{"intern-entwurf", "ulm-zwilling", "erfurt-cloud"}; !slices.Equal(slugs, want) {
		t.Fatalf("slugs = %q, want %q (newest first)", slugs, want)
	}
	a := arts[1]
	if a.Title != "Ulm plant digitalen Zwilling für die Innenstadt" ||
		!a.Date.Equal(time.Date(2024, 10, 22, 0, 0, 0, 0, time.UTC)) ||
		a.Author != "sib" || a.Intern ||
		!slices.Equal(a.Tags, []string{"Smart City", "Digitale Zwillinge", "Politik"}) {
		t.Errorf("header parsed wrong: %+v", a)
	}
	if len(a.PDFs) != 1 || a.PDFs[0].Name != "test-beschluss" || a.PDFs[0].Text != "Der Beschluss zum Download (PDF)" {
		t.Errorf("PDFs = %+v", a.PDFs)
	}
	if a.Lead != "Die Stadt Ulm will ein virtuelles Abbild ihrer Innenstadt aufbauen. Der Gemeinderat hat zugestimmt." {
		t.Errorf("Lead = %q (lines of a paragraph are joined with a space)", a.Lead)
	}
	if len(a.Body) != 2 || a.Body[1] != `Kosten: weniger als <1 Mio. Euro, "vorerst".` {
		t.Errorf("Body = %q", a.Body)
	}
	if !arts[0].Intern || arts[0].Path() != "/intern/intern-entwurf.html" || a.Path() != "/artikel/ulm-zwilling.html" {
		t.Errorf("Intern/Path wrong: %v %s %s", arts[0].Intern, arts[0].Path(), a.Path())
	}
}

func TestLoadPDFs(t *testing.T) {
	pdfs, err := LoadPDFs(smallDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(pdfs) != 2 {
		t.Fatalf("got %d PDFs, want 2", len(pdfs))
	}
	p := pdfs[0]
	want := [][]Block{
		{{Heading: true, Text: "Beschluss"}, {Text: "Der Gemeinderat beschließt die Zwillingsbeiratsordnung. Größere Maßnahmen werden „öffentlich“ beraten – wie üblich."}},
		{{Heading: true, Text: "Begründung"}, {Text: "Die Verwaltung erläutert die Gründe."}},
	}
	if p.Name != "test-beschluss" || p.Host != HostWWW || p.Unique != "Zwillingsbeiratsordnung" ||
		!slices.EqualFunc(p.Pages, want, slices.Equal) {
		t.Errorf("parsed wrong: %+v", p)
	}
	if p.URL() != WWWBase+"/dokumente/test-beschluss.pdf" || pdfs[1].URL() != DokumenteBase+"/beschluesse/test-dokument.pdf" {
		t.Errorf("URLs: %s %s", p.URL(), pdfs[1].URL())
	}
}

const goodHeader = "Titel: T\nDatum: 2024-01-02\nAutor: sib\nStichwörter: Politik\n"

func TestLoadArticlesErrors(t *testing.T) {
	tests := []struct {
		name, file, content, want string
	}{
		{"bad file name", "1-x.txt", goodHeader + "\nLead.\n\nBody.\n", "1-x.txt: file name"},
		{"no colon", "01-x.txt", "Titel T\n", "01-x.txt:1: header line"},
		{"unknown key", "01-x.txt", goodHeader + "Farbe: blau\n\nLead.\n\nBody.\n", "01-x.txt:5: unknown header \"Farbe\""},
		{"missing key", "01-x.txt", "Titel: T\nDatum: 2024-01-02\nAutor: sib\n\nLead.\n\nBody.\n", "01-x.txt:1: header \"Stichwörter\" missing"},
		{"twice", "01-x.txt", goodHeader + "Titel: U\n\nLead.\n\nBody.\n", "01-x.txt:5: header \"Titel\" given twice"},
		{"bad date", "01-x.txt", "Titel: T\nDatum: 2.1.2024\nAutor: sib\nStichwörter: Politik\n\nLead.\n\nBody.\n", "01-x.txt:2: Datum"},
		{"bad author", "01-x.txt", "Titel: T\nDatum: 2024-01-02\nAutor: Sibylle\nStichwörter: Politik\n\nLead.\n\nBody.\n", "01-x.txt:3: Autor"},
		{"unknown tag", "01-x.txt", "Titel: T\nDatum: 2024-01-02\nAutor: sib\nStichwörter: Politik, Wetter\n\nLead.\n\nBody.\n", "01-x.txt:4: Stichwort \"Wetter\""},
		{"bad PDF line", "01-x.txt", goodHeader + "PDF: nur-name\n\nLead.\n\nBody.\n", "01-x.txt:5: PDF"},
		{"bad Intern", "01-x.txt", goodHeader + "Intern: vielleicht\n\nLead.\n\nBody.\n", "01-x.txt:5: Intern"},
		{"no body", "01-x.txt", goodHeader + "\nLead.\n", "01-x.txt:5: need a lead"},
		{"date in lead", "01-x.txt", goodHeader + "\n[02.01.2024] Lead.\n\nBody.\n", "01-x.txt:6: the lead must not start with the date"},
		{"author at end", "01-x.txt", goodHeader + "\nLead.\n\nBody. (sib)\n", "01-x.txt:8: the last paragraph"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			mustWrite(t, filepath.Join(dir, tt.file), tt.content)
			_, err := LoadArticles(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadPDFsErrors(t *testing.T) {
	const head = "Titel: T\nDatum: 2024-01-02\nHost: www\nEindeutig: Wort\n"
	tests := []struct {
		name, content, want string
	}{
		{"bad host", "Titel: T\nDatum: 2024-01-02\nHost: ftp\nEindeutig: Wort\n\nWort.\n", "x.txt:3: Host"},
		{"unique not in text", head + "\nAnderes.\n", "x.txt:4: Eindeutig \"Wort\" does not occur"},
		{"bad page break", head + "\nWort.\n\n== Seite ==\n\nMehr.\n", "x.txt:8: \"== Seite ==\""},
		{"bad heading", head + "\n#Überschrift\nWort.\n", "x.txt:6: a heading"},
		{"empty page", head + "\nWort.\n\n=== Seite ===\n\n=== Seite ===\n\nMehr.\n", "x.txt:10: empty page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			mustWrite(t, filepath.Join(dir, "pdfs", "x.txt"), tt.content)
			_, err := LoadPDFs(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestTagSlug(t *testing.T) {
	tests := []struct{ tag, want string }{
		{"Smart City", "smart-city"},
		{"Künstliche Intelligenz", "kuenstliche-intelligenz"},
		{"IT-Planungsrat", "it-planungsrat"},
		{"E-Akte", "e-akte"},
		{"Straße & Öl", "strasse-oel"},
	}
	for _, tt := range tests {
		t.Run(tt.tag, func(t *testing.T) {
			if got := TagSlug(tt.tag); got != tt.want {
				t.Errorf("TagSlug(%q) = %q, want %q", tt.tag, got, tt.want)
			}
		})
	}
}

func mustWrite(tb testing.TB, path, content string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
}
