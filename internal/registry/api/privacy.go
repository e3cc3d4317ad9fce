package api

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/privacycheck"
	"github.com/provisionhq/provision/internal/registry/store"
)

// Finding is one reason the model or the privacy rules refuse a schema,
// as the error body lists them beside the message.
type Finding struct {
	// Rule is the rule's ID (FIELD_UNCLASSIFIED, REDACTION_WEAKENED, or a
	// compatibility rule).
	Rule string `json:"rule"`
	// Location is file:line:col, or the element's full name.
	Location string `json:"location,omitempty"`
	// Message says what is wrong and, for a privacy finding, the
	// acknowledgement that would allow it.
	Message string `json:"message"`
}

// String formats the finding on one line.
func (f Finding) String() string {
	if f.Location == "" {
		return fmt.Sprintf("%s: %s", f.Rule, f.Message)
	}
	return fmt.Sprintf("%s: %s: %s", f.Rule, f.Location, f.Message)
}

// catalogContext is what a scenario's schema is compiled and checked
// with: the files of the latest version of a catalog, except its scenario
// files, so the product and policy the scenario's package names are there.
type catalogContext struct {
	catalog string
	version int
	sum     [32]byte
	// byPath holds the catalog's files, scenario files left out.
	byPath map[string]*descriptorpb.FileDescriptorProto
	// products are the packages whose product the catalog declares.
	products map[string]bool
	// baseline is the model of the whole catalog version, built when
	// first asked for: what a subject's first version of a scenario is
	// compared with.
	baseline func() (*model.Catalog, error)
}

// contexts caches catalog contexts by image SHA-256.
type contexts struct {
	mu sync.Mutex
	m  map[[32]byte]*catalogContext
}

// of returns the context of the catalog version v.
func (c *contexts) of(v store.CatalogVersion) (*catalogContext, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if got, ok := c.m[v.SHA256]; ok {
		return got, nil
	}
	set, err := model.ParseImage(v.Image)
	if err != nil {
		return nil, fmt.Errorf("catalog %q version %d: %w", v.Catalog, v.Version, err)
	}
	image := v.Image
	cc := &catalogContext{catalog: v.Catalog, version: v.Version, sum: v.SHA256,
		byPath: map[string]*descriptorpb.FileDescriptorProto{}, products: map[string]bool{},
		baseline: sync.OnceValues(func() (*model.Catalog, error) { return model.FromImage(image, model.AsBaseline()) })}
	for _, f := range set.GetFile() {
		if declaresScenario(f.GetMessageType()) {
			continue
		}
		cc.byPath[f.GetName()] = f
		if declaresProduct(f) {
			cc.products[f.GetPackage()] = true
		}
	}
	if c.m == nil || len(c.m) > 64 {
		c.m = map[[32]byte]*catalogContext{}
	}
	c.m[v.SHA256] = cc
	return cc, nil
}

// catalogFor returns the context of the latest catalog version that
// declares the product of package pkg, the newest such catalog if
// several do, or nil if none does.
func (s *Server) catalogFor(ctx context.Context, pkg string) (*catalogContext, error) {
	names, err := s.store.Catalogs(ctx)
	if err != nil {
		return nil, fmt.Errorf("list catalogs: %w", err)
	}
	var best *catalogContext
	var bestVersion store.CatalogVersion
	for _, name := range names {
		v, err := s.store.LatestCatalogVersion(ctx, name)
		if errors.Is(err, store.ErrCatalogNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("catalog %q: %w", name, err)
		}
		cc, err := s.contexts.of(v)
		if err != nil {
			return nil, err
		}
		if cc.products[pkg] && (best == nil || v.Created.After(bestVersion.Created)) {
			best, bestVersion = cc, v
		}
	}
	return best, nil
}

// withContext returns the set of the compiled schema with the catalog
// context's files it lacks.
func withContext(c *compiled, cat *catalogContext) *descriptorpb.FileDescriptorSet {
	set := &descriptorpb.FileDescriptorSet{File: append([]*descriptorpb.FileDescriptorProto(nil), c.set.GetFile()...)}
	have := map[string]bool{}
	for _, f := range set.File {
		have[f.GetName()] = true
	}
	if cat != nil {
		for path, f := range cat.byPath {
			if !have[path] {
				set.File = append(set.File, f)
			}
		}
	}
	return set
}

// checkModel runs the model's checks on a scenario schema with its
// catalog context: a schema they refuse is a 422 (42201) listing every
// finding with its rule and location.
func checkModel(subject string, c *compiled, cat *catalogContext, opts ...model.Option) (*model.Catalog, error) {
	m, err := model.FromFileDescriptorSet(withContext(c, cat), opts...)
	var diags model.Diagnostics
	if errors.As(err, &diags) {
		e := invalidSchema("Invalid schema for subject %q: the model's checks refuse it: %s", subject, joinDiags(diags))
		for _, d := range diags {
			e.findings = append(e.findings, Finding{Rule: string(d.Rule), Location: d.Pos.String(), Message: d.Message})
		}
		return nil, e
	}
	if err != nil {
		return nil, invalidSchema("Invalid schema for subject %q: %v", subject, err)
	}
	return m, nil
}

func joinDiags(ds model.Diagnostics) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.Error()
	}
	return strings.Join(parts, "; ")
}

// privacyFindings compares the scenario schema cand with a previous
// version's and returns the changes the breaking rules report, and the
// ones an acknowledgement or a review allows.
func privacyFindings(prev, cand *model.Catalog) (findings, acknowledged []diff.Change) {
	for _, c := range diff.Compare(prev, cand) {
		switch {
		case c.Finding():
			findings = append(findings, c)
		case c.Rule != "" && (c.Acknowledged != "" || c.Reviewed != ""):
			acknowledged = append(acknowledged, c)
		}
	}
	return findings, acknowledged
}

// addsScenario reports whether c is a new scenario's finding: its
// SCENARIO_ADDED, or its acknowledgement with no review.
func addsScenario(c diff.Change) bool {
	return c.Rule == diff.RuleScenarioAdded || c.Rule == diff.RuleAcknowledgementUnreviewed && c.New == diff.RuleScenarioAdded
}

// newScenarioFindings compares a subject's first version of a scenario
// with the catalog version it is compiled with: a scenario that catalog
// does not have is a new one, a finding of SCENARIO_ADDED unless it is
// acknowledged, as it is when a catalog that adds it is pushed. Other
// changes from the catalog's version of the scenario are left to the
// push of the catalog. It returns the findings and the acknowledged
// changes.
func newScenarioFindings(c *candidate) (findings, acknowledged []diff.Change, err error) {
	base, err := c.cat.baseline()
	if err != nil {
		return nil, nil, &apiError{status: http.StatusConflict, code: codeIncompatible, cause: err,
			msg: fmt.Sprintf("Catalog %q version %d no longer passes the model, so the privacy rules cannot compare with it: %v", c.cat.catalog, c.cat.version, err)}
	}
	all, acks := privacyFindings(base, c.model)
	for _, ch := range all {
		if addsScenario(ch) {
			findings = append(findings, ch)
		}
	}
	for _, ch := range acks {
		if ch.Rule == diff.RuleScenarioAdded {
			acknowledged = append(acknowledged, ch)
		}
	}
	return findings, acknowledged, nil
}

// newScenarioError is the 409 (40901) of a subject's first version that
// adds a scenario its catalog does not have, without acknowledging it.
func newScenarioError(subject string, cat *catalogContext, changes []diff.Change) *apiError {
	e := &apiError{status: http.StatusConflict, code: codeIncompatible}
	msgs := make([]string, len(changes))
	for i, c := range changes {
		msgs[i] = fmt.Sprintf("%s: %s", c.Rule, privacycheck.BreakingMessage(c))
		e.findings = append(e.findings, Finding{Rule: c.Rule, Location: c.NewPos.String(), Message: privacycheck.BreakingMessage(c)})
	}
	e.msg = fmt.Sprintf("Schema being registered for subject %q declares a scenario that catalog %q version %d does not have: %s", subject, cat.catalog, cat.version, strings.Join(msgs, "; "))
	return e
}

// privacyError is the 409 (40901) of a change the privacy rules refuse:
// its message names each rule, field and the acknowledgement that would
// allow it.
func privacyError(subject string, version int, changes []diff.Change) *apiError {
	e := &apiError{status: http.StatusConflict, code: codeIncompatible}
	msgs := make([]string, len(changes))
	for i, c := range changes {
		msgs[i] = fmt.Sprintf("%s: %s", c.Rule, privacycheck.BreakingMessage(c))
		e.findings = append(e.findings, Finding{Rule: c.Rule, Location: c.NewPos.String(), Message: privacycheck.BreakingMessage(c)})
	}
	e.msg = fmt.Sprintf("Schema being registered gives less privacy than version %d of subject %q: %s", version, subject, strings.Join(msgs, "; "))
	return e
}

// ackDetail words acknowledged and reviewed changes for the audit log.
func ackDetail(changes []diff.Change) string {
	parts := make([]string, len(changes))
	for i, c := range changes {
		where := c.Scenario
		switch {
		case where == "":
			where = "product " + c.Product
		case c.Field != "":
			where += "." + c.Field
		}
		switch {
		case c.Acknowledged == "":
			parts[i] = fmt.Sprintf("reviewed %s on %s: %s", c.Rule, where, c.Reviewed)
		case c.Reviewed != "":
			parts[i] = fmt.Sprintf("acknowledged %s on %s: %s (reviewed: %s)", c.Rule, where, c.Acknowledged, c.Reviewed)
		default:
			parts[i] = fmt.Sprintf("acknowledged %s on %s: %s", c.Rule, where, c.Acknowledged)
		}
	}
	return strings.Join(parts, "; ")
}

// imageSum returns the SHA-256 of an image.
func imageSum(b []byte) [32]byte { return sha256.Sum256(b) }
