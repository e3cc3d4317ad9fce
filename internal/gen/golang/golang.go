// Package golang generates, beside protoc-gen-go's output, the Go code
// client programs use to send a scenario's payload safely: Redact and
// Redacted (consent gating and redaction in place or on a copy), Validate
// (protovalidate plus the consent gate), LogValue (safe logging) and
// ProvisionFields (the items' metadata). The code is typed, so gating and
// redaction need no reflection; it calls the runtime (package provision)
// for the transforms, which the reflection engine shares, so both give the
// same result.
package golang

import (
	"strconv"
	"strings"

	gengo "google.golang.org/protobuf/cmd/protoc-gen-go/internal_gengo"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// GeneratorVersion is the version of the code this generator writes,
// checked against the runtime's MaxVersion in every generated file. Raise
// it, with the runtime's GeneratedCodeVersion (internal/impl), when the
// code calls something the runtime did not have; code that older runtimes
// of the same major version cannot compile is fine, code that this
// runtime cannot compile is not (that needs a new major version).
const GeneratorVersion = "5"

const (
	provisionPkg     = protogen.GoImportPath("github.com/provisionhq/provision")
	provisionimplPkg = protogen.GoImportPath("github.com/provisionhq/provision/runtime/provisionimpl")
	provisionv1Pkg   = protogen.GoImportPath("github.com/provisionhq/provision/gen/go/provision/v1")
	protoPkg         = protogen.GoImportPath("google.golang.org/protobuf/proto")
	slogPkg          = protogen.GoImportPath("log/slog")
	syncPkg          = protogen.GoImportPath("sync")
	fmtPkg           = protogen.GoImportPath("fmt")
	slicesPkg        = protogen.GoImportPath("slices")
)

// Options are the generator's parameters.
type Options struct {
	// Types also writes, for every file to generate, the .pb.go that
	// protoc-gen-go writes, by protoc-gen-go's own generator run in
	// process (at the version of google.golang.org/protobuf this module
	// links), with each data item's classification added to the doc
	// comment of its Go field, so that go doc shows it. A template that
	// sets it runs no protoc-gen-go of its own for these files.
	Types bool
}

// Generate writes a <file>.provision.go for every file to generate that
// declares a scenario or a message a scenario carries, as Options{}
// does.
func Generate(p *protogen.Plugin) error { return Options{}.Generate(p) }

// Generate writes a <file>.provision.go for every file to generate that
// declares a scenario or a message a scenario carries, and the .pb.go of
// every file to generate when o.Types is set. It builds the model from the
// whole request first and generates nothing if the catalog has a finding.
// The file that declares a product holds its Go package's package comment.
func (o Options) Generate(p *protogen.Plugin) error {
	c, err := model.FromPlugin(p)
	if err != nil {
		return err
	}
	payloads := map[protoreflect.FullName]*payload{}
	for _, s := range c.Scenarios() {
		collect(payloads, s.Message, s.Fields, s)
	}
	products := map[protoreflect.FullName]*model.Product{}
	for _, prod := range c.Products {
		products[prod.Package] = prod
	}
	policies := map[string]*model.Policy{}
	for _, pol := range c.Policies {
		policies[pol.File] = pol
	}
	if o.Types {
		genTypes(p, payloads)
	}
	documented := map[protogen.GoImportPath]bool{}
	for _, f := range p.Files {
		if !f.Generate {
			continue
		}
		var msgs []*protogen.Message
		walkMessages(f.Messages, func(m *protogen.Message) {
			if payloads[m.Desc.FullName()] != nil {
				msgs = append(msgs, m)
			}
		})
		prod := products[f.Desc.Package()]
		declares := prod != nil && prod.File == f.Desc.Path()
		if pol := policies[f.Desc.Path()]; pol != nil && prod == nil && len(msgs) == 0 && !documented[f.GoImportPath] {
			// A policy's own package holds no payload: its file is its
			// package comment.
			documented[f.GoImportPath] = true
			g := p.NewGeneratedFile(f.GeneratedFilenamePrefix+".provision.go", f.GoImportPath)
			header(g, f, func() { genPolicyDoc(g, f, pol) })
			continue
		}
		if !declares && len(msgs) == 0 {
			continue
		}
		// One generated file per .proto: a file may declare the product and
		// carry scenarios too.
		g := p.NewGeneratedFile(f.GeneratedFilenamePrefix+".provision.go", f.GoImportPath)
		var doc func()
		if declares {
			doc = func() { genPackageDoc(g, f, prod, messageNames(p, f.GoImportPath)) }
		}
		header(g, f, doc)
		if declares {
			if err := genProduct(g, p, f, prod); err != nil {
				return err
			}
		}
		for _, m := range msgs {
			genMessage(g, m, payloads[m.Desc.FullName()])
		}
	}
	return nil
}

// genTypes writes protoc-gen-go's .pb.go of every file to generate, after
// adding to the leading comment of each data item's field its
// classification (fieldClassification): protoc-gen-go copies a field's
// leading comment onto its Go struct field, where go doc shows it.
func genTypes(p *protogen.Plugin, payloads map[protoreflect.FullName]*payload) {
	for _, f := range p.Files {
		if !f.Generate {
			continue
		}
		walkMessages(f.Messages, func(m *protogen.Message) {
			pl := payloads[m.Desc.FullName()]
			if pl == nil {
				return
			}
			for _, fd := range m.Fields {
				if mf := pl.fields[fd.Desc.FullName()]; mf != nil {
					fd.Comments.Leading = appendComment(fd.Comments.Leading, fieldClassification(mf))
				}
			}
		})
		gengo.GenerateFile(p, f)
	}
	p.SupportedFeatures = gengo.SupportedFeatures
	p.SupportedEditionsMinimum = gengo.SupportedEditionsMinimum
	p.SupportedEditionsMaximum = gengo.SupportedEditionsMaximum
}

// appendComment returns the leading comment c with text added as a
// paragraph of its own, wrapped to docWidth.
func appendComment(c protogen.Comments, text string) protogen.Comments {
	var b strings.Builder
	b.WriteString(string(c))
	if c != "" {
		if !strings.HasSuffix(string(c), "\n") {
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	for _, line := range wrap(text, docWidth) {
		b.WriteString(" " + line + "\n")
	}
	return protogen.Comments(b.String())
}

// messageNames returns the Go names of the messages of the files of
// request p in Go package path, by full name.
func messageNames(p *protogen.Plugin, path protogen.GoImportPath) map[protoreflect.FullName]string {
	names := map[protoreflect.FullName]string{}
	for _, f := range p.Files {
		if f.GoImportPath == path {
			walkMessages(f.Messages, func(m *protogen.Message) {
				names[m.Desc.FullName()] = m.GoIdent.GoName
			})
		}
	}
	return names
}

// payload is a message whose fields are data items, with the model's view
// of them; scenario is set on top-level payloads.
type payload struct {
	fields   map[protoreflect.FullName]*model.Field
	scenario *model.Scenario
}

func collect(out map[protoreflect.FullName]*payload, md protoreflect.MessageDescriptor, fields []*model.Field, s *model.Scenario) {
	p := out[md.FullName()]
	if p == nil {
		p = &payload{fields: map[protoreflect.FullName]*model.Field{}}
		out[md.FullName()] = p
	}
	if s.Message == md {
		p.scenario = s
	}
	for _, f := range fields {
		p.fields[f.Desc.FullName()] = f
		if len(f.Children) > 0 {
			child := f.Desc.Message()
			if f.Desc.IsMap() {
				child = f.Desc.MapValue().Message()
			}
			collect(out, child, f.Children, s)
		}
	}
}

func walkMessages(ms []*protogen.Message, fn func(*protogen.Message)) {
	for _, m := range ms {
		if m.Desc.IsMapEntry() {
			continue
		}
		fn(m)
		walkMessages(m.Messages, fn)
	}
}

// header writes the file's header and package clause, preceded by the
// package comment that doc writes, if doc is not nil.
func header(g *protogen.GeneratedFile, f *protogen.File, doc func()) {
	g.P("// Code generated by protoc-gen-provision-go. DO NOT EDIT.")
	g.P("// versions:")
	g.P("// \tprotoc-gen-provision-go v", impl.Version)
	g.P("// source: ", f.Desc.Path())
	g.P()
	if doc != nil {
		doc()
	}
	g.P("package ", f.GoPackageName)
	g.P()
	major := strconv.Itoa(impl.Major)
	enforce := provisionimplPkg.Ident("EnforceVersion")
	g.P("const (")
	g.P("// Verify that this generated code is for the runtime's major version.")
	g.P("_ = ", enforce, "(", major, " - ", provisionimplPkg.Ident("Major"), ")")
	g.P("_ = ", enforce, "(", provisionimplPkg.Ident("Major"), " - ", major, ")")
	g.P("// Verify that the runtime is recent enough for this generated code.")
	g.P("_ = ", enforce, "(", provisionimplPkg.Ident("MaxVersion"), " - ", GeneratorVersion, ")")
	g.P(")")
	g.P()
}

func genMessage(g *protogen.GeneratedFile, m *protogen.Message, pl *payload) {
	name := m.GoIdent.GoName
	policy := "provisionPolicy_" + name
	g.P("// ", policy, " returns the compiled redaction policies")
	g.P("// of ", name, "'s fields, by field index: this package's own copy, so")
	g.P("// that no caller can change what Redact sends. It is lazy: the")
	g.P("// message's descriptor is ready only once the package is initialised.")
	g.P("var ", policy, " = ", syncPkg.Ident("OnceValue"), "(func() []*", provisionimplPkg.Ident("FieldPolicy"), " {")
	g.P("return ", provisionimplPkg.Ident("PolicyFor"), "((*", name, ")(nil).ProtoReflect().Descriptor(), agreements).Fields()")
	g.P("})")
	g.P()
	genRedactFields(g, m, pl, policy)
	genGateFields(g, m, pl)
	if s := pl.scenario; s != nil {
		genScenario(g, m, s)
	}
	genPrint(g, m)
}

// genPrint writes LogValue and Format, which log/slog and fmt call in
// preference to protoc-gen-go's String: they show anonymous items in
// clear and every other item as [redacted]. Every payload message has
// them, so that a nested message printed or logged alone hides its items
// too. String itself is protoc-gen-go's and prints every value in clear.
func genPrint(g *protogen.GeneratedFile, m *protogen.Message) {
	name := m.GoIdent.GoName
	g.P("// LogValue renders x for log/slog: anonymous items in clear, every other")
	g.P("// populated item as \"[redacted]\".")
	g.P("func (x *", name, ") LogValue() ", slogPkg.Ident("Value"), " {")
	g.P("return ", provisionPkg.Ident("LogValue"), "(x)")
	g.P("}")
	g.P()
	g.P("// Format prints x for fmt, whatever the verb (%v, %+v, %s…), as LogValue")
	g.P("// shows it: anonymous items in clear, every other populated item as")
	g.P("// [redacted]. x.String(), protoc-gen-go's, prints every value in clear.")
	g.P("func (x *", name, ") Format(f ", fmtPkg.Ident("State"), ", verb rune) {")
	g.P(provisionimplPkg.Ident("Format"), "(f, verb, x)")
	g.P("}")
	g.P()
	g.P("var (")
	g.P("_ ", slogPkg.Ident("LogValuer"), " = (*", name, ")(nil)")
	g.P("_ ", fmtPkg.Ident("Formatter"), " = (*", name, ")(nil)")
	g.P(")")
	g.P()
}

// presence returns the Go condition under which field f of x is populated,
// as protoreflect's Has reports it.
func presence(f *protogen.Field) string {
	x := "x." + f.GoName
	switch {
	case f.Oneof != nil && !f.Oneof.Desc.IsSynthetic():
		return "" // handled by the oneof switch
	case f.Desc.IsList() || f.Desc.IsMap():
		return "len(" + x + ") > 0"
	case f.Desc.HasPresence():
		return x + " != nil"
	case f.Desc.Kind() == protoreflect.BytesKind:
		return "len(" + x + ") > 0"
	case f.Desc.Kind() == protoreflect.StringKind:
		return x + ` != ""`
	case f.Desc.Kind() == protoreflect.BoolKind:
		return x
	default:
		return x + " != 0"
	}
}

// clear returns the Go statement that clears field f of x.
func clearStmt(f *protogen.Field) string {
	switch {
	case f.Oneof != nil && !f.Oneof.Desc.IsSynthetic():
		return "x." + f.Oneof.GoName + " = nil"
	case f.Desc.IsList() || f.Desc.IsMap() || f.Desc.HasPresence() || f.Desc.Kind() == protoreflect.BytesKind:
		return "x." + f.GoName + " = nil"
	case f.Desc.Kind() == protoreflect.StringKind:
		return "x." + f.GoName + ` = ""`
	case f.Desc.Kind() == protoreflect.BoolKind:
		return "x." + f.GoName + " = false"
	default:
		return "x." + f.GoName + " = 0"
	}
}

// scalarMethod names the Strategy method that transforms a value of the
// field's kind, or "" for kinds only keep and drop apply to.
func scalarMethod(fd protoreflect.FieldDescriptor) string {
	if fd.IsMap() {
		fd = fd.MapValue()
	}
	switch fd.Kind() {
	case protoreflect.StringKind:
		return "String"
	case protoreflect.BytesKind:
		return "Bytes"
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return "Int32"
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return "Int64"
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return "Uint32"
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return "Uint64"
	case protoreflect.FloatKind:
		return "Float32"
	case protoreflect.DoubleKind:
		return "Float64"
	}
	return ""
}

func needsKeys(method string) bool { return method == "String" || method == "Bytes" }

// keepOnly reports whether the item's only strategy is keep: gating by its
// agreement is then all redaction does.
func keepOnly(f *model.Field) bool {
	return f.Redaction().GetKeep() != nil && len(f.Item.GetRedactionUnder()) == 0
}

// expiresByDate reports whether the field policy of f carries an expiry
// date (impl.FieldPolicy.Expired): the item's own, or for a field of the
// scenario's message the scenario's (the earlier wins). A nested item
// without one of its own goes with its parent.
func expiresByDate(f *model.Field) bool {
	return f.Item.GetExpires().GetDate() != "" || f.Parent == nil && f.Scenario.Expires().GetDate() != ""
}

// denies returns the Go condition under which the consent does not grant
// agreement id of the generated package's product: one bit of granted
// (genGranted) under a constant mask; true for NONE, which no consent
// grants.
func denies(id string) string {
	if id == impl.AgreementNone {
		return "true"
	}
	return "granted&(1<<" + agreementConst(id) + ") == 0"
}

// genNow declares now, the time expiries are judged at, read once for
// the message, if a field of m expires by date (expiresByDate).
func genNow(g *protogen.GeneratedFile, m *protogen.Message, pl *payload) {
	for _, f := range m.Fields {
		if mf := pl.fields[f.Desc.FullName()]; mf != nil && expiresByDate(mf) {
			g.P("now := ", provisionimplPkg.Ident("NowUnix"), "()")
			return
		}
	}
}

// genGranted declares granted, the agreements consent c grants of this
// package's product as a bit set (none for another product's consent), if
// a field of m needs it: each field's gate is then a constant mask.
func genGranted(g *protogen.GeneratedFile, m *protogen.Message, pl *payload) {
	for _, f := range m.Fields {
		if mf := pl.fields[f.Desc.FullName()]; mf != nil && mf.Requires() != impl.AgreementNone {
			g.P("granted := ", provisionimplPkg.Ident("GrantedSet"), "(c, agreements)")
			return
		}
	}
}

func genRedactFields(g *protogen.GeneratedFile, m *protogen.Message, pl *payload, policy string) {
	name := m.GoIdent.GoName
	g.P("// redactFields redacts x in place under consent c, as Redact does, for")
	g.P("// a message found at path prefix in a payload; fields it must clear")
	g.P("// because they cannot be redacted are added to rerr.")
	g.P("func (x *", name, ") redactFields(c ", provisionPkg.Ident("Consent"), ", keys ", provisionPkg.Ident("KeyProvider"), ", prefix string, rerr *", provisionPkg.Ident("RedactError"), ") {")
	g.P("if x == nil {")
	g.P("return")
	g.P("}")
	g.P("if len(x.unknownFields) > 0 {")
	g.P("x.unknownFields = nil")
	g.P("}")
	if m.Desc.ExtensionRanges().Len() > 0 {
		g.P(provisionimplPkg.Ident("ClearExtensions"), "(x.ProtoReflect())")
	}
	genGranted(g, m, pl)
	genNow(g, m, pl)
	oneofsDone := map[*protogen.Oneof]bool{}
	for _, f := range m.Fields {
		if o := f.Oneof; o != nil && !o.Desc.IsSynthetic() {
			if oneofsDone[o] {
				continue
			}
			oneofsDone[o] = true
			genRedactOneof(g, m, o, pl, policy)
			continue
		}
		mf := pl.fields[f.Desc.FullName()]
		g.P("// ", f.Desc.Name(), ": ", model.DescribeRedaction(mf.Redaction()))
		g.P("if ", presence(f), " {")
		genRedactValue(g, f, mf, policy, "x."+f.GoName, clearStmt(f))
		g.P("}")
	}
	g.P("}")
	g.P()
}

func genRedactOneof(g *protogen.GeneratedFile, m *protogen.Message, o *protogen.Oneof, pl *payload, policy string) {
	g.P("switch w := x.", o.GoName, ".(type) {")
	for _, f := range o.Fields {
		mf := pl.fields[f.Desc.FullName()]
		g.P("case *", f.GoIdent.GoName, ":")
		g.P("// ", f.Desc.Name(), ": ", model.DescribeRedaction(mf.Redaction()))
		genNilWrapper(g, o, true)
		genRedactValue(g, f, mf, policy, "w."+f.GoName, clearStmt(f))
	}
	g.P("}")
}

// genNilWrapper writes, at the start of each case of a type switch over
// oneof o binding the member's wrapper to w, the test for a typed nil
// wrapper (x.Oneof = (*T_Member)(nil)). Such a wrapper holds no value:
// protobuf reports the oneof unset and encodes nothing, so the reflection
// engine neither gates nor redacts it. Redaction clears it (clear), the
// gate skips it; neither reads it.
func genNilWrapper(g *protogen.GeneratedFile, o *protogen.Oneof, clear bool) {
	g.P("if w == nil {")
	if clear {
		g.P("x.", o.GoName, " = nil")
	}
	g.P("break")
	g.P("}")
}

// genRedactValue writes the body that gates and transforms the populated
// field f held in the Go expression v.
func genRedactValue(g *protogen.GeneratedFile, f *protogen.Field, mf *model.Field, policy, v, clear string) {
	idx := strconv.Itoa(f.Desc.Index())
	path := `prefix+"` + string(f.Desc.Name()) + `"`
	if keepOnly(mf) {
		// No Select here: an item with an expiry date is tested for it.
		cond := denies(mf.Requires())
		if expiresByDate(mf) {
			cond += " || " + policy + "()[" + idx + "].ExpiredAt(now)"
		}
		g.P("if ", cond, " {")
		g.P(clear)
		genKeptMessage(g, f, v, path)
		g.P("}")
		return
	}
	// The agreement is known here: testing it first spares the policy
	// lookup for every item the consent drops (Select would refuse it too).
	g.P("if ", denies(mf.Requires()), " {")
	g.P(clear)
	if expiresByDate(mf) {
		g.P("} else if s, ok := ", policy, "()[", idx, "].SelectAt(c, now); !ok {")
	} else {
		g.P("} else if s, ok := ", policy, "()[", idx, "].Select(c); !ok {")
	}
	g.P(clear)
	g.P("} else if !s.Keeps() {")
	method := scalarMethod(f.Desc)
	if method == "" || messageValued(f.Desc) {
		kind := valueDesc(f.Desc).Kind().String()
		g.P(clear)
		g.P("rerr.Add(", path, ", s.Mismatch(", strconv.Quote(kind), "))")
		genKeptMessage(g, f, v, path)
		g.P("}")
		return
	}
	keys := ""
	if needsKeys(method) {
		keys = "keys, "
	}
	switch {
	case f.Desc.IsList() || f.Desc.IsMap():
		// A list is indexed by i, a map by its key k.
		index := "i"
		if f.Desc.IsMap() {
			index = "k"
		}
		g.P("for ", index, ", e := range ", v, " {")
		g.P("out, err := s.Apply", method, "(", keys, "e)")
		g.P("if err != nil {")
		g.P(clear)
		g.P("rerr.Add(", path, ", err)")
		g.P("break")
		g.P("}")
		g.P(v, "[", index, "] = out")
		g.P("}")
	case f.Desc.HasPresence() && (f.Oneof == nil || f.Oneof.Desc.IsSynthetic()):
		g.P("if out, err := s.Apply", method, "(", keys, "*", v, "); err != nil {")
		g.P(clear)
		g.P("rerr.Add(", path, ", err)")
		g.P("} else {")
		g.P(v, " = &out")
		g.P("}")
	default:
		g.P("if out, err := s.Apply", method, "(", keys, v, "); err != nil {")
		g.P(clear)
		g.P("rerr.Add(", path, ", err)")
		g.P("} else {")
		g.P(v, " = out")
		g.P("}")
	}
	g.P("}")
}

// genKeptMessage writes the else branch for a kept message field, if f is
// one: a payload message is redacted field by field; any other message (a
// well-known type) is kept whole, less its unknown fields.
func genKeptMessage(g *protogen.GeneratedFile, f *protogen.Field, v, path string) {
	switch {
	case impl.IsPayloadMessage(f.Desc):
		g.P("} else {")
		genRecurse(g, f, v, path)
	case messageValued(f.Desc) && !f.Desc.IsList() && !f.Desc.IsMap():
		g.P("} else {")
		g.P(provisionimplPkg.Ident("ClearUnknown"), "(", v, ".ProtoReflect())")
	case messageValued(f.Desc):
		g.P("} else {")
		g.P("for _, e := range ", v, " {")
		g.P(provisionimplPkg.Ident("ClearUnknown"), "(e.ProtoReflect())")
		g.P("}")
	}
}

// valueDesc returns the descriptor of the values fd holds: its map value
// for a map field, fd itself otherwise.
func valueDesc(fd protoreflect.FieldDescriptor) protoreflect.FieldDescriptor {
	if fd.IsMap() {
		return fd.MapValue()
	}
	return fd
}

// messageValued reports whether fd holds messages: a message field, a
// list of messages or a map with message values. A map whose values are
// scalars holds scalars, although its descriptor names an entry message.
func messageValued(fd protoreflect.FieldDescriptor) bool {
	return valueDesc(fd).Message() != nil
}

// genRecurse writes the redaction of the payload message(s) held in v.
func genRecurse(g *protogen.GeneratedFile, f *protogen.Field, v, path string) {
	next := path[:len(path)-1] + `."`
	switch {
	case f.Desc.IsList() || f.Desc.IsMap():
		g.P("for _, e := range ", v, " {")
		g.P("e.redactFields(c, keys, ", next, ", rerr)")
		g.P("}")
	default:
		g.P(v, ".redactFields(c, keys, ", next, ", rerr)")
	}
}

func genGateFields(g *protogen.GeneratedFile, m *protogen.Message, pl *payload) {
	name := m.GoIdent.GoName
	policy := "provisionPolicy_" + name
	g.P("// gateFields records in gate every populated field of x, found at path")
	g.P("// prefix in a payload, that consent c does not allow, as Validate does.")
	g.P("func (x *", name, ") gateFields(c ", provisionPkg.Ident("Consent"), ", prefix string, gate *", provisionimplPkg.Ident("Gate"), ") {")
	g.P("if x == nil {")
	g.P("return")
	g.P("}")
	g.P("if len(x.unknownFields) > 0 {")
	g.P(`gate.Deny(prefix+"(unknown fields)", "")`)
	g.P("}")
	if m.Desc.ExtensionRanges().Len() > 0 {
		g.P("gate.GateExtensions(x.ProtoReflect(), prefix)")
	}
	genGranted(g, m, pl)
	genNow(g, m, pl)
	oneofsDone := map[*protogen.Oneof]bool{}
	for _, f := range m.Fields {
		if o := f.Oneof; o != nil && !o.Desc.IsSynthetic() {
			if oneofsDone[o] {
				continue
			}
			oneofsDone[o] = true
			g.P("switch w := x.", o.GoName, ".(type) {")
			for _, of := range o.Fields {
				g.P("case *", of.GoIdent.GoName, ":")
				genNilWrapper(g, o, false)
				genGateValue(g, of, pl.fields[of.Desc.FullName()], policy, "w."+of.GoName)
			}
			g.P("}")
			continue
		}
		g.P("if ", presence(f), " {")
		genGateValue(g, f, pl.fields[f.Desc.FullName()], policy, "x."+f.GoName)
		g.P("}")
	}
	g.P("}")
	g.P()
}

func genGateValue(g *protogen.GeneratedFile, f *protogen.Field, mf *model.Field, policy, v string) {
	path := `prefix+"` + string(f.Desc.Name()) + `"`
	g.P("if ", denies(mf.Requires()), " {")
	g.P("gate.Deny(", path, ", ", strconv.Quote(mf.Requires()), ")")
	if expiresByDate(mf) {
		fp := policy + "()[" + strconv.Itoa(f.Desc.Index()) + "]"
		g.P("} else if ", fp, ".ExpiredAt(now) {")
		g.P("gate.Expire(", path, ", ", fp, ".Expires())")
	}
	if impl.IsPayloadMessage(f.Desc) {
		next := path[:len(path)-1] + `."`
		g.P("} else {")
		if f.Desc.IsList() || f.Desc.IsMap() {
			g.P("for _, e := range ", v, " {")
			g.P("e.gateFields(c, ", next, ", gate)")
			g.P("}")
		} else {
			g.P(v, ".gateFields(c, ", next, ", gate)")
		}
	}
	g.P("}")
}

func genScenario(g *protogen.GeneratedFile, m *protogen.Message, s *model.Scenario) {
	name := m.GoIdent.GoName
	consent := provisionPkg.Ident("Consent")
	keys := provisionPkg.Ident("KeyProvider")
	// The errors come from the runtime, which writes the package prefix
	// and words them as the reflection engine does.
	nilMessage := provisionimplPkg.Ident("NilMessageError")
	mismatch := provisionimplPkg.Ident("ConsentMismatchError")
	g.P("// Redact makes x safe to send under consent c, in place: unknown fields")
	g.P("// and fields whose agreement c does not grant are cleared, the others get")
	g.P("// their redaction strategy (keys provides HMAC keys). A field whose value")
	g.P("// the strategy cannot take is cleared and reported in a")
	g.P("// *provision.RedactError; x is safe to send even then.")
	g.P("//")
	g.P("// Scenario ", strconv.Quote(s.ID), ": ", s.Options.GetTitle(), ".")
	g.P("func (x *", name, ") Redact(c ", consent, ", keys ", keys, ") error {")
	g.P("if x == nil {")
	g.P("return ", nilMessage, `("redact", x.ProtoReflect().Descriptor())`)
	g.P("}")
	g.P("var rerr ", provisionPkg.Ident("RedactError"))
	g.P("if of := c.Of(); of != nil && of != agreements {")
	g.P(`x.redactFields(`, consent, `{}, keys, "", &rerr)`)
	g.P("return ", mismatch, `("redact", x.ProtoReflect().Descriptor(), of)`)
	g.P("}")
	g.P(`x.redactFields(c, keys, "", &rerr)`)
	g.P("return rerr.Err()")
	g.P("}")
	g.P()
	g.P("// Redacted returns a redacted copy of x, leaving x as it is; see Redact.")
	g.P("func (x *", name, ") Redacted(c ", consent, ", keys ", keys, ") (*", name, ", error) {")
	g.P("if x == nil {")
	g.P("return nil, ", nilMessage, `("redact", x.ProtoReflect().Descriptor())`)
	g.P("}")
	g.P("y := ", protoPkg.Ident("CloneOf"), "(x)")
	g.P("return y, y.Redact(c, keys)")
	g.P("}")
	g.P()
	g.P("// Validate checks that x, as collected, may be sent under consent c: it")
	g.P("// holds no field c does not allow and no unknown field, and it passes its")
	g.P("// buf.validate rules. The error is a *provision.ValidationError. Validate")
	g.P("// before Redact: redaction changes values.")
	g.P("func (x *", name, ") Validate(c ", consent, ") error {")
	g.P("if x == nil {")
	g.P("return ", nilMessage, `("validate", x.ProtoReflect().Descriptor())`)
	g.P("}")
	g.P("if of := c.Of(); of != nil && of != agreements {")
	g.P("return ", mismatch, `("validate", x.ProtoReflect().Descriptor(), of)`)
	g.P("}")
	g.P("var gate ", provisionimplPkg.Ident("Gate"))
	g.P(`x.gateFields(c, "", &gate)`)
	g.P("return gate.Finish(x)")
	g.P("}")
	g.P()
	fields := "provisionFields_" + name
	g.P("// ProvisionFields lists the data items of the payload: path, label,")
	g.P("// classification, agreement and redaction. The slice is the caller's.")
	g.P("func (*", name, ") ProvisionFields() []", provisionPkg.Ident("FieldInfo"), " {")
	g.P("return ", slicesPkg.Ident("Clone"), "(", fields, ")")
	g.P("}")
	g.P()
	g.P("// KeyIDs returns the IDs of the HMAC keys that Redact may ask its")
	g.P("// provision.KeyProvider for, under any consent, sorted: the keys a sender")
	g.P("// of this scenario must hold. The slice is the caller's.")
	if ids := keyIDs(s); len(ids) > 0 {
		q := make([]string, len(ids))
		for i, id := range ids {
			q[i] = strconv.Quote(id)
		}
		g.P("func (*", name, ") KeyIDs() []string { return []string{", strings.Join(q, ", "), "} }")
	} else {
		g.P("func (*", name, ") KeyIDs() []string { return nil }")
	}
	g.P()
	g.P("var ", fields, " = []", provisionPkg.Ident("FieldInfo"), "{")
	s.Walk(func(f *model.Field) bool {
		g.P("{")
		g.P("Path: ", strconv.Quote(f.Path), ",")
		g.P("Label: ", strconv.Quote(f.Label()), ",")
		g.P("Category: ", provisionv1Pkg.Ident("Category_"+f.Category().String()), ",")
		g.P("Identifiability: ", provisionv1Pkg.Ident("Identifiability_"+f.Identifiability().String()), ",")
		g.P("Requires: ", strconv.Quote(f.Requires()), ",")
		g.P("Strategy: ", strconv.Quote(f.DescribeRedactions()), ",")
		g.P("},")
		return true
	})
	g.P("}")
	g.P()
}
