package jsonschema

import (
	"encoding/base64"
	"fmt"
	"testing"

	js "github.com/invopop/jsonschema"
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
