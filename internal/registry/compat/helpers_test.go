package compat

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/reporter"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// mainFile is the path every test schema is compiled under.
const mainFile = "test.proto"

// withHeader gives src a proto3 syntax line and package t unless it
// states its syntax or edition itself.
func withHeader(src string) string {
	trimmed := strings.TrimSpace(src)
	if strings.HasPrefix(trimmed, "syntax") || strings.HasPrefix(trimmed, "edition") {
		return src
	}
	return "syntax = \"proto3\";\npackage t;\n" + src
}

// compile compiles the schema src as test.proto, with deps (path to
// source) as the files it may import, and returns its descriptor.
func compile(t testing.TB, src string, deps map[string]string) protoreflect.FileDescriptor {
	t.Helper()
	fd, err := compileSource(src, deps)
	if err != nil {
		t.Fatalf("compile:\n%s\n%v", withHeader(src), err)
	}
	return fd
}

// compileSource compiles src as test.proto with deps beside it.
func compileSource(src string, deps map[string]string) (protoreflect.FileDescriptor, error) {
	files := map[string]string{mainFile: withHeader(src)}
	for p, s := range deps {
		files[p] = withHeader(s)
	}
	c := protocompile.Compiler{
		Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
			Accessor: protocompile.SourceAccessorFromMap(files),
		}),
		Reporter: reporter.NewReporter(nil, nil),
	}
	linked, err := c.Compile(context.Background(), mainFile)
	if err != nil {
		return nil, err
	}
	return linked[0], nil
}

// rulesOf returns the rules of diffs, sorted, each once.
func rulesOf(diffs []Difference) []Rule {
	var out []Rule
	for _, d := range diffs {
		out = append(out, d.Rule)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// union returns the rules of a and b, sorted, each once.
func union(a, b []Rule) []Rule {
	out := append(append([]Rule(nil), a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}
