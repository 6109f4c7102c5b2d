package german

import (
	"hash/maphash"
	"math/bits"
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
	hash      uint64 // of key, with the seed of the cache holding the entry
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
// A generation is a hash table that only grows until it is dropped, so a
// lookup is one hash of the chunk and atomic loads of slots, mostly one.
// Nearly all calls are hits in a warm cache, and they write no shared
// memory, so two CPUs looking up the same frequent words do not pass cache
// lines back and forth. BenchmarkChunkCacheZipf (two goroutines, 95% hits)
// measured some 75–100 ns of CPU per lookup, against 300–500 ns for
// generations of sync.Map (the cache's first form: its trie is several
// dependent loads deep, and it hashes and compares keys through
// interfaces) and 150–260 ns for 256 maps behind a mutex or read-write
// lock each (every lookup writes the lock).
type chunkCache struct {
	seed  maphash.Seed
	limit int64
	cur   atomic.Pointer[cacheGeneration]
	old   atomic.Pointer[cacheGeneration]
	mu    sync.Mutex // serialises moving to a new generation
}

// cacheGeneration is an insert-only hash table with linear probing. It has
// at least twice as many slots as it may hold entries, so probe sequences
// stay short and every probe sequence ends at an empty slot.
type cacheGeneration struct {
	slots []atomic.Pointer[chunkEntry]
	mask  uint64
	n     atomic.Int64 // entries reserved by store; past limit the generation is full
}

// defaultCacheEntries bounds a generation. A cache holds at most about
// twice as many chunks, some 250 bytes each with the table's share (see
// TestChunkCacheMemory): 16 MB at most. Zipf's law makes the most frequent
// chunks cover most of a text, so a bigger cache gains little.
const defaultCacheEntries = 1 << 15

// newChunkCache returns a cache of at most about 2×entries chunks.
func newChunkCache(entries int) *chunkCache {
	c := &chunkCache{seed: maphash.MakeSeed(), limit: int64(max(1, entries))}
	c.cur.Store(c.newGeneration())
	return c
}

func (c *chunkCache) newGeneration() *cacheGeneration {
	size := uint64(1) << bits.Len64(uint64(2*c.limit-1)) // a power of two ≥ 2×limit
	return &cacheGeneration{slots: make([]atomic.Pointer[chunkEntry], size), mask: size - 1}
}

// get returns the entry for chunk, or nil. Entries are read-only.
func (c *chunkCache) get(chunk []byte) *chunkEntry {
	h := maphash.Bytes(c.seed, chunk)
	if e := c.cur.Load().find(h, chunk); e != nil {
		return e
	}
	if old := c.old.Load(); old != nil {
		if e := old.find(h, chunk); e != nil {
			c.store(e)
			return e
		}
	}
	return nil
}

// put stores e under e.key. e must be new to the cache and must not change
// afterwards.
func (c *chunkCache) put(e *chunkEntry) {
	e.hash = maphash.String(c.seed, e.key)
	c.store(e)
}

// store adds e, hashed, to the current generation, and begins a new one
// when that is full.
func (c *chunkCache) store(e *chunkEntry) {
	for {
		g := c.cur.Load()
		// Reserving a slot before inserting keeps a generation at limit
		// entries however many goroutines insert at once.
		n := g.n.Add(1)
		if n <= c.limit {
			g.insert(e)
		}
		if n < c.limit {
			return
		}
		c.mu.Lock()
		if c.cur.Load() == g { // no other goroutine moved on meanwhile
			c.old.Store(g)
			c.cur.Store(c.newGeneration())
		}
		c.mu.Unlock()
		if n == c.limit {
			return
		}
		// g was full before e got a slot: try the new generation.
	}
}

// find returns the entry for chunk, whose hash is h, or nil.
func (g *cacheGeneration) find(h uint64, chunk []byte) *chunkEntry {
	for i := h & g.mask; ; i = (i + 1) & g.mask {
		e := g.slots[i].Load()
		if e == nil {
			return nil
		}
		if e.hash == h && e.key == string(chunk) {
			return e
		}
	}
}

// insert adds e unless an entry for its key is there already (two
// goroutines missed the same chunk at once). The caller has reserved a
// slot, so an empty one is found.
func (g *cacheGeneration) insert(e *chunkEntry) {
	for i := e.hash & g.mask; ; i = (i + 1) & g.mask {
		s := &g.slots[i]
		cur := s.Load()
		if cur == nil {
			if s.CompareAndSwap(nil, e) {
				return
			}
			cur = s.Load()
		}
		if cur.hash == e.hash && cur.key == e.key {
			return
		}
	}
}

// len returns the number of entries stored in both generations, for tests.
func (c *chunkCache) len() int {
	n := 0
	for _, g := range []*cacheGeneration{c.cur.Load(), c.old.Load()} {
		if g == nil {
			continue
		}
		for i := range g.slots {
			if g.slots[i].Load() != nil {
				n++
			}
		}
	}
	return n
}
