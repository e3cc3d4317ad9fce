package impl

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
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

// referenceDigest is HMAC-SHA256 of data under key, by crypto/hmac alone.
func referenceDigest(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// referenceHMAC is what a Hasher of key under id "k" must return for data,
// computed apart from it: version 2, the digest under the key derived for
// the id.
func referenceHMAC(key []byte, data string) string {
	return referenceHMACOf(key, "k", data)
}

func referenceHMACOf(key []byte, id, data string) string {
	derived := referenceDigest(key, "provision hmac-sha256 v2\x00"+id)
	return "v2:" + hex.EncodeToString(referenceDigest(derived, data))
}

// hashString and hashBytes call the Hasher and fail the test on an error.
func hashString(t testing.TB, h *Hasher, s string) string {
	t.Helper()
	out, err := h.HashString(s)
	if err != nil {
		t.Fatalf("HashString: %v", err)
	}
	return out
}

func hashBytes(t testing.TB, h *Hasher, b []byte) []byte {
	t.Helper()
	out, err := h.HashBytes(b)
	if err != nil {
		t.Fatalf("HashBytes: %v", err)
	}
	return out
}

// bytesForm is the string form of a hash of bytes: the version byte as
// HashStringPrefix, the digest in hex.
func bytesForm(b []byte) string {
	if len(b) != HashBytesLen || b[0] != HashVersion {
		return fmt.Sprintf("malformed %x", b)
	}
	return HashStringPrefix + hex.EncodeToString(b[1:])
}

func TestHasherHashString(t *testing.T) {
	t.Parallel()
	h := newTestHasher(t, rfc4231Key)
	long := strings.Repeat("0123456789", 100) // spans several scratch buffers
	tests := []struct {
		name, give, want string
	}{
		// The digests of RFC 4231 cases 6 and 7 under the key derived for
		// "k" (checked apart by TestReferenceHMAC).
		{name: "RFC 4231 case 6 input", give: "Test Using Larger Than Block-Size Key - Hash Key First",
			want: referenceHMAC(rfc4231Key, "Test Using Larger Than Block-Size Key - Hash Key First")},
		{name: "empty", give: "", want: referenceHMAC(rfc4231Key, "")},
		{name: "exactly one buffer", give: long[:256], want: referenceHMAC(rfc4231Key, long[:256])},
		{name: "several buffers", give: long, want: referenceHMAC(rfc4231Key, long)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Twice, to check the pooled state is reset between uses.
			for range 2 {
				if got := hashString(t, h, tt.give); got != tt.want {
					t.Errorf("HashString = %s, want %s", got, tt.want)
				}
				if got := bytesForm(hashBytes(t, h, []byte(tt.give))); got != tt.want {
					t.Errorf("HashBytes = %s, want %s", got, tt.want)
				}
			}
		})
	}
}

// TestReferenceHMAC checks the reference the tests compare with: its
// HMAC-SHA256 is that of RFC 4231, and its output for one key, id and
// value is pinned (computed apart, with Python's hmac), so that a change of the construction cannot pass
// unnoticed (old and new hashes must never be confused: a new
// construction needs a new HashVersion).
func TestReferenceHMAC(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ give, want string }{
		{"Test Using Larger Than Block-Size Key - Hash Key First", "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
		{"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
			"9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
	} {
		if got := hex.EncodeToString(referenceDigest(rfc4231Key, tt.give)); got != tt.want {
			t.Errorf("HMAC-SHA256 of RFC 4231 input = %s, want %s", got, tt.want)
		}
	}
	h := newTestHasher(t, rfc4231Key)
	const pinned = "v2:4fa22d5a9b0fb741ad54e3876ae9c9ba7ab7c38fa8409d604cb92aac360ef472"
	if got := hashString(t, h, "installation-id"); got != referenceHMAC(rfc4231Key, "installation-id") || got != pinned {
		t.Errorf("hash of a pinned value = %s, want %s (the construction changed: bump HashVersion)", got, pinned)
	}
}

// TestHasherOutputVersioned checks that every output says its version and
// can never be taken for a version 1 hash (64 bare hex digits, or the bare
// 32-byte digest).
func TestHasherOutputVersioned(t *testing.T) {
	t.Parallel()
	h := newTestHasher(t, testKey)
	s := hashString(t, h, "x")
	if len(s) != HashStringLen || !strings.HasPrefix(s, HashStringPrefix) || !regexp.MustCompile(HashStringPattern).MatchString(s) {
		t.Errorf("HashString = %q, want %q and 64 hex digits matching %s", s, HashStringPrefix, HashStringPattern)
	}
	if regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(s) {
		t.Errorf("HashString = %q looks like a version 1 hash", s)
	}
	b := hashBytes(t, h, []byte("x"))
	if len(b) != HashBytesLen || b[0] != HashVersion {
		t.Errorf("HashBytes = %x, want %d bytes beginning with %d", b, HashBytesLen, HashVersion)
	}
}

// TestHasherKeyIDSeparation checks that the key ID is bound into the hash:
// two IDs holding the same bytes give different hashes, so records hashed
// for different purposes do not link.
func TestHasherKeyIDSeparation(t *testing.T) {
	t.Parallel()
	keys, err := NewStaticKeys(map[string][]byte{"installation": testKey, "license": testKey})
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewHasher(keys, "installation")
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewHasher(keys, "license")
	if err != nil {
		t.Fatal(err)
	}
	if x, y := hashString(t, a, "same value"), hashString(t, b, "same value"); x == y {
		t.Errorf("two key IDs with the same key give the same hash %s", x)
	}
	if x, y := hashBytes(t, a, []byte("v")), hashBytes(t, b, []byte("v")); bytes.Equal(x, y) {
		t.Errorf("two key IDs with the same key give the same bytes hash %x", x)
	}
	if got, want := hashString(t, a, "same value"), referenceHMACOf(testKey, "installation", "same value"); got != want {
		t.Errorf("HashString = %s, want %s", got, want)
	}
}

// TestZeroHasher checks that a Hasher NewHasher did not make refuses to
// hash rather than panic.
func TestZeroHasher(t *testing.T) {
	t.Parallel()
	for name, h := range map[string]*Hasher{"zero": {}, "nil": nil} {
		if out, err := h.HashString("alice"); out != "" || !errors.Is(err, ErrInvalidKey) {
			t.Errorf("%s Hasher: HashString = %q, %v; want \"\", ErrInvalidKey", name, out, err)
		}
		if out, err := h.HashBytes([]byte("alice")); out != nil || !errors.Is(err, ErrInvalidKey) {
			t.Errorf("%s Hasher: HashBytes = %x, %v; want nil, ErrInvalidKey", name, out, err)
		}
		if h.KeyID() != "" {
			t.Errorf("%s Hasher: KeyID = %q", name, h.KeyID())
		}
	}
}

func TestHasherKeysDiffer(t *testing.T) {
	t.Parallel()
	a := newTestHasher(t, testKey)
	b := newTestHasher(t, rfc4231Key)
	if hashString(t, a, "installation-id") == hashString(t, b, "installation-id") {
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
					got[g] = append(got[g], hashString(t, h, s))
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
	_, _ = h.HashString(s) // fill the pool
	if n := testing.AllocsPerRun(100, func() { _, _ = h.HashString(s) }); n > 1 {
		t.Errorf("HashString allocates %v times, want at most 1 (its result)", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = h.HashBytes(b) }); n > 1 {
		t.Errorf("HashBytes allocates %v times, want at most 1 (its result)", n)
	}
}

func FuzzHasher(f *testing.F) {
	f.Add("")
	f.Add("1c8b2f4e-6a8d-4c0e-9f1e-0a7b3c5d7e9f")
	f.Add(strings.Repeat("\xff", 300))
	h := newTestHasher(f, testKey)
	f.Fuzz(func(t *testing.T, s string) {
		got := hashString(t, h, s)
		if len(got) != HashStringLen || strings.Trim(strings.TrimPrefix(got, HashStringPrefix), "0123456789abcdef") != "" {
			t.Fatalf("HashString(%q) = %q, want %q and 64 lowercase hex digits", s, got, HashStringPrefix)
		}
		if want := referenceHMAC(testKey, s); got != want {
			t.Fatalf("HashString(%q) = %s, want %s", s, got, want)
		}
		if b := hashBytes(t, h, []byte(s)); bytesForm(b) != got {
			t.Fatalf("HashBytes(%q) = %x, want the digest of %s", s, b, got)
		}
	})
}

func BenchmarkHasherHashString(b *testing.B) {
	h := newTestHasher(b, testKey)
	s := "1c8b2f4e-6a8d-4c0e-9f1e-0a7b3c5d7e9f"
	b.ReportAllocs()
	for b.Loop() {
		_, _ = h.HashString(s)
	}
}

func BenchmarkHasherHashBytes(b *testing.B) {
	h := newTestHasher(b, testKey)
	in := bytes.Repeat([]byte{7}, 32)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = h.HashBytes(in)
	}
}

// TestHashBytesBase64Pattern checks the published pattern against what
// protojson writes for hashes of bytes.
func TestHashBytesBase64Pattern(t *testing.T) {
	t.Parallel()
	h := newTestHasher(t, testKey)
	re := regexp.MustCompile(HashBytesBase64Pattern)
	for _, in := range []string{"", "a", "198.51.100.23", strings.Repeat("z", 1000)} {
		b := hashBytes(t, h, []byte(in))
		if enc := base64.StdEncoding.EncodeToString(b); !re.MatchString(enc) {
			t.Errorf("base64 %s of a hash does not match %s", enc, HashBytesBase64Pattern)
		}
	}
	if re.MatchString(base64.StdEncoding.EncodeToString(make([]byte, HashSize))) {
		t.Errorf("%s matches the base64 of a version 1 digest", HashBytesBase64Pattern)
	}
}
