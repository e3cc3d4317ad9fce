package postgres

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/storetest"
)

// TestStopOneInstanceMidLoad closes one of two instances while both
// register: the closed one finishes what it had begun and refuses the
// rest, the other goes on, and every registration either reported is
// stored, with contiguous versions.
func TestStopOneInstanceMidLoad(t *testing.T) {
	t.Parallel()
	cfg := database(t)
	a, b := open(t, cfg), open(t, cfg)
	ctx := context.Background()
	type result struct {
		subject string
		v       store.Version
	}
	var mu sync.Mutex
	var results []result
	var onA atomic.Int64
	var wg sync.WaitGroup
	for w := range 8 {
		s, name := store.Store(a), "a"
		if w%2 == 1 {
			s, name = b, "b"
		}
		wg.Go(func() {
			for i := range 50 {
				subject := fmt.Sprintf("stop-%d", i%3)
				v, _, err := s.RegisterVersion(ctx, store.Registration{Subject: subject,
					Schema: storetest.Schema(fmt.Sprintf("W%dN%d", w, i)), Audit: &store.Audit{Actor: name}})
				if err != nil {
					if name == "a" {
						return // a was closed
					}
					t.Errorf("b, worker %d: %v", w, err)
					return
				}
				mu.Lock()
				results = append(results, result{subject, v})
				mu.Unlock()
				if name == "a" && onA.Add(1) == 40 {
					go a.Close()
				}
			}
		})
	}
	wg.Wait()
	if n := onA.Load(); n >= 200 {
		t.Errorf("a took all %d registrations: it was not stopped mid-load", n)
	}
	for _, r := range results {
		got, err := b.Version(ctx, r.subject, r.v.Version, false)
		if err != nil || got.Schema.ID != r.v.Schema.ID {
			t.Errorf("reported %s version %d is stored as %+v, %v", r.subject, r.v.Version, got, err)
		}
	}
	total := 0
	for i := range 3 {
		vs, err := b.Versions(ctx, fmt.Sprintf("stop-%d", i), false)
		if err != nil {
			t.Fatal(err)
		}
		for j, v := range vs {
			if v.Version != j+1 {
				t.Errorf("stop-%d: version %d at position %d", i, v.Version, j+1)
			}
		}
		total += len(vs)
	}
	if total != len(results) {
		t.Errorf("%d versions stored, %d reported", total, len(results))
	}
	if err := b.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
	t.Logf("a registered %d before it was closed; %d in all", onA.Load(), len(results))
}
