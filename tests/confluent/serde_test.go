// Package confluent tests the registry with Confluent's own Go serializer
// (github.com/confluentinc/confluent-kafka-go/v2 schemaregistry/serde/protobuf),
// which needs cgo and old dependencies: it is a module of its own, so the
// main module stays pure Go. .ci/run runs it.
package confluent

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bufbuild/protocompile"
	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry"
	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry/serde"
	"github.com/confluentinc/confluent-kafka-go/v2/schemaregistry/serde/protobuf"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"

	_ "github.com/provisionhq/provision/gen/go/kaspersky/ksvla/v1"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protosrc"
	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/sqlite"
)

const root = "../.."

// start serves the registry on a fresh SQLite store with the catalog
// pushed, and returns a Confluent client with a write key.
func start(t *testing.T) (*model.Catalog, schemaregistry.Client) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := api.New(api.Options{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	key, err := auth.Create(ctx, st, "test", "ci", store.ScopeWrite, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := protosrc.CompileCatalog(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	image, err := proto.Marshal(c.Set)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/provision/v1/catalogs/kaspersky/versions", strings.NewReader(string(image)))
	req.Header.Set("Authorization", "Bearer "+key)
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Fatalf("push: %d %s", w.Code, w.Body)
	}
	cat, err := model.FromImage(image)
	if err != nil {
		t.Fatal(err)
	}
	client, err := schemaregistry.NewClient(schemaregistry.NewConfigWithBasicAuthentication(hs.URL, "ci", key))
	if err != nil {
		t.Fatal(err)
	}
	return cat, client
}

// example returns the scenario message with every top-level field that
// has an example set to it.
func example(t *testing.T, s *model.Scenario, mt protoreflect.MessageType) proto.Message {
	t.Helper()
	obj := map[string]json.RawMessage{}
	for _, f := range s.Fields {
		if f.Item.GetExample() == "" {
			continue
		}
		v, err := model.ExampleJSON(f.Desc, f.Item.GetExample())
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		obj[f.Desc.JSONName()] = json.RawMessage(v)
	}
	data, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	m := mt.New().Interface()
	if err := protojson.Unmarshal(data, m); err != nil {
		t.Fatalf("%s: %v", s.ID, err)
	}
	return m
}

// TestSerde serializes every Light Agent scenario message with the
// Confluent serializer against the registry (auto-registration on, with
// the references to buf/validate/validate.proto and
// provision/v1/options.proto it registers itself), deserializes it and
// compares.
func TestSerde(t *testing.T) {
	cat, client := start(t)
	ser, err := protobuf.NewSerializer(client, serde.ValueSerde, protobuf.NewSerializerConfig())
	if err != nil {
		t.Fatal(err)
	}
	deser, err := protobuf.NewDeserializer(client, serde.ValueSerde, protobuf.NewDeserializerConfig())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range cat.Products {
		if p.ID != "ksvla" {
			continue
		}
		for _, s := range p.Scenarios {
			mt, err := protoregistry.GlobalTypes.FindMessageByName(s.Message.FullName())
			if err != nil {
				t.Fatal(err)
			}
			msg := example(t, s, mt)
			topic := "ksvla-" + strings.ReplaceAll(s.ID, ".", "-")
			payload, err := ser.Serialize(topic, msg)
			if err != nil {
				t.Fatalf("%s: serialize: %v", s.ID, err)
			}
			got := mt.New().Interface()
			if err := deser.DeserializeInto(topic, payload, got); err != nil {
				t.Fatalf("%s: deserialize: %v", s.ID, err)
			}
			if !proto.Equal(msg, got) {
				t.Fatalf("%s: got %v, want %v", s.ID, got, msg)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no Light Agent scenario")
	}
	// The serializer registered the imports as subjects of their own and
	// referenced them.
	subjects, err := client.GetAllSubjects()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"buf/validate/validate.proto", "provision/v1/options.proto", "ksvla-ksvla-update-value"} {
		if !slices.Contains(subjects, want) {
			t.Errorf("subjects %v lack %s", subjects, want)
		}
	}
	latest, err := client.GetLatestSchemaMetadata("ksvla-ksvla-update-value")
	if err != nil || len(latest.References) != 2 {
		t.Errorf("the update scenario's references: %+v, %v", latest.References, err)
	}
	t.Logf("%d scenario messages serialized and deserialized", n)
}

// TestSerdePrivacy registers through the serializer a change of the
// update scenario that weakens a redaction: refused with 409 (40901)
// naming the rule; accepted once acknowledged.
func TestSerdePrivacy(t *testing.T) {
	_, client := start(t)
	text, err := os.ReadFile(filepath.Join(root, "proto/kaspersky/ksvla/v1/update.proto"))
	if err != nil {
		t.Fatal(err)
	}
	serialize := func(src string) error {
		md := compile(t, src).Messages().ByName("UpdateRequest")
		msg := dynamicpb.NewMessage(md)
		msg.Set(md.Fields().ByName("application_id"), protoreflect.ValueOfString("KSVLA-6.2"))
		ser, err := protobuf.NewSerializer(client, serde.ValueSerde, protobuf.NewSerializerConfig())
		if err != nil {
			t.Fatal(err)
		}
		_, err = ser.Serialize("ksvla-update", msg)
		return err
	}
	if err := serialize(string(text)); err != nil {
		t.Fatalf("the update scenario as it is: %v", err)
	}
	weaker := strings.Replace(string(text), `hmac: {key_id: "installation"}`, `keep: {}`, 1)
	err = serialize(weaker)
	if err == nil || !strings.Contains(err.Error(), "40901") && !strings.Contains(err.Error(), "REDACTION_WEAKENED") {
		t.Fatalf("a weaker redaction through the serializer = %v; want 409 naming REDACTION_WEAKENED", err)
	}
	t.Logf("refused: %v", err)
	acked := strings.Replace(weaker, `example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"`,
		`example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
      acknowledged: {rule: "REDACTION_WEAKENED" reason: "Deduplication needs it."}`, 1)
	// An acknowledgement rests on a review of its scenario since the
	// version compared with (ACKNOWLEDGEMENT_UNREVIEWED otherwise).
	acked = strings.Replace(acked, "    reviews: {\n", fmt.Sprintf("    reviews: {reference: \"confluent-test\" date: %q reviewer: \"provision catalog maintainers\" scope: \"Test fixture: the change acknowledged.\"}\n    reviews: {\n", time.Now().UTC().Format(time.DateOnly)), 1)
	if err := serialize(acked); err != nil {
		t.Fatalf("the acknowledged change: %v", err)
	}
}

// compile compiles src as the update scenario's file with the catalog's
// import paths.
func compile(t *testing.T, src string) protoreflect.FileDescriptor {
	t.Helper()
	const path = "kaspersky/ksvla/v1/update.proto"
	c := protocompile.Compiler{Resolver: protocompile.WithStandardImports(protocompile.CompositeResolver{
		&protocompile.SourceResolver{Accessor: protocompile.SourceAccessorFromMap(map[string]string{path: src})},
		&protocompile.SourceResolver{ImportPaths: []string{filepath.Join(root, "vocabulary"), filepath.Join(root, "third_party/protovalidate")}},
	})}
	files, err := c.Compile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return files[0]
}
