package impl

import (
	"bytes"
	"encoding"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// LogValue renders m for log/slog showing only what may be logged: fields
// classified anonymous appear in clear, unless they set debug_redact,
// every other populated field as "[redacted]"; unknown fields and
// extensions never appear. Message fields shown in clear are groups of
// their own fields, judged one by one; any other message field is
// "[redacted]" whole. Go protobuf ignores debug_redact when printing, so
// payloads must be logged through this (the generated LogValue methods
// call it).
//
// A repeated field is a list (a slog.KindAny value) that both of slog's
// handlers write whole: the JSON handler as a JSON array (a message as an
// object of its fields, in declaration order), the text handler as the
// text FormatMessage writes. A map field is a group keyed by the map's
// keys, in key order. A float that is not finite is the string protojson
// writes for it ("NaN", "Infinity", "-Infinity"), which JSON can hold.
func LogValue(m proto.Message) slog.Value {
	if m == nil || !m.ProtoReflect().IsValid() {
		return slog.StringValue("<nil>")
	}
	return logMessage(m.ProtoReflect())
}

func logMessage(m protoreflect.Message) slog.Value {
	if !m.IsValid() {
		return slog.GroupValue()
	}
	pol := PolicyFor(m.Descriptor(), nil)
	fds := m.Descriptor().Fields()
	var attrs []slog.Attr
	for i := range fds.Len() {
		fd := fds.Get(i)
		if !m.Has(fd) {
			continue
		}
		name := fd.JSONName()
		if !pol.fields[i].Printable() {
			attrs = append(attrs, slog.String(name, RedactedText))
			continue
		}
		attrs = append(attrs, slog.Attr{Key: name, Value: logField(fd, m.Get(fd))})
	}
	return slog.GroupValue(attrs...)
}

func logField(fd protoreflect.FieldDescriptor, v protoreflect.Value) slog.Value {
	switch {
	case fd.IsList():
		l := v.List()
		out := make(logList, l.Len())
		for i := range l.Len() {
			out[i] = logScalar(fd, l.Get(i))
		}
		return slog.AnyValue(out)
	case fd.IsMap():
		var attrs []slog.Attr
		v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
			attrs = append(attrs, slog.Attr{Key: k.String(), Value: logScalar(fd.MapValue(), mv)})
			return true
		})
		slices.SortFunc(attrs, func(a, b slog.Attr) int { return strings.Compare(a.Key, b.Key) })
		return slog.GroupValue(attrs...)
	}
	return logScalar(fd, v)
}

// logWellKnown renders a message that is not a payload message (a
// well-known type such as Timestamp or Duration) as protojson writes it: a
// JSON string as the string itself ("2024-03-14T09:26:53Z", not quoted
// twice), anything else as compact JSON. protojson varies its whitespace
// from build to build; compacting keeps log lines stable.
func logWellKnown(m protoreflect.Message) slog.Value {
	js, err := protojson.Marshal(m.Interface())
	if err != nil {
		return slog.StringValue(RedactedText)
	}
	var s string
	if json.Unmarshal(js, &s) == nil {
		return slog.StringValue(s)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, js); err != nil {
		return slog.StringValue(RedactedText)
	}
	return slog.StringValue(compact.String())
}

func logScalar(fd protoreflect.FieldDescriptor, v protoreflect.Value) slog.Value {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		if IsPayloadMessage(fd) {
			return logMessage(v.Message())
		}
		if !v.Message().IsValid() {
			return slog.GroupValue()
		}
		return logWellKnown(v.Message())
	case protoreflect.EnumKind:
		if ev := fd.Enum().Values().ByNumber(v.Enum()); ev != nil {
			return slog.StringValue(string(ev.Name()))
		}
		return slog.Int64Value(int64(v.Enum()))
	case protoreflect.BytesKind:
		return slog.StringValue(hex.EncodeToString(v.Bytes()))
	case protoreflect.StringKind:
		return slog.StringValue(v.String())
	case protoreflect.BoolKind:
		return slog.BoolValue(v.Bool())
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		f := v.Float()
		switch {
		case math.IsNaN(f):
			return slog.StringValue("NaN")
		case math.IsInf(f, 1):
			return slog.StringValue("Infinity")
		case math.IsInf(f, -1):
			return slog.StringValue("-Infinity")
		}
		return slog.Float64Value(f)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return slog.Uint64Value(v.Uint())
	default:
		return slog.Int64Value(v.Int())
	}
}

// logList is the value of a repeated field in a log record. slog has no
// kind for lists, and its JSON handler would write a list of groups as
// the Go structs slog.Attr (keys, and values without their fields); a
// logList writes itself instead: as a JSON array for the JSON handler
// (json.Marshaler), as text for the text handler (encoding.TextMarshaler)
// and for fmt.
type logList []slog.Value

// MarshalJSON writes the list as a JSON array.
func (l logList) MarshalJSON() ([]byte, error) {
	var b []byte
	return appendJSON(b, slog.AnyValue(l)), nil
}

// MarshalText writes the list as FormatMessage writes values.
func (l logList) MarshalText() ([]byte, error) {
	return appendText(nil, slog.AnyValue(l)), nil
}

// String returns the text MarshalText writes.
func (l logList) String() string { return string(appendText(nil, slog.AnyValue(l))) }

// appendJSON appends v, a value LogValue builds, as JSON.
func appendJSON(b []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindGroup:
		b = append(b, '{')
		for i, a := range v.Group() {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, a.Key)
			b = append(b, ':')
			b = appendJSON(b, a.Value)
		}
		return append(b, '}')
	case slog.KindString:
		return appendJSONString(b, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindFloat64:
		return strconv.AppendFloat(b, v.Float64(), 'g', -1, 64)
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool())
	case slog.KindAny:
		if l, ok := v.Any().(logList); ok {
			b = append(b, '[')
			for i, e := range l {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendJSON(b, e)
			}
			return append(b, ']')
		}
	}
	// Not a value LogValue builds.
	return appendJSONString(b, RedactedText)
}

func appendJSONString(b []byte, s string) []byte {
	out, err := json.Marshal(s)
	if err != nil {
		return append(b, `""`...)
	}
	return append(b, out...)
}

// appendText appends v, a value LogValue builds, in the text form of
// FormatMessage: a message as {name:value name:value}, a list as
// [value value], a string quoted in Go syntax (so that no character of
// it, a line break included, can forge the rest of a line), "[redacted]"
// bare.
func appendText(b []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindGroup:
		b = append(b, '{')
		for i, a := range v.Group() {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendTextKey(b, a.Key)
			b = append(b, ':')
			b = appendText(b, a.Value)
		}
		return append(b, '}')
	case slog.KindString:
		if s := v.String(); s == RedactedText {
			return append(b, s...)
		}
		return strconv.AppendQuote(b, v.String())
	case slog.KindAny:
		if l, ok := v.Any().(logList); ok {
			b = append(b, '[')
			for i, e := range l {
				if i > 0 {
					b = append(b, ' ')
				}
				b = appendText(b, e)
			}
			return append(b, ']')
		}
		return append(b, RedactedText...)
	}
	return append(b, v.String()...)
}

// appendTextKey appends a field name as it is, and a map key quoted when
// it is not a plain word.
func appendTextKey(b []byte, k string) []byte {
	plain := k != ""
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			plain = false
			break
		}
	}
	if plain {
		return append(b, k...)
	}
	return strconv.AppendQuote(b, k)
}

// FormatMessage writes m as fmt prints it, for the generated Format
// methods: the text of LogValue(m), anonymous items in clear and every
// other item as [redacted], whatever the verb and flags
// ({osName:"Linux" accountId:[redacted] features:[{feature:"tags"}]}).
// protoc-gen-go's String method, which the generated code cannot
// replace, still prints every value in clear; fmt calls Format instead of
// String for %v, %+v, %#v, %s, %q and every other verb.
func FormatMessage(f fmt.State, m proto.Message) {
	if m == nil || !m.ProtoReflect().IsValid() {
		_, _ = f.Write([]byte("<nil>"))
		return
	}
	_, _ = f.Write(appendText(nil, LogValue(m)))
}

var (
	_ json.Marshaler         = logList(nil)
	_ encoding.TextMarshaler = logList(nil)
	_ fmt.Stringer           = logList(nil)
)
