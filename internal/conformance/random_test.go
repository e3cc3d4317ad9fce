package conformance_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// strings a random payload draws from: valid and malformed values for the
// strategies (addresses, web addresses, versions) and arbitrary text.
var stringPool = []string{
	"", "6.2.0.1234", "11", "v1.2", "1..2", "en-US",
	"https://user:pw@downloads.example.com/f/setup.exe?session=abc&lang=en#frag",
	"http://example.org/?token=t0k3n;id=7", "not a url", "//no-scheme/x", "ftp://h/",
	"192.0.2.17", "2001:db8::1", "::ffff:198.51.100.9", "300.1.1.1",
	"0b7e2c8a-5d41-4f3e-9a6b-1c2d3e4f5a6b", "AB1C2-DE3F4-GH5J6-KL7M8",
	"ünïcödé \u202e text", "\x00\xff",
}

// randomMessage fills m with random fields: each field set with
// probability 1/2, lists and maps of up to 3 entries, one oneof member,
// nested messages to depth 3, and now and then unknown fields.
func randomMessage(r *rand.Rand, m protoreflect.Message, depth int) {
	fds := m.Descriptor().Fields()
	for i := range fds.Len() {
		fd := fds.Get(i)
		if r.IntN(2) == 0 {
			continue
		}
		if od := fd.ContainingOneof(); od != nil && m.WhichOneof(od) != nil {
			continue
		}
		switch {
		case fd.IsList():
			l := m.Mutable(fd).List()
			for range r.IntN(4) {
				if fd.Message() != nil {
					e := l.NewElement()
					fillMessage(r, fd, e.Message(), depth)
					l.Append(e)
				} else {
					l.Append(randomScalar(r, fd))
				}
			}
		case fd.IsMap():
			mp := m.Mutable(fd).Map()
			for range r.IntN(4) {
				k := randomScalar(r, fd.MapKey()).MapKey()
				if fd.MapValue().Message() != nil {
					v := mp.NewValue()
					fillMessage(r, fd.MapValue(), v.Message(), depth)
					mp.Set(k, v)
				} else {
					mp.Set(k, randomScalar(r, fd.MapValue()))
				}
			}
		case fd.Message() != nil:
			if depth < 3 {
				fillMessage(r, fd, m.Mutable(fd).Message(), depth)
			}
		default:
			m.Set(fd, randomScalar(r, fd))
		}
	}
	if r.IntN(8) == 0 {
		var b []byte
		b = protowire.AppendTag(b, protowire.Number(1000+r.IntN(1000)), protowire.BytesType)
		b = protowire.AppendString(b, "unknown-"+stringPool[r.IntN(len(stringPool))])
		m.SetUnknown(b)
	}
}

func fillMessage(r *rand.Rand, fd protoreflect.FieldDescriptor, m protoreflect.Message, depth int) {
	if fd.Message().FullName() == "google.protobuf.Timestamp" {
		m.Set(m.Descriptor().Fields().ByName("seconds"), protoreflect.ValueOfInt64(1_600_000_000+r.Int64N(100_000_000)))
		return
	}
	randomMessage(r, m, depth+1)
}

func randomScalar(r *rand.Rand, fd protoreflect.FieldDescriptor) protoreflect.Value {
	switch fd.Kind() {
	case protoreflect.StringKind:
		if r.IntN(4) == 0 {
			return protoreflect.ValueOfString(fmt.Sprintf("s%d", r.Uint32()))
		}
		return protoreflect.ValueOfString(stringPool[r.IntN(len(stringPool))])
	case protoreflect.BytesKind:
		b := make([]byte, []int{0, 4, 16, 20, 32}[r.IntN(5)])
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return protoreflect.ValueOfBytes(b)
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(r.IntN(2) == 0)
	case protoreflect.EnumKind:
		vals := fd.Enum().Values()
		if r.IntN(8) == 0 {
			return protoreflect.ValueOfEnum(protoreflect.EnumNumber(99))
		}
		return protoreflect.ValueOfEnum(vals.Get(r.IntN(vals.Len())).Number())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(r.Int64N(1<<20)) - 1000)
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(r.Int64() - math.MaxInt64/2)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32([]uint32{0, 1, 9, 10, 137, 999, 5000, 70000, math.MaxUint32}[r.IntN(9)])
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(r.Uint64())
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32(r.NormFloat64() * 100))
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(r.NormFloat64() * 1000)
	}
	panic(fmt.Sprintf("randomScalar: kind %v", fd.Kind()))
}
