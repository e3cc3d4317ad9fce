package conformance_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// BenchmarkRegistryRedact redacts one Confluent frame of the Acme
// UsageReport through the registry's redact resource on loopback
// (httptest, keep-alive), and then, in the same run, the same payload
// in process with the generated Redact, decoding and encoding it as the
// server does. It reports the HTTP requests per second, the in-process
// time per payload and the ratio of the two times.
func BenchmarkRegistryRedact(b *testing.B) {
	keys := testKeys(b)
	reg := newRegistry(b, keys)
	var s *model.Scenario
	for _, sc := range scenarios(b) {
		if sc.Message.FullName() == "acme.notes.v1.UsageReport" {
			s = sc
		}
	}
	if s == nil {
		b.Fatal("no acme.notes.v1.UsageReport scenario")
	}
	levels := s.Product.ConsentLevels()
	c := levels[len(levels)-1]
	var in payload
	var body []byte
	for seed := uint64(0); body == nil; seed++ {
		p := newPayload(b, s)
		randomMessage(rand.New(rand.NewPCG(seed, 1)), p.ProtoReflect(), 0)
		if proto.Size(p) < 200 {
			continue
		}
		if bb, sent, ok := request(b, reg.ids[s], p, confluentFrame); ok {
			body, in = bb, sent
		}
	}
	bin := mustMarshal(b, in)
	u := fmt.Sprintf("%s/provision/v1/schemas/ids/%d/redact?consent=%s", reg.url, reg.ids[s], consentQuery(c))
	client := &http.Client{}
	b.ReportAllocs()
	start := time.Now()
	n := 0
	for b.Loop() {
		resp, err := client.Post(u, "application/octet-stream", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		n++
	}
	httpNs := float64(time.Since(start).Nanoseconds()) / float64(n)

	// The same payloads in process, as many times.
	start = time.Now()
	for range n {
		m := proto.Clone(in).(payload)
		proto.Reset(m)
		if err := proto.Unmarshal(bin, m); err != nil {
			b.Fatal(err)
		}
		if err := m.Redact(c, keys); err != nil && !errors.As(err, new(*impl.RedactError)) {
			b.Fatal(err)
		}
		if _, err := proto.Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
	genNs := float64(time.Since(start).Nanoseconds()) / float64(n)
	b.ReportMetric(1e9/httpNs, "http-req/s")
	b.ReportMetric(genNs, "generated-ns/payload")
	b.ReportMetric(httpNs/genNs, "http/generated")
}
