package livecheck

import (
	"errors"
	"fmt"
	"strings"

	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// ErrConsent is wrapped by the errors of ParseConsent.
var ErrConsent = errors.New("invalid consent")

// Consents are the consent a capture was made under, by product ID.
type Consents map[string]impl.Consent

// ParseConsent reads the consent a capture was made under: agreement IDs
// separated by commas ("TERMS_OF_SERVICE,USAGE_ANALYTICS"), each granted
// to every product that declares it, or qualified by a product ID to
// grant it to that product only ("acme-notes:TERMS_OF_SERVICE"); NONE
// grants nothing. Each product's consent holds the agreements named for
// it and every one they imply. An ID that no product (or not the product
// named) declares is refused, so that a typo never checks a capture under
// less than was meant; so is an empty spec: a capture is always checked
// under a consent stated.
func ParseConsent(c *model.Catalog, spec string) (Consents, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("%w: empty; name the agreements the capture was made under, or NONE", ErrConsent)
	}
	ids := map[string][]string{}
	for _, word := range strings.Split(spec, ",") {
		word = strings.TrimSpace(word)
		if word == "" || word == impl.AgreementNone {
			continue
		}
		product, id, qualified := strings.Cut(word, ":")
		if !qualified {
			id, product = product, ""
		}
		granted := false
		for _, p := range c.Products {
			if (product == "" || product == p.ID) && p.Declares(id) {
				ids[p.ID] = append(ids[p.ID], id)
				granted = true
			}
		}
		if !granted {
			return nil, fmt.Errorf("%w: %q: %s", ErrConsent, word, declared(c, product))
		}
	}
	out := Consents{}
	for _, p := range c.Products {
		consent, err := p.Agreements.Consent(ids[p.ID]...)
		if err != nil {
			return nil, fmt.Errorf("%w: product %s: %w", ErrConsent, p.ID, err)
		}
		out[p.ID] = consent
	}
	return out, nil
}

// declared says which agreements the catalog declares, of product only
// when it is not empty.
func declared(c *model.Catalog, product string) string {
	var parts []string
	for _, p := range c.Products {
		if product != "" && p.ID != product {
			continue
		}
		parts = append(parts, p.ID+" declares "+strings.Join(p.Agreements.IDs(), ", "))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("no product %q in the catalog", product)
	}
	return "no such agreement; " + strings.Join(parts, "; ")
}

// String lists each product's consent, products by ID:
// "acme-notes: [TERMS_OF_SERVICE]; other: []".
func (cs Consents) String() string {
	var parts []string
	for _, id := range sortedKeys(cs) {
		parts = append(parts, id+": "+cs[id].String())
	}
	return strings.Join(parts, "; ")
}
