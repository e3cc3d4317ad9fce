package impl

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"log/slog"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// LogValue renders m for log/slog showing only what may be logged: fields
// classified anonymous appear in clear, every other populated field as
// "[redacted]"; unknown fields and extensions never appear. Message fields
// classified anonymous are groups of their own fields, judged one by one;
// any other message field is "[redacted]" whole. Go protobuf ignores
// debug_redact when printing, so payloads must be logged through this (the
// generated LogValue methods call it).
func LogValue(m proto.Message) slog.Value {
	if m == nil || !m.ProtoReflect().IsValid() {
		return slog.StringValue("<nil>")
	}
	return logMessage(m.ProtoReflect())
}

func logMessage(m protoreflect.Message) slog.Value {
	pol := PolicyFor(m.Descriptor(), nil)
	fds := m.Descriptor().Fields()
	var attrs []slog.Attr
	for i := range fds.Len() {
		fd := fds.Get(i)
		if !m.Has(fd) {
			continue
		}
		name := fd.JSONName()
		if !pol.Fields[i].Anonymous() {
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
		out := make([]any, l.Len())
		for i := range l.Len() {
			out[i] = logScalar(fd, l.Get(i)).Any()
		}
		return slog.AnyValue(out)
	case fd.IsMap():
		out := map[string]any{}
		v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
			out[k.String()] = logScalar(fd.MapValue(), mv).Any()
			return true
		})
		return slog.AnyValue(out)
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
		return slog.Float64Value(v.Float())
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return slog.Uint64Value(v.Uint())
	default:
		return slog.Int64Value(v.Int())
	}
}
