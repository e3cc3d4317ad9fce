package impl

import (
	"errors"
	"strings"
	"testing"
)

func TestVersionGeneralizer(t *testing.T) {
	t.Parallel()
	runStringCases(t, []stringCase{
		{name: "two of four", f: VersionGeneralizer{keep: 2}.Generalize, give: "11.2.0.4528", want: "11.2"},
		{name: "one", f: VersionGeneralizer{keep: 1}.Generalize, give: "11.2.0.4528", want: "11"},
		{name: "all", f: VersionGeneralizer{keep: 4}.Generalize, give: "11.2.0.4528", want: "11.2.0.4528"},
		{name: "more than there are", f: VersionGeneralizer{keep: 8}.Generalize, give: "5.1", want: "5.1"},
		{name: "single component", f: VersionGeneralizer{keep: 2}.Generalize, give: "2024", want: "2024"},
		{name: "letters and marks", f: VersionGeneralizer{keep: 2}.Generalize, give: "1.0-beta+3.7_x", want: "1.0-beta+3"},
		{name: "empty", f: VersionGeneralizer{keep: 2}.Generalize, give: "", wantErr: ErrInvalidVersion},
		{name: "empty component", f: VersionGeneralizer{keep: 1}.Generalize, give: "1..2", wantErr: ErrInvalidVersion},
		{name: "leading dot", f: VersionGeneralizer{keep: 1}.Generalize, give: ".1", wantErr: ErrInvalidVersion},
		{name: "trailing dot", f: VersionGeneralizer{keep: 1}.Generalize, give: "1.2.", wantErr: ErrInvalidVersion},
		{name: "only a dot", f: VersionGeneralizer{keep: 1}.Generalize, give: ".", wantErr: ErrInvalidVersion},
		{name: "space", f: VersionGeneralizer{keep: 1}.Generalize, give: "1.2 ", wantErr: ErrInvalidVersion},
		{name: "malformed beyond the kept part", f: VersionGeneralizer{keep: 1}.Generalize, give: "1.2/3", wantErr: ErrInvalidVersion},
		{name: "non-ASCII", f: VersionGeneralizer{keep: 1}.Generalize, give: "1.２", wantErr: ErrInvalidVersion},
		{name: "zero generalizer", f: VersionGeneralizer{keep: 0}.Generalize, give: "1.2", wantErr: ErrInvalidParameter},
	})
}

func TestNewVersionGeneralizer(t *testing.T) {
	t.Parallel()
	for _, keep := range []int{0, -1} {
		if _, err := NewVersionGeneralizer(keep); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("NewVersionGeneralizer(%d) error = %v, want ErrInvalidParameter", keep, err)
		}
	}
	g, err := NewVersionGeneralizer(3)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := g.Generalize("1.2.3.4"); got != "1.2.3" {
		t.Errorf("NewVersionGeneralizer(3).Generalize(1.2.3.4) = %q, want 1.2.3", got)
	}
}

func TestVersionGeneralizerDoesNotAllocate(t *testing.T) {
	g, err := NewVersionGeneralizer(2)
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = g.Generalize("11.2.0.4528") }); n != 0 {
		t.Errorf("Generalize allocates %v times, want 0", n)
	}
}

func FuzzVersionGeneralizer(f *testing.F) {
	f.Add("11.2.0.4528", uint8(2))
	f.Add("1..2", uint8(1))
	f.Add("", uint8(1))
	f.Add("a.b-c+d_e", uint8(3))
	f.Fuzz(func(t *testing.T, v string, keep uint8) {
		g, err := NewVersionGeneralizer(int(keep))
		if err != nil {
			if keep != 0 {
				t.Fatalf("NewVersionGeneralizer(%d) error = %v", keep, err)
			}
			return
		}
		got, err := g.Generalize(v)
		parts := strings.Split(v, ".")
		valid := true
		for _, p := range parts {
			valid = valid && p != "" && strings.Trim(p, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_+") == ""
		}
		if !valid {
			checkFailedClosed(t, v, got, err, ErrInvalidVersion)
			return
		}
		if err != nil {
			t.Fatalf("Generalize(%q) error = %v", v, err)
		}
		want := strings.Join(parts[:min(len(parts), int(keep))], ".")
		if got != want {
			t.Fatalf("Generalize(%q) with %d = %q, want %q", v, keep, got, want)
		}
	})
}

func BenchmarkVersionGeneralizerGeneralize(b *testing.B) {
	benchTransform(b, must(NewVersionGeneralizer(2)).Generalize, "11.2.0.4528")
}
