package german

import (
	"fmt"
	"math"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// CachedAnalyzer is an analysis chain that remembers how it analysed each
// whitespace-delimited chunk of text ("Verwaltungscloud", "die"), less the
// punctuation at its edges ("(Verwaltungscloud)," is looked up as
// "Verwaltungscloud"). News text follows Zipf's law, so nearly every chunk
// of a document has been seen before, and copying its cached tokens is
// much cheaper than running the tokenizer and filters again. The tokens
// are exactly those of the chain run on the whole text: same terms, byte
// offsets, positions, types.
//
// That holds only for a chain whose tokenizer never joins text across
// whitespace (Unicode words, HyphenTokenizer) and never makes a token of
// the punctuation cut off, whose filters look at one token at a time (no
// shingles, no filters that read neighbours) and that has no char
// filters. See chunk.go for how the text is cut and trimmed.
//
// Terms of the returned tokens share memory with the cache: callers must
// not modify a token's Term bytes (Bleve's indexing and query code only
// read them; it copies them into map keys and segments). Appending to a
// Term is safe, since each Term's capacity ends with it. The analyzer does
// not modify its input, unlike Bleve's lower-case filter run directly.
//
// A CachedAnalyzer is safe for concurrent use.
type CachedAnalyzer struct {
	tokenizer analysis.Tokenizer
	filters   []analysis.TokenFilter
	cache     *chunkCache
}

// maxCachedChunk is the longest chunk (in bytes) that is cached. Longer
// ones, URLs and the like, are rarely repeated and would crowd out words.
const maxCachedChunk = 64

// NewCachedAnalyzer returns tokenizer and filters as a cached analyzer
// with a cache of its own (see CachedAnalyzer for the chains that qualify).
func NewCachedAnalyzer(tokenizer analysis.Tokenizer, filters []analysis.TokenFilter) *CachedAnalyzer {
	return newCachedAnalyzer(tokenizer, filters, defaultCacheEntries)
}

func newCachedAnalyzer(tokenizer analysis.Tokenizer, filters []analysis.TokenFilter, entries int) *CachedAnalyzer {
	return &CachedAnalyzer{tokenizer: tokenizer, filters: filters, cache: newChunkCache(entries)}
}

// chunkRef is one chunk of the text being analysed: its cached entry, or
// for a chunk too long to cache, the tokens of the chain run on it.
type chunkRef struct {
	off int         // byte offset of the chunk in the text
	e   *chunkEntry // nil when the chunk was analysed directly:
	// then its tokens and positions are these.
	direct    analysis.TokenStream
	positions int
}

// refPool recycles the per-call list of chunks, so that Analyze allocates
// only its result (and, on a cache miss, the new entry).
var refPool = sync.Pool{New: func() any { s := make([]chunkRef, 0, 512); return &s }}

// maxPooledRefs keeps one huge text from pinning a huge list in the pool.
const maxPooledRefs = 1 << 16

// Analyze implements analysis.Analyzer.
func (a *CachedAnalyzer) Analyze(input []byte) analysis.TokenStream {
	if !utf8.Valid(input) {
		// Rare (the crawler decodes pages to UTF-8), and the segmenter's
		// behaviour at invalid bytes depends on the text before them.
		ts, _ := a.run(input)
		return ts
	}
	rp := refPool.Get().(*[]chunkRef)
	refs := (*rp)[:0]
	total := 0
	for i := 0; ; {
		start, end := nextChunk(input, i)
		if start == len(input) {
			break
		}
		i = end
		lo, hi := trimChunk(input[start:end])
		if lo == hi {
			continue // only punctuation: no tokens, no positions
		}
		start, end = start+lo, start+hi
		chunk := input[start:end]
		var e *chunkEntry
		if len(chunk) <= maxCachedChunk {
			e = a.cache.get(chunk)
		}
		if e == nil {
			ts, positions := a.run(chunk)
			if len(chunk) <= maxCachedChunk {
				e = entryOf(string(chunk), ts, positions)
			}
			if e == nil {
				refs = append(refs, chunkRef{off: start, direct: ts, positions: positions})
				total += len(ts)
				continue
			}
			a.cache.put(e)
		}
		refs = append(refs, chunkRef{off: start, e: e})
		total += len(e.toks)
	}

	// One array holds all tokens: two allocations per call instead of one
	// per token.
	backing := make([]analysis.Token, total)
	out := make(analysis.TokenStream, total)
	k, base := 0, 0
	for _, r := range refs {
		if r.e == nil {
			for _, t := range r.direct {
				b := &backing[k]
				*b = *t
				b.Start += r.off
				b.End += r.off
				b.Position += base
				out[k] = b
				k++
			}
			base += r.positions
			continue
		}
		terms := r.e.terms
		for _, ct := range r.e.toks {
			b := &backing[k]
			end := ct.termOff + ct.termLen
			b.Term = terms[ct.termOff:end:end]
			b.Start = r.off + int(ct.start)
			b.End = r.off + int(ct.end)
			b.Position = base + int(ct.pos)
			b.Type = analysis.TokenType(ct.typ)
			b.KeyWord = ct.keyword
			out[k] = b
			k++
		}
		base += r.e.positions
	}

	if cap(refs) <= maxPooledRefs {
		clear(refs) // drop references to entries the cache may evict
		*rp = refs[:0]
		refPool.Put(rp)
	}
	return out
}

// run analyses chunk alone and returns the tokens (relative to the chunk)
// and the number of positions the tokenizer gave it: a chunk of stop words
// yields no tokens but still moves the positions of the words after it.
func (a *CachedAnalyzer) run(chunk []byte) (analysis.TokenStream, int) {
	// A copy: Bleve's lower-case filter rewrites terms in place, and terms
	// point into the tokenizer's input.
	buf := append([]byte(nil), chunk...)
	ts := a.tokenizer.Tokenize(buf)
	positions := 0
	for _, t := range ts {
		positions = max(positions, t.Position)
	}
	for _, f := range a.filters {
		ts = f.Filter(ts)
	}
	return ts, positions
}

// entryOf packs the tokens of chunk key into a cache entry. It returns nil
// when a value does not fit the packed form (never for the chunks and
// token types of the German chain, but a chain is free to differ).
func entryOf(key string, ts analysis.TokenStream, positions int) *chunkEntry {
	n := 0
	for _, t := range ts {
		n += len(t.Term)
	}
	if n > math.MaxInt32 || positions > math.MaxInt32 {
		return nil
	}
	e := &chunkEntry{key: key, terms: make([]byte, 0, n), toks: make([]chunkToken, len(ts)), positions: positions}
	for i, t := range ts {
		ct := chunkToken{
			start: int32(t.Start), end: int32(t.End),
			termOff: int32(len(e.terms)), termLen: int32(len(t.Term)),
			pos: int32(t.Position), typ: int32(t.Type), keyword: t.KeyWord,
		}
		if int(ct.start) != t.Start || int(ct.end) != t.End || int(ct.pos) != t.Position || analysis.TokenType(ct.typ) != t.Type {
			return nil
		}
		e.toks[i] = ct
		e.terms = append(e.terms, t.Term...)
	}
	return e
}

// cachedAnalyzerConstructor builds a CachedAnalyzerType analyzer from the
// configuration of Bleve's custom type. It refuses what would make the
// cached tokens differ from the chain's: char filters (they change the
// text before it is cut into chunks) and tokenizers other than the two
// known to stop at whitespace.
func cachedAnalyzerConstructor(config map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
	switch config["tokenizer"] {
	case HyphenTokenizerName, unicode.Name:
	default:
		return nil, fmt.Errorf("german: %s analyzer: tokenizer %v is not known to stop at whitespace", CachedAnalyzerType, config["tokenizer"])
	}
	a, err := custom.AnalyzerConstructor(config, cache)
	if err != nil {
		return nil, fmt.Errorf("german: %s analyzer: %w", CachedAnalyzerType, err)
	}
	chain, ok := a.(*analysis.DefaultAnalyzer)
	if !ok {
		return nil, fmt.Errorf("german: %s analyzer: unexpected chain %T", CachedAnalyzerType, a)
	}
	if len(chain.CharFilters) > 0 {
		return nil, fmt.Errorf("german: %s analyzer: char filters cannot be cached by chunk", CachedAnalyzerType)
	}
	return NewCachedAnalyzer(chain.Tokenizer, chain.TokenFilters), nil
}
