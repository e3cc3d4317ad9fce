package diff_test

import (
	"testing"

	"google.golang.org/protobuf/encoding/prototext"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/diff"
)

func redaction(t *testing.T, text string) *provisionv1.Redaction {
	t.Helper()
	r := &provisionv1.Redaction{}
	if err := prototext.Unmarshal([]byte(text), r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRedactionWords(t *testing.T) {
	t.Parallel()
	tests := []struct{ r, want string }{
		{`keep: {}`, "as it is"},
		{`hmac: {key_id: "k"}`, "as a keyed hash that cannot be read back (HMAC-SHA256)"},
		{`ip_truncate: {}`, "with only its network part (IPv4 /24, IPv6 /48)"},
		{`url_sanitize: {drop_query: true}`, "without user names, passwords and fragment, and without its query"},
		{`generalize_version: {keep_components: 1}`, "as its first component only"},
		{`bucket: {bounds: [0, 10.5]}`, "rounded down to one of 0, 10.5"},
	}
	for _, tt := range tests {
		if got := diff.RedactionWords(redaction(t, tt.r)); got != tt.want {
			t.Errorf("RedactionWords(%s) = %q, want %q", tt.r, got, tt.want)
		}
	}
}

// TestRedactionWordsEveryStrategy checks that every strategy has its own
// words.
func TestRedactionWordsEveryStrategy(t *testing.T) {
	t.Parallel()
	od := (&provisionv1.Redaction{}).ProtoReflect().Descriptor().Oneofs().ByName("strategy")
	seen := map[string]string{}
	for i := range od.Fields().Len() {
		fd := od.Fields().Get(i)
		r := &provisionv1.Redaction{}
		r.ProtoReflect().Set(fd, r.ProtoReflect().NewField(fd))
		got := diff.RedactionWords(r)
		if got == diff.RedactionWords(nil) {
			t.Errorf("RedactionWords(%s) = %q, the words for no strategy", fd.Name(), got)
		}
		if other, ok := seen[got]; ok {
			t.Errorf("RedactionWords(%s) = RedactionWords(%s) = %q", fd.Name(), other, got)
		}
		seen[got] = string(fd.Name())
	}
}
