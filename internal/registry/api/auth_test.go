package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/sr"

	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
)

func TestAuth(t *testing.T) {
	for _, backend := range backends(t) {
		t.Run(backend, func(t *testing.T) {
			url, st := newServer(t, backend, api.Options{})
			ctx := context.Background()
			key := func(name string, scope store.Scope, prefix string) string {
				k, err := auth.Create(ctx, st, "test", name, scope, prefix)
				if err != nil {
					t.Fatal(err)
				}
				return k
			}
			admin, writer, reader, team := key("admin", store.ScopeAdmin, ""), key("ci", store.ScopeWrite, ""), key("viewer", store.ScopeRead, ""), key("team-a", store.ScopeWrite, "team-a.")

			// Basic, as Confluent clients send basic.auth.user.info.
			basic := client(t, url, sr.BasicAuth("ci", writer))
			if _, err := basic.CreateSchema(ctx, "orders-value", protobuf(plainV1)); err != nil {
				t.Fatalf("register with Basic: %v", err)
			}
			// Bearer.
			bearer := client(t, url, sr.BearerToken(reader))
			if _, err := bearer.SchemaByVersion(ctx, "orders-value", 1); err != nil {
				t.Fatalf("read with Bearer: %v", err)
			}
			var re *sr.ResponseError
			// Wrong scope: 403 (40301) in Confluent's words.
			_, err := bearer.CreateSchema(ctx, "orders-value", protobuf(plainV2))
			if !errors.As(err, &re) || re.StatusCode != 403 || re.ErrorCode != 40301 || re.Message != "User is denied operation Write on Subject: orders-value" {
				t.Fatalf("write with a read key = %v", err)
			}
			// No credentials, or an unknown key: 401 (40101).
			for _, cl := range []*sr.Client{client(t, url), client(t, url, sr.BasicAuth("x", "prv_nope"))} {
				if _, err := cl.Subjects(ctx); !errors.As(err, &re) || re.StatusCode != 401 || re.ErrorCode != 40101 {
					t.Fatalf("no or unknown key = %v", err)
				}
			}
			// A prefix limits a key to its subjects.
			teamCl := client(t, url, sr.BearerToken(team))
			if _, err := teamCl.CreateSchema(ctx, "team-a.orders", protobuf(plainV1)); err != nil {
				t.Fatalf("register under the prefix: %v", err)
			}
			if _, err := teamCl.CreateSchema(ctx, "team-b.orders", protobuf(plainV1)); code(err) != 40301 {
				t.Fatalf("register outside the prefix = %v", err)
			}
			// Global config and mode, and the audit log, need admin.
			if r := basic.SetCompatibility(ctx, sr.SetCompatibility{Level: sr.CompatFull}); code(r[0].Err) != 40301 {
				t.Fatalf("global config with a write key = %+v", r[0])
			}
			if status, _ := do(t, "GET", url+"/provision/v1/audit", "", writer); status != 403 {
				t.Fatalf("audit with a write key: %d", status)
			}
			status, body := do(t, "GET", url+"/provision/v1/audit", "", admin)
			var recs []struct {
				Actor, Action, Subject string
				Hash                   string
			}
			if err := json.Unmarshal(body, &recs); status != 200 || err != nil {
				t.Fatalf("audit: %d %s", status, body)
			}
			var registered []string
			for _, r := range recs {
				if strings.Contains(string(body), writer) {
					t.Fatal("a key is in the audit log")
				}
				if r.Action == store.ActionRegister {
					registered = append(registered, r.Actor+" "+r.Subject)
				}
			}
			if strings.Join(registered, ",") != "ci orders-value,team-a team-a.orders" {
				t.Fatalf("registrations in the audit log: %v", registered)
			}
			if err := st.VerifyAudit(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestAnonymousReads(t *testing.T) {
	url, st := newServer(t, "sqlite", api.Options{AllowAnonymousReads: true})
	ctx := context.Background()
	k, err := auth.Create(ctx, st, "test", "ci", store.ScopeWrite, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client(t, url, sr.BearerToken(k)).CreateSchema(ctx, "orders-value", protobuf(plainV1)); err != nil {
		t.Fatal(err)
	}
	anon := client(t, url)
	if _, err := anon.SchemaByVersion(ctx, "orders-value", 1); err != nil {
		t.Fatalf("anonymous read: %v", err)
	}
	if _, err := anon.CreateSchema(ctx, "orders-value", protobuf(plainV2)); code(err) != 40301 {
		t.Fatalf("anonymous write = %v; want 40301", err)
	}
}

// TestKeyDeletedIsRefused deletes a key while the server caches it: the
// next request with it is 401.
func TestKeyDeletedIsRefused(t *testing.T) {
	for _, backend := range backends(t) {
		t.Run(backend, func(t *testing.T) {
			url, st := newServer(t, backend, api.Options{})
			ctx := context.Background()
			k, err := auth.Create(ctx, st, "test", "gone", store.ScopeRead, "")
			if err != nil {
				t.Fatal(err)
			}
			if status, body := do(t, "GET", url+"/subjects", "", k); status != 200 {
				t.Fatalf("with the key: %d %s", status, body)
			}
			if err := st.DeleteAPIKey(ctx, "gone", &store.Audit{Actor: "test"}); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for {
				status, _ := do(t, "GET", url+"/subjects", "", k)
				if status == 401 {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("a deleted key still answers %d", status)
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}
