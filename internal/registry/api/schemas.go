package api

import (
	"net/http"
	"strings"

	"github.com/provisionhq/provision/internal/registry/store"
)

// schemaJSON is a schema by ID as Confluent's API writes it.
type schemaJSON struct {
	SchemaType string          `json:"schemaType,omitempty"`
	Schema     string          `json:"schema"`
	References []referenceJSON `json:"references,omitempty"`
}

// subjectVersionJSON names a subject version.
type subjectVersionJSON struct {
	Subject string `json:"subject"`
	Version int    `json:"version"`
}

// schemaTypes is GET /schemas/types: only PROTOBUF is served.
func (s *Server) schemaTypes(w http.ResponseWriter, _ *http.Request) error {
	return writeJSON(w, []string{"PROTOBUF"})
}

// schemaByID is GET /schemas/ids/{id} (?subject= is accepted; IDs are
// global).
func (s *Server) schemaByID(w http.ResponseWriter, r *http.Request) error {
	sch, err := s.schemaOfPath(r)
	if err != nil {
		return err
	}
	return writeJSON(w, schemaJSON{SchemaType: string(sch.Type), Schema: sch.Text, References: toRefsJSON(sch.References)})
}

// schemaTextByID is GET /schemas/ids/{id}/schema: the text alone.
func (s *Server) schemaTextByID(w http.ResponseWriter, r *http.Request) error {
	sch, err := s.schemaOfPath(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ContentType)
	_, _ = w.Write([]byte(sch.Text))
	return nil
}

// subjectVersions returns the subject versions with schema id.
func (s *Server) subjectVersions(r *http.Request) ([]subjectVersionJSON, error) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	svs, err := s.store.SubjectVersionsByID(r.Context(), id, flag(r, "deleted"))
	if err != nil {
		return nil, err
	}
	if len(svs) == 0 {
		if _, err := s.store.SchemaByID(r.Context(), id); err != nil {
			return nil, err
		}
	}
	out := make([]subjectVersionJSON, 0, len(svs))
	prefix := principal(r).SubjectPrefix
	for _, sv := range svs {
		if !strings.HasPrefix(sv.Subject, prefix) {
			continue // a key limited to a prefix sees only its subjects
		}
		out = append(out, subjectVersionJSON{Subject: sv.Subject, Version: sv.Version})
	}
	return out, nil
}

// subjectsByID is GET /schemas/ids/{id}/subjects.
func (s *Server) subjectsByID(w http.ResponseWriter, r *http.Request) error {
	svs, err := s.subjectVersions(r)
	if err != nil {
		return err
	}
	out := []string{}
	seen := map[string]bool{}
	for _, sv := range svs {
		if !seen[sv.Subject] {
			seen[sv.Subject] = true
			out = append(out, sv.Subject)
		}
	}
	return writeJSON(w, out)
}

// versionsByID is GET /schemas/ids/{id}/versions.
func (s *Server) versionsByID(w http.ResponseWriter, r *http.Request) error {
	svs, err := s.subjectVersions(r)
	if err != nil {
		return err
	}
	return writeJSON(w, svs)
}

// schemaOfPath returns the schema whose ID the request's {id} names.
func (s *Server) schemaOfPath(r *http.Request) (store.Schema, error) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		return store.Schema{}, err
	}
	return s.store.SchemaByID(r.Context(), id)
}
