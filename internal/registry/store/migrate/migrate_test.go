package migrate

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/provisionhq/provision/internal/registry/store"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		files   []string
		want    int
		wantErr string
	}{
		{"ordered", []string{"m/0002_b.sql", "m/0001_a.sql", "m/README"}, 2, ""},
		{"gap", []string{"m/0001_a.sql", "m/0003_c.sql"}, 0, "expected number 2"},
		{"bad name", []string{"m/first.sql"}, 0, "NNNN_what.sql"},
		{"zero", []string{"m/0000_a.sql"}, 0, "NNNN_what.sql"},
		{"none", []string{"m/README"}, 0, "none in m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys[f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
			}
			got, err := Load(fsys, "m")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want || got[0].Name != "0001_a.sql" {
				t.Errorf("Load = %+v", got)
			}
		})
	}
}

func TestPending(t *testing.T) {
	t.Parallel()
	all := []Migration{{Version: 1}, {Version: 2}, {Version: 3}}
	for current, want := range []int{3, 2, 1, 0} {
		got, err := Pending(current, all)
		if err != nil || len(got) != want {
			t.Errorf("Pending(%d) = %d migrations, %v; want %d", current, len(got), err, want)
		}
	}
	_, err := Pending(7, all)
	if !errors.Is(err, store.ErrSchemaTooNew) || !strings.Contains(err.Error(), "version 7") || !strings.Contains(err.Error(), "up to 3") {
		t.Errorf("Pending(7) = %v, want ErrSchemaTooNew naming 7 and 3", err)
	}
}
