package postgres

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/sqlstore"
	"github.com/provisionhq/provision/internal/registry/store/storetest"
)

// dsnVar names the database the tests use; .ci/run starts a server and
// sets it.
const dsnVar = "PROVISION_TEST_PG_DSN"

var (
	adminOnce sync.Once
	admin     *pgxpool.Pool
	adminErr  error
	schemaSeq atomic.Int64
)

// database returns a configuration for a fresh schema of its own in the
// test database, dropped when t ends. It skips t when PROVISION_TEST_PG_DSN
// is unset, and fails it under CI=true.
func database(t testing.TB) *pgxpool.Config {
	t.Helper()
	dsn := os.Getenv(dsnVar)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is unset under CI=true: .ci/run starts PostgreSQL and sets it", dsnVar)
		}
		t.Skipf("%s is unset: set it to a PostgreSQL database the tests may use (bash .ci/run starts one)", dsnVar)
	}
	adminOnce.Do(func() { admin, adminErr = pgxpool.New(context.Background(), dsn) })
	if adminErr != nil {
		t.Fatalf("connect to %s: %v", dsnVar, adminErr)
	}
	schema := fmt.Sprintf("t_%d_%d", os.Getpid(), schemaSeq.Add(1))
	ctx := context.Background()
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

func open(t testing.TB, cfg *pgxpool.Config, opts ...sqlstore.Option) *sqlstore.Store {
	t.Helper()
	s, err := OpenConfig(context.Background(), cfg.Copy(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// execer runs statements on the schema of cfg, beside the store.
func execer(cfg *pgxpool.Config) func(t *testing.T, stmt string) {
	return func(t *testing.T, stmt string) {
		t.Helper()
		conn, err := pgx.ConnectConfig(context.Background(), cfg.ConnConfig.Copy())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

func TestContract(t *testing.T) {
	t.Parallel()
	database(t) // skip or fail before the subtests
	storetest.Run(t, storetest.Harness{New: func(t *testing.T) storetest.Instance {
		cfg := database(t)
		return storetest.Instance{Store: open(t, cfg), Exec: execer(cfg)}
	}})
}

// TestTwoInstances puts two stores, each with its own pool and listener,
// on one database under concurrent registrations.
func TestTwoInstances(t *testing.T) {
	t.Parallel()
	cfg := database(t)
	a, b := open(t, cfg), open(t, cfg)
	storetest.Load(t, []store.Store{a, b}, 8, 50)
}

// TestNotificationsReachTheOtherInstance checks that a change made through
// one instance reaches the other's Changes, and that the other drops the
// removed schema from its cache.
func TestNotificationsReachTheOtherInstance(t *testing.T) {
	t.Parallel()
	cfg := database(t)
	a, b := open(t, cfg), open(t, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := b.Changes(ctx)

	v, _, err := a.RegisterVersion(ctx, store.Registration{Subject: "s", Schema: storetest.Schema("A")})
	if err != nil {
		t.Fatal(err)
	}
	got := storetest.WaitChanges(t, changes, 1)
	if want := (store.Change{Kind: store.ChangeSubject, Subject: "s", SchemaID: v.Schema.ID}); got[0] != want {
		t.Errorf("b saw %+v, want %+v", got[0], want)
	}
	// b caches the schema…
	if _, err := b.SchemaByID(ctx, v.Schema.ID); err != nil {
		t.Fatal(err)
	}
	// …a removes it…
	for _, permanent := range []bool{false, true} {
		if _, err := a.DeleteVersion(ctx, "s", 1, permanent, nil); err != nil {
			t.Fatal(err)
		}
	}
	got = storetest.WaitChanges(t, changes, 3)
	if want := (store.Change{Kind: store.ChangeSchemaRemoved, SchemaID: v.Schema.ID}); got[2] != want {
		t.Errorf("b saw %+v, want %+v last", got, want)
	}
	// …and b no longer serves it: the notification came before the change
	// on b's channel, so the cache is clean by now.
	_, err = b.SchemaByID(ctx, v.Schema.ID)
	if !errors.Is(err, store.ErrSchemaNotFound) {
		t.Errorf("b.SchemaByID after a removed it on another instance = %v", err)
	}
}

// TestListenerReconnects kills the listening connection of a store and
// checks that it reports a reset and goes on receiving changes.
func TestListenerReconnects(t *testing.T) {
	t.Parallel()
	cfg := database(t)
	a := open(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	changes := a.Changes(ctx)
	channel := channelPrefix + "." + cfg.ConnConfig.RuntimeParams["search_path"]
	// pg_stat_activity shows the listener's last statement, its LISTEN.
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	kill := fmt.Sprintf(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = 'LISTEN %s'`,
		pgx.Identifier{channel}.Sanitize())
	for killed := 0; killed == 0; {
		if err := conn.QueryRow(ctx, kill).Scan(&killed); err != nil {
			t.Fatal(err)
		}
		if killed == 0 {
			if ctx.Err() != nil {
				t.Fatal("no listening connection found")
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if got := storetest.WaitChanges(t, changes, 1); got[0].Kind != store.ChangeReset {
		t.Fatalf("after the listener was killed: %+v, want a reset", got)
	}
	// A change committed before the listener is back is lost, and the
	// listener reports a second reset once it is back: register again
	// after each reset until a change arrives.
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		if _, _, err := a.RegisterVersion(ctx, store.Registration{Subject: "s", Schema: storetest.Schema(fmt.Sprint("A", i))}); err != nil {
			t.Fatal(err)
		}
		if c := storetest.WaitChanges(t, changes, 1)[0]; c.Kind == store.ChangeSubject {
			return
		}
	}
	t.Error("no change after the listener reconnected")
}

func TestSchemaTooNew(t *testing.T) {
	t.Parallel()
	cfg := database(t)
	open(t, cfg).Close()
	execer(cfg)(t, "UPDATE schema_version SET version = 99")
	_, err := OpenConfig(context.Background(), cfg.Copy())
	if !errors.Is(err, store.ErrSchemaTooNew) || !strings.Contains(err.Error(), "version 99") || !strings.Contains(err.Error(), "up to 2") {
		t.Errorf("Open of a newer database = %v, want ErrSchemaTooNew naming 99 and 2", err)
	}
}

// TestMigrateTogether opens several instances on one empty database at
// once: the advisory lock lets one migrate and the others find it done.
func TestMigrateTogether(t *testing.T) {
	t.Parallel()
	cfg := database(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := OpenConfig(context.Background(), cfg.Copy())
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
}

func TestOpenBadDSN(t *testing.T) {
	t.Parallel()
	_, err := Open(context.Background(), "postgres://user:secret@[::1")
	if !errors.Is(err, store.ErrInvalid) || strings.Contains(err.Error(), "secret") {
		t.Errorf("Open of a bad DSN = %v", err)
	}
}
