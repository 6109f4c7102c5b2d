package german

import (
	"fmt"
	"hash/maphash"
	"runtime"
	"sync"
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

// shardedChunkCache is the design chunkCache was measured against: maps
// sharded by hash, each behind a read-write lock (one generation, enough
// for comparing lookups).
type shardedChunkCache struct {
	seed   maphash.Seed
	shards [64]struct {
		mu sync.RWMutex
		m  map[string]*chunkEntry
		_  [64]byte // keeps neighbouring locks off one cache line
	}
}

func newShardedChunkCache() *shardedChunkCache {
	c := &shardedChunkCache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = map[string]*chunkEntry{}
	}
	return c
}

func (c *shardedChunkCache) get(chunk []byte) *chunkEntry {
	s := &c.shards[maphash.Bytes(c.seed, chunk)%uint64(len(c.shards))]
	s.mu.RLock()
	e := s.m[string(chunk)]
	s.mu.RUnlock()
	return e
}

func (c *shardedChunkCache) put(e *chunkEntry) {
	s := &c.shards[maphash.String(c.seed, e.key)%uint64(len(c.shards))]
	s.mu.Lock()
	s.m[e.key] = e
	s.mu.Unlock()
}
