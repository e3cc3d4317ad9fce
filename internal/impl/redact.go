package impl

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Redact makes m safe to send under consent c, in place, for a message
// known only at run time: the reflection engine, with the semantics of the
// generated Redact methods.
//
// Unknown fields and extensions are cleared. A field without a complete
// annotation, or whose agreement c does not grant, or whose strategy under
// c is drop, is cleared. The others get their strategy: message fields are
// redacted recursively, repeated and map fields element by element (map
// keys are kept). A value the strategy cannot take clears the whole field
// and is reported in a *RedactError; the message is safe to send even then.
// keys provides HMAC keys; it may be nil when no HMAC strategy applies.
func Redact(m proto.Message, c Consent, keys KeyProvider) error {
	if m == nil {
		return NilMessageError("redact", nil)
	}
	r := m.ProtoReflect()
	if !r.IsValid() {
		return NilMessageError("redact", r.Descriptor())
	}
	if err := checkConsentOf("redact", c, r.Descriptor()); err != nil {
		redactMessage(r, Consent{}, keys, "", &RedactError{})
		return err
	}
	var rerr RedactError
	redactMessage(r, c, keys, "", &rerr)
	return rerr.Err()
}

func redactMessage(m protoreflect.Message, c Consent, keys KeyProvider, prefix string, rerr *RedactError) {
	if len(m.GetUnknown()) > 0 {
		m.SetUnknown(nil)
	}
	pol := PolicyFor(m.Descriptor(), c.of)
	if m.Descriptor().ExtensionRanges().Len() > 0 {
		ClearExtensions(m)
	}
	var now int64
	if pol.HasExpiry() {
		now = NowUnix()
	}
	fds := m.Descriptor().Fields()
	for i := range fds.Len() {
		fd := fds.Get(i)
		if !m.Has(fd) {
			continue
		}
		s, ok := pol.fields[i].SelectAt(c, now)
		if !ok {
			m.Clear(fd)
			continue
		}
		if err := redactField(m, fd, s, c, keys, prefix+string(fd.Name()), rerr); err != nil {
			m.Clear(fd)
			rerr.Add(prefix+string(fd.Name()), err)
		}
	}
}

// IsPayloadMessage reports whether fd holds a message whose own fields are
// data items: a message (for a map field, a message value) that is not a
// well-known type. A well-known type (package google.protobuf: Timestamp,
// Duration, Struct…) is a single value instead, kept whole or not at all.
// The runtime, the catalog checks and the generators all decide it here.
func IsPayloadMessage(fd protoreflect.FieldDescriptor) bool {
	if fd.IsMap() {
		fd = fd.MapValue()
	}
	return fd.Message() != nil && fd.Message().ParentFile().Package() != "google.protobuf"
}

// redactField applies s to the populated field fd of m. An error means the
// caller clears the field.
func redactField(m protoreflect.Message, fd protoreflect.FieldDescriptor, s *Strategy, c Consent, keys KeyProvider, path string, rerr *RedactError) error {
	if fd.Message() != nil && !fd.IsMap() || fd.IsMap() && fd.MapValue().Message() != nil {
		if !s.Keeps() {
			return s.Mismatch("message")
		}
		if !IsPayloadMessage(fd) {
			// A well-known type is kept whole, less any unknown fields.
			clearUnknownIn(fd, m.Get(fd))
			return nil
		}
		prefix := path + "."
		switch {
		case fd.IsList():
			l := m.Mutable(fd).List()
			for i := range l.Len() {
				redactMessage(l.Get(i).Message(), c, keys, prefix, rerr)
			}
		case fd.IsMap():
			m.Mutable(fd).Map().Range(func(_ protoreflect.MapKey, v protoreflect.Value) bool {
				redactMessage(v.Message(), c, keys, prefix, rerr)
				return true
			})
		default:
			redactMessage(m.Mutable(fd).Message(), c, keys, prefix, rerr)
		}
		return nil
	}
	if s.Keeps() {
		return nil
	}
	switch {
	case fd.IsList():
		l := m.Mutable(fd).List()
		for i := range l.Len() {
			v, err := s.Value(keys, fd.Kind(), l.Get(i))
			if err != nil {
				return err
			}
			l.Set(i, v)
		}
	case fd.IsMap():
		mp := m.Mutable(fd).Map()
		var err error
		mp.Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
			var out protoreflect.Value
			if out, err = s.Value(keys, fd.MapValue().Kind(), v); err == nil {
				mp.Set(k, out)
			}
			return err == nil
		})
		return err
	default:
		v, err := s.Value(keys, fd.Kind(), m.Get(fd))
		if err != nil {
			return err
		}
		m.Set(fd, v)
	}
	return nil
}

// Value applies the strategy to one scalar value of the given kind, as the
// reflection engine holds it.
func (s *Strategy) Value(keys KeyProvider, kind protoreflect.Kind, v protoreflect.Value) (protoreflect.Value, error) {
	switch kind {
	case protoreflect.StringKind:
		out, err := s.ApplyString(keys, v.String())
		return protoreflect.ValueOfString(out), err
	case protoreflect.BytesKind:
		out, err := s.ApplyBytes(keys, v.Bytes())
		return protoreflect.ValueOfBytes(out), err
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		out, err := s.ApplyInt32(int32(v.Int()))
		return protoreflect.ValueOfInt32(out), err
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		out, err := s.ApplyInt64(v.Int())
		return protoreflect.ValueOfInt64(out), err
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		out, err := s.ApplyUint32(uint32(v.Uint()))
		return protoreflect.ValueOfUint32(out), err
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		out, err := s.ApplyUint64(v.Uint())
		return protoreflect.ValueOfUint64(out), err
	case protoreflect.FloatKind:
		out, err := s.ApplyFloat32(float32(v.Float()))
		return protoreflect.ValueOfFloat32(out), err
	case protoreflect.DoubleKind:
		out, err := s.ApplyFloat64(v.Float())
		return protoreflect.ValueOfFloat64(out), err
	}
	if s.Keeps() {
		return v, nil
	}
	return protoreflect.Value{}, s.Mismatch(kind.String())
}

// ClearExtensions clears every extension field set on m: extensions are
// never data items, so they are never sent. Generated code calls it for
// messages that declare extension ranges.
func ClearExtensions(m protoreflect.Message) {
	var exts []protoreflect.FieldDescriptor
	m.Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
		if fd.IsExtension() {
			exts = append(exts, fd)
		}
		return true
	})
	for _, fd := range exts {
		m.Clear(fd)
	}
}

// ClearUnknown clears the unknown fields of m and of every message it
// holds. Redaction keeps a well-known type such as a Timestamp whole, as
// one value; its unknown fields are not part of that value and are never
// sent. Generated code calls it for such fields. An invalid (nil) message
// is left alone.
func ClearUnknown(m protoreflect.Message) {
	if !m.IsValid() {
		return
	}
	if len(m.GetUnknown()) > 0 {
		m.SetUnknown(nil)
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		clearUnknownIn(fd, v)
		return true
	})
}

// clearUnknownIn clears the unknown fields of the messages held in v, the
// value of field fd.
func clearUnknownIn(fd protoreflect.FieldDescriptor, v protoreflect.Value) {
	switch {
	case fd.IsMap():
		if fd.MapValue().Message() != nil {
			v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
				ClearUnknown(mv.Message())
				return true
			})
		}
	case fd.Message() == nil:
	case fd.IsList():
		for i := range v.List().Len() {
			ClearUnknown(v.List().Get(i).Message())
		}
	default:
		ClearUnknown(v.Message())
	}
}
