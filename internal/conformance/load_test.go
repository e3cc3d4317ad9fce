package conformance_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"

	"github.com/provisionhq/provision/internal/gocmd"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/postgres"
	"github.com/provisionhq/provision/internal/registry/store/sqlite"
	"github.com/provisionhq/provision/internal/registry/store/sqlstore"
)

// loadDurationEnv sets how long TestRegistryLoad loads each store (a Go
// duration): 5s unless set, 3s with -short, so that CI spends well under
// 40 s on both stores with the build.
const loadDurationEnv = "PROVISION_LOAD_DURATION"

// pgDSNEnv is the PostgreSQL database of the registry's tests (a pgx
// connection string); under CI=true its absence fails TestRegistryLoad.
const pgDSNEnv = "PROVISION_TEST_PG_DSN"

// loadClients is how many clients send requests at once.
const loadClients = 8

// loadCatalogs is how many catalogs of catalogNames the load test pushes
// (the repository's and Acme's: the hostile fixture registers no
// scenario).
const loadCatalogs = 2

// TestRegistryLoad runs `provision registry serve` as real processes (the
// binary built once with go build) under a bounded mixed load: schema
// reads by ID, subject version reads, field searches, validations and
// redactions from several clients at once. Every answer is checked
// against what is known in process: the store's schemas and versions,
// the field index the model gives, and the generated Validate and Redact
// of the same payload.
//
// On SQLite, one instance. On PostgreSQL, two instances share one
// database, and one is stopped with SIGTERM (it must let requests in
// flight finish and exit 0), started again, and later one is killed
// (SIGKILL) and started again. No answer may be wrong, no instance may
// answer a 5xx, and connection errors are counted apart: expected only
// from an instance that is down, whose requests go to the other one, as
// a load balancer would send them. Latency percentiles and requests per
// second of each kind are logged as benchmark lines.
//
// Its "drain" subtest holds a request in flight (half its body sent)
// while the server gets SIGTERM, and checks it is answered before the
// process exits 0; "second signal" checks that a second SIGTERM ends
// the process at once.
func TestRegistryLoad(t *testing.T) {
	dur := loadDuration(t)
	pgDSN := os.Getenv(pgDSNEnv)
	if pgDSN == "" && os.Getenv("CI") == "true" {
		t.Fatalf("%s is unset under CI=true: .ci/run starts PostgreSQL and sets it", pgDSNEnv)
	}
	bin := buildProvision(t)
	keyFile := writeKeyFile(t)
	t.Run("drain", func(t *testing.T) {
		testDrain(t, bin, keyFile, false)
	})
	t.Run("second signal", func(t *testing.T) {
		testDrain(t, bin, keyFile, true)
	})
	t.Run("sqlite", func(t *testing.T) {
		spec := "sqlite:" + filepath.Join(t.TempDir(), "registry.db")
		runLoad(t, bin, keyFile, spec, 1, dur, func(ctx context.Context) (store.Store, error) {
			return sqlite.Open(ctx, strings.TrimPrefix(spec, "sqlite:"))
		})
	})
	t.Run("postgres", func(t *testing.T) {
		if pgDSN == "" {
			t.Skipf("%s is unset", pgDSNEnv)
		}
		spec, cfg := pgSchema(t, pgDSN)
		runLoad(t, bin, keyFile, spec, 2, dur, func(ctx context.Context) (store.Store, error) {
			return postgres.OpenConfig(ctx, cfg)
		})
	})
}

// loadDuration is the duration loadDurationEnv sets.
func loadDuration(t *testing.T) time.Duration {
	t.Helper()
	v := os.Getenv(loadDurationEnv)
	if v == "" {
		if testing.Short() {
			return 3 * time.Second
		}
		return 5 * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("%s=%q: want a positive duration such as 2m", loadDurationEnv, v)
	}
	return d
}

// buildProvision builds the provision command into a temporary directory.
func buildProvision(t *testing.T) string {
	t.Helper()
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "provision")
	if _, err := gocmd.Run(t.Context(), root, "build", "-o", bin, "./cmd/provision"); err != nil {
		t.Fatal(err)
	}
	return bin
}

// writeKeyFile writes the test keys (testKeyBytes) as a key file of
// `registry serve -keys`.
func writeKeyFile(t *testing.T) string {
	t.Helper()
	raw := map[string]string{}
	for id, k := range testKeyBytes(t) {
		raw[id] = base64.StdEncoding.EncodeToString(k)
	}
	data, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pgSchema makes a schema of its own in the database of dsn, dropped when
// t ends, and returns a postgres:// URL whose connections use it (what
// `registry serve -store` takes) and a pool configuration for it.
func pgSchema(t *testing.T, dsn string) (string, *pgxpool.Config) {
	t.Helper()
	ctx := context.Background()
	admin, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to %s: %v", pgDSNEnv, err)
	}
	t.Cleanup(admin.Close)
	schema := fmt.Sprintf("load_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	cc, err := pgconn.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("%s: %v", pgDSNEnv, err)
	}
	q := url.Values{"search_path": {schema}}
	u := url.URL{Scheme: "postgres", Path: "/" + cc.Database}
	if strings.HasPrefix(cc.Host, "/") {
		q.Set("host", cc.Host) // a unix socket directory
		q.Set("port", fmt.Sprint(cc.Port))
	} else {
		u.Host = net.JoinHostPort(cc.Host, fmt.Sprint(cc.Port))
	}
	if cc.Password != "" {
		u.User = url.UserPassword(cc.User, cc.Password)
	} else {
		u.User = url.User(cc.User)
	}
	u.RawQuery = q.Encode()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	return u.String(), cfg
}

// createKey makes an API key of scope write with `registry token create`.
func createKey(t *testing.T, bin, spec string) string {
	t.Helper()
	cmd := exec.Command(bin, "registry", "token", "create", "-name", "load", "-scope", "write", "-store", spec)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("registry token create: %v\n%s", err, stderr.Bytes())
	}
	return strings.TrimSpace(string(out))
}

// instance is one `registry serve` process, started again on the same
// address after it stops.
type instance struct {
	bin  string
	args []string
	// listen is the address to listen on: port 0 until the first start.
	listen string
	url    string
	cmd    *exec.Cmd
	exited chan struct{}
	err    error // of cmd.Wait, once exited is closed
	log    *serveLog
	// down is set while the instance is stopped or starting again.
	down atomic.Bool
	// cpu is the processor time of the runs that have exited.
	cpu time.Duration
}

// serveLog keeps what every run of an instance writes to stderr and
// reports the address it listens on.
type serveLog struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	partial []byte
	addr    chan string
}

var listeningLine = regexp.MustCompile(`msg="registry listening" address=(\S+)`)

func (l *serveLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		if m := listeningLine.FindSubmatch(l.partial[:i]); m != nil && l.addr != nil {
			l.addr <- string(m[1])
			l.addr = nil
		}
		l.partial = l.partial[i+1:]
	}
	return len(p), nil
}

// lines returns the lines written so far that contain s.
func (l *serveLog) lines(s string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for line := range strings.Lines(l.buf.String()) {
		if strings.Contains(line, s) {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return out
}

func (l *serveLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// start runs the instance and waits until it listens and its store
// answers (/readyz).
func (in *instance) start(t *testing.T) {
	t.Helper()
	if in.log == nil {
		in.log = &serveLog{}
	}
	addr := make(chan string, 1)
	in.log.mu.Lock()
	in.log.addr = addr
	in.log.mu.Unlock()
	in.cmd = exec.Command(in.bin, append(append([]string{"registry", "serve"}, in.args...), "-listen", in.listen)...)
	in.cmd.Stderr = in.log
	in.cmd.Stdout = in.log
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in.exited = make(chan struct{})
	go func() {
		in.err = in.cmd.Wait()
		if ps := in.cmd.ProcessState; ps != nil {
			in.cpu += ps.UserTime() + ps.SystemTime()
		}
		close(in.exited)
	}()
	select {
	case a := <-addr:
		if in.url == "" {
			in.listen, in.url = a, "http://"+a
		} else if in.listen != a {
			t.Fatalf("registry serve restarted on %s, not %s", a, in.listen)
		}
	case <-in.exited:
		t.Fatalf("registry serve exited before listening: %v\n%s", in.err, in.log)
	case <-time.After(60 * time.Second):
		in.cmd.Process.Kill()
		t.Fatalf("registry serve did not listen within a minute\n%s", in.log)
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get(in.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/readyz: not ready within 30s: %v", in.url, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	in.down.Store(false)
}

// stop sends sig and waits for the process to exit; it returns how long
// that took and the process's exit error (nil for status 0).
func (in *instance) stop(t *testing.T, sig os.Signal) (time.Duration, error) {
	t.Helper()
	in.down.Store(true)
	start := time.Now()
	if err := in.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-in.exited:
	case <-time.After(60 * time.Second):
		in.cmd.Process.Kill()
		<-in.exited
		t.Errorf("registry serve did not exit within a minute of %v\n%s", sig, in.log)
	}
	return time.Since(start), in.err
}

// authTransport adds an API key to every request.
type authTransport struct {
	key  string
	base http.RoundTripper
}

func (a authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+a.key)
	return a.base.RoundTrip(r)
}

// newClient returns an HTTP client that sends key.
func newClient(key string) *http.Client {
	return &http.Client{
		Transport: authTransport{key: key, base: &http.Transport{MaxIdleConnsPerHost: 4}},
		// A request that takes this long is a hang, not a slow answer.
		Timeout: 30 * time.Second,
	}
}

// loadCase is one request of the load and how to check its answer.
type loadCase struct {
	kind   string
	method string
	// path and query, without the instance's URL.
	target string
	body   []byte
	// check returns why the answer is wrong, or nil.
	check func(status int, header http.Header, body []byte) error
}

// The kinds of request, in the order the summary lists them.
var loadKinds = []string{"schema", "version", "search", "validate", "redact"}

// loadCases builds the requests of the load and their expected answers:
// the schemas and versions the store holds, field searches checked
// against the model's field entries, and validations and redactions of
// random payloads checked against the generated code.
func loadCases(t *testing.T, st store.Store, ids map[*model.Scenario]int64, keys impl.KeyProvider) map[string][]loadCase {
	t.Helper()
	ctx := context.Background()
	cases := map[string][]loadCase{}

	// Schemas and versions, as the store holds them.
	subjects, err := st.Subjects(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	type refJSON struct {
		Name    string `json:"name"`
		Subject string `json:"subject"`
		Version int    `json:"version"`
	}
	type versionJSON struct {
		Subject    string    `json:"subject"`
		Version    int       `json:"version"`
		ID         int64     `json:"id"`
		SchemaType string    `json:"schemaType"`
		Schema     string    `json:"schema"`
		References []refJSON `json:"references"`
	}
	seen := map[int64]bool{}
	for _, subject := range subjects {
		vs, err := st.Versions(ctx, subject, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			want := versionJSON{Subject: v.Subject, Version: v.Version, ID: v.Schema.ID, SchemaType: string(v.Schema.Type), Schema: v.Schema.Text}
			for _, r := range v.Schema.References {
				want.References = append(want.References, refJSON{r.Name, r.Subject, r.Version})
			}
			cases["version"] = append(cases["version"], loadCase{
				kind: "version", method: "GET",
				target: fmt.Sprintf("/subjects/%s/versions/%d", url.PathEscape(v.Subject), v.Version),
				check: jsonCheck(func(got *versionJSON) error {
					if diff := cmp.Diff(want, *got, cmpopts.EquateEmpty()); diff != "" {
						return fmt.Errorf("(-store +http):\n%s", diff)
					}
					return nil
				}),
			})
			if seen[v.Schema.ID] {
				continue
			}
			seen[v.Schema.ID] = true
			wantSchema := want
			wantSchema.Subject, wantSchema.Version, wantSchema.ID = "", 0, 0
			cases["schema"] = append(cases["schema"], loadCase{
				kind: "schema", method: "GET",
				target: fmt.Sprintf("/schemas/ids/%d", v.Schema.ID),
				check: jsonCheck(func(got *versionJSON) error {
					if diff := cmp.Diff(wantSchema, *got, cmpopts.EquateEmpty()); diff != "" {
						return fmt.Errorf("(-store +http):\n%s", diff)
					}
					return nil
				}),
			})
		}
	}

	// Field searches, against the field entries of the model of each
	// catalog pushed (version 1 of each, the latest).
	var entries []store.FieldEntry
	for i, compile := range catalogCompilers[:loadCatalogs] {
		cat, err := compile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.FromFileDescriptorSet(cat.Set)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, api.FieldEntries(store.CatalogVersion{Catalog: catalogNames[i], Version: 1}, m, nil)...)
	}
	for _, q := range searchQueries(t, entries) {
		var want []store.FieldEntry
		for _, e := range entries {
			if entryMatches(e, q) {
				want = append(want, e)
			}
		}
		sortEntries(want)
		q.Set("limit", fmt.Sprint(store.MaxFieldLimit))
		cases["search"] = append(cases["search"], loadCase{
			kind: "search", method: "GET", target: "/provision/v1/fields?" + q.Encode(),
			check: jsonCheck(func(got *struct {
				Fields     []store.FieldHit `json:"fields"`
				NextOffset *int             `json:"next_offset"`
			}) error {
				if got.NextOffset != nil {
					return fmt.Errorf("next_offset %d: more than %d fields", *got.NextOffset, store.MaxFieldLimit)
				}
				var hits []store.FieldEntry
				for i, h := range got.Fields {
					hits = append(hits, h.FieldEntry)
					if i > 0 {
						prev := got.Fields[i-1]
						if prev.Rank < h.Rank || prev.Rank == h.Rank && prev.Path > h.Path {
							return fmt.Errorf("hit %d (%s, rank %g) after %s (rank %g): not by relevance then path", i, h.Path, h.Rank, prev.Path, prev.Rank)
						}
					}
				}
				sortEntries(hits)
				if diff := cmp.Diff(want, hits, cmpopts.EquateEmpty()); diff != "" {
					return fmt.Errorf("(-model +http):\n%s", diff)
				}
				return nil
			}),
		})
	}

	// Validations and redactions of random payloads of every registered
	// scenario under every consent level of its product, against the
	// generated code.
	for _, s := range scenarios(t) {
		id := ids[s]
		if id == 0 {
			continue
		}
		for li, c := range s.Product.ConsentLevels() {
			for i := range 2 {
				r := rand.New(rand.NewPCG(uint64(li*2+i), uint64(id)))
				p := newPayload(t, s)
				randomMessage(r, p.ProtoReflect(), 0)
				e := encoding(r.IntN(int(numEncodings)))
				if e == kafkajsFrame && !(len(indexesOf(s.Message)) == 1 && s.Message.Index() == 0) {
					e = confluentFrame
				}
				body, in, ok := request(t, id, p, e)
				if !ok {
					continue
				}
				target := func(op string) string {
					return fmt.Sprintf("/provision/v1/schemas/ids/%d/%s?consent=%s", id, op, consentQuery(c))
				}
				wantViolations := api.Violations(in.Validate(c))
				cases["validate"] = append(cases["validate"], loadCase{
					kind: "validate", method: "POST", target: target("validate"), body: body,
					check: jsonCheck(func(v *api.Verdict) error {
						if diff := cmp.Diff(wantViolations, v.Violations); diff != "" || v.Valid != (len(wantViolations) == 0) {
							return fmt.Errorf("%s under %v (%v): verdict differs (-generated +http):\n%s", s.ID, c, e, diff)
						}
						return nil
					}),
				})
				red := proto.Clone(in).(payload)
				wantCleared := clearedPaths(red.Redact(c, keys))
				cases["redact"] = append(cases["redact"], loadCase{
					kind: "redact", method: "POST", target: target("redact"), body: body,
					check: func(status int, header http.Header, got []byte) error {
						if status != http.StatusOK {
							return fmt.Errorf("status %d: %s", status, got)
						}
						back, cleared, err := decodeRedacted(in, e, body, header, got)
						if err != nil {
							return err
						}
						want := proto.Clone(red)
						if !sameNoisy(want, back, s, c) || !proto.Equal(want, back) {
							return fmt.Errorf("%s under %v (%v): redacted payloads differ", s.ID, c, e)
						}
						if diff := cmp.Diff(wantCleared, cleared); diff != "" {
							return fmt.Errorf("%s under %v (%v): cleared fields differ (-generated +http):\n%s", s.ID, c, e, diff)
						}
						return nil
					},
				})
			}
		}
	}
	for _, k := range loadKinds {
		if len(cases[k]) == 0 {
			t.Fatalf("no request of kind %s: the load would test nothing", k)
		}
	}
	return cases
}

// jsonCheck returns a check of a 200 answer whose JSON body decodes into
// a T that f accepts.
func jsonCheck[T any](f func(*T) error) func(int, http.Header, []byte) error {
	return func(status int, _ http.Header, body []byte) error {
		if status != http.StatusOK {
			return fmt.Errorf("status %d: %s", status, body)
		}
		v := new(T)
		if err := json.Unmarshal(body, v); err != nil {
			return fmt.Errorf("%w: %s", err, body)
		}
		return f(v)
	}
}

// searchQueries are the field searches of the load, taken from the
// entries so that each finds something whatever the catalogs hold: every
// entry, filters by the values of a few entries, and words of their
// labels alone and with a filter.
func searchQueries(t *testing.T, entries []store.FieldEntry) []url.Values {
	t.Helper()
	if len(entries) == 0 {
		t.Fatal("the catalogs have no field")
	}
	qs := []url.Values{{}}
	for _, i := range []int{0, len(entries) / 3, 2 * len(entries) / 3, len(entries) - 1} {
		e := entries[i]
		words := sqlstore.SearchWords(e.Labels["en"])
		if len(words) == 0 {
			t.Fatalf("field %s: a label without a word", e.FullName)
		}
		qs = append(qs,
			url.Values{"category": {e.Category}},
			url.Values{"identifiability": {e.Identifiability}, "agreement": {e.Agreement}},
			url.Values{"redaction": {e.Redaction}},
			url.Values{"product": {e.Product}},
			url.Values{"q": {words[0]}},
			url.Values{"q": {strings.Join(words, " ")}, "product": {e.Product}},
		)
	}
	return qs
}

// entryMatches reports whether e passes the filters of q as the endpoint
// reads them: equal columns, and every word of q among the words of its
// label or comment.
func entryMatches(e store.FieldEntry, q url.Values) bool {
	for _, f := range []struct{ param, value string }{
		{"category", e.Category}, {"identifiability", e.Identifiability},
		{"agreement", e.Agreement}, {"redaction", e.Redaction}, {"product", e.Product},
	} {
		if v := q.Get(f.param); v != "" && v != f.value {
			return false
		}
	}
	var text []string
	for _, l := range e.Labels {
		text = append(text, l)
	}
	words := sqlstore.SearchWords(strings.Join(append(text, e.Comment), " "))
	for _, w := range sqlstore.SearchWords(q.Get("q")) {
		if !slices.Contains(words, w) {
			return false
		}
	}
	return true
}

// sortEntries sorts entries by catalog, scenario and path.
func sortEntries(es []store.FieldEntry) {
	slices.SortFunc(es, func(a, b store.FieldEntry) int {
		return strings.Compare(a.Catalog+"\x00"+a.Scenario+"\x00"+a.Path, b.Catalog+"\x00"+b.Scenario+"\x00"+b.Path)
	})
}

// failures collects what went wrong in the clients' goroutines, which may
// not stop the test, for the test to report.
type failures struct {
	mu   sync.Mutex
	n    int
	some []string
}

func (f *failures) add(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	if len(f.some) < 20 {
		f.some = append(f.some, fmt.Sprintf(format, args...))
	}
}

// clientStats is what one client measured.
type clientStats struct {
	lat map[string][]time.Duration
	// answered counts answers by instance.
	answered []int
	// connErrs counts connection errors from an instance that was down,
	// and drained the answers it gave after it was told to stop.
	connErrs, drained []int
}

// runLoad starts n instances of `registry serve` on spec, pushes the
// catalogs, and runs the load for dur; with two instances, it stops and
// restarts one on SIGTERM and one on SIGKILL meanwhile. open opens the
// store in process, to read what it holds.
func runLoad(t *testing.T, bin, keyFile, spec string, n int, dur time.Duration, open func(context.Context) (store.Store, error)) {
	ctx := context.Background()
	key := createKey(t, bin, spec)
	ins := make([]*instance, n)
	for i := range ins {
		ins[i] = &instance{bin: bin, listen: "127.0.0.1:0",
			args: []string{"-store", spec, "-keys", keyFile, "-shutdown-timeout", "20s"}}
		ins[i].start(t)
		t.Cleanup(func() {
			select {
			case <-ins[i].exited:
			default:
				ins[i].cmd.Process.Kill()
				<-ins[i].exited
			}
		})
	}
	hc := newClient(key)
	ids := pushCatalogs(t, hc, ins[0].url, loadCatalogs)
	st, err := open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cases := loadCases(t, st, ids, testKeys(t))
	st.Close()
	counts := map[string]int{}
	for k, cs := range cases {
		counts[k] = len(cs)
	}
	t.Logf("%d instance(s), %d clients, %v; distinct requests by kind: %v", n, loadClients, dur, counts)

	// The servers' processor time so far (the push), not counted in the
	// load's.
	var pushCPU time.Duration
	for _, in := range ins {
		pushCPU += procCPU(in.cmd.Process.Pid)
	}

	var fails failures
	var stopClients atomic.Bool
	stats := make([]clientStats, loadClients)
	var wg sync.WaitGroup
	defer func() {
		stopClients.Store(true)
		wg.Wait()
	}()
	start := time.Now()
	for c := range loadClients {
		stats[c] = clientStats{lat: map[string][]time.Duration{},
			answered: make([]int, n), connErrs: make([]int, n), drained: make([]int, n)}
		wg.Go(func() {
			st := &stats[c]
			hc := newClient(key)
			r := rand.New(rand.NewPCG(uint64(c), 15))
			for i := 0; !stopClients.Load(); i++ {
				kind := loadKinds[(c+i)%len(loadKinds)]
				lc := cases[kind][r.IntN(len(cases[kind]))]
				// Round robin; an instance that does not answer gets the
				// request sent to the next, as a load balancer does.
				for attempt := range n {
					k := (c + i + attempt) % n
					in := ins[k]
					wasDown := in.down.Load()
					t0 := time.Now()
					status, header, body, err := send(hc, in.url, lc)
					lat := time.Since(t0)
					if err != nil {
						if wasDown || in.down.Load() {
							st.connErrs[k]++
							continue
						}
						fails.add("%s %s to instance %d, which is up: %v", lc.method, lc.target, k, err)
						break
					}
					if wasDown || in.down.Load() {
						st.drained[k]++
					}
					st.answered[k]++
					st.lat[kind] = append(st.lat[kind], lat)
					if status >= 500 {
						fails.add("%s %s: instance %d answered %d: %s", lc.method, lc.target, k, status, body)
					} else if err := lc.check(status, header, body); err != nil {
						fails.add("%s %s: instance %d answered wrongly: %v", lc.method, lc.target, k, err)
					}
					break
				}
			}
		})
	}

	end := start.Add(dur)
	if n == 2 {
		// One instance stops on SIGTERM (requests in flight finish, exit
		// 0), the other is killed; each is started again on its address.
		for _, f := range []struct {
			at  time.Duration
			in  int
			sig syscall.Signal
		}{{dur / 5, 0, syscall.SIGTERM}, {dur / 2, 1, syscall.SIGKILL}} {
			time.Sleep(time.Until(start.Add(f.at)))
			in := ins[f.in]
			t0 := time.Now()
			took, err := in.stop(t, f.sig)
			switch {
			case f.sig == syscall.SIGTERM && err != nil:
				t.Errorf("instance %d on SIGTERM: %v, want exit status 0\n%s", f.in, err, in.log)
			case f.sig == syscall.SIGKILL && err == nil:
				t.Errorf("instance %d on SIGKILL: exit status 0", f.in)
			}
			time.Sleep(300 * time.Millisecond) // down for a while
			in.start(t)
			t.Logf("instance %d: %v at %v, exited after %v, answering again after %v", f.in, f.sig, f.at, took.Round(time.Millisecond), time.Since(t0).Round(time.Millisecond))
		}
		if late := time.Now().Add(time.Second); late.After(end) {
			end = late // some load after the last restart
		}
	}
	time.Sleep(time.Until(end))
	stopClients.Store(true)
	wg.Wait()
	elapsed := time.Since(start)

	// Every instance stops cleanly when the load is over.
	var cpu time.Duration
	for i, in := range ins {
		if _, err := in.stop(t, syscall.SIGTERM); err != nil {
			t.Errorf("instance %d on SIGTERM after the load: %v, want exit status 0\n%s", i, err, in.log)
		}
		if errs := in.log.lines("level=ERROR"); len(errs) > 0 {
			t.Errorf("instance %d logged %d errors, the first: %s", i, len(errs), errs[0])
		}
		cpu += in.cpu
	}

	lat := map[string][]time.Duration{}
	answered, connErrs, drained := make([]int, n), make([]int, n), make([]int, n)
	for _, s := range stats {
		for k, l := range s.lat {
			lat[k] = append(lat[k], l...)
		}
		for i := range n {
			answered[i] += s.answered[i]
			connErrs[i] += s.connErrs[i]
			drained[i] += s.drained[i]
		}
	}
	total := 0
	for _, k := range loadKinds {
		if len(lat[k]) == 0 {
			t.Errorf("no %s request was answered", k)
		}
		total += len(lat[k])
	}
	for i := range n {
		if answered[i] == 0 {
			t.Errorf("instance %d answered nothing", i)
		}
	}
	name := "BenchmarkRegistryLoad/" + strings.SplitN(spec, ":", 2)[0]
	var all []time.Duration
	for _, k := range loadKinds {
		t.Log(benchLine(name+"/"+k, lat[k], elapsed))
		all = append(all, lat[k]...)
	}
	t.Log(benchLine(name+"/all", all, elapsed))
	if cpu -= pushCPU; total > 0 && pushCPU > 0 {
		// Processor time is what the servers spent, whatever else the
		// machine runs.
		t.Logf("servers' processor time under the load: %v, %.0f µs a request", cpu.Round(time.Millisecond), float64(cpu.Microseconds())/float64(total))
	}
	t.Logf("%d requests answered in %v (by instance %v); connection errors from an instance that was down, sent on to the other: %v; answered by an instance after it was told to stop: %v",
		total, elapsed.Round(time.Millisecond), answered, connErrs, drained)
	fails.mu.Lock()
	defer fails.mu.Unlock()
	if fails.n > 0 {
		t.Errorf("%d requests failed or were answered wrongly; the first %d:\n%s", fails.n, len(fails.some), strings.Join(fails.some, "\n"))
	}
}

// requestSeq numbers the requests that carry an Idempotency-Key.
var requestSeq atomic.Int64

// send sends lc to the instance at base and reads the answer.
func send(hc *http.Client, base string, lc loadCase) (int, http.Header, []byte, error) {
	var body io.Reader
	if lc.body != nil {
		body = bytes.NewReader(lc.body)
	}
	req, err := http.NewRequest(lc.method, base+lc.target, body)
	if err != nil {
		return 0, nil, nil, err
	}
	if lc.body != nil {
		req.Header.Set("Content-Type", "application/octet-stream")
		// Validation and redaction change nothing: the transport may send
		// them again on a new connection when a kept-alive one was closed.
		req.Header.Set("Idempotency-Key", fmt.Sprint(requestSeq.Add(1)))
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, b, nil
}

// benchLine formats latencies as a line of `go test -bench` output:
// requests, mean ns a request, p50, p95 and p99 in µs, and requests per
// second over elapsed.
func benchLine(name string, lat []time.Duration, elapsed time.Duration) string {
	if len(lat) == 0 {
		return name + "\t0"
	}
	lat = slices.Clone(lat)
	slices.Sort(lat)
	var sum time.Duration
	for _, l := range lat {
		sum += l
	}
	pct := func(p int) float64 { return float64(lat[(len(lat)-1)*p/100].Microseconds()) }
	return fmt.Sprintf("%s\t%8d\t%10d ns/op\t%8.0f p50-us\t%8.0f p95-us\t%8.0f p99-us\t%8.1f req/s",
		name, len(lat), sum.Nanoseconds()/int64(len(lat)), pct(50), pct(95), pct(99), float64(len(lat))/elapsed.Seconds())
}

// testDrain starts `registry serve` on SQLite, begins a registration
// whose body is half sent, sends SIGTERM, and checks that the server
// stops listening but answers that request once its body is complete,
// exits 0, and that the version is stored. With second, it sends SIGTERM
// again instead of the rest of the body, and checks that the process
// ends at once, killed by the signal.
func testDrain(t *testing.T, bin, keyFile string, second bool) {
	path := filepath.Join(t.TempDir(), "registry.db")
	spec := "sqlite:" + path
	key := createKey(t, bin, spec)
	in := &instance{bin: bin, listen: "127.0.0.1:0", args: []string{"-store", spec, "-keys", keyFile, "-shutdown-timeout", "20s"}}
	in.start(t)
	t.Cleanup(func() {
		select {
		case <-in.exited:
		default:
			in.cmd.Process.Kill()
			<-in.exited
		}
	})
	text := "syntax = \"proto3\";\npackage drain.v1;\n\nmessage M {\n  string note = 1;\n}\n"
	full, err := json.Marshal(map[string]string{"schemaType": "PROTOBUF", "schema": text})
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", in.url+"/subjects/drain-value/versions", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", api.ContentType)
	type answer struct {
		status int
		body   []byte
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := newClient(key).Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		answered <- answer{resp.StatusCode, b, err}
	}()
	if _, err := pw.Write(full[:len(full)/2]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the server reads the header and waits for the rest
	in.down.Store(true)
	if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The server stops listening at once, with the request in flight.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", in.listen, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatalf("%s still accepts connections 10s after SIGTERM", in.listen)
		}
	}
	select {
	case <-in.exited:
		t.Fatalf("registry serve exited with a request in flight: %v\n%s", in.err, in.log)
	case a := <-answered:
		t.Fatalf("answered before the body was complete: %d %s %v", a.status, a.body, a.err)
	case <-time.After(200 * time.Millisecond):
	}
	if second {
		t0 := time.Now()
		if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case <-in.exited:
		case <-time.After(10 * time.Second):
			t.Fatal("registry serve still runs 10s after a second SIGTERM")
		}
		var ee *exec.ExitError
		if !errors.As(in.err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
			t.Fatalf("registry serve after a second SIGTERM: %v, want killed by SIGTERM\n%s", in.err, in.log)
		}
		pw.CloseWithError(errors.New("the server is gone"))
		select {
		case a := <-answered:
			if a.err == nil {
				t.Errorf("the request in flight was answered %d %s after the process was killed", a.status, a.body)
			}
		case <-time.After(10 * time.Second):
			t.Error("the request in flight did not fail within 10s of the process's end")
		}
		t.Logf("a second SIGTERM ended the process after %v", time.Since(t0).Round(time.Millisecond))
		return
	}
	if _, err := pw.Write(full[len(full)/2:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	var a answer
	select {
	case a = <-answered:
	case <-time.After(30 * time.Second):
		t.Fatal("the request in flight was not answered within 30s of its body")
	}
	var got struct{ ID int64 }
	if a.err != nil || a.status != http.StatusOK || json.Unmarshal(a.body, &got) != nil || got.ID == 0 {
		t.Fatalf("the request in flight at SIGTERM: %d %s %v, want 200 with an ID", a.status, a.body, a.err)
	}
	select {
	case <-in.exited:
	case <-time.After(30 * time.Second):
		t.Fatal("registry serve did not exit within 30s of its last answer")
	}
	if in.err != nil {
		t.Fatalf("registry serve on SIGTERM: %v, want exit status 0\n%s", in.err, in.log)
	}
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v, err := st.LatestVersion(context.Background(), "drain-value", false)
	if err != nil || v.Schema.ID != got.ID || v.Schema.Text != text {
		t.Fatalf("the registration answered at shutdown: stored %+v, %v; want ID %d", v, err, got.ID)
	}
	if err := st.VerifyAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// procCPU returns the processor time process pid has used, from Linux's
// /proc (0 elsewhere): user and system clock ticks, at 100 a second.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command's name, which is in parentheses:
	// state is the first, utime the 12th and stime the 13th.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	var user, sys int64
	if _, err := fmt.Sscan(f[11], &user); err != nil {
		return 0
	}
	if _, err := fmt.Sscan(f[12], &sys); err != nil {
		return 0
	}
	return time.Duration(user+sys) * (time.Second / 100)
}
