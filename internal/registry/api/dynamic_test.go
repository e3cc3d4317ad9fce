package api_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
)

// framed returns a Confluent frame for schema id with the first-message
// shortcut and payload.
func framed(id int64, payload ...byte) string {
	b := binary.BigEndian.AppendUint32([]byte{0}, uint32(id))
	return string(append(append(b, 0), payload...))
}

// postDynamic posts body to the op resource of schema id with the
// consent and the API key token ("" for none).
func postDynamic(t *testing.T, base, op, id, consent, body, token string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/provision/v1/schemas/ids/%s/%s?consent=%s", base, id, op, consent), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// TestDynamicErrors drives the validate and redact resources with what
// they refuse: every refusal is a clear 4xx with its code, never a 5xx,
// and never echoes a value of the payload.
func TestDynamicErrors(t *testing.T) {
	t.Parallel()
	base, st := newServer(t, "sqlite", api.Options{})
	ctx := context.Background()
	admin, err := auth.Create(ctx, st, "test", "admin", store.ScopeAdmin, "")
	if err != nil {
		t.Fatal(err)
	}
	reader, err := auth.Create(ctx, st, "test", "viewer", store.ScopeRead, "")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := do(t, "POST", base+"/provision/v1/catalogs/kaspersky/versions", string(catalog(t)), admin); status != 200 {
		t.Fatalf("push: %d %s", status, body)
	}
	idOf := func(subject string) int64 {
		status, body := do(t, "GET", base+"/subjects/"+subject+"/versions/latest", "", reader)
		var v struct{ ID int64 }
		if err := json.Unmarshal(body, &v); status != 200 || err != nil {
			t.Fatalf("%s: %d %s", subject, status, body)
		}
		return v.ID
	}
	a, b := idOf("kaspersky.ksvla.update"), idOf("kaspersky.ksvla.links")
	ida, idb := fmt.Sprint(a), fmt.Sprint(b)
	const secret = "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
	update := func(payload string) string {
		return `{"message": "kaspersky.ksvla.v1.UpdateRequest", "payload": ` + payload + `}`
	}
	for _, tc := range []struct {
		name, op, id, consent, body string
		anonymous                   bool
		status, code                int
		want                        string
	}{
		{name: "empty JSON payload lacks required fields", op: "validate", id: ida, consent: "EULA", body: update(`{}`), status: 200, want: `"valid":false,"violations":[{"path":"application_id","rule":"required"`},
		{name: "empty frame lacks required fields", op: "validate", id: ida, consent: "EULA", body: framed(a), status: 200, want: `"valid":false,"violations":[{"path":"application_id","rule":"required"`},
		{name: "consent violation names the field, not the value", op: "validate", id: ida, body: update(`{"installationId": "` + secret + `"}`), status: 200, want: `"path":"installation_id","rule":"consent"`},
		{name: "rule violation names the rule, not the value", op: "validate", id: ida, consent: "EULA", body: update(`{"installationId": "x` + secret + `"}`), status: 200, want: `"rule":"string.uuid"`},
		{name: "framed for A sent to B", op: "redact", id: idb, consent: "EULA", body: framed(a), status: 409, code: 42210, want: fmt.Sprintf("framed for schema ID %d, not %d", a, b)},
		{name: "short frame", op: "validate", id: ida, body: "\x00\x00\x00", status: 422, code: 42211, want: "shorter than the 5"},
		{name: "bad index count", op: "validate", id: ida, body: framed(a)[:5] + "\x01", status: 422, code: 42211, want: "message index count -1"},
		{name: "index out of range", op: "redact", id: ida, body: framed(a)[:5] + "\x02\x28", status: 422, code: 42211, want: "message index 0 is 20"},
		{name: "bad protobuf", op: "redact", id: ida, body: framed(a, 0x0a, 0x7f), status: 422, code: 42211, want: "Invalid protobuf payload"},
		{name: "not JSON", op: "validate", id: ida, body: "{nope", status: 422, code: 42211, want: "Invalid JSON body"},
		{name: "empty body", op: "validate", id: ida, body: "", status: 422, code: 42211, want: "Empty body"},
		{name: "unknown JSON field", op: "validate", id: ida, body: `{"message": "kaspersky.ksvla.v1.UpdateRequest", "payload": {}, "x": 1}`, status: 422, code: 42211, want: "unknown field"},
		{name: "payload and binary", op: "validate", id: ida, body: `{"message": "kaspersky.ksvla.v1.UpdateRequest", "payload": {}, "binary": ""}`, status: 422, code: 42211, want: "not both"},
		{name: "neither payload nor binary", op: "validate", id: ida, body: `{"message": "kaspersky.ksvla.v1.UpdateRequest"}`, status: 422, code: 42211, want: "(protojson) or"},
		{name: "bad protojson", op: "redact", id: ida, body: update(`{"installationId": 5}`), status: 422, code: 42211, want: "Invalid payload for kaspersky.ksvla.v1.UpdateRequest"},
		{name: "message of another schema", op: "validate", id: ida, body: `{"message": "kaspersky.ksvla.v1.LinksRequest", "payload": {}}`, status: 422, code: 42211, want: "not declared by this schema"},
		{name: "no message", op: "validate", id: ida, body: `{"payload": {}}`, status: 422, code: 42211, want: "full name"},
		{name: "unknown agreement", op: "validate", id: ida, consent: "EULA,NOPE", body: update(`{}`), status: 422, code: 42212, want: "NOPE"},
		{name: "missing HMAC key fails closed", op: "redact", id: ida, consent: "EULA", body: update(`{"installationId": "` + secret + `"}`), status: 422, code: 42213, want: "installation_id"},
		{name: "no such schema", op: "validate", id: "999999", body: update(`{}`), status: 404, code: 40403},
		{name: "not an ID", op: "validate", id: "abc", body: update(`{}`), status: 404, code: 40403},
		{name: "anonymous", op: "validate", id: ida, body: update(`{}`), anonymous: true, status: 401, code: 40101},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			token := reader
			if tc.anonymous {
				token = ""
			}
			status, _, body := postDynamic(t, base, tc.op, tc.id, tc.consent, tc.body, token)
			if status != tc.status || !strings.Contains(string(body), tc.want) {
				t.Fatalf("%d %s; want %d with %q", status, body, tc.status, tc.want)
			}
			if tc.code != 0 && errorOf(t, body).Code != tc.code {
				t.Fatalf("code %d, want %d: %s", errorOf(t, body).Code, tc.code, body)
			}
			if bytes.Contains(body, []byte(secret)) {
				t.Fatalf("the answer holds a value of the payload: %s", body)
			}
		})
	}
}

// TestDynamicRedactFrame redacts a frame with a key file's keys and
// answers a frame with the request's header.
func TestDynamicRedactFrame(t *testing.T) {
	t.Parallel()
	keys, err := api.ParseKeys([]byte(`{"installation": "` + strings.Repeat("QUJD", 11) + `", "license": "` + strings.Repeat("REVG", 11) + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := newServer(t, "sqlite", api.Options{NoAuth: true, Keys: keys})
	if status, body := do(t, "POST", base+"/provision/v1/catalogs/kaspersky/versions", string(catalog(t)), ""); status != 200 {
		t.Fatalf("push: %d %s", status, body)
	}
	status, body := do(t, "GET", base+"/subjects/kaspersky.ksvla.update/versions/latest", "", "")
	var v struct{ ID int64 }
	if err := json.Unmarshal(body, &v); status != 200 || err != nil {
		t.Fatalf("%d %s", status, body)
	}
	const secret = "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
	payload := append([]byte{3<<3 | 2, byte(len(secret))}, secret...)
	req := framed(v.ID, payload...)
	status, h, got := postDynamic(t, base, "redact", fmt.Sprint(v.ID), "EULA", req, "")
	if status != 200 || h.Get("Content-Type") != api.FrameContentType || !bytes.HasPrefix(got, []byte(req[:6])) || bytes.Contains(got, []byte(secret)) {
		t.Fatalf("%d %q %q", status, h.Get("Content-Type"), got)
	}
}

func TestParseKeys(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("QUJD", 11) // 33 bytes
	for _, tc := range []struct{ name, in, want string }{
		{name: "ok", in: `{"a": "` + long + `"}`},
		{name: "short", in: `{"a": "QUJD"}`, want: `key "a" has 3 bytes, fewer than 32`},
		{name: "not base64", in: `{"a": "!!` + long + `"}`, want: `key "a" is not standard base64`},
		{name: "not an object", in: `["` + long + `"]`, want: "not a JSON object"},
		{name: "bad id", in: `{"a b": "` + long + `"}`, want: "a b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := api.ParseKeys([]byte(tc.in))
			if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseKeys(%s) = %v; want %q", tc.in, err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), long) {
				t.Fatalf("the error holds the key: %v", err)
			}
		})
	}
}

// TestDynamicVersionsKeepTheirPolicies redacts one payload with two
// registered versions of one message (installation_id hashed in the
// first, kept in the second): each ID answers with its own policy, so two
// versions of a full name never share one.
func TestDynamicVersionsKeepTheirPolicies(t *testing.T) {
	t.Parallel()
	keys, err := api.ParseKeys([]byte(`{"installation": "` + strings.Repeat("QUJD", 11) + `", "license": "` + strings.Repeat("REVG", 11) + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := newServer(t, "sqlite", api.Options{NoAuth: true, Keys: keys})
	acked := editedCatalog(t, updateProto, func(s string) string {
		s = replace(t, s, `hmac: {key_id: "installation"}`, `keep: {}`)
		return reviewedToday(t, replace(t, s, `example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"`,
			`example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
      acknowledged: {rule: "REDACTION_WEAKENED" reason: "Deduplication needs it."}`))
	})
	var ids []int64
	for _, image := range [][]byte{catalog(t), acked} {
		if status, body := do(t, "POST", base+"/provision/v1/catalogs/kaspersky/versions", string(image), ""); status != 200 {
			t.Fatalf("push: %d %s", status, body)
		}
		status, body := do(t, "GET", base+"/subjects/kaspersky.ksvla.update/versions/latest", "", "")
		var v struct{ ID int64 }
		if err := json.Unmarshal(body, &v); status != 200 || err != nil {
			t.Fatalf("%d %s", status, body)
		}
		ids = append(ids, v.ID)
	}
	if ids[0] == ids[1] {
		t.Fatalf("both versions have ID %d", ids[0])
	}
	const secret = "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
	body := `{"message": "kaspersky.ksvla.v1.UpdateRequest", "payload": {"installationId": "` + secret + `"}}`
	for i, wantKept := range []bool{false, true} {
		status, _, got := postDynamic(t, base, "redact", fmt.Sprint(ids[i]), "EULA", body, "")
		if status != 200 || bytes.Contains(got, []byte(secret)) != wantKept {
			t.Errorf("version %d (ID %d): %d %s; want installation_id kept: %v", i+1, ids[i], status, got, wantKept)
		}
	}
}

// FuzzDynamic sends arbitrary bodies and consents to the validate and
// redact resources of a scenario's schema: the answer is never a server
// error, an error is Confluent's body, and a 200 is a verdict or a
// payload.
func FuzzDynamic(f *testing.F) {
	f.Add(framed(1, 0x0a, 3, 'a', 'b', 'c'), "EULA")
	f.Add(framed(1)[:5]+"\x04\x02\x00", "EULA,KSN_STANDARD")
	f.Add(`{"message": "kaspersky.ksvla.v1.UpdateRequest", "payload": {"installationId": "x"}}`, "")
	f.Add(`{"message": "kaspersky.ksvla.v1.UpdateRequest", "binary": "GgN4eXo="}`, "NONE")
	f.Add("\x00\x00\x00\x00\x02", "EULA")
	st := openStore(f, "sqlite")
	keys, err := api.ParseKeys([]byte(`{"installation": "` + strings.Repeat("QUJD", 11) + `"}`))
	if err != nil {
		f.Fatal(err)
	}
	srv, err := api.New(api.Options{Store: st, NoAuth: true, Keys: keys})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(srv.Close)
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("POST", "http://registry/provision/v1/catalogs/kaspersky/versions", bytes.NewReader(catalog(f))))
	if w.Code != 200 {
		f.Fatalf("push: %d %s", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "http://registry/subjects/kaspersky.ksvla.update/versions/latest", nil))
	var v struct{ ID int64 }
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil || v.ID == 0 {
		f.Fatalf("subject: %d %s", w.Code, w.Body)
	}
	f.Fuzz(func(t *testing.T, body, consent string) {
		if len(body) >= 5 && body[0] == 0 {
			// Most frames name the scenario's schema.
			b := []byte(body)
			binary.BigEndian.PutUint32(b[1:5], uint32(v.ID))
			body = string(b)
		}
		for _, op := range []string{"validate", "redact"} {
			u := fmt.Sprintf("http://registry/provision/v1/schemas/ids/%d/%s?consent=%s", v.ID, op, url.QueryEscape(consent))
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, httptest.NewRequest("POST", u, strings.NewReader(body)))
			switch {
			case w.Code >= 500:
				t.Fatalf("%s %q under %q: %d %s", op, body, consent, w.Code, w.Body)
			case w.Code >= 400:
				var e struct {
					Code    int    `json:"error_code"`
					Message string `json:"message"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Code == 0 || e.Message == "" {
					t.Fatalf("%s: error body %q", op, w.Body)
				}
			case op == "validate":
				var verdict api.Verdict
				if err := json.Unmarshal(w.Body.Bytes(), &verdict); err != nil || verdict.Valid != (len(verdict.Violations) == 0) {
					t.Fatalf("verdict %q: %v", w.Body, err)
				}
			}
		}
	})
}
