package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/registry/protoprint"
	"github.com/provisionhq/provision/internal/registry/store"
)

// subjectError is a scenario subject a catalog push could not register.
type subjectError struct {
	Subject string `json:"subject"`
	Code    int    `json:"error_code"`
	Message string `json:"message"`
}

// registerScenarios registers the file of each scenario of a pushed
// catalog version, printed as source (internal/registry/protoprint),
// under the subject <catalog>.<scenario id>, so that Confluent clients
// find it. Each goes through a registration's checks; one that fails is
// reported, the others go on.
func (s *Server) registerScenarios(r *http.Request, v store.CatalogVersion, cat *model.Catalog) ([]string, []subjectError, error) {
	var subjects []string
	var failed []subjectError
	for _, p := range cat.Products {
		for _, sc := range p.Scenarios {
			subject := v.Catalog + "." + sc.ID
			text, err := protoprint.Print(sc.Message.ParentFile())
			if err != nil {
				return nil, nil, fmt.Errorf("scenario %q: %w", sc.ID, err)
			}
			mode, err := s.writable(r.Context(), subject)
			if err == nil {
				_, err = s.register(r.Context(), audit(r, ""), subject, store.Schema{Type: store.Protobuf, Text: text}, mode, 0, 0)
			}
			if err != nil {
				e := toAPIError(err)
				if e.status >= 500 {
					return nil, nil, err
				}
				failed = append(failed, subjectError{Subject: subject, Code: e.code, Message: e.msg})
				continue
			}
			subjects = append(subjects, subject)
		}
	}
	return subjects, failed, nil
}

// checkScenarios runs, before a catalog version is stored, the checks
// registering its scenarios will run: each scenario's file, printed,
// compiled with the pushed image as its catalog context, against the live
// versions of its subject <catalog>.<scenario id>. A scenario that would
// be refused refuses the push (40901, or 42205 for a subject that takes
// no writes), so a push never stores a catalog whose subjects cannot
// follow.
func (s *Server) checkScenarios(ctx context.Context, v store.CatalogVersion, cat *model.Catalog) error {
	cc, err := s.contexts.of(v)
	if err != nil {
		return err
	}
	var refused []string
	var findings []Finding
	for _, p := range cat.Products {
		for _, sc := range p.Scenarios {
			subject := v.Catalog + "." + sc.ID
			if _, err := s.writable(ctx, subject); err != nil {
				refused = append(refused, fmt.Sprintf("%s: %s", subject, toAPIError(err).msg))
				continue
			}
			text, err := protoprint.Print(sc.Message.ParentFile())
			if err != nil {
				return fmt.Errorf("scenario %q: %w", sc.ID, err)
			}
			sch := store.Schema{Type: store.Protobuf, Text: text}
			if _, err := s.store.LookupSchema(ctx, subject, sch, false); err == nil {
				continue // registered already
			}
			comp, err := s.compiler.compile(ctx, fileName(subject), sch, cc)
			if err != nil {
				return fmt.Errorf("scenario %q: %w", sc.ID, err)
			}
			c := &candidate{subject: subject, schema: sch, comp: comp, cat: cc}
			if c.model, err = checkModel(subject, comp, cc); err != nil {
				return err
			}
			level, err := s.level(ctx, subject)
			if err != nil {
				return err
			}
			previous, err := s.store.Versions(ctx, subject, false)
			if err != nil && !errors.Is(err, store.ErrSubjectNotFound) {
				return err
			}
			verdict, err := s.check(ctx, c, level, compared(level, previous))
			if err != nil {
				return err
			}
			if e := verdict.asError(subject); e != nil {
				ae := toAPIError(e)
				refused = append(refused, ae.msg)
				findings = append(findings, ae.findings...)
			}
		}
	}
	if len(refused) == 0 {
		return nil
	}
	return &apiError{status: http.StatusConflict, code: codeIncompatible, findings: findings,
		msg: fmt.Sprintf("Catalog %q cannot be pushed: the subjects of its scenarios would refuse them: %s", v.Catalog, strings.Join(refused, "; "))}
}
