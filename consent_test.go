package provision

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

const (
	unspecified = provisionv1.Agreement_AGREEMENT_UNSPECIFIED
	none        = provisionv1.Agreement_AGREEMENT_NONE
	eula        = provisionv1.Agreement_AGREEMENT_EULA
	activation  = provisionv1.Agreement_AGREEMENT_ACTIVATION_CODE
	ksnStandard = provisionv1.Agreement_AGREEMENT_KSN_STANDARD
	ksnExtended = provisionv1.Agreement_AGREEMENT_KSN_EXTENDED
)

// allAgreements lists every value of the enum plus numbers that are not
// values, to probe Grants and Implies with.
var allAgreements = []provisionv1.Agreement{unspecified, none, eula, activation, ksnStandard, ksnExtended, 6, 63, 64, -1, 1 << 30}

func TestNewConsent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		give    []provisionv1.Agreement
		want    []provisionv1.Agreement
		wantErr error
	}{
		{name: "empty", give: nil, want: []provisionv1.Agreement{}},
		{name: "none adds nothing", give: []provisionv1.Agreement{none}, want: []provisionv1.Agreement{}},
		{name: "eula", give: []provisionv1.Agreement{eula}, want: []provisionv1.Agreement{eula}},
		{name: "activation implies eula", give: []provisionv1.Agreement{activation}, want: []provisionv1.Agreement{eula, activation}},
		{name: "standard implies eula", give: []provisionv1.Agreement{ksnStandard}, want: []provisionv1.Agreement{eula, ksnStandard}},
		{name: "extended implies standard and eula", give: []provisionv1.Agreement{ksnExtended}, want: []provisionv1.Agreement{eula, ksnStandard, ksnExtended}},
		{name: "union, order and repeats do not matter", give: []provisionv1.Agreement{ksnExtended, activation, ksnExtended, none}, want: []provisionv1.Agreement{eula, activation, ksnStandard, ksnExtended}},
		{name: "unspecified refused", give: []provisionv1.Agreement{eula, unspecified}, wantErr: ErrInvalidAgreement},
		{name: "undefined refused", give: []provisionv1.Agreement{6}, wantErr: ErrInvalidAgreement},
		{name: "negative refused", give: []provisionv1.Agreement{-1}, wantErr: ErrInvalidAgreement},
		{name: "beyond the bitset refused", give: []provisionv1.Agreement{64}, wantErr: ErrInvalidAgreement},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewConsent(tt.give...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("NewConsent(%v) error = %v, want %v", tt.give, err, tt.wantErr)
			}
			if err != nil {
				if c != (Consent{}) {
					t.Errorf("NewConsent(%v) = %v with an error, want the empty consent", tt.give, c)
				}
				return
			}
			if diff := cmp.Diff(tt.want, c.Agreements()); diff != "" {
				t.Errorf("NewConsent(%v).Agreements() mismatch (-want +got):\n%s", tt.give, diff)
			}
		})
	}
}

// TestConsentGrants checks the closure read from options.proto against the
// implications written there, value by value.
func TestConsentGrants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		holds provisionv1.Agreement
		want  []provisionv1.Agreement // granted, among allAgreements
	}{
		{holds: none, want: nil},
		{holds: eula, want: []provisionv1.Agreement{eula}},
		{holds: activation, want: []provisionv1.Agreement{eula, activation}},
		{holds: ksnStandard, want: []provisionv1.Agreement{eula, ksnStandard}},
		{holds: ksnExtended, want: []provisionv1.Agreement{eula, ksnStandard, ksnExtended}},
	}
	for _, tt := range tests {
		t.Run(tt.holds.String(), func(t *testing.T) {
			t.Parallel()
			c, err := NewConsent(tt.holds)
			if err != nil {
				t.Fatal(err)
			}
			var got []provisionv1.Agreement
			for _, a := range allAgreements {
				if c.Grants(a) {
					got = append(got, a)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("consent holding %v grants (-want +got):\n%s", tt.holds, diff)
			}
		})
	}
}

func TestZeroConsentGrantsNothing(t *testing.T) {
	t.Parallel()
	var c Consent
	for _, a := range allAgreements {
		if c.Grants(a) {
			t.Errorf("zero Consent grants %v", a)
		}
	}
}

func TestImplies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b provisionv1.Agreement
		want bool
	}{
		{a: none, b: none, want: true},
		{a: eula, b: eula, want: true},
		{a: ksnExtended, b: eula, want: true},
		{a: ksnExtended, b: ksnStandard, want: true},
		{a: ksnStandard, b: ksnExtended, want: false},
		{a: activation, b: ksnStandard, want: false},
		{a: eula, b: activation, want: false},
		{a: ksnExtended, b: none, want: false},
		{a: unspecified, b: unspecified, want: false},
		{a: 6, b: 6, want: false},
		{a: -1, b: eula, want: false},
		{a: eula, b: 64, want: false},
	}
	for _, tt := range tests {
		if got := Implies(tt.a, tt.b); got != tt.want {
			t.Errorf("Implies(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestCloseImplications(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		direct map[int][]int
		want   map[int][]int // number → reachable numbers, sorted
	}{
		{
			name:   "chain",
			direct: map[int][]int{1: {2}, 2: {3}, 3: nil},
			want:   map[int][]int{1: {1, 2, 3}, 2: {2, 3}, 3: {3}},
		},
		{
			name:   "cycle",
			direct: map[int][]int{1: {2}, 2: {1}, 3: {1}},
			want:   map[int][]int{1: {1, 2}, 2: {1, 2}, 3: {1, 2, 3}},
		},
		{
			name:   "unknown and out-of-range targets ignored",
			direct: map[int][]int{1: {5, 64, -3, 0}, 2: {1}},
			want:   map[int][]int{1: {1}, 2: {1, 2}},
		},
		{
			name:   "diamond",
			direct: map[int][]int{4: {2, 3}, 2: {1}, 3: {1}, 1: nil},
			want:   map[int][]int{1: {1}, 2: {1, 2}, 3: {1, 3}, 4: {1, 2, 3, 4}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			closure := closeImplications(tt.direct)
			got := map[int][]int{}
			for n, set := range closure {
				for m := range maxAgreements {
					if set&(1<<m) != 0 {
						got[n] = append(got[n], m)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("closeImplications mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAgreementNumbersFitBitset fails when the vocabulary grows a value
// Consent cannot hold; NewConsent would refuse it.
func TestAgreementNumbersFitBitset(t *testing.T) {
	t.Parallel()
	values := provisionv1.Agreement(0).Descriptor().Values()
	for i := range values.Len() {
		if n := values.Get(i).Number(); n < 0 || n >= maxAgreements {
			t.Errorf("Agreement value %s = %d does not fit the %d-bit Consent", values.Get(i).Name(), n, maxAgreements)
		}
	}
	if values.ByNumber(protoreflect.EnumNumber(ksnExtended)) == nil {
		t.Fatal("test constants out of date with the vocabulary")
	}
}

func TestConsentString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give []provisionv1.Agreement
		want string
	}{
		{give: nil, want: "[]"},
		{give: []provisionv1.Agreement{eula}, want: "[AGREEMENT_EULA]"},
		{give: []provisionv1.Agreement{ksnExtended}, want: "[AGREEMENT_EULA AGREEMENT_KSN_STANDARD AGREEMENT_KSN_EXTENDED]"},
	}
	for _, tt := range tests {
		c, err := NewConsent(tt.give...)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.String(); got != tt.want {
			t.Errorf("NewConsent(%v).String() = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestConsentGrantsDoesNotAllocate(t *testing.T) {
	c, err := NewConsent(ksnExtended)
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		for _, a := range allAgreements {
			_ = c.Grants(a)
		}
	})
	if allocs != 0 {
		t.Errorf("Grants allocates %v times per run, want 0", allocs)
	}
}

func FuzzNewConsent(f *testing.F) {
	f.Add([]byte{5})
	f.Add([]byte{1, 3})
	f.Add([]byte{0})
	f.Add([]byte{2, 4, 200})
	f.Fuzz(func(t *testing.T, data []byte) {
		give := make([]provisionv1.Agreement, len(data))
		for i, b := range data {
			give[i] = provisionv1.Agreement(int8(b)) // negatives too
		}
		c, err := NewConsent(give...)
		if err != nil {
			if !errors.Is(err, ErrInvalidAgreement) {
				t.Fatalf("NewConsent(%v) error %v does not wrap ErrInvalidAgreement", give, err)
			}
			return
		}
		got := c.Agreements()
		if !slices.IsSorted(got) {
			t.Errorf("Agreements() = %v, not sorted", got)
		}
		for b := provisionv1.Agreement(-2); b < 70; b++ {
			want := b != none && slices.ContainsFunc(give, func(a provisionv1.Agreement) bool { return Implies(a, b) })
			if c.Grants(b) != want {
				t.Errorf("NewConsent(%v).Grants(%v) = %v, want %v", give, b, !want, want)
			}
			if c.Grants(b) != slices.Contains(got, b) {
				t.Errorf("Grants(%v) disagrees with Agreements() = %v", b, got)
			}
		}
	})
}

func BenchmarkConsentGrants(b *testing.B) {
	c, err := NewConsent(ksnStandard)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if !c.Grants(eula) || c.Grants(ksnExtended) {
			b.Fatal("wrong grant")
		}
	}
}

func BenchmarkNewConsent(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewConsent(ksnExtended, activation); err != nil {
			b.Fatal(err)
		}
	}
}
