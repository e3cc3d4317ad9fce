package impl

import (
	"fmt"
	"math"
	"slices"
)

// Number is the numeric types of protobuf scalar fields, and their
// generated Go types, that Buckets can take.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64
}

// Buckets replaces a number by the lower bound of its range: the Bucket
// redaction strategy. The result is the largest bound not above the value;
// a value below the first bound becomes the first bound. Use Buckets[int64]
// (or the field's integer type) for integer fields and Buckets[float64] for
// floating-point ones. Buckets is immutable and safe for concurrent use.
type Buckets[T Number] struct {
	bounds []T
}

// NewBuckets returns Buckets with the given lower bounds, which must be
// non-empty, strictly increasing and, for floating-point T, finite (no NaN,
// no infinity); otherwise the error wraps ErrInvalidParameter. The bounds
// are copied.
func NewBuckets[T Number](bounds ...T) (*Buckets[T], error) {
	if len(bounds) == 0 {
		return nil, fmt.Errorf("buckets: no bounds: %w", ErrInvalidParameter)
	}
	for i, b := range bounds {
		if f := float64(b); math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("buckets: bound %d is not finite: %w", i, ErrInvalidParameter)
		}
		if i > 0 && !(bounds[i-1] < b) {
			return nil, fmt.Errorf("buckets: bound %d not above bound %d: %w", i, i-1, ErrInvalidParameter)
		}
	}
	return &Buckets[T]{bounds: slices.Clone(bounds)}, nil
}

// Bounds returns a copy of the lower bounds; nil for the zero or a nil
// Buckets.
func (b *Buckets[T]) Bounds() []T {
	if b == nil {
		return nil
	}
	return slices.Clone(b.bounds)
}

// Bucket returns the largest bound not above v, or the first bound when v is
// below it. An infinity goes to the first or the last bound; NaN gives an
// error wrapping ErrInvalidNumber, and the caller drops the value. The
// zero or a nil Buckets has no bounds and gives an error wrapping
// ErrInvalidParameter. Bucket does not allocate.
func (b *Buckets[T]) Bucket(v T) (T, error) {
	out, err := b.bucket(v)
	return out, Prefixed(err)
}

// bucket is Bucket, its error not prefixed.
func (b *Buckets[T]) bucket(v T) (T, error) {
	if b == nil || len(b.bounds) == 0 {
		return 0, fmt.Errorf("bucket: no bounds (use NewBuckets): %w", ErrInvalidParameter)
	}
	if v != v { // NaN; never true for integer types
		return 0, fmt.Errorf("bucket: NaN: %w", ErrInvalidNumber)
	}
	// i is the number of bounds ≤ v.
	i, found := slices.BinarySearch(b.bounds, v)
	if found {
		return b.bounds[i], nil
	}
	if i == 0 {
		return b.bounds[0], nil
	}
	return b.bounds[i-1], nil
}
