package german

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which the analysis is registered with Bleve. An index
// records the analyzer's name in its mapping, so it must not change
// without a reindex.
const (
	// ExtraPartsKey is the decompound filter's configuration key for
	// additional lexicon parts (a list of words).
	ExtraPartsKey        = "extra_parts"
	AnalyzerName         = "stichwort_de"
	DecompoundFilterName = "stichwort_decompound"
	// CachedAnalyzerType is an analyzer type (configured like Bleve's
	// "custom": tokenizer, token_filters) whose chain runs behind a chunk
	// cache; see CachedAnalyzer for the chains it accepts.
	CachedAnalyzerType = "stichwort_cached"
)

// DecompoundFilter adds the parts of compound tokens after the token, at
// the same position, with byte offsets that point at the part inside the
// original text (so highlighting marks the right letters even after
// umlauts). Bleve's own dict_compound filter mixes rune and byte offsets.
type DecompoundFilter struct {
	splitter *Splitter
}

// NewDecompoundFilter returns a filter splitting with s.
func NewDecompoundFilter(s *Splitter) *DecompoundFilter { return &DecompoundFilter{splitter: s} }

// Filter implements analysis.TokenFilter.
func (f *DecompoundFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(in))
	for _, tok := range in {
		out = append(out, tok)
		if tok.KeyWord || tok.Type == analysis.Shingle {
			continue
		}
		parts := f.splitter.Split(string(tok.Term))
		// Offsets map onto the original only when lower-casing kept the
		// byte length; otherwise the parts share the whole token's range.
		exact := tok.End-tok.Start == len(tok.Term)
		for _, p := range parts {
			start, end := tok.Start, tok.End
			if exact {
				start, end = tok.Start+p.Start, tok.Start+p.End
			}
			out = append(out, &analysis.Token{
				Term:     []byte(p.Text),
				Start:    start,
				End:      end,
				Position: tok.Position,
				Type:     tok.Type,
			})
		}
	}
	return out
}

var (
	registerOnce sync.Once
	registerErr  error
)

// Register makes the German analysis known to Bleve's registry (Bleve
// looks analyzers up by name, globally). It is idempotent and must run
// before an index that uses AnalyzerName is created or opened.
func Register() error {
	registerOnce.Do(func() {
		dict, err := DefaultDictionary()
		if err != nil {
			registerErr = err
			return
		}
		splitter := NewSplitter(dict)
		err = registry.RegisterTokenFilter(DecompoundFilterName, func(config map[string]any, _ *registry.Cache) (analysis.TokenFilter, error) {
			// An index may extend the lexicon with its corpus's own
			// frequent words (see CorpusParts); they live in its mapping.
			extra, ok := config[ExtraPartsKey].([]any)
			if !ok || len(extra) == 0 {
				return NewDecompoundFilter(splitter), nil
			}
			d := dict.Clone()
			for _, w := range extra {
				if s, ok := w.(string); ok {
					d.AddPart(s)
				}
			}
			return NewDecompoundFilter(NewSplitter(d)), nil
		})
		if err != nil {
			registerErr = fmt.Errorf("german: register filter: %w", err)
			return
		}
		err = registry.RegisterTokenFilter(GenitiveFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return GenitiveFilter{}, nil
		})
		if err != nil {
			registerErr = fmt.Errorf("german: register filter: %w", err)
			return
		}
		err = registry.RegisterTokenizer(HyphenTokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
			return NewHyphenTokenizer(), nil
		})
		if err != nil {
			registerErr = fmt.Errorf("german: register tokenizer: %w", err)
			return
		}
		err = registry.RegisterAnalyzer(AnalyzerName, analyzerConstructor)
		if err != nil {
			registerErr = fmt.Errorf("german: register analyzer: %w", err)
			return
		}
		err = registry.RegisterAnalyzer(CachedAnalyzerType, cachedAnalyzerConstructor)
		if err != nil {
			registerErr = fmt.Errorf("german: register analyzer: %w", err)
		}
	})
	return registerErr
}

// analyzerConstructor builds the chain: Unicode words (and hyphenated
// words joined), lower case, compound
// parts, German stop words, umlaut/ß folding (ä = ae, ß = ss), light
// stemming (Zwillinge = Zwilling). It runs behind a chunk cache (see
// CachedAnalyzer), which gives the same tokens several times faster.
func analyzerConstructor(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
	tokenizer, err := cache.TokenizerNamed(HyphenTokenizerName)
	if err != nil {
		return nil, err
	}
	var filters []analysis.TokenFilter
	for _, name := range chainFilters(DecompoundFilterName) {
		f, err := cache.TokenFilterNamed(name)
		if err != nil {
			return nil, err
		}
		filters = append(filters, f)
	}
	return NewCachedAnalyzer(tokenizer, filters), nil
}

// chainFilters names the filters of the German chain, with decompound as
// the decompounding filter.
func chainFilters(decompound string) []string {
	return []string{lowercase.Name, decompound, de.StopName, de.NormalizeName, GenitiveFilterName, de.LightStemmerName}
}

// DefineAnalyzer adds to an index mapping an analyzer called name: the
// German chain of AnalyzerName, with the lexicon extended by extraParts
// (see CorpusParts). The parts are stored in the mapping, so the index
// analyses queries as it analysed its documents until the next reindex.
func DefineAnalyzer(im *mapping.IndexMappingImpl, name string, extraParts []string) error {
	if err := Register(); err != nil {
		return err
	}
	parts := make([]any, len(extraParts))
	for i, p := range extraParts {
		parts[i] = p
	}
	filter := name + "_decompound"
	if err := im.AddCustomTokenFilter(filter, map[string]any{"type": DecompoundFilterName, ExtraPartsKey: parts}); err != nil {
		return fmt.Errorf("german: define filter: %w", err)
	}
	var filters []any
	for _, f := range chainFilters(filter) {
		filters = append(filters, f)
	}
	// The cached type takes the configuration of Bleve's custom type, so
	// the mapping still lists the chain; an index created with "custom"
	// keeps working, without the cache, until it is rebuilt.
	err := im.AddCustomAnalyzer(name, map[string]any{
		"type":          CachedAnalyzerType,
		"tokenizer":     HyphenTokenizerName,
		"token_filters": filters,
	})
	if err != nil {
		return fmt.Errorf("german: define analyzer: %w", err)
	}
	return nil
}
