package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/provisionhq/provision/internal/registry/store"
)

// compatibilityJSON is the answer of a compatibility check.
type compatibilityJSON struct {
	IsCompatible bool     `json:"is_compatible"`
	Messages     []string `json:"messages,omitempty"`
}

// checkCompatibility is POST /compatibility/subjects/{subject}/versions/{version}
// and, against every version, POST /compatibility/subjects/{subject}/versions.
// It runs what a registration runs: the compatibility level's direction,
// and for a scenario the model's checks and the privacy rules. A schema
// the model refuses is 42201, as at registration. ?verbose=true lists
// every reason.
func (s *Server) checkCompatibility(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	subject := r.PathValue("subject")
	var req schemaRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	sch, err := s.schemaOf(ctx, subject, req, flag(r, "normalize"))
	if err != nil {
		return err
	}
	var against []store.Version
	if r.PathValue("version") == "" {
		if against, err = s.store.Versions(ctx, subject, false); err != nil {
			return err
		}
		if len(against) == 0 {
			return fmt.Errorf("subject %q: %w", subject, store.ErrSubjectNotFound)
		}
	} else {
		v, err := s.version(r, false)
		if errors.Is(err, store.ErrSubjectNotFound) && r.PathValue("version") == "latest" {
			return writeJSON(w, compatibilityJSON{IsCompatible: true})
		}
		if err != nil {
			return err
		}
		against = []store.Version{v}
	}
	c, err := s.prepare(ctx, subject, sch)
	if err != nil {
		return err
	}
	level, err := s.level(ctx, subject)
	if err != nil {
		return err
	}
	v, err := s.check(ctx, c, level, against)
	if err != nil {
		return err
	}
	out := compatibilityJSON{IsCompatible: v.ok()}
	if flag(r, "verbose") {
		out.Messages = v.messages()
		if out.Messages == nil {
			out.Messages = []string{}
		}
	}
	return writeJSON(w, out)
}
