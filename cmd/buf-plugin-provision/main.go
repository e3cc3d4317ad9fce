// Command buf-plugin-provision is the buf check plugin of the catalog: the
// privacy rules of buf lint (the model's checks and the company-policy
// rules) and of buf breaking (changes that give less privacy). buf.yaml
// runs it with `go run ./cmd/buf-plugin-provision`; the rules are in
// internal/privacycheck.
package main

import (
	"buf.build/go/bufplugin/check"

	"github.com/provisionhq/provision/internal/privacycheck"
)

func main() {
	check.Main(privacycheck.Spec())
}
