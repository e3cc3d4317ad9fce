// Package cache is a small bounded in-process map for what a store reads
// often and rarely changes, such as schemas by ID. It is safe for
// concurrent use; a full cache forgets an arbitrary entry to make room.
// Keeping it correct is the store's job: it deletes an entry when a
// change (its own or another instance's) makes it stale, and clears the
// whole cache when it may have missed one.
package cache

import "sync"

// Map is a bounded concurrent map. The zero value holds nothing; use New.
type Map[K comparable, V any] struct {
	mu  sync.RWMutex
	max int
	m   map[K]V
	// gen counts Delete and Clear calls, so that a value read from the
	// database before one of them is not put back after it.
	gen uint64
}

// New returns a map holding at most max entries (max < 1 caches nothing).
func New[K comparable, V any](max int) *Map[K, V] {
	return &Map[K, V]{max: max, m: make(map[K]V)}
}

// Get returns the value for k.
func (c *Map[K, V]) Get(k K) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	return v, ok
}

// Generation returns a token to pass to Put with a value read after
// this call.
func (c *Map[K, V]) Generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// Put stores v for k, unless a Delete or Clear happened since gen was
// taken (the value may be stale).
func (c *Map[K, V]) Put(gen uint64, k K, v V) {
	if c.max < 1 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.m[k]; !ok && len(c.m) >= c.max {
		for old := range c.m {
			delete(c.m, old)
			break
		}
	}
	c.m[k] = v
}

// Delete forgets k.
func (c *Map[K, V]) Delete(k K) {
	c.mu.Lock()
	delete(c.m, k)
	c.gen++
	c.mu.Unlock()
}

// Clear forgets everything.
func (c *Map[K, V]) Clear() {
	c.mu.Lock()
	clear(c.m)
	c.gen++
	c.mu.Unlock()
}

// Len returns the number of entries.
func (c *Map[K, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
