package impl

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The agreements of a fictional product, declared here so that the
// runtime's tests do not follow any catalog: a licence, an activation
// that implies it, and a cloud service in two modes.
const (
	license    = "LICENSE"
	activation = "ACTIVATION"
	cloudStd   = "CLOUD_STANDARD"
	cloudExt   = "CLOUD_EXTENDED"
)

var testDecls = []AgreementDecl{
	{ID: license},
	{ID: activation, Implies: []string{license}},
	{ID: cloudStd, Implies: []string{license}},
	{ID: cloudExt, Implies: []string{cloudStd}},
}

// testAgreements are the fictional product's agreements.
var testAgreements = MustAgreements("example.product.v1", testDecls...)

// probes are IDs to ask Grants and Implies about: every declared one, the
// reserved NONE and IDs nobody declares.
var probes = []string{license, activation, cloudStd, cloudExt, AgreementNone, "", "license", "UNKNOWN"}

func mustConsent(t testing.TB, ids ...string) Consent {
	t.Helper()
	c, err := testAgreements.Consent(ids...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewAgreements(t *testing.T) {
	t.Parallel()
	many := make([]AgreementDecl, MaxAgreements+1)
	for i := range many {
		many[i] = AgreementDecl{ID: fmt.Sprintf("A%d", i)}
	}
	tests := []struct {
		name    string
		decls   []AgreementDecl
		wantErr string // substring; "" for success
	}{
		{name: "none declared", decls: nil},
		{name: "chain", decls: testDecls},
		{name: "diamond", decls: []AgreementDecl{{ID: "A"}, {ID: "B", Implies: []string{"A"}}, {ID: "C", Implies: []string{"A"}}, {ID: "D", Implies: []string{"B", "C"}}}},
		{name: "implication declared later", decls: []AgreementDecl{{ID: "B", Implies: []string{"A"}}, {ID: "A"}}},
		{name: "as many as a consent holds", decls: many[:MaxAgreements]},
		{name: "too many", decls: many, wantErr: "at most 64"},
		{name: "lower case", decls: []AgreementDecl{{ID: "eula"}}, wantErr: "upper snake case"},
		{name: "empty ID", decls: []AgreementDecl{{ID: ""}}, wantErr: "upper snake case"},
		{name: "reserved NONE", decls: []AgreementDecl{{ID: "NONE"}}, wantErr: "reserved"},
		{name: "declared twice", decls: []AgreementDecl{{ID: "A"}, {ID: "A"}}, wantErr: "declared twice"},
		{name: "implies undeclared", decls: []AgreementDecl{{ID: "A", Implies: []string{"B"}}}, wantErr: `implies undeclared agreement "B"`},
		{name: "self cycle is harmless", decls: []AgreementDecl{{ID: "A", Implies: []string{"A"}}}},
		{name: "cycle", decls: []AgreementDecl{{ID: "A", Implies: []string{"B"}}, {ID: "B", Implies: []string{"C"}}, {ID: "C", Implies: []string{"A"}}}, wantErr: "imply each other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := NewAgreements("example.v1", tt.decls...)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("NewAgreements: %v", err)
				}
				if got := a.IDs(); len(got) != len(tt.decls) {
					t.Errorf("IDs() = %v, want %d", got, len(tt.decls))
				}
				return
			}
			if err == nil || !errors.Is(err, ErrInvalidAgreement) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewAgreements error = %v, want ErrInvalidAgreement with %q", err, tt.wantErr)
			}
		})
	}
}

func TestAgreementsConsent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		give    []string
		want    []string
		wantErr error
	}{
		{name: "empty", give: nil, want: []string{}},
		{name: "NONE adds nothing", give: []string{AgreementNone}, want: []string{}},
		{name: "licence", give: []string{license}, want: []string{license}},
		{name: "activation implies licence", give: []string{activation}, want: []string{license, activation}},
		{name: "extended implies standard and licence", give: []string{cloudExt}, want: []string{license, cloudStd, cloudExt}},
		{name: "union, order and repeats do not matter", give: []string{cloudExt, activation, cloudExt, AgreementNone}, want: []string{license, activation, cloudStd, cloudExt}},
		{name: "undeclared refused", give: []string{license, "UNKNOWN"}, wantErr: ErrInvalidAgreement},
		{name: "case matters", give: []string{"license"}, wantErr: ErrInvalidAgreement},
		{name: "empty ID refused", give: []string{""}, wantErr: ErrInvalidAgreement},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := testAgreements.Consent(tt.give...)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Consent(%v) error = %v, want %v", tt.give, err, tt.wantErr)
			}
			if err != nil {
				if c != (Consent{}) {
					t.Errorf("Consent(%v) = %v with an error, want the zero consent", tt.give, c)
				}
				return
			}
			if diff := cmp.Diff(tt.want, c.Agreements()); diff != "" {
				t.Errorf("Consent(%v).Agreements() mismatch (-want +got):\n%s", tt.give, diff)
			}
			if c.Of() != testAgreements {
				t.Errorf("Consent(%v).Of() is not the agreements it was made from", tt.give)
			}
		})
	}
}

func TestConsentOf(t *testing.T) {
	t.Parallel()
	c, err := ConsentOf(testAgreements, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := mustConsent(t, cloudExt, activation); c != want {
		t.Errorf("ConsentOf(3, 1) = %v, want %v", c, want)
	}
	for _, bad := range []int{-1, 4, 64} {
		if _, err := ConsentOf(testAgreements, bad); !errors.Is(err, ErrInvalidAgreement) {
			t.Errorf("ConsentOf(%d) error = %v, want ErrInvalidAgreement", bad, err)
		}
	}
	var nilSet *Agreements
	if _, err := ConsentOf(nilSet, 0); !errors.Is(err, ErrInvalidAgreement) {
		t.Errorf("nil Agreements: ConsentOf(0) error = %v, want ErrInvalidAgreement", err)
	}
}

func TestConsentGrants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		holds string
		want  []string // granted, among probes
	}{
		{holds: AgreementNone, want: nil},
		{holds: license, want: []string{license}},
		{holds: activation, want: []string{license, activation}},
		{holds: cloudStd, want: []string{license, cloudStd}},
		{holds: cloudExt, want: []string{license, cloudStd, cloudExt}},
	}
	for _, tt := range tests {
		t.Run(tt.holds, func(t *testing.T) {
			t.Parallel()
			c := mustConsent(t, tt.holds)
			var got []string
			for _, a := range probes {
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

// TestConsentOfAnotherProduct checks that a consent grants nothing of
// another product's agreements, even under the same IDs.
func TestConsentOfAnotherProduct(t *testing.T) {
	t.Parallel()
	other := MustAgreements("other.product.v1", testDecls...)
	c, err := other.Consent(cloudExt)
	if err != nil {
		t.Fatal(err)
	}
	for i := range testDecls {
		if Granted(c, testAgreements, i) {
			t.Errorf("a consent of %s grants agreement %d of %s", other.Package(), i, testAgreements.Package())
		}
	}
	if !Granted(c, other, 0) {
		t.Error("a consent does not grant its own product's agreement")
	}
}

func TestZeroConsentGrantsNothing(t *testing.T) {
	t.Parallel()
	var c Consent
	for _, a := range probes {
		if c.Grants(a) {
			t.Errorf("zero Consent grants %v", a)
		}
	}
	for i := range MaxAgreements {
		if Granted(c, nil, i) || Granted(c, testAgreements, i) {
			t.Errorf("zero Consent grants agreement number %d", i)
		}
	}
	if got := c.Agreements(); len(got) != 0 {
		t.Errorf("zero Consent holds %v", got)
	}
	if c.String() != "[]" {
		t.Errorf("zero Consent prints %q", c.String())
	}
}

func TestImplies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{a: license, b: license, want: true},
		{a: cloudExt, b: license, want: true},
		{a: cloudExt, b: cloudStd, want: true},
		{a: cloudStd, b: cloudExt, want: false},
		{a: activation, b: cloudStd, want: false},
		{a: license, b: activation, want: false},
		{a: cloudExt, b: AgreementNone, want: false},
		{a: AgreementNone, b: AgreementNone, want: false},
		{a: "UNKNOWN", b: "UNKNOWN", want: false},
		{a: "", b: license, want: false},
	}
	for _, tt := range tests {
		if got := testAgreements.Implies(tt.a, tt.b); got != tt.want {
			t.Errorf("Implies(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	var nilSet *Agreements
	if nilSet.Implies(license, license) {
		t.Error("nil Agreements implies something")
	}
}

func TestLevels(t *testing.T) {
	t.Parallel()
	var got []string
	for _, c := range testAgreements.Levels() {
		got = append(got, c.String())
	}
	want := []string{
		"[]",
		"[LICENSE]",
		"[LICENSE ACTIVATION]",
		"[LICENSE CLOUD_STANDARD]",
		"[LICENSE ACTIVATION CLOUD_STANDARD]",
		"[LICENSE CLOUD_STANDARD CLOUD_EXTENDED]",
		"[LICENSE ACTIVATION CLOUD_STANDARD CLOUD_EXTENDED]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Levels() mismatch (-want +got):\n%s", diff)
	}
	var nilSet *Agreements
	if got := nilSet.Levels(); len(got) != 1 || got[0] != (Consent{}) {
		t.Errorf("nil Agreements: Levels() = %v, want the zero consent alone", got)
	}
}

func TestConsentString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give []string
		want string
	}{
		{give: nil, want: "[]"},
		{give: []string{license}, want: "[LICENSE]"},
		{give: []string{cloudExt}, want: "[LICENSE CLOUD_STANDARD CLOUD_EXTENDED]"},
	}
	for _, tt := range tests {
		if got := mustConsent(t, tt.give...).String(); got != tt.want {
			t.Errorf("Consent(%v).String() = %q, want %q", tt.give, got, tt.want)
		}
	}
}

func TestConsentGrantsDoesNotAllocate(t *testing.T) {
	c := mustConsent(t, cloudExt)
	allocs := testing.AllocsPerRun(100, func() {
		for _, a := range probes {
			_ = c.Grants(a)
		}
		for i := range 4 {
			_ = Granted(c, testAgreements, i)
		}
	})
	if allocs != 0 {
		t.Errorf("Grants allocates %v times per run, want 0", allocs)
	}
}

func FuzzConsent(f *testing.F) {
	f.Add([]byte{3})
	f.Add([]byte{1, 2})
	f.Add([]byte{4})
	f.Add([]byte{0, 5, 200})
	f.Fuzz(func(t *testing.T, data []byte) {
		give := make([]string, len(data))
		for i, b := range data {
			give[i] = probes[int(b)%len(probes)]
		}
		c, err := testAgreements.Consent(give...)
		if err != nil {
			if !errors.Is(err, ErrInvalidAgreement) {
				t.Fatalf("Consent(%v) error %v does not wrap ErrInvalidAgreement", give, err)
			}
			return
		}
		got := c.Agreements()
		for _, b := range probes {
			want := slices.ContainsFunc(give, func(a string) bool { return testAgreements.Implies(a, b) })
			if c.Grants(b) != want {
				t.Errorf("Consent(%v).Grants(%v) = %v, want %v", give, b, !want, want)
			}
			if c.Grants(b) != slices.Contains(got, b) {
				t.Errorf("Grants(%v) disagrees with Agreements() = %v", b, got)
			}
		}
	})
}

func BenchmarkConsentGrants(b *testing.B) {
	c := mustConsent(b, cloudStd)
	b.ReportAllocs()
	for b.Loop() {
		if !c.Grants(license) || c.Grants(cloudExt) {
			b.Fatal("wrong grant")
		}
	}
}

func BenchmarkConsentGrantsIndex(b *testing.B) {
	c := mustConsent(b, cloudStd)
	b.ReportAllocs()
	for b.Loop() {
		if !Granted(c, testAgreements, 0) || Granted(c, testAgreements, 3) {
			b.Fatal("wrong grant")
		}
	}
}

func BenchmarkConsent(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := testAgreements.Consent(cloudExt, activation); err != nil {
			b.Fatal(err)
		}
	}
}
