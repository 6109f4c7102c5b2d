package german

import (
	"sync"
	"sync/atomic"
)

// chunkToken is one token of a cached chunk, relative to the chunk. It
// holds no pointers, so the garbage collector need not scan the cache's
// token arrays, and it is less than half an analysis.Token's size.
type chunkToken struct {
	start, end       int32 // byte range in the chunk
	termOff, termLen int32 // the term in chunkEntry.terms
	pos              int32 // 1-based, as the tokenizer numbered it
	typ              int32 // analysis.TokenType
	keyword          bool
}

// chunkEntry is the analysis of one chunk.
type chunkEntry struct {
	key       string // the chunk
	terms     []byte // every token's term, back to back; read-only once built
	toks      []chunkToken
	positions int // how many positions the tokenizer gave the chunk
}

// chunkCache maps chunks to their analysis. It is safe for concurrent use
// and bounded: it holds two generations of at most limit entries each.
// When the current generation is full it becomes the old one and the old
// one is dropped. An entry found in the old generation moves to the
// current one, so words in steady use survive and one-off chunks age out,
// without the bookkeeping of an LRU list.
//
// A generation is a sync.Map: nearly all calls are reads of a warm cache,
// which it serves without writing to shared memory. Maps sharded behind
// read-write locks were slower, by 15% on one CPU and by 30% on two,
// because every read writes the lock's reader count (see
// BenchmarkChunkCacheLookup and shardedChunkCache in the tests).
type chunkCache struct {
	limit int64
	cur   atomic.Pointer[cacheGeneration]
	old   atomic.Pointer[cacheGeneration]
	mu    sync.Mutex // serialises moving to a new generation
}

type cacheGeneration struct {
	m sync.Map     // string -> *chunkEntry
	n atomic.Int64 // entries stored
}

// defaultCacheEntries bounds a generation. A cache holds at most about
// twice as many chunks, some 350 bytes each with the map's overhead (see
// TestChunkCacheMemory): 25 MB at most. Zipf's law makes the most frequent chunks cover
// most of a text, so a bigger cache gains little.
const defaultCacheEntries = 1 << 15

// newChunkCache returns a cache of at most about 2×entries chunks.
func newChunkCache(entries int) *chunkCache {
	c := &chunkCache{limit: int64(max(1, entries))}
	c.cur.Store(new(cacheGeneration))
	return c
}

// get returns the entry for chunk, or nil. Entries are read-only.
func (c *chunkCache) get(chunk []byte) *chunkEntry {
	if v, ok := c.cur.Load().m.Load(string(chunk)); ok {
		return v.(*chunkEntry)
	}
	if old := c.old.Load(); old != nil {
		if v, ok := old.m.Load(string(chunk)); ok {
			e := v.(*chunkEntry)
			c.put(e)
			return e
		}
	}
	return nil
}

// put stores e under e.key; e must not change afterwards.
func (c *chunkCache) put(e *chunkEntry) {
	g := c.cur.Load()
	if _, loaded := g.m.LoadOrStore(e.key, e); loaded || g.n.Add(1) < c.limit {
		return
	}
	c.mu.Lock()
	if c.cur.Load() == g { // no other goroutine moved on meanwhile
		c.old.Store(g)
		c.cur.Store(new(cacheGeneration))
	}
	c.mu.Unlock()
}

// len returns the number of entries stored in both generations, for tests.
func (c *chunkCache) len() int {
	n := c.cur.Load().n.Load()
	if old := c.old.Load(); old != nil {
		n += old.n.Load()
	}
	return int(n)
}
