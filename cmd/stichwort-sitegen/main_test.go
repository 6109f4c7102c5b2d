package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	out := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"generates", []string{"-src", "../../internal/samplesite/testdata/articles", "-out", out}, ""},
		{"bad flag", []string{"-quelle", "x"}, "flag provided but not defined"},
		{"stray argument", []string{"-out", out, "extra"}, "unexpected arguments"},
		{"missing sources", []string{"-src", filepath.Join(out, "fehlt"), "-out", out}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(tt.args, io.Discard)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if _, err := os.Stat(filepath.Join(out, "www", "index.html")); err != nil {
					t.Error(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}
