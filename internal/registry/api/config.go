package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/provisionhq/provision/internal/registry/store"
)

// configJSON is a configuration as GET answers it.
type configJSON struct {
	CompatibilityLevel string `json:"compatibilityLevel"`
}

// deletedConfigJSON is the configuration DELETE removed, under both names
// clients read (Confluent's compatibilityLevel, franz-go's compatibility).
type deletedConfigJSON struct {
	CompatibilityLevel string `json:"compatibilityLevel"`
	Compatibility      string `json:"compatibility"`
}

// configRequest is the body of PUT /config: Confluent's clients send
// "compatibility".
type configRequest struct {
	Compatibility string `json:"compatibility"`
}

// getConfig is GET /config and GET /config/{subject}. A subject without
// its own configuration is 40408, unless ?defaultToGlobal=true; the
// global configuration falls back to BACKWARD.
func (s *Server) getConfig(w http.ResponseWriter, r *http.Request) error {
	subject := r.PathValue("subject")
	if subject == "" || flag(r, "defaultToGlobal") {
		c, err := store.EffectiveConfig(r.Context(), s.store, subject)
		if err != nil {
			return err
		}
		return writeJSON(w, configJSON{string(c.Compatibility)})
	}
	c, err := s.store.Config(r.Context(), subject)
	if err != nil {
		return err
	}
	return writeJSON(w, configJSON{string(c.Compatibility)})
}

// putConfig is PUT /config and PUT /config/{subject}.
func (s *Server) putConfig(w http.ResponseWriter, r *http.Request) error {
	var req configRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	c := store.Config{Compatibility: store.Compatibility(strings.ToUpper(strings.TrimSpace(req.Compatibility)))}
	if !c.Compatibility.Valid() {
		return errorf(http.StatusUnprocessableEntity, codeInvalidCompat,
			"Invalid compatibility level %q: want NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE, optionally with the suffix %s (removed numbers must be reserved)", req.Compatibility, store.ReservedSuffix)
	}
	if err := s.store.SetConfig(r.Context(), r.PathValue("subject"), c, audit(r, string(c.Compatibility))); err != nil {
		return err
	}
	return writeJSON(w, configRequest{string(c.Compatibility)})
}

// deleteConfig is DELETE /config and DELETE /config/{subject}: it
// answers the configuration removed (the default, if none was set
// globally).
func (s *Server) deleteConfig(w http.ResponseWriter, r *http.Request) error {
	subject := r.PathValue("subject")
	c, err := s.store.DeleteConfig(r.Context(), subject, audit(r, ""))
	if subject == "" && errors.Is(err, store.ErrConfigNotFound) {
		c.Compatibility = store.DefaultCompatibility
	} else if err != nil {
		return err
	}
	return writeJSON(w, deletedConfigJSON{string(c.Compatibility), string(c.Compatibility)})
}
