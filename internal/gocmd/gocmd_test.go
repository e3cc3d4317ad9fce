package gocmd

import (
	"context"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name       string
		ctx        context.Context
		args       []string
		wantOut    string // prefix of the standard output
		wantErr    bool
		wantErrHas []string
	}{
		{
			name:    "success returns stdout",
			ctx:     context.Background(),
			args:    []string{"env", "GOVERSION"},
			wantOut: "go1.",
		},
		{
			name:       "failure names the command and carries stderr",
			ctx:        context.Background(),
			args:       []string{"no-such-subcommand"},
			wantErr:    true,
			wantErrHas: []string{"go no-such-subcommand: exit status", "unknown command"},
		},
		{
			name:       "cancelled context",
			ctx:        cancelled,
			args:       []string{"env", "GOVERSION"},
			wantErr:    true,
			wantErrHas: []string{"go env GOVERSION"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := Run(tt.ctx, t.TempDir(), tt.args...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Run(%q) error = %v, want error %v", tt.args, err, tt.wantErr)
			}
			for _, s := range tt.wantErrHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Run(%q) error = %q, want it to contain %q", tt.args, err, s)
				}
			}
			if !strings.HasPrefix(string(out), tt.wantOut) {
				t.Errorf("Run(%q) output = %q, want prefix %q", tt.args, out, tt.wantOut)
			}
		})
	}
}
