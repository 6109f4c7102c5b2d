package german

import (
	"fmt"
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// TestChunkCacheKeepsFrequent: a chunk in steady use survives any number
// of one-off chunks; a chunk not used for two generations is gone.
func TestChunkCacheKeepsFrequent(t *testing.T) {
	c := newChunkCache(4)
	c.put(&chunkEntry{key: "die"})
	c.put(&chunkEntry{key: "einmal"})
	for i := range 100 {
		c.put(&chunkEntry{key: fmt.Sprint("wort", i)})
		if c.get([]byte("die")) == nil {
			t.Fatalf("frequent chunk evicted after %d others", i+1)
		}
	}
	if c.get([]byte("einmal")) != nil {
		t.Error("one-off chunk still cached after 100 others")
	}
	if n := c.len(); n > 2*4 {
		t.Errorf("cache holds %d entries, want at most 8", n)
	}
}

// TestChunkCacheMemory measures what a cached chunk costs, to size
// defaultCacheEntries: a typical entry (a word of ten letters, with a
// comma, giving three tokens).
func TestChunkCacheMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a full cache")
	}
	const n = 1 << 14
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := newChunkCache(n)
	for i := range n {
		key := fmt.Sprintf("wort%06d,", i)
		c.put(&chunkEntry{key: key, terms: []byte(key + key[:4] + key[4:10]), toks: make([]chunkToken, 3), positions: 1})
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perEntry := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("%.0f bytes per cached chunk", perEntry)
	if perEntry > 600 {
		t.Errorf("%.0f bytes per cached chunk, want at most 600", perEntry)
	}
	runtime.KeepAlive(c)
}

// TestChunkCacheDesigns runs the cache designs of BenchmarkChunkCacheZipf
// through the same checks: what is put is found, and a generation's worth
// of other chunks later, only what was looked up meanwhile.
func TestChunkCacheDesigns(t *testing.T) {
	for _, d := range cacheDesigns {
		t.Run(d.name, func(t *testing.T) {
			const limit = 1024
			c := d.new(limit)
			c.put(&chunkEntry{key: "die"})
			c.put(&chunkEntry{key: "einmal"})
			for i := range 10 * limit {
				key := fmt.Sprint("wort", i)
				if c.get([]byte(key)) != nil {
					t.Fatalf("%s found before it was put", key)
				}
				c.put(&chunkEntry{key: key})
				if e := c.get([]byte(key)); e == nil || e.key != key {
					t.Fatalf("%s not found after put", key)
				}
				if c.get([]byte("die")) == nil {
					t.Fatalf("frequent chunk evicted after %d others", i+1)
				}
			}
			if c.get([]byte("einmal")) != nil {
				t.Error("one-off chunk still cached after many others")
			}
		})
	}
}

// chunkCacher is what the analyzer asks of a cache, for comparing designs.
type chunkCacher interface {
	get([]byte) *chunkEntry
	put(*chunkEntry)
}

// cacheDesigns are the designs BenchmarkChunkCacheZipf compares, each
// bounded like chunkCache: two generations of limit entries.
var cacheDesigns = []struct {
	name string
	new  func(limit int) chunkCacher
}{
	{"table", func(limit int) chunkCacher { return newChunkCache(limit) }},
	{"syncmap", func(limit int) chunkCacher { return newSyncMapChunkCache(limit) }},
	{"sharded-mutex", func(limit int) chunkCacher { return newShardedChunkCache(limit, false) }},
	{"sharded-rwmutex", func(limit int) chunkCacher { return newShardedChunkCache(limit, true) }},
}

// syncMapChunkCache is chunkCache's first design: generations of
// sync.Map, which holds its keys as interfaces.
type syncMapChunkCache struct {
	limit    int64
	cur, old atomic.Pointer[syncMapGeneration]
	mu       sync.Mutex
}

type syncMapGeneration struct {
	m sync.Map // string -> *chunkEntry
	n atomic.Int64
}

func newSyncMapChunkCache(limit int) *syncMapChunkCache {
	c := &syncMapChunkCache{limit: int64(max(1, limit))}
	c.cur.Store(new(syncMapGeneration))
	return c
}

func (c *syncMapChunkCache) get(chunk []byte) *chunkEntry {
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

func (c *syncMapChunkCache) put(e *chunkEntry) {
	g := c.cur.Load()
	if _, loaded := g.m.LoadOrStore(e.key, e); loaded || g.n.Add(1) < c.limit {
		return
	}
	c.mu.Lock()
	if c.cur.Load() == g {
		c.old.Store(g)
		c.cur.Store(new(syncMapGeneration))
	}
	c.mu.Unlock()
}

// shardedChunkCache spreads chunks by hash over many maps, each with two
// generations of its own behind a lock, so that two goroutines rarely
// want the same lock.
type shardedChunkCache struct {
	seed     maphash.Seed
	limit    int  // per shard and generation
	readLock bool // look up the current generation under a read lock
	shards   [256]chunkShard
}

type chunkShard struct {
	mu       sync.Mutex
	rw       sync.RWMutex
	cur, old map[string]*chunkEntry
	_        [64]byte // keeps neighbouring locks off one cache line
}

func newShardedChunkCache(limit int, readLock bool) *shardedChunkCache {
	c := &shardedChunkCache{seed: maphash.MakeSeed(), readLock: readLock}
	c.limit = max(1, limit/len(c.shards))
	for i := range c.shards {
		c.shards[i].cur = map[string]*chunkEntry{}
	}
	return c
}

func (c *shardedChunkCache) shard(key []byte) *chunkShard {
	return &c.shards[maphash.Bytes(c.seed, key)%uint64(len(c.shards))]
}

func (c *shardedChunkCache) get(chunk []byte) *chunkEntry {
	s := c.shard(chunk)
	if c.readLock {
		s.rw.RLock()
		e := s.cur[string(chunk)]
		s.rw.RUnlock()
		if e != nil {
			return e
		}
		s.rw.Lock()
		defer s.rw.Unlock()
	} else {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	if e := s.cur[string(chunk)]; e != nil {
		return e
	}
	e := s.old[string(chunk)]
	if e != nil {
		c.add(s, e)
	}
	return e
}

func (c *shardedChunkCache) put(e *chunkEntry) {
	s := c.shard([]byte(e.key))
	if c.readLock {
		s.rw.Lock()
		defer s.rw.Unlock()
	} else {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	c.add(s, e)
}

// add stores e in s, whose lock the caller holds.
func (c *shardedChunkCache) add(s *chunkShard, e *chunkEntry) {
	s.cur[e.key] = e
	if len(s.cur) >= c.limit {
		s.old, s.cur = s.cur, make(map[string]*chunkEntry, c.limit)
	}
}

// BenchmarkChunkCacheZipf compares cache designs under the load of
// indexing: two goroutines (Bleve's workers on two CPUs) look up chunks
// drawn by Zipf's law from a vocabulary much larger than the cache, so
// that about 95% of lookups hit, as in news text, and put what they miss.
// The chunks lie in a text, one after the other, as Analyze sees them.
// cpu-ns/lookup is the CPU time of one lookup (both goroutines' time
// divided by the lookups); ns/op is wall time per lookup.
func BenchmarkChunkCacheZipf(b *testing.B) {
	const (
		goroutines = 2
		vocabulary = 1 << 20
		lookups    = 1 << 19 // per goroutine, then repeated
	)
	type span struct{ off, len uint32 }
	texts := make([][]byte, goroutines)
	spans := make([][]span, goroutines)
	for g := range goroutines {
		r := rand.New(rand.NewPCG(1, uint64(g)))
		z := rand.NewZipf(r, 1.27, 2, vocabulary-1)
		for range lookups {
			off := len(texts[g])
			texts[g] = appendZipfWord(texts[g], z.Uint64())
			spans[g] = append(spans[g], span{uint32(off), uint32(len(texts[g]) - off)})
		}
	}
	for _, d := range cacheDesigns {
		b.Run(d.name, func(b *testing.B) {
			c := d.new(defaultCacheEntries)
			run := func(n int) (misses int64) {
				var total atomic.Int64
				var wg sync.WaitGroup
				for g := range goroutines {
					wg.Go(func() {
						text, sp := texts[g], spans[g]
						m := int64(0)
						for i := range n {
							s := sp[i%len(sp)]
							chunk := text[s.off : s.off+s.len]
							if c.get(chunk) == nil {
								m++
								c.put(&chunkEntry{key: string(chunk)})
							}
						}
						total.Add(m)
					})
				}
				wg.Wait()
				return total.Load()
			}
			run(lookups) // warm
			b.ResetTimer()
			misses := run(max(1, b.N/goroutines))
			b.StopTimer()
			n := goroutines * max(1, b.N/goroutines)
			b.ReportMetric(100*(1-float64(misses)/float64(n)), "hit%")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())*goroutines/float64(n), "cpu-ns/lookup")
		})
	}
}

// appendZipfWord appends the word of rank k: frequent words are short,
// like German's articles and prepositions, rare ones long, like its
// compounds.
func appendZipfWord(b []byte, k uint64) []byte {
	h := k*0x9E3779B97F4A7C15 + 1
	for range bits.Len64(k) / 3 { // filler letters
		b = append(b, byte('a'+h%26))
		h = h*6364136223846793005 + 1442695040888963407
	}
	for { // the rank in base 26 makes every word distinct
		b = append(b, byte('a'+k%26))
		k /= 26
		if k == 0 {
			return b
		}
	}
}
