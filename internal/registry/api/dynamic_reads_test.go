package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/store"
)

var (
	packageOf = regexp.MustCompile(`(?m)^package ([\w.]+);`)
	messageOf = regexp.MustCompile(`(?m)^message (\w+) \{`)
)

// imageCounter counts the store's reads of catalog versions with their
// images.
type imageCounter struct {
	store.Store
	reads atomic.Int64
}

func (c *imageCounter) LatestCatalogVersion(ctx context.Context, catalog string) (store.CatalogVersion, error) {
	c.reads.Add(1)
	return c.Store.LatestCatalogVersion(ctx, catalog)
}

func (c *imageCounter) CatalogVersion(ctx context.Context, catalog string, version int) (store.CatalogVersion, error) {
	c.reads.Add(1)
	return c.Store.CatalogVersion(ctx, catalog, version)
}

func (c *imageCounter) Image(ctx context.Context, sum [32]byte) ([]byte, error) {
	c.reads.Add(1)
	return c.Store.Image(ctx, sum)
}

// TestDynamicReadsNoImage checks that once a schema has been validated,
// its validations and redactions read no catalog image from the store:
// the schema built with its catalog context is cached. (Each one read
// the latest image of every catalog, and compiled the schema without
// its context, in vain, before it found the cache: a millisecond of
// processor time a request.)
func TestDynamicReadsNoImage(t *testing.T) {
	t.Parallel()
	for _, backend := range backends(t) {
		t.Run(backend, func(t *testing.T) {
			st := &imageCounter{Store: openStore(t, backend)}
			srv, err := api.New(api.Options{Store: st, NoAuth: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			hs := httptest.NewServer(srv)
			t.Cleanup(hs.Close)
			if status, body := do(t, "POST", hs.URL+"/provision/v1/catalogs/kaspersky/versions", string(catalog(t)), ""); status != 200 {
				t.Fatalf("push: %d %s", status, body)
			}
			// Every scenario subject the push registered, with the full
			// name of its first message.
			status, body := do(t, "GET", hs.URL+"/subjects", "", "")
			var subjects []string
			if err := json.Unmarshal(body, &subjects); status != 200 || err != nil {
				t.Fatalf("subjects: %d %s", status, body)
			}
			type target struct{ id, message string }
			var targets []target
			for _, s := range subjects {
				if !strings.HasPrefix(s, "kaspersky.") {
					continue
				}
				status, body := do(t, "GET", hs.URL+"/subjects/"+s+"/versions/latest", "", "")
				var v struct {
					ID     int64
					Schema string
				}
				if err := json.Unmarshal(body, &v); status != 200 || err != nil {
					t.Fatalf("subject %s: %d %s", s, status, body)
				}
				pkg := packageOf.FindStringSubmatch(v.Schema)
				msg := messageOf.FindStringSubmatch(v.Schema)
				if pkg == nil || msg == nil {
					t.Fatalf("subject %s: no package or message in\n%s", s, v.Schema)
				}
				targets = append(targets, target{fmt.Sprint(v.ID), pkg[1] + "." + msg[1]})
			}
			if len(targets) == 0 {
				t.Fatal("the push registered no scenario")
			}
			send := func() {
				t.Helper()
				for _, tg := range targets {
					for _, op := range []string{"validate", "redact"} {
						payload := `{"message": "` + tg.message + `", "payload": {}}`
						if status, _, body := postDynamic(t, hs.URL, op, tg.id, "", payload, ""); status != 200 {
							t.Fatalf("%s %s: %d %s", op, tg.message, status, body)
						}
					}
				}
			}
			send() // builds and caches the schema
			before := st.reads.Load()
			const n = 5
			for range n {
				send()
			}
			if got := st.reads.Load() - before; got != 0 {
				t.Errorf("%d validations and redactions of %d cached schemas read %d catalog images, want none", 2*n*len(targets), len(targets), got)
			}
		})
	}
}
