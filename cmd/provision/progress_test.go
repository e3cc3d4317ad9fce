package main

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		quiet bool
		took  time.Duration
		err   error
		want  string
	}{
		{"a quick step", false, 1234 * time.Millisecond, nil, "check the schemas … 1.2s\n"},
		{"building buf", false, 3*time.Minute + 12400*time.Millisecond, nil, "check the schemas … 3m12s\n"},
		{"a failing step", false, 50 * time.Millisecond, errors.New("no"), "check the schemas … failed after 100ms\n"},
		{"quiet", true, time.Second, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			p := newProgress(&out, tt.quiet)
			clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			if p != nil {
				p.now = func() time.Time { return clock }
			}
			done := p.start("check the schemas")
			if !tt.quiet && out.String() != "check the schemas … " {
				t.Errorf("at the start: %q, want the step announced before it runs", &out)
			}
			clock = clock.Add(tt.took)
			done(tt.err)
			if got := out.String(); got != tt.want {
				t.Errorf("printed %q, want %q", got, tt.want)
			}
		})
	}
}
