package api

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

func TestPageCache(t *testing.T) {
	ctx := context.Background()
	c := newPageCache(2)
	var calls atomic.Int32
	gen := func(name string) func() (map[string][]byte, error) {
		return func() (map[string][]byte, error) {
			calls.Add(1)
			return map[string][]byte{"f": []byte(name)}, nil
		}
	}
	key := func(b byte) pageKey { return pageKey{sum: [32]byte{b}, kind: docsPages} }

	// Concurrent requests for one key generate once.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if files, err := c.get(ctx, key(1), gen("one")); err != nil || string(files["f"]) != "one" {
				t.Errorf("get = %q, %v", files, err)
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("8 concurrent gets generated %d times, want 1", n)
	}
	// The kind is part of the key.
	if files, _ := c.get(ctx, pageKey{sum: [32]byte{1}, kind: schemaPages}, gen("schemas")); string(files["f"]) != "schemas" {
		t.Fatalf("another kind of the same image = %q", files)
	}
	// At most two sets: the least recently used goes.
	c.get(ctx, key(1), gen("one"))
	c.get(ctx, key(2), gen("two"))
	if c.len() != 2 {
		t.Fatalf("cache holds %d sets, want 2", c.len())
	}
	before := calls.Load()
	c.get(ctx, key(1), gen("one"))
	if calls.Load() != before {
		t.Fatal("the most recently used set was dropped")
	}
	// A failed generation is not kept.
	fail := func() (map[string][]byte, error) { calls.Add(1); return nil, errors.New("boom") }
	if _, err := c.get(ctx, key(3), fail); err == nil {
		t.Fatal("a failed generation returned no error")
	}
	before = calls.Load()
	if files, err := c.get(ctx, key(3), gen("three")); err != nil || string(files["f"]) != "three" || calls.Load() != before+1 {
		t.Fatalf("after a failure, get = %q, %v", files, err)
	}
}

func TestCheckPagePath(t *testing.T) {
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{"datamap.json", true},
		{"site/en/index.html", true},
		{"de/policy-kaspersky.md", true},
		{"/etc/passwd", false},
		{"../go.mod", false},
		{"site/../../go.mod", false},
		{"site/./index.html", false},
		{"site//index.html", false},
		{"site/", false},
		{`..\go.mod`, false},
		{"en\x00.md", false},
		{"en\n.md", false},
		{fmt.Sprintf("%01025d", 0), false},
	} {
		if err := checkPagePath(tc.path); (err == nil) != tc.ok {
			t.Errorf("checkPagePath(%q) = %v, want ok %v", tc.path, err, tc.ok)
		}
	}
}
