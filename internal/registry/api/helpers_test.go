package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/twmb/franz-go/pkg/sr"
	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/protosrc"
	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/postgres"
	"github.com/provisionhq/provision/internal/registry/store/sqlite"
)

const dsnVar = "PROVISION_TEST_PG_DSN"

// backends are the stores the tests run on: SQLite always, PostgreSQL
// when PROVISION_TEST_PG_DSN is set (under CI=true its absence fails).
func backends(t *testing.T) []string {
	t.Helper()
	if os.Getenv(dsnVar) != "" {
		return []string{"sqlite", "postgres"}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is unset under CI=true: .ci/run starts PostgreSQL and sets it", dsnVar)
	}
	return []string{"sqlite"}
}

// testingPG reports whether PostgreSQL is there to test on.
func testingPG() bool { return os.Getenv(dsnVar) != "" }

var (
	adminOnce sync.Once
	admin     *pgxpool.Pool
	adminErr  error
	schemaSeq atomic.Int64
)

// openStore opens a fresh store of the backend, closed when t ends.
func openStore(t testing.TB, backend string) store.Store {
	t.Helper()
	ctx := context.Background()
	var s store.Store
	var err error
	switch backend {
	case "sqlite":
		s, err = sqlite.Open(ctx, filepath.Join(t.TempDir(), "registry.db"))
	case "postgres":
		s, err = postgres.OpenConfig(ctx, pgConfig(t))
	default:
		t.Fatalf("unknown backend %q", backend)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// pgConfig returns a configuration for a fresh schema of its own in the
// test database, dropped when t ends.
func pgConfig(t testing.TB) *pgxpool.Config {
	t.Helper()
	ctx := context.Background()
	dsn := os.Getenv(dsnVar)
	adminOnce.Do(func() { admin, adminErr = pgxpool.New(ctx, dsn) })
	if adminErr != nil {
		t.Fatalf("connect to %s: %v", dsnVar, adminErr)
	}
	schema := fmt.Sprintf("api_%d_%d", os.Getpid(), schemaSeq.Add(1))
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	return cfg
}

// newServer starts the API on a fresh store of backend, with o's options
// (its Store is set here), and returns its URL and the store.
func newServer(t testing.TB, backend string, o api.Options) (string, store.Store) {
	t.Helper()
	st := openStore(t, backend)
	o.Store = st
	srv, err := api.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return hs.URL, st
}

// client returns a franz-go client of the registry at url.
func client(t testing.TB, url string, opts ...sr.ClientOpt) *sr.Client {
	t.Helper()
	cl, err := sr.NewClient(append([]sr.ClientOpt{sr.URLs(url)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// repoRoot is the repository's root directory.
func repoRoot(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

var (
	catalogOnce  sync.Once
	catalogImage []byte
	catalogErr   error
)

// catalog returns the repository's catalog compiled in process, as a
// binary FileDescriptorSet (what buf build -o x.binpb writes).
func catalog(t testing.TB) []byte {
	t.Helper()
	catalogOnce.Do(func() {
		c, err := protosrc.CompileCatalog(context.Background(), repoRoot(t))
		if err != nil {
			catalogErr = err
			return
		}
		catalogImage, catalogErr = proto.Marshal(c.Set)
	})
	if catalogErr != nil {
		t.Fatal(catalogErr)
	}
	return catalogImage
}

// source returns the text of a file of the repository.
func source(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// reviewedToday returns the scenario file s with a review dated today
// before its first: an acknowledgement rests on a review of its scenario
// since the version compared with (ACKNOWLEDGEMENT_UNREVIEWED), and the
// catalog's own reviews are dated no later than today.
func reviewedToday(t testing.TB, s string) string {
	t.Helper()
	return reviewedTodayAs(t, s, "registry-test")
}

// reviewedTodayAs is reviewedToday with the review's reference: a review
// counts only where the version compared with does not have it.
func reviewedTodayAs(t testing.TB, s, reference string) string {
	t.Helper()
	entry := fmt.Sprintf("    reviews: {reference: %q date: %q reviewer: \"provision catalog maintainers\" scope: \"Test fixture: the change acknowledged.\"}\n", reference, time.Now().UTC().Format(time.DateOnly))
	return replace(t, s, "    reviews: {\n", entry+"    reviews: {\n")
}

// replace returns s with old replaced by new, failing t if s lacks old.
func replace(t testing.TB, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("the text lacks %q", old)
	}
	return strings.Replace(s, old, new, 1)
}
