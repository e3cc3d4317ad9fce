package impl

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"log/slog"
	"sync"
)

// HashSize is the length of an HMAC-SHA256 digest in bytes; the hex form is
// twice as long.
const HashSize = sha256.Size

// Hasher computes HMAC-SHA256 under one key: the Hmac redaction strategy.
// The same input gives the same output under one key, so records still
// link, but the value cannot be read back.
//
// A Hasher is safe for concurrent use. It keeps a pool of keyed HMAC states
// (hmac.New once per state, Reset between uses), so hashing does not set up
// the key again and allocates only its result. It never prints its key:
// fmt and log/slog show it as "[redacted]". Build one with NewHasher: the
// zero Hasher holds no key and is not usable.
type Hasher struct {
	redacted
	keyID string
	// pool holds *macState; pool.New closes over the key. Behind a pointer,
	// so reflection-based printing shows an address.
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
// ErrInvalidKey when it is shorter than MinKeySize. The Hasher keeps its
// own copy of the key.
func NewHasher(keys KeyProvider, keyID string) (*Hasher, error) {
	key, err := keyOf(keys, keyID)
	if err != nil {
		return nil, fmt.Errorf("HMAC key %q: %w", keyID, err)
	}
	if len(key) < MinKeySize {
		return nil, fmt.Errorf("HMAC key %q: %d bytes, need at least %d: %w", keyID, len(key), MinKeySize, ErrInvalidKey)
	}
	key = append([]byte(nil), key...)
	pool := &sync.Pool{New: func() any {
		return &macState{mac: hmac.New(sha256.New, key)}
	}}
	return &Hasher{keyID: keyID, pool: pool}, nil
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
	key, err := keys.Key(id)
	return key, unprefixed(err)
}

// KeyID returns the id of the Hasher's key.
func (h *Hasher) KeyID() string { return h.keyID }

// HashString returns HMAC-SHA256 of s as 64 lowercase hexadecimal digits.
func (h *Hasher) HashString(s string) string {
	st := h.pool.Get().(*macState)
	for len(s) > 0 {
		n := copy(st.buf[:], s)
		st.mac.Write(st.buf[:n])
		s = s[n:]
	}
	var out [2 * HashSize]byte
	hex.Encode(out[:], st.mac.Sum(st.sum[:0]))
	h.release(st)
	return string(out[:])
}

// HashBytes returns HMAC-SHA256 of b, HashSize bytes in a new slice.
func (h *Hasher) HashBytes(b []byte) []byte {
	st := h.pool.Get().(*macState)
	st.mac.Write(b)
	out := st.mac.Sum(make([]byte, 0, HashSize))
	h.release(st)
	return out
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
