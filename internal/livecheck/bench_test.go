package livecheck_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/livecheck"
	"github.com/provisionhq/provision/internal/model"
)

// benchPayloadsEnv sets how many records BenchmarkCapture's capture
// holds (100,000 unless set).
const benchPayloadsEnv = "PROVISION_LIVECHECK_BENCH_PAYLOADS"

// benchCapture is an NDJSON capture of n payloads of every scenario of
// the Acme catalog the full consent allows, in turn, each filled from
// examples and redacted under that consent.
func benchCapture(b *testing.B, cat *model.Catalog, n int) []byte {
	b.Helper()
	keys := testKeys(b, cat)
	r := rand.New(rand.NewPCG(3, 4))
	var lines [][]byte
	for _, s := range cat.Scenarios() {
		c := fullConsent(s.Product)
		if !c.Grants(s.Agreement) || len(s.Fields) == 0 {
			continue
		}
		for range 20 {
			m := examplePayload(b, r, s, 0.5+r.Float64()/2)
			if m == nil {
				continue
			}
			_ = impl.Redact(m, c, keys)
			js, err := protojson.Marshal(m)
			if err != nil {
				b.Fatal(err)
			}
			lines = append(lines, []byte(`{"message": "`+string(s.Message.FullName())+`", "payload": `+string(js)+"}\n"))
		}
	}
	var buf bytes.Buffer
	for i := range n {
		buf.Write(lines[i%len(lines)])
	}
	return buf.Bytes()
}

// BenchmarkCapture reads an NDJSON capture of 100,000 payloads (or
// PROVISION_LIVECHECK_BENCH_PAYLOADS) once per iteration: decoding alone
// (each record read and its payload decoded as its message) against the
// whole live-check, in the same run; payloads/s is the figure the README
// reports.
func BenchmarkCapture(b *testing.B) {
	cat := loadCatalogs(b)["acme"]
	n := fixture.Size(b, benchPayloadsEnv, 100_000)
	capture := benchCapture(b, cat, n)
	byName := map[string]*model.Scenario{}
	for _, s := range cat.Scenarios() {
		byName[string(s.Message.FullName())] = s
	}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			livecheck.ReadNDJSON(bytes.NewReader(capture), "-", func(r livecheck.Record) {
				m := dynamicpb.NewMessage(byName[string(r.Message)].Message)
				if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(r.Data, m); err != nil {
					b.Fatal(err)
				}
			}, func(e *livecheck.InputError) { b.Fatal(e) })
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "payloads/s")
	})
	b.Run("live-check", func(b *testing.B) {
		b.ReportAllocs()
		ch, err := livecheck.New(cat, allOf(b, cat))
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			rep := ch.Run(context.Background(), []string{"-"}, bytes.NewReader(capture))
			if rep.Records != n || rep.Fails(livecheck.Warning) || len(rep.InputErrors) > 0 {
				b.Fatalf("%d records, findings %v, input errors %v", rep.Records, rep.Counts, strings.Join(rep.InputErrors, "; "))
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "payloads/s")
	})
}
