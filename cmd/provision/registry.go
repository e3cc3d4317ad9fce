package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/provisionhq/provision"
	"github.com/provisionhq/provision/internal/bufimage"
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/registry/api"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/postgres"
	"github.com/provisionhq/provision/internal/registry/store/sqlite"
)

const registryDoc = `
Registry runs provision's schema registry, or talks to one.

	provision registry serve [flags]
	provision registry push [flags]
	provision registry token create -name N -scope read|write|admin [-prefix P] [-store S]
	provision registry token list [-store S]
	provision registry token delete -name N [-store S]
	provision registry audit verify [-store S]

serve listens for the Confluent Schema Registry REST API (PROTOBUF
schemas only), so that Confluent's serializers and tools work unchanged,
and for provision's own resources under /provision/v1 (catalog versions,
their diff, the audit log). Every registration is checked for
compatibility at the subject's level and, for a scenario, by the model's
checks and the privacy breaking rules against the previous version. A
scenario's file does not import its product and policy: they come from
the latest catalog version pushed, so push the catalog before a client
registers a scenario. It stops cleanly on SIGINT or SIGTERM: it stops
listening, requests in flight finish (for at most -shutdown-timeout),
nothing is half-written; a second signal ends it at once. /healthz
answers while it runs, /readyz while its store answers.

-store is sqlite:PATH (one process owns the file) or a postgres:// URL
(several instances may share one database; stop any of them at any time).

Requests authenticate with an API key, as HTTP Basic password (what
Confluent clients send with basic.auth.user.info; the user is ignored) or
as a Bearer token. Keys are made with 'registry token create', which
prints the key once; the store keeps only its SHA-256. Scopes: read, write
(implies read), admin (everything, including /config and /mode of the
registry and the audit log); -prefix limits a key to subjects and catalogs
starting with it.

push builds the catalog's buf image with buf (as generate does) and
pushes it as the next version of -catalog; on refusal it prints the
findings and exits 1.

audit verify recomputes the hash chain of the audit log and names the
first record that does not match.
`

// runRegistry runs `provision registry <subcommand>`.
func runRegistry(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		w := stdout
		code := exitOK
		if len(args) == 0 {
			w, code = stderr, exitUsage
		}
		registryUsage(w)
		return code
	}
	switch args[0] {
	case "serve":
		return runRegistryServe(ctx, args[1:], stdout, stderr)
	case "push":
		return runRegistryPush(ctx, args[1:], stdout, stderr)
	case "token":
		switch {
		case len(args) >= 2 && args[1] == "create":
			return runTokenCreate(ctx, args[2:], stdout, stderr)
		case len(args) >= 2 && args[1] == "list":
			return runTokenList(ctx, args[2:], stdout, stderr)
		case len(args) >= 2 && args[1] == "delete":
			return runTokenDelete(ctx, args[2:], stdout, stderr)
		}
		fmt.Fprintln(stderr, "provision: registry token: want 'token create', 'token list' or 'token delete'; run 'provision help registry'")
		return exitUsage
	case "audit":
		if len(args) < 2 || args[1] != "verify" {
			fmt.Fprintln(stderr, "provision: registry audit: want 'audit verify'; run 'provision help registry'")
			return exitUsage
		}
		return runAuditVerify(ctx, args[2:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "provision: registry: unknown subcommand %q; run 'provision help registry'\n", args[0])
	return exitUsage
}

// registryUsage prints the registry's documentation and every flag of
// each subcommand.
func registryUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage:\n\n\tprovision registry <serve|push|token create|token list|token delete|audit verify> [flags]\n\n%s\n", strings.TrimSpace(registryDoc))
	for _, fs := range []*flag.FlagSet{serveFlags(new(serveOptions)), pushFlags(new(pushOptions)), tokenFlags(new(tokenOptions)), tokenDeleteFlags(new(tokenOptions)), storeFlags("registry token list", new(string)), auditFlags(new(string))} {
		fmt.Fprintf(w, "\nFlags of %s:\n\n", fs.Name())
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// defaultStore is where serve keeps its data unless -store says.
const defaultStore = "sqlite:provision-registry.db"

// openStore opens the store spec names: sqlite:PATH or postgres://….
func openStore(ctx context.Context, spec string) (store.Store, error) {
	switch {
	case strings.HasPrefix(spec, "sqlite:"):
		return sqlite.Open(ctx, strings.TrimPrefix(spec, "sqlite:"))
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		return postgres.Open(ctx, spec)
	}
	return nil, fmt.Errorf("-store %q: want sqlite:PATH or postgres://…", redactDSN(spec))
}

// redactDSN hides a password in a store spec.
func redactDSN(spec string) string {
	if at := strings.LastIndex(spec, "@"); at >= 0 {
		if scheme := strings.Index(spec, "://"); scheme >= 0 && scheme < at {
			return spec[:scheme+3] + "…" + spec[at:]
		}
	}
	return spec
}

type serveOptions struct {
	listen, store, logFormat, keys        string
	maxBody                               int64
	requestTimeout, shutdownTimeout       time.Duration
	allowAnonymousReads, insecureNoAuth   bool
	readHeaderTimeout, readTimeout, write time.Duration
	// i18n is the directory of the translations of the versions' pages
	// and the field index's labels ("" for English only).
	i18n string
}

func serveFlags(o *serveOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("registry serve", flag.ContinueOnError)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8081", "address to listen on (Confluent's port by default)")
	fs.StringVar(&o.store, "store", defaultStore, "where to store: sqlite:PATH or postgres://user@host/db")
	fs.Int64Var(&o.maxBody, "max-body", api.DefaultMaxBodyBytes, "largest request body in bytes; larger ones get 413")
	fs.DurationVar(&o.requestTimeout, "request-timeout", api.DefaultRequestTimeout, "longest a request may work")
	fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 30*time.Second, "how long requests in flight may finish on SIGINT or SIGTERM")
	fs.DurationVar(&o.readHeaderTimeout, "read-header-timeout", 10*time.Second, "http.Server ReadHeaderTimeout")
	fs.DurationVar(&o.readTimeout, "read-timeout", time.Minute, "http.Server ReadTimeout")
	fs.DurationVar(&o.write, "write-timeout", 2*time.Minute, "http.Server WriteTimeout")
	fs.BoolVar(&o.allowAnonymousReads, "allow-anonymous-reads", false, "let requests without an API key read")
	fs.BoolVar(&o.insecureNoAuth, "insecure-no-auth", false, "turn authentication off: anyone who reaches the address may do anything (loopback development only)")
	fs.StringVar(&o.keys, "keys", "", "JSON file of HMAC keys for redaction by schema ID: {\"key_id\": \"base64 key of 32 bytes or more\"}")
	fs.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&o.i18n, "i18n", "", "directory of translations (<language>.json, as i18n/ of the repository): the languages of the versions' pages and of the field index's labels; empty: English only")
	return fs
}

// runRegistryServe runs `provision registry serve`.
func runRegistryServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o serveOptions
	fs := serveFlags(&o)
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, "takes no arguments")
	}
	var h slog.Handler
	switch o.logFormat {
	case "text":
		h = slog.NewTextHandler(stderr, nil)
	case "json":
		h = slog.NewJSONHandler(stderr, nil)
	default:
		return usageError(fs, stderr, fmt.Sprintf("unknown -log-format %q (want text or json)", o.logFormat))
	}
	log := slog.New(h)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal starts a graceful shutdown; once it has, a second
	// one gets the default action and ends the process at once.
	context.AfterFunc(ctx, stop)
	if err := serve(ctx, o, log, nil); err != nil {
		log.Error("registry stopped", "error", err)
		return exitFailed
	}
	return exitOK
}

// serve runs the registry until ctx is done, then shuts down gracefully.
// If ready is not nil, it receives the address listened on.
func serve(ctx context.Context, o serveOptions, log *slog.Logger, ready chan<- string) error {
	st, err := openStore(ctx, o.store)
	if err != nil {
		return fmt.Errorf("open store %s: %w", redactDSN(o.store), err)
	}
	defer st.Close()
	var translations []*docs.Translation
	if o.i18n != "" {
		if translations, err = docs.ReadTranslations(o.i18n); err != nil {
			return fmt.Errorf("-i18n: %w", err)
		}
	}
	var keys provision.KeyProvider
	if o.keys != "" {
		sk, err := api.LoadKeyFile(o.keys)
		if err != nil {
			return fmt.Errorf("-keys %s: %w", o.keys, err)
		}
		keys = sk
	}
	srv, err := api.New(api.Options{Store: st, Logger: log, MaxBodyBytes: o.maxBody, RequestTimeout: o.requestTimeout,
		AllowAnonymousReads: o.allowAnonymousReads, NoAuth: o.insecureNoAuth, Translations: translations, Keys: keys})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: o.readHeaderTimeout,
		ReadTimeout:       o.readTimeout,
		WriteTimeout:      o.write,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("registry listening", "address", ln.Addr().String(), "store", redactDSN(o.store),
		"auth", !o.insecureNoAuth, "anonymous_reads", o.allowAnonymousReads)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("registry shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("registry stopped")
	return nil
}

type pushOptions struct {
	registry, token, catalog, image string
}

func pushFlags(o *pushOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("registry push", flag.ContinueOnError)
	fs.StringVar(&o.registry, "registry", "http://127.0.0.1:8081", "URL of the registry")
	fs.StringVar(&o.token, "token", "", "API key with the write scope (default: $PROVISION_REGISTRY_TOKEN)")
	fs.StringVar(&o.catalog, "catalog", "", "name of the catalog (default: the name of the repository's directory)")
	fs.StringVar(&o.image, "image", "", "push this buf image file instead of building one")
	return fs
}

// runRegistryPush runs `provision registry push`.
func runRegistryPush(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o pushOptions
	fs := pushFlags(&o)
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if o.token == "" {
		o.token = os.Getenv("PROVISION_REGISTRY_TOKEN")
	}
	var image []byte
	var err error
	if o.image != "" {
		if image, err = os.ReadFile(o.image); err != nil {
			err = fmt.Errorf("-image: %w", err)
		}
	} else {
		var root string
		if root, err = layout.FindRoot("."); err == nil {
			if o.catalog == "" {
				o.catalog = baseName(root)
			}
			image, err = bufimage.Build(ctx, root)
		}
	}
	if err != nil {
		return fail(stderr, err)
	}
	if o.catalog == "" {
		return usageError(fs, stderr, "-catalog is required with -image")
	}
	return push(ctx, o, image, stdout, stderr)
}

func baseName(path string) string {
	path = strings.TrimRight(path, "/")
	return path[strings.LastIndex(path, "/")+1:]
}

// push sends the image and prints the outcome: the version, or every
// finding of a refusal.
func push(ctx context.Context, o pushOptions, image []byte, stdout, stderr io.Writer) int {
	target := strings.TrimRight(o.registry, "/") + "/provision/v1/catalogs/" + url.PathEscape(o.catalog) + "/versions"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(image))
	if err != nil {
		return fail(stderr, err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	if o.token != "" {
		req.Header.Set("Authorization", "Bearer "+o.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fail(stderr, fmt.Errorf("push: %w", err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fail(stderr, fmt.Errorf("push: read answer: %w", err))
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Code     int    `json:"error_code"`
			Message  string `json:"message"`
			Findings []struct {
				Rule, Location, Message string
			} `json:"findings"`
		}
		if json.Unmarshal(body, &e) != nil || e.Message == "" {
			return fail(stderr, fmt.Errorf("push: %s: %s", resp.Status, bytes.TrimSpace(body)))
		}
		fmt.Fprintf(stderr, "provision: registry refused catalog %q (%s, error %d):\n", o.catalog, resp.Status, e.Code)
		if len(e.Findings) == 0 {
			fmt.Fprintf(stderr, "  %s\n", e.Message)
		}
		for _, f := range e.Findings {
			fmt.Fprintf(stderr, "  %s: %s: %s\n", f.Location, f.Rule, f.Message)
		}
		return exitFailed
	}
	var v struct {
		Version       int      `json:"version"`
		New           bool     `json:"new"`
		SHA256        string   `json:"sha256"`
		Subjects      []string `json:"subjects"`
		SubjectErrors []struct {
			Subject, Message string
		} `json:"subject_errors"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return fail(stderr, fmt.Errorf("push: answer: %w", err))
	}
	state := "new"
	if !v.New {
		state = "unchanged"
	}
	fmt.Fprintf(stdout, "catalog %s version %d (%s, sha256 %s), %d scenario subjects\n", o.catalog, v.Version, state, v.SHA256, len(v.Subjects))
	for _, e := range v.SubjectErrors {
		fmt.Fprintf(stderr, "provision: subject %s not registered: %s\n", e.Subject, e.Message)
	}
	if len(v.SubjectErrors) > 0 {
		return exitFailed
	}
	return exitOK
}

type tokenOptions struct {
	name, scope, prefix, store string
}

func tokenFlags(o *tokenOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("registry token create", flag.ContinueOnError)
	fs.StringVar(&o.name, "name", "", "name of the key, recorded in the audit log (required)")
	fs.StringVar(&o.scope, "scope", "read", "scope: read, write or admin")
	fs.StringVar(&o.prefix, "prefix", "", "limit the key to subjects and catalogs starting with this")
	storeFlag(fs, &o.store)
	return fs
}

// runTokenCreate runs `provision registry token create`: it stores a new
// key's hash and prints the key, once.
func runTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o tokenOptions
	fs := tokenFlags(&o)
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if o.name == "" {
		return usageError(fs, stderr, "-name is required")
	}
	scope, err := auth.ParseScope(o.scope)
	if err != nil {
		return usageError(fs, stderr, err.Error())
	}
	return withStore(ctx, o.store, stderr, func(st store.Store) error {
		key, err := auth.Create(ctx, st, "provision registry token create", o.name, scope, o.prefix)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, key)
		fmt.Fprintf(stderr, "provision: key %q (%s) created; it is printed once and cannot be shown again\n", o.name, scope)
		return nil
	})
}

// withStore opens the store spec names, runs fn on it and closes it; a
// failure of either is printed, and the exit code says which.
func withStore(ctx context.Context, spec string, stderr io.Writer, fn func(store.Store) error) int {
	st, err := openStore(ctx, spec)
	if err != nil {
		return fail(stderr, err)
	}
	defer st.Close()
	if err := fn(st); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

// storeFlag adds -store to fs.
func storeFlag(fs *flag.FlagSet, spec *string) {
	fs.StringVar(spec, "store", defaultStore, "the registry's store: sqlite:PATH or postgres://…")
}

func auditFlags(storeSpec *string) *flag.FlagSet {
	return storeFlags("registry audit verify", storeSpec)
}

// storeFlags is the flag set of a subcommand whose only flag is -store.
func storeFlags(name string, storeSpec *string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	storeFlag(fs, storeSpec)
	return fs
}

func tokenDeleteFlags(o *tokenOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("registry token delete", flag.ContinueOnError)
	fs.StringVar(&o.name, "name", "", "name of the key to delete (required)")
	storeFlag(fs, &o.store)
	return fs
}

// runTokenList runs `provision registry token list`: each key's name,
// scopes, prefix and creation time; never a key or its hash.
func runTokenList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var spec string
	fs := storeFlags("registry token list", &spec)
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	return withStore(ctx, spec, stderr, func(st store.Store) error {
		keys, err := st.APIKeys(ctx)
		if err != nil {
			return err
		}
		for _, k := range keys {
			scopes := make([]string, len(k.Scopes))
			for i, sc := range k.Scopes {
				scopes[i] = string(sc)
			}
			fmt.Fprintf(stdout, "%s\t%s\tprefix=%q\t%s\n", k.Name, strings.Join(scopes, ","), k.SubjectPrefix, k.Created.UTC().Format(time.RFC3339))
		}
		return nil
	})
}

// runTokenDelete runs `provision registry token delete`: the key stops
// working at once on every instance (they hear of the change).
func runTokenDelete(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o tokenOptions
	fs := tokenDeleteFlags(&o)
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if o.name == "" {
		return usageError(fs, stderr, "-name is required")
	}
	return withStore(ctx, o.store, stderr, func(st store.Store) error {
		if err := st.DeleteAPIKey(ctx, o.name, &store.Audit{Actor: "provision registry token delete"}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "key %q deleted\n", o.name)
		return nil
	})
}

// runAuditVerify runs `provision registry audit verify`.
func runAuditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var spec string
	fs := auditFlags(&spec)
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	return withStore(ctx, spec, stderr, func(st store.Store) error {
		if err := st.VerifyAudit(ctx); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "audit log verified: every record matches its content and the record before it")
		return nil
	})
}
