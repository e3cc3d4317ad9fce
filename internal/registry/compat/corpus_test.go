package compat

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/reporter"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// The corpus of the differential test and the fuzz target: a few base
// schemas, compiled from text with protocompile, and mutations of their
// descriptors. A pair is a base (old) and a mutation of it (new).

// baseSchema is one schema of the corpus: its main file and the files it
// imports (beside the well-known types), by path.
type baseSchema struct {
	name string
	main string
	deps map[string]string
}

// bases are the schemas mutations start from: proto3 with every kind,
// oneofs, a map, optional and reserved numbers; proto2 with required
// fields, defaults, a group and an extension; a schema whose types come
// from an import; and an editions schema.
var bases = []baseSchema{
	{
		name: "proto3",
		main: `syntax = "proto3";
package base;
import "google/protobuf/timestamp.proto";
message Record {
  int32 count = 1;
  string name = 2;
  bytes blob = 3;
  double ratio = 4;
  sint64 delta = 5;
  fixed32 crc = 6;
  Status status = 7;
  Detail detail = 8;
  repeated int64 samples = 9;
  repeated string tags = 10;
  map<string, int32> counters = 11;
  optional uint32 limit = 12;
  google.protobuf.Timestamp at = 13;
  oneof source {
    string url = 14;
    Detail inline = 15;
    int32 code = 16;
  }
  reserved 20 to 25;
  reserved "legacy";
}
message Detail {
  string text = 1;
  int64 size = 2;
  Level level = 3;
  enum Level {
    LEVEL_UNSPECIFIED = 0;
    LEVEL_LOW = 1;
    LEVEL_HIGH = 2;
  }
  message Note {
    string body = 1;
  }
  repeated Note notes = 4;
}
message Spare {
  bool flag = 1;
  float weight = 2;
  sfixed64 mark = 3;
}
enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_ACTIVE = 1;
  STATUS_DISABLED = 2;
  reserved 5;
}
`,
	},
	{
		name: "proto2",
		main: `syntax = "proto2";
package base;
message Order {
  required string id = 1;
  optional int32 quantity = 2 [default = 1];
  repeated fixed64 stamps = 3;
  optional Kind kind = 4;
  optional group Extra = 5 {
    optional string note = 6;
  }
  optional Item item = 7;
  repeated Item items = 8;
  optional sfixed32 offset = 9;
  oneof payment {
    string card = 10;
    int64 voucher = 11;
  }
  required uint64 total = 12;
  extensions 100 to 199;
}
message Item {
  optional string sku = 1;
  optional uint64 price = 2;
  required bool taxed = 3;
}
enum Kind {
  KIND_NORMAL = 0;
  KIND_RUSH = 1;
}
extend Order {
  optional string comment = 100;
}
`,
	},
	{
		name: "import",
		main: `syntax = "proto3";
package base;
import "dep.proto";
message Customer {
  string name = 1;
  base.dep.Address home = 2;
  repeated base.dep.Address others = 3;
  base.dep.Country country = 4;
  map<string, base.dep.Address> by_label = 5;
}
message Address {
  string street = 1;
  int32 number = 2;
}
`,
		deps: map[string]string{"dep.proto": `syntax = "proto3";
package base.dep;
message Address {
  string street = 1;
  int32 number = 2;
  Country country = 3;
}
enum Country {
  COUNTRY_UNSPECIFIED = 0;
  COUNTRY_CH = 1;
}
`},
	},
	{
		name: "editions",
		main: `edition = "2023";
package base;
message Event {
  int32 id = 1;
  string label = 2 [features.field_presence = IMPLICIT];
  Payload payload = 3 [features.message_encoding = DELIMITED];
  repeated int32 values = 4 [features.repeated_field_encoding = EXPANDED];
  int64 must = 5 [features.field_presence = LEGACY_REQUIRED];
  Payload plain = 6;
  oneof choice {
    uint32 small = 7;
    string big = 8;
  }
}
message Payload {
  bytes data = 1;
  sint32 shift = 2;
}
`,
	},
}

// schema is one side of a pair: the main file and its imports, the
// well-known types left out (they are the same everywhere).
type schema struct {
	main *descriptorpb.FileDescriptorProto
	deps []*descriptorpb.FileDescriptorProto
}

// clone returns a deep copy of s.
func (s schema) clone() schema {
	out := schema{main: proto.CloneOf(s.main)}
	for _, d := range s.deps {
		out.deps = append(out.deps, proto.CloneOf(d))
	}
	return out
}

// files returns the dependencies, then the main file.
func (s schema) files() []*descriptorpb.FileDescriptorProto {
	return append(append([]*descriptorpb.FileDescriptorProto(nil), s.deps...), s.main)
}

// compileBase compiles a base schema with protocompile into descriptors
// without source information.
func compileBase(b baseSchema) (schema, error) {
	s, err := compileSchema("main.proto", b.main, b.deps)
	if err != nil {
		return schema{}, fmt.Errorf("compile base %s: %w", b.name, err)
	}
	return s, nil
}

// compileSchema compiles src as the file main, with deps (path to source)
// as the files it may import.
func compileSchema(main, src string, deps map[string]string) (schema, error) {
	files := map[string]string{main: src}
	for p, s := range deps {
		files[p] = s
	}
	c := protocompile.Compiler{
		Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
			Accessor: protocompile.SourceAccessorFromMap(files),
		}),
		Reporter: reporter.NewReporter(nil, nil),
	}
	linked, err := c.Compile(context.Background(), main)
	if err != nil {
		return schema{}, err
	}
	var s schema
	s.main = protodesc.ToFileDescriptorProto(linked[0])
	imports := linked[0].Imports()
	for i := range imports.Len() {
		fd := imports.Get(i).FileDescriptor
		if _, ok := deps[fd.Path()]; ok {
			s.deps = append(s.deps, protodesc.ToFileDescriptorProto(fd))
		}
	}
	return s, nil
}

// build links the schema's files, with the well-known types from the
// global registry, and returns its main file.
func (s schema) build() (protoreflect.FileDescriptor, error) {
	files := new(protoregistry.Files)
	resolver := resolverChain{files}
	var main protoreflect.FileDescriptor
	for _, f := range s.files() {
		fd, err := protodesc.NewFile(f, resolver)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.GetName(), err)
		}
		if err := files.RegisterFile(fd); err != nil {
			return nil, fmt.Errorf("%s: %w", f.GetName(), err)
		}
		main = fd
	}
	return main, nil
}

// resolverChain resolves files from the schema's own files, then from the
// global registry (the well-known types).
type resolverChain struct{ own *protoregistry.Files }

// FindFileByPath implements protodesc.Resolver.
func (r resolverChain) FindFileByPath(path string) (protoreflect.FileDescriptor, error) {
	if fd, err := r.own.FindFileByPath(path); err == nil {
		return fd, nil
	}
	return protoregistry.GlobalFiles.FindFileByPath(path)
}

// FindDescriptorByName implements protodesc.Resolver.
func (r resolverChain) FindDescriptorByName(name protoreflect.FullName) (protoreflect.Descriptor, error) {
	if d, err := r.own.FindDescriptorByName(name); err == nil {
		return d, nil
	}
	return protoregistry.GlobalFiles.FindDescriptorByName(name)
}

// pair is one entry of the corpus.
type pair struct {
	id       int
	base     string
	mutation string // what was changed, in words
	old, new schema
}

// mutation changes a schema in place and says what it did; ok is false
// when it does not apply. rng is used only by mutations that choose.
type mutation struct {
	name  string
	sites func(s schema) int // how many places it applies to
	apply func(s schema, site int) (string, bool)
}

// messageSite is a message of a schema, with the file it is declared in
// and its full name.
type messageSite struct {
	file *descriptorpb.FileDescriptorProto
	msg  *descriptorpb.DescriptorProto
	name string // full name, without the leading dot
}

// messages lists every message of the schema's files, nested ones too,
// map entries left out.
func messages(s schema) []messageSite {
	var out []messageSite
	var walk func(f *descriptorpb.FileDescriptorProto, prefix string, ms []*descriptorpb.DescriptorProto)
	walk = func(f *descriptorpb.FileDescriptorProto, prefix string, ms []*descriptorpb.DescriptorProto) {
		for _, m := range ms {
			if m.GetOptions().GetMapEntry() {
				continue
			}
			name := prefix + m.GetName()
			out = append(out, messageSite{f, m, name})
			walk(f, name+".", m.GetNestedType())
		}
	}
	for _, f := range s.files() {
		walk(f, pkgPrefix(f), f.GetMessageType())
	}
	return out
}

// pkgPrefix returns the package of f and a dot, or "" without a package.
func pkgPrefix(f *descriptorpb.FileDescriptorProto) string {
	if f.GetPackage() == "" {
		return ""
	}
	return f.GetPackage() + "."
}

// enumSite is an enum of a schema.
type enumSite struct {
	file *descriptorpb.FileDescriptorProto
	enum *descriptorpb.EnumDescriptorProto
	name string
}

// enums lists every enum of the schema's files, nested ones too.
func enums(s schema) []enumSite {
	var out []enumSite
	for _, f := range s.files() {
		for _, e := range f.GetEnumType() {
			out = append(out, enumSite{f, e, pkgPrefix(f) + e.GetName()})
		}
	}
	for _, m := range messages(s) {
		for _, e := range m.msg.GetEnumType() {
			out = append(out, enumSite{m.file, e, m.name + "." + e.GetName()})
		}
	}
	return out
}

// fieldSite is a field of a message.
type fieldSite struct {
	messageSite
	index int
}

// field returns the field's descriptor.
func (f fieldSite) field() *descriptorpb.FieldDescriptorProto { return f.msg.Field[f.index] }

// fields lists every field of every message of messages(s).
func fields(s schema) []fieldSite {
	var out []fieldSite
	for _, m := range messages(s) {
		for i := range m.msg.GetField() {
			out = append(out, fieldSite{m, i})
		}
	}
	return out
}

// typeRefs calls fn with every type_name and extendee of the schema.
func typeRefs(s schema, fn func(ref *string)) {
	var walk func(ms []*descriptorpb.DescriptorProto)
	visitField := func(f *descriptorpb.FieldDescriptorProto) {
		if f.TypeName != nil {
			fn(f.TypeName)
		}
		if f.Extendee != nil {
			fn(f.Extendee)
		}
	}
	walk = func(ms []*descriptorpb.DescriptorProto) {
		for _, m := range ms {
			for _, f := range m.GetField() {
				visitField(f)
			}
			for _, f := range m.GetExtension() {
				visitField(f)
			}
			walk(m.GetNestedType())
		}
	}
	for _, f := range s.files() {
		walk(f.GetMessageType())
		for _, x := range f.GetExtension() {
			visitField(x)
		}
		for _, svc := range f.GetService() {
			for _, m := range svc.GetMethod() {
				fn(m.InputType)
				fn(m.OutputType)
			}
		}
	}
}

// renameTypes rewrites every reference to a type in from (full names,
// without the leading dot) to its new name.
func renameTypes(s schema, from map[string]string) {
	typeRefs(s, func(ref *string) {
		if to, ok := from[strings.TrimPrefix(*ref, ".")]; ok {
			*ref = "." + to
		}
	})
}

// declaredUnder lists the full names of the types declared in m (its own
// name first), under the prefix name.
func declaredUnder(m *descriptorpb.DescriptorProto, name string) []string {
	out := []string{name}
	for _, e := range m.GetEnumType() {
		out = append(out, name+"."+e.GetName())
	}
	for _, n := range m.GetNestedType() {
		out = append(out, declaredUnder(n, name+"."+n.GetName())...)
	}
	return out
}

// referenced reports whether any field of the schema refers to one of
// names.
func referenced(s schema, names []string) bool {
	found := false
	typeRefs(s, func(ref *string) {
		if slices.Contains(names, strings.TrimPrefix(*ref, ".")) {
			found = true
		}
	})
	return found
}

// scalarKinds are the 15 scalar types of protobuf.
var scalarKinds = []descriptorpb.FieldDescriptorProto_Type{
	descriptorpb.FieldDescriptorProto_TYPE_DOUBLE, descriptorpb.FieldDescriptorProto_TYPE_FLOAT,
	descriptorpb.FieldDescriptorProto_TYPE_INT64, descriptorpb.FieldDescriptorProto_TYPE_UINT64,
	descriptorpb.FieldDescriptorProto_TYPE_INT32, descriptorpb.FieldDescriptorProto_TYPE_FIXED64,
	descriptorpb.FieldDescriptorProto_TYPE_FIXED32, descriptorpb.FieldDescriptorProto_TYPE_BOOL,
	descriptorpb.FieldDescriptorProto_TYPE_STRING, descriptorpb.FieldDescriptorProto_TYPE_BYTES,
	descriptorpb.FieldDescriptorProto_TYPE_UINT32, descriptorpb.FieldDescriptorProto_TYPE_SFIXED32,
	descriptorpb.FieldDescriptorProto_TYPE_SFIXED64, descriptorpb.FieldDescriptorProto_TYPE_SINT32,
	descriptorpb.FieldDescriptorProto_TYPE_SINT64,
}

// kindWord words a field type: "int32", "string"…
func kindWord(t descriptorpb.FieldDescriptorProto_Type) string {
	return strings.ToLower(strings.TrimPrefix(t.String(), "TYPE_"))
}

// setScalar makes f a scalar of kind k, dropping what only its old kind
// allowed (a type name, a default, packing).
func setScalar(f *descriptorpb.FieldDescriptorProto, k descriptorpb.FieldDescriptorProto_Type) {
	f.Type = k.Enum()
	f.TypeName = nil
	f.DefaultValue = nil
	if f.Options != nil {
		f.Options.Packed = nil
	}
}

// isMapField reports whether f is a map field of m.
func isMapField(m *descriptorpb.DescriptorProto, f *descriptorpb.FieldDescriptorProto) bool {
	if f.GetType() != descriptorpb.FieldDescriptorProto_TYPE_MESSAGE || f.GetLabel() != descriptorpb.FieldDescriptorProto_LABEL_REPEATED {
		return false
	}
	for _, n := range m.GetNestedType() {
		if n.GetOptions().GetMapEntry() && strings.HasSuffix(f.GetTypeName(), "."+n.GetName()) {
			return true
		}
	}
	return false
}

// isProto3 reports whether f is a proto3 file.
func isProto3(f *descriptorpb.FileDescriptorProto) bool { return f.GetSyntax() == "proto3" }

// isEditions reports whether f is an editions file.
func isEditions(f *descriptorpb.FileDescriptorProto) bool { return f.GetSyntax() == "editions" }

// removeField removes field i of m, and its oneof when it was the last
// member, renumbering the other fields' oneof indexes.
func removeField(m *descriptorpb.DescriptorProto, i int) {
	f := m.Field[i]
	m.Field = slices.Delete(m.Field, i, i+1)
	if f.OneofIndex == nil {
		return
	}
	idx := f.GetOneofIndex()
	for _, g := range m.Field {
		if g.OneofIndex != nil && g.GetOneofIndex() == idx {
			return
		}
	}
	removeOneof(m, idx)
}

// removeOneof removes oneof idx of m (no field may be in it).
func removeOneof(m *descriptorpb.DescriptorProto, idx int32) {
	m.OneofDecl = slices.Delete(m.OneofDecl, int(idx), int(idx)+1)
	for _, g := range m.Field {
		if g.OneofIndex != nil && g.GetOneofIndex() > idx {
			g.OneofIndex = proto.Int32(g.GetOneofIndex() - 1)
		}
	}
}

// addOneof adds a real oneof named name to m, before the synthetic ones,
// and returns its index.
func addOneof(m *descriptorpb.DescriptorProto, name string) int32 {
	pos := int32(len(m.OneofDecl))
	for _, f := range m.Field {
		if f.GetProto3Optional() && f.GetOneofIndex() < pos {
			pos = f.GetOneofIndex()
		}
	}
	m.OneofDecl = slices.Insert(m.OneofDecl, int(pos), &descriptorpb.OneofDescriptorProto{Name: proto.String(name)})
	for _, g := range m.Field {
		if g.OneofIndex != nil && g.GetOneofIndex() >= pos {
			g.OneofIndex = proto.Int32(g.GetOneofIndex() + 1)
		}
	}
	return pos
}

// realOneofIndex returns f's real oneof index, or -1.
func realOneofIndex(f *descriptorpb.FieldDescriptorProto) int32 {
	if f.OneofIndex == nil || f.GetProto3Optional() {
		return -1
	}
	return f.GetOneofIndex()
}

// freeNumber returns a field number m does not use or reserve.
func freeNumber(m *descriptorpb.DescriptorProto) int32 {
	for n := int32(30); ; n++ {
		used := false
		for _, f := range m.Field {
			if f.GetNumber() == n {
				used = true
			}
		}
		for _, r := range m.ReservedRange {
			if n >= r.GetStart() && n < r.GetEnd() {
				used = true
			}
		}
		for _, r := range m.ExtensionRange {
			if n >= r.GetStart() && n < r.GetEnd() {
				used = true
			}
		}
		if !used {
			return n
		}
	}
}

// fieldMutation is a mutation applied to each field of the schema.
func fieldMutation(name string, fn func(s schema, f fieldSite) (string, bool)) mutation {
	return mutation{
		name:  name,
		sites: func(s schema) int { return len(fields(s)) },
		apply: func(s schema, site int) (string, bool) {
			fs := fields(s)
			if site >= len(fs) {
				return "", false
			}
			return fn(s, fs[site])
		},
	}
}

// messageMutation is a mutation applied to each message of the schema.
func messageMutation(name string, fn func(s schema, m messageSite) (string, bool)) mutation {
	return mutation{
		name:  name,
		sites: func(s schema) int { return len(messages(s)) },
		apply: func(s schema, site int) (string, bool) {
			ms := messages(s)
			if site >= len(ms) {
				return "", false
			}
			return fn(s, ms[site])
		},
	}
}

// enumMutation is a mutation applied to each enum of the schema.
func enumMutation(name string, fn func(s schema, e enumSite) (string, bool)) mutation {
	return mutation{
		name:  name,
		sites: func(s schema) int { return len(enums(s)) },
		apply: func(s schema, site int) (string, bool) {
			es := enums(s)
			if site >= len(es) {
				return "", false
			}
			return fn(s, es[site])
		},
	}
}

// scalarField reports whether f is a scalar field outside a map entry.
func scalarField(f fieldSite) bool {
	t := f.field().GetType()
	return t != descriptorpb.FieldDescriptorProto_TYPE_MESSAGE && t != descriptorpb.FieldDescriptorProto_TYPE_GROUP &&
		t != descriptorpb.FieldDescriptorProto_TYPE_ENUM
}

// mutations are every change the corpus makes, one site at a time.
var mutations = []mutation{
	// Kinds (kindMutations changes scalar kinds).
	fieldMutation("to enum", func(s schema, f fieldSite) (string, bool) {
		es := enums(s)
		fd := f.field()
		if len(es) == 0 || fd.GetType() == descriptorpb.FieldDescriptorProto_TYPE_ENUM || isMapField(f.msg, fd) {
			return "", false
		}
		// An enum of the field's own file, and for proto3 an open one.
		for _, e := range es {
			if e.file == f.file {
				setScalar(fd, descriptorpb.FieldDescriptorProto_TYPE_ENUM)
				fd.TypeName = proto.String("." + e.name)
				return fmt.Sprintf("field %s.%s to enum %s", f.name, fd.GetName(), e.name), true
			}
		}
		return "", false
	}),
	fieldMutation("to message", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		if fd.GetType() == descriptorpb.FieldDescriptorProto_TYPE_MESSAGE || isMapField(f.msg, fd) {
			return "", false
		}
		target := messages(s)[0]
		setScalar(fd, descriptorpb.FieldDescriptorProto_TYPE_MESSAGE)
		fd.TypeName = proto.String("." + target.name)
		return fmt.Sprintf("field %s.%s to message %s", f.name, fd.GetName(), target.name), true
	}),
	fieldMutation("other named type", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		switch fd.GetType() {
		case descriptorpb.FieldDescriptorProto_TYPE_MESSAGE:
			if isMapField(f.msg, fd) {
				return "", false
			}
			for _, m := range messages(s) {
				if "."+m.name != fd.GetTypeName() {
					old := fd.GetTypeName()
					fd.TypeName = proto.String("." + m.name)
					return fmt.Sprintf("field %s.%s from message %s to %s", f.name, fd.GetName(), old, m.name), true
				}
			}
		case descriptorpb.FieldDescriptorProto_TYPE_ENUM:
			for _, e := range enums(s) {
				if "."+e.name != fd.GetTypeName() && e.file == f.file {
					old := fd.GetTypeName()
					fd.TypeName = proto.String("." + e.name)
					fd.DefaultValue = nil
					return fmt.Sprintf("field %s.%s from enum %s to %s", f.name, fd.GetName(), old, e.name), true
				}
			}
		}
		return "", false
	}),
	fieldMutation("rename field", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		old := fd.GetName()
		fd.Name = proto.String(old + "_renamed")
		fd.JsonName = nil
		if fd.GetProto3Optional() {
			f.msg.OneofDecl[fd.GetOneofIndex()].Name = proto.String("_" + fd.GetName())
		}
		if fd.GetType() == descriptorpb.FieldDescriptorProto_TYPE_GROUP || isMapField(f.msg, fd) {
			return "", false
		}
		return fmt.Sprintf("field %s.%s renamed", f.name, old), true
	}),
	fieldMutation("json name", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		if isEditions(f.file) && fd.GetType() == descriptorpb.FieldDescriptorProto_TYPE_GROUP {
			return "", false
		}
		fd.JsonName = proto.String("custom" + fmt.Sprint(fd.GetNumber()))
		return fmt.Sprintf("field %s.%s json_name set", f.name, fd.GetName()), true
	}),
	fieldMutation("remove field", func(s schema, f fieldSite) (string, bool) {
		name := f.field().GetName()
		removeField(f.msg, f.index)
		return fmt.Sprintf("field %s.%s removed", f.name, name), true
	}),
	fieldMutation("remove field, reserve number", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		f.msg.ReservedRange = append(f.msg.ReservedRange, &descriptorpb.DescriptorProto_ReservedRange{
			Start: proto.Int32(fd.GetNumber()), End: proto.Int32(fd.GetNumber() + 1),
		})
		removeField(f.msg, f.index)
		return fmt.Sprintf("field %s.%s removed, number %d reserved", f.name, fd.GetName(), fd.GetNumber()), true
	}),
	fieldMutation("remove field, reserve name", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		if isEditions(f.file) {
			return "", false
		}
		f.msg.ReservedName = append(f.msg.ReservedName, fd.GetName())
		removeField(f.msg, f.index)
		return fmt.Sprintf("field %s.%s removed, name reserved", f.name, fd.GetName()), true
	}),
	fieldMutation("renumber field", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		old := fd.GetNumber()
		fd.Number = proto.Int32(freeNumber(f.msg))
		return fmt.Sprintf("field %s.%s renumbered from %d to %d", f.name, fd.GetName(), old, fd.GetNumber()), true
	}),
	fieldMutation("cardinality", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		if isMapField(f.msg, fd) || realOneofIndex(fd) >= 0 {
			return "", false
		}
		old := fd.GetLabel()
		switch {
		case old == descriptorpb.FieldDescriptorProto_LABEL_REPEATED:
			fd.Label = descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum()
			if fd.Options != nil {
				fd.Options.Packed = nil
			}
		case fd.GetProto3Optional():
			return "", false
		default:
			fd.Label = descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum()
			fd.DefaultValue = nil
			if fd.Options != nil && fd.Options.Features != nil {
				fd.Options.Features.FieldPresence = nil
			}
		}
		return fmt.Sprintf("field %s.%s from %s to %s", f.name, fd.GetName(), old, fd.GetLabel()), true
	}),
	fieldMutation("presence", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		file := f.file
		if fd.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REPEATED {
			return "", false
		}
		switch {
		case isProto3(file) && fd.GetProto3Optional():
			idx := fd.GetOneofIndex()
			fd.Proto3Optional, fd.OneofIndex = nil, nil
			removeOneof(f.msg, idx)
			return fmt.Sprintf("field %s.%s loses optional", f.name, fd.GetName()), true
		case isProto3(file) && fd.OneofIndex == nil && fd.GetType() != descriptorpb.FieldDescriptorProto_TYPE_MESSAGE:
			f.msg.OneofDecl = append(f.msg.OneofDecl, &descriptorpb.OneofDescriptorProto{Name: proto.String("_" + fd.GetName())})
			fd.Proto3Optional = proto.Bool(true)
			fd.OneofIndex = proto.Int32(int32(len(f.msg.OneofDecl) - 1))
			return fmt.Sprintf("field %s.%s becomes optional", f.name, fd.GetName()), true
		case file.GetSyntax() == "proto2" && fd.OneofIndex == nil:
			if fd.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REQUIRED {
				fd.Label = descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum()
				return fmt.Sprintf("field %s.%s from required to optional", f.name, fd.GetName()), true
			}
			if fd.GetType() == descriptorpb.FieldDescriptorProto_TYPE_GROUP {
				return "", false
			}
			fd.Label = descriptorpb.FieldDescriptorProto_LABEL_REQUIRED.Enum()
			return fmt.Sprintf("field %s.%s from optional to required", f.name, fd.GetName()), true
		}
		return "", false
	}),
	fieldMutation("into new oneof", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		if fd.OneofIndex != nil || fd.GetLabel() != descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL {
			return "", false
		}
		fd.OneofIndex = proto.Int32(addOneof(f.msg, "fresh_choice"))
		return fmt.Sprintf("field %s.%s into a new oneof", f.name, fd.GetName()), true
	}),
	fieldMutation("into existing oneof", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		if fd.OneofIndex != nil || fd.GetLabel() != descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL {
			return "", false
		}
		for i, o := range f.msg.OneofDecl {
			if !strings.HasPrefix(o.GetName(), "_") {
				fd.OneofIndex = proto.Int32(int32(i))
				return fmt.Sprintf("field %s.%s into oneof %s", f.name, fd.GetName(), o.GetName()), true
			}
		}
		return "", false
	}),
	fieldMutation("out of oneof", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		idx := realOneofIndex(fd)
		if idx < 0 {
			return "", false
		}
		fd.OneofIndex = nil
		for _, g := range f.msg.Field {
			if g.OneofIndex != nil && g.GetOneofIndex() == idx {
				return fmt.Sprintf("field %s.%s out of its oneof", f.name, fd.GetName()), true
			}
		}
		removeOneof(f.msg, idx)
		return fmt.Sprintf("field %s.%s out of its oneof, which goes", f.name, fd.GetName()), true
	}),
	fieldMutation("default", func(s schema, f fieldSite) (string, bool) {
		fd := f.field()
		if f.file.GetSyntax() != "proto2" || fd.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_REPEATED || fd.OneofIndex != nil {
			return "", false
		}
		switch fd.GetType() {
		case descriptorpb.FieldDescriptorProto_TYPE_INT32, descriptorpb.FieldDescriptorProto_TYPE_UINT64,
			descriptorpb.FieldDescriptorProto_TYPE_SFIXED32:
			fd.DefaultValue = proto.String("7")
		case descriptorpb.FieldDescriptorProto_TYPE_STRING:
			fd.DefaultValue = proto.String("n/a")
		default:
			return "", false
		}
		return fmt.Sprintf("field %s.%s default %s", f.name, fd.GetName(), fd.GetDefaultValue()), true
	}),
	// Messages.
	messageMutation("add field", func(s schema, m messageSite) (string, bool) {
		n := freeNumber(m.msg)
		f := &descriptorpb.FieldDescriptorProto{
			Name: proto.String(fmt.Sprintf("added_%d", n)), Number: proto.Int32(n),
			Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(), Type: descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum(),
		}
		m.msg.Field = append(m.msg.Field, f)
		return fmt.Sprintf("field %s added to %s", f.GetName(), m.name), true
	}),
	messageMutation("add required field", func(s schema, m messageSite) (string, bool) {
		if m.file.GetSyntax() != "proto2" {
			return "", false
		}
		n := freeNumber(m.msg)
		m.msg.Field = append(m.msg.Field, &descriptorpb.FieldDescriptorProto{
			Name: proto.String("must"), Number: proto.Int32(n),
			Label: descriptorpb.FieldDescriptorProto_LABEL_REQUIRED.Enum(), Type: descriptorpb.FieldDescriptorProto_TYPE_INT64.Enum(),
		})
		return fmt.Sprintf("required field added to %s", m.name), true
	}),
	messageMutation("remove message", func(s schema, m messageSite) (string, bool) {
		if referenced(s, declaredUnder(m.msg, m.name)) {
			return "", false
		}
		if !removeMessage(s, m) {
			return "", false
		}
		return fmt.Sprintf("message %s removed", m.name), true
	}),
	messageMutation("rename message", func(s schema, m messageSite) (string, bool) {
		old := m.name
		renamed := old + "Renamed"
		from := map[string]string{}
		for _, n := range declaredUnder(m.msg, old) {
			from[n] = renamed + strings.TrimPrefix(n, old)
		}
		m.msg.Name = proto.String(m.msg.GetName() + "Renamed")
		renameTypes(s, from)
		return fmt.Sprintf("message %s renamed", old), true
	}),
	messageMutation("add message", func(s schema, m messageSite) (string, bool) {
		m.msg.NestedType = append(m.msg.NestedType, &descriptorpb.DescriptorProto{Name: proto.String("Added")})
		return fmt.Sprintf("message Added nested in %s", m.name), true
	}),
	messageMutation("two fields into a new oneof", func(s schema, m messageSite) (string, bool) {
		var picked []*descriptorpb.FieldDescriptorProto
		for _, f := range m.msg.Field {
			if f.OneofIndex == nil && f.GetLabel() == descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL {
				picked = append(picked, f)
			}
		}
		if len(picked) < 2 {
			return "", false
		}
		idx := addOneof(m.msg, "joined")
		picked[0].OneofIndex, picked[1].OneofIndex = proto.Int32(idx), proto.Int32(idx)
		return fmt.Sprintf("fields %s and %s of %s into a new oneof", picked[0].GetName(), picked[1].GetName(), m.name), true
	}),
	messageMutation("rename oneof", func(s schema, m messageSite) (string, bool) {
		for _, o := range m.msg.OneofDecl {
			if !strings.HasPrefix(o.GetName(), "_") {
				o.Name = proto.String(o.GetName() + "_renamed")
				return fmt.Sprintf("oneof of %s renamed", m.name), true
			}
		}
		return "", false
	}),
	messageMutation("remove oneof", func(s schema, m messageSite) (string, bool) {
		for i, o := range m.msg.OneofDecl {
			if strings.HasPrefix(o.GetName(), "_") {
				continue
			}
			for j := len(m.msg.Field) - 1; j >= 0; j-- {
				if m.msg.Field[j].OneofIndex != nil && m.msg.Field[j].GetOneofIndex() == int32(i) {
					removeField(m.msg, j)
				}
			}
			return fmt.Sprintf("oneof %s of %s removed with its fields", o.GetName(), m.name), true
		}
		return "", false
	}),
	messageMutation("drop reserved", func(s schema, m messageSite) (string, bool) {
		if len(m.msg.ReservedRange) == 0 && len(m.msg.ReservedName) == 0 {
			return "", false
		}
		m.msg.ReservedRange, m.msg.ReservedName = nil, nil
		return fmt.Sprintf("reservations of %s dropped", m.name), true
	}),
	messageMutation("reverse fields", func(s schema, m messageSite) (string, bool) {
		if len(m.msg.Field) < 2 {
			return "", false
		}
		slices.Reverse(m.msg.Field)
		return fmt.Sprintf("fields of %s reordered", m.name), true
	}),
	// Enums.
	enumMutation("remove value", func(s schema, e enumSite) (string, bool) {
		if len(e.enum.Value) < 2 {
			return "", false
		}
		v := e.enum.Value[len(e.enum.Value)-1]
		e.enum.Value = e.enum.Value[:len(e.enum.Value)-1]
		return fmt.Sprintf("value %s of %s removed", v.GetName(), e.name), true
	}),
	enumMutation("remove value, reserve number", func(s schema, e enumSite) (string, bool) {
		if len(e.enum.Value) < 2 {
			return "", false
		}
		v := e.enum.Value[len(e.enum.Value)-1]
		e.enum.Value = e.enum.Value[:len(e.enum.Value)-1]
		e.enum.ReservedRange = append(e.enum.ReservedRange, &descriptorpb.EnumDescriptorProto_EnumReservedRange{
			Start: proto.Int32(v.GetNumber()), End: proto.Int32(v.GetNumber()),
		})
		return fmt.Sprintf("value %s of %s removed, number reserved", v.GetName(), e.name), true
	}),
	enumMutation("add value", func(s schema, e enumSite) (string, bool) {
		e.enum.Value = append(e.enum.Value, &descriptorpb.EnumValueDescriptorProto{
			Name: proto.String(strings.ToUpper(e.enum.GetName()) + "_ADDED"), Number: proto.Int32(40),
		})
		return fmt.Sprintf("value added to %s", e.name), true
	}),
	enumMutation("rename value", func(s schema, e enumSite) (string, bool) {
		v := e.enum.Value[len(e.enum.Value)-1]
		old := v.GetName()
		v.Name = proto.String(old + "_RENAMED")
		return fmt.Sprintf("value %s of %s renamed", old, e.name), true
	}),
	enumMutation("renumber value", func(s schema, e enumSite) (string, bool) {
		if len(e.enum.Value) < 2 {
			return "", false
		}
		v := e.enum.Value[len(e.enum.Value)-1]
		v.Number = proto.Int32(41)
		return fmt.Sprintf("value %s of %s renumbered", v.GetName(), e.name), true
	}),
	enumMutation("rename enum", func(s schema, e enumSite) (string, bool) {
		old := e.name
		e.enum.Name = proto.String(e.enum.GetName() + "Renamed")
		// Value names are scoped beside the enum: keep them unique.
		for _, v := range e.enum.Value {
			v.Name = proto.String(v.GetName() + "_R")
		}
		renameTypes(s, map[string]string{old: old + "Renamed"})
		for _, f := range fields(s) {
			if f.field().GetTypeName() == "."+old+"Renamed" {
				f.field().DefaultValue = nil
			}
		}
		return fmt.Sprintf("enum %s renamed", old), true
	}),
	enumMutation("remove enum", func(s schema, e enumSite) (string, bool) {
		if referenced(s, []string{e.name}) {
			return "", false
		}
		for _, f := range s.files() {
			if i := slices.Index(f.EnumType, e.enum); i >= 0 {
				f.EnumType = slices.Delete(f.EnumType, i, i+1)
				return fmt.Sprintf("enum %s removed", e.name), true
			}
		}
		for _, m := range messages(s) {
			if i := slices.Index(m.msg.EnumType, e.enum); i >= 0 {
				m.msg.EnumType = slices.Delete(m.msg.EnumType, i, i+1)
				return fmt.Sprintf("enum %s removed", e.name), true
			}
		}
		return "", false
	}),
	// The file.
	{
		name:  "change package",
		sites: func(schema) int { return 1 },
		apply: func(s schema, _ int) (string, bool) {
			old := s.main.GetPackage()
			if old == "" {
				return "", false
			}
			s.main.Package = proto.String(old + "moved")
			from := map[string]string{}
			for _, m := range s.main.GetMessageType() {
				for _, n := range declaredUnder(m, old+"."+m.GetName()) {
					from[n] = s.main.GetPackage() + strings.TrimPrefix(n, old)
				}
			}
			for _, e := range s.main.GetEnumType() {
				from[old+"."+e.GetName()] = s.main.GetPackage() + "." + e.GetName()
			}
			renameTypes(s, from)
			return fmt.Sprintf("package %s changed", old), true
		},
	},
	{
		name:  "message into import",
		sites: func(s schema) int { return len(s.deps) },
		apply: func(s schema, site int) (string, bool) {
			dep := s.deps[site]
			if dep.GetPackage() == s.main.GetPackage() || len(s.main.MessageType) < 2 {
				return "", false
			}
			// The last top-level message moves into the import, under the
			// import's package: its full name changes.
			m := s.main.MessageType[len(s.main.MessageType)-1]
			s.main.MessageType = s.main.MessageType[:len(s.main.MessageType)-1]
			for _, d := range dep.MessageType {
				if d.GetName() == m.GetName() {
					return "", false
				}
			}
			dep.MessageType = append(dep.MessageType, m)
			from := map[string]string{}
			for _, n := range declaredUnder(m, pkgPrefix(s.main)+m.GetName()) {
				from[n] = pkgPrefix(dep) + strings.TrimPrefix(n, pkgPrefix(s.main))
			}
			renameTypes(s, from)
			return fmt.Sprintf("message %s moved into %s", m.GetName(), dep.GetName()), true
		},
	},
}

// removeMessage removes the message of m from its parent.
func removeMessage(s schema, m messageSite) bool {
	for _, f := range s.files() {
		if i := slices.Index(f.MessageType, m.msg); i >= 0 {
			f.MessageType = slices.Delete(f.MessageType, i, i+1)
			return true
		}
	}
	for _, p := range messages(s) {
		if i := slices.Index(p.msg.NestedType, m.msg); i >= 0 {
			p.msg.NestedType = slices.Delete(p.msg.NestedType, i, i+1)
			return true
		}
	}
	return false
}

// kindMutations changes each scalar field to each other scalar kind.
func kindMutations(s schema) []func(schema) (string, bool) {
	var out []func(schema) (string, bool)
	for i, f := range fields(s) {
		if !scalarField(f) || isMapField(f.msg, f.field()) {
			continue
		}
		for _, k := range scalarKinds {
			if k == f.field().GetType() {
				continue
			}
			out = append(out, func(s schema) (string, bool) {
				f := fields(s)[i]
				fd := f.field()
				old := fd.GetType()
				setScalar(fd, k)
				return fmt.Sprintf("field %s.%s from %s to %s", f.name, fd.GetName(), kindWord(old), kindWord(k)), true
			})
		}
	}
	return out
}

// corpus makes the pairs: every mutation at every site of every base,
// then composites of random mutations (seeded by seed), until there are
// at least size pairs. Mutations that give an invalid schema, or no
// change, are dropped.
func corpus(size int, seed uint64) ([]pair, error) {
	var out []pair
	add := func(base string, old schema, mutate func(schema) (string, bool)) {
		s := old.clone()
		what, ok := mutate(s)
		if !ok || proto.Equal(s.main, old.main) && slices.EqualFunc(s.deps, old.deps, func(a, b *descriptorpb.FileDescriptorProto) bool { return proto.Equal(a, b) }) {
			return
		}
		if _, err := s.build(); err != nil {
			return
		}
		out = append(out, pair{id: len(out), base: base, mutation: what, old: old, new: s})
	}
	compiled, err := compiledBases()
	if err != nil {
		return nil, err
	}
	for i, b := range bases {
		for _, km := range kindMutations(compiled[i]) {
			add(b.name, compiled[i], km)
		}
		for _, m := range mutations {
			for site := range m.sites(compiled[i]) {
				add(b.name, compiled[i], func(s schema) (string, bool) { return m.apply(s, site) })
			}
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for tries := 0; len(out) < size && tries < 20*size; tries++ {
		i := rng.IntN(len(bases))
		steps := 2 + rng.IntN(2)
		add(bases[i].name, compiled[i], func(s schema) (string, bool) { return randomMutations(rng, s, steps) })
	}
	return out, nil
}

// randomMutations applies steps random mutations to s and says what they
// did; ok when at least one applied.
func randomMutations(rng *rand.Rand, s schema, steps int) (string, bool) {
	var done []string
	for range steps {
		if rng.IntN(3) == 0 {
			kms := kindMutations(s)
			if len(kms) > 0 {
				if what, ok := kms[rng.IntN(len(kms))](s); ok {
					done = append(done, what)
				}
			}
			continue
		}
		m := mutations[rng.IntN(len(mutations))]
		n := m.sites(s)
		if n == 0 {
			continue
		}
		if what, ok := m.apply(s, rng.IntN(n)); ok {
			done = append(done, what)
		}
	}
	return strings.Join(done, "; "), len(done) > 0
}
