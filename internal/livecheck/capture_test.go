package livecheck_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/livecheck"
)

func TestMessageOfName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		msg    protoreflect.FullName
		format livecheck.Format
		err    bool
	}{
		{name: "acme.notes.v1.SyncRequest.json", msg: "acme.notes.v1.SyncRequest", format: livecheck.FormatJSON},
		{name: "dir/acme.notes.v1.SyncRequest.17.json", msg: "acme.notes.v1.SyncRequest", format: livecheck.FormatJSON},
		{name: "acme.notes.v1.SyncRequest.2b-x.binpb", msg: "acme.notes.v1.SyncRequest", format: livecheck.FormatBinary},
		{name: "acme.notes.v1.SyncRequest.frame", msg: "acme.notes.v1.SyncRequest", format: livecheck.FormatFrame},
		{name: "topic-0-offset-12.frame", msg: "", format: livecheck.FormatFrame},
		{name: "anything.ndjson", msg: "", format: livecheck.FormatJSON},
		{name: "not a name.json", err: true},
		{name: "acme.notes.v1.SyncRequest.txt", err: true},
		{name: "acme.notes.v1.SyncRequest", err: true},
		{name: ".json", err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			msg, format, err := livecheck.MessageOfName(tc.name)
			if tc.err {
				if err == nil {
					t.Fatalf("MessageOfName(%q) = %q, %v; want an error", tc.name, msg, format)
				}
				return
			}
			if err != nil || msg != tc.msg || format != tc.format {
				t.Fatalf("MessageOfName(%q) = %q, %v, %v; want %q, %v", tc.name, msg, format, err, tc.msg, tc.format)
			}
		})
	}
}

// TestReadNDJSON reads every form of record and refuses, by line, every
// malformed one, going on after it.
func TestReadNDJSON(t *testing.T) {
	t.Parallel()
	in := strings.Join([]string{
		`{"message": "a.B", "payload": {"x": 1}}`,
		``,
		`{"message": "a.B", "binary": "CAE="}`,
		`{"frame": "AAAAAAEACAE="}`,
		`{"message": "a.B", "frame": "AAAAAAEACAE="}`,
		`not json`,
		`{"message": "a.B"}`,
		`{"message": "a.B", "payload": {}, "binary": "CAE="}`,
		`{"payload": {}}`,
		`{"message": "not a name", "payload": {}}`,
		`{"message": "a.B", "payload": null}`,
		`{"message": "a.B", "payload": {}, "extra": 1}`,
		`{"message": "a.B", "payload": {}} {}`,
	}, "\n")
	type rec struct {
		Line    int
		Message protoreflect.FullName
		Format  livecheck.Format
		Data    string
	}
	var got []rec
	var bad []int
	livecheck.ReadNDJSON(strings.NewReader(in), "-", func(r livecheck.Record) {
		got = append(got, rec{r.Line, r.Message, r.Format, string(r.Data)})
	}, func(e *livecheck.InputError) {
		if e.Source != "-" || !strings.HasPrefix(e.Error(), "-:") {
			t.Errorf("input error %v does not name its source", e)
		}
		bad = append(bad, e.Record)
	})
	want := []rec{
		{1, "a.B", livecheck.FormatJSON, `{"x": 1}`},
		{3, "a.B", livecheck.FormatBinary, "\x08\x01"},
		{4, "", livecheck.FormatFrame, "\x00\x00\x00\x00\x01\x00\x08\x01"},
		{5, "a.B", livecheck.FormatFrame, "\x00\x00\x00\x00\x01\x00\x08\x01"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{6, 7, 8, 9, 10, 11, 12, 13}, bad); diff != "" {
		t.Errorf("lines refused (-want +got):\n%s", diff)
	}
}

// TestWalk reads a capture directory: files by the naming convention,
// NDJSON files, hidden files skipped, a file of another name refused.
func TestWalk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"a.B.json":         `{}`,
		"sub/a.B.2.binpb":  "\x08\x01",
		"sub/x.ndjson":     `{"message": "a.B", "payload": {}}` + "\n" + `{"message": "a.B", "payload": {}}`,
		".hidden/c.D.json": `{}`,
		".gitkeep":         ``,
		"notes.txt":        `what`,
		"1bad.json":        `{}`,
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got, bad []string
	livecheck.Walk([]string{dir, filepath.Join(dir, "missing.json")}, nil, func(r livecheck.Record) {
		rel, _ := filepath.Rel(dir, r.Source)
		got = append(got, rel+":"+string(r.Message))
	}, func(e *livecheck.InputError) {
		rel, _ := filepath.Rel(dir, e.Source)
		bad = append(bad, rel)
	})
	if diff := cmp.Diff([]string{"a.B.json:a.B", "sub/a.B.2.binpb:a.B", "sub/x.ndjson:a.B", "sub/x.ndjson:a.B"}, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1bad.json", "notes.txt", "missing.json"}, bad); diff != "" {
		t.Errorf("refused (-want +got):\n%s", diff)
	}
}

// FuzzCapture: no input makes the capture readers or the checker panic;
// every input they refuse is an InputError naming its source.
func FuzzCapture(f *testing.F) {
	f.Add([]byte(`{"message": "acme.notes.v1.SyncRequest", "payload": {"deviceId": "x"}}`), uint8(0))
	f.Add([]byte(`{"frame": "AAAAAAEACAE="}`), uint8(0))
	f.Add([]byte{0, 0, 0, 0, 1, 0, 0x0a, 1, 'x'}, uint8(2))
	f.Add([]byte{0x0a, 0x03, 'a', 'b', 'c', 0xf8, 0x7f, 1}, uint8(1))
	f.Add([]byte(`{"deviceId": 1, "clientIp": "203.0.113.7", "x": [1]}`), uint8(3))
	cat := loadCatalogs(f)["acme"]
	var msg protoreflect.FullName
	for _, s := range cat.Scenarios() {
		msg = s.Message.FullName()
		break
	}
	consents, err := livecheck.ParseConsent(cat, "NONE")
	if err != nil {
		f.Fatal(err)
	}
	var checkers []*livecheck.Checker
	for _, c := range []livecheck.Consents{consents, allOf(f, cat)} {
		ch, err := livecheck.New(cat, c)
		if err != nil {
			f.Fatal(err)
		}
		checkers = append(checkers, ch)
	}
	f.Fuzz(func(t *testing.T, data []byte, form uint8) {
		for _, ch := range checkers {
			check := func(r livecheck.Record) {
				if _, err := ch.Check(context.Background(), r); err != nil {
					var ie *livecheck.InputError
					if !errors.As(err, &ie) || ie.Source != r.Source {
						t.Fatalf("error %v is not an input error naming %s", err, r.Source)
					}
				}
			}
			switch form % 4 {
			case 0:
				livecheck.ReadNDJSON(strings.NewReader(string(data)), "-", check, func(*livecheck.InputError) {})
			case 1:
				check(livecheck.Record{Source: "f.binpb", Message: msg, Format: livecheck.FormatBinary, Data: data})
			case 2:
				check(livecheck.Record{Source: "f.frame", Message: msg, Format: livecheck.FormatFrame, Data: data})
			default:
				check(livecheck.Record{Source: "f.json", Message: msg, Format: livecheck.FormatJSON, Data: data})
			}
		}
	})
}
