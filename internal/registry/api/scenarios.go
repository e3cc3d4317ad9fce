package api

import (
	"net/http"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/registry/store"
)

// registerScenarios registers each scenario of a pushed catalog version
// under the subject <catalog>.<scenario id>, so that Confluent clients
// find it. (Not yet: the schema text has to be printed from the image.)
func (s *Server) registerScenarios(r *http.Request, v store.CatalogVersion, cat *model.Catalog) ([]string, error) {
	return nil, nil
}
