package pdftext

import (
	"testing"
	"time"
)

func TestParsePDFDate(t *testing.T) {
	cet := time.FixedZone("", 3600)
	tests := []struct {
		in     string
		want   time.Time
		wantOK bool
	}{
		{"D:20241018000000", time.Date(2024, 10, 18, 0, 0, 0, 0, time.UTC), true},
		{"D:20241018123456+01'00'", time.Date(2024, 10, 18, 12, 34, 56, 0, cet), true},
		{"D:20241018123456+01'00", time.Date(2024, 10, 18, 12, 34, 56, 0, cet), true},
		{"D:20241018123456Z", time.Date(2024, 10, 18, 12, 34, 56, 0, time.UTC), true},
		{"D:20241018123456-05'30'", time.Date(2024, 10, 18, 12, 34, 56, 0, time.FixedZone("", -(5*3600+30*60))), true},
		{"D:2024", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"D:202410", time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), true},
		{"20241018", time.Date(2024, 10, 18, 0, 0, 0, 0, time.UTC), true},
		{"D:20240231", time.Time{}, false},
		{"D:20241318", time.Time{}, false},
		{"D:20241018250000", time.Time{}, false},
		{"", time.Time{}, false},
		{"gestern", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parsePDFDate(tt.in)
			if ok != tt.wantOK || !got.Equal(tt.want) {
				t.Errorf("parsePDFDate(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestFindGermanDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Time // zero: none
	}{
		{"numeric", "Beschluss vom 18.10.2024 in Erfurt", time.Date(2024, 10, 18, 0, 0, 0, 0, time.UTC)},
		{"numeric without zeros", "am 3.4.2025", time.Date(2025, 4, 3, 0, 0, 0, 0, time.UTC)},
		{"month name", "Sitzung am 18. Oktober 2024", time.Date(2024, 10, 18, 0, 0, 0, 0, time.UTC)},
		{"März", "vom 1. März 2023", time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"Maerz and case", "VOM 1. MAERZ 2023", time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"first wins", "am 2. Mai 2025, zuvor am 01.01.2025", time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC)},
		{"invalid skipped", "am 31.02.2024 oder 28.02.2024", time.Date(2024, 2, 28, 0, 0, 0, 0, time.UTC)},
		{"version number", "Version 1.2.2024a und Paragraf 12.3", time.Time{}},
		{"part of a longer number", "Aktenzeichen 112.10.20245", time.Time{}},
		{"none", "ohne Datum", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := findGermanDate(tt.in)
			if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
				t.Errorf("findGermanDate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
			}
		})
	}
}

func TestCleanTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Beschluss der DMK", "Beschluss der DMK"},
		{"  Beschluss \n der\tDMK ", "Beschluss der DMK"},
		{"Microsoft Word - Beschluss_final.docx", ""},
		{"Vorlage.pdf", ""},
		{"Untitled", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := cleanTitle(tt.in); got != tt.want {
				t.Errorf("cleanTitle(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
