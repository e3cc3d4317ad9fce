package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/sr"

	"github.com/provisionhq/provision/internal/registry/store/sqlite"
)

// serveChildEnv, when set to a store spec, makes the test binary run
// `provision registry serve` on it (see TestServeKill9).
const serveChildEnv = "PROVISION_SERVE_KILL_CHILD"

func TestMain(m *testing.M) {
	if spec := os.Getenv(serveChildEnv); spec != "" {
		os.Exit(run(context.Background(), []string{"registry", "serve", "-listen", "127.0.0.1:0", "-insecure-no-auth", "-store", spec}, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

var listeningRE = regexp.MustCompile(`msg="registry listening" address=(\S+)`)

// startServe starts `registry serve` in a child process on the SQLite
// file path and returns it with its URL.
func startServe(t *testing.T, path string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveChildEnv+"=sqlite:"+path)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := listeningRE.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, stderr)
			return cmd, "http://" + m[1]
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatalf("the server did not start: %v", sc.Err())
	return nil, ""
}

// TestServeKill9 kills (SIGKILL) `registry serve` on SQLite while four
// clients register through the API, twice, restarting it on the same
// file; afterwards the database is intact, every registration that got a
// 200 is there, and the audit chain verifies.
func TestServeKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "registry.db")
	type done struct {
		subject, text string
		id            int
	}
	var acked []done
	for round := range 2 {
		cmd, url := startServe(t, path)
		cl, err := sr.NewClient(sr.URLs(url))
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range 4 {
			wg.Go(func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					subject := fmt.Sprintf("kill-%d", w)
					text := fmt.Sprintf("syntax = \"proto3\";\npackage kill.v1;\n\nmessage M {\n  string r%dw%di%d = 1;\n}\n", round, w, i)
					id, err := cl.RegisterSchema(ctx, subject, sr.Schema{Schema: text, Type: sr.TypeProtobuf}, -1, -1)
					if err != nil {
						continue // the server is gone: not acknowledged
					}
					mu.Lock()
					acked = append(acked, done{subject, text, id})
					mu.Unlock()
				}
			})
		}
		time.Sleep(700 * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		close(stop)
		wg.Wait()
	}
	if len(acked) == 0 {
		t.Fatal("no registration was acknowledged")
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	var result string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&result); err != nil || result != "ok" {
		t.Fatalf("integrity_check = %q, %v", result, err)
	}
	db.Close()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, d := range acked {
		vs, err := st.Versions(ctx, d.subject, false)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, v := range vs {
			found = found || (v.Schema.Text == d.text && v.Schema.ID == int64(d.id))
		}
		if !found {
			t.Fatalf("acknowledged registration %d in %s is missing", d.id, d.subject)
		}
	}
	if err := st.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d acknowledged registrations over two kills, all there", len(acked))
}
