package store

import (
	"crypto/sha256"
	"fmt"
	"time"
)

// The actions a write records in the audit log.
const (
	ActionRegister       = "register"
	ActionDeleteVersion  = "delete-version"
	ActionDestroyVersion = "delete-version-permanent"
	ActionDeleteSubject  = "delete-subject"
	ActionDestroySubject = "delete-subject-permanent"
	ActionSetConfig      = "set-config"
	ActionDeleteConfig   = "delete-config"
	ActionSetMode        = "set-mode"
	ActionDeleteMode     = "delete-mode"
	ActionPushCatalog    = "push-catalog"
	ActionCreateAPIKey   = "create-api-key"
	ActionDeleteAPIKey   = "delete-api-key"
)

// AuditEntry is what one audit record says.
type AuditEntry struct {
	// Time is when the write committed, to the microsecond (what both
	// databases keep exactly).
	Time     time.Time
	Actor    string
	Action   string
	Subject  string
	Catalog  string
	Version  int
	SchemaID int64
	// Detail is the findings or acknowledgement reasons, or other text.
	Detail string
}

// AuditRecord is a stored audit entry, chained to the one before it.
type AuditRecord struct {
	// Seq numbers the records from 1 without gaps.
	Seq int64
	AuditEntry
	// PrevHash is the Hash of record Seq-1 (zero for the first).
	PrevHash [32]byte
	// Hash is AuditHash of this record.
	Hash [32]byte
}

// Entry returns the audit entry a write with this Audit records.
func (a *Audit) Entry(action string, at time.Time) AuditEntry {
	return AuditEntry{Time: AuditTime(at), Actor: a.Actor, Action: action, Detail: a.Detail}
}

// AuditTime returns t in UTC, truncated to the microsecond, as records
// keep it.
func AuditTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// AuditHash returns the hash of the record numbered seq holding e after a
// record whose hash is prev: the SHA-256 of all of them, each field
// length-prefixed.
func AuditHash(seq int64, prev [32]byte, e AuditEntry) [32]byte {
	h := sha256.New()
	writeString(h, "provision.audit.v1")
	writeInt(h, seq)
	h.Write(prev[:])
	writeInt(h, AuditTime(e.Time).UnixMicro())
	writeString(h, e.Actor)
	writeString(h, e.Action)
	writeString(h, e.Subject)
	writeString(h, e.Catalog)
	writeInt(h, int64(e.Version))
	writeInt(h, e.SchemaID)
	writeString(h, e.Detail)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// Chain makes the record that follows last (nil for the first) and holds e.
func Chain(last *AuditRecord, e AuditEntry) AuditRecord {
	r := AuditRecord{Seq: 1, AuditEntry: e}
	r.Time = AuditTime(e.Time)
	if last != nil {
		r.Seq = last.Seq + 1
		r.PrevHash = last.Hash
	}
	r.Hash = AuditHash(r.Seq, r.PrevHash, r.AuditEntry)
	return r
}

// ChainVerifier checks audit records one by one, in order from the first.
// The zero value expects record 1.
type ChainVerifier struct {
	last *AuditRecord
}

// Next checks r against the record before it and its own hash, and
// returns a *ChainError if it does not match: a sequence number out of
// order (a record removed or inserted), a PrevHash that is not the hash of
// the record before, or a Hash that is not the hash of its own fields.
func (v *ChainVerifier) Next(r AuditRecord) error {
	want := int64(1)
	var prev [32]byte
	if v.last != nil {
		want = v.last.Seq + 1
		prev = v.last.Hash
	}
	switch {
	case r.Seq != want:
		return &ChainError{Seq: want, Reason: fmt.Sprintf("found record %d in its place", r.Seq)}
	case r.PrevHash != prev:
		return &ChainError{Seq: r.Seq, Reason: "its previous hash is not the hash of the record before it"}
	case r.Hash != AuditHash(r.Seq, r.PrevHash, r.AuditEntry):
		return &ChainError{Seq: r.Seq, Reason: "its hash does not cover its fields"}
	}
	rec := r
	v.last = &rec
	return nil
}
