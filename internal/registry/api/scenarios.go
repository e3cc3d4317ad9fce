package api

import (
	"fmt"
	"net/http"

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
