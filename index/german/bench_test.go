package german

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/registry"
)

// sampleText is the bundled corpus's article text, a realistic mix of
// German news vocabulary.
func sampleText(b *testing.B) []byte {
	b.Helper()
	files, _ := filepath.Glob("../../testdata/articles/*.txt")
	var sb strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		sb.Write(data)
	}
	if sb.Len() == 0 {
		b.Skip("no sample articles")
	}
	return []byte(sb.String())
}

func benchAnalyzer(b *testing.B, name string) {
	if err := Register(); err != nil {
		b.Fatal(err)
	}
	a, err := registry.NewCache().AnalyzerNamed(name)
	if err != nil {
		b.Fatal(err)
	}
	text := sampleText(b)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	var ts analysis.TokenStream
	for b.Loop() {
		ts = a.Analyze(text)
	}
	_ = ts
}

// BenchmarkAnalyzeStockDE is Bleve's de analyzer, the baseline.
func BenchmarkAnalyzeStockDE(b *testing.B) { benchAnalyzer(b, de.AnalyzerName) }

// BenchmarkAnalyzeStichwortDE is the full chain with decompounding.
func BenchmarkAnalyzeStichwortDE(b *testing.B) { benchAnalyzer(b, AnalyzerName) }
