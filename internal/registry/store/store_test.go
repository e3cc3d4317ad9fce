package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestFingerprint(t *testing.T) {
	t.Parallel()
	base := Schema{Type: Protobuf, Text: "message A {}", References: []Reference{{Name: "a.proto", Subject: "a", Version: 1}}}
	withID := base
	withID.ID = 7
	if Fingerprint(base) != Fingerprint(withID) {
		t.Error("the ID changes the fingerprint")
	}
	tests := []struct {
		name string
		s    Schema
	}{
		{"other type", Schema{Type: JSON, Text: base.Text, References: base.References}},
		{"other text", Schema{Type: Protobuf, Text: "message B {}", References: base.References}},
		{"no references", Schema{Type: Protobuf, Text: base.Text}},
		{"other reference version", Schema{Type: Protobuf, Text: base.Text, References: []Reference{{Name: "a.proto", Subject: "a", Version: 2}}}},
		{"other reference subject", Schema{Type: Protobuf, Text: base.Text, References: []Reference{{Name: "a.proto", Subject: "b", Version: 1}}}},
		// Length prefixes keep the boundary between fields.
		{"text moved into the type", Schema{Type: Protobuf + "m", Text: "essage A {}", References: base.References}},
	}
	for _, tt := range tests {
		if Fingerprint(tt.s) == Fingerprint(base) {
			t.Errorf("%s: same fingerprint as the base schema", tt.name)
		}
	}
	two := []Reference{{Name: "a", Subject: "a", Version: 1}, {Name: "b", Subject: "b", Version: 1}}
	swapped := []Reference{two[1], two[0]}
	if Fingerprint(Schema{Type: Protobuf, References: two}) == Fingerprint(Schema{Type: Protobuf, References: swapped}) {
		t.Error("the order of references does not count")
	}
}

func TestValidateName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ok   bool
	}{
		{"acme.ksvla.update", true},
		{"buf/validate/validate.proto", true},
		{"ünïcode", true},
		{"", false},
		{"a\x00b", false},
		{"a\tb", false},
		{"a\x7fb", false},
		{"\xff", false},
		{strings.Repeat("a", MaxNameLen), true},
		{strings.Repeat("a", MaxNameLen+1), false},
	}
	for _, tt := range tests {
		err := ValidateName("subject", tt.name)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrInvalid)) {
			t.Errorf("ValidateName(%q) = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}

func TestChainVerifier(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 30, 12, 0, 0, 123456789, time.UTC)
	var chain []AuditRecord
	var last *AuditRecord
	for i := range 4 {
		r := Chain(last, AuditEntry{Time: at.Add(time.Duration(i) * time.Second), Actor: "ci", Action: ActionRegister, Subject: "s", Version: i + 1, SchemaID: 3})
		chain = append(chain, r)
		last = &chain[len(chain)-1]
	}
	if chain[0].Time.Nanosecond() != 123456000 {
		t.Errorf("record time %v is not truncated to the microsecond", chain[0].Time)
	}
	tests := []struct {
		name    string
		edit    func([]AuditRecord) []AuditRecord
		wantSeq int64
	}{
		{"intact", func(c []AuditRecord) []AuditRecord { return c }, 0},
		{"detail edited", func(c []AuditRecord) []AuditRecord { c[2].Detail = "x"; return c }, 3},
		{"time edited", func(c []AuditRecord) []AuditRecord { c[1].Time = c[1].Time.Add(time.Microsecond); return c }, 2},
		{"hash replaced to match", func(c []AuditRecord) []AuditRecord {
			c[1].Actor = "intruder"
			c[1].Hash = AuditHash(c[1].Seq, c[1].PrevHash, c[1].AuditEntry)
			return c
		}, 3},
		{"record removed", func(c []AuditRecord) []AuditRecord { return append(c[:1], c[2:]...) }, 2},
		{"first removed", func(c []AuditRecord) []AuditRecord { return c[1:] }, 1},
	}
	for _, tt := range tests {
		c := tt.edit(append([]AuditRecord(nil), chain...))
		var v ChainVerifier
		var err error
		for _, r := range c {
			if err = v.Next(r); err != nil {
				break
			}
		}
		var ce *ChainError
		switch {
		case tt.wantSeq == 0 && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.wantSeq != 0 && (!errors.As(err, &ce) || ce.Seq != tt.wantSeq):
			t.Errorf("%s: %v, want a ChainError naming record %d", tt.name, err, tt.wantSeq)
		}
	}
}

func TestHubResetsASlowReader(t *testing.T) {
	t.Parallel()
	var h Hub
	ctx, cancel := context.WithCancel(context.Background())
	ch := h.Subscribe(ctx)
	for range hubBuffer + 10 {
		h.Publish(Change{Kind: ChangeSubject, Subject: "s"})
	}
	for range hubBuffer {
		if c := <-ch; c.Kind != ChangeSubject {
			t.Fatalf("got %v before the buffer was read", c)
		}
	}
	h.Publish(Change{Kind: ChangeConfig})
	if c := <-ch; c.Kind != ChangeReset {
		t.Errorf("after missing changes: %v, want a reset", c)
	}
	if c := <-ch; c.Kind != ChangeConfig {
		t.Errorf("after the reset: %v", c)
	}
	cancel()
	for range ch {
	}
	h.Close()
	h.Publish(Change{Kind: ChangeConfig}) // no subscriber: nothing blocks
}
