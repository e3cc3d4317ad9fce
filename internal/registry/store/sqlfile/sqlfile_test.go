package sqlfile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		text    string
		want    map[string]string
		wantErr string
	}{
		{"two", "-- leading comment\n-- name: A\nSELECT 1;\n\n-- name: B\n-- about B\nSELECT\n  2;\n", map[string]string{"A": "SELECT 1;", "B": "SELECT\n  2;"}, ""},
		{"empty file", "", map[string]string{}, ""},
		{"stray statement", "SELECT 1;\n-- name: A\nSELECT 2;", nil, "before the first"},
		{"empty statement", "-- name: A\n-- name: B\nSELECT 1;", nil, "A is empty"},
		{"duplicate", "-- name: A\nSELECT 1;\n-- name: A\nSELECT 2;", nil, "twice"},
		{"no name", "-- name:\nSELECT 1;", nil, "without a name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.text)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	var q struct {
		A, B   string
		hidden string
	}
	if err := Load(&q, "-- name: A\nSELECT 1;\n-- name: B\nSELECT 2;"); err != nil {
		t.Fatal(err)
	}
	if q.A != "SELECT 1;" || q.B != "SELECT 2;" || q.hidden != "" {
		t.Errorf("Load = %+v", q)
	}
	if err := Load(&q, "-- name: A\nSELECT 1;\n-- name: C\nSELECT 3;"); err == nil || !strings.Contains(err.Error(), "missing: [B]") || !strings.Contains(err.Error(), "[C]") {
		t.Errorf("Load with a missing and a stray statement: %v", err)
	}
	if err := Load(q, ""); err == nil {
		t.Error("Load into a struct value: no error")
	}
}

func FuzzParse(f *testing.F) {
	f.Add("-- name: A\nSELECT 1;\n-- name: B\nSELECT 2;")
	f.Add("-- name:\n")
	f.Add("SELECT 1;")
	f.Fuzz(func(t *testing.T, text string) {
		stmts, err := Parse(text)
		if err != nil {
			return
		}
		for name, stmt := range stmts {
			if name == "" || stmt == "" {
				t.Errorf("Parse gave %q: %q", name, stmt)
			}
		}
	})
}
