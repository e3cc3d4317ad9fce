package compat_test

import (
	"context"
	"fmt"

	"github.com/bufbuild/protocompile"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/registry/compat"
)

// compileExample compiles one .proto source; a registry compiles what a
// client registers the same way.
func compileExample(src string) protoreflect.FileDescriptor {
	c := protocompile.Compiler{Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
		Accessor: protocompile.SourceAccessorFromMap(map[string]string{"usage.proto": src}),
	})}
	files, err := c.Compile(context.Background(), "usage.proto")
	if err != nil {
		panic(err)
	}
	return files[0]
}

func ExampleCheck() {
	v1 := compileExample(`syntax = "proto3"; package acme.v1;
message Usage { string count = 1; string command = 2; }`)
	v2 := compileExample(`syntax = "proto3"; package acme.v1;
message Usage { string count = 1; }`)
	v3 := compileExample(`syntax = "proto3"; package acme.v1;
message Usage { string count = 1; int64 command_id = 2; }`)
	previous := []protoreflect.FileDescriptor{v1, v2}

	for _, name := range []string{"BACKWARD", "BACKWARD_TRANSITIVE", "BACKWARD_RESERVED"} {
		level, err := compat.ParseLevel(name)
		if err != nil {
			panic(err)
		}
		diffs, err := compat.Check(level, v3, previous)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %d difference(s)\n", level, len(diffs))
		for _, d := range diffs {
			fmt.Printf("  version %d: %v\n", d.Previous+1, d)
		}
	}
	// Output:
	// BACKWARD: 0 difference(s)
	// BACKWARD_TRANSITIVE: 1 difference(s)
	//   version 1: BACKWARD FIELD_SCALAR_KIND_CHANGED acme.v1.Usage.command_id: field command (2) is string in the old schema and int64 in the new schema, which are not wire-compatible
	// BACKWARD_RESERVED: 0 difference(s)
}

func ExampleParseLevel() {
	for _, name := range []string{"full_transitive", "FORWARD_RESERVED", "WIRE"} {
		level, err := compat.ParseLevel(name)
		if err != nil {
			fmt.Println("error:", err != nil)
			continue
		}
		fmt.Println(level, level.Backward(), level.Forward(), level.Transitive(), level.ReservesNumbers())
	}
	// Output:
	// FULL_TRANSITIVE true true true false
	// FORWARD_RESERVED false true false true
	// error: true
}
