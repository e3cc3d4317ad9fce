package catalogconformance_test

import (
	"slices"
	"testing"

	"buf.build/go/protovalidate"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

// seedItems lists, per scenario, the labels of the items the seed
// documents give, in their order: the catalog must carry each as a field.
var seedItems = map[string][]string{
	"ksvla.update": {
		"ID of Kaspersky Security",
		"ID of the active license",
		"Unique ID of the Kaspersky Security installation",
		"Unique ID of the update task start",
		"Full version of Kaspersky Security",
	},
	"ksvla.links": {
		"Kaspersky Security application type",
		"Kaspersky Security version",
		"Kaspersky Security interface language",
		"ID of the web page being accessed",
		"Hash of the detected threat",
		"Name of this threat according to the Kaspersky classification",
	},
	"ksvla.activation": {
		"ID of Kaspersky Security",
		"Version of Kaspersky Security",
		"Localization of Kaspersky Security",
		"IDs of compatible applications",
		"SVM ID",
		"Unique ID of the Kaspersky Security installation",
		"Activation code",
		"Time when the application was activated",
		"Type of the operating system",
		"Version of the operating system",
		"Bit rate of the operating system",
		"Name of the virtual environment in which Kaspersky Security is installed",
		"Information about packaging of regularly transmitted confirmations of the license key status",
	},
	"ksvla.license-statistics": {
		"Type of Kaspersky Security",
		"Version of Kaspersky Security",
		"Localization of Kaspersky Security",
		"Type and version of hypervisor, on which the SVM is deployed",
		"Type of hypervisor",
		"Version of hypervisor",
		"Type and version of Keystone microservice API that manages the OpenStack project, within which the SVM is deployed",
		"Type of Keystone microservice API",
		"Version of Keystone microservice API",
		"Operating systems on the protected virtual machines",
		"Type of the operating system on the protected virtual machine",
		"Version of the operating system on the protected virtual machine",
		"Rate of the operating system on the protected virtual machine",
		"Approximate number of virtual machines, on which this operating system is installed",
		"Universal unique identifier of the SVM",
		"License edition",
		"License order number",
		"Licensing scheme type",
		"Number of licensing units for which the key can be used",
		"Number of licensing units for which the key is already in use",
	},
	"ksvla.ksn-standard": {
		"Information necessary for scanning files",
		"Name of the detected threat according to the Kaspersky classification",
		"ID of the detected threat according to the Kaspersky classification",
		"Checksum of the scanned object",
		"Type of hash function",
		"ID of the utilized anti-virus databases",
		"Information necessary for obtaining the reputation of web addresses",
		"The scanned web address",
		"Type of connection protocol",
		"Utilized port number",
		"The web address from which the user was directed to the scanned web address",
		"General information",
		"Type of Kaspersky Security",
		"Full version of Kaspersky Security",
		"Information about the application components",
		"Information about the application module updates",
		"Information about the operating system installed on the SVMs",
		"Information about the operating system installed on the protected virtual machines",
	},
	"ksvla.ksn-extended": {
		"Files (or parts thereof) that could be exploited by hackers to harm the virtual machine or data stored in its operating system",
	},
	"consumer-non-eu.ksn": {
		"Whole files (for example, objects detected through malicious links which might be used by criminals to harm your Computer) and/or their parts",
		"Trusted executable and non-executable files",
		"Application activity reports",
		"Portions of the computer's RAM",
		"The operating system's boot sector",
	},
	"consumer-non-eu.file-examination": {
		"Files (or their parts) that may be exploited by intruders to harm the Computer or data",
	},
	"consumer-non-eu.eula-statistics":       nil,
	"consumer-non-eu.update-identification": nil,
	"consumer-non-eu.license-verification":  nil,
	"consumer-non-eu.interface-data":        nil,
	"kess.ksn":                              nil,
	"kess.activation":                       nil,
	"kess.update":                           nil,
	"kess.links":                            nil,
}

// TestCatalogCarriesEverySeedItem checks that the catalog has exactly the
// seeds' scenarios, each with exactly the seed's items in order, and that
// a scenario without items records where its list is published.
func TestCatalogCarriesEverySeedItem(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	var ids []string
	for _, s := range c.Scenarios() {
		ids = append(ids, s.ID)
		var labels []string
		s.Walk(func(f *model.Field) bool {
			labels = append(labels, f.Label())
			return true
		})
		if diff := cmp.Diff(seedItems[s.ID], labels); diff != "" {
			t.Errorf("scenario %s items (-seed +catalog):\n%s", s.ID, diff)
		}
		if len(labels) == 0 && len(s.Options.GetUnpublished()) == 0 {
			t.Errorf("scenario %s has no items and no unpublished list", s.ID)
		}
	}
	var want []string
	for id := range seedItems {
		want = append(want, id)
	}
	slices.Sort(want)
	slices.Sort(ids)
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("scenarios (-seeds +catalog):\n%s", diff)
	}
}

// TestCatalogFieldsFullyAnnotated checks every data item has a label, a
// category, an identifiability, an agreement and a redaction, and that
// every scalar item has an example.
func TestCatalogFieldsFullyAnnotated(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	for _, s := range c.Scenarios() {
		s.Walk(func(f *model.Field) bool {
			switch {
			case f.Label() == "":
				t.Errorf("%s %s: no label", s.ID, f.Path)
			case f.Category() == provisionv1.Category_CATEGORY_UNSPECIFIED:
				t.Errorf("%s %s: no category", s.ID, f.Path)
			case f.Identifiability() == provisionv1.Identifiability_IDENTIFIABILITY_UNSPECIFIED:
				t.Errorf("%s %s: no identifiability", s.ID, f.Path)
			case f.Requires() == "":
				t.Errorf("%s %s: no agreement", s.ID, f.Path)
			case f.Redaction().GetStrategy() == nil:
				t.Errorf("%s %s: no redaction", s.ID, f.Path)
			case len(f.Purposes) == 0:
				t.Errorf("%s %s: no purpose", s.ID, f.Path)
			case !f.IsMessage() && f.Item.GetExample() == "":
				t.Errorf("%s %s: no example", s.ID, f.Path)
			}
			return true
		})
	}
}

// TestCatalogExamplesValidate builds, for every scenario, the payload made
// of all its examples and validates it whole with protovalidate: each
// example passes its field's rules, and together they pass the message
// rules (required fields, oneofs, CEL across fields).
func TestCatalogExamplesValidate(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	v, err := protovalidate.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Scenarios() {
		if len(s.Fields) == 0 {
			continue
		}
		t.Run(s.ID, func(t *testing.T) {
			t.Parallel()
			msg := dynamicpb.NewMessage(s.Message)
			fillExamples(t, msg, s.Fields)
			if err := v.Validate(msg); err != nil {
				js, _ := protojson.Marshal(msg)
				t.Fatalf("example payload %s: %v", js, err)
			}
		})
	}
}

// fillExamples sets every field to its example; of a oneof only the first
// member is set.
func fillExamples(t *testing.T, msg protoreflect.Message, fields []*model.Field) {
	t.Helper()
	for _, f := range fields {
		if od := f.Desc.ContainingOneof(); od != nil && msg.WhichOneof(od) != nil {
			continue
		}
		if f.IsMessage() {
			child := msg.NewField(f.Desc)
			if f.Desc.IsList() {
				elem := child.List().NewElement()
				fillExamples(t, elem.Message(), f.Children)
				child.List().Append(elem)
			} else {
				fillExamples(t, child.Message(), f.Children)
			}
			msg.Set(f.Desc, child)
			continue
		}
		ex, err := model.ExampleMessage(f.Desc, f.Item.GetExample())
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		msg.Set(f.Desc, ex.Get(f.Desc))
	}
}

// TestSeedAgreements checks the agreements the Light Agent declares, as
// its seeds (001, 004) give them with the maintainers' assessments of what
// implies what: the consent levels are their closures, fewest first.
func TestSeedAgreements(t *testing.T) {
	t.Parallel()
	ksvla, ok := loadCatalog(t).Product("ksvla")
	if !ok {
		t.Fatal("no product ksvla")
	}
	var got []string
	for _, c := range ksvla.ConsentLevels() {
		got = append(got, c.String())
	}
	want := []string{
		"[]",
		"[EULA]",
		"[EULA ACTIVATION_CODE]",
		"[EULA KSN_STANDARD]",
		"[EULA ACTIVATION_CODE KSN_STANDARD]",
		"[EULA KSN_STANDARD KSN_EXTENDED]",
		"[EULA ACTIVATION_CODE KSN_STANDARD KSN_EXTENDED]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ksvla ConsentLevels (-want +got):\n%s", diff)
	}
}

// TestKSNStandardSendsEverySeedItem checks that the KSN Statement's
// standard mode sends every item 004 lists for it, and the licence
// agreement alone none of them.
func TestKSNStandardSendsEverySeedItem(t *testing.T) {
	t.Parallel()
	c := loadCatalog(t)
	s, ok := c.Scenario("ksvla.ksn-standard")
	if !ok {
		t.Fatal("no scenario ksvla.ksn-standard")
	}
	consent := func(as ...string) []string {
		cs, err := s.Product.Agreements.Consent(as...)
		if err != nil {
			t.Fatal(err)
		}
		var labels []string
		for _, sent := range s.Transmitted(cs) {
			labels = append(labels, sent.Field.Label())
		}
		return labels
	}
	if sent := consent("EULA"); len(sent) != 0 {
		t.Errorf("KSN items sent under the EULA alone: %v", sent)
	}
	if diff := cmp.Diff(seedItems[s.ID], consent("KSN_STANDARD")); diff != "" {
		t.Errorf("items sent under KSN standard (-seed +sent):\n%s", diff)
	}
}
