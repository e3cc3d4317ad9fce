// Package protoprint prints a file descriptor as .proto source: what the
// registry registers under a Confluent subject for each scenario of a
// pushed catalog image, which holds descriptors and no source text.
// Comments are not kept; options, custom ones included, are printed with
// their values, so that the text compiles back to the same descriptor.
package protoprint

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Print returns the source of fd. It fails for an editions file, which
// it does not print; proto2 groups are not printed either.
func Print(fd protoreflect.FileDescriptor) (string, error) {
	fdp := protodesc.ToFileDescriptorProto(fd)
	p := &printer{}
	switch fdp.GetSyntax() {
	case "", "proto2":
		p.line("syntax = \"proto2\";")
	case "proto3":
		p.proto3 = true
		p.line("syntax = \"proto3\";")
	default:
		return "", fmt.Errorf("protoprint: %s: syntax %q is not printed", fd.Path(), fdp.GetSyntax())
	}
	if fdp.GetPackage() != "" {
		p.blank()
		p.line("package %s;", fdp.GetPackage())
	}
	p.blank()
	public := map[int32]bool{}
	for _, i := range fdp.GetPublicDependency() {
		public[i] = true
	}
	for i, dep := range fdp.GetDependency() {
		if public[int32(i)] {
			p.line("import public %s;", strconv.Quote(dep))
		} else {
			p.line("import %s;", strconv.Quote(dep))
		}
	}
	if len(fdp.GetDependency()) > 0 {
		p.blank()
	}
	for _, o := range options(fd.Options()) {
		p.line("option %s;", o)
	}
	for i := range fd.Messages().Len() {
		p.blank()
		p.message(fd.Messages().Get(i))
	}
	for i := range fd.Enums().Len() {
		p.blank()
		p.enum(fd.Enums().Get(i))
	}
	if fd.Extensions().Len() > 0 {
		p.extensions(fd.Extensions())
	}
	for i := range fd.Services().Len() {
		p.blank()
		p.service(fd.Services().Get(i))
	}
	return p.b.String(), nil
}

type printer struct {
	b      strings.Builder
	indent int
	proto3 bool
}

func (p *printer) line(format string, args ...any) {
	if format != "" {
		p.b.WriteString(strings.Repeat("  ", p.indent))
		fmt.Fprintf(&p.b, format, args...)
	}
	p.b.WriteByte('\n')
}

// blank writes an empty line unless the text is empty or already ends
// with one.
func (p *printer) blank() {
	if t := p.b.String(); t != "" && !strings.HasSuffix(t, "\n\n") {
		p.b.WriteByte('\n')
	}
}

func (p *printer) message(md protoreflect.MessageDescriptor) {
	p.line("message %s {", md.Name())
	p.indent++
	for _, o := range options(md.Options()) {
		p.line("option %s;", o)
	}
	fields := md.Fields()
	oneofDone := map[protoreflect.FullName]bool{}
	for i := range fields.Len() {
		f := fields.Get(i)
		if od := f.ContainingOneof(); od != nil && !od.IsSynthetic() {
			if oneofDone[od.FullName()] {
				continue
			}
			oneofDone[od.FullName()] = true
			p.line("oneof %s {", od.Name())
			p.indent++
			for _, o := range options(od.Options()) {
				p.line("option %s;", o)
			}
			for j := range od.Fields().Len() {
				p.field(od.Fields().Get(j), true)
			}
			p.indent--
			p.line("}")
			continue
		}
		p.field(f, false)
	}
	for i := range md.Messages().Len() {
		if nested := md.Messages().Get(i); !nested.IsMapEntry() {
			p.message(nested)
		}
	}
	for i := range md.Enums().Len() {
		p.enum(md.Enums().Get(i))
	}
	if md.Extensions().Len() > 0 {
		p.extensions(md.Extensions())
	}
	p.reserved(md.ReservedRanges(), md.ReservedNames(), true)
	if r := md.ExtensionRanges(); r.Len() > 0 {
		var parts []string
		for i := range r.Len() {
			parts = append(parts, rangeText(int64(r.Get(i)[0]), int64(r.Get(i)[1])-1, 536870911))
		}
		p.line("extensions %s;", strings.Join(parts, ", "))
	}
	p.indent--
	p.line("}")
}

func (p *printer) field(f protoreflect.FieldDescriptor, inOneof bool) {
	var label string
	switch {
	case inOneof || f.IsMap():
	case f.Cardinality() == protoreflect.Repeated:
		label = "repeated "
	case f.Cardinality() == protoreflect.Required:
		label = "required "
	case f.HasPresence() && p.proto3 && f.Message() == nil:
		label = "optional "
	case !p.proto3:
		label = "optional "
	}
	opts := options(f.Options())
	if !f.IsExtension() && f.HasJSONName() && f.JSONName() != defaultJSONName(string(f.Name())) {
		opts = append([]string{"json_name = " + strconv.Quote(f.JSONName())}, opts...)
	}
	if f.HasDefault() {
		opts = append([]string{"default = " + defaultText(f)}, opts...)
	}
	suffix := ""
	if len(opts) > 0 {
		suffix = " [\n" + strings.Repeat("  ", p.indent+1) + strings.Join(opts, ",\n"+strings.Repeat("  ", p.indent+1)) + "\n" + strings.Repeat("  ", p.indent) + "]"
	}
	p.line("%s%s %s = %d%s;", label, typeName(f), f.Name(), f.Number(), suffix)
}

func (p *printer) enum(ed protoreflect.EnumDescriptor) {
	p.line("enum %s {", ed.Name())
	p.indent++
	for _, o := range options(ed.Options()) {
		p.line("option %s;", o)
	}
	for i := range ed.Values().Len() {
		v := ed.Values().Get(i)
		suffix := ""
		if opts := options(v.Options()); len(opts) > 0 {
			suffix = " [" + strings.Join(opts, ", ") + "]"
		}
		p.line("%s = %d%s;", v.Name(), v.Number(), suffix)
	}
	r := ed.ReservedRanges()
	var parts []string
	for i := range r.Len() {
		parts = append(parts, rangeText(int64(r.Get(i)[0]), int64(r.Get(i)[1]), 2147483647))
	}
	if len(parts) > 0 {
		p.line("reserved %s;", strings.Join(parts, ", "))
	}
	p.reservedNames(ed.ReservedNames())
	p.indent--
	p.line("}")
}

func (p *printer) reserved(r protoreflect.FieldRanges, names protoreflect.Names, _ bool) {
	var parts []string
	for i := range r.Len() {
		parts = append(parts, rangeText(int64(r.Get(i)[0]), int64(r.Get(i)[1])-1, 536870911))
	}
	if len(parts) > 0 {
		p.line("reserved %s;", strings.Join(parts, ", "))
	}
	p.reservedNames(names)
}

func (p *printer) reservedNames(names protoreflect.Names) {
	var parts []string
	for i := range names.Len() {
		parts = append(parts, strconv.Quote(string(names.Get(i))))
	}
	if len(parts) > 0 {
		p.line("reserved %s;", strings.Join(parts, ", "))
	}
}

func (p *printer) extensions(xs protoreflect.ExtensionDescriptors) {
	byExtendee := map[protoreflect.FullName][]protoreflect.FieldDescriptor{}
	var order []protoreflect.FullName
	for i := range xs.Len() {
		x := xs.Get(i)
		if _, ok := byExtendee[x.ContainingMessage().FullName()]; !ok {
			order = append(order, x.ContainingMessage().FullName())
		}
		byExtendee[x.ContainingMessage().FullName()] = append(byExtendee[x.ContainingMessage().FullName()], x)
	}
	for _, name := range order {
		p.blank()
		p.line("extend .%s {", name)
		p.indent++
		for _, x := range byExtendee[name] {
			p.field(x, false)
		}
		p.indent--
		p.line("}")
	}
}

func (p *printer) service(sd protoreflect.ServiceDescriptor) {
	p.line("service %s {", sd.Name())
	p.indent++
	for _, o := range options(sd.Options()) {
		p.line("option %s;", o)
	}
	for i := range sd.Methods().Len() {
		m := sd.Methods().Get(i)
		in, out := "", ""
		if m.IsStreamingClient() {
			in = "stream "
		}
		if m.IsStreamingServer() {
			out = "stream "
		}
		opts := options(m.Options())
		if len(opts) == 0 {
			p.line("rpc %s(%s.%s) returns (%s.%s);", m.Name(), in, m.Input().FullName(), out, m.Output().FullName())
			continue
		}
		p.line("rpc %s(%s.%s) returns (%s.%s) {", m.Name(), in, m.Input().FullName(), out, m.Output().FullName())
		p.indent++
		for _, o := range opts {
			p.line("option %s;", o)
		}
		p.indent--
		p.line("}")
	}
	p.indent--
	p.line("}")
}

func rangeText(start, end, max int64) string {
	switch {
	case start == end:
		return strconv.FormatInt(start, 10)
	case end >= max:
		return fmt.Sprintf("%d to max", start)
	}
	return fmt.Sprintf("%d to %d", start, end)
}

// typeName is the type of a field as written in source, fully qualified
// for messages and enums.
func typeName(f protoreflect.FieldDescriptor) string {
	if f.IsMap() {
		return fmt.Sprintf("map<%s, %s>", typeName(f.MapKey()), typeName(f.MapValue()))
	}
	switch f.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return "." + string(f.Message().FullName())
	case protoreflect.EnumKind:
		return "." + string(f.Enum().FullName())
	}
	return f.Kind().String()
}

func defaultJSONName(name string) string {
	var b strings.Builder
	upper := false
	for _, c := range name {
		if c == '_' {
			upper = true
			continue
		}
		if upper && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		upper = false
		b.WriteRune(c)
	}
	return b.String()
}

func defaultText(f protoreflect.FieldDescriptor) string {
	v := f.Default()
	switch f.Kind() {
	case protoreflect.StringKind:
		return strconv.Quote(v.String())
	case protoreflect.BytesKind:
		return strconv.Quote(string(v.Bytes()))
	case protoreflect.EnumKind:
		return string(f.DefaultEnumValue().Name())
	}
	return fmt.Sprint(v.Interface())
}

// options returns each option set in opts as source: name = value, the
// options of descriptor.proto by name, custom ones in parentheses.
func options(opts proto.Message) []string {
	if opts == nil {
		return nil
	}
	m := opts.ProtoReflect()
	if !m.IsValid() {
		return nil
	}
	var out []string
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		name := string(fd.Name())
		if fd.IsExtension() {
			name = "(" + string(fd.FullName()) + ")"
		}
		if fd.Cardinality() == protoreflect.Repeated {
			list := v.List()
			for i := range list.Len() {
				out = append(out, name+" = "+valueText(fd, list.Get(i)))
			}
			return true
		}
		out = append(out, name+" = "+valueText(fd, v))
		return true
	})
	// Unknown fields are options this binary cannot name: dropped. Range's
	// order is undefined (extensions live in a map): descriptor.proto's
	// options come first, then custom ones, each by name, so that one
	// descriptor always prints the same.
	sort.SliceStable(out, func(i, j int) bool {
		ci, cj := strings.HasPrefix(out[i], "("), strings.HasPrefix(out[j], "(")
		if ci != cj {
			return cj
		}
		return optionName(out[i]) < optionName(out[j])
	})
	return out
}

func optionName(o string) string {
	name, _, _ := strings.Cut(o, " = ")
	return name
}

func valueText(fd protoreflect.FieldDescriptor, v protoreflect.Value) string {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		text := prototext.MarshalOptions{EmitUnknown: false}.Format(v.Message().Interface())
		return "{" + text + "}"
	case protoreflect.StringKind:
		return strconv.Quote(v.String())
	case protoreflect.BytesKind:
		return strconv.Quote(string(v.Bytes()))
	case protoreflect.EnumKind:
		if ev := fd.Enum().Values().ByNumber(v.Enum()); ev != nil {
			return string(ev.Name())
		}
		return strconv.Itoa(int(v.Enum()))
	}
	return fmt.Sprint(v.Interface())
}
