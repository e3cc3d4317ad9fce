package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/dynamicpb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/frame"
)

// acmeCaptures writes captures of the first scenario of the Acme catalog
// that has a required item kept as it is, sent under every agreement of
// its product: clean/ holds its payload filled from the examples and
// redacted as the product sends it, unknown/ the same with a property no
// message declares (a violation), missing/ without the required item (a
// warning). It returns the scenario's message, the clean payload and
// every agreement of its product joined by commas.
func acmeCaptures(t *testing.T, dir string, c *model.Catalog) (msg string, clean []byte, consent string) {
	t.Helper()
	for _, s := range c.Scenarios() {
		var required *model.Field
		p := s.Product
		levels := p.ConsentLevels()
		full := levels[len(levels)-1]
		m := dynamicpb.NewMessage(s.Message)
		for _, f := range s.Fields {
			rules, err := protovalidate.ResolveFieldRules(f.Desc)
			r, sent := f.Under(full)
			if err == nil && rules.GetRequired() && sent && impl.StrategyKindOf(r) == impl.StrategyKeep && required == nil && len(f.Children) == 0 {
				required = f
			}
			if len(f.Children) > 0 || f.Item.GetExample() == "" || (f.Desc.ContainingOneof() != nil && m.WhichOneof(f.Desc.ContainingOneof()) != nil) {
				continue
			}
			ex, err := model.ExampleMessage(f.Desc, f.Item.GetExample())
			if err != nil {
				t.Fatal(err)
			}
			m.Set(f.Desc, ex.Get(f.Desc))
		}
		if required == nil || impl.Validate(m, full) != nil {
			continue
		}
		keys := map[string][]byte{}
		s.Walk(func(f *model.Field) bool {
			for _, r := range append([]*provisionv1.Redaction{f.Redaction()}, redactionsUnder(f)...) {
				if h := r.GetHmac(); h != nil {
					keys[h.GetKeyId()] = bytes.Repeat([]byte{'k'}, impl.MinKeySize)
				}
			}
			return true
		})
		kp, err := impl.NewStaticKeys(keys)
		if err != nil {
			t.Fatal(err)
		}
		if err := impl.Redact(m, full, kp); err != nil {
			t.Fatal(err)
		}
		clean, err = protojson.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(clean, &doc); err != nil {
			t.Fatal(err)
		}
		msg = string(s.Message.FullName())
		write := func(sub string, doc map[string]any) {
			data, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, sub, msg+".1.json"), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("clean", doc)
		doc["notAField"] = 1
		write("unknown", doc)
		delete(doc, "notAField")
		delete(doc, required.Desc.JSONName())
		write("missing", doc)
		return msg, clean, strings.Join(p.Agreements.IDs(), ",")
	}
	t.Fatal("no scenario of the Acme catalog has a required item kept as it is")
	return "", nil, ""
}

func redactionsUnder(f *model.Field) []*provisionv1.Redaction {
	var out []*provisionv1.Redaction
	for _, u := range f.Item.GetRedactionUnder() {
		out = append(out, u.GetRedaction())
	}
	return out
}

// TestLiveCheck runs live-check on captures of the Acme catalog: the exit
// code for a clean capture, a violation, a warning under each -fail-on,
// NDJSON on stdin, an unreadable record, and command lines with a typo.
func TestLiveCheck(t *testing.T) {
	t.Parallel()
	image, c := acmeImage(t)
	dir := t.TempDir()
	msg, clean, consent := acmeCaptures(t, dir, c)
	ndjson := `{"message": "` + msg + `", "payload": ` + string(clean) + "}\n"
	for _, tc := range []struct {
		name     string
		args     []string
		stdin    string
		wantCode int
		// want are strings the output (stdout, then stderr) must hold.
		want []string
	}{
		{name: "clean", args: []string{"-consent", consent, filepath.Join(dir, "clean")}, wantCode: exitOK, want: []string{"0 violations, 0 warnings"}},
		{name: "unknown field", args: []string{"-consent", consent, filepath.Join(dir, "unknown")}, wantCode: exitFailed, want: []string{"violation FIELD_UNKNOWN notAField:"}},
		{name: "json", args: []string{"-consent", consent, "-format", "json", filepath.Join(dir, "unknown")}, wantCode: exitFailed, want: []string{`"rule": "FIELD_UNKNOWN"`, `"level": "violation"`}},
		{name: "markdown", args: []string{"-consent", consent, "-format", "markdown", filepath.Join(dir, "unknown")}, wantCode: exitFailed, want: []string{"# provision live-check", "| violation | `FIELD_UNKNOWN` |"}},
		{name: "warning under fail-on violation", args: []string{"-consent", consent, filepath.Join(dir, "missing")}, wantCode: exitOK, want: []string{"warning VALUE_RULE"}},
		{name: "warning under fail-on warning", args: []string{"-consent", consent, "-fail-on", "warning", filepath.Join(dir, "missing")}, wantCode: exitFailed, want: []string{"warning VALUE_RULE"}},
		{name: "stdin", args: []string{"-consent", consent}, stdin: ndjson, wantCode: exitOK, want: []string{"1 records: 0 violations"}},
		{name: "stdin dash", args: []string{"-consent", consent, "-"}, stdin: ndjson, wantCode: exitOK, want: []string{"1 records: 0 violations"}},
		{name: "unreadable record", args: []string{"-consent", consent, "-"}, stdin: ndjson + "{\"message\": 1}\n", wantCode: exitUsage, want: []string{"provision: live-check: -:2: "}},
		{name: "missing file", args: []string{"-consent", consent, filepath.Join(dir, "nope.json")}, wantCode: exitUsage, want: []string{"nope.json"}},
		{name: "no consent", args: []string{filepath.Join(dir, "clean")}, wantCode: exitUsage, want: []string{"-consent is required"}},
		{name: "consent typo", args: []string{"-consent", consent + "X", filepath.Join(dir, "clean")}, wantCode: exitUsage, want: []string{"invalid consent", "declares"}},
		{name: "flag typo", args: []string{"-consnet", consent, filepath.Join(dir, "clean")}, wantCode: exitUsage, want: []string{"consnet"}},
		{name: "fail-on info", args: []string{"-consent", consent, "-fail-on", "info"}, wantCode: exitUsage, want: []string{"-fail-on"}},
		{name: "format", args: []string{"-consent", consent, "-format", "yaml"}, wantCode: exitUsage, want: []string{"-format"}},
		{name: "expiry by version not judged", args: []string{"-consent", consent, "-today", "2999-01-01", filepath.Join(dir, "clean")}, wantCode: exitOK,
			want: []string{"info EXPIRY_NOT_JUDGED", "expires with product version", "0 violations"}},
		{name: "today typo", args: []string{"-consent", consent, "-today", "2027-02-30", filepath.Join(dir, "clean")}, wantCode: exitUsage, want: []string{`-today "2027-02-30": want a day, YYYY-MM-DD`}},
		{name: "registry URL", args: []string{"-consent", consent, "-registry", "localhost:8081"}, wantCode: exitUsage, want: []string{"-registry"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			args := append([]string{"-image", image}, tc.args...)
			code := liveCheck(t.Context(), args, strings.NewReader(tc.stdin), &stdout, &stderr)
			out := stdout.String() + stderr.String()
			if code != tc.wantCode {
				t.Fatalf("live-check %v = %d, want %d\n%s", tc.args, code, tc.wantCode, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestLiveCheckRegistry checks Confluent frames resolved through a real
// registry: the Acme catalog pushed to `registry serve`, a payload of
// each scenario framed for its subject's schema ID as Confluent's
// serializers frame it, in a capture file whose name gives no message.
// A frame of an ID the registry does not have is an input error (2).
func TestLiveCheckRegistry(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	image, c := acmeImage(t)
	dir := t.TempDir()
	sctx, stop := context.WithCancel(ctx)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	o := serveOptions{listen: "127.0.0.1:0", store: "sqlite:" + filepath.Join(dir, "r.db"), maxBody: api.DefaultMaxBodyBytes, requestTimeout: 30 * time.Second,
		shutdownTimeout: 5 * time.Second, readHeaderTimeout: time.Second, readTimeout: time.Minute, write: time.Minute, insecureNoAuth: true}
	go func() { done <- serve(sctx, o, slog.New(slog.DiscardHandler), ready) }()
	base := "http://" + <-ready
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"registry", "push", "-registry", base, "-catalog", "acme", "-image", image}, &out, &errb); code != exitOK {
		t.Fatalf("push: %d %s %s", code, out.String(), errb.String())
	}
	msg, clean, consent := acmeCaptures(t, dir, c)
	var sc *model.Scenario
	for _, s := range c.Scenarios() {
		if string(s.Message.FullName()) == msg {
			sc = s
		}
	}
	resp, err := http.Get(base + "/subjects/acme." + sc.ID + "/versions/latest")
	if err != nil {
		t.Fatal(err)
	}
	var latest struct {
		ID int64 `json:"id"`
	}
	err = json.NewDecoder(resp.Body).Decode(&latest)
	resp.Body.Close()
	if err != nil || latest.ID == 0 {
		t.Fatalf("subject acme.%s: %v %+v", sc.ID, err, latest)
	}
	m := dynamicpb.NewMessage(sc.Message)
	if err := protojson.Unmarshal(clean, m); err != nil {
		t.Fatal(err)
	}
	bin, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	// The registry's file of a scenario subject holds the scenario's message.
	indexes := []int{sc.Message.Index()}
	frames := filepath.Join(dir, "frames")
	if err := os.MkdirAll(frames, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(frames, "topic-0-offset-0.frame"), append(frame.Append(nil, latest.ID, indexes), bin...), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := new(bytes.Buffer), new(bytes.Buffer)
	code := liveCheck(ctx, []string{"-image", image, "-registry", base, "-consent", consent, frames}, strings.NewReader(""), stdout, stderr)
	if code != exitOK || !strings.Contains(stdout.String(), "1 records: 0 violations, 0 warnings") {
		t.Fatalf("live-check of a frame: %d\n%s%s", code, stdout, stderr)
	}
	if err := os.WriteFile(filepath.Join(frames, "topic-0-offset-1.frame"), append(frame.Append(nil, latest.ID+1000, indexes), bin...), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	code = liveCheck(ctx, []string{"-image", image, "-registry", base, "-consent", consent, frames}, strings.NewReader(""), stdout, stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "topic-0-offset-1.frame: ") || !strings.Contains(stderr.String(), "404") {
		t.Fatalf("live-check of a frame of an unknown ID: %d\n%s%s", code, stdout, stderr)
	}
}
