package conformance_test

import (
	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

type (
	provisionAgreement = provisionv1.Agreement
	redactionT         = provisionv1.Redaction
)

func underRedactions(f *model.Field) []*redactionT {
	var out []*redactionT
	for _, u := range f.Item.GetRedactionUnder() {
		out = append(out, u.GetRedaction())
	}
	return out
}
