package livecheck_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/livecheck"
	"github.com/provisionhq/provision/internal/registry/frame"
	"github.com/provisionhq/provision/internal/registry/protoprint"
)

// fakeRegistry serves GET /schemas/ids/{id} as a Confluent registry does:
// schema 1 is the file of the given scenario message, printed as
// serializers register it; 2 an Avro schema; others 404. It expects the
// token as a Bearer token.
func fakeRegistry(t *testing.T, md protoreflect.MessageDescriptor, token string) *httptest.Server {
	t.Helper()
	src, err := protoprint.Print(md.ParentFile())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"error_code":40101,"message":"Unauthorized"}`, http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/schemas/ids/1":
			_ = json.NewEncoder(w).Encode(map[string]any{"schemaType": "PROTOBUF", "schema": src})
		case "/schemas/ids/2":
			_ = json.NewEncoder(w).Encode(map[string]any{"schema": `{"type": "string"}`})
		default:
			http.Error(w, `{"error_code":40403,"message":"Schema not found"}`, http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestRegistryResolves checks Confluent frames of a scenario through a
// registry: with message indexes as Confluent's serializers write them
// and without (kafkajs), each resolved to the scenario's message; a
// frame of an unknown ID, of an Avro schema, or naming a message that is
// not there is an input error.
func TestRegistryResolves(t *testing.T) {
	t.Parallel()
	cat := loadCatalogs(t)["acme"]
	s := cat.Scenarios()[0]
	md := s.Message
	index := md.Index()
	if md.Parent() != md.ParentFile() {
		t.Fatalf("%s is not a top-level message", md.FullName())
	}
	srv := fakeRegistry(t, md, "k3y")
	reg, err := livecheck.NewRegistry(srv.URL, "k3y", srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	ch, err := livecheck.New(cat, allOf(t, cat), livecheck.WithResolver(reg))
	if err != nil {
		t.Fatal(err)
	}
	m := examplePayload(t, rand.New(rand.NewPCG(1, 2)), s, 1)
	bin, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ok := [][]byte{frame.Append(nil, 1, []int{index})}
	if index == 0 {
		ok = append(ok, frame.Append(nil, 1, nil))
	}
	for _, header := range ok {
		rec := livecheck.Record{Source: "x.frame", Format: livecheck.FormatFrame, Data: append(header, bin...)}
		fs, err := ch.Check(ctx, rec)
		if err != nil {
			t.Fatalf("frame %v: %v", header, err)
		}
		for _, f := range fs {
			if f.Message != string(md.FullName()) {
				t.Fatalf("frame %v resolved to %s, want %s", header, f.Message, md.FullName())
			}
		}
	}
	if cov := ch.Coverage(); cov.Scenarios[0].Payloads != len(ok) {
		t.Fatalf("coverage counts %d payloads of %s, want %d", cov.Scenarios[0].Payloads, s.ID, len(ok))
	}
	for name, data := range map[string][]byte{
		"unknown ID":    append(frame.Append(nil, 3, []int{index}), bin...),
		"Avro":          append(frame.Append(nil, 2, []int{0}), bin...),
		"no such index": append(frame.Append(nil, 1, []int{md.ParentFile().Messages().Len()}), bin...),
		"not a frame":   append([]byte{1}, bin...),
	} {
		_, err := ch.Check(ctx, livecheck.Record{Source: "x.frame", Format: livecheck.FormatFrame, Data: data})
		if err == nil || !strings.HasPrefix(err.Error(), "x.frame: ") {
			t.Errorf("%s: %v, want an input error naming x.frame", name, err)
		}
	}
	bad, err := livecheck.NewRegistry(srv.URL, "wrong", srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Resolve(ctx, 1, nil); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("a wrong key: %v, want the registry's 401", err)
	}
	for _, u := range []string{"", "ftp://x", "localhost:8081", "http://"} {
		if _, err := livecheck.NewRegistry(u, "", nil); err == nil {
			t.Errorf("NewRegistry(%q) accepted", u)
		}
	}
}
