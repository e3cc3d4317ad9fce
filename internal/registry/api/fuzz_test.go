package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/registry/api"
)

// FuzzRequests sends arbitrary bodies and subject names to the decoding
// paths (registration, look-up, compatibility, config, mode, catalog
// push): the answer is never a server error, an error is always
// Confluent's body, and the server keeps serving.
func FuzzRequests(f *testing.F) {
	f.Add("orders-value", `{"schema":"syntax = \"proto3\"; message A { string a = 1; }","schemaType":"PROTOBUF"}`)
	f.Add("a%2Fb.proto", `{"schema":"syntax = \"proto3\"; import \"x.proto\";","schemaType":"PROTOBUF","references":[{"name":"x.proto","subject":"x","version":-1}]}`)
	f.Add("s", `{"schema":"message {","schemaType":"PROTOBUF"}`)
	f.Add("s", `{"compatibility":"FULL"}`)
	f.Add("s", `{"mode":"READONLY"}`)
	f.Add("..", `[1,2]`)
	f.Add("s", "\x00\x01\x02")
	st := openStore(f, "sqlite")
	srv, err := api.New(api.Options{Store: st, NoAuth: true, MaxBodyBytes: 1 << 16})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(srv.Close)
	paths := []struct{ method, path string }{
		{"POST", "/subjects/%s/versions"},
		{"POST", "/subjects/%s"},
		{"POST", "/compatibility/subjects/%s/versions/latest"},
		{"PUT", "/config/%s"},
		{"PUT", "/mode/%s"},
		{"POST", "/provision/v1/catalogs/%s/versions"},
	}
	f.Fuzz(func(t *testing.T, subject, body string) {
		if subject == "" {
			return // another route
		}
		subject = url.PathEscape(subject)
		for _, p := range paths {
			req := httptest.NewRequest(p.method, "http://registry"+strings.Replace(p.path, "%s", subject, 1), strings.NewReader(body))
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			if w.Code >= 500 {
				t.Fatalf("%s %s %q: %d %s", p.method, p.path, body, w.Code, w.Body)
			}
			if w.Code >= 400 {
				var e struct {
					Code    int    `json:"error_code"`
					Message string `json:"message"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Code == 0 || e.Message == "" {
					t.Fatalf("%s %s: error body %q", p.method, p.path, w.Body)
				}
			}
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest("GET", "http://registry/healthz", nil))
		if w.Code != http.StatusOK {
			t.Fatalf("healthz after the requests: %d", w.Code)
		}
	})
}
