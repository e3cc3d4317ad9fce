package api

import (
	"context"
	"testing"
	"time"

	"github.com/provisionhq/provision/internal/registry/store"
)

// TestDynamicContextsFollowChanges: a catalog push or a reset clears the
// catalog contexts by package; other changes keep them.
func TestDynamicContextsFollowChanges(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind    store.ChangeKind
		cleared bool
	}{
		{store.ChangeCatalog, true},
		{store.ChangeReset, true},
		{store.ChangeSubject, false},
		{store.ChangeAPIKey, false},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var d dynamicSchemas
			d.contexts = map[string]*catalogContext{"a.v1": nil}
			changes := make(chan store.Change)
			d.watch(ctx, changes)
			changes <- store.Change{Kind: tc.kind}
			changes <- store.Change{Kind: store.ChangeMode} // the first is handled once this is taken
			deadline := time.Now().Add(5 * time.Second)
			for {
				d.mu.Lock()
				_, kept := d.contexts["a.v1"]
				gen := d.gen
				d.mu.Unlock()
				if kept != tc.cleared && (gen == 1) == tc.cleared {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("after a %s change: context kept %v, generation %d", tc.kind, kept, gen)
				}
				time.Sleep(time.Millisecond)
			}
		})
	}
}
