package store

import (
	"context"
	"sync"
)

// ChangeKind says what a Change is about.
type ChangeKind string

// The kinds of change.
const (
	// ChangeSubject: a version of Subject was registered or deleted;
	// SchemaID is its schema.
	ChangeSubject ChangeKind = "subject"
	// ChangeSchemaRemoved: the schema SchemaID was removed with its last
	// version; a cache of schemas by ID must drop it.
	ChangeSchemaRemoved ChangeKind = "schema-removed"
	// ChangeConfig, ChangeMode: the configuration or mode of Subject ("" for
	// the global one) was set or deleted.
	ChangeConfig ChangeKind = "config"
	ChangeMode   ChangeKind = "mode"
	// ChangeCatalog: a version of Catalog was pushed.
	ChangeCatalog ChangeKind = "catalog"
	// ChangeAPIKey: an API key was created or deleted.
	ChangeAPIKey ChangeKind = "api-key"
	// ChangeReset: changes may have been missed (a reader fell behind, or
	// the connection that receives them was lost); drop every cache.
	ChangeReset ChangeKind = "reset"
)

// Change is a committed write, as other readers of the store learn of it.
type Change struct {
	Kind     ChangeKind `json:"k"`
	Subject  string     `json:"s,omitempty"`
	Catalog  string     `json:"c,omitempty"`
	SchemaID int64      `json:"id,omitempty"`
}

// hubBuffer is how many changes a subscriber may fall behind before it
// gets a ChangeReset instead of the changes it missed.
const hubBuffer = 256

// Hub fans changes out to subscribers without ever blocking the
// publisher. A subscriber that falls behind by more than its buffer
// loses changes and receives one ChangeReset in their place, as soon as
// it has room. The zero value is ready to use.
type Hub struct {
	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

type subscriber struct {
	ch     chan Change
	missed bool
}

// Subscribe returns a channel of the changes published from now until ctx
// is done, when the channel is closed.
func (h *Hub) Subscribe(ctx context.Context) <-chan Change {
	s := &subscriber{ch: make(chan Change, hubBuffer)}
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[*subscriber]struct{}{}
	}
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	go func() {
		<-ctx.Done()
		h.mu.Lock()
		if _, ok := h.subs[s]; ok {
			delete(h.subs, s)
			close(s.ch)
		}
		h.mu.Unlock()
	}()
	return s.ch
}

// Publish sends c to every subscriber that has room.
func (h *Hub) Publish(c Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		if s.missed {
			select {
			case s.ch <- Change{Kind: ChangeReset}:
				s.missed = false
			default:
				continue
			}
		}
		select {
		case s.ch <- c:
		default:
			s.missed = true
		}
	}
}

// Close closes every subscriber's channel.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		delete(h.subs, s)
		close(s.ch)
	}
}
