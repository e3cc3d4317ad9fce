package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/twmb/franz-go/pkg/sr"

	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/store/postgres"
)

// TestTwoInstances runs two servers on one PostgreSQL database; 8
// clients register 50 schemas each over four subjects, spread over both
// (franz-go tries the next URL when one does not answer), and one server
// is stopped in the middle. Versions stay contiguous, each schema has one
// ID, and every registration that got an answer is there.
func TestTwoInstances(t *testing.T) {
	if os.Getenv(dsnVar) == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is unset under CI=true", dsnVar)
		}
		t.Skipf("%s is unset", dsnVar)
	}
	ctx := context.Background()
	cfg := pgConfig(t)
	var urls []string
	var servers []*httptest.Server
	for range 2 {
		st, err := postgres.OpenConfig(ctx, cfg.Copy())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		srv, err := api.New(api.Options{Store: st, NoAuth: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Close)
		hs := httptest.NewServer(srv)
		t.Cleanup(hs.Close)
		servers = append(servers, hs)
		urls = append(urls, hs.URL)
	}
	const clients, each = 8, 50
	subjects := []string{"a-value", "b-value", "c-value", "d-value"}
	type done struct {
		subject string
		text    string
		id      int
	}
	var mu sync.Mutex
	var ok []done
	var wg sync.WaitGroup
	var stop sync.Once
	for c := range clients {
		order := []string{urls[c%2], urls[(c+1)%2]}
		cl := client(t, order[0], sr.URLs(order...))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if c == 0 && i == each/2 {
					stop.Do(servers[0].Close) // one instance stops mid-load
				}
				subject := subjects[(c+i)%len(subjects)]
				text := fmt.Sprintf("syntax = \"proto3\";\npackage load.v1;\n\nmessage M {\n  string f%d_%d = %d;\n}\n", c, i, c*each+i+1)
				id, err := cl.RegisterSchema(ctx, subject, protobuf(text), -1, -1)
				if err != nil {
					continue // not acknowledged: it may or may not be there
				}
				mu.Lock()
				ok = append(ok, done{subject, text, id})
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(ok) < clients*each*3/4 {
		t.Fatalf("only %d of %d registrations answered", len(ok), clients*each)
	}
	cl := client(t, urls[1])
	ids := map[int]string{}
	for _, d := range ok {
		if prev, dup := ids[d.id]; dup && prev != d.text {
			t.Fatalf("ID %d for two schemas", d.id)
		}
		ids[d.id] = d.text
		got, err := cl.LookupSchema(ctx, d.subject, protobuf(d.text))
		if err != nil || got.ID != d.id {
			t.Fatalf("acknowledged registration %d in %s: %+v, %v", d.id, d.subject, got, err)
		}
	}
	for _, s := range subjects {
		vs, err := cl.SubjectVersions(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range vs {
			if v != i+1 {
				t.Fatalf("%s: versions %v are not contiguous", s, vs)
			}
		}
	}
	t.Logf("%d registrations acknowledged over two instances, one stopped mid-load", len(ok))
}
