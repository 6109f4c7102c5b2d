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
	benchAnalyze(b, a)
}

// benchAnalyze reports a's throughput on the sample text. Each round gets
// a fresh copy of the text: Bleve's lower-case filter rewrites its input
// in place, so without one every round after the first would analyse
// lower-case text.
func benchAnalyze(b *testing.B, a analysis.Analyzer) {
	text := sampleText(b)
	buf := make([]byte, len(text))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	var ts analysis.TokenStream
	for b.Loop() {
		copy(buf, text)
		ts = a.Analyze(buf)
	}
	_ = ts
}

// BenchmarkAnalyzeStockDE is Bleve's de analyzer, the baseline.
func BenchmarkAnalyzeStockDE(b *testing.B) { benchAnalyzer(b, de.AnalyzerName) }

// BenchmarkAnalyzeStichwortDE is the full chain with decompounding, as
// registered: behind the chunk cache, which is warm after the first round.
func BenchmarkAnalyzeStichwortDE(b *testing.B) { benchAnalyzer(b, AnalyzerName) }

// BenchmarkAnalyzeStichwortDEUncached is the same chain without the
// cache, as it ran before the cache existed.
func BenchmarkAnalyzeStichwortDEUncached(b *testing.B) {
	benchAnalyze(b, uncached(mustCachedAnalyzer(b)))
}

// BenchmarkAnalyzeStichwortDECold starts every round with an empty cache:
// the worst case, where only the repetitions inside the sample hit.
func BenchmarkAnalyzeStichwortDECold(b *testing.B) {
	ca := mustCachedAnalyzer(b)
	text := sampleText(b)
	buf := make([]byte, len(text))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		a := NewCachedAnalyzer(ca.tokenizer, ca.filters)
		copy(buf, text)
		a.Analyze(buf)
	}
}

// BenchmarkAnalyzeStichwortDEParallel analyses from all CPUs on one
// analyzer, as Bleve's indexing workers do.
func BenchmarkAnalyzeStichwortDEParallel(b *testing.B) {
	ca := mustCachedAnalyzer(b)
	text := sampleText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		buf := make([]byte, len(text))
		for pb.Next() {
			copy(buf, text)
			ca.Analyze(buf)
		}
	})
}
