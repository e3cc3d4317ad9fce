// Package api serves the registry over HTTP: the Confluent Schema Registry
// REST API for PROTOBUF schemas, so that Confluent's serializers and tools
// work unchanged, and provision's own resources under /provision/v1
// (catalog versions, their diff, the audit log).
//
// Every registration is compiled with protocompile together with its
// references, the vocabulary and buf/validate, and checked at the
// subject's compatibility level (internal/registry/compat). A schema that
// declares a scenario is also compiled with the product and policy files
// of the latest catalog version registered, checked by the model
// (internal/model), and compared with the previous version, or every
// previous version under a transitive level, by the privacy breaking rules
// (internal/privacycheck, internal/diff), all inside the store's write
// transaction.
//
// One file per resource family; handlers are methods on Server; routes
// are declared in routes; errors are *apiError values mapped to
// Confluent's codes in toAPIError and written only by writeError.
package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/provisionhq/provision"
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
	"github.com/provisionhq/provision/internal/registry/store/cache"
)

// ContentType is the content type of Confluent's API.
const ContentType = "application/vnd.schemaregistry.v1+json"

// DefaultMaxBodyBytes is the largest request body taken by default.
const DefaultMaxBodyBytes = 8 << 20

// DefaultRequestTimeout bounds a request's work by default.
const DefaultRequestTimeout = 30 * time.Second

// Options configure a Server.
type Options struct {
	// Store is where the registry keeps everything. Required.
	Store store.Store
	// Logger receives one line per request (never a payload or a
	// credential); nil discards.
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies (DefaultMaxBodyBytes if 0);
	// larger ones get 413.
	MaxBodyBytes int64
	// RequestTimeout bounds each request (DefaultRequestTimeout if 0).
	RequestTimeout time.Duration
	// Translations are the languages of i18n/ (docs.ReadTranslations):
	// the field index keeps each field's label in each of them.
	Translations []*docs.Translation
	// AllowAnonymousReads lets requests without credentials read.
	AllowAnonymousReads bool
	// NoAuth turns authentication off: every request may do everything,
	// as "local". For a registry on loopback only.
	NoAuth bool
	// Keys provides the HMAC keys redaction by schema ID uses (see
	// LoadKeyFile); nil holds none, and a redaction needing one fails.
	Keys provision.KeyProvider
	// PageCacheSize bounds how many generated sets of pages (one per
	// image and kind) are kept (DefaultPageCacheSize if 0).
	PageCacheSize int
}

// Server is the registry's HTTP handler.
type Server struct {
	store    store.Store
	log      *slog.Logger
	maxBody  int64
	timeout  time.Duration
	auth     *auth.Authenticator
	mux      *http.ServeMux
	compiler *compiler
	contexts *contexts
	// translations give the field index its labels, and the versions'
	// pages (pages.go) their languages.
	translations []*docs.Translation
	pages        *pageCache
	// models caches the catalog models the UI and the diffs read
	// (baselineModel).
	models  *cache.Map[[sha256.Size]byte, *model.Catalog]
	keys    provision.KeyProvider
	dynamic dynamicSchemas
	// stop ends what New started (the watches of key and catalog changes).
	stop context.CancelFunc
}

// New returns a Server on o.Store. It caches API keys until the store
// reports a change to any (Store.Changes); Close stops that.
func New(o Options) (*Server, error) {
	if o.Store == nil {
		return nil, errors.New("api: no store")
	}
	s := &Server{
		store:    o.Store,
		log:      o.Logger,
		maxBody:  o.MaxBodyBytes,
		timeout:  o.RequestTimeout,
		auth:     &auth.Authenticator{Keys: o.Store, AllowAnonymousReads: o.AllowAnonymousReads, Disabled: o.NoAuth},
		mux:      http.NewServeMux(),
		compiler: &compiler{store: o.Store},
		contexts: &contexts{},

		translations: o.Translations,
		keys:         o.Keys,
		pages:        newPageCache(o.PageCacheSize),
		models:       newModelCache(),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if s.timeout <= 0 {
		s.timeout = DefaultRequestTimeout
	}
	ctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.dynamic.watch(ctx, o.Store.Changes(ctx))
	if !o.NoAuth {
		s.auth.Watch(ctx, o.Store.Changes(ctx))
	}
	s.routes()
	return s, nil
}

// Close stops what New started. It does not close the store.
func (s *Server) Close() { s.stop() }

// handlerFunc is a handler that returns its error for writeError.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// access says what a route needs: an operation on the resource its path
// names (the subject, or the catalog), or on the registry.
type access struct {
	op   auth.Op
	kind string // "Subject", "Catalog", "Registry"; "" for no authentication
	// param is the path wildcard naming the resource ("" for none).
	param string
}

var (
	public       = access{}
	readRegistry = access{op: auth.Read, kind: "Registry"}
	readSubject  = access{op: auth.Read, kind: "Subject", param: "subject"}
	writeSubject = access{op: auth.Write, kind: "Subject", param: "subject"}
	adminAll     = access{op: auth.Admin, kind: "Registry"}
	readCatalog  = access{op: auth.Read, kind: "Catalog", param: "name"}
	writeCatalog = access{op: auth.Write, kind: "Catalog", param: "name"}
)

// routes declares every route, in one place.
func (s *Server) routes() {
	s.handle("GET /{$}", public, s.root)
	s.handle("GET /healthz", public, s.healthz)
	s.handle("GET /readyz", public, s.readyz)

	s.handle("GET /subjects", readRegistry, s.listSubjects)
	s.handle("POST /subjects/{subject}", readSubject, s.lookupSchema)
	s.handle("DELETE /subjects/{subject}", writeSubject, s.deleteSubject)
	s.handle("GET /subjects/{subject}/versions", readSubject, s.listVersions)
	s.handle("POST /subjects/{subject}/versions", writeSubject, s.registerSchema)
	s.handle("GET /subjects/{subject}/versions/{version}", readSubject, s.getVersion)
	s.handle("GET /subjects/{subject}/versions/{version}/schema", readSubject, s.getVersionSchema)
	s.handle("GET /subjects/{subject}/versions/{version}/referencedby", readSubject, s.referencedBy)
	s.handle("DELETE /subjects/{subject}/versions/{version}", writeSubject, s.deleteVersion)

	s.handle("GET /schemas/types", readRegistry, s.schemaTypes)
	s.handle("GET /schemas/ids/{id}", readRegistry, s.schemaByID)
	s.handle("GET /schemas/ids/{id}/schema", readRegistry, s.schemaTextByID)
	s.handle("GET /schemas/ids/{id}/subjects", readRegistry, s.subjectsByID)
	s.handle("GET /schemas/ids/{id}/versions", readRegistry, s.versionsByID)

	s.handle("POST /compatibility/subjects/{subject}/versions/{version}", readSubject, s.checkCompatibility)
	s.handle("POST /compatibility/subjects/{subject}/versions", readSubject, s.checkCompatibility)

	s.handle("GET /config", readRegistry, s.getConfig)
	s.handle("PUT /config", adminAll, s.putConfig)
	s.handle("DELETE /config", adminAll, s.deleteConfig)
	s.handle("GET /config/{subject}", readSubject, s.getConfig)
	s.handle("PUT /config/{subject}", writeSubject, s.putConfig)
	s.handle("DELETE /config/{subject}", writeSubject, s.deleteConfig)

	s.handle("GET /mode", readRegistry, s.getMode)
	s.handle("PUT /mode", adminAll, s.putMode)
	s.handle("DELETE /mode", adminAll, s.deleteMode)
	s.handle("GET /mode/{subject}", readSubject, s.getMode)
	s.handle("PUT /mode/{subject}", adminAll, s.putMode)
	s.handle("DELETE /mode/{subject}", adminAll, s.deleteMode)

	s.handle("GET /provision/v1/catalogs", readRegistry, s.listCatalogs)
	s.handle("POST /provision/v1/catalogs/{name}/versions", writeCatalog, s.pushCatalog)
	s.handle("GET /provision/v1/catalogs/{name}/versions", readCatalog, s.listCatalogVersions)
	s.handle("GET /provision/v1/catalogs/{name}/versions/{version}", readCatalog, s.getCatalogVersion)
	s.handle("GET /provision/v1/catalogs/{name}/diff", readCatalog, s.catalogDiff)
	s.handle("GET /provision/v1/catalogs/{name}/versions/{version}/docs/{path...}", readCatalog, s.versionDocs)
	s.handle("GET /provision/v1/catalogs/{name}/versions/{version}/jsonschema/{path...}", readCatalog, s.versionSchemas)
	s.handle("GET /provision/v1/catalogs/{name}/changelog/{product}", readCatalog, s.productChangelog)

	s.handle("GET /provision/v1/audit", adminAll, s.auditLog)
	s.handle("GET /provision/v1/fields", readRegistry, s.searchFields)
	s.handle("GET /provision/v1/fields/{field}/history", readRegistry, s.fieldHistory)
	s.dynamicRoutes()

	s.handle("GET /ui", public, redirectTo("/ui/"))
	s.handleUI("GET /ui/{$}", readRegistry, s.uiHome)
	s.handleUI("GET /ui/catalogs/{name}", readCatalog, s.uiCatalog)
	s.handleUI("GET /ui/catalogs/{name}/versions/{version}", readCatalog, s.uiVersion)
	s.handleUI("GET /ui/catalogs/{name}/diff", readCatalog, s.uiDiff)
	s.handleUI("GET /ui/audit", adminAll, s.uiAudit)
	s.handleUI("GET /ui/search", readRegistry, s.uiSearchFields)
	s.handleUI("GET /ui/fields/{field}", readRegistry, s.uiField)
	s.handleUI("GET /ui/fields/{field}/history", readRegistry, s.uiFieldHistory)
}

type principalKey struct{}

// principal returns the principal of the request (set by handle).
func principal(r *http.Request) auth.Principal {
	p, _ := r.Context().Value(principalKey{}).(auth.Principal)
	return p
}

// audit returns the audit of a write by the request's principal.
func audit(r *http.Request, detail string) *store.Audit {
	return &store.Audit{Actor: principal(r).Name, Detail: detail}
}

// handle registers fn at pattern behind the authentication and
// validation a says.
func (s *Server) handle(pattern string, a access, fn handlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := s.authorize(r, a); err != nil {
			s.writeError(w, r, err)
			return
		}
		if err := fn(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// authorize authenticates the request, checks what a needs and validates
// the resource name, and stores the principal in the request's context.
func (s *Server) authorize(r *http.Request, a access) error {
	var resource string
	if a.param != "" {
		resource = r.PathValue(a.param)
		if err := validateName(a.kind, resource); err != nil {
			return err
		}
	}
	if a.kind == "" {
		return nil
	}
	p, err := s.auth.Authenticate(r)
	if err != nil {
		return err
	}
	if err := p.Allow(a.op, a.kind, resource); err != nil {
		return err
	}
	*r = *r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
	return nil
}

// validateName refuses a subject or catalog name that is empty, too long,
// not UTF-8, or has control characters or a "." or ".." path segment.
func validateName(kind, name string) error {
	code := codeInvalidSubject
	what := strings.ToLower(kind)
	if err := store.ValidateName(what, name); err != nil {
		return &apiError{status: http.StatusUnprocessableEntity, code: code, msg: fmt.Sprintf("Invalid %s name: %v", what, strings.TrimSuffix(err.Error(), ": "+store.ErrInvalid.Error())), cause: err}
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == "." || seg == ".." {
			return errorf(http.StatusUnprocessableEntity, code, "Invalid %s name %q: it has a %q path segment", what, name, seg)
		}
	}
	return nil
}

// statusWriter records the status a handler writes.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

type requestIDKey struct{}

// requestID returns the request's ID.
func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}

// ServeHTTP serves the registry: it gives each request an ID (the
// X-Request-ID it came with, if sane), a deadline and a size limit on its
// body, routes it, and logs one line without payload or credentials.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := r.Header.Get("X-Request-ID")
	if !saneID(id) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	ctx, cancel := context.WithTimeout(context.WithValue(r.Context(), requestIDKey{}, id), s.timeout)
	defer cancel()
	r = r.WithContext(ctx)
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	w.Header().Set("X-Request-ID", id)
	sw := &statusWriter{ResponseWriter: w}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		s.writeError(sw, r, errorf(http.StatusNotFound, codeNotFound, "HTTP 404 Not Found: no route for %s %s", r.Method, r.URL.EscapedPath()))
	} else {
		s.mux.ServeHTTP(sw, r)
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "request",
		slog.String("request_id", id),
		slog.String("method", r.Method),
		slog.String("route", r.Pattern),
		slog.String("path", r.URL.EscapedPath()),
		slog.Int("status", sw.status),
		slog.String("principal", principal(r).Name),
		slog.Duration("duration", time.Since(start)))
}

// saneID reports whether a client's request ID may be used and logged.
func saneID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c == '-' || c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// writeJSON writes v with status 200 and Confluent's content type.
func writeJSON(w http.ResponseWriter, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", ContentType)
	_, _ = w.Write(append(data, '\n'))
	return nil
}

// errorBody is Confluent's error body, with provision's findings.
type errorBody struct {
	Code     int       `json:"error_code"`
	Message  string    `json:"message"`
	Findings []Finding `json:"findings,omitempty"`
}

// writeError writes err as Confluent's error body: the only place that
// writes one. A server error is logged with its cause.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := toAPIError(err)
	if e.status >= 500 {
		s.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("request_id", requestID(r)), slog.String("error", err.Error()))
	}
	data, _ := json.Marshal(errorBody{Code: e.code, Message: e.msg, Findings: e.findings})
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", basicChallenge)
	}
	w.Header().Set("Content-Type", ContentType)
	w.WriteHeader(e.status)
	_, _ = w.Write(append(data, '\n'))
}

// decodeJSON decodes the request's body into v: 413 over the limit, 400
// for anything that is not one JSON value.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return &apiError{status: http.StatusBadRequest, code: codeBadRequest, msg: fmt.Sprintf("Invalid JSON body: %v", err), cause: err}
	}
	if dec.More() {
		return errorf(http.StatusBadRequest, codeBadRequest, "Invalid JSON body: more than one value")
	}
	return nil
}

// latest is the version number parseVersion returns for "latest" or -1.
const latest = -1

// parseVersion reads a version path value: 1 to 2^31-1, or "latest" or
// -1 (returned as latest); anything else is 42202.
func parseVersion(s string) (int, error) {
	if s == "latest" || s == "-1" {
		return latest, nil
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 1 {
		return 0, errorf(http.StatusUnprocessableEntity, codeInvalidVersion,
			"The specified version '%s' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"", s)
	}
	return int(n), nil
}

// parseID reads a schema ID path value.
func parseID(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 1 {
		return 0, errorf(http.StatusNotFound, codeSchemaNotFound, "Schema %q not found: IDs are between 1 and 2^31-1", s)
	}
	return n, nil
}

// flag reads a boolean query parameter.
func flag(r *http.Request, name string) bool {
	v, _ := strconv.ParseBool(r.URL.Query().Get(name))
	return v
}

// root answers GET / as Confluent does: an empty object.
func (s *Server) root(w http.ResponseWriter, _ *http.Request) error {
	return writeJSON(w, struct{}{})
}

// healthz answers while the process serves.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) error {
	return writeJSON(w, map[string]string{"status": "ok"})
}

// readyz answers when the store answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if _, err := store.EffectiveMode(r.Context(), s.store, ""); err != nil {
		return &apiError{status: http.StatusServiceUnavailable, code: codeStoreUnavailable, msg: "store unavailable", cause: err}
	}
	return writeJSON(w, map[string]string{"status": "ready"})
}
