package store

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"math"
	"strings"
	"unicode/utf8"
)

// Fingerprint returns the content address of a schema: the SHA-256 of its
// type, text and references (in their order), each length-prefixed, so
// that no two different schemas share an encoding. The ID is left out:
// the same content has one ID in every subject.
func Fingerprint(s Schema) [32]byte {
	h := sha256.New()
	writeString(h, "provision.schema.v1")
	writeString(h, string(s.Type))
	writeString(h, s.Text)
	writeInt(h, int64(len(s.References)))
	for _, r := range s.References {
		writeString(h, r.Name)
		writeString(h, r.Subject)
		writeInt(h, int64(r.Version))
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

func writeString(h hash.Hash, s string) {
	writeInt(h, int64(len(s)))
	h.Write([]byte(s))
}

func writeInt(h hash.Hash, n int64) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	h.Write(b[:])
}

// MaxID is the largest schema ID: Confluent's wire format gives the ID
// four bytes, signed.
const MaxID = math.MaxInt32

// MaxVersion is the largest version number.
const MaxVersion = math.MaxInt32

// MaxNameLen is the longest subject, catalog or key name the store takes,
// in bytes.
const MaxNameLen = 1024

// ValidateName returns an error wrapping ErrInvalid unless name (what
// says which, "subject" or "catalog") is non-empty UTF-8 of at most
// MaxNameLen bytes without control characters. The API may be stricter.
func ValidateName(what, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty %s name: %w", what, ErrInvalid)
	case len(name) > MaxNameLen:
		return fmt.Errorf("%s name of %d bytes, over %d: %w", what, len(name), MaxNameLen, ErrInvalid)
	case !utf8.ValidString(name):
		return fmt.Errorf("%s name is not UTF-8: %w", what, ErrInvalid)
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return fmt.Errorf("%s name %q has control characters: %w", what, name, ErrInvalid)
	}
	return nil
}

// ValidateSchema returns an error wrapping ErrInvalid if s cannot be
// stored: no type, text that is not UTF-8, a reference without a name or
// subject, or with a version below 1.
func ValidateSchema(s Schema) error {
	if s.Type == "" {
		return fmt.Errorf("schema without a type: %w", ErrInvalid)
	}
	if !utf8.ValidString(s.Text) {
		return fmt.Errorf("schema text is not UTF-8: %w", ErrInvalid)
	}
	for i, r := range s.References {
		if r.Name == "" {
			return fmt.Errorf("reference %d has no name: %w", i, ErrInvalid)
		}
		if err := ValidateName("subject", r.Subject); err != nil {
			return fmt.Errorf("reference %q: %w", r.Name, err)
		}
		if r.Version < 1 {
			return fmt.Errorf("reference %q: version %d: %w", r.Name, r.Version, ErrInvalid)
		}
	}
	return nil
}
