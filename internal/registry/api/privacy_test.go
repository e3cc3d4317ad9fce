package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/sr"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/registry/api"
)

const updateProto = "proto/kaspersky/ksvla/v1/update.proto"

// errorBody is an error response with provision's findings.
type errorBody struct {
	Code     int    `json:"error_code"`
	Message  string `json:"message"`
	Findings []struct {
		Rule     string `json:"rule"`
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"findings"`
}

func errorOf(t testing.TB, body []byte) errorBody {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	return e
}

func TestPrivacyOnRegistration(t *testing.T) {
	for _, backend := range backends(t) {
		t.Run(backend, func(t *testing.T) {
			url, st := newServer(t, backend, api.Options{NoAuth: true})
			cl := client(t, url)
			ctx := context.Background()
			text := source(t, updateProto)
			const subject = "ksvla-update-value"

			// Before any catalog: refused, saying to push the catalog.
			_, err := cl.CreateSchema(ctx, subject, protobuf(text))
			if code(err) != 42201 || !strings.Contains(err.Error(), "push the catalog first") {
				t.Fatalf("scenario before a catalog = %v; want 42201 saying to push the catalog first", err)
			}
			status, body := do(t, "POST", url+"/provision/v1/catalogs/kaspersky/versions", string(catalog(t)), "")
			if status != 200 {
				t.Fatalf("push catalog: %d %s", status, body)
			}
			if _, err := cl.CreateSchema(ctx, subject, protobuf(text)); err != nil {
				t.Fatalf("register the scenario: %v", err)
			}

			// The model's checks: a field without classification is 42201 with
			// its rule and location.
			unclassified := replace(t, text, "category: CATEGORY_PRODUCT\n", "")
			status, body = do(t, "POST", url+"/subjects/"+subject+"/versions", schemaJSON(t, unclassified), "")
			if e := errorOf(t, body); status != 422 || e.Code != 42201 || len(e.Findings) == 0 || e.Findings[0].Rule != "FIELD_UNCLASSIFIED" || !strings.Contains(e.Findings[0].Location, ".proto:") {
				t.Fatalf("unclassified field: %d %s", status, body)
			}

			// A weaker redaction is 40901 naming the rule, the field and the
			// acknowledgement that would allow it.
			weaker := replace(t, text, `hmac: {key_id: "installation"}`, `keep: {}`)
			status, body = do(t, "POST", url+"/subjects/"+subject+"/versions", schemaJSON(t, weaker), "")
			e := errorOf(t, body)
			if status != 409 || e.Code != 40901 || !strings.Contains(e.Message, "REDACTION_WEAKENED") ||
				!strings.Contains(e.Message, "installation_id") || !strings.Contains(e.Message, `acknowledged: {rule: "REDACTION_WEAKENED" reason:`) {
				t.Fatalf("weaker redaction: %d %s", status, body)
			}
			// The compatibility endpoint says the same.
			res, err := cl.CheckCompatibility(sr.WithParams(ctx, sr.Verbose), subject, -1, protobuf(weaker))
			if err != nil || res.Is || !strings.Contains(strings.Join(res.Messages, "\n"), "REDACTION_WEAKENED") {
				t.Fatalf("CheckCompatibility(weaker) = %+v, %v", res, err)
			}

			// Acknowledged, it is registered, and the reason is in the audit log.
			unreviewed := replace(t, weaker, `example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"`,
				`example: "0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b"
      acknowledged: {rule: "REDACTION_WEAKENED" reason: "The update service now needs the installation ID to deduplicate."}`)
			// Acknowledged without a review of the scenario since version
			// 1, it is refused at the acknowledgement.
			if _, err := cl.CreateSchema(ctx, subject, protobuf(unreviewed)); code(err) != 40901 || !strings.Contains(err.Error(), "ACKNOWLEDGEMENT_UNREVIEWED") ||
				!strings.Contains(err.Error(), "add a review of the change acknowledged (REDACTION_WEAKENED)") {
				t.Fatalf("acknowledged, not reviewed = %v; want 40901 ACKNOWLEDGEMENT_UNREVIEWED", err)
			}
			acked := reviewedToday(t, unreviewed)
			v, err := cl.CreateSchema(ctx, subject, protobuf(acked))
			if err != nil || v.Version != 2 {
				t.Fatalf("acknowledged change = %+v, %v", v, err)
			}
			recs, err := st.AuditLog(ctx, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			last := recs[len(recs)-1]
			if last.Action != "register" || last.Subject != subject || last.Version != 2 || !strings.Contains(last.Detail, "deduplicate") {
				t.Fatalf("audit record %+v", last)
			}

			// The old acknowledgement does not cover a new weakening.
			weaker2 := replace(t, acked, `hmac: {key_id: "task"}`, `keep: {}`)
			if _, err := cl.CreateSchema(ctx, subject, protobuf(weaker2)); code(err) != 40901 || !strings.Contains(err.Error(), "update_task_start_id") {
				t.Fatalf("second weakening under an old acknowledgement = %v; want 40901", err)
			}
			// The compatibility level NONE does not turn the privacy rules off.
			if r := cl.SetCompatibility(ctx, sr.SetCompatibility{Level: sr.CompatNone}, subject); r[0].Err != nil {
				t.Fatal(r[0].Err)
			}
			if _, err := cl.CreateSchema(ctx, subject, protobuf(weaker2)); code(err) != 40901 {
				t.Fatalf("weakening under NONE = %v; want 40901", err)
			}
			// Dropping the acknowledgement of version 2: nothing changed from
			// version 2, but under BACKWARD_TRANSITIVE the change from version
			// 1 is compared too, and it is no longer acknowledged.
			dropped := replace(t, acked, `acknowledged: {rule: "REDACTION_WEAKENED" reason: "The update service now needs the installation ID to deduplicate."}`, "")
			if r := cl.SetCompatibility(ctx, sr.SetCompatibility{Level: sr.CompatBackwardTransitive}, subject); r[0].Err != nil {
				t.Fatal(r[0].Err)
			}
			if _, err := cl.CreateSchema(ctx, subject, protobuf(dropped)); code(err) != 40901 || !strings.Contains(err.Error(), "version 1") {
				t.Fatalf("an acknowledgement dropped under BACKWARD_TRANSITIVE = %v; want 40901 against version 1", err)
			}
			if r := cl.SetCompatibility(ctx, sr.SetCompatibility{Level: sr.CompatBackward}, subject); r[0].Err != nil {
				t.Fatal(r[0].Err)
			}
			if _, err := cl.CreateSchema(ctx, subject, protobuf(dropped)); err != nil {
				t.Fatalf("the same under BACKWARD, compared with version 2 only: %v", err)
			}
		})
	}
}

// schemaJSON is a registration body of a protobuf schema.
func schemaJSON(t testing.TB, text string) string {
	t.Helper()
	b, err := json.Marshal(map[string]string{"schema": text, "schemaType": "PROTOBUF"})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestNewScenarioOnRegistration registers, through the Confluent API, the
// first version of a scenario the pushed catalog does not have: it is a
// new scenario (SCENARIO_ADDED) as a push of a catalog that adds it would
// be, refused until acknowledged by name; a scenario the catalog has is
// not.
func TestNewScenarioOnRegistration(t *testing.T) {
	url, _ := newServer(t, "sqlite", api.Options{NoAuth: true})
	if status, body := do(t, "POST", url+"/provision/v1/catalogs/kaspersky/versions", string(catalog(t)), ""); status != 200 {
		t.Fatalf("push catalog: %d %s", status, body)
	}
	links := source(t, "proto/kaspersky/ksvla/v1/links.proto")
	heartbeat := func(acks string) string {
		s := strings.ReplaceAll(links, "InterfaceLinkRequest", "HeartbeatRequest")
		return replace(t, s, `id: "ksvla.links"`, `id: "ksvla.heartbeat"`+"\n    "+acks)
	}
	tests := []struct {
		name, subject, text string
		// wantRule is the finding's rule, or "" for a registration that
		// passes.
		wantRule, wantHint string
	}{
		{"a scenario of the catalog", "links-value", links, "", ""},
		{"a new scenario", "heartbeat-value", heartbeat(""), diff.RuleScenarioAdded,
			`add acknowledged: {rule: "SCENARIO_ADDED" reason: "ksvla.heartbeat: …"} to the scenario's (provision.v1.scenario) option; the reason must name the scenario ksvla.heartbeat`},
		{"a new scenario acknowledged for another", "heartbeat-value", heartbeat(`acknowledged: {rule: "SCENARIO_ADDED" reason: "ksvla.links: reviewed."}`), diff.RuleScenarioAdded, "the reason must name the scenario ksvla.heartbeat"},
		{"a new scenario acknowledged", "heartbeat-value", heartbeat(`acknowledged: {rule: "SCENARIO_ADDED" reason: "ksvla.heartbeat: reviewed."}`), "", ""},
	}
	for _, tt := range tests {
		status, body := do(t, "POST", url+"/subjects/"+tt.subject+"/versions", schemaJSON(t, tt.text), "")
		if tt.wantRule == "" {
			if status != 200 {
				t.Errorf("%s: %d %s", tt.name, status, body)
			}
			continue
		}
		e := errorOf(t, body)
		if status != 409 || e.Code != 40901 || len(e.Findings) != 1 || e.Findings[0].Rule != tt.wantRule ||
			!strings.Contains(e.Findings[0].Message, tt.wantHint) || !strings.Contains(e.Message, tt.wantHint) {
			t.Errorf("%s: %d %s; want 40901 with one %s finding containing %q", tt.name, status, body, tt.wantRule, tt.wantHint)
		}
	}
}
