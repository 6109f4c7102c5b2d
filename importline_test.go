package stichwort

import (
	"errors"
	"testing"
	"time"
)

func TestParseImportLine(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		wantErr bool
		check   func(t *testing.T, d Document)
	}{
		{name: "minimal", line: `{"url":"https://Example.org/a","title":" Titel "}`, check: func(t *testing.T, d Document) {
			if d.Type != TypeArticle || d.Source != "example.org" || d.Title != "Titel" || d.ID == "" || !d.Date.IsZero() {
				t.Errorf("got %+v", d)
			}
		}},
		{name: "full", line: `{"url":"https://e.org/b.pdf","title":"T","date":"2024-10-22","tags":["Smart City"," smart  city ","Politik"],"lead":"L","body":"B","type":"pdf"}`, check: func(t *testing.T, d Document) {
			if d.Type != TypePDF || !d.Date.Equal(time.Date(2024, 10, 22, 0, 0, 0, 0, time.UTC)) || len(d.Tags) != 2 {
				t.Errorf("got %+v", d)
			}
		}},
		{name: "no url", line: `{"title":"T"}`, wantErr: true},
		{name: "no title", line: `{"url":"https://e.org/"}`, wantErr: true},
		{name: "relative url", line: `{"url":"/a","title":"T"}`, wantErr: true},
		{name: "bad date", line: `{"url":"https://e.org/","title":"T","date":"22.10.2024"}`, wantErr: true},
		{name: "bad type", line: `{"url":"https://e.org/","title":"T","type":"video"}`, wantErr: true},
		{name: "unknown field", line: `{"url":"https://e.org/","title":"T","titel":"x"}`, wantErr: true},
		{name: "not json", line: `url=x`, wantErr: true},
		{name: "two values", line: `{"url":"https://e.org/","title":"T"} {}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseImportLine([]byte(tt.line))
			if tt.wantErr {
				if !errors.Is(err, ErrBadRecord) {
					t.Fatalf("err = %v, want ErrBadRecord", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, d)
		})
	}
}

func FuzzParseImportLine(f *testing.F) {
	f.Add([]byte(`{"url":"https://e.org/","title":"T","date":"2024-01-02","tags":["a"]}`))
	f.Add([]byte(`{"url":"http://[::1]:80/","title":"x","type":"pdf"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		d, err := ParseImportLine(line)
		if err == nil && (d.URL == "" || d.Title == "" || d.ID == "") {
			t.Fatalf("accepted incomplete document %+v", d)
		}
	})
}

func TestCleanTags(t *testing.T) {
	got := CleanTags([]string{" Smart  City", "smart city", "", "Politik", "  "})
	if len(got) != 2 || got[0] != "Smart City" || got[1] != "Politik" {
		t.Errorf("CleanTags = %q", got)
	}
}
