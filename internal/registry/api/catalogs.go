package api

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/privacycheck"
	"github.com/provisionhq/provision/internal/registry/store"
)

// catalogVersionJSON describes a catalog version without its image.
type catalogVersionJSON struct {
	Catalog string    `json:"catalog"`
	Version int       `json:"version"`
	SHA256  string    `json:"sha256"`
	Size    int64     `json:"size"`
	Created time.Time `json:"created"`
	// New is false when the pushed image was the latest version already.
	New bool `json:"new"`
	// Subjects are the subjects the push registered its scenarios under.
	Subjects []string `json:"subjects,omitempty"`
	// SubjectErrors are the scenarios the push could not register.
	SubjectErrors []subjectError `json:"subject_errors,omitempty"`
}

func toCatalogVersionJSON(v store.CatalogVersion) catalogVersionJSON {
	return catalogVersionJSON{Catalog: v.Catalog, Version: v.Version, SHA256: hex.EncodeToString(v.SHA256[:]), Size: v.Size, Created: v.Created}
}

// pushCatalog is POST /provision/v1/catalogs/{name}/versions: the body is
// a buf image (a binary FileDescriptorSet). It is refused with 42201 and
// every finding if the model refuses it, and with 40901 naming each rule,
// field and acknowledgement if the privacy breaking rules find a change
// from the latest version that weakens privacy. Each scenario is then
// registered under the subject <catalog>.<scenario id>.
func (s *Server) pushCatalog(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name := r.PathValue("name")
	if _, err := s.writable(ctx, ""); err != nil {
		return err
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if _, err := model.ParseImage(data); err != nil {
		return invalidSchema("Invalid catalog image: the body is not a buf image (a binary FileDescriptorSet): %v", err)
	}
	cat, err := model.FromImage(data)
	var diags model.Diagnostics
	if errors.As(err, &diags) {
		e := invalidSchema("Invalid catalog %q: the model's checks refuse it: %s", name, joinDiags(diags))
		for _, d := range diags {
			e.findings = append(e.findings, Finding{Rule: string(d.Rule), Location: d.Pos.String(), Message: d.Message})
		}
		return e
	}
	if err != nil {
		return invalidSchema("Invalid catalog %q: %v", name, err)
	}
	a := audit(r, "")
	sum := imageSum(data)
	push := store.CatalogPush{Catalog: name, Image: data, Audit: a, Check: func(latest *store.CatalogVersion) error {
		next := store.CatalogVersion{Catalog: name, Version: 1, SHA256: sum, Size: int64(len(data)), Image: data}
		if latest == nil {
			return s.checkScenarios(ctx, next, cat)
		}
		next.Version = latest.Version + 1
		old, err := s.baselineModel(latest.Image)
		if err != nil {
			return &apiError{status: http.StatusConflict, code: codeIncompatible,
				msg: fmt.Sprintf("Version %d of catalog %q no longer passes the model, so the privacy rules cannot compare with it: %v", latest.Version, name, err), cause: err}
		}
		findings, acks := privacyFindings(old, cat)
		if len(findings) > 0 {
			e := &apiError{status: http.StatusConflict, code: codeIncompatible}
			msgs := make([]string, len(findings))
			for i, c := range findings {
				msgs[i] = fmt.Sprintf("%s: %s", c.Rule, privacycheck.BreakingMessage(c))
				e.findings = append(e.findings, Finding{Rule: c.Rule, Location: c.NewPos.String(), Message: privacycheck.BreakingMessage(c)})
			}
			e.msg = fmt.Sprintf("Catalog %q gives less privacy than its version %d: %s", name, latest.Version, strings.Join(msgs, "; "))
			return e
		}
		a.Detail = ackDetail(acks)
		return s.checkScenarios(ctx, next, cat)
	}}
	v, created, err := s.store.PutCatalogVersion(ctx, push)
	if err != nil {
		return err
	}
	out := toCatalogVersionJSON(v)
	out.New = created
	if out.Subjects, out.SubjectErrors, err = s.registerScenarios(r, v, cat); err != nil {
		return err
	}
	// After the scenarios, so that a failed index leaves only itself to
	// redo: pushing the same image again fills it.
	if err := s.indexFields(ctx, v, cat); err != nil {
		return err
	}
	return writeJSON(w, out)
}

// listCatalogs is GET /provision/v1/catalogs.
func (s *Server) listCatalogs(w http.ResponseWriter, r *http.Request) error {
	names, err := s.store.Catalogs(r.Context())
	if err != nil {
		return err
	}
	if names == nil {
		names = []string{}
	}
	return writeJSON(w, names)
}

// listCatalogVersions is GET /provision/v1/catalogs/{name}/versions.
func (s *Server) listCatalogVersions(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.store.CatalogVersions(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		return fmt.Errorf("catalog %q: %w", r.PathValue("name"), store.ErrCatalogNotFound)
	}
	out := make([]catalogVersionJSON, len(vs))
	for i, v := range vs {
		out[i] = toCatalogVersionJSON(v)
	}
	return writeJSON(w, out)
}

// catalogVersion returns the version of catalog name that s names: a
// number or "latest".
func (s *Server) catalogVersion(r *http.Request, name, v string) (store.CatalogVersion, error) {
	n, err := parseVersion(v)
	if err != nil {
		return store.CatalogVersion{}, err
	}
	if n == latest {
		return s.store.LatestCatalogVersion(r.Context(), name)
	}
	return s.store.CatalogVersion(r.Context(), name, n)
}

// getCatalogVersion is GET /provision/v1/catalogs/{name}/versions/{version}:
// the image itself.
func (s *Server) getCatalogVersion(w http.ResponseWriter, r *http.Request) error {
	v, err := s.catalogVersion(r, r.PathValue("name"), r.PathValue("version"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("X-Provision-Catalog-Version", strconv.Itoa(v.Version))
	w.Header().Set("X-Provision-SHA256", hex.EncodeToString(v.SHA256[:]))
	_, _ = w.Write(v.Image)
	return nil
}

// diffTypes are the content types of the diff formats.
var diffTypes = map[string]string{
	"text":     "text/plain; charset=utf-8",
	"markdown": "text/markdown; charset=utf-8",
	"json":     "application/json",
	"html":     "text/html; charset=utf-8",
}

// catalogDiff is GET /provision/v1/catalogs/{name}/diff?from=&to=&format=:
// internal/diff's report between two versions (by default the one before
// the latest and the latest), in text, markdown, json or html.
func (s *Server) catalogDiff(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = "text"
	}
	if format == "md" {
		format = "markdown"
	}
	ctype, ok := diffTypes[format]
	if !ok {
		return errorf(http.StatusBadRequest, codeBadRequest, "Unknown format %q: want text, markdown, json or html", format)
	}
	pair, err := s.versionPair(r, name, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	report := diff.Report{Old: pair.oldName(), New: pair.newName(), Changes: diff.Compare(pair.oldCat, pair.newCat)}
	var b strings.Builder
	if err := report.Write(&b, format); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	_, _ = io.WriteString(w, b.String())
	return nil
}

// versionPair is two registered versions of a catalog and their models,
// as a diff or changelog compares them.
type versionPair struct {
	catalog        string
	from, to       store.CatalogVersion
	oldCat, newCat *model.Catalog
}

func (p versionPair) oldName() string { return fmt.Sprintf("%s version %d", p.catalog, p.from.Version) }
func (p versionPair) newName() string { return fmt.Sprintf("%s version %d", p.catalog, p.to.Version) }

// versionPair loads versions fromName and toName of catalog name (to:
// "latest" when empty; from: the version before to when empty) and
// builds both as baselines: each passed the model when it was pushed.
func (s *Server) versionPair(r *http.Request, name, fromName, toName string) (versionPair, error) {
	p := versionPair{catalog: name}
	var err error
	if p.to, err = s.catalogVersion(r, name, orDefault(toName, "latest")); err != nil {
		return p, err
	}
	if fromName == "" {
		if p.to.Version < 2 {
			return p, errorf(http.StatusUnprocessableEntity, codeInvalidVersion, "Catalog %q has one version: give from= and to=", name)
		}
		fromName = strconv.Itoa(p.to.Version - 1)
	}
	if p.from, err = s.catalogVersion(r, name, fromName); err != nil {
		return p, err
	}
	if p.oldCat, err = s.baselineModel(p.from.Image); err != nil {
		return p, fmt.Errorf("catalog %q version %d: %w", name, p.from.Version, err)
	}
	if p.newCat, err = s.baselineModel(p.to.Image); err != nil {
		return p, fmt.Errorf("catalog %q version %d: %w", name, p.to.Version, err)
	}
	return p, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
