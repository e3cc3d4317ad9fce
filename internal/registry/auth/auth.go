// Package auth decides who may do what in the registry: API keys, stored
// as SHA-256 hashes, with scopes read, write and admin and an optional
// subject prefix, presented as HTTP Basic (the password is the key, as
// Confluent clients send basic.auth.user.info) or as a Bearer token.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/provisionhq/provision/internal/registry/store"
)

// KeyPrefix begins every key NewKey makes, so that a leaked key is easy to
// recognise in a log or a repository.
const KeyPrefix = "prv_"

// Errors Authenticate and Principal.Allow return; the API maps them to
// 401 (40101) and 403 (40301).
var (
	// ErrUnauthenticated: no credentials, or credentials no key matches.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: the key lacks the scope or the subject prefix.
	ErrForbidden = errors.New("forbidden")
)

// NewKey returns a new random API key (32 bytes of crypto/rand, base64url,
// after KeyPrefix).
func NewKey() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("auth: new key: %w", err)
	}
	return KeyPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// Hash returns the SHA-256 of key, the only form the store keeps.
func Hash(key string) [32]byte { return sha256.Sum256([]byte(key)) }

// Op is what a request does.
type Op string

// The operations, as Confluent's error messages name them.
const (
	Read  Op = "Read"
	Write Op = "Write"
	Admin Op = "Admin"
)

// scope is the scope an operation needs.
func (o Op) scope() store.Scope {
	switch o {
	case Read:
		return store.ScopeRead
	case Write:
		return store.ScopeWrite
	}
	return store.ScopeAdmin
}

// Principal is who a request comes from.
type Principal struct {
	// Name is the key's name, what the audit log records; "anonymous"
	// for an anonymous read, "local" when authentication is off.
	Name          string
	Scopes        []store.Scope
	SubjectPrefix string
}

// Has reports whether p holds scope s, or a scope that implies it: admin
// implies write and read, write implies read.
func (p Principal) Has(s store.Scope) bool {
	for _, have := range p.Scopes {
		if have == s || have == store.ScopeAdmin ||
			(have == store.ScopeWrite && s == store.ScopeRead) {
			return true
		}
	}
	return false
}

// Allow returns nil if p may do op on resource (a subject, a catalog, or
// "" for the registry as a whole), else an error wrapping ErrForbidden
// that says so in Confluent's words: "User is denied operation Write on
// Subject: s". A subject prefix limits every operation on a named
// resource; an operation on the whole registry needs a key without prefix
// unless it only reads.
func (p Principal) Allow(op Op, kind, resource string) error {
	ok := p.Has(op.scope())
	if ok && p.SubjectPrefix != "" {
		if resource == "" {
			ok = op == Read
		} else {
			ok = strings.HasPrefix(resource, p.SubjectPrefix)
		}
	}
	if ok {
		return nil
	}
	if resource == "" {
		return fmt.Errorf("User is denied operation %s on %s: %w", op, kind, ErrForbidden)
	}
	return fmt.Errorf("User is denied operation %s on %s: %s: %w", op, kind, resource, ErrForbidden)
}

// Authenticator finds the principal of a request.
type Authenticator struct {
	// Keys looks keys up by hash.
	Keys interface {
		APIKeyByHash(ctx context.Context, hash [32]byte) (store.APIKey, error)
	}
	// AllowAnonymousReads lets a request without credentials read.
	AllowAnonymousReads bool
	// Disabled turns authentication off: every request is an admin
	// principal named "local". For a registry on loopback only.
	Disabled bool

	// cache is set by Watch.
	cache *keyCache
}

// Anonymous is the principal of a request without credentials when
// anonymous reads are allowed.
var Anonymous = Principal{Name: "anonymous", Scopes: []store.Scope{store.ScopeRead}}

// local is the principal of every request when authentication is off.
var local = Principal{Name: "local", Scopes: []store.Scope{store.ScopeAdmin}}

// Authenticate returns the principal of r: the key in its Authorization
// header (Basic, the password being the key, or Bearer), Anonymous when
// there is none and anonymous reads are allowed, else an error wrapping
// ErrUnauthenticated. The error never contains the key.
func (a *Authenticator) Authenticate(r *http.Request) (Principal, error) {
	if a.Disabled {
		return local, nil
	}
	key, ok := credentials(r)
	if !ok {
		if a.AllowAnonymousReads {
			return Anonymous, nil
		}
		return Principal{}, fmt.Errorf("no credentials: send an API key as HTTP Basic password or Bearer token: %w", ErrUnauthenticated)
	}
	sum := Hash(key)
	k, err := a.lookup(r.Context(), sum)
	if errors.Is(err, store.ErrAPIKeyNotFound) {
		return Principal{}, fmt.Errorf("unknown API key: %w", ErrUnauthenticated)
	}
	if err != nil {
		return Principal{}, fmt.Errorf("auth: look up key: %w", err)
	}
	if subtle.ConstantTimeCompare(sum[:], k.Hash[:]) != 1 {
		return Principal{}, fmt.Errorf("unknown API key: %w", ErrUnauthenticated)
	}
	return Principal{Name: k.Name, Scopes: slices.Clone(k.Scopes), SubjectPrefix: k.SubjectPrefix}, nil
}

// lookup finds the key with hash sum, in the cache when Watch runs.
func (a *Authenticator) lookup(ctx context.Context, sum [32]byte) (store.APIKey, error) {
	if a.cache == nil {
		return a.Keys.APIKeyByHash(ctx, sum)
	}
	k, gen, ok := a.cache.get(sum)
	if ok {
		return k, nil
	}
	k, err := a.Keys.APIKeyByHash(ctx, sum)
	if err == nil {
		a.cache.put(sum, k, gen)
	}
	return k, err
}

// credentials returns the key a request presents.
func credentials(r *http.Request) (string, bool) {
	if _, pass, ok := r.BasicAuth(); ok && pass != "" {
		return pass, true
	}
	h := r.Header.Get("Authorization")
	if scheme, token, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		if token = strings.TrimSpace(token); token != "" {
			return token, true
		}
	}
	return "", false
}

// ParseScope returns the scope named s.
func ParseScope(s string) (store.Scope, error) {
	switch sc := store.Scope(strings.ToLower(strings.TrimSpace(s))); sc {
	case store.ScopeRead, store.ScopeWrite, store.ScopeAdmin:
		return sc, nil
	}
	return "", fmt.Errorf("auth: unknown scope %q (want read, write or admin)", s)
}

// Create makes a new key named name with scope and prefix, stores its
// hash with an audit record by actor, and returns the key: the only time
// it is ever seen.
func Create(ctx context.Context, s store.Store, actor, name string, scope store.Scope, prefix string) (string, error) {
	key, err := NewKey()
	if err != nil {
		return "", err
	}
	k := store.APIKey{Name: name, Hash: Hash(key), Scopes: []store.Scope{scope}, SubjectPrefix: prefix}
	if err := s.CreateAPIKey(ctx, k, &store.Audit{Actor: actor, Detail: fmt.Sprintf("scope %s, prefix %q", scope, prefix)}); err != nil {
		return "", fmt.Errorf("auth: create key %q: %w", name, err)
	}
	return key, nil
}
