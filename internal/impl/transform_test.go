package impl

import (
	"errors"
	"strings"
	"testing"
)

// stringCase is one case of a string transform that fails closed: on error
// it returns "" and an error that does not repeat the input.
type stringCase struct {
	name    string
	f       func(string) (string, error)
	give    string
	want    string
	wantErr error
}

// runStringCases runs each case in parallel.
func runStringCases(t *testing.T, cases []stringCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.f(tc.give)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("(%q) error = %v, want %v", tc.give, err, tc.wantErr)
			}
			if err != nil {
				checkFailedClosed(t, tc.give, got, err, tc.wantErr)
				return
			}
			if got != tc.want {
				t.Errorf("(%q)\n got %q\nwant %q", tc.give, got, tc.want)
			}
		})
	}
}

// checkFailedClosed fails unless a transform that rejected give returned no
// value and an error wrapping want whose message does not repeat give (it
// may be personal data; inputs shorter than 4 bytes are too common to tell).
func checkFailedClosed(t *testing.T, give, got string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("(%q) error %v does not wrap %v", give, err, want)
	}
	if got != "" {
		t.Errorf("(%q) = %q with an error, want no value", give, got)
	}
	if len(give) >= 4 && strings.Contains(err.Error(), give) {
		t.Errorf("(%q) error %q repeats the input", give, err)
	}
}

// benchTransform benchmarks f on one value.
func benchTransform[T, R any](b *testing.B, f func(T) (R, error), v T) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f(v); err != nil {
			b.Fatal(err)
		}
	}
}

// must returns v and panics on err, failing the test: for building
// transforms from constant parameters in tests.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
