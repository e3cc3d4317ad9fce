package conformance_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// expiryDays returns every expiry date the catalogs state, of a scenario
// or of an item, sorted.
func expiryDays(t *testing.T) []time.Time {
	t.Helper()
	var days []time.Time
	for _, s := range scenarios(t) {
		if d, ok := model.ExpiryDate(s.Expires()); ok {
			days = append(days, d)
		}
		s.Walk(func(f *model.Field) bool {
			if d, ok := model.ExpiryDate(f.Item.GetExpires()); ok {
				days = append(days, d)
			}
			return true
		})
	}
	slices.SortFunc(days, time.Time.Compare)
	return slices.Compact(days)
}

// TestExpiredNotSent sets the runtime's clock to the day before and the
// day of every expiry date of the catalogs and checks, on random payloads
// of every scenario under its strongest consent, that the generated code
// and the reflection engine agree (Redact, Validate, the logged text),
// that no expired item is left after Redact, and that Validate names each
// populated expired item the consent allows with its day, and no other.
// It does not run in parallel: the clock is the process's.
func TestExpiredNotSent(t *testing.T) {
	days := expiryDays(t)
	if len(days) == 0 {
		t.Fatal("no expiry date in the catalogs: nothing to check")
	}
	keys := testKeys(t)
	for _, day := range days {
		for _, at := range []time.Time{day.Add(-time.Second), day} {
			restore := impl.SetClock(func() time.Time { return at })
			for _, s := range scenarios(t) {
				levels := s.Product.ConsentLevels()
				if len(levels) == 0 {
					continue
				}
				c := levels[len(levels)-1]
				for seed := range uint64(5) {
					differential(t, s, c, keys, seed)
					checkExpired(t, s, c, keys, at, seed)
				}
			}
			restore()
		}
	}
}

func checkExpired(t *testing.T, s *model.Scenario, c impl.Consent, keys impl.KeyProvider, at time.Time, seed uint64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, uint64(len(s.ID))))
	gen := newPayload(t, s)
	randomMessage(r, gen.ProtoReflect(), 0)
	collected := proto.Clone(gen)
	verr := ""
	if err := gen.Validate(c); err != nil {
		verr = err.Error()
	}
	if err := gen.Redact(c, keys); err != nil && strings.Contains(err.Error(), "expired") {
		t.Errorf("%s at %s: Redact reports an expired item as an error: %v", s.ID, at, err)
	}
	for _, f := range s.Fields {
		expired := model.Expired(f.Expires(), at, "")
		populated := has(collected.ProtoReflect(), f)
		named := strings.Contains(verr, f.Path+": expired on ")
		switch {
		case expired && has(gen.ProtoReflect(), f):
			t.Errorf("%s seed %d at %s: expired item %s is still set after Redact", s.ID, seed, at, f.Path)
		case expired && populated && c.Grants(f.Requires()) && !named:
			t.Errorf("%s seed %d at %s: Validate does not name expired item %s: %v", s.ID, seed, at, f.Path, verr)
		case !expired && named:
			t.Errorf("%s seed %d at %s: Validate names %s, which has not expired: %v", s.ID, seed, at, f.Path, verr)
		}
	}
}
