package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/registry/store"
)

type keys map[[32]byte]store.APIKey

func (k keys) APIKeyByHash(_ context.Context, h [32]byte) (store.APIKey, error) {
	if got, ok := k[h]; ok {
		return got, nil
	}
	return store.APIKey{}, store.ErrAPIKeyNotFound
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	key, err := NewKey()
	if err != nil || !strings.HasPrefix(key, KeyPrefix) || len(key) < 40 {
		t.Fatalf("NewKey = %q, %v", key, err)
	}
	a := &Authenticator{Keys: keys{Hash(key): {Name: "ci", Hash: Hash(key), Scopes: []store.Scope{store.ScopeWrite}}}}
	tests := []struct {
		name, header string
		want         string
		err          error
	}{
		{"basic", "Basic " + b64("anyone:"+key), "ci", nil},
		{"bearer", "Bearer " + key, "ci", nil},
		{"bearer lower case", "bearer " + key, "ci", nil},
		{"none", "", "", ErrUnauthenticated},
		{"unknown", "Bearer prv_unknown", "", ErrUnauthenticated},
		{"basic without password", "Basic " + b64("ci:"), "", ErrUnauthenticated},
		{"other scheme", "Digest x", "", ErrUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/subjects", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			p, err := a.Authenticate(r)
			if !errors.Is(err, tt.err) || p.Name != tt.want {
				t.Fatalf("Authenticate = %+v, %v; want %q, %v", p, err, tt.want, tt.err)
			}
			if err != nil && strings.Contains(err.Error(), key) {
				t.Fatal("the error holds the key")
			}
		})
	}
	anon := &Authenticator{Keys: keys{}, AllowAnonymousReads: true}
	if p, err := anon.Authenticate(httptest.NewRequest("GET", "/", nil)); err != nil || p.Name != "anonymous" {
		t.Fatalf("anonymous = %+v, %v", p, err)
	}
}

func TestAllow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scope    store.Scope
		prefix   string
		op       Op
		resource string
		want     string // "" for allowed
	}{
		{store.ScopeRead, "", Read, "s", ""},
		{store.ScopeRead, "", Write, "s", "User is denied operation Write on Subject: s"},
		{store.ScopeWrite, "", Read, "s", ""},
		{store.ScopeWrite, "", Write, "s", ""},
		{store.ScopeWrite, "", Admin, "", "User is denied operation Admin on Subject"},
		{store.ScopeAdmin, "", Admin, "", ""},
		{store.ScopeAdmin, "", Write, "s", ""},
		{store.ScopeWrite, "team.", Write, "team.x", ""},
		{store.ScopeWrite, "team.", Write, "other", "User is denied operation Write on Subject: other"},
		{store.ScopeWrite, "team.", Read, "", ""},
		{store.ScopeAdmin, "team.", Admin, "", "User is denied operation Admin on Subject"},
	}
	for _, tt := range tests {
		p := Principal{Name: "k", Scopes: []store.Scope{tt.scope}, SubjectPrefix: tt.prefix}
		err := p.Allow(tt.op, "Subject", tt.resource)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s/%q %s %q: %v", tt.scope, tt.prefix, tt.op, tt.resource, err)
		case tt.want != "" && (err == nil || !errors.Is(err, ErrForbidden) || !strings.HasPrefix(err.Error(), tt.want)):
			t.Errorf("%s/%q %s %q = %v; want %q", tt.scope, tt.prefix, tt.op, tt.resource, err, tt.want)
		}
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
