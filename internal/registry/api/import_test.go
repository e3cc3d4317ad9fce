package api_test

import (
	"encoding/json"
	"testing"

	"github.com/provisionhq/provision/internal/registry/api"
)

// TestImportAndDeletes registers with a given ID and version in IMPORT
// mode, and walks the delete rules of a subject with Confluent's codes.
func TestImportAndDeletes(t *testing.T) {
	url, _ := newServer(t, "sqlite", api.Options{NoAuth: true})
	steps := []struct {
		method, path, body string
		status, code       int
		want               string
	}{
		{"PUT", "/mode/imported", `{"mode":"IMPORT"}`, 200, 0, `{"mode":"IMPORT"}`},
		{"POST", "/subjects/imported/versions", `{"schema":"syntax = \"proto3\"; message A { string a = 1; }","schemaType":"PROTOBUF","id":4242,"version":7}`, 200, 0, `{"id":4242}`},
		{"GET", "/subjects/imported/versions", "", 200, 0, `[7]`},
		{"GET", "/schemas/ids/4242/versions", "", 200, 0, `[{"subject":"imported","version":7}]`},
		{"POST", "/subjects/other/versions", `{"schema":"syntax = \"proto3\"; message B { string b = 1; }","schemaType":"PROTOBUF","id":4242}`, 422, 42205, ""},
		{"DELETE", "/mode/imported", "", 200, 0, `{"mode":"IMPORT"}`},
		{"DELETE", "/subjects/imported?permanent=true", "", 404, 40405, ""},
		{"DELETE", "/subjects/imported", "", 200, 0, `[7]`},
		{"DELETE", "/subjects/imported", "", 404, 40404, ""},
		{"GET", "/subjects/imported/versions", "", 404, 40401, ""},
		{"GET", "/subjects/imported/versions?deleted=true", "", 200, 0, `[7]`},
		{"GET", "/subjects?deleted=true", "", 200, 0, `["imported"]`},
		{"DELETE", "/subjects/imported?permanent=true", "", 200, 0, `[7]`},
		{"GET", "/schemas/ids/4242", "", 404, 40403, ""},
	}
	for _, s := range steps {
		status, body := do(t, s.method, url+s.path, s.body, "")
		if status != s.status {
			t.Fatalf("%s %s: %d %s; want %d", s.method, s.path, status, body, s.status)
		}
		if s.code != 0 {
			var e struct {
				Code int `json:"error_code"`
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Code != s.code {
				t.Fatalf("%s %s: %s; want code %d", s.method, s.path, body, s.code)
			}
		}
		if s.want != "" && string(body) != s.want {
			t.Fatalf("%s %s: %s; want %s", s.method, s.path, body, s.want)
		}
	}
}

// TestNormalize registers two spellings of one schema with
// ?normalize=true: they are one schema, stored in canonical form.
func TestNormalize(t *testing.T) {
	url, _ := newServer(t, "sqlite", api.Options{NoAuth: true})
	a := `{"schema":"syntax = \"proto3\";\npackage acme.v1;\n// An order.\nmessage Order { string id = 1;   int64 amount = 2; }","schemaType":"PROTOBUF"}`
	b := `{"schema":"syntax=\"proto3\"; package acme.v1;\n\nmessage Order {\n  string id = 1;\n  int64 amount = 2;\n}\n","schemaType":"PROTOBUF"}`
	status, first := do(t, "POST", url+"/subjects/orders-value/versions?normalize=true", a, "")
	if status != 200 {
		t.Fatalf("register: %d %s", status, first)
	}
	status, second := do(t, "POST", url+"/subjects/orders-value/versions?normalize=true", b, "")
	if status != 200 || string(second) != string(first) {
		t.Fatalf("the other spelling: %d %s; want %s", status, second, first)
	}
	if status, body := do(t, "POST", url+"/subjects/orders-value?normalize=true", b, ""); status != 200 {
		t.Fatalf("look-up: %d %s", status, body)
	}
	if status, body := do(t, "POST", url+"/subjects/orders-value", b, ""); status != 404 {
		t.Fatalf("look-up without normalize: %d %s", status, body)
	}
	_, text := do(t, "GET", url+"/subjects/orders-value/versions/1/schema", "", "")
	if want := "syntax = \"proto3\";\n\npackage acme.v1;\n\nmessage Order {\n  string id = 1;\n  int64 amount = 2;\n}\n"; string(text)+"\n" != want {
		t.Fatalf("stored text %q, want %q", text, want)
	}
}

// TestReservedLevel sets provision's opt-in level BACKWARD_RESERVED: a
// field removed without reserving its number is refused, with it reserved
// it passes.
func TestReservedLevel(t *testing.T) {
	url, _ := newServer(t, "sqlite", api.Options{NoAuth: true})
	reg := func(text string) (int, []byte) {
		b, _ := json.Marshal(map[string]string{"schema": text, "schemaType": "PROTOBUF"})
		return do(t, "POST", url+"/subjects/orders-value/versions", string(b), "")
	}
	if status, body := do(t, "PUT", url+"/config/orders-value", `{"compatibility":"BACKWARD_RESERVED"}`, ""); status != 200 {
		t.Fatalf("PUT config: %d %s", status, body)
	}
	if status, body := reg("syntax = \"proto3\";\nmessage O {\n  string id = 1;\n  string note = 2;\n}\n"); status != 200 {
		t.Fatalf("v1: %d %s", status, body)
	}
	status, body := reg("syntax = \"proto3\";\nmessage O {\n  string id = 1;\n}\n")
	if e := errorOf(t, body); status != 409 || e.Code != 40901 || len(e.Findings) != 1 || e.Findings[0].Rule != "FIELD_NUMBER_NOT_RESERVED" {
		t.Fatalf("removed without reserving: %d %s", status, body)
	}
	if status, body := reg("syntax = \"proto3\";\nmessage O {\n  string id = 1;\n  reserved 2;\n}\n"); status != 200 {
		t.Fatalf("removed and reserved: %d %s", status, body)
	}
	if status, body := do(t, "GET", url+"/config/orders-value", "", ""); status != 200 || string(body) != `{"compatibilityLevel":"BACKWARD_RESERVED"}` {
		t.Fatalf("GET config: %d %s", status, body)
	}
}
