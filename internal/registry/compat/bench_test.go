package compat

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/protosrc"
)

// The benchmarks check the repository's catalog (proto/) against its last
// release (testdata/versions/released.binpb), file by file as a registry
// holds them, and compare that with compiling the catalog from its text,
// which a registration pays anyway.

// catalogPair is each file of the catalog with its released version.
type catalogPair struct {
	files    int
	current  []protoreflect.FileDescriptor
	released []protoreflect.FileDescriptor // by index of current; nil for a new file
}

// loadCatalogPair compiles the catalog and reads its release, once.
var loadCatalogPair = sync.OnceValues(func() (*catalogPair, error) {
	root, err := layout.FindRoot(".")
	if err != nil {
		return nil, err
	}
	cat, err := protosrc.CompileCatalog(context.Background(), root)
	if err != nil {
		return nil, err
	}
	cur, err := protodesc.NewFiles(cat.Set)
	if err != nil {
		return nil, fmt.Errorf("link the catalog: %w", err)
	}
	data, err := os.ReadFile(filepath.Join(root, "testdata", "versions", "released.binpb"))
	if err != nil {
		return nil, err
	}
	set := &descriptorpb.FileDescriptorSet{}
	if err := proto.Unmarshal(data, set); err != nil {
		return nil, fmt.Errorf("read the released image: %w", err)
	}
	rel, err := protodesc.NewFiles(set)
	if err != nil {
		return nil, fmt.Errorf("link the released image: %w", err)
	}
	p := &catalogPair{}
	for _, path := range cat.Files {
		fd, err := cur.FindFileByPath(path)
		if err != nil {
			return nil, err
		}
		p.current = append(p.current, fd)
		old, err := rel.FindFileByPath(path)
		if err != nil {
			old = nil
		}
		p.released = append(p.released, old)
	}
	p.files = len(cat.Files)
	return p, nil
})

// checkCatalog checks every file of the catalog against its release.
func checkCatalog(b *testing.B, level Level) {
	p, err := loadCatalogPair()
	if err != nil {
		b.Fatal(err)
	}
	messages := 0
	for _, fd := range p.current {
		messages += countMessages(fd.Messages())
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, fd := range p.current {
			if p.released[i] == nil {
				continue
			}
			if _, err := Check(level, fd, []protoreflect.FileDescriptor{p.released[i]}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(messages), "messages")
}

// countMessages counts ms and the messages nested in them.
func countMessages(ms protoreflect.MessageDescriptors) int {
	n := ms.Len()
	for i := range ms.Len() {
		n += countMessages(ms.Get(i).Messages())
	}
	return n
}

// benchCheckBackward and benchCheckFullReserved check the catalog under
// BACKWARD and FULL_RESERVED.
func benchCheckBackward(b *testing.B)     { checkCatalog(b, Backward) }
func benchCheckFullReserved(b *testing.B) { checkCatalog(b, Full.RequireReserved()) }

// benchCompile compiles the catalog from its text with protocompile
// (protosrc.CompileCatalog, what the CLI and the tests use) and links it.
func benchCompile(b *testing.B) {
	root, err := layout.FindRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		cat, err := protosrc.CompileCatalog(context.Background(), root)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := protodesc.NewFiles(cat.Set); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCatalog(b *testing.B) {
	b.Run("check/BACKWARD", benchCheckBackward)
	b.Run("check/FULL_RESERVED", benchCheckFullReserved)
	b.Run("compile", benchCompile)
}

// benchRatiosEnv opts in to TestBenchmarkRatios, as in internal/conformance.
const benchRatiosEnv = "PROVISION_BENCH_RATIOS"

// TestBenchmarkRatios runs the catalog benchmarks in one process, three
// interleaved rounds keeping the fastest of each, and logs how checking
// compares with compiling. It asserts nothing about timing and runs only
// when PROVISION_BENCH_RATIOS=1:
//
//	PROVISION_BENCH_RATIOS=1 go test -run TestBenchmarkRatios -v ./internal/registry/compat
func TestBenchmarkRatios(t *testing.T) {
	if os.Getenv(benchRatiosEnv) != "1" {
		t.Skipf("set %s=1 to run the benchmarks", benchRatiosEnv)
	}
	if _, err := loadCatalogPair(); err != nil {
		t.Fatal(err)
	}
	ns := func(r testing.BenchmarkResult) float64 { return float64(r.T.Nanoseconds()) / float64(r.N) }
	benches := []struct {
		name string
		f    func(*testing.B)
	}{
		{"check/BACKWARD", benchCheckBackward}, {"check/FULL_RESERVED", benchCheckFullReserved}, {"compile", benchCompile},
	}
	best := map[string]testing.BenchmarkResult{}
	for range 3 {
		for _, bb := range benches {
			r := testing.Benchmark(bb.f)
			if r.N == 0 {
				t.Fatalf("benchmark %s failed", bb.name)
			}
			if old, ok := best[bb.name]; !ok || ns(r) < ns(old) {
				best[bb.name] = r
			}
		}
	}
	p, _ := loadCatalogPair()
	compile := ns(best["compile"])
	t.Logf("catalog: %d files, %.0f messages", p.files, best["check/BACKWARD"].Extra["messages"])
	for _, name := range []string{"check/BACKWARD", "check/FULL_RESERVED"} {
		r := best[name]
		t.Logf("%s: %.1f µs/op, %d allocs/op; %.4f× compiling (%.1f µs/op)", name, ns(r)/1e3, r.AllocsPerOp(), ns(r)/compile, compile/1e3)
	}
}
