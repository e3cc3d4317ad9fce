package catalogconformance_test

import (
	"path"
	"testing"

	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/provisionhq/provision/internal/catalogconformance"
)

// TestEveryScenarioLinked checks that link.go links the generated Go of
// every scenario of the catalog, so that the tests that import this
// package for it find every scenario's type.
func TestEveryScenarioLinked(t *testing.T) {
	t.Parallel()
	for _, s := range loadCatalog(t).Scenarios() {
		if _, err := protoregistry.GlobalTypes.FindMessageByName(s.Message.FullName()); err != nil {
			t.Errorf("scenario %s: the Go generated for %s is not linked: import gen/go/%s in internal/catalogconformance/link.go", s.ID, s.Message.FullName(), path.Dir(s.Message.ParentFile().Path()))
		}
	}
}
