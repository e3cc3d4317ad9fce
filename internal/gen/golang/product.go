package golang

import (
	"fmt"
	"strconv"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"

	"github.com/provisionhq/provision/internal/model"
)

// productIdents are the Go names a product file's generated code declares
// in its package.
var productIdents = []string{"Agreement", "Agreements", "NewConsent", "agreements"}

// agreementConst is the Go constant of agreement id: "CLOUD_EXTENDED" gives
// AgreementCloudExtended.
func agreementConst(id string) string {
	var b strings.Builder
	b.WriteString("Agreement")
	for word := range strings.SplitSeq(strings.ToLower(id), "_") {
		if word != "" {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
}

// genProduct writes into g, the generated file of the product's .proto,
// the product's agreements as typed constants, registered with the
// runtime, and NewConsent. The constants are positions in declaration
// order, so gating in the generated code is one bit test.
func genProduct(g *protogen.GeneratedFile, p *protogen.Plugin, f *protogen.File, prod *model.Product) error {
	if err := checkProductIdents(p, f); err != nil {
		return err
	}
	decls := prod.Options.GetAgreements()
	consts := map[string]string{}
	for _, d := range decls {
		c := agreementConst(d.GetId())
		if other, dup := consts[c]; dup {
			return fmt.Errorf("%s: agreements %q and %q would both be the Go constant %s: rename one", f.Desc.Path(), other, d.GetId(), c)
		}
		consts[c] = d.GetId()
	}
	product := strconv.Quote(prod.ID)
	g.P("// Agreement is an agreement product ", product, " declares: its position")
	g.P("// among the product's agreements. Make a consent with NewConsent.")
	g.P("type Agreement int")
	g.P()
	g.P("// The agreements product ", product, " declares.")
	g.P("const (")
	for i, d := range decls {
		g.P("// ", agreementConst(d.GetId()), " is ", strconv.Quote(d.GetTitle()), ".")
		g.P(agreementConst(d.GetId()), " Agreement = ", i)
	}
	g.P(")")
	g.P()
	g.P("// agreements are the product's agreements, registered with the runtime")
	g.P("// so that provision.AgreementsOf returns this same set.")
	g.P("var agreements = ", provisionimplPkg.Ident("RegisterAgreements"), "(", provisionimplPkg.Ident("MustAgreements"), "(", strconv.Quote(string(prod.Package)), ",")
	for _, d := range decls {
		implies := ""
		if len(d.GetImplies()) > 0 {
			q := make([]string, len(d.GetImplies()))
			for i, id := range d.GetImplies() {
				q[i] = strconv.Quote(id)
			}
			implies = ", Implies: []string{" + strings.Join(q, ", ") + "}"
		}
		g.P(provisionimplPkg.Ident("AgreementDecl"), "{ID: ", strconv.Quote(d.GetId()), implies, "},")
	}
	g.P("))")
	g.P()
	g.P("// Agreements returns the agreements product ", product, " declares, with")
	g.P("// their implications: what consents of this package are made from.")
	g.P("func Agreements() *", provisionPkg.Ident("Agreements"), " { return agreements }")
	g.P()
	g.P("// NewConsent returns the consent that holds the given agreements and")
	g.P("// every agreement they imply. A value that is not one of the constants")
	g.P("// is refused with provision.ErrInvalidAgreement.")
	g.P("func NewConsent(as ...Agreement) (", provisionPkg.Ident("Consent"), ", error) {")
	g.P("idx := make([]int, len(as))")
	g.P("for i, a := range as {")
	g.P("idx[i] = int(a)")
	g.P("}")
	g.P("return ", provisionimplPkg.Ident("ConsentOf"), "(agreements, idx...)")
	g.P("}")
	g.P()
	g.P("// String returns the agreement's ID, as the catalog declares it.")
	g.P("func (a Agreement) String() string {")
	g.P("if id := agreements.ID(int(a)); id != \"\" {")
	g.P("return id")
	g.P("}")
	g.P("return ", fmtPkg.Ident("Sprintf"), `("Agreement(%d)", int(a))`)
	g.P("}")
	g.P()
	return nil
}

// checkProductIdents refuses a package that already declares one of the
// names the product's generated code needs.
func checkProductIdents(p *protogen.Plugin, f *protogen.File) error {
	taken := map[string]string{}
	for _, other := range p.Files {
		if other.GoImportPath != f.GoImportPath {
			continue
		}
		for _, m := range other.Messages {
			taken[m.GoIdent.GoName] = other.Desc.Path()
		}
		for _, e := range other.Enums {
			taken[e.GoIdent.GoName] = other.Desc.Path()
		}
	}
	for _, id := range productIdents {
		if file, ok := taken[id]; ok {
			return fmt.Errorf("%s: declares %s, a name the product's generated code needs in Go package %s: rename it", file, id, f.GoImportPath)
		}
	}
	return nil
}
