package livecheck

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	sjs "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/provisionhq/provision/internal/gen/jsonschema"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/registry/frame"
)

// itemExpiry is the day from which item f itself may no longer be sent:
// its own expiry date, and whether it states one. An item without one
// goes with what holds it (an enclosing item, reported at its own path,
// or the scenario, reported for the whole payload: scenarioExpiry), so
// that one expiry is one finding. An expiry by product version has no
// day (see RuleExpiryNotJudged).
func itemExpiry(f *model.Field) (time.Time, bool) { return model.ExpiryDate(f.Item.GetExpires()) }

// scenarioExpiry is the day from which no payload of s may be sent, and
// whether s expires by date.
func scenarioExpiry(s *model.Scenario) (time.Time, bool) { return model.ExpiryDate(s.Expires()) }

// jsonPosition finds where protojson's error is: "(line 1:20)".
var jsonPosition = regexp.MustCompile(` \(line [0-9]+:[0-9]+\)`)

// of is the finding of rule at field, from the same record as f, at the
// rule's level.
func (f Finding) of(rule Rule, field, text string) Finding {
	spec, _ := rule.Spec()
	f.Rule, f.Level, f.Field, f.Text = rule, spec.Level, field, text
	return f
}

// Resolver finds the message a Confluent frame was written for, from its
// schema ID and message indexes (nil: the first message).
type Resolver interface {
	Resolve(ctx context.Context, id int64, indexes []int) (protoreflect.FullName, error)
}

// Option configures a Checker.
type Option interface{ apply(*Checker) }

type optionFunc func(*Checker)

func (f optionFunc) apply(c *Checker) { f(c) }

// WithResolver resolves Confluent frames through r (a registry); without
// one, a frame's message comes from its capture file's name.
func WithResolver(r Resolver) Option { return optionFunc(func(c *Checker) { c.resolver = r }) }

// WithClock sets the clock whose day (UTC) expiries are compared with
// (time.Now by default): a scenario or item sent on or after its expiry
// date is an ITEM_EXPIRED finding.
func WithClock(now func() time.Time) Option { return optionFunc(func(c *Checker) { c.now = now }) }

// Checker checks captured payloads of one catalog under one consent, and
// counts what it saw. It is safe for concurrent use.
type Checker struct {
	catalog   *model.Catalog
	consents  Consents
	resolver  Resolver
	now       func() time.Time
	byMessage map[protoreflect.FullName]*model.Scenario

	mu       sync.Mutex
	schemas  map[string]*sjs.Schema
	payloads map[string]int
	seen     map[*model.Field]int
}

// New returns a checker of payloads of catalog c captured under consents
// (ParseConsent).
func New(c *model.Catalog, consents Consents, opts ...Option) (*Checker, error) {
	ch := &Checker{
		catalog: c, consents: consents, now: time.Now,
		byMessage: map[protoreflect.FullName]*model.Scenario{},
		schemas:   map[string]*sjs.Schema{}, payloads: map[string]int{}, seen: map[*model.Field]int{},
	}
	for _, o := range opts {
		o.apply(ch)
	}
	for _, s := range c.Scenarios() {
		if _, ok := consents[s.Product.ID]; !ok {
			return nil, fmt.Errorf("%w: no consent for product %s", ErrConsent, s.Product.ID)
		}
		ch.byMessage[s.Message.FullName()] = s
	}
	return ch, nil
}

// Check checks one record and returns its findings. A record that cannot
// be read is an *InputError.
func (ch *Checker) Check(ctx context.Context, rec Record) ([]Finding, error) {
	bad := func(format string, args ...any) error {
		return &InputError{Source: rec.Source, Record: rec.Line, Err: fmt.Errorf(format, args...)}
	}
	base := Finding{Source: rec.Source, Record: rec.Line, Message: string(rec.Message)}
	format, data := rec.Format, rec.Data
	if rec.Format == FormatFrame {
		name, body, err := ch.unframe(ctx, rec)
		if err != nil {
			return nil, &InputError{Source: rec.Source, Record: rec.Line, Err: err}
		}
		base.Message, format, data = string(name), FormatBinary, body
	}
	s := ch.byMessage[protoreflect.FullName(base.Message)]
	if s == nil {
		return []Finding{base.of(RuleMessageUndeclared, "", fmt.Sprintf("%s is not a scenario message of the catalog: the pages do not say it is sent", base.Message))}, nil
	}
	base.Scenario = s.ID
	c := ch.consents[s.Product.ID]
	ch.mu.Lock()
	ch.payloads[s.ID]++
	ch.mu.Unlock()
	if !c.Grants(s.Agreement) {
		text := fmt.Sprintf("scenario %s needs agreement %s, which the consent (%s) does not hold", s.ID, s.Agreement, strings.Join(c.Agreements(), ", "))
		if s.Local() {
			text = fmt.Sprintf("scenario %s keeps its data on the computer: nothing of it is ever sent", s.ID)
		}
		return []Finding{base.of(RuleScenarioNotAllowed, "", text)}, nil
	}
	var findings []Finding
	add := func(f Finding) {
		for _, g := range findings {
			if g.Rule == f.Rule && g.Field == f.Field {
				return
			}
		}
		findings = append(findings, f)
	}
	today := model.Day(ch.now())
	scenarioExpired := false
	if day, ok := scenarioExpiry(s); ok && !today.Before(day) {
		scenarioExpired = true
		g := base.of(RuleItemExpired, "", fmt.Sprintf("scenario %s expired on %s and a payload of it is still sent", s.ID, day.Format(model.DateLayout)))
		g.Expires = day.Format(model.DateLayout)
		add(g)
	}
	msg := dynamicpb.NewMessage(s.Message)
	var instance any
	switch format {
	case FormatBinary:
		if err := proto.Unmarshal(data, msg); err != nil {
			return nil, bad("not a binary %s: %v", s.Message.FullName(), err)
		}
		unknownFields(msg, "", func(path string, in protoreflect.FullName, n protowire.Number) {
			add(base.of(RuleFieldUnknown, joinPath(path, strconv.Itoa(int(n))), fmt.Sprintf("field number %d is not declared by %s", n, in)))
		})
		js, err := protojson.Marshal(msg)
		if err != nil {
			return nil, bad("%s cannot be written as protojson: %v", s.Message.FullName(), err)
		}
		if instance, err = sjs.UnmarshalJSON(bytes.NewReader(js)); err != nil {
			return nil, bad("%s: %v", s.Message.FullName(), err)
		}
	default:
		var err error
		if instance, err = sjs.UnmarshalJSON(bytes.NewReader(data)); err != nil {
			return nil, bad("not JSON")
		}
	}
	schema, err := ch.schema(s, c)
	if err != nil {
		return nil, err
	}
	if err := schema.Validate(instance); err != nil {
		var ve *sjs.ValidationError
		if !errors.As(err, &ve) {
			return nil, bad("%s: %v", s.Message.FullName(), err)
		}
		for _, f := range classify(s, c, ve) {
			add(base.of(f.Rule, f.Field, f.Text))
		}
	}
	if format == FormatJSON {
		if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(data, msg); err != nil {
			if len(findings) == 0 {
				// protojson's errors quote the value: only where it is.
				return nil, bad("not a protojson %s%s", s.Message.FullName(), jsonPosition.FindString(err.Error()))
			}
			// The findings say why; there is nothing to count.
			return findings, nil
		}
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	present(s.Fields, msg, "", func(f *model.Field, path string, v protoreflect.Value) {
		ch.seen[f]++
		if r, sent := f.Under(c); sent && !fixedPoint(f, r, v) {
			add(base.of(RuleRedactionShape, path, fmt.Sprintf("%q is not what %s makes of it: it was not redacted", f.Label(), impl.DescribeRedaction(r))))
		}
		if day, ok := itemExpiry(f); ok && !scenarioExpired && !today.Before(day) {
			g := base.of(RuleItemExpired, path, fmt.Sprintf("%q expired on %s and is still sent", f.Label(), day.Format(model.DateLayout)))
			g.Expires = day.Format(model.DateLayout)
			add(g)
		}
	})
	return findings, nil
}

// unframe reads a Confluent frame: its message (through the resolver,
// or from the capture's name) and its binary payload. Of a frame that
// reads both with and without message indexes, the first reading whose
// payload decodes as its message is taken.
func (ch *Checker) unframe(ctx context.Context, rec Record) (protoreflect.FullName, []byte, error) {
	fr, err := frame.Parse(rec.Data)
	if err != nil {
		return "", nil, err
	}
	if ch.resolver == nil && rec.Message == "" {
		return "", nil, fmt.Errorf("a Confluent frame (schema ID %d) needs a registry (-registry) or a capture named by its message", fr.ID)
	}
	var firstErr error
	for f := fr; f != nil; f = f.Alternative {
		name := rec.Message
		if ch.resolver != nil {
			resolved, err := ch.resolver.Resolve(ctx, f.ID, f.Indexes)
			if err != nil {
				firstErr = cmp.Or(firstErr, fmt.Errorf("schema ID %d, message indexes %v: %w", f.ID, f.Indexes, err))
				continue
			}
			if name != "" && name != resolved {
				firstErr = cmp.Or(firstErr, fmt.Errorf("named %s, but schema ID %d with message indexes %v is %s", name, f.ID, f.Indexes, resolved))
				continue
			}
			name = resolved
		}
		s := ch.byMessage[name]
		if s == nil || f.Alternative == nil || proto.Unmarshal(f.Payload, dynamicpb.NewMessage(s.Message)) == nil {
			return name, f.Payload, nil
		}
	}
	if firstErr == nil {
		firstErr = fmt.Errorf("the payload of schema ID %d decodes in no reading of its message indexes", fr.ID)
	}
	return "", nil, firstErr
}

// schema returns the JSON Schema of scenario s as transmitted under c,
// generated from the model and compiled once.
func (ch *Checker) schema(s *model.Scenario, c impl.Consent) (*sjs.Schema, error) {
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if sch, ok := ch.schemas[s.ID]; ok {
		return sch, nil
	}
	files, err := jsonschema.Generate(ch.catalog, []*model.Scenario{s}, jsonschema.Options{})
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.ID, err)
	}
	byName := map[string][]byte{}
	for _, f := range files {
		byName[f.Name] = f.Content
	}
	var index jsonschema.Index
	if err := json.Unmarshal(byName[jsonschema.IndexName], &index); err != nil || len(index.Scenarios) != 1 {
		return nil, fmt.Errorf("scenario %s: read the schemas' index: %v", s.ID, err)
	}
	slug := jsonschema.ConsentSlug(c)
	i := slices.IndexFunc(index.Scenarios[0].Transmitted, func(ic jsonschema.IndexConsent) bool { return ic.Consent == slug })
	if i < 0 {
		return nil, fmt.Errorf("scenario %s: no transmitted schema for consent %s", s.ID, slug)
	}
	name := index.Scenarios[0].Transmitted[i].Schema
	doc, err := sjs.UnmarshalJSON(bytes.NewReader(byName[name]))
	if err != nil {
		return nil, fmt.Errorf("scenario %s: schema %s: %w", s.ID, name, err)
	}
	comp := sjs.NewCompiler()
	if err := comp.AddResource(name, doc); err != nil {
		return nil, fmt.Errorf("scenario %s: schema %s: %w", s.ID, name, err)
	}
	sch, err := comp.Compile(name)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: schema %s: %w", s.ID, name, err)
	}
	ch.schemas[s.ID] = sch
	return sch, nil
}

// classified is a finding of the transmitted schema, as the model reads it.
type classified struct {
	Rule  Rule
	Field string
	Text  string
}

// classify turns the transmitted schema's verdict into findings: each
// failed keyword at the deepest place it applies, read by the model as a
// field the consent does not allow, a field no message declares, a value
// without its redaction's shape, or a broken rule. Texts name keywords,
// never values.
func classify(s *model.Scenario, c impl.Consent, ve *sjs.ValidationError) []classified {
	var out []classified
	var walk func(e *sjs.ValidationError)
	walk = func(e *sjs.ValidationError) {
		if len(e.Causes) > 0 {
			causes := e.Causes
			switch e.ErrorKind.(type) {
			case *kind.AnyOf, *kind.OneOf:
				// Of alternatives that all fail, those that got
				// furthest into the value say what is wrong with it;
				// the others only that it is not, say, null.
				causes = deepest(causes)
			}
			for _, sub := range causes {
				walk(sub)
			}
			return
		}
		switch k := e.ErrorKind.(type) {
		case *kind.AdditionalProperties:
			for _, p := range k.Properties {
				loc := append(slices.Clone(e.InstanceLocation), p)
				f, path, rest := locate(s, loc)
				if f != nil && len(rest) == 0 {
					out = append(out, fieldFinding(f, path, c, "is present"))
					continue
				}
				_, parent, _ := locate(s, e.InstanceLocation)
				out = append(out, classified{RuleFieldUnknown, joinPath(parent, p), fmt.Sprintf("property %q is not a field of %s", p, messageAt(s, e.InstanceLocation))})
			}
		case *kind.Required:
			for _, m := range k.Missing {
				_, path, _ := locate(s, append(slices.Clone(e.InstanceLocation), m))
				out = append(out, classified{RuleValueRule, path, "a field that must be sent is missing"})
			}
		default:
			f, path, _ := locate(s, e.InstanceLocation)
			if f == nil {
				out = append(out, classified{RuleValueRule, path, "the payload breaks a rule of its message (" + keyword(e) + ")"})
				return
			}
			out = append(out, fieldFinding(f, path, c, "breaks "+keyword(e)))
		}
	}
	walk(ve)
	return out
}

// deepest returns the errors whose failures reach deepest into the
// instance.
func deepest(errs []*sjs.ValidationError) []*sjs.ValidationError {
	depth := func(e *sjs.ValidationError) int {
		d := -1
		var walk func(*sjs.ValidationError)
		walk = func(e *sjs.ValidationError) {
			if len(e.Causes) == 0 {
				n := len(e.InstanceLocation)
				switch e.ErrorKind.(type) {
				case *kind.AdditionalProperties, *kind.Required:
					// About a property: one level below the object.
					n++
				}
				d = max(d, n)
			}
			for _, c := range e.Causes {
				walk(c)
			}
		}
		walk(e)
		return d
	}
	most := -1
	var out []*sjs.ValidationError
	for _, e := range errs {
		switch d := depth(e); {
		case d > most:
			most, out = d, []*sjs.ValidationError{e}
		case d == most:
			out = append(out, e)
		}
	}
	return out
}

// fieldFinding is a failed keyword on field f at path under consent c.
func fieldFinding(f *model.Field, path string, c impl.Consent, what string) classified {
	r, sent := f.Under(c)
	switch {
	case !sent:
		why := "its agreement " + f.Requires() + " is not held"
		if c.Grants(f.Requires()) {
			why = "its redaction drops it"
		}
		for p := f.Parent; p != nil; p = p.Parent {
			if _, ok := p.Under(c); !ok {
				why = "the item it is part of, " + p.Path + ", is not sent"
			}
		}
		return classified{RuleFieldNotAllowed, path, fmt.Sprintf("%q is sent, but the consent does not allow it: %s", f.Label(), why)}
	case impl.StrategyKindOf(r) != impl.StrategyKeep:
		return classified{RuleRedactionShape, path, fmt.Sprintf("%q does not have the shape %s gives (%s)", f.Label(), impl.DescribeRedaction(r), strings.TrimPrefix(what, "breaks "))}
	}
	return classified{RuleValueRule, path, fmt.Sprintf("%q %s", f.Label(), what)}
}

// keyword names the failed keyword of a leaf error.
func keyword(e *sjs.ValidationError) string {
	if kp := e.ErrorKind.KeywordPath(); len(kp) > 0 {
		return "rule " + kp[len(kp)-1]
	}
	switch e.ErrorKind.(type) {
	case *kind.FalseSchema:
		return "no value allowed"
	case *kind.Not:
		return "rule not"
	}
	return "a rule"
}

// locate follows a JSON instance location from the scenario's message to
// the deepest data item it names: that item (nil for the message itself),
// its path with list indexes and map keys, and what is left of the
// location below it (inside a value, or past a property that is no
// field).
func locate(s *model.Scenario, loc []string) (*model.Field, string, []string) {
	fields := s.Fields
	var cur *model.Field
	path := ""
	for i := 0; i < len(loc); i++ {
		if len(fields) == 0 && cur != nil {
			return cur, path, loc[i:]
		}
		key := loc[i]
		j := slices.IndexFunc(fields, func(f *model.Field) bool {
			return f.Desc.JSONName() == key || string(f.Desc.Name()) == key
		})
		if j < 0 {
			return cur, path, loc[i:]
		}
		cur = fields[j]
		path = joinPath(path, string(cur.Desc.Name()))
		if (cur.Desc.IsList() || cur.Desc.IsMap()) && i+1 < len(loc) {
			i++
			path += "[" + loc[i] + "]"
		}
		fields = cur.Children
	}
	return cur, path, nil
}

// messageAt names the message at a JSON instance location.
func messageAt(s *model.Scenario, loc []string) protoreflect.FullName {
	f, _, _ := locate(s, loc)
	if f == nil || f.Desc.Message() == nil {
		return s.Message.FullName()
	}
	if f.Desc.IsMap() {
		return f.Desc.MapValue().Message().FullName()
	}
	return f.Desc.Message().FullName()
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// unknownFields calls fn with the path, message and number of every field of m and
// of the messages it holds that their message does not declare.
func unknownFields(m protoreflect.Message, path string, fn func(string, protoreflect.FullName, protowire.Number)) {
	for b := m.GetUnknown(); len(b) > 0; {
		n, typ, l := protowire.ConsumeTag(b)
		if l < 0 {
			break
		}
		b = b[l:]
		fn(path, m.Descriptor().FullName(), n)
		if l = protowire.ConsumeFieldValue(n, typ, b); l < 0 {
			break
		}
		b = b[l:]
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		p := joinPath(path, string(fd.Name()))
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for i := range l.Len() {
				unknownFields(l.Get(i).Message(), p+"["+strconv.Itoa(i)+"]", fn)
			}
		case fd.IsMap() && fd.MapValue().Message() != nil:
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				unknownFields(mv.Message(), p+"["+k.String()+"]", fn)
				return true
			})
		case !fd.IsList() && !fd.IsMap() && fd.Message() != nil:
			unknownFields(v.Message(), p, fn)
		}
		return true
	})
}

// present calls fn with every data item set in m, its path and its
// value, depth first.
func present(fields []*model.Field, m protoreflect.Message, path string, fn func(*model.Field, string, protoreflect.Value)) {
	for _, f := range fields {
		if !m.Has(f.Desc) {
			continue
		}
		p := joinPath(path, string(f.Desc.Name()))
		v := m.Get(f.Desc)
		fn(f, p, v)
		if len(f.Children) == 0 {
			continue
		}
		switch {
		case f.Desc.IsList():
			l := v.List()
			for i := range l.Len() {
				present(f.Children, l.Get(i).Message(), p, fn)
			}
		case f.Desc.IsMap():
			v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
				present(f.Children, mv.Message(), p, fn)
				return true
			})
		default:
			present(f.Children, v.Message(), p, fn)
		}
	}
}
