package impl

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rfc4231Key is the key of RFC 4231 test cases 6 and 7: 131 bytes of 0xaa.
var rfc4231Key = bytes.Repeat([]byte{0xaa}, 131)

func newTestHasher(t testing.TB, key []byte) *Hasher {
	t.Helper()
	keys, err := NewStaticKeys(map[string][]byte{"k": key})
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHasher(keys, "k")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func referenceHMAC(key []byte, data string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return hex.EncodeToString(m.Sum(nil))
}

func TestHasherHashString(t *testing.T) {
	t.Parallel()
	h := newTestHasher(t, rfc4231Key)
	long := strings.Repeat("0123456789", 100) // spans several scratch buffers
	tests := []struct {
		name, give, want string
	}{
		{name: "RFC 4231 case 6", give: "Test Using Larger Than Block-Size Key - Hash Key First",
			want: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
		{name: "RFC 4231 case 7", give: "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
			want: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
		{name: "empty", give: "", want: referenceHMAC(rfc4231Key, "")},
		{name: "exactly one buffer", give: long[:256], want: referenceHMAC(rfc4231Key, long[:256])},
		{name: "several buffers", give: long, want: referenceHMAC(rfc4231Key, long)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Twice, to check the pooled state is reset between uses.
			for range 2 {
				if got := h.HashString(tt.give); got != tt.want {
					t.Errorf("HashString = %s, want %s", got, tt.want)
				}
				if got := hex.EncodeToString(h.HashBytes([]byte(tt.give))); got != tt.want {
					t.Errorf("HashBytes = %s, want %s", got, tt.want)
				}
			}
		})
	}
}

func TestHasherKeysDiffer(t *testing.T) {
	t.Parallel()
	a := newTestHasher(t, testKey)
	b := newTestHasher(t, rfc4231Key)
	if a.HashString("installation-id") == b.HashString("installation-id") {
		t.Error("two keys give the same hash")
	}
	if a.KeyID() != "k" {
		t.Errorf("KeyID() = %q, want k", a.KeyID())
	}
}

// shortKeyProvider hands out a key shorter than MinKeySize, as a careless
// KeyProvider could.
type shortKeyProvider struct{}

func (shortKeyProvider) Key(string) ([]byte, error) { return []byte("short"), nil }

func TestNewHasherErrors(t *testing.T) {
	t.Parallel()
	keys, err := NewStaticKeys(map[string][]byte{"k": testKey})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		keys    KeyProvider
		id      string
		wantErr error
	}{
		{name: "unknown id", keys: keys, id: "other", wantErr: ErrUnknownKey},
		{name: "nil provider", keys: nil, id: "k", wantErr: ErrUnknownKey},
		{name: "short key from provider", keys: shortKeyProvider{}, id: "k", wantErr: ErrInvalidKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, err := NewHasher(tt.keys, tt.id)
			if !errors.Is(err, tt.wantErr) || h != nil {
				t.Fatalf("NewHasher = %v, %v; want nil, %v", h, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), `"`+tt.id+`"`) {
				t.Errorf("error %q does not name key id %q", err, tt.id)
			}
		})
	}
}

func TestHasherConcurrent(t *testing.T) {
	t.Parallel()
	h := newTestHasher(t, testKey)
	inputs := []string{"a", "bb", strings.Repeat("c", 700), "", "dddd"}
	want := make([]string, len(inputs))
	for i, s := range inputs {
		want[i] = referenceHMAC(testKey, s)
	}
	var wg sync.WaitGroup
	got := make([][]string, 8)
	for g := range got {
		wg.Go(func() {
			for range 200 {
				got[g] = got[g][:0]
				for _, s := range inputs {
					got[g] = append(got[g], h.HashString(s))
				}
			}
		})
	}
	wg.Wait()
	for g := range got {
		if diff := cmp.Diff(want, got[g]); diff != "" {
			t.Errorf("goroutine %d (-want +got):\n%s", g, diff)
		}
	}
}

func TestHasherAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	h := newTestHasher(t, testKey)
	s := strings.Repeat("x", 1000)
	b := []byte(s)
	h.HashString(s) // fill the pool
	if n := testing.AllocsPerRun(100, func() { h.HashString(s) }); n > 1 {
		t.Errorf("HashString allocates %v times, want at most 1 (its result)", n)
	}
	if n := testing.AllocsPerRun(100, func() { h.HashBytes(b) }); n > 1 {
		t.Errorf("HashBytes allocates %v times, want at most 1 (its result)", n)
	}
}

func FuzzHasher(f *testing.F) {
	f.Add("")
	f.Add("1c8b2f4e-6a8d-4c0e-9f1e-0a7b3c5d7e9f")
	f.Add(strings.Repeat("\xff", 300))
	h := newTestHasher(f, testKey)
	f.Fuzz(func(t *testing.T, s string) {
		got := h.HashString(s)
		if len(got) != 2*HashSize || strings.Trim(got, "0123456789abcdef") != "" {
			t.Fatalf("HashString(%q) = %q, want 64 lowercase hex digits", s, got)
		}
		if want := referenceHMAC(testKey, s); got != want {
			t.Fatalf("HashString(%q) = %s, want %s", s, got, want)
		}
		if b := h.HashBytes([]byte(s)); hex.EncodeToString(b) != got {
			t.Fatalf("HashBytes(%q) = %x, want %s", s, b, got)
		}
	})
}

func BenchmarkHasherHashString(b *testing.B) {
	h := newTestHasher(b, testKey)
	s := "1c8b2f4e-6a8d-4c0e-9f1e-0a7b3c5d7e9f"
	b.ReportAllocs()
	for b.Loop() {
		h.HashString(s)
	}
}

func BenchmarkHasherHashBytes(b *testing.B) {
	h := newTestHasher(b, testKey)
	in := bytes.Repeat([]byte{7}, 32)
	b.ReportAllocs()
	for b.Loop() {
		h.HashBytes(in)
	}
}
