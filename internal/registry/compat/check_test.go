package compat

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/reflect/protoreflect"
)

func TestParseLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Level
		wantErr bool
	}{
		{in: "NONE", want: None},
		{in: "BACKWARD", want: Backward},
		{in: "BACKWARD_TRANSITIVE", want: BackwardTransitive},
		{in: "FORWARD", want: Forward},
		{in: "FORWARD_TRANSITIVE", want: ForwardTransitive},
		{in: "FULL", want: Full},
		{in: "FULL_TRANSITIVE", want: FullTransitive},
		{in: "backward", want: Backward},
		{in: " Full_Transitive ", want: FullTransitive},
		{in: "BACKWARD_RESERVED", want: Backward.RequireReserved()},
		{in: "FULL_TRANSITIVE_RESERVED", want: FullTransitive.RequireReserved()},
		{in: "none_reserved", want: None.RequireReserved()},
		{in: "", wantErr: true},
		{in: "_RESERVED", wantErr: true},
		{in: "TRANSITIVE", wantErr: true},
		{in: "BACKWARD_RESERVED_RESERVED", wantErr: true},
		{in: "WIRE", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseLevel(tt.in)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidLevel) {
					t.Fatalf("ParseLevel(%q) = %v, %v; want ErrInvalidLevel", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseLevel(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestLevelStringRoundTrips(t *testing.T) {
	t.Parallel()
	want := []string{
		"NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE",
		"NONE_RESERVED", "BACKWARD_RESERVED", "BACKWARD_TRANSITIVE_RESERVED", "FORWARD_RESERVED",
		"FORWARD_TRANSITIVE_RESERVED", "FULL_RESERVED", "FULL_TRANSITIVE_RESERVED",
	}
	var got []string
	for _, l := range Levels() {
		got = append(got, l.String())
		back, err := ParseLevel(l.String())
		if err != nil || back != l {
			t.Errorf("ParseLevel(%q) = %v, %v; want %v", l, back, err, l)
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Levels (-want +got):\n%s", d)
	}
	if Default != Backward {
		t.Errorf("Default = %v, want BACKWARD", Default)
	}
	for _, bad := range []Level{4, 12, 16, 255} {
		if bad.Valid() {
			t.Errorf("Level(%d) is valid", bad)
		}
		if got := bad.String(); got[:7] != "INVALID" {
			t.Errorf("Level(%d).String() = %q", bad, got)
		}
	}
}

func TestCheckErrors(t *testing.T) {
	t.Parallel()
	fd := compile(t, "message M {}", nil)
	tests := []struct {
		name      string
		level     Level
		candidate protoreflect.FileDescriptor
		previous  []protoreflect.FileDescriptor
		want      error
	}{
		{"invalid level", Level(4), fd, []protoreflect.FileDescriptor{fd}, ErrInvalidLevel},
		{"nil candidate", Backward, nil, []protoreflect.FileDescriptor{fd}, ErrNilFile},
		{"nil previous", Backward, fd, []protoreflect.FileDescriptor{fd, nil}, ErrNilFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			diffs, err := Check(tt.level, tt.candidate, tt.previous)
			if !errors.Is(err, tt.want) || diffs != nil {
				t.Fatalf("Check = %v, %v; want %v", diffs, err, tt.want)
			}
			if Compatible(tt.level, tt.candidate, tt.previous) {
				t.Fatal("Compatible = true on an error")
			}
		})
	}
	if diffs, err := Check(FullTransitive, fd, nil); err != nil || diffs != nil {
		t.Errorf("Check with no previous version = %v, %v", diffs, err)
	}
}

// versions are three versions of one schema: v2 removes field y of v1 and
// reserves its number, v3 gives number 2 back to a field of another kind
// and drops the reservation; v3 also adds a oneof member.
var versions = []string{
	"message M { int32 x = 1; string y = 2; oneof o { int32 a = 3; } }",
	"message M { int32 x = 1; reserved 2; oneof o { int32 a = 3; } }",
	"message M { int32 x = 1; double z = 2; oneof o { int32 a = 3; string b = 4; } }",
}

func TestTransitive(t *testing.T) {
	t.Parallel()
	var prev []protoreflect.FileDescriptor
	for _, src := range versions[:2] {
		prev = append(prev, compile(t, src, nil))
	}
	cand := compile(t, versions[2], nil)
	type found struct {
		Rule      Rule
		Direction Direction
		Previous  int
		Path      string
	}
	scalar := func(dir Direction) found { return found{RuleFieldScalarKindChanged, dir, 0, "t.M.z"} }
	oneof := func(i int) found { return found{RuleOneofFieldRemoved, ReadByPrevious, i, "t.M.b"} }
	tests := []struct {
		level Level
		want  []found
	}{
		{None, nil},
		{Backward, nil},
		{Forward, []found{oneof(1)}},
		{Full, []found{oneof(1)}},
		{BackwardTransitive, []found{scalar(ReadsPrevious)}},
		{ForwardTransitive, []found{oneof(1), scalar(ReadByPrevious), oneof(0)}},
		{FullTransitive, []found{oneof(1), scalar(ReadsPrevious), scalar(ReadByPrevious), oneof(0)}},
		{Backward.RequireReserved(), nil},
		{BackwardTransitive.RequireReserved(), []found{scalar(ReadsPrevious)}},
		{None.RequireReserved(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			t.Parallel()
			diffs, err := Check(tt.level, cand, prev)
			if err != nil {
				t.Fatal(err)
			}
			var got []found
			for _, d := range diffs {
				got = append(got, found{d.Rule, d.Direction, d.Previous, d.Path})
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestRequireReserved(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		old, new string
		want     []Difference
	}{
		{
			name: "field removed without reserving its number",
			old:  "message M { int32 x = 1; string y = 2; }",
			new:  "message M { int32 x = 1; }",
			want: []Difference{{
				Rule: RuleFieldNumberNotReserved, Direction: History, File: mainFile, Path: "t.M.y",
				Message: "field y (2) of the old schema is missing from message M of the new one, which does not reserve its number",
			}},
		},
		{
			name: "field removed, number reserved",
			old:  "message M { int32 x = 1; string y = 2; }",
			new:  "message M { int32 x = 1; reserved 2; }",
		},
		{
			name: "field removed, name reserved only",
			old:  "message M { int32 x = 1; string y = 2; }",
			new:  "message M { int32 x = 1; reserved \"y\"; }",
			want: []Difference{{
				Rule: RuleFieldNumberNotReserved, Direction: History, File: mainFile, Path: "t.M.y",
				Message: "field y (2) of the old schema is missing from message M of the new one, which does not reserve its number",
			}},
		},
		{
			name: "field renumbered within a reserved range",
			old:  "message M { message N { int32 x = 7; } }",
			new:  "message M { message N { int32 x = 11; reserved 5 to 10; } }",
		},
		{
			name: "oneof member removed in a nested message",
			old:  "message M { message N { oneof o { int32 a = 1; int32 b = 2; } } }",
			new:  "message M { message N { oneof o { int32 a = 1; } } }",
			want: []Difference{{
				Rule: RuleFieldNumberNotReserved, Direction: History, File: mainFile, Path: "t.M.N.b",
				Message: "field b (2) of the old schema is missing from message M.N of the new one, which does not reserve its number",
			}},
		},
		{
			name: "enum value removed",
			old:  "enum E { E_ZERO = 0; E_ONE = 1; } message M { enum F { F_ZERO = 0; F_ONE = 1; } }",
			new:  "enum E { E_ZERO = 0; reserved 1; } message M { enum F { F_ZERO = 0; } }",
			want: []Difference{{
				Rule: RuleEnumValueNumberNotReserved, Direction: History, File: mainFile, Path: "t.M.F_ONE",
				Message: "value F_ONE (1) of the old schema is missing from enum M.F of the new one, which does not reserve its number",
			}},
		},
		{
			name: "enum value renamed, number kept",
			old:  "enum E { E_ZERO = 0; E_ONE = 1; }",
			new:  "enum E { E_ZERO = 0; E_UNO = 1; }",
		},
		{
			name: "message removed: MESSAGE_REMOVED says it",
			old:  "message M { int32 x = 1; } message N { int32 y = 1; }",
			new:  "message M { int32 x = 1; }",
		},
		{
			name: "map field removed",
			old:  "message M { map<string, int32> x = 1; reserved 2; }",
			new:  "message M { reserved 1, 2; }",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			oldFD, newFD := compile(t, tt.old, nil), compile(t, tt.new, nil)
			// The rule compares history: every direction gives the same.
			for _, level := range []Level{None, Backward, Forward, Full} {
				diffs, err := Check(level.RequireReserved(), newFD, []protoreflect.FileDescriptor{oldFD})
				if err != nil {
					t.Fatal(err)
				}
				var got []Difference
				for _, d := range diffs {
					if d.Direction == History {
						got = append(got, d)
					}
				}
				if d := cmp.Diff(tt.want, got); d != "" {
					t.Errorf("%v (-want +got):\n%s", level.RequireReserved(), d)
				}
				plain, _ := Check(level, newFD, []protoreflect.FileDescriptor{oldFD})
				if len(plain)+len(tt.want) != len(diffs) {
					t.Errorf("%v adds %d differences to %v, want %d", level.RequireReserved(), len(diffs)-len(plain), level, len(tt.want))
				}
			}
		})
	}
}

// TestDifferenceDetails pins what a difference says: where, in which
// direction, and in which words.
func TestDifferenceDetails(t *testing.T) {
	t.Parallel()
	deps := map[string]string{"dep.proto": "syntax = \"proto3\"; package d; message N { int32 x = 1; }"}
	newDeps := map[string]string{"dep.proto": "syntax = \"proto3\"; package d; message N { fixed32 x = 1; }"}
	oldFD := compile(t, "import \"dep.proto\"; message M { d.N n = 1; oneof o { int32 a = 2; int32 b = 3; } }", deps)
	newFD := compile(t, "syntax = \"proto3\"; package u; import \"dep.proto\"; message M { d.N n = 1; oneof o { int32 a = 2; } }", newDeps)
	diffs, err := Check(Full, newFD, []protoreflect.FileDescriptor{oldFD})
	if err != nil {
		t.Fatal(err)
	}
	want := []Difference{
		{RulePackageChanged, ReadsPrevious, 0, mainFile, "u", "package t of the old schema differs from package u of the new schema"},
		{RuleFieldScalarKindChanged, ReadsPrevious, 0, "dep.proto", "d.N.x", "field x (1) is int32 in the old schema and fixed32 in the new schema, which are not wire-compatible"},
		{RuleFieldNamedTypeChanged, ReadsPrevious, 0, mainFile, "u.M.n", "field n (1) has type N, declared in dep.proto in the old schema and in dep.proto in the new schema, whose definitions are not compatible"},
		{RuleOneofFieldRemoved, ReadsPrevious, 0, mainFile, "t.M.b", "field b (3) of oneof o in the old schema is missing from the new schema, where the oneof remains"},
		{RulePackageChanged, ReadByPrevious, 0, mainFile, "u", "package u of the new schema differs from package t of the old schema"},
		{RuleFieldScalarKindChanged, ReadByPrevious, 0, "dep.proto", "d.N.x", "field x (1) is fixed32 in the new schema and int32 in the old schema, which are not wire-compatible"},
		{RuleFieldNamedTypeChanged, ReadByPrevious, 0, mainFile, "u.M.n", "field n (1) has type N, declared in dep.proto in the new schema and in dep.proto in the old schema, whose definitions are not compatible"},
	}
	if d := cmp.Diff(want, diffs); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if got, want := diffs[0].String(), "BACKWARD PACKAGE_CHANGED u: package t of the old schema differs from package u of the new schema"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestRulesSpecs(t *testing.T) {
	t.Parallel()
	seen := map[Rule]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		seen[r.ID] = true
		for _, c := range r.ID {
			if (c < 'A' || c > 'Z') && c != '_' {
				t.Errorf("rule %s is not UPPER_SNAKE", r.ID)
				break
			}
		}
		if len(r.Purpose) < 12 || r.Purpose[:12] != "Checks that " || r.Purpose[len(r.Purpose)-1] != '.' {
			t.Errorf("rule %s: purpose %q is not one sentence beginning \"Checks that\"", r.ID, r.Purpose)
		}
	}
	// Every rule a table test expects is listed, and every listed rule is
	// expected by a table test.
	tested := map[Rule]bool{RuleFieldNumberNotReserved: true, RuleEnumValueNumberNotReserved: true}
	for _, c := range ruleCases {
		for _, r := range append(append([]Rule(nil), c.backward...), c.forward...) {
			tested[r] = true
		}
	}
	for r := range tested {
		if !seen[r] {
			t.Errorf("rule %s is tested but not listed by Rules", r)
		}
	}
	for r := range seen {
		if !tested[r] {
			t.Errorf("rule %s has no table test", r)
		}
	}
}
