package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/sr"

	"github.com/provisionhq/provision/internal/registry/api"
)

const plainV1 = `syntax = "proto3";
package acme.v1;

message Order {
  string id = 1;
  int64 amount = 2;
}
`

const plainV2 = `syntax = "proto3";
package acme.v1;

message Order {
  string id = 1;
  int64 amount = 2;
  string note = 3;
}
`

// incompatible changes the kind of a field out of its wire group.
const plainBad = `syntax = "proto3";
package acme.v1;

message Order {
  string id = 1;
  string amount = 2;
}
`

const importer = `syntax = "proto3";
package acme.v1;

import "acme/v1/order.proto";
import "google/protobuf/timestamp.proto";

message Shipment {
  Order order = 1;
  google.protobuf.Timestamp at = 2;
}
`

func protobuf(text string, refs ...sr.SchemaReference) sr.Schema {
	return sr.Schema{Schema: text, Type: sr.TypeProtobuf, References: refs}
}

// code returns the Confluent error code of err, or 0.
func code(err error) int {
	var re *sr.ResponseError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return 0
}

func TestFranzGo(t *testing.T) {
	for _, backend := range backends(t) {
		t.Run(backend, func(t *testing.T) {
			url, _ := newServer(t, backend, api.Options{NoAuth: true})
			cl := client(t, url)
			ctx := context.Background()

			types, err := cl.SupportedTypes(ctx)
			if err != nil || !slices.Equal(types, []sr.SchemaType{sr.TypeProtobuf}) {
				t.Fatalf("SupportedTypes = %v, %v", types, err)
			}
			// Registration, idempotent re-registration, the same schema in a
			// second subject gets the same ID.
			s1, err := cl.CreateSchema(ctx, "acme/v1/order.proto", protobuf(plainV1))
			if err != nil {
				t.Fatalf("CreateSchema: %v", err)
			}
			if s1.Version != 1 || s1.ID < 1 {
				t.Fatalf("CreateSchema = %+v", s1)
			}
			again, err := cl.RegisterSchema(ctx, "acme/v1/order.proto", protobuf(plainV1), -1, -1)
			if err != nil || again != s1.ID {
				t.Fatalf("re-register = %d, %v; want %d", again, err, s1.ID)
			}
			other, err := cl.CreateSchema(ctx, "orders-value", protobuf(plainV1))
			if err != nil || other.ID != s1.ID {
				t.Fatalf("same schema in another subject = %+v, %v; want ID %d", other, err, s1.ID)
			}
			s2, err := cl.CreateSchema(ctx, "acme/v1/order.proto", protobuf(plainV2))
			if err != nil || s2.Version != 2 || s2.ID == s1.ID {
				t.Fatalf("compatible v2 = %+v, %v", s2, err)
			}
			// An incompatible change is 40901 under BACKWARD.
			if _, err := cl.CreateSchema(ctx, "acme/v1/order.proto", protobuf(plainBad)); code(err) != 40901 {
				t.Fatalf("incompatible = %v; want 40901", err)
			}
			res, err := sr.WithParams(ctx, sr.Verbose), error(nil)
			check, err := cl.CheckCompatibility(res, "acme/v1/order.proto", -1, protobuf(plainBad))
			if err != nil || check.Is || len(check.Messages) == 0 {
				t.Fatalf("CheckCompatibility(bad) = %+v, %v", check, err)
			}
			check, err = cl.CheckCompatibility(ctx, "acme/v1/order.proto", 1, protobuf(plainV2))
			if err != nil || !check.Is {
				t.Fatalf("CheckCompatibility(v2 against 1) = %+v, %v", check, err)
			}
			check, err = cl.CheckCompatibility(ctx, "acme/v1/order.proto", -2, protobuf(plainV2))
			if err != nil || !check.Is {
				t.Fatalf("CheckCompatibility(v2 against all) = %+v, %v", check, err)
			}
			// References, with the subject name escaped, and a well-known type.
			ref := sr.SchemaReference{Name: "acme/v1/order.proto", Subject: "acme/v1/order.proto", Version: 2}
			sh, err := cl.CreateSchema(ctx, "shipments-value", protobuf(importer, ref))
			if err != nil {
				t.Fatalf("CreateSchema with reference: %v", err)
			}
			by, err := cl.SchemaReferences(ctx, "acme/v1/order.proto", 2)
			if err != nil || len(by) != 1 || by[0].ID != sh.ID {
				t.Fatalf("SchemaReferences = %+v, %v", by, err)
			}
			// Reads.
			got, err := cl.SchemaByID(ctx, sh.ID)
			if err != nil || got.Schema != importer || got.Type != sr.TypeProtobuf || len(got.References) != 1 {
				t.Fatalf("SchemaByID = %+v, %v", got, err)
			}
			text, err := cl.SchemaTextByID(ctx, s1.ID)
			if err != nil || !strings.Contains(text, "message Order") {
				t.Fatalf("SchemaTextByID = %q, %v", text, err)
			}
			subjects, err := cl.Subjects(ctx)
			if want := []string{"acme/v1/order.proto", "orders-value", "shipments-value"}; err != nil || !slices.Equal(subjects, want) {
				t.Fatalf("Subjects = %v, %v; want %v", subjects, err, want)
			}
			versions, err := cl.SubjectVersions(ctx, "acme/v1/order.proto")
			if err != nil || !slices.Equal(versions, []int{1, 2}) {
				t.Fatalf("SubjectVersions = %v, %v", versions, err)
			}
			latest, err := cl.SchemaByVersion(ctx, "acme/v1/order.proto", -1)
			if err != nil || latest.Version != 2 || latest.ID != s2.ID {
				t.Fatalf("SchemaByVersion(latest) = %+v, %v", latest, err)
			}
			vtext, err := cl.SchemaTextByVersion(ctx, "acme/v1/order.proto", 1)
			if err != nil || vtext != plainV1 {
				t.Fatalf("SchemaTextByVersion = %q, %v", vtext, err)
			}
			usages, err := cl.SchemaVersionsByID(ctx, s1.ID)
			if err != nil || len(usages) != 2 {
				t.Fatalf("SchemaVersionsByID = %+v, %v", usages, err)
			}
			subs, err := cl.SubjectsByID(ctx, s1.ID)
			if err != nil || len(subs) != 2 {
				t.Fatalf("SubjectsByID = %v, %v", subs, err)
			}
			found, err := cl.LookupSchema(ctx, "acme/v1/order.proto", protobuf(plainV1))
			if err != nil || found.Version != 1 || found.ID != s1.ID {
				t.Fatalf("LookupSchema = %+v, %v", found, err)
			}
			all, err := cl.Schemas(ctx, "acme/v1/order.proto")
			if err != nil || len(all) != 2 {
				t.Fatalf("Schemas = %+v, %v", all, err)
			}

			// Config: global default, subject override, reset.
			if r := cl.Compatibility(ctx); r[0].Err != nil || r[0].Level != sr.CompatBackward {
				t.Fatalf("global Compatibility = %+v", r[0])
			}
			if r := cl.Compatibility(ctx, "orders-value"); code(r[0].Err) != 40408 {
				t.Fatalf("subject Compatibility without one = %+v; want 40408", r[0])
			}
			if r := cl.SetCompatibility(ctx, sr.SetCompatibility{Level: sr.CompatNone}, "acme/v1/order.proto"); r[0].Err != nil || r[0].Level != sr.CompatNone {
				t.Fatalf("SetCompatibility = %+v", r[0])
			}
			if _, err := cl.CreateSchema(ctx, "acme/v1/order.proto", protobuf(plainBad)); err != nil {
				t.Fatalf("incompatible under NONE: %v", err)
			}
			if r := cl.ResetCompatibility(ctx, "acme/v1/order.proto"); r[0].Err != nil || r[0].Level != sr.CompatNone {
				t.Fatalf("ResetCompatibility = %+v", r[0])
			}
			if r := cl.SetCompatibility(ctx, sr.SetCompatibility{Level: sr.CompatibilityLevel(99)}); r[0].Err == nil {
				t.Fatalf("SetCompatibility(invalid) = %+v; want an error", r[0])
			}

			// Mode: READONLY refuses writes with 42205.
			if r := cl.SetMode(ctx, sr.ModeReadOnly, "orders-value"); r[0].Err != nil || r[0].Mode != sr.ModeReadOnly {
				t.Fatalf("SetMode = %+v", r[0])
			}
			if _, err := cl.CreateSchema(ctx, "orders-value", protobuf(plainV2)); code(err) != 42205 {
				t.Fatalf("register in READONLY = %v; want 42205", err)
			}
			if r := cl.Mode(ctx, "orders-value"); r[0].Err != nil || r[0].Mode != sr.ModeReadOnly {
				t.Fatalf("Mode = %+v", r[0])
			}
			if r := cl.ResetMode(ctx, "orders-value"); r[0].Err != nil {
				t.Fatalf("ResetMode = %+v", r[0])
			}
			if r := cl.Mode(ctx); r[0].Err != nil || r[0].Mode != sr.ModeReadWrite {
				t.Fatalf("global Mode = %+v", r[0])
			}

			// Deletes: a referenced version cannot go; hard only after soft.
			if err := cl.DeleteSchema(ctx, "acme/v1/order.proto", 2, sr.SoftDelete); code(err) != 42206 {
				t.Fatalf("delete a referenced version = %v; want 42206", err)
			}
			if err := cl.DeleteSchema(ctx, "orders-value", 1, sr.HardDelete); code(err) != 40407 {
				t.Fatalf("hard delete before soft = %v; want 40407", err)
			}
			if err := cl.DeleteSchema(ctx, "orders-value", 1, sr.SoftDelete); err != nil {
				t.Fatalf("soft delete: %v", err)
			}
			if err := cl.DeleteSchema(ctx, "orders-value", 1, sr.HardDelete); err != nil {
				t.Fatalf("hard delete: %v", err)
			}
			if _, err := cl.SubjectVersions(ctx, "orders-value"); code(err) != 40401 {
				t.Fatalf("versions of a deleted subject = %v; want 40401", err)
			}
			vs, err := cl.DeleteSubject(ctx, "shipments-value", sr.SoftDelete)
			if err != nil || !slices.Equal(vs, []int{1}) {
				t.Fatalf("DeleteSubject = %v, %v", vs, err)
			}
			if vs, err := cl.DeleteSubject(ctx, "shipments-value", sr.HardDelete); err != nil || !slices.Equal(vs, []int{1}) {
				t.Fatalf("DeleteSubject(hard) = %v, %v", vs, err)
			}
		})
	}
}

// TestErrorCodes drives each error with franz-go, or raw HTTP where
// franz-go cannot send the request, and checks Confluent's code.
func TestErrorCodes(t *testing.T) {
	url, _ := newServer(t, "sqlite", api.Options{NoAuth: true, MaxBodyBytes: 1 << 16})
	cl := client(t, url)
	ctx := context.Background()
	if _, err := cl.CreateSchema(ctx, "orders-value", protobuf(plainV1)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		status int
		code   int
	}{
		{"subject not found", "GET", "/subjects/nope/versions", "", 404, 40401},
		{"version not found", "GET", "/subjects/orders-value/versions/9", "", 404, 40402},
		{"schema not found", "GET", "/schemas/ids/999", "", 404, 40403},
		{"schema ID not a number", "GET", "/schemas/ids/abc", "", 404, 40403},
		{"lookup: schema not in subject", "POST", "/subjects/orders-value", `{"schema":"syntax = \"proto3\"; message X {}","schemaType":"PROTOBUF"}`, 404, 40403},
		{"version -1 is latest", "GET", "/subjects/orders-value/versions/-1", "", 200, 0},
		{"version 0", "GET", "/subjects/orders-value/versions/0", "", 422, 42202},
		{"version abc", "GET", "/subjects/orders-value/versions/abc", "", 422, 42202},
		{"version -2", "GET", "/subjects/orders-value/versions/-2", "", 422, 42202},
		{"field search: bad version", "GET", "/provision/v1/fields?version=abc", "", 422, 42202},
		{"field search: bad limit", "GET", "/provision/v1/fields?limit=-1", "", 400, 400},
		{"field history: no such field", "GET", "/provision/v1/fields/no.such.Field/history", "", 404, 404},
		{"AVRO", "POST", "/subjects/a/versions", `{"schema":"{\"type\":\"string\"}","schemaType":"AVRO"}`, 422, 42201},
		{"no schemaType is AVRO", "POST", "/subjects/a/versions", `{"schema":"{\"type\":\"string\"}"}`, 422, 42201},
		{"malformed proto", "POST", "/subjects/a/versions", `{"schema":"syntax = \"proto3\"; message {","schemaType":"PROTOBUF"}`, 422, 42201},
		{"unknown import", "POST", "/subjects/a/versions", `{"schema":"syntax = \"proto3\"; import \"x/y.proto\"; message A { x.Y y = 1; }","schemaType":"PROTOBUF"}`, 422, 42201},
		{"unknown reference", "POST", "/subjects/a/versions", `{"schema":"syntax = \"proto3\"; import \"x/y.proto\";","schemaType":"PROTOBUF","references":[{"name":"x/y.proto","subject":"x","version":1}]}`, 422, 42201},
		{"reference to itself", "POST", "/subjects/c/versions", `{"schema":"syntax = \"proto3\"; import \"c.proto\";","schemaType":"PROTOBUF","references":[{"name":"c.proto","subject":"c","version":1}]}`, 422, 42201},
		{"import cycle through a reference", "POST", "/subjects/orders-value/versions", `{"schema":"syntax = \"proto3\"; import \"orders-value.proto\";","schemaType":"PROTOBUF","references":[{"name":"orders-value.proto","subject":"orders-value","version":1}]}`, 422, 42201},
		{"invalid JSON", "POST", "/subjects/a/versions", `{"schema":`, 400, 400},
		{"empty schema", "POST", "/subjects/a/versions", `{"schema":"","schemaType":"PROTOBUF"}`, 422, 42201},
		{"body over the limit", "POST", "/subjects/a/versions", `{"schema":"` + strings.Repeat("x", 1<<17) + `"}`, 413, 413},
		{"subject with ..", "GET", "/subjects/a%2F..%2Fb/versions", "", 422, 42208},
		{"subject with NUL", "GET", "/subjects/a%00b/versions", "", 422, 42208},
		{"subject with a newline", "GET", "/subjects/a%0Ab/versions", "", 422, 42208},
		{"invalid compatibility", "PUT", "/config", `{"compatibility":"SIDEWAYS"}`, 422, 42203},
		{"invalid mode", "PUT", "/mode", `{"mode":"WRITEONLY"}`, 422, 42204},
		{"ID outside IMPORT mode", "POST", "/subjects/b/versions", `{"schema":"syntax = \"proto3\"; message B {}","schemaType":"PROTOBUF","id":77}`, 422, 42205},
		{"no such route", "GET", "/nowhere", "", 404, 404},
		{"subject config not set", "GET", "/config/orders-value", "", 404, 40408},
		{"subject mode not set", "GET", "/mode/orders-value", "", 404, 40409},
		{"catalog not found", "GET", "/provision/v1/catalogs/none/versions", "", 404, 40410},
		{"not an image", "POST", "/provision/v1/catalogs/c/versions", "this is not a FileDescriptorSet", 422, 42201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(t, tt.method, url+tt.path, tt.body, "")
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if tt.code == 0 {
				return
			}
			var e struct {
				Code    int    `json:"error_code"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("error body %q: %v", body, err)
			}
			if e.Code != tt.code || e.Message == "" {
				t.Fatalf("error %d %q, want code %d", e.Code, e.Message, tt.code)
			}
		})
	}
	// Nothing of the refused requests was stored, and the server serves.
	subjects, err := cl.Subjects(ctx)
	if err != nil || !slices.Equal(subjects, []string{"orders-value"}) {
		t.Fatalf("after the bad requests, Subjects = %v, %v", subjects, err)
	}
}

// do sends a raw request and returns the status and body.
func do(t testing.TB, method, url, body, token string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", api.ContentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode >= 400 && ct != api.ContentType {
		t.Errorf("%s %s: content type %q", method, url, ct)
	}
	return resp.StatusCode, bytes.TrimSpace(b)
}
