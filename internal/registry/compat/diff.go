package compat

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// comparison is one reading of Confluent's schema diff: the reader's
// schema reading data written with the writer's. It collects the
// differences Confluent counts as incompatible; the compatible ones
// (additions, removals of fields and enums, renames, moves) it does not
// record.
type comparison struct {
	dir      Direction
	previous int
	writer   protoreflect.FileDescriptor
	reader   protoreflect.FileDescriptor
	// candidateReads is whether the reader is the candidate (backward).
	candidateReads bool
	// open holds the message pairs being compared, so that a recursive
	// type is compared once.
	open map[[2]protoreflect.FullName]bool
	// done holds the pairs of imported message types compared at a
	// field, and whether they differ, so that each pair is compared once
	// however many paths lead to it.
	done map[[2]protoreflect.FullName]bool
	// sameFile caches whether two imports of the same path are equal.
	sameFile map[[2]protoreflect.FileDescriptor]bool
	diffs    []Difference
	seen     map[Difference]bool
	// found counts the differences found, those found twice too.
	found int
}

// compareFiles compares writer and reader as Confluent does
// (SchemaDiff.compare with the writer as original and the reader as
// update) and returns the incompatible differences.
func compareFiles(dir Direction, previous int, writer, reader protoreflect.FileDescriptor) []Difference {
	c := &comparison{
		dir:            dir,
		previous:       previous,
		writer:         writer,
		reader:         reader,
		candidateReads: dir == ReadsPrevious,
		open:           map[[2]protoreflect.FullName]bool{},
		done:           map[[2]protoreflect.FullName]bool{},
		sameFile:       map[[2]protoreflect.FileDescriptor]bool{},
		seen:           map[Difference]bool{},
	}
	if writer.Package() != reader.Package() {
		c.add(RulePackageChanged, writer, reader, "%s of the %s schema differs from %s of the %s schema",
			packageWords(writer), c.writerName(), packageWords(reader), c.readerName())
	}
	c.compareTypes(writer.Messages(), reader.Messages())
	return c.diffs
}

// packageWords words a file's package for a message.
func packageWords(f protoreflect.FileDescriptor) string {
	if f.Package() == "" {
		return "the absence of a package"
	}
	return fmt.Sprintf("package %s", f.Package())
}

// writerName names the writer's schema in messages: "old" under
// BACKWARD, where the candidate reads, "new" under FORWARD.
func (c *comparison) writerName() string {
	if c.candidateReads {
		return "old"
	}
	return "new"
}

// readerName names the reader's schema: "new" under BACKWARD.
func (c *comparison) readerName() string {
	if c.candidateReads {
		return "new"
	}
	return "old"
}

// add records a difference about the element w of the writer's schema and
// r of the reader's, either of which may be nil; the path and file are the
// candidate's where it has the element.
func (c *comparison) add(rule Rule, w, r protoreflect.Descriptor, format string, args ...any) {
	cand, prev := r, w
	if !c.candidateReads {
		cand, prev = w, r
	}
	at := cand
	if at == nil {
		at = prev
	}
	d := Difference{Rule: rule, Direction: c.dir, Previous: c.previous, Message: fmt.Sprintf(format, args...)}
	if at != nil {
		d.Path = string(at.FullName())
		if f := at.ParentFile(); f != nil {
			d.File = f.Path()
		}
	}
	c.found++
	if !c.seen[d] {
		c.seen[d] = true
		c.diffs = append(c.diffs, d)
	}
}

// compareTypes compares the messages of one scope (a file or a message)
// by name: one the writer declares and the reader lacks is
// MESSAGE_REMOVED, unless it is a map entry; one both declare is compared
// field by field, unless both are map entries, whose keys and values are
// compared at their map fields. Enums are not compared: Confluent counts
// every change of an enum (values added, removed, renamed, renumbered;
// the enum removed) as compatible.
func (c *comparison) compareTypes(w, r protoreflect.MessageDescriptors) {
	for i := range w.Len() {
		wm := w.Get(i)
		rm := r.ByName(wm.Name())
		if rm == nil {
			if !wm.IsMapEntry() {
				c.add(RuleMessageRemoved, wm, nil, "message %s of the %s schema is missing from the %s schema",
					localName(wm), c.writerName(), c.readerName())
			}
			continue
		}
		if wm.IsMapEntry() && rm.IsMapEntry() {
			// Compared through their map fields.
			continue
		}
		c.compareMessage(wm, rm)
	}
}

// members indexes the fields of a message by number, with the name of
// the real oneof each belongs to ("" outside one: a proto3 optional
// field's synthetic oneof does not count, as in Confluent).
type members struct {
	byNumber map[protoreflect.FieldNumber]protoreflect.FieldDescriptor
	oneof    map[protoreflect.FieldNumber]protoreflect.Name
	oneofs   map[protoreflect.Name]protoreflect.OneofDescriptor
}

// indexFields indexes the fields and real oneofs of m.
func indexFields(m protoreflect.MessageDescriptor) members {
	ix := members{
		byNumber: map[protoreflect.FieldNumber]protoreflect.FieldDescriptor{},
		oneof:    map[protoreflect.FieldNumber]protoreflect.Name{},
		oneofs:   map[protoreflect.Name]protoreflect.OneofDescriptor{},
	}
	fields := m.Fields()
	for i := range fields.Len() {
		f := fields.Get(i)
		ix.byNumber[f.Number()] = f
		if o := realOneof(f); o != nil {
			ix.oneof[f.Number()] = o.Name()
			ix.oneofs[o.Name()] = o
		}
	}
	return ix
}

// realOneof returns the oneof f is a member of, or nil outside one or in
// a synthetic oneof.
func realOneof(f protoreflect.FieldDescriptor) protoreflect.OneofDescriptor {
	o := f.ContainingOneof()
	if o == nil || o.IsSynthetic() {
		return nil
	}
	return o
}

// compareMessage compares two messages of the same name (Confluent's
// MessageSchemaDiff): fields by number, wherever they sit in or out of
// oneofs, then the oneofs' membership, then the nested messages.
func (c *comparison) compareMessage(wm, rm protoreflect.MessageDescriptor) {
	key := [2]protoreflect.FullName{wm.FullName(), rm.FullName()}
	if c.open[key] {
		return
	}
	c.open[key] = true
	defer delete(c.open, key)

	w, r := indexFields(wm), indexFields(rm)

	// A oneof the reader lacks by name, none of whose members the reader
	// has, was deleted whole: its members' removal is compatible.
	deleted := map[protoreflect.Name]bool{}
	for name, o := range w.oneofs {
		if _, ok := r.oneofs[name]; ok {
			continue
		}
		survives := false
		fields := o.Fields()
		for i := range fields.Len() {
			if _, ok := r.byNumber[fields.Get(i).Number()]; ok {
				survives = true
				break
			}
		}
		if !survives {
			deleted[name] = true
		}
	}

	// A oneof of the reader whose members, among those the writer has,
	// come from more than one group (a writer's oneof, or a field outside
	// any) makes fields exclusive that were not.
	oneofs := rm.Oneofs()
	for i := range oneofs.Len() {
		o := oneofs.Get(i)
		if o.IsSynthetic() {
			continue
		}
		groups := map[string]bool{}
		movedIn := 0
		var joined []string
		fields := o.Fields()
		for j := range fields.Len() {
			n := fields.Get(j).Number()
			wf, ok := w.byNumber[n]
			if !ok {
				continue
			}
			joined = append(joined, fmt.Sprintf("%s (%d)", wf.Name(), n))
			if name, in := w.oneof[n]; in {
				groups["oneof "+string(name)] = true
			} else {
				groups[fmt.Sprintf("field %d", n)] = true
				movedIn++
			}
		}
		if len(groups) <= 1 {
			continue
		}
		if movedIn > 1 {
			c.add(RuleMultipleFieldsMovedToOneof, nil, o, "oneof %s of the %s schema holds %d fields that are outside any oneof in the %s schema; its members there: %s",
				o.Name(), c.readerName(), movedIn, c.writerName(), strings.Join(joined, ", "))
		} else {
			c.add(RuleFieldMovedToExistingOneof, nil, o, "oneof %s of the %s schema joins fields that are not members of one oneof in the %s schema: %s",
				o.Name(), c.readerName(), c.writerName(), strings.Join(joined, ", "))
		}
	}

	numbers := make([]protoreflect.FieldNumber, 0, len(w.byNumber)+len(r.byNumber))
	for n := range w.byNumber {
		numbers = append(numbers, n)
	}
	for n := range r.byNumber {
		if _, ok := w.byNumber[n]; !ok {
			numbers = append(numbers, n)
		}
	}
	slices.Sort(numbers)
	for _, n := range numbers {
		wf, inW := w.byNumber[n]
		rf, inR := r.byNumber[n]
		switch {
		case !inR:
			if name, in := w.oneof[n]; in {
				if !deleted[name] {
					c.add(RuleOneofFieldRemoved, wf, nil, "field %s (%d) of oneof %s in the %s schema is missing from the %s schema, where the oneof remains",
						wf.Name(), n, name, c.writerName(), c.readerName())
				}
			} else if wf.Cardinality() == protoreflect.Required {
				c.add(RuleRequiredFieldRemoved, wf, nil, "required field %s (%d) of the %s schema is missing from the %s schema",
					wf.Name(), n, c.writerName(), c.readerName())
			}
		case !inW:
			if _, in := r.oneof[n]; !in && rf.Cardinality() == protoreflect.Required {
				c.add(RuleRequiredFieldAdded, nil, rf, "required field %s (%d) of the %s schema is missing from the %s schema",
					rf.Name(), n, c.readerName(), c.writerName())
			}
		default:
			c.compareField(wf, rf, "", confluentLabel(wf), confluentLabel(rf))
		}
	}

	c.compareTypes(wm.Messages(), rm.Messages())
}

// label is a field's label as Confluent's schema model states it.
type label uint8

const (
	labelNone label = iota // not stated: a proto3 field without a keyword, a oneof member, a map key or value
	labelOptional
	labelRequired
	labelRepeated
)

// String words the label for a message.
func (l label) String() string {
	switch l {
	case labelOptional:
		return "optional"
	case labelRequired:
		return "required"
	case labelRepeated:
		return "repeated"
	default:
		return "without label"
	}
}

// confluentLabel returns the label Confluent gives a field built from a
// descriptor (ProtobufSchema.label): none for a oneof member, optional for
// a proto3 optional field, repeated, required, and for the rest optional
// outside proto3 and none in it.
func confluentLabel(f protoreflect.FieldDescriptor) label {
	if realOneof(f) != nil {
		return labelNone
	}
	if o := f.ContainingOneof(); o != nil && o.IsSynthetic() {
		return labelOptional
	}
	switch f.Cardinality() {
	case protoreflect.Repeated:
		return labelRepeated
	case protoreflect.Required:
		return labelRequired
	}
	if f.ParentFile().Syntax() == protoreflect.Proto3 {
		return labelNone
	}
	return labelOptional
}

// class is a field's kind as Confluent distinguishes them, plus groups.
type class uint8

const (
	classScalar class = iota // scalars and enums
	classMessage
	classGroup
	classMap
)

// String words the kind for a message: "a scalar", "a map"…
func (k class) String() string {
	switch k {
	case classMessage:
		return "a message"
	case classGroup:
		return "a group"
	case classMap:
		return "a map"
	default:
		return "a scalar"
	}
}

// classOf returns the kind of f: a map, a group, a message or a scalar.
func classOf(f protoreflect.FieldDescriptor) class {
	switch {
	case f.IsMap():
		return classMap
	case f.Kind() == protoreflect.GroupKind:
		return classGroup
	case f.Kind() == protoreflect.MessageKind:
		return classMessage
	default:
		return classScalar
	}
}

// scalarGroup is the wire-compatible group of a scalar kind, as Confluent
// groups them (FieldSchemaDiff.scalarKind).
func scalarGroup(k protoreflect.Kind) string {
	switch k {
	case protoreflect.Int32Kind, protoreflect.Int64Kind, protoreflect.Uint32Kind, protoreflect.Uint64Kind,
		protoreflect.BoolKind, protoreflect.EnumKind:
		return "varint"
	case protoreflect.Sint32Kind, protoreflect.Sint64Kind:
		return "zigzag"
	case protoreflect.StringKind, protoreflect.BytesKind:
		return "length-delimited"
	case protoreflect.Fixed32Kind, protoreflect.Sfixed32Kind:
		return "fixed32"
	case protoreflect.Fixed64Kind, protoreflect.Sfixed64Kind:
		return "fixed64"
	case protoreflect.FloatKind:
		return "float"
	case protoreflect.DoubleKind:
		return "double"
	default:
		return "unknown " + k.String()
	}
}

// kindName names a field's kind for a message: the scalar kind, or enum,
// message or group with the type's full name.
func kindName(f protoreflect.FieldDescriptor) string {
	switch f.Kind() {
	case protoreflect.EnumKind:
		if e := f.Enum(); e != nil {
			return "enum " + string(e.FullName())
		}
	case protoreflect.MessageKind, protoreflect.GroupKind:
		if m := f.Message(); m != nil {
			return f.Kind().String() + " " + string(m.FullName())
		}
	}
	return f.Kind().String()
}

// compareField compares two fields of one number (or the keys or values
// of two maps, part saying which): their kinds, labels and types
// (Confluent's compareLabelsAndTypes). A renamed field is compatible.
func (c *comparison) compareField(wf, rf protoreflect.FieldDescriptor, part string, wl, rl label) {
	at := func(f protoreflect.FieldDescriptor) string {
		return fieldRef(f, part)
	}
	wc, rc := classOf(wf), classOf(rf)
	if wc != rc {
		c.add(RuleFieldKindChanged, owner(wf, part), owner(rf, part), "%s is %s in the %s schema and %s in the %s schema",
			at(wf), wc, c.writerName(), rc, c.readerName())
		return
	}
	switch wc {
	case classScalar:
		if scalarGroup(wf.Kind()) != scalarGroup(rf.Kind()) {
			c.add(RuleFieldScalarKindChanged, owner(wf, part), owner(rf, part), "%s is %s in the %s schema and %s in the %s schema, which are not wire-compatible",
				at(wf), kindName(wf), c.writerName(), kindName(rf), c.readerName())
			return
		}
		if wl != labelNone && rl != labelNone && wl != rl && scalarGroup(wf.Kind()) != "length-delimited" {
			c.add(RuleFieldNumericLabelChanged, owner(wf, part), owner(rf, part), "numeric %s is %s in the %s schema and %s in the %s schema",
				at(wf), wl, c.writerName(), rl, c.readerName())
		}
	case classMessage, classGroup:
		c.compareMessageTypes(wf, rf, part)
	case classMap:
		c.compareField(wf.MapKey(), rf.MapKey(), "key", labelNone, labelNone)
		c.compareField(wf.MapValue(), rf.MapValue(), "value", labelNone, labelNone)
	}
}

// owner is the element a difference about f is reported at: the map field
// for its key or value.
func owner(f protoreflect.FieldDescriptor, part string) protoreflect.Descriptor {
	if part == "" {
		return f
	}
	if m := f.ContainingMessage(); m != nil {
		if p, ok := m.Parent().(protoreflect.MessageDescriptor); ok {
			// The map field is the one whose entry type is m.
			fields := p.Fields()
			for i := range fields.Len() {
				if mf := fields.Get(i); mf.Message() != nil && mf.Message().FullName() == m.FullName() {
					return mf
				}
			}
		}
	}
	return f
}

// fieldRef words a field for a message: "field name (number)", or the key
// or value of a map field.
func fieldRef(f protoreflect.FieldDescriptor, part string) string {
	if part == "" {
		return fmt.Sprintf("field %s (%d)", f.Name(), f.Number())
	}
	if o, ok := owner(f, part).(protoreflect.FieldDescriptor); ok && o != f {
		return fmt.Sprintf("the %s of map field %s (%d)", part, o.Name(), o.Number())
	}
	return fmt.Sprintf("the map %s", part)
}

// localName is a message's full name without its file's package, the name
// Confluent compares message types by.
func localName(m protoreflect.Descriptor) string {
	name := string(m.FullName())
	if f := m.ParentFile(); f != nil && f.Package() != "" {
		name = strings.TrimPrefix(name, string(f.Package())+".")
	}
	return name
}

// compareMessageTypes compares the message types of two fields
// (Confluent's compareMessageTypes): types of different names, without
// their packages, are FIELD_NAMED_TYPE_CHANGED; types of the same name are
// compared field by field when they are declared in an import and not in
// the same file on both sides (types both schemas declare themselves are
// compared where they are declared), and an incompatible pair is
// FIELD_NAMED_TYPE_CHANGED too.
func (c *comparison) compareMessageTypes(wf, rf protoreflect.FieldDescriptor, part string) {
	wm, rm := wf.Message(), rf.Message()
	if wm == nil || rm == nil {
		return
	}
	if localName(wm) != localName(rm) {
		c.add(RuleFieldNamedTypeChanged, owner(wf, part), owner(rf, part), "%s has type %s in the %s schema and %s in the %s schema",
			fieldRef(wf, part), wm.FullName(), c.writerName(), rm.FullName(), c.readerName())
		return
	}
	if c.sameSource(wm, rm) {
		return
	}
	key := [2]protoreflect.FullName{wm.FullName(), rm.FullName()}
	differs, ok := c.done[key]
	if !ok {
		before := c.found
		c.compareMessage(wm, rm)
		differs = c.found > before
		c.done[key] = differs
	}
	if differs {
		c.add(RuleFieldNamedTypeChanged, owner(wf, part), owner(rf, part), "%s has type %s, declared in %s in the %s schema and in %s in the %s schema, whose definitions are not compatible",
			fieldRef(wf, part), localName(rm), wm.ParentFile().Path(), c.writerName(), rm.ParentFile().Path(), c.readerName())
	}
}

// sameSource reports whether two message types of the same name need no
// comparison at a field: both are declared in the files compared (they
// are compared where they are declared), or both in one import that is
// the same on both sides (Confluent: the same reference, subject and
// version).
func (c *comparison) sameSource(wm, rm protoreflect.MessageDescriptor) bool {
	wf, rf := wm.ParentFile(), rm.ParentFile()
	if wf == nil || rf == nil {
		return false
	}
	if wf.Path() == c.writer.Path() && rf.Path() == c.reader.Path() {
		return true
	}
	if wf.Path() == c.writer.Path() || rf.Path() == c.reader.Path() || wf.Path() != rf.Path() {
		return false
	}
	key := [2]protoreflect.FileDescriptor{wf, rf}
	same, ok := c.sameFile[key]
	if !ok {
		same = equalFiles(wf, rf)
		c.sameFile[key] = same
	}
	return same
}

// equalFiles reports whether two file descriptors declare the same thing,
// their source information aside.
func equalFiles(a, b protoreflect.FileDescriptor) bool {
	if a == b {
		return true
	}
	pa, pb := protodesc.ToFileDescriptorProto(a), protodesc.ToFileDescriptorProto(b)
	pa.SourceCodeInfo, pb.SourceCodeInfo = nil, nil
	return proto.Equal(pa, pb)
}
