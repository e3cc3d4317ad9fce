package impl

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNewBuckets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		give    []float64
		wantErr error
	}{
		{name: "one bound", give: []float64{0}},
		{name: "increasing", give: []float64{-1.5, 0, 10, 1e300}},
		{name: "none", give: nil, wantErr: ErrInvalidParameter},
		{name: "equal", give: []float64{1, 1}, wantErr: ErrInvalidParameter},
		{name: "decreasing", give: []float64{2, 1}, wantErr: ErrInvalidParameter},
		{name: "signed zeros are equal", give: []float64{math.Copysign(0, -1), 0}, wantErr: ErrInvalidParameter},
		{name: "NaN", give: []float64{0, math.NaN()}, wantErr: ErrInvalidParameter},
		{name: "NaN first", give: []float64{math.NaN(), 1}, wantErr: ErrInvalidParameter},
		{name: "infinity", give: []float64{0, math.Inf(1)}, wantErr: ErrInvalidParameter},
		{name: "minus infinity", give: []float64{math.Inf(-1), 0}, wantErr: ErrInvalidParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := NewBuckets(tt.give...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("NewBuckets(%v) error = %v, want %v", tt.give, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.give, b.Bounds()); diff != "" {
				t.Errorf("Bounds() mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := NewBuckets[int32](5, 3); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("NewBuckets[int32](5, 3) error = %v, want ErrInvalidParameter", err)
	}
}

func TestBucketsFloat64(t *testing.T) {
	t.Parallel()
	bounds := []float64{0, 1, 10, 100}
	b, err := NewBuckets(bounds...)
	if err != nil {
		t.Fatal(err)
	}
	bounds[0] = 5 // NewBuckets copied them
	tests := []struct {
		give    float64
		want    float64
		wantErr error
	}{
		{give: 0, want: 0},
		{give: 0.5, want: 0},
		{give: 1, want: 1},
		{give: 9.999, want: 1},
		{give: 10, want: 10},
		{give: 99, want: 10},
		{give: 100, want: 100},
		{give: 1e308, want: 100},
		{give: -3, want: 0},
		{give: math.Copysign(0, -1), want: 0},
		{give: math.Inf(1), want: 100},
		{give: math.Inf(-1), want: 0},
		{give: math.NaN(), wantErr: ErrInvalidNumber},
	}
	for _, tt := range tests {
		got, err := b.Bucket(tt.give)
		if !errors.Is(err, tt.wantErr) || got != tt.want {
			t.Errorf("Bucket(%v) = %v, %v; want %v, %v", tt.give, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestBucketsInt64(t *testing.T) {
	t.Parallel()
	b, err := NewBuckets[int64](1, 10, 100, 1000)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ give, want int64 }{
		{give: math.MinInt64, want: 1},
		{give: 0, want: 1},
		{give: 1, want: 1},
		{give: 9, want: 1},
		{give: 10, want: 10},
		{give: 999, want: 100},
		{give: 1000, want: 1000},
		{give: math.MaxInt64, want: 1000},
	}
	for _, tt := range tests {
		if got, err := b.Bucket(tt.give); err != nil || got != tt.want {
			t.Errorf("Bucket(%d) = %d, %v; want %d", tt.give, got, err, tt.want)
		}
	}
}

func TestBucketsZeroValue(t *testing.T) {
	t.Parallel()
	var b Buckets[uint32]
	if _, err := b.Bucket(7); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("zero Buckets: Bucket error = %v, want ErrInvalidParameter", err)
	}
}

// checkBucket fails unless got is the right bucket of v among bounds.
func checkBucket[T Number](t *testing.T, bounds []T, v, got T) {
	t.Helper()
	if !slices.Contains(bounds, got) {
		t.Fatalf("Bucket(%v) = %v, not a bound of %v", v, got, bounds)
	}
	if v < bounds[0] {
		if got != bounds[0] {
			t.Fatalf("Bucket(%v) = %v, want the first bound %v", v, got, bounds[0])
		}
		return
	}
	if got > v {
		t.Fatalf("Bucket(%v) = %v, above the value", v, got)
	}
	for _, bound := range bounds {
		if bound > got && bound <= v {
			t.Fatalf("Bucket(%v) = %v, but bound %v is closer", v, got, bound)
		}
	}
}

func FuzzBucketsFloat64(f *testing.F) {
	f.Add(5.0, 0.0, 1.0, 10.0)
	f.Add(math.NaN(), 0.0, 1.0, 2.0)
	f.Add(-1.0, math.Inf(-1), 0.0, 1.0)
	f.Fuzz(func(t *testing.T, v, b0, b1, b2 float64) {
		bounds := []float64{b0, b1, b2}
		b, err := NewBuckets(bounds...)
		if err != nil {
			if !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("NewBuckets(%v) error = %v", bounds, err)
			}
			if !slices.ContainsFunc(bounds, func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }) && b0 < b1 && b1 < b2 {
				t.Fatalf("NewBuckets(%v) refused valid bounds: %v", bounds, err)
			}
			return
		}
		got, err := b.Bucket(v)
		if math.IsNaN(v) {
			if !errors.Is(err, ErrInvalidNumber) {
				t.Fatalf("Bucket(NaN) error = %v, want ErrInvalidNumber", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Bucket(%v) error = %v", v, err)
		}
		checkBucket(t, bounds, v, got)
	})
}

func FuzzBucketsInt64(f *testing.F) {
	f.Add(int64(5), int64(0), int64(1), int64(10))
	f.Add(int64(math.MinInt64), int64(math.MinInt64), int64(0), int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, v, b0, b1, b2 int64) {
		bounds := []int64{b0, b1, b2}
		b, err := NewBuckets(bounds...)
		if (err != nil) != !(b0 < b1 && b1 < b2) {
			t.Fatalf("NewBuckets(%v) error = %v", bounds, err)
		}
		if err != nil {
			return
		}
		got, err := b.Bucket(v)
		if err != nil {
			t.Fatalf("Bucket(%d) error = %v", v, err)
		}
		checkBucket(t, bounds, v, got)
	})
}

func BenchmarkBucketsFloat64(b *testing.B) {
	benchTransform(b, must(NewBuckets[float64](0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)).Bucket, 137.5)
}

func BenchmarkBucketsInt64(b *testing.B) {
	benchTransform(b, must(NewBuckets[int64](0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)).Bucket, 137)
}
