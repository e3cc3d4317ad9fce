package impl

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"log/slog"
	"reflect"
	"sync"
)

// HashSize is the length of an HMAC-SHA256 digest in bytes; the hex form is
// twice as long.
const HashSize = sha256.Size

// HashVersion is the version of the keyed hash a Hasher computes, written
// at the start of every output so that hashes of different constructions
// are never confused. Version 1, the bare HMAC-SHA256 of the value under
// the provider's key, wrote 64 hex digits with no version; version 2
// binds the key ID into the hash (see Hasher).
const HashVersion = 2

const (
	// HashStringPrefix begins every hash of a string: the version, then a
	// colon.
	HashStringPrefix = "v2:"
	// HashStringLen is the length of a hash of a string: HashStringPrefix
	// and 64 lowercase hexadecimal digits.
	HashStringLen = len(HashStringPrefix) + 2*HashSize
	// HashStringPattern is a regular expression (RE2 and ECMAScript) that
	// matches exactly the hashes of strings, for schemas of transmitted
	// payloads.
	HashStringPattern = "^v2:[0-9a-f]{64}$"
	// HashBytesLen is the length of a hash of a bytes value: one byte
	// holding HashVersion, then the HashSize bytes of the digest.
	HashBytesLen = 1 + HashSize
	// HashBytesBase64Pattern matches the standard base64 of a hash of a
	// bytes value, as protojson writes it: 33 bytes, 44 characters, no
	// padding, the first character "A" (the version byte 2 begins with
	// six zero bits).
	HashBytesBase64Pattern = "^A[A-Za-z0-9+/]{43}$"
)

// hashKeyLabel separates the keys derived for hashing from any other use
// of a provider's key; the key ID follows it.
const hashKeyLabel = "provision hmac-sha256 v2\x00"

// Hasher computes a keyed hash (HMAC-SHA256) under one key of a
// KeyProvider: the Hmac redaction strategy. The same input gives the same
// output under one key, so records still link, but the value cannot be
// read back.
//
// The hash is bound to the key ID as well as to the key: the Hasher
// derives its key as HMAC-SHA256(key, "provision hmac-sha256 v2" 0x00
// keyID) and hashes values under that. Two key IDs that a provider maps to
// the same bytes (one secret reused for installation IDs and for licence
// IDs) therefore give unrelated hashes, and records of different kinds do
// not link. Every output says its construction: a string becomes
// HashStringPrefix followed by 64 lowercase hex digits, a bytes value the
// byte HashVersion followed by the 32-byte digest.
//
// A Hasher is safe for concurrent use. It keeps a pool of keyed HMAC states
// (hmac.New once per state, Reset between uses), so hashing does not set up
// the key again and allocates only its result. It never prints its key:
// fmt and log/slog show it as "[redacted]". Build one with NewHasher: the
// zero Hasher (and a nil *Hasher) holds no key, and hashing with it gives
// an error wrapping ErrInvalidKey.
type Hasher struct {
	redacted
	keyID string
	// pool holds *macState; pool.New closes over the derived key. Behind a
	// pointer, so reflection-based printing shows an address.
	pool *sync.Pool
}

// macState is one keyed HMAC and scratch space, used by one goroutine at a
// time.
type macState struct {
	mac hash.Hash
	sum [HashSize]byte
	// buf carries string input to mac.Write without converting the whole
	// string to a []byte (which would allocate).
	buf [256]byte
}

// NewHasher returns a Hasher for the key with the given id in keys. It
// fails, wrapping the provider's error, when the key is unknown, and with
// ErrInvalidKey when it is shorter than MinKeySize or the id is malformed.
// The Hasher keeps only the key it derives for the id, never the
// provider's key.
func NewHasher(keys KeyProvider, keyID string) (*Hasher, error) {
	if err := checkKeyID(keyID); err != nil {
		return nil, fmt.Errorf("HMAC: %w", err)
	}
	key, err := keyOf(keys, keyID)
	if err != nil {
		return nil, fmt.Errorf("HMAC key %q: %w", keyID, err)
	}
	if len(key) < MinKeySize {
		return nil, fmt.Errorf("HMAC key %q: %d bytes, need at least %d: %w", keyID, len(key), MinKeySize, ErrInvalidKey)
	}
	derived := deriveHashKey(key, keyID)
	pool := &sync.Pool{New: func() any {
		return &macState{mac: hmac.New(sha256.New, derived)}
	}}
	return &Hasher{keyID: keyID, pool: pool}, nil
}

// deriveHashKey returns the key a Hasher hashes under: HMAC-SHA256 of the
// label and the key ID under the provider's key.
func deriveHashKey(key []byte, keyID string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(hashKeyLabel))
	m.Write([]byte(keyID))
	return m.Sum(nil)
}

// keyOf returns the key id of keys, with an error for the caller to put
// in context: it names neither the key, which the caller does, nor the
// package. A StaticKeys answers with the bare sentinel; another provider's
// error is kept, less the prefix an entry point of this package gave it.
func keyOf(keys KeyProvider, id string) ([]byte, error) {
	switch k := keys.(type) {
	case nil:
		return nil, fmt.Errorf("no key provider: %w", ErrUnknownKey)
	case *StaticKeys:
		return k.key(id)
	}
	if v := reflect.ValueOf(keys); v.Kind() == reflect.Pointer && v.IsNil() {
		// A nil pointer of a provider type: its Key would most likely
		// dereference it.
		return nil, fmt.Errorf("nil %T key provider: %w", keys, ErrUnknownKey)
	}
	key, err := keys.Key(id)
	return key, unprefixed(err)
}

// KeyID returns the id of the Hasher's key; "" for the zero Hasher.
func (h *Hasher) KeyID() string {
	if h == nil {
		return ""
	}
	return h.keyID
}

// errZeroHasher is the error of hashing with a Hasher NewHasher did not
// make.
func errZeroHasher() error {
	return fmt.Errorf("HMAC: the zero Hasher holds no key (use NewHasher): %w", ErrInvalidKey)
}

// HashString returns the keyed hash of s: HashStringPrefix and 64
// lowercase hexadecimal digits. The zero Hasher gives an error wrapping
// ErrInvalidKey.
func (h *Hasher) HashString(s string) (string, error) {
	out, err := h.hashString(s)
	return out, Prefixed(err)
}

// hashString is HashString, its error not prefixed.
func (h *Hasher) hashString(s string) (string, error) {
	if h == nil || h.pool == nil {
		return "", errZeroHasher()
	}
	st := h.pool.Get().(*macState)
	for len(s) > 0 {
		n := copy(st.buf[:], s)
		st.mac.Write(st.buf[:n])
		s = s[n:]
	}
	var out [HashStringLen]byte
	copy(out[:], HashStringPrefix)
	hex.Encode(out[len(HashStringPrefix):], st.mac.Sum(st.sum[:0]))
	h.release(st)
	return string(out[:]), nil
}

// HashBytes returns the keyed hash of b in a new slice of HashBytesLen
// bytes: the byte HashVersion, then the digest. The zero Hasher gives an
// error wrapping ErrInvalidKey.
func (h *Hasher) HashBytes(b []byte) ([]byte, error) {
	out, err := h.hashBytes(b)
	return out, Prefixed(err)
}

// hashBytes is HashBytes, its error not prefixed.
func (h *Hasher) hashBytes(b []byte) ([]byte, error) {
	if h == nil || h.pool == nil {
		return nil, errZeroHasher()
	}
	st := h.pool.Get().(*macState)
	st.mac.Write(b)
	out := make([]byte, 1, HashBytesLen)
	out[0] = HashVersion
	out = st.mac.Sum(out)
	h.release(st)
	return out, nil
}

// release clears what st holds of the last input and returns it to the pool.
func (h *Hasher) release(st *macState) {
	st.mac.Reset()
	clear(st.buf[:])
	clear(st.sum[:])
	h.pool.Put(st)
}

var (
	_ fmt.Formatter  = (*Hasher)(nil)
	_ slog.LogValuer = (*Hasher)(nil)
)
