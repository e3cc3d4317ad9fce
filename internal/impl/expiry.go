package impl

import (
	"sync/atomic"
	"time"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

// clock is the time source of expiries; nil means time.Now. It is
// process-wide so that generated code and the reflection engine agree on
// what has expired.
var clock atomic.Pointer[func() time.Time]

// Now returns the time expiries are judged at: the clock set by SetClock,
// or the system clock.
func Now() time.Time {
	if f := clock.Load(); f != nil {
		return (*f)()
	}
	return time.Now()
}

// SetClock makes expiries read the time from now instead of the system
// clock, for the whole process, until restore is called; a nil now
// restores the system clock. It is meant for tests, which set a fixed day
// so that what has expired does not change with the calendar.
func SetClock(now func() time.Time) (restore func()) {
	prev := clock.Load()
	if now == nil {
		clock.Store(nil)
	} else {
		clock.Store(&now)
	}
	return func() { clock.Store(prev) }
}

// expiryOf returns the first instant, in Unix seconds (UTC midnight of the
// expiry's day), at which an item with this expiry is no longer sent, and
// the day as written; 0 and "" for no expiry by date. An expiry by product
// version is the catalog's lint's to enforce (EXPIRED): a running program
// does not know which catalog version it was generated from. A date that
// is no day expires the item at once: fail closed.
func expiryOf(e *provisionv1.Expiry) (int64, string) {
	if e.GetDate() == "" {
		return 0, ""
	}
	d, err := time.Parse(time.DateOnly, e.GetDate())
	if err != nil {
		return 1, e.GetDate()
	}
	return d.Unix(), e.GetDate()
}

// NowUnix is Now in Unix seconds: what generated code reads once per
// message and passes to SelectAt and ExpiredAt, since reading the clock
// costs more than the rest of a field's gate.
func NowUnix() int64 { return Now().Unix() }

// Expired reports whether the item has expired: its expiry date (its own,
// or for a field of a scenario message the earlier of its own and its
// scenario's) has come. An expired item is never sent, like one the
// consent does not allow.
func (p *FieldPolicy) Expired() bool {
	return p != nil && p.expiresAt != 0 && NowUnix() >= p.expiresAt
}

// ExpiredAt is Expired at now, in Unix seconds (NowUnix).
func (p *FieldPolicy) ExpiredAt(now int64) bool {
	return p != nil && p.expiresAt != 0 && now >= p.expiresAt
}

// HasExpiry reports whether any field of the message expires by date: only
// then need a caller read the clock.
func (p *MessagePolicy) HasExpiry() bool { return p != nil && p.hasExpiry }

// Expires returns the item's expiry date as the catalog writes it
// (YYYY-MM-DD); "" when it expires by no date.
func (p *FieldPolicy) Expires() string {
	if p == nil {
		return ""
	}
	return p.expires
}

// Expire records that the populated field at path has expired on day: it
// is no longer sent.
func (g *Gate) Expire(path, day string) {
	g.Violations = append(g.Violations, ConsentViolation{Path: path, Expired: day})
}
