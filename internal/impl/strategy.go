package impl

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync/atomic"

	"buf.build/go/protovalidate"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// ErrStrategyMismatch reports a redaction strategy applied to a value of a
// type it does not fit (URL sanitising on a number). The generator and the
// catalog checks refuse such annotations, so it only happens with
// descriptors that bypassed them.
var ErrStrategyMismatch = errors.New("redaction strategy does not fit the value")

// Strategy is one redaction strategy with its parameters, ready to apply:
// what generated code and the reflection engine both call, so that they
// transform values identically. A Strategy is immutable and safe for
// concurrent use.
type Strategy struct {
	kind      StrategyKind
	keyID     string
	ip        IPTruncator
	url       *URLSanitizer
	version   VersionGeneralizer
	ints      *Buckets[int64]
	uints     *Buckets[uint64]
	floats    *Buckets[float64]
	masker    Masker
	laplace   *Laplace
	geometric *Geometric
	// hasher caches the Hasher of the last key provider used, so that
	// hashing does not set the key up again on every call.
	hasher atomic.Pointer[hasherEntry]
}

type hasherEntry struct {
	keys KeyProvider
	h    *Hasher
}

// NewStrategy compiles a redaction annotation. It fails, wrapping
// ErrInvalidParameter, on parameters out of range, and on a missing
// strategy: an item without one is never sent. opts apply to the
// differential-privacy mechanisms (tests use WithRandomSource).
//
// The parameters must pass the vocabulary's own rules (the buf.validate
// rules of options.proto: ε in (0, 10], at most 8 version components, IP
// prefixes up to 32 and 128, a well-formed key ID…), checked here with
// protovalidate: an annotation that reached the runtime without the
// catalog checks, in a descriptor built at run time, is held to the same
// bounds.
func NewStrategy(r *provisionv1.Redaction, opts ...NoiseOption) (*Strategy, error) {
	k := StrategyKindOf(r)
	if k == StrategyNone {
		return nil, fmt.Errorf("redaction: no strategy: %w", ErrInvalidParameter)
	}
	if err := checkVocabularyRules(r); err != nil {
		return nil, fmt.Errorf("redaction %s: %w", k, err)
	}
	s := &Strategy{kind: k}
	if compile := k.def().compile; compile != nil {
		if err := compile(s, r, opts); err != nil {
			return nil, fmt.Errorf("redaction %s: %w", k, err)
		}
	}
	return s, nil
}

// compileBuckets keeps the bounds for each numeric family: integer fields
// use the integer bounds (fractions rounded up, so a bound never admits a
// value below it), floating-point fields the bounds as written.
func (s *Strategy) compileBuckets(bounds []float64) error {
	var err error
	if s.floats, err = NewBuckets(bounds...); err != nil {
		return err
	}
	var ints []int64
	var uints []uint64
	for _, b := range bounds {
		c := math.Ceil(b)
		if c >= -(1<<63) && c < 1<<63 && (len(ints) == 0 || int64(c) > ints[len(ints)-1]) {
			ints = append(ints, int64(c))
		}
		if c >= 0 && c < 1<<64 && (len(uints) == 0 || uint64(c) > uints[len(uints)-1]) {
			uints = append(uints, uint64(c))
		}
	}
	if len(ints) > 0 {
		s.ints, _ = NewBuckets(ints...)
	}
	if len(uints) == 0 {
		uints = []uint64{0}
	}
	s.uints, _ = NewBuckets(uints...)
	return nil
}

// Name returns the strategy's name as the vocabulary spells it: "keep",
// "hmac", "ip_truncate"…; "none" for a nil Strategy.
func (s *Strategy) Name() string { return s.kindOf().Name() }

// Keeps reports whether the strategy sends values unchanged.
func (s *Strategy) Keeps() bool { return s != nil && s.kind == StrategyKeep }

// kindOf is the strategy's kind, StrategyNone for a nil Strategy.
func (s *Strategy) kindOf() StrategyKind {
	if s == nil {
		return StrategyNone
	}
	return s.kind
}

// errNilStrategy is the error of applying a nil Strategy, which no
// annotation compiles to.
func errNilStrategy() error {
	return fmt.Errorf("redaction: no strategy: %w", ErrInvalidParameter)
}

// errNotCompiled is the error of applying a Strategy of kind k whose
// parameters NewStrategy did not set up (a Strategy literal).
func errNotCompiled(k StrategyKind) error {
	return fmt.Errorf("redaction %s: not compiled (use NewStrategy): %w", k, ErrInvalidParameter)
}

// hasherFor returns the Hasher of the strategy's key in keys, from the
// cache when keys is the provider of the last call.
func (s *Strategy) hasherFor(keys KeyProvider) (*Hasher, error) {
	cacheable := comparableProvider(keys)
	if e := s.hasher.Load(); cacheable && e != nil && e.keys == keys {
		return e.h, nil
	}
	h, err := NewHasher(keys, s.keyID)
	if err != nil {
		return nil, err
	}
	if cacheable {
		s.hasher.Store(&hasherEntry{keys: keys, h: h})
	}
	return h, nil
}

// comparableProvider reports whether keys can be compared with == without
// a panic: not only its type but the value it holds, since a comparable
// struct type may hold an interface holding a map. Comparing two values
// that both pass cannot panic. A provider that does not pass is used
// without the cache.
func comparableProvider(keys KeyProvider) bool {
	switch keys.(type) {
	case nil:
		return false
	case *StaticKeys:
		return true
	}
	return reflect.ValueOf(keys).Comparable()
}

// Mismatch returns the error of applying the strategy to a value of the
// named kind it does not fit; the caller clears the field.
func (s *Strategy) Mismatch(kind string) error {
	return fmt.Errorf("%s on a %s value: %w", s.kindOf(), kind, ErrStrategyMismatch)
}

// ApplyString applies the strategy to a string value. keys is used by hmac only.
// An empty string stays empty: there is nothing to send.
func (s *Strategy) ApplyString(keys KeyProvider, v string) (string, error) {
	if s == nil {
		return "", errNilStrategy()
	}
	if v == "" {
		return "", nil
	}
	switch s.kind {
	case StrategyKeep:
		return v, nil
	case StrategyDrop:
		return "", nil
	case StrategyHMAC:
		h, err := s.hasherFor(keys)
		if err != nil {
			return "", err
		}
		return h.hashString(v)
	case StrategyIPTruncate:
		return s.ip.truncateString(v)
	case StrategyURLSanitize:
		return s.url.sanitize(v)
	case StrategyGeneralizeVersion:
		return s.version.generalize(v)
	case StrategyMask:
		return s.masker.Mask(v), nil
	}
	return "", s.Mismatch("string")
}

// ApplyBytes applies the strategy to a bytes value. keys is used by hmac only.
// An empty value stays empty.
func (s *Strategy) ApplyBytes(keys KeyProvider, v []byte) ([]byte, error) {
	if s == nil {
		return nil, errNilStrategy()
	}
	if len(v) == 0 {
		return v, nil
	}
	switch s.kind {
	case StrategyKeep:
		return v, nil
	case StrategyDrop:
		return nil, nil
	case StrategyHMAC:
		h, err := s.hasherFor(keys)
		if err != nil {
			return nil, err
		}
		return h.hashBytes(v)
	case StrategyIPTruncate:
		return s.ip.truncateBytes(v)
	}
	return nil, s.Mismatch("bytes")
}

// ApplyInt64 applies the strategy to a signed integer.
func (s *Strategy) ApplyInt64(v int64) (int64, error) {
	if s == nil {
		return 0, errNilStrategy()
	}
	switch s.kind {
	case StrategyKeep:
		return v, nil
	case StrategyDrop:
		return 0, nil
	case StrategyBucket:
		if s.floats == nil || s.uints == nil {
			return 0, errNotCompiled(s.kind)
		}
		if s.ints == nil || v < s.ints.bounds[0] {
			return int64(math.Ceil(s.floats.bounds[0])), nil
		}
		return s.ints.bucket(v)
	case StrategyDPNoise:
		return s.geometric.addNoise(v)
	}
	return 0, s.Mismatch("integer")
}

// ApplyInt32 applies the strategy to a 32-bit signed integer; noise that leaves
// the range is clamped to it.
func (s *Strategy) ApplyInt32(v int32) (int32, error) {
	out, err := s.ApplyInt64(int64(v))
	return int32(max(math.MinInt32, min(math.MaxInt32, out))), err
}

// ApplyUint64 applies the strategy to an unsigned integer; noise below zero is
// clamped to zero.
func (s *Strategy) ApplyUint64(v uint64) (uint64, error) {
	if s == nil {
		return 0, errNilStrategy()
	}
	switch s.kind {
	case StrategyKeep:
		return v, nil
	case StrategyDrop:
		return 0, nil
	case StrategyBucket:
		return s.uints.bucket(v)
	case StrategyDPNoise:
		n, err := s.geometric.addNoise(int64(min(v, math.MaxInt64)))
		return uint64(max(0, n)), err
	}
	return 0, s.Mismatch("unsigned integer")
}

// ApplyUint32 applies the strategy to a 32-bit unsigned integer, clamping the
// result to its range.
func (s *Strategy) ApplyUint32(v uint32) (uint32, error) {
	out, err := s.ApplyUint64(uint64(v))
	return uint32(min(math.MaxUint32, out)), err
}

// ApplyFloat64 applies the strategy to a floating-point number.
func (s *Strategy) ApplyFloat64(v float64) (float64, error) {
	if s == nil {
		return 0, errNilStrategy()
	}
	switch s.kind {
	case StrategyKeep:
		return v, nil
	case StrategyDrop:
		return 0, nil
	case StrategyBucket:
		return s.floats.bucket(v)
	case StrategyDPNoise:
		return s.laplace.addNoise(v)
	}
	return 0, s.Mismatch("floating-point")
}

// ApplyFloat32 applies the strategy to a 32-bit floating-point number.
func (s *Strategy) ApplyFloat32(v float32) (float32, error) {
	out, err := s.ApplyFloat64(float64(v))
	return float32(out), err
}

// checkVocabularyRules validates r against the buf.validate rules the
// vocabulary declares on it. A violation wraps ErrInvalidParameter and
// names the parameter and the rule, as protovalidate words them.
func checkVocabularyRules(r *provisionv1.Redaction) error {
	v, err := Validator()
	if err != nil {
		return err
	}
	if err := v.Validate(r); err != nil {
		var verr *protovalidate.ValidationError
		if errors.As(err, &verr) {
			var parts []string
			for _, viol := range verr.Violations {
				parts = append(parts, protovalidate.FieldPathString(viol.Proto.GetField())+": "+viol.Proto.GetMessage())
			}
			return fmt.Errorf("parameters outside the vocabulary's rules (%s): %w", strings.Join(parts, "; "), ErrInvalidParameter)
		}
		return fmt.Errorf("parameters: %w", err)
	}
	return nil
}
