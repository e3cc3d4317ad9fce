package jsonschema

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	js "github.com/invopop/jsonschema"
	"google.golang.org/protobuf/types/known/wrapperspb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// TestBytesLength checks the base64 length keywords against every byte
// length around the bounds, for bounds of every remainder modulo 3: the
// same arithmetic holds for the 64 MiB bounds of the catalog, which the
// differential test does not build.
func TestBytesLength(t *testing.T) {
	t.Parallel()
	bound := func(n uint64, ok bool) *uint64 {
		if !ok {
			return nil
		}
		return &n
	}
	for lo := range uint64(8) {
		for hi := lo; hi < 12; hi++ {
			for _, c := range []struct{ hasLo, hasHi bool }{{true, true}, {true, false}, {false, true}} {
				t.Run(fmt.Sprintf("%v%d-%v%d", c.hasLo, lo, c.hasHi, hi), func(t *testing.T) {
					t.Parallel()
					s := bytesSchema(nil)
					s.AllOf = []*js.Schema{bytesLength(bound(lo, c.hasLo), bound(hi, c.hasHi))}
					body, err := encode(&js.Schema{Version: js.Version, ID: "https://x.example/b", AllOf: []*js.Schema{s}})
					if err != nil {
						t.Fatal(err)
					}
					sch, err := compileSchema(body, false)
					if err != nil {
						t.Fatal(err)
					}
					for n := range uint64(16) {
						want := (!c.hasLo || n >= lo) && (!c.hasHi || n <= hi)
						value := fmt.Sprintf("%q", base64.StdEncoding.EncodeToString(make([]byte, n)))
						if got, why := validates(sch, []byte(value)); got != want {
							t.Errorf("%d bytes: schema says %v (%s), want %v", n, got, why, want)
						}
					}
				})
			}
		}
	}
}

// TestHashedShapes checks the shapes of hmac against the runtime's
// hashes: a string hash matches impl.HashStringPattern; a bytes hash, in
// each form protojson reads, matches the bytes shape, and in the form
// protojson writes, impl.HashBytesBase64Pattern; bytes of another length
// or version do not match.
func TestHashedShapes(t *testing.T) {
	t.Parallel()
	st, err := impl.NewStrategy(&provisionv1.Redaction{Strategy: &provisionv1.Redaction_Hmac_{Hmac: &provisionv1.Redaction_Hmac{KeyId: "k"}}})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := impl.NewStaticKeys(map[string][]byte{"k": []byte(strings.Repeat("k", impl.MinKeySize))})
	if err != nil {
		t.Fatal(err)
	}
	fd := (&wrapperspb.StringValue{}).ProtoReflect().Descriptor().Fields().ByName("value")
	str := regexp.MustCompile(redactedShape(fd, nil, &provisionv1.Redaction{Strategy: &provisionv1.Redaction_Hmac_{Hmac: &provisionv1.Redaction_Hmac{}}}).Pattern)
	sch, err := compileSchema(mustEncode(t, hashedBytes()), false)
	if err != nil {
		t.Fatal(err)
	}
	written := regexp.MustCompile(impl.HashBytesBase64Pattern)
	accepts := func(s string) bool {
		raw, _ := json.Marshal(s)
		ok, _ := validates(sch, raw)
		return ok
	}
	encodings := []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding}
	for i := 1; i < 64; i++ { // an empty value stays empty
		in := strings.Repeat("x", i)
		h, err := st.ApplyString(keys, in)
		if err != nil || !str.MatchString(h) {
			t.Errorf("hash %q of %q (%v) does not match %s", h, in, err, str)
		}
		b, err := st.ApplyBytes(keys, []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if enc := base64.StdEncoding.EncodeToString(b); !written.MatchString(enc) {
			t.Errorf("%s does not match %s", enc, impl.HashBytesBase64Pattern)
		}
		for _, enc := range encodings {
			if s := enc.EncodeToString(b); !accepts(s) {
				t.Errorf("bytes hash %q refused", s)
			}
		}
		other := append([]byte{}, b...)
		other[0] = byte(i)
		if i == impl.HashVersion {
			other[0] = 0x42
		}
		for _, v := range [][]byte{other, b[1:], append(b, 0), b[:impl.HashSize]} {
			for _, enc := range encodings {
				if s := enc.EncodeToString(v); accepts(s) {
					t.Errorf("%q accepted as a bytes hash", s)
				}
			}
		}
	}
}
