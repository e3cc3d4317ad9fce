package auth

import (
	"context"
	"sync"

	"github.com/provisionhq/provision/internal/registry/store"
)

// maxCachedKeys bounds the keys an Authenticator remembers.
const maxCachedKeys = 1024

// keyCache remembers keys found by hash, until a change to any key (on
// this instance or another sharing the database) empties it. gen counts
// the emptyings, so that a look-up that began before one does not put back
// a key it read before the change.
type keyCache struct {
	mu   sync.Mutex
	gen  uint64
	keys map[[32]byte]store.APIKey
}

func (c *keyCache) get(h [32]byte) (store.APIKey, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.keys[h]
	return k, c.gen, ok
}

func (c *keyCache) put(h [32]byte, k store.APIKey, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.keys == nil || len(c.keys) >= maxCachedKeys {
		c.keys = map[[32]byte]store.APIKey{}
	}
	c.keys[h] = k
}

func (c *keyCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.keys = nil
}

// Watch caches the keys the Authenticator finds, and empties the cache
// on every change to an API key (or a ChangeReset) that changes reports,
// until ctx is done or changes is closed. Without Watch, every request
// looks its key up in the store.
func (a *Authenticator) Watch(ctx context.Context, changes <-chan store.Change) {
	a.cache = &keyCache{}
	go func() {
		defer a.cache.clear()
		for {
			select {
			case <-ctx.Done():
				return
			case c, ok := <-changes:
				if !ok {
					return
				}
				if c.Kind == store.ChangeAPIKey || c.Kind == store.ChangeReset {
					a.cache.clear()
				}
			}
		}
	}()
}
