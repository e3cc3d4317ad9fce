package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/provisionhq/provision/internal/registry/store"
)

// baselineLookups is how many map lookups time the baseline of
// BenchSchemaByID.
const baselineLookups = 2_000_000

var sink store.Schema

// BenchSchemaByID measures SchemaByID on s over 100 stored schemas and
// reports, as "x-map", its time per read over that of a lookup in a
// plain map of the same schemas, timed in the same run.
func BenchSchemaByID(b *testing.B, s store.Store) {
	ctx := context.Background()
	ids := make([]int64, 100)
	baseline := map[int64]store.Schema{}
	for i := range ids {
		v, _, err := s.RegisterVersion(ctx, store.Registration{Subject: fmt.Sprintf("read-%d", i%10), Schema: Schema(fmt.Sprintf("R%d", i))})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = v.Schema.ID
		baseline[v.Schema.ID] = v.Schema
	}
	start := time.Now()
	for i := range baselineLookups {
		sink = baseline[ids[i%len(ids)]]
	}
	mapNs := float64(time.Since(start).Nanoseconds()) / baselineLookups
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sc, err := s.SchemaByID(ctx, ids[i%len(ids)])
		if err != nil {
			b.Fatal(err)
		}
		sink = sc
		i++
	}
	b.ReportMetric(mapNs, "map-ns/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/mapNs, "x-map")
}

// BenchRegister measures registrations of new schemas on s, spread over
// 64 subjects, each with a check that receives the subject's previous
// versions (as the registry's compatibility check does) and an audit
// record, and reports their median and 99th percentile latency.
func BenchRegister(b *testing.B, s store.Store) {
	ctx := context.Background()
	var lat []time.Duration
	accept := func([]store.Version) error { return nil }
	i := 0
	for b.Loop() {
		t0 := time.Now()
		_, created, err := s.RegisterVersion(ctx, store.Registration{Subject: fmt.Sprintf("bench-%d", i%64),
			Schema: Schema(fmt.Sprintf("B%d", i)), Check: accept, Audit: &store.Audit{Actor: "bench"}})
		lat = append(lat, time.Since(t0))
		if err != nil || !created {
			b.Fatalf("registration %d: created %v, %v", i, created, err)
		}
		i++
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds())
	}
	b.ReportMetric(pct(0.50), "p50-us")
	b.ReportMetric(pct(0.99), "p99-us")
}
