package impl

import (
	"fmt"
	"log/slog"
	"maps"
	"slices"
)

// MinKeySize is the shortest HMAC key accepted, in bytes: the output size
// of SHA-256, so that the key is not the weak point of the keyed hash.
const MinKeySize = 32

// RedactedText is what every key-holding type of this package prints and
// logs instead of its contents.
const RedactedText = "[redacted]"

// KeyProvider supplies the secret keys of keyed hashes by id.
//
// A schema names the key of an HMAC field by id (Redaction.Hmac.key_id);
// keys rotate by changing the id in the schema, while the provider holds
// both the old and the new key for as long as records made under either
// must be produced. Key returns ErrUnknownKey (wrapped with the id) for an
// id it does not hold. Implementations must be safe for concurrent use and
// should return a slice the caller may keep: callers do not modify it.
type KeyProvider interface {
	Key(id string) ([]byte, error)
}

// StaticKeys is a KeyProvider holding a fixed set of keys in memory. It is
// immutable after NewStaticKeys and safe for concurrent use. It never
// prints its keys: fmt and log/slog show it as "[redacted]".
type StaticKeys struct {
	redacted
	// lookup closes over the keys. fmt prints a func as an address
	// whatever the verb, even through an unexported field it cannot call
	// methods on, so no reflection-based printing reaches the keys.
	lookup func(id string) ([]byte, bool)
	ids    []string // sorted
}

// NewStaticKeys returns a provider holding a copy of keys, which map key
// ids to keys. Ids must match ^[a-z][a-z0-9-]{0,62}$ (the key_id pattern of
// the vocabulary) and keys must be at least MinKeySize bytes; otherwise
// NewStaticKeys returns an error wrapping ErrInvalidKey that names the id,
// never the key. An empty map gives a provider that knows no key.
func NewStaticKeys(keys map[string][]byte) (*StaticKeys, error) {
	held := make(map[string][]byte, len(keys))
	// Sorted, so that the error reported for several bad keys is stable.
	ids := slices.AppendSeq(make([]string, 0, len(keys)), maps.Keys(keys))
	slices.Sort(ids)
	for _, id := range ids {
		if err := checkKeyID(id); err != nil {
			return nil, err
		}
		key := keys[id]
		if len(key) < MinKeySize {
			return nil, fmt.Errorf("key %q: %d bytes, need at least %d: %w", id, len(key), MinKeySize, ErrInvalidKey)
		}
		held[id] = slices.Clone(key)
	}
	lookup := func(id string) ([]byte, bool) {
		key, ok := held[id]
		return key, ok
	}
	return &StaticKeys{lookup: lookup, ids: ids}, nil
}

// Key returns a copy of the key with the given id, or an error wrapping
// ErrUnknownKey that names the id. A nil or zero StaticKeys knows no key.
func (s *StaticKeys) Key(id string) ([]byte, error) {
	key, err := s.key(id)
	if err != nil {
		return nil, Prefixed(fmt.Errorf("key %q: %w", id, err))
	}
	return key, nil
}

// key is Key for callers that name the key themselves: its error is
// ErrUnknownKey alone.
func (s *StaticKeys) key(id string) ([]byte, error) {
	if s == nil || s.lookup == nil {
		return nil, ErrUnknownKey
	}
	key, ok := s.lookup(id)
	if !ok {
		return nil, ErrUnknownKey
	}
	return slices.Clone(key), nil
}

// IDs returns the ids of the keys held, sorted. Ids are not secret.
func (s *StaticKeys) IDs() []string {
	if s == nil {
		return []string{}
	}
	return append([]string{}, s.ids...)
}

// checkKeyID reports an error wrapping ErrInvalidKey unless id matches
// ^[a-z][a-z0-9-]{0,62}$.
func checkKeyID(id string) error {
	ok := len(id) >= 1 && len(id) <= 63 && id[0] >= 'a' && id[0] <= 'z'
	for i := 1; ok && i < len(id); i++ {
		c := id[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
	}
	if !ok {
		return fmt.Errorf("key id %q: must match ^[a-z][a-z0-9-]{0,62}$: %w", id, ErrInvalidKey)
	}
	return nil
}

// redacted gives a type that embeds it the methods through which fmt and
// log/slog print values, each printing RedactedText. Types holding key
// material embed it so that no verb (%v, %+v, %#v, %s, %x …) and no slog
// handler can show the key.
type redacted struct{}

// String returns RedactedText.
func (redacted) String() string { return RedactedText }

// GoString returns RedactedText, for the %#v verb.
func (redacted) GoString() string { return RedactedText }

// Format writes RedactedText whatever the verb and flags.
func (redacted) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(RedactedText)) }

// LogValue returns RedactedText as a slog value.
func (redacted) LogValue() slog.Value { return slog.StringValue(RedactedText) }

var (
	_ KeyProvider    = (*StaticKeys)(nil)
	_ fmt.Formatter  = (*StaticKeys)(nil)
	_ fmt.GoStringer = (*StaticKeys)(nil)
	_ slog.LogValuer = (*StaticKeys)(nil)
)
