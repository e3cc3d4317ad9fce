// Package model turns protobuf descriptors of the catalog into one typed
// model — policies, products, scenarios, data items — that every generator
// reads. Building it checks the catalog: a field without classification,
// special-category data, an unknown agreement, a redaction that does not fit
// its field, an example its field's own rules reject, an incomplete
// scenario, each reported with its file:line:col. A catalog with any such
// finding yields no model at all: generators never see a half-checked
// catalog.
package model

import (
	"google.golang.org/protobuf/reflect/protoreflect"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
)

// Catalog is the whole checked catalog.
type Catalog struct {
	// Policies are the company policies, by declaration order of files.
	Policies []*Policy
	// Products are the products, sorted by ID.
	Products []*Product
}

// Policy is a company-wide data-processing policy.
type Policy struct {
	ID      string
	Options *provisionv1.Policy
	File    string
	Pos     Position
	// StoragePos is where each of the policy's storage countries is
	// written, in the order of Options.Handling.StorageCountries.
	StoragePos []Position
	file       protoreflect.FileDescriptor
}

// Product is one product: its manifest and its scenarios.
type Product struct {
	ID      string
	Name    string
	Package protoreflect.FullName
	Options *provisionv1.Product
	Policy  *Policy
	// Agreements are the agreements the product declares, closed under
	// their implications; never nil (empty when the declarations are
	// invalid, which is a finding).
	Agreements *impl.Agreements
	// Scenarios are sorted by ID.
	Scenarios []*Scenario
	File      string
	Pos       Position
	file      protoreflect.FileDescriptor
}

// Scenario is one situation in which a payload is sent (or, for
// AGREEMENT_NONE, kept locally).
type Scenario struct {
	ID      string
	Product *Product
	Message protoreflect.MessageDescriptor
	Options *provisionv1.Scenario
	// Agreement is the ID of the agreement under which the scenario
	// happens, one its product declares or NONE.
	Agreement string
	// Purposes are the IDs of the scenario's purposes, declared by its
	// product's policy.
	Purposes []string
	// Handling is the scenario's storage, transport and retention with the
	// policy's defaults filled in.
	Handling *provisionv1.Handling
	// StoragePos is where each of Handling.StorageCountries is written, in
	// its order: in the scenario's own handling, or in its policy's when
	// it takes the policy's (InheritsStorage).
	StoragePos []Position
	// Fields are the payload's top-level data items in declaration order.
	Fields []*Field
	// Comment is the message's leading comment.
	Comment string
	Pos     Position
}

// Field is one data item: a field of a payload message, with its resolved
// annotation.
type Field struct {
	Desc protoreflect.FieldDescriptor
	// Path is the dotted proto name path from the scenario message
	// ("web_reputation.scanned_url").
	Path string
	// Parent is the enclosing data item, nil at the top level.
	Parent *Field
	// Scenario is the scenario whose payload holds the item.
	Scenario *Scenario
	// Item is the field's annotation as written.
	Item *provisionv1.DataItem
	// Purposes are the item's purposes, or its scenario's when it names
	// none.
	Purposes []string
	// Comment is the field's leading comment: the precise meaning where the
	// label keeps the source's wording.
	Comment string
	// Children are the data items of a message-typed field.
	Children []*Field
	Pos      Position
}

// Label is the sentence a customer reads.
func (f *Field) Label() string { return f.Item.GetLabel() }

// Requires is the ID of the agreement that allows sending the item.
func (f *Field) Requires() string { return f.Item.GetRequires() }

// Category is what the item is about.
func (f *Field) Category() provisionv1.Category { return f.Item.GetCategory() }

// Identifiability is how closely the item can be tied to a person.
func (f *Field) Identifiability() provisionv1.Identifiability { return f.Item.GetIdentifiability() }

// Redaction is the strategy applied whenever the item may be sent, before
// RedactionUnder overrides.
func (f *Field) Redaction() *provisionv1.Redaction { return f.Item.GetRedaction() }

// IsMessage reports whether the item is a message whose own fields are
// data items.
func (f *Field) IsMessage() bool { return len(f.Children) > 0 }

// Walk calls fn for every field of the scenario, depth first, parents
// before children, in declaration order. It stops early when fn returns
// false.
func (s *Scenario) Walk(fn func(*Field) bool) {
	var walk func([]*Field) bool
	walk = func(fs []*Field) bool {
		for _, f := range fs {
			if !fn(f) || !walk(f.Children) {
				return false
			}
		}
		return true
	}
	walk(s.Fields)
}

// InheritsStorage reports whether the scenario takes its storage
// countries from its policy rather than stating its own.
func (s *Scenario) InheritsStorage() bool { return !StatesStorage(s.Options.GetHandling()) }

// StorageCountryPos returns where the scenario's storage country code is
// written (see StoragePos), or the scenario's own position when the
// source does not record it.
func (s *Scenario) StorageCountryPos(code string) Position {
	for i, c := range s.Handling.GetStorageCountries() {
		if c == code && i < len(s.StoragePos) && s.StoragePos[i].Line != 0 {
			return s.StoragePos[i]
		}
	}
	return s.Pos
}

// Scenarios returns every scenario of every product, products by ID, then
// scenarios by ID.
func (c *Catalog) Scenarios() []*Scenario {
	var out []*Scenario
	for _, p := range c.Products {
		out = append(out, p.Scenarios...)
	}
	return out
}

// Product finds a product by ID.
func (c *Catalog) Product(id string) (*Product, bool) {
	for _, p := range c.Products {
		if p.ID == id {
			return p, true
		}
	}
	return nil, false
}

// Scenario finds a scenario by ID.
func (c *Catalog) Scenario(id string) (*Scenario, bool) {
	for _, s := range c.Scenarios() {
		if s.ID == id {
			return s, true
		}
	}
	return nil, false
}
