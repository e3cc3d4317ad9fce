package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/sr"

	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
)

// BenchmarkSchemaByID measures GET /schemas/ids/{id} over loopback
// against a net/http handler that writes a fixed byte slice of the same
// size, in the same run ("baseline"); p99-ns is the 99th percentile of one
// request.
func BenchmarkSchemaByID(b *testing.B) {
	for _, backend := range benchBackends() {
		url, _ := newServer(b, backend, api.Options{NoAuth: true})
		cl := client(b, url)
		s, err := cl.CreateSchema(context.Background(), "orders-value", protobuf(plainV1))
		if err != nil {
			b.Fatal(err)
		}
		target := fmt.Sprintf("%s/schemas/ids/%d", url, s.ID)
		status, body := do(b, "GET", target, "", "")
		if status != 200 {
			b.Fatalf("GET: %d %s", status, body)
		}
		fixed := append(body, '\n')
		base := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", api.ContentType)
			w.Write(fixed)
		}))
		b.Cleanup(base.Close)
		b.Run(backend, func(b *testing.B) { getLoop(b, target, "") })
		// The same with an API key (looked up once, then cached).
		aurl, ast := newServer(b, backend, api.Options{})
		key, err := auth.Create(context.Background(), ast, "bench", "ci", store.ScopeWrite, "")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := client(b, aurl, sr.BearerToken(key)).CreateSchema(context.Background(), "orders-value", protobuf(plainV1)); err != nil {
			b.Fatal(err)
		}
		b.Run(backend+"-key", func(b *testing.B) { getLoop(b, fmt.Sprintf("%s/schemas/ids/%d", aurl, s.ID), key) })
		b.Run("baseline", func(b *testing.B) { getLoop(b, base.URL+"/schemas/ids/1", "") })
	}
}

func getLoop(b *testing.B, target, key string) {
	b.ReportAllocs()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	req, err := http.NewRequest("GET", target, nil)
	if err != nil {
		b.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
		lat = append(lat, time.Since(start))
	}
	reportPercentiles(b, lat)
}

// BenchmarkRegister measures a registration that creates a version: of a
// plain schema (compatibility only), and of the Light Agent's update
// scenario with the catalog pushed (compilation with the catalog's
// files, the model's checks, compatibility and the privacy rules against
// the previous version), with p50 and p99.
func BenchmarkRegister(b *testing.B) {
	for _, backend := range benchBackends() {
		b.Run(backend+"/plain", func(b *testing.B) {
			url, _ := newServer(b, backend, api.Options{NoAuth: true})
			i := 0
			registerLoop(b, url, "orders-value", func() string {
				i++
				return strings.Replace(plainV2, "string note = 3;", fmt.Sprintf("string note = 3;\n  string extra%d = %d;", i, i+3), 1)
			})
		})
		b.Run(backend+"/scenario", func(b *testing.B) {
			url, _ := newServer(b, backend, api.Options{NoAuth: true})
			if status, body := do(b, "POST", url+"/provision/v1/catalogs/kaspersky/versions", string(catalog(b)), ""); status != 200 {
				b.Fatalf("push: %d %s", status, body)
			}
			text := source(b, updateProto)
			i := 0
			registerLoop(b, url, "ksvla-update-value", func() string {
				i++
				// A new comment is a new schema the rules compare.
				return text + fmt.Sprintf("\n// revision %d\n", i)
			})
		})
	}
}

func registerLoop(b *testing.B, url, subject string, next func() string) {
	b.ReportAllocs()
	var lat []time.Duration
	for b.Loop() {
		body := schemaJSON(b, next())
		start := time.Now()
		status, resp := do(b, "POST", url+"/subjects/"+subject+"/versions", body, "")
		lat = append(lat, time.Since(start))
		if status != 200 {
			b.Fatalf("register: %d %s", status, resp)
		}
	}
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}

// benchBackends are the stores the benchmarks run on.
func benchBackends() []string {
	if testingPG() {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}
