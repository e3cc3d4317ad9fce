package suggest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	// The vocabulary's types, whose names Explain looks up.
	_ "github.com/provisionhq/provision/gen/go/provision/v1"
)

func TestNearest(t *testing.T) {
	t.Parallel()
	fields := []string{"label", "category", "identifiability", "purposes", "requires", "redaction", "example"}
	tests := []struct {
		name   string
		want   string
		wantOK bool
	}{
		{"identifiabilty", "identifiability", true},
		{"Identifiability", "identifiability", true},
		{"lable", "label", true},
		{"requries", "requires", true},
		{"redactions", "redaction", true},
		{"colour", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got, ok := Nearest(tt.name, fields); got != tt.want || ok != tt.wantOK {
				t.Errorf("Nearest(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.wantOK)
			}
		})
	}
	if got, ok := Nearest("x", nil); ok || got != "" {
		t.Errorf("Nearest with no candidates = %q, %v", got, ok)
	}
}

func TestDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"identifiabilty", "identifiability", 1}, {"ä", "a", 1}, {"same", "same", 0},
		{"lable", "label", 1}, {"ab", "ba", 1}, {"abc", "ca", 3},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := distance(tt.b, tt.a); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	src := "message M {\n  string a = 1 [(provision.v1.field) = {\n      identifiabilty: IDENTIFIABILITY_ANONYMOUS\n      colour: 1\n  }];\n}\n"
	if err := os.MkdirAll(filepath.Join(root, "proto"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "proto", "m.proto"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, msg, want string
	}{
		{
			name: "buf, a typo",
			msg:  "proto/m.proto:3:7:cannot resolve message field name for `provision.v1.DataItem`",
			want: "proto/m.proto:3:7:cannot resolve message field name for `provision.v1.DataItem`: no field \"identifiabilty\"; did you mean \"identifiability\"?",
		},
		{
			name: "buf, no near name",
			msg:  "proto/m.proto:4:7:cannot resolve message field name for `provision.v1.Redaction.Keep`",
			want: "proto/m.proto:4:7:cannot resolve message field name for `provision.v1.Redaction.Keep`: no field \"colour\" (it has no fields)",
		},
		{
			name: "protocompile, a typo",
			msg:  "load proto: proto/m.proto:3:7: field M.a: option (provision.v1.field): field identifiabilty not found",
			want: "load proto: proto/m.proto:3:7: field M.a: option (provision.v1.field): field identifiabilty not found; did you mean \"identifiability\"?",
		},
		{
			name: "protocompile, a typo in a message the option holds",
			msg:  "m.proto:3:7: field M.a: option (provision.v1.field): field key_idd not found",
			want: "m.proto:3:7: field M.a: option (provision.v1.field): field key_idd not found; did you mean \"key_id\"?",
		},
		{
			name: "several lines, one explained",
			msg:  "build image: exit status 100\nproto/m.proto:3:7:cannot resolve message field name for `provision.v1.DataItem`\nother",
			want: "build image: exit status 100\nproto/m.proto:3:7:cannot resolve message field name for `provision.v1.DataItem`: no field \"identifiabilty\"; did you mean \"identifiability\"?\nother",
		},
		{
			name: "buf, a misspelled option",
			msg:  "proto/m.proto:2:18:cannot find `provision.v1.feild` in this scope",
			want: "proto/m.proto:2:18:cannot find `provision.v1.feild` in this scope; did you mean `provision.v1.field`?",
		},
		{
			name: "protocompile, a misspelled option",
			msg:  "proto/m.proto:2:17: field M.a: unknown extension provision.v1.feild",
			want: "proto/m.proto:2:17: field M.a: unknown extension provision.v1.feild; did you mean provision.v1.field?",
		},
		{name: "an unknown name nothing is near", msg: "m.proto:2:18:cannot find `provision.v1.colour` in this scope", want: "m.proto:2:18:cannot find `provision.v1.colour` in this scope"},
		{name: "an unknown package", msg: "m.proto:2:17: unknown extension no.such.field", want: "m.proto:2:17: unknown extension no.such.field"},
		{name: "unknown message", msg: "proto/m.proto:3:7:cannot resolve message field name for `no.such.Message`", want: "proto/m.proto:3:7:cannot resolve message field name for `no.such.Message`"},
		{name: "missing file", msg: "proto/none.proto:3:7:cannot resolve message field name for `provision.v1.DataItem`", want: "proto/none.proto:3:7:cannot resolve message field name for `provision.v1.DataItem`"},
		{name: "position past the line", msg: "proto/m.proto:3:99:cannot resolve message field name for `provision.v1.DataItem`", want: "proto/m.proto:3:99:cannot resolve message field name for `provision.v1.DataItem`"},
		{name: "unknown option", msg: "m.proto:3:7: option (no.such): field x not found", want: "m.proto:3:7: option (no.such): field x not found"},
		{name: "another error", msg: "m.proto:1:1: syntax error", want: "m.proto:1:1: syntax error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Explain(root, tt.msg); got != tt.want {
				t.Errorf("Explain:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestError(t *testing.T) {
	t.Parallel()
	if Error("", nil) != nil {
		t.Error("Error(nil) is not nil")
	}
	plain := errors.New("m.proto:1:1: syntax error")
	if got := Error("", plain); got != plain {
		t.Errorf("Error of an error it cannot explain = %v, want it unchanged", got)
	}
	typo := errors.New("m.proto:3:7: option (provision.v1.field): field lable not found")
	got := Error("", typo)
	if !errors.Is(got, typo) || got.Error() != typo.Error()+`; did you mean "label"?` {
		t.Errorf("Error = %q (wraps it: %v)", got, errors.Is(got, typo))
	}
}
