package impl

import (
	"fmt"
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
)

var agreementsByPackage sync.Map // protoreflect.FullName → *Agreements

// RegisterAgreements makes a the agreements AgreementsOf returns for its
// package, and returns it. Generated code registers its product's
// agreements when its package is initialised, so that consents made with
// the generated constants and consents made by ID through AgreementsOf are
// the same values. A second registration for one package keeps the first
// and returns it.
func RegisterAgreements(a *Agreements) *Agreements {
	got, _ := agreementsByPackage.LoadOrStore(a.Package(), a)
	return got.(*Agreements)
}

// MustAgreements is NewAgreements for declarations known to be valid, as
// generated code's are (the generator refuses invalid ones); it panics on
// an error.
func MustAgreements(pkg protoreflect.FullName, decls ...AgreementDecl) *Agreements {
	a, err := NewAgreements(pkg, decls...)
	if err != nil {
		panic(Prefixed(err).Error())
	}
	return a
}

// AgreementsOf returns the agreements declared by the product of protobuf
// package pkg: those its generated code registered or, for a package known
// only by its descriptors, those its product file declares in
// protoregistry.GlobalFiles (read once, then cached).
func AgreementsOf(pkg protoreflect.FullName) (*Agreements, error) {
	if a, ok := agreementsByPackage.Load(pkg); ok {
		return a.(*Agreements), nil
	}
	a, err := AgreementsIn(protoregistry.GlobalFiles, pkg)
	if err != nil {
		return nil, err
	}
	return RegisterAgreements(a), nil
}

// AgreementsIn reads the agreements declared by the product of package pkg
// from files: the (provision.v1.product) option of the one file of the
// package that has it. It fails, wrapping ErrInvalidAgreement, when the
// package has no product file or several, or its declarations are invalid.
func AgreementsIn(files *protoregistry.Files, pkg protoreflect.FullName) (*Agreements, error) {
	var product *provisionv1.Product
	var found []string
	files.RangeFilesByPackage(pkg, func(fd protoreflect.FileDescriptor) bool {
		if p, ok := proto.GetExtension(fd.Options(), provisionv1.E_Product).(*provisionv1.Product); ok && p != nil {
			product = p
			found = append(found, fd.Path())
		}
		return true
	})
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("package %s has no file with a (provision.v1.product) option: %w", pkg, ErrInvalidAgreement)
	case 1:
	default:
		return nil, fmt.Errorf("package %s has %d product files (%v), want one: %w", pkg, len(found), found, ErrInvalidAgreement)
	}
	return NewAgreements(pkg, AgreementDecls(product.GetAgreements())...)
}
