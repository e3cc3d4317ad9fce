package impl

import (
	"errors"
	"testing"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// structKeys is a KeyProvider whose type is comparable but whose value
// may not be: its meta field can hold a map, and comparing two such
// values with == panics.
type structKeys struct {
	keys *StaticKeys
	meta any
}

func (k structKeys) Key(id string) ([]byte, error) { return k.keys.Key(id) }

// funcKeys is a KeyProvider of an uncomparable type.
type funcKeys func(id string) ([]byte, error)

func (f funcKeys) Key(id string) ([]byte, error) { return f(id) }

// TestHMACStrategyKeyProviders hashes twice in a row with providers of
// every sort, so that the second call meets the Hasher the first one
// cached: a provider whose value cannot be compared must not make the
// cache panic, and each provider must get its own key's hash.
func TestHMACStrategyKeyProviders(t *testing.T) {
	t.Parallel()
	static, err := NewStaticKeys(map[string][]byte{"k": testKey})
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewStaticKeys(map[string][]byte{"k": rfc4231Key})
	if err != nil {
		t.Fatal(err)
	}
	want := referenceHMAC(testKey, "alice")
	providers := []struct {
		name string
		keys KeyProvider
		want string
	}{
		{"static", static, want},
		{"another static", other, referenceHMAC(rfc4231Key, "alice")},
		{"struct holding a map", structKeys{static, map[string]int{"a": 1}}, want},
		{"struct holding a slice", structKeys{static, []int{1}}, want},
		{"struct holding a string", structKeys{static, "meta"}, want},
		{"struct holding a map, again", structKeys{static, map[string]int{"a": 1}}, want},
		{"func", funcKeys(static.Key), want},
		{"nil", nil, ""},
	}
	s, err := NewStrategy(&provisionv1.Redaction{Strategy: &provisionv1.Redaction_Hmac_{Hmac: &provisionv1.Redaction_Hmac{KeyId: "k"}}})
	if err != nil {
		t.Fatal(err)
	}
	// Every provider after every other, twice: the cache holds whichever
	// came last.
	for range 2 {
		for _, a := range providers {
			for _, b := range providers {
				for _, p := range []struct {
					name string
					keys KeyProvider
					want string
				}{a, b} {
					got, err := s.ApplyString(p.keys, "alice")
					if p.want == "" {
						if !errors.Is(err, ErrUnknownKey) {
							t.Fatalf("%s: err = %v, want ErrUnknownKey", p.name, err)
						}
						continue
					}
					if err != nil || got != p.want {
						t.Fatalf("%s after %s: ApplyString = %q, %v; want %q", p.name, a.name, got, err, p.want)
					}
				}
			}
		}
	}
}

// pointerKeys is a KeyProvider whose Key dereferences its receiver.
type pointerKeys struct{ keys *StaticKeys }

func (p *pointerKeys) Key(id string) ([]byte, error) { return p.keys.Key(id) }

// TestNilPointerKeyProvider checks that a nil pointer of a provider type
// is refused like no provider, instead of calling Key on it.
func TestNilPointerKeyProvider(t *testing.T) {
	t.Parallel()
	var nilKeys *pointerKeys
	if _, err := NewHasher(nilKeys, "k"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("NewHasher(nil *pointerKeys) error = %v, want ErrUnknownKey", err)
	}
	s, err := NewStrategy(&provisionv1.Redaction{Strategy: &provisionv1.Redaction_Hmac_{Hmac: &provisionv1.Redaction_Hmac{KeyId: "k"}}})
	if err != nil {
		t.Fatal(err)
	}
	if out, err := s.ApplyString(nilKeys, "alice"); out != "" || !errors.Is(err, ErrUnknownKey) {
		t.Errorf("ApplyString with a nil provider = %q, %v; want ErrUnknownKey", out, err)
	}
}
