package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/storetest"
)

// childEnv, when set to a database path, makes the test binary a child
// that registers schemas there until it is killed (see TestKill9).
const childEnv = "PROVISION_SQLITE_KILL_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(child(path, os.Getenv(childEnv+"_ROUND")))
	}
	os.Exit(m.Run())
}

// child registers schemas from four goroutines, and prints
// "subject version id" for each once RegisterVersion has returned, that
// is, once it is committed. It runs until it is killed.
func child(path, round string) int {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				subject := fmt.Sprintf("kill-%d", i%3)
				v, _, err := s.RegisterVersion(ctx, store.Registration{Subject: subject,
					Schema: storetest.Schema(fmt.Sprintf("R%sW%dN%d", round, w, i)), Audit: &store.Audit{Actor: "child"}})
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(3)
				}
				mu.Lock()
				fmt.Fprintf(out, "%s %d %d\n", subject, v.Version, v.Schema.ID)
				out.Flush()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return 0
}

// TestKill9 kills (SIGKILL) a child process registering schemas on the
// SQLite store, three times over the same file, and checks after each that
// the database is intact and holds every registration the child reported
// as committed.
func TestKill9(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts child processes")
	}
	path := filepath.Join(t.TempDir(), "registry.db")
	reported := 0
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+path, childEnv+"_ROUND="+strconv.Itoa(round))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill it after a number of commits that differs by round, in the
		// middle of the next ones.
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		var got []string
		killAt := 60 + 37*round
		timeout := time.After(60 * time.Second)
	read:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break read
				}
				got = append(got, line)
				if len(got) == killAt {
					if err := cmd.Process.Kill(); err != nil {
						t.Fatal(err)
					}
				}
			case <-timeout:
				cmd.Process.Kill()
				t.Fatalf("round %d: the child reported %d commits in 60s; stderr: %s", round, len(got), stderr.String())
			}
		}
		err = cmd.Wait()
		if len(got) < killAt {
			t.Fatalf("round %d: the child stopped after %d commits: %v; stderr: %s", round, len(got), err, stderr.String())
		}
		if !strings.Contains(fmt.Sprint(err), "killed") {
			t.Errorf("round %d: child ended with %v, want killed", round, err)
		}
		reported += len(got)
		verify(t, path, got)
	}
	t.Logf("%d commits reported by three killed children, all present", reported)
}

// verify reopens the store at path and checks its integrity and that
// every reported "subject version id" is stored.
func verify(t *testing.T, path string, reported []string) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	var result string
	if err := rawDB(t, path).QueryRow("PRAGMA integrity_check").Scan(&result); err != nil || result != "ok" {
		t.Fatalf("integrity_check = %q, %v", result, err)
	}
	for _, line := range reported {
		var subject string
		var version int
		var id int64
		if _, err := fmt.Sscanf(line, "%s %d %d", &subject, &version, &id); err != nil {
			t.Fatalf("child line %q: %v", line, err)
		}
		v, err := s.Version(ctx, subject, version, false)
		if err != nil || v.Schema.ID != id {
			t.Errorf("reported commit %q: stored %+v, %v", line, v, err)
		}
	}
	if err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain after kill: %v", err)
	}
	for _, subject := range []string{"kill-0", "kill-1", "kill-2"} {
		vs, err := s.Versions(ctx, subject, true)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range vs {
			if v.Version != i+1 {
				t.Fatalf("%s: version %d at position %d", subject, v.Version, i+1)
			}
		}
	}
}
