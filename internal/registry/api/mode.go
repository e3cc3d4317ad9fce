package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/provisionhq/provision/internal/registry/store"
)

// modeJSON is a mode as the API reads and writes it.
type modeJSON struct {
	Mode string `json:"mode"`
}

// getMode is GET /mode and GET /mode/{subject}. A subject without its
// own mode is 40409, unless ?defaultToGlobal=true.
func (s *Server) getMode(w http.ResponseWriter, r *http.Request) error {
	subject := r.PathValue("subject")
	if subject == "" || flag(r, "defaultToGlobal") {
		m, err := store.EffectiveMode(r.Context(), s.store, subject)
		if err != nil {
			return err
		}
		return writeJSON(w, modeJSON{string(m)})
	}
	m, err := s.store.Mode(r.Context(), subject)
	if err != nil {
		return err
	}
	return writeJSON(w, modeJSON{string(m)})
}

// putMode is PUT /mode and PUT /mode/{subject}: READWRITE, READONLY or
// IMPORT.
func (s *Server) putMode(w http.ResponseWriter, r *http.Request) error {
	var req modeJSON
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	m := store.Mode(strings.ToUpper(strings.TrimSpace(req.Mode)))
	if !m.Valid() {
		return errorf(http.StatusUnprocessableEntity, codeInvalidMode, "Invalid mode %q: want READWRITE, READONLY or IMPORT", req.Mode)
	}
	if err := s.store.SetMode(r.Context(), r.PathValue("subject"), m, audit(r, string(m))); err != nil {
		return err
	}
	return writeJSON(w, modeJSON{string(m)})
}

// deleteMode is DELETE /mode and DELETE /mode/{subject}: it answers the
// mode removed.
func (s *Server) deleteMode(w http.ResponseWriter, r *http.Request) error {
	subject := r.PathValue("subject")
	m, err := s.store.DeleteMode(r.Context(), subject, audit(r, ""))
	if subject == "" && errors.Is(err, store.ErrModeNotFound) {
		return writeJSON(w, modeJSON{string(store.DefaultMode)})
	}
	if err != nil {
		return err
	}
	return writeJSON(w, modeJSON{string(m)})
}
