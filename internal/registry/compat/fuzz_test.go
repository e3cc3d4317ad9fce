package compat

import (
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// compiledBases are the corpus's bases, compiled once per test binary.
var compiledBases = sync.OnceValues(func() ([]schema, error) {
	out := make([]schema, len(bases))
	for i, b := range bases {
		s, err := compileBase(b)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
})

// mutateFromBytes applies to s the mutations data chooses, two bytes a
// step: which mutation (a scalar kind change when it is past the end of
// mutations), and where.
func mutateFromBytes(s schema, data []byte) {
	for i := 0; i+1 < len(data); i += 2 {
		choice, site := int(data[i]), int(data[i+1])
		if choice%(len(mutations)+1) == len(mutations) {
			if kms := kindMutations(s); len(kms) > 0 {
				kms[site%len(kms)](s)
			}
			continue
		}
		m := mutations[choice%(len(mutations)+1)]
		if n := m.sites(s); n > 0 {
			m.apply(s, site%n)
		}
	}
}

// FuzzCheck checks random mutations of the corpus's bases against each
// other: Check never fails or panics on them, FULL is BACKWARD and then
// FORWARD, BACKWARD one way is FORWARD the other way, a transitive level
// with one previous version is its plain level, a schema is compatible
// with itself, and RequireReserved only adds its own rules.
func FuzzCheck(f *testing.F) {
	f.Add(byte(0), []byte{}, []byte{0, 0})
	f.Add(byte(0), []byte{1, 3, 5, 7}, []byte{})
	f.Add(byte(1), []byte{8, 2}, []byte{20, 1, 33, 0})
	f.Add(byte(2), []byte{38, 0}, []byte{4, 9})
	f.Add(byte(3), []byte{3, 1}, []byte{17, 2})
	f.Fuzz(func(t *testing.T, base byte, oldOps, newOps []byte) {
		bs, err := compiledBases()
		if err != nil {
			t.Fatal(err)
		}
		b := bs[int(base)%len(bs)]
		o, n := b.clone(), b.clone()
		mutateFromBytes(o, oldOps)
		mutateFromBytes(n, newOps)
		oldFD, err := o.build()
		if err != nil {
			t.Skip("the old schema is invalid")
		}
		newFD, err := n.build()
		if err != nil {
			t.Skip("the new schema is invalid")
		}
		checkProperties(t, oldFD, newFD)
	})
}

// checkProperties asserts what must hold of any two schemas.
func checkProperties(t *testing.T, oldFD, newFD protoreflect.FileDescriptor) {
	t.Helper()
	check := func(level Level, cand protoreflect.FileDescriptor, prev ...protoreflect.FileDescriptor) []Difference {
		t.Helper()
		diffs, err := Check(level, cand, prev)
		if err != nil {
			t.Fatalf("%v: %v", level, err)
		}
		for _, d := range diffs {
			if !slices.ContainsFunc(rules, func(r RuleSpec) bool { return r.ID == d.Rule }) || d.Path == "" || d.File == "" || d.Message == "" {
				t.Fatalf("%v: incomplete difference %#v", level, d)
			}
		}
		return diffs
	}
	backward := check(Backward, newFD, oldFD)
	forward := check(Forward, newFD, oldFD)
	if d := cmp.Diff(append(slices.Clone(backward), forward...), check(Full, newFD, oldFD)); d != "" {
		t.Fatalf("FULL is not BACKWARD then FORWARD (-want +got):\n%s", d)
	}
	if d := cmp.Diff(check(Full, newFD, oldFD), check(FullTransitive, newFD, oldFD)); d != "" {
		t.Fatalf("FULL_TRANSITIVE with one version is not FULL (-want +got):\n%s", d)
	}
	swapped := check(Forward, oldFD, newFD)
	if d := cmp.Diff(rulesOf(backward), rulesOf(swapped)); d != "" {
		t.Fatalf("BACKWARD new over old is not FORWARD old over new (-want +got):\n%s", d)
	}
	if len(backward) != len(swapped) {
		t.Fatalf("BACKWARD new over old has %d differences, FORWARD old over new %d", len(backward), len(swapped))
	}
	for _, fd := range []protoreflect.FileDescriptor{oldFD, newFD} {
		if diffs := check(FullTransitive.RequireReserved(), fd, fd, fd); len(diffs) != 0 {
			t.Fatalf("a schema against itself: %v", diffs)
		}
	}
	reserved := check(Full.RequireReserved(), newFD, oldFD)
	var extra []Difference
	for _, d := range reserved {
		if d.Direction == History {
			extra = append(extra, d)
		} else if d.Rule == RuleFieldNumberNotReserved || d.Rule == RuleEnumValueNumberNotReserved {
			t.Fatalf("reserved rule outside History: %v", d)
		}
	}
	if len(reserved)-len(extra) != len(backward)+len(forward) {
		t.Fatalf("RequireReserved changed the other differences: %d, want %d", len(reserved)-len(extra), len(backward)+len(forward))
	}
}

// FuzzCheckDescriptors checks any two files that decode and link, from
// their wire form, unresolvable references allowed (they link to
// placeholders): Check must not panic or fail on them.
func FuzzCheckDescriptors(f *testing.F) {
	bs, err := compiledBases()
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range bs {
		data, err := proto.Marshal(&descriptorpb.FileDescriptorSet{File: b.files()})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, data)
	}
	// A file whose imports are missing: its types are placeholders.
	lone, err := proto.Marshal(&descriptorpb.FileDescriptorSet{File: []*descriptorpb.FileDescriptorProto{bs[2].main}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(lone, lone)
	f.Fuzz(func(t *testing.T, oldData, newData []byte) {
		link := func(data []byte) protoreflect.FileDescriptor {
			set := &descriptorpb.FileDescriptorSet{}
			if err := proto.Unmarshal(data, set); err != nil || len(set.File) == 0 {
				return nil
			}
			files := new(protoregistry.Files)
			var last protoreflect.FileDescriptor
			for _, fp := range set.File {
				fd, err := (protodesc.FileOptions{AllowUnresolvable: true}).New(fp, resolverChain{files})
				if err != nil {
					return nil
				}
				if err := files.RegisterFile(fd); err != nil {
					return nil
				}
				last = fd
			}
			return last
		}
		oldFD, newFD := link(oldData), link(newData)
		if oldFD == nil || newFD == nil {
			t.Skip("does not link")
		}
		checkProperties(t, oldFD, newFD)
	})
}
