package impl

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testKey is printable so that a leak through %s shows up as well as one
// through hex or decimal bytes.
var testKey = []byte("SECRET-KEY-MATERIAL-0123456789abcdef")

func TestNewStaticKeys(t *testing.T) {
	t.Parallel()
	long := bytes.Repeat([]byte{0xa5}, MinKeySize)
	tests := []struct {
		name     string
		give     map[string][]byte
		wantIDs  []string
		wantErr  error
		wantText string // in the error message
	}{
		{name: "nil", give: nil, wantIDs: []string{}},
		{name: "two keys", give: map[string][]byte{"k2": long, "k1": testKey}, wantIDs: []string{"k1", "k2"}},
		{name: "longest id", give: map[string][]byte{"a" + strings.Repeat("-", 62): long}, wantIDs: []string{"a" + strings.Repeat("-", 62)}},
		{name: "short key", give: map[string][]byte{"ok": long, "short-one": testKey[:31]}, wantErr: ErrInvalidKey, wantText: `"short-one"`},
		{name: "empty key", give: map[string][]byte{"k": nil}, wantErr: ErrInvalidKey, wantText: `"k"`},
		{name: "empty id", give: map[string][]byte{"": long}, wantErr: ErrInvalidKey},
		{name: "upper-case id", give: map[string][]byte{"Key": long}, wantErr: ErrInvalidKey, wantText: `"Key"`},
		{name: "id starting with a digit", give: map[string][]byte{"1k": long}, wantErr: ErrInvalidKey},
		{name: "id with underscore", give: map[string][]byte{"a_b": long}, wantErr: ErrInvalidKey},
		{name: "id too long", give: map[string][]byte{"a" + strings.Repeat("b", 63): long}, wantErr: ErrInvalidKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			keys, err := NewStaticKeys(tt.give)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("NewStaticKeys error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				msg := err.Error()
				if !strings.Contains(msg, tt.wantText) {
					t.Errorf("error %q does not name %s", msg, tt.wantText)
				}
				assertNoKeyMaterial(t, msg, testKey[:31])
				return
			}
			if diff := cmp.Diff(tt.wantIDs, keys.IDs()); diff != "" {
				t.Errorf("IDs() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStaticKeysKey(t *testing.T) {
	t.Parallel()
	give := map[string][]byte{"k1": bytes.Clone(testKey)}
	keys, err := NewStaticKeys(give)
	if err != nil {
		t.Fatal(err)
	}
	give["k1"][0] = 'X' // the provider holds its own copy
	got, err := keys.Key("k1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(testKey, got); diff != "" {
		t.Errorf("Key(k1) mismatch (-want +got):\n%s", diff)
	}
	got[0] = 'Y' // and hands out copies
	again, _ := keys.Key("k1")
	if !bytes.Equal(again, testKey) {
		t.Error("modifying the slice Key returned changed the provider's key")
	}

	_, err = keys.Key("k2")
	if !errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), `"k2"`) {
		t.Errorf("Key(k2) error = %v, want ErrUnknownKey naming k2", err)
	}
	var nilKeys *StaticKeys
	if _, err := nilKeys.Key("k1"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("nil StaticKeys: Key error = %v, want ErrUnknownKey", err)
	}
	if _, err := (&StaticKeys{}).Key("k1"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("zero StaticKeys: Key error = %v, want ErrUnknownKey", err)
	}
}

// assertNoKeyMaterial fails when out shows key raw, in hex (either case),
// in base64 or as fmt prints a byte slice.
func assertNoKeyMaterial(t *testing.T, out string, key []byte) {
	t.Helper()
	for _, form := range []string{
		string(key),
		hex.EncodeToString(key),
		strings.ToUpper(hex.EncodeToString(key)),
		base64.StdEncoding.EncodeToString(key),
		fmt.Sprint(key),
		strings.Trim(fmt.Sprint(key), "[]"),
		fmt.Sprintf("%#v", key),
		string(key[:8]), // any long enough fragment is a leak too
		hex.EncodeToString(key[:8]),
	} {
		if strings.Contains(out, form) {
			t.Errorf("output shows key material (%q) in:\n%s", form, out)
		}
	}
}

func TestKeyHoldersNeverPrintKeys(t *testing.T) {
	t.Parallel()
	keys, err := NewStaticKeys(map[string][]byte{"k1": testKey})
	if err != nil {
		t.Fatal(err)
	}
	hasher, err := NewHasher(keys, "k1")
	if err != nil {
		t.Fatal(err)
	}
	type exported struct{ Keys *StaticKeys }
	type unexportedPtr struct{ keys *StaticKeys }
	type unexportedValue struct {
		keys   StaticKeys
		hasher Hasher
	}
	values := map[string]any{
		"provider":                 keys,
		"provider value":           *keys,
		"hasher":                   hasher,
		"hasher value":             *hasher,
		"as KeyProvider":           KeyProvider(keys),
		"exported field":           exported{keys},
		"unexported pointer field": unexportedPtr{keys},
		"unexported value fields":  unexportedValue{*keys, *hasher},
		"slice":                    []any{keys, hasher},
		"map":                      map[string]*StaticKeys{"k": keys},
	}
	for name, v := range values {
		var out strings.Builder
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
		fmt.Fprintln(&out, v)
		fmt.Fprint(&out, v)
		for _, h := range []slog.Handler{
			slog.NewJSONHandler(&out, nil),
			slog.NewTextHandler(&out, nil),
		} {
			logger := slog.New(h)
			logger.Info("msg", "v", v)
			logger.Info("msg", slog.Any("v", v), slog.Group("g", slog.Any("v", v)))
			logger.With("v", v).Info("msg")
		}
		got := out.String()
		assertNoKeyMaterial(t, got, testKey)
		if name == "provider" && !strings.Contains(got, RedactedText) {
			t.Errorf("%s: output does not say %q:\n%s", name, RedactedText, got)
		}
	}
}

func TestRedactedFormats(t *testing.T) {
	t.Parallel()
	keys, err := NewStaticKeys(map[string][]byte{"k1": testKey})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		format string
		want   string
	}{
		{format: "%v", want: RedactedText},
		{format: "%+v", want: RedactedText},
		{format: "%#v", want: RedactedText},
		{format: "%s", want: RedactedText},
		{format: "%x", want: RedactedText},
		{format: "%10d", want: RedactedText},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf(tt.format, keys); got != tt.want {
			t.Errorf("Sprintf(%q, keys) = %q, want %q", tt.format, got, tt.want)
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}})).Info("m", "keys", keys)
	if got, want := buf.String(), `{"level":"INFO","msg":"m","keys":"[redacted]"}`+"\n"; got != want {
		t.Errorf("slog JSON = %q, want %q", got, want)
	}
}
