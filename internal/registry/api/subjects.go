package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/registry/compat"
	"github.com/provisionhq/provision/internal/registry/protoprint"
	"github.com/provisionhq/provision/internal/registry/store"
)

// referenceJSON is a reference as Confluent's API writes it.
type referenceJSON struct {
	Name    string `json:"name"`
	Subject string `json:"subject"`
	Version int    `json:"version"`
}

// schemaRequest is the body of a registration, a look-up or a
// compatibility check.
type schemaRequest struct {
	Schema     string          `json:"schema"`
	SchemaType string          `json:"schemaType"`
	References []referenceJSON `json:"references"`
	// ID and Version are taken only in IMPORT mode.
	ID      int64 `json:"id"`
	Version int   `json:"version"`
}

// versionJSON is a subject version as Confluent's API writes it.
type versionJSON struct {
	Subject    string          `json:"subject"`
	Version    int             `json:"version"`
	ID         int64           `json:"id"`
	SchemaType string          `json:"schemaType,omitempty"`
	Schema     string          `json:"schema"`
	References []referenceJSON `json:"references,omitempty"`
}

func toVersionJSON(v store.Version) versionJSON {
	return versionJSON{Subject: v.Subject, Version: v.Version, ID: v.Schema.ID,
		SchemaType: string(v.Schema.Type), Schema: v.Schema.Text, References: toRefsJSON(v.Schema.References)}
}

func toRefsJSON(refs []store.Reference) []referenceJSON {
	out := make([]referenceJSON, len(refs))
	for i, r := range refs {
		out[i] = referenceJSON(r)
	}
	return out
}

// schemaOf reads the schema of a request: PROTOBUF only, with its
// references resolved to version numbers ("latest" or -1 becomes the
// subject's latest live version) and, with normalize, its text in
// canonical form (normalize).
func (s *Server) schemaOf(ctx context.Context, subject string, req schemaRequest, normalize bool) (store.Schema, error) {
	typ := req.SchemaType
	if typ == "" {
		typ = string(store.Avro) // Confluent's default
	}
	if !strings.EqualFold(typ, string(store.Protobuf)) {
		return store.Schema{}, invalidSchema("Invalid schema type %q: this registry serves only PROTOBUF schemas", typ)
	}
	if strings.TrimSpace(req.Schema) == "" {
		return store.Schema{}, invalidSchema("Invalid schema: the schema text is empty")
	}
	sch := store.Schema{Type: store.Protobuf, Text: req.Schema}
	for _, ref := range req.References {
		if ref.Name == "" {
			return store.Schema{}, invalidSchema("Invalid schema: a reference has no name")
		}
		if err := validateName("Subject", ref.Subject); err != nil {
			return store.Schema{}, err
		}
		r := store.Reference(ref)
		if r.Version <= 0 {
			v, err := s.store.LatestVersion(ctx, r.Subject, false)
			if errors.Is(err, store.ErrSubjectNotFound) {
				return store.Schema{}, invalidSchema("Invalid schema: reference %q names subject %q, which has no version", r.Name, r.Subject)
			}
			if err != nil {
				return store.Schema{}, fmt.Errorf("resolve reference %q: %w", r.Name, err)
			}
			r.Version = v.Version
		}
		sch.References = append(sch.References, r)
	}
	if err := store.ValidateSchema(sch); err != nil {
		return store.Schema{}, invalidSchema("Invalid schema: %v", err)
	}
	if normalize {
		c, err := s.compileFor(ctx, subject, sch)
		if err != nil {
			return store.Schema{}, err
		}
		if sch.Text, err = protoprint.Print(c.file); err != nil {
			return store.Schema{}, invalidSchema("Invalid schema: %v", err)
		}
	}
	return sch, nil
}

// packageRE finds a file's package without compiling it.
var packageRE = regexp.MustCompile(`(?m)^\s*package\s+([A-Za-z_][A-Za-z0-9_.]*)\s*;`)

// compileFor compiles a schema of subject, with the catalog context of
// its package if it needs it.
func (s *Server) compileFor(ctx context.Context, subject string, sch store.Schema) (*compiled, error) {
	c, _, err := s.compileWithContext(ctx, subject, sch)
	return c, err
}

// compileWithContext compiles a schema of subject on its own, or, if that
// fails, with the catalog context of its package, which provides catalog
// files it may import; it returns the context used, if any.
func (s *Server) compileWithContext(ctx context.Context, subject string, sch store.Schema) (*compiled, *catalogContext, error) {
	name := fileName(subject)
	comp, err := s.compiler.compile(ctx, name, sch, nil)
	if err == nil {
		return comp, nil, nil
	}
	m := packageRE.FindStringSubmatch(sch.Text)
	if m == nil {
		return nil, nil, err
	}
	cat, _ := s.catalogFor(ctx, m[1])
	if cat == nil {
		return nil, nil, err
	}
	comp, err = s.compiler.compile(ctx, name, sch, cat)
	if err != nil {
		return nil, nil, err
	}
	return comp, cat, nil
}

// candidate is a schema being registered or checked, compiled, with its
// catalog context and model when it declares a scenario.
type candidate struct {
	subject string
	schema  store.Schema
	comp    *compiled
	cat     *catalogContext
	model   *model.Catalog
}

// prepare compiles a schema for subject and, when it declares a
// scenario, compiles it with the catalog context of its package and runs
// the model's checks on it.
func (s *Server) prepare(ctx context.Context, subject string, sch store.Schema) (*candidate, error) {
	comp, cat, err := s.compileWithContext(ctx, subject, sch)
	if err != nil {
		return nil, err
	}
	c := &candidate{subject: subject, schema: sch, comp: comp}
	if !comp.scenarios {
		return c, nil
	}
	pkg := comp.file.Package()
	if cat == nil {
		if cat, err = s.catalogFor(ctx, string(pkg)); err != nil {
			return nil, err
		}
	}
	if cat == nil {
		return nil, invalidSchema("Invalid schema for subject %q: it declares a scenario of package %s, and no catalog registered declares that package's product: push the catalog first (provision registry push)", subject, pkg)
	}
	c.cat = cat
	if c.model, err = checkModel(subject, comp, cat); err != nil {
		return nil, err
	}
	return c, nil
}

// verdict is what checking a candidate against previous versions found.
type verdict struct {
	differences  []compat.Difference
	differenceAt []int // the version each difference is with
	privacy      []privacyFinding
	acknowledged []string
}

type privacyFinding struct {
	version int
	err     *apiError
}

// messages lists the verdict's reasons, one a line, as the compatibility
// endpoint returns them.
func (v *verdict) messages() []string {
	var out []string
	for i, d := range v.differences {
		out = append(out, fmt.Sprintf("version %d: %s", v.differenceAt[i], d))
	}
	for _, p := range v.privacy {
		out = append(out, p.err.msg)
	}
	return out
}

// ok reports whether the verdict finds nothing.
func (v *verdict) ok() bool { return len(v.differences) == 0 && len(v.privacy) == 0 }

// asError is the 409 (40901) of a verdict that finds something.
func (v *verdict) asError(subject string) error {
	if v.ok() {
		return nil
	}
	e := &apiError{status: http.StatusConflict, code: codeIncompatible}
	var parts []string
	for i, d := range v.differences {
		parts = append(parts, fmt.Sprintf("{version %d: %s}", v.differenceAt[i], d))
		e.findings = append(e.findings, Finding{Rule: string(d.Rule), Location: d.Path, Message: d.Message})
	}
	for _, p := range v.privacy {
		parts = append(parts, p.err.msg)
		e.findings = append(e.findings, p.err.findings...)
	}
	e.msg = fmt.Sprintf("Schema being registered is incompatible with an earlier schema for subject %q, details: %s", subject, strings.Join(parts, "; "))
	return e
}

// check compares the candidate with each of the versions against, under
// level's direction (compat.Check), and, for a scenario, with the privacy
// breaking rules; a scenario's first version (against is empty) with its
// catalog, which must have the scenario or see it acknowledged
// (SCENARIO_ADDED).
func (s *Server) check(ctx context.Context, c *candidate, level compat.Level, against []store.Version) (*verdict, error) {
	v := &verdict{}
	for _, prev := range against {
		pc, err := s.compiler.stored(ctx, prev, c.cat)
		var ae *apiError
		if errors.As(err, &ae) {
			// Fail closed: what cannot be compared with is not a pass.
			return nil, &apiError{status: http.StatusConflict, code: codeIncompatible,
				msg: fmt.Sprintf("Version %d of subject %q no longer compiles, so nothing can be compared with it: %s", prev.Version, prev.Subject, ae.msg), cause: err}
		}
		if err != nil {
			return nil, fmt.Errorf("check against a previous version: %w", err)
		}
		diffs, err := compat.Check(level, c.comp.file, []protoreflect.FileDescriptor{pc.file})
		if err != nil {
			return nil, fmt.Errorf("check compatibility: %w", err)
		}
		for _, d := range diffs {
			v.differences = append(v.differences, d)
			v.differenceAt = append(v.differenceAt, prev.Version)
		}
		if c.model == nil || !pc.scenarios {
			continue
		}
		pm, err := pc.baselineModel(prev.Subject, c.cat)
		if err != nil {
			e := toAPIError(err)
			v.privacy = append(v.privacy, privacyFinding{prev.Version, &apiError{status: http.StatusConflict, code: codeIncompatible,
				msg:      fmt.Sprintf("version %d of subject %q no longer passes the model with catalog %q version %d, so the privacy rules cannot compare with it: %s", prev.Version, prev.Subject, c.cat.catalog, c.cat.version, e.msg),
				findings: e.findings}})
			continue
		}
		findings, acks := privacyFindings(pm, c.model)
		if len(findings) > 0 {
			v.privacy = append(v.privacy, privacyFinding{prev.Version, privacyError(c.subject, prev.Version, findings)})
		}
		if len(acks) > 0 {
			v.acknowledged = append(v.acknowledged, ackDetail(acks))
		}
	}
	if len(against) == 0 && c.model != nil && c.cat != nil {
		findings, acks, err := newScenarioFindings(c)
		if err != nil {
			return nil, err
		}
		if len(findings) > 0 {
			v.privacy = append(v.privacy, privacyFinding{0, newScenarioError(c.subject, c.cat, findings)})
		}
		if len(acks) > 0 {
			v.acknowledged = append(v.acknowledged, ackDetail(acks))
		}
	}
	return v, nil
}

// compared returns the versions a registration is compared with: the
// latest, or every one when the level is transitive. Under NONE the
// compatibility rules find nothing, but the privacy rules still compare
// with the latest version: a subject's level does not turn them off.
func compared(level compat.Level, previous []store.Version) []store.Version {
	if len(previous) == 0 {
		return nil
	}
	if level.Transitive() {
		return previous
	}
	return previous[len(previous)-1:]
}

// level returns the compatibility level that applies to subject.
func (s *Server) level(ctx context.Context, subject string) (compat.Level, error) {
	cfg, err := store.EffectiveConfig(ctx, s.store, subject)
	if err != nil {
		return 0, fmt.Errorf("read config: %w", err)
	}
	l, err := compat.ParseLevel(string(cfg.Compatibility))
	if err != nil {
		return 0, fmt.Errorf("config of %q: %w", subject, err)
	}
	return l, nil
}

// writable returns a 42205 unless subject's mode takes writes, and the
// mode.
func (s *Server) writable(ctx context.Context, subject string) (store.Mode, error) {
	m, err := store.EffectiveMode(ctx, s.store, subject)
	if err != nil {
		return "", fmt.Errorf("read mode: %w", err)
	}
	if m == store.ReadOnly {
		return m, errorf(http.StatusUnprocessableEntity, codeNotPermitted, "Subject %s is in read-only mode", subject)
	}
	return m, nil
}

// registerSchema is POST /subjects/{subject}/versions.
func (s *Server) registerSchema(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	subject := r.PathValue("subject")
	var req schemaRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	mode, err := s.writable(ctx, subject)
	if err != nil {
		return err
	}
	if (req.ID > 0 || req.Version > 0) && mode != store.Import {
		return errorf(http.StatusUnprocessableEntity, codeNotPermitted, "Subject %s is not in import mode: an ID or version cannot be given", subject)
	}
	sch, err := s.schemaOf(ctx, subject, req, flag(r, "normalize"))
	if err != nil {
		return err
	}
	v, err := s.register(ctx, audit(r, ""), subject, sch, mode, req.ID, req.Version)
	if err != nil {
		return err
	}
	return writeJSON(w, map[string]int64{"id": v.Schema.ID})
}

// register registers sch under subject in mode (IMPORT takes id and
// version and skips the compatibility checks), with every check of a
// registration inside the store's transaction, and the audit a.
func (s *Server) register(ctx context.Context, a *store.Audit, subject string, sch store.Schema, mode store.Mode, id int64, version int) (store.Version, error) {
	if v, err := s.store.LookupSchema(ctx, subject, sch, false); err == nil {
		return v, nil
	}
	c, err := s.prepare(ctx, subject, sch)
	if err != nil {
		return store.Version{}, err
	}
	level, err := s.level(ctx, subject)
	if err != nil {
		return store.Version{}, err
	}
	reg := store.Registration{Subject: subject, Schema: sch, Audit: a}
	if mode == store.Import {
		reg.ID, reg.Version = id, version
	}
	reg.Check = func(previous []store.Version) error {
		if mode == store.Import {
			return nil
		}
		v, err := s.check(ctx, c, level, compared(level, previous))
		if err != nil {
			return err
		}
		if err := v.asError(subject); err != nil {
			return err
		}
		a.Detail = strings.Join(v.acknowledged, "; ")
		return nil
	}
	v, created, err := s.store.RegisterVersion(ctx, reg)
	if err != nil {
		return store.Version{}, err
	}
	if created {
		s.compiler.remember(v, c)
	}
	return v, nil
}

// lookupSchema is POST /subjects/{subject}: the version of the subject
// with that schema.
func (s *Server) lookupSchema(w http.ResponseWriter, r *http.Request) error {
	var req schemaRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	sch, err := s.schemaOf(r.Context(), r.PathValue("subject"), req, flag(r, "normalize"))
	if err != nil {
		return err
	}
	v, err := s.store.LookupSchema(r.Context(), r.PathValue("subject"), sch, flag(r, "deleted"))
	if err != nil {
		return err
	}
	return writeJSON(w, toVersionJSON(v))
}

// listSubjects is GET /subjects.
func (s *Server) listSubjects(w http.ResponseWriter, r *http.Request) error {
	names, err := s.store.Subjects(r.Context(), flag(r, "deleted"))
	if err != nil {
		return err
	}
	if prefix := r.URL.Query().Get("subjectPrefix"); prefix != "" {
		kept := names[:0]
		for _, n := range names {
			if strings.HasPrefix(n, prefix) {
				kept = append(kept, n)
			}
		}
		names = kept
	}
	if p := principal(r).SubjectPrefix; p != "" {
		kept := names[:0]
		for _, n := range names {
			if strings.HasPrefix(n, p) {
				kept = append(kept, n)
			}
		}
		names = kept
	}
	if names == nil {
		names = []string{}
	}
	return writeJSON(w, names)
}

// listVersions is GET /subjects/{subject}/versions.
func (s *Server) listVersions(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.store.Versions(r.Context(), r.PathValue("subject"), flag(r, "deleted"))
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		return fmt.Errorf("subject %q: %w", r.PathValue("subject"), store.ErrSubjectNotFound)
	}
	out := make([]int, len(vs))
	for i, v := range vs {
		out[i] = v.Version
	}
	return writeJSON(w, out)
}

// version returns the version a request's path names.
func (s *Server) version(r *http.Request, deleted bool) (store.Version, error) {
	n, err := parseVersion(r.PathValue("version"))
	if err != nil {
		return store.Version{}, err
	}
	if n == latest {
		return s.store.LatestVersion(r.Context(), r.PathValue("subject"), deleted)
	}
	return s.store.Version(r.Context(), r.PathValue("subject"), n, deleted)
}

// getVersion is GET /subjects/{subject}/versions/{version}.
func (s *Server) getVersion(w http.ResponseWriter, r *http.Request) error {
	v, err := s.version(r, flag(r, "deleted"))
	if err != nil {
		return err
	}
	return writeJSON(w, toVersionJSON(v))
}

// getVersionSchema is GET /subjects/{subject}/versions/{version}/schema:
// the schema's text alone.
func (s *Server) getVersionSchema(w http.ResponseWriter, r *http.Request) error {
	v, err := s.version(r, flag(r, "deleted"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ContentType)
	_, _ = w.Write([]byte(v.Schema.Text))
	return nil
}

// referencedBy is GET /subjects/{subject}/versions/{version}/referencedby.
func (s *Server) referencedBy(w http.ResponseWriter, r *http.Request) error {
	v, err := s.version(r, true)
	if err != nil {
		return err
	}
	ids, err := s.store.ReferencedBy(r.Context(), v.Subject, v.Version)
	if err != nil {
		return err
	}
	if ids == nil {
		ids = []int64{}
	}
	return writeJSON(w, ids)
}

// deleteVersion is DELETE /subjects/{subject}/versions/{version}
// (?permanent=true after a soft delete).
func (s *Server) deleteVersion(w http.ResponseWriter, r *http.Request) error {
	subject := r.PathValue("subject")
	if _, err := s.writable(r.Context(), subject); err != nil {
		return err
	}
	permanent := flag(r, "permanent")
	v, err := s.version(r, permanent)
	if err != nil {
		return err
	}
	d, err := s.store.DeleteVersion(r.Context(), subject, v.Version, permanent, audit(r, ""))
	if err != nil {
		return err
	}
	return writeJSON(w, d.Version)
}

// deleteSubject is DELETE /subjects/{subject} (?permanent=true after a
// soft delete).
func (s *Server) deleteSubject(w http.ResponseWriter, r *http.Request) error {
	subject := r.PathValue("subject")
	if _, err := s.writable(r.Context(), subject); err != nil {
		return err
	}
	vs, err := s.store.DeleteSubject(r.Context(), subject, flag(r, "permanent"), audit(r, ""))
	switch {
	case errors.Is(err, store.ErrAlreadySoftDeleted):
		return &apiError{status: http.StatusNotFound, code: codeSubjectSoftDeleted, msg: fmt.Sprintf("Subject '%s' was soft deleted. Set permanent=true to delete permanently", subject), cause: err}
	case errors.Is(err, store.ErrNotSoftDeleted):
		return &apiError{status: http.StatusNotFound, code: codeSubjectNotSoftDel, msg: fmt.Sprintf("Subject '%s' was not deleted first before being permanently deleted", subject), cause: err}
	case err != nil:
		return err
	}
	if vs == nil {
		vs = []int{}
	}
	return writeJSON(w, vs)
}
