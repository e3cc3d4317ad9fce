package api

import (
	"crypto/sha256"

	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/registry/store/cache"
)

// maxCachedModels bounds how many catalog models the server keeps for
// display and comparison: a few hundred kilobytes each.
const maxCachedModels = 64

// newModelCache returns the cache of baselineModel.
func newModelCache() *cache.Map[[sha256.Size]byte, *model.Catalog] {
	return cache.New[[sha256.Size]byte, *model.Catalog](maxCachedModels)
}

// baselineModel returns the model of a stored catalog image, read as a
// baseline (model.AsBaseline: to be shown or compared, not accepted). It is
// cached by the SHA-256 of the image, so an entry can never be stale; a
// model is not changed once built, so callers share it.
func (s *Server) baselineModel(image []byte) (*model.Catalog, error) {
	key := sha256.Sum256(image)
	if c, ok := s.models.Get(key); ok {
		return c, nil
	}
	gen := s.models.Generation()
	c, err := model.FromImage(image, model.AsBaseline())
	if err != nil {
		return nil, err
	}
	s.models.Put(gen, key, c)
	return c, nil
}
