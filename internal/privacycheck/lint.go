package privacycheck

import (
	"context"
	"fmt"
	"slices"
	"strings"

	validate "buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/bufplugin/check"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/impl"
	"github.com/provisionhq/provision/internal/model"
)

// modelRule is a check of internal/model offered as a lint rule.
type modelRule struct {
	rule    model.Rule
	purpose string
}

// modelRules are the model's checks, in the order of model.Rule's
// constants. Their findings are the model's diagnostics, at the same
// positions and with the same messages as provision generate prints.
var modelRules = []modelRule{
	{model.RuleFieldUnclassified, "Checks that every field of a payload has a complete classification: label, category, identifiability, agreement and redaction."},
	{model.RuleSpecialCategory, "Checks that no field is special-category personal data (GDPR Art. 9), which is never processed."},
	{model.RuleAgreementUnknown, "Checks that every agreement a field, scenario or product names is one its product declares."},
	{model.RuleAgreementDeclaration, "Checks that agreement declarations are well formed: unique IDs, declared implications without cycles, a legal basis's provenance only with a legal basis, leads with known placeholders."},
	{model.RuleAgreementWeaker, "Checks that no field requires an agreement weaker than its scenario's or its parent field's."},
	{model.RuleRedactionMismatch, "Checks that every redaction strategy fits the type of its field and has sound parameters."},
	{model.RuleExampleInvalid, "Checks that every example value passes its own field's validation rules."},
	{model.RuleScenarioIncomplete, "Checks that every scenario states its trigger, opt-out, source, recipient, purposes, storage, transport and retention."},
	{model.RuleScenarioEmpty, "Checks that every scenario has data items or records where its source lists them."},
	{model.RuleDuplicateID, "Checks that policy, product and scenario IDs are unique and that scenario IDs start with their product's."},
	{model.RuleProductMissing, "Checks that every scenario belongs to a package that declares its product."},
	{model.RulePolicyUnknown, "Checks that every product follows a policy the catalog declares."},
	{model.RulePurposeOutOfScope, "Checks that every purpose is one of its scenario's and serves a goal of the company policy."},
	{model.RulePersonalDataAgreement, "Checks that personal data and content are sent only under the agreements their product allows for them."},
	{model.RuleLocalOnly, "Checks that data of a local-only scenario is never transmitted."},
	{model.RuleHostileText, "Checks that labels and all other customer wording are plain text without markup, link syntax or control characters."},
	{model.RuleOptionsInvalid, "Checks that every provision option passes the vocabulary's own validation rules."},
	{model.RuleExtensionForbidden, "Checks that no extension extends a payload message, since extensions are never sent."},
	{model.RuleRecursiveMessage, "Checks that no payload message contains itself."},
	{model.RuleMapNotAnonymous, "Checks that every map field is classified anonymous, since a map's keys are sent as they are whatever the redaction of its values."},
	{model.RuleProvenanceMissing, "Checks that every statement around the data items (trigger, frequency, purposes, recipient, opt-out, storage, transport, retention, product and policy statements) quotes one of its own sources or is marked as the maintainers' assessment."},
}

// modelRuleHandler reports the model's diagnostics of one rule.
func modelRuleHandler(rule model.Rule) check.RuleHandler {
	return check.RuleHandlerFunc(func(ctx context.Context, w check.ResponseWriter, _ check.Request) error {
		st, err := stateOf(ctx)
		if err != nil {
			return err
		}
		if st.current.err != nil {
			return st.current.err
		}
		for _, d := range st.current.diags {
			if d.Rule != rule {
				continue
			}
			if file, path, ok := st.current.location(d.Pos); ok {
				w.AddAnnotation(at(file, path), withRule(string(rule), d.Message))
			}
		}
		return nil
	})
}

// policyRule is a company-policy check over the checked model. It runs
// only on a catalog the model accepts: until then the model's findings are
// what needs fixing.
type policyRule struct {
	id      string
	purpose string
	// check returns why f breaks the rule under the plugin's options, or
	// "".
	check func(f *model.Field, o ruleOptions) string
}

// The IDs of the policy rules.
const (
	RuleIdentifierNotKept = "IDENTIFIER_NOT_KEPT"
	RuleURLSanitised      = "URL_SANITISED"
	RuleIPTruncated       = "IP_TRUNCATED"
	RuleDebugRedactSet    = "DEBUG_REDACT_SET"
)

var policyRules = []policyRule{
	{RuleIdentifierNotKept, "Checks that pseudonymous or personal identifiers are never sent as they are, except under the agreements the plugin option " + OptionIdentifierInClearUnder + " lists.", identifierKept},
	{RuleURLSanitised, "Checks that every web-address field is sent only sanitised or as a keyed hash.", urlNotSanitised},
	{RuleIPTruncated, "Checks that every IP-address field is sent only truncated to at most /24 (IPv6 /48) or as a keyed hash.", ipNotTruncated},
	{RuleDebugRedactSet, "Checks that every data item that is not anonymous sets the field option debug_redact, which protobuf runtimes that honour it use to hide the value when printing.", debugRedactMissing},
}

// policyRuleHandler reports each field of the catalog that breaks r and
// does not acknowledge r as an exception.
func policyRuleHandler(r policyRule) check.RuleHandler {
	return check.RuleHandlerFunc(func(ctx context.Context, w check.ResponseWriter, req check.Request) error {
		cur, err := currentOf(ctx)
		if cur == nil || err != nil {
			return err
		}
		opts, err := readOptions(req.Options())
		if err != nil {
			return err
		}
		for _, s := range cur.catalog.Scenarios() {
			s.Walk(func(f *model.Field) bool {
				why := r.check(f, opts)
				if why == "" || acknowledges(f.Item.GetAcknowledged(), r.id) {
					return true
				}
				if file, path, ok := cur.location(f.Pos); ok {
					w.AddAnnotation(at(file, path), withRule(r.id, fmt.Sprintf("field %s of scenario %q %s; acknowledge an exception with acknowledged: {rule: %q reason: \"…\"}", f.Path, s.ID, why, r.id)))
				}
				return true
			})
		}
		return nil
	})
}

func acknowledges(acks []*provisionv1.Acknowledgement, rule string) bool {
	return slices.ContainsFunc(acks, func(a *provisionv1.Acknowledgement) bool { return a.GetRule() == rule })
}

// sentUnder lists, for each consent level under which f is sent, the
// redaction it gets there.
func sentUnder(f *model.Field, fn func(c impl.Consent, r *provisionv1.Redaction) string) string {
	for _, c := range f.Scenario.Product.ConsentLevels() {
		if r, ok := f.Under(c); ok {
			if why := fn(c, r); why != "" {
				return why
			}
		}
	}
	return ""
}

// identifierKept applies to identifiers (category identifier) that are
// pseudonymous or personal: outside the agreements the option
// identifier_in_clear_under lists, they must be sent hashed, masked or not
// at all. Items of other categories (licence data a service needs in
// clear) are outside the rule by their category.
func identifierKept(f *model.Field, o ruleOptions) string {
	if f.Category() != provisionv1.Category_CATEGORY_IDENTIFIER {
		return ""
	}
	switch f.Identifiability() {
	case provisionv1.Identifiability_IDENTIFIABILITY_PSEUDONYMOUS, provisionv1.Identifiability_IDENTIFIABILITY_PERSONAL:
	default:
		return ""
	}
	return sentUnder(f, func(c impl.Consent, r *provisionv1.Redaction) string {
		if r.GetKeep() != nil && !slices.ContainsFunc(o.identifierInClearUnder, c.Grants) {
			return fmt.Sprintf("is a %s sent as it is under consent %s", model.EnumLabel(f.Identifiability()), c)
		}
		return ""
	})
}

// isURL reports whether f holds a web address: its validation rules say
// uri or uri_ref, or its name ends in url or uri.
func isURL(f *model.Field) bool {
	if s := stringRules(f); s.GetUri() || s.GetUriRef() {
		return true
	}
	name := strings.ToLower(string(f.Desc.Name()))
	return strings.HasSuffix(name, "url") || strings.HasSuffix(name, "uri") || strings.HasSuffix(name, "urls")
}

func urlNotSanitised(f *model.Field, _ ruleOptions) string {
	if !isURL(f) {
		return ""
	}
	return sentUnder(f, func(c impl.Consent, r *provisionv1.Redaction) string {
		if r.GetUrlSanitize() == nil && r.GetHmac() == nil {
			return fmt.Sprintf("is a web address sent with %s under consent %s, not url_sanitize", model.DescribeRedaction(r), c)
		}
		return ""
	})
}

// isIP reports whether f holds an IP address: its validation rules say ip,
// ipv4 or ipv6 (or a prefix form), or a word of its name is ip.
func isIP(f *model.Field) bool {
	if s := stringRules(f); s.GetIp() || s.GetIpv4() || s.GetIpv6() || s.GetIpWithPrefixlen() || s.GetIpv4WithPrefixlen() || s.GetIpv6WithPrefixlen() {
		return true
	}
	if b := bytesRules(f); b.GetIp() || b.GetIpv4() || b.GetIpv6() {
		return true
	}
	return slices.Contains(strings.Split(strings.ToLower(string(f.Desc.Name())), "_"), "ip")
}

func ipNotTruncated(f *model.Field, _ ruleOptions) string {
	if !isIP(f) {
		return ""
	}
	return sentUnder(f, func(c impl.Consent, r *provisionv1.Redaction) string {
		if r.GetHmac() != nil {
			return ""
		}
		t := r.GetIpTruncate()
		if t == nil {
			return fmt.Sprintf("is an IP address sent with %s under consent %s, not ip_truncate", model.DescribeRedaction(r), c)
		}
		if (t.Ipv4Prefix != nil && t.GetIpv4Prefix() > 24) || (t.Ipv6Prefix != nil && t.GetIpv6Prefix() > 48) {
			return fmt.Sprintf("is an IP address sent with %s under consent %s, which keeps more than /24 (IPv6 /48)", model.DescribeRedaction(r), c)
		}
		return ""
	})
}

func fieldRules(f *model.Field) *validate.FieldRules {
	r, _ := proto.GetExtension(f.Desc.Options(), validate.E_Field).(*validate.FieldRules)
	return r
}

func stringRules(f *model.Field) *validate.StringRules {
	r := fieldRules(f)
	if s := r.GetString(); s != nil {
		return s
	}
	return r.GetRepeated().GetItems().GetString()
}

func bytesRules(f *model.Field) *validate.BytesRules {
	r := fieldRules(f)
	if b := r.GetBytes(); b != nil {
		return b
	}
	return r.GetRepeated().GetItems().GetBytes()
}

// debugRedactMissing applies to every item that is not anonymous: it must
// set protobuf's own field option debug_redact = true. The C++, Java and
// Python runtimes then print "[REDACTED]" for it in debug output, and
// the generated Go formats and logs it as "[redacted]" whatever the
// option (Go protobuf ignores it).
func debugRedactMissing(f *model.Field, _ ruleOptions) string {
	if f.Identifiability() == provisionv1.Identifiability_IDENTIFIABILITY_ANONYMOUS {
		return ""
	}
	if opts, ok := f.Desc.Options().(*descriptorpb.FieldOptions); ok && opts.GetDebugRedact() {
		return ""
	}
	return fmt.Sprintf("is classified as %s but does not set debug_redact = true, so protobuf runtimes that honour the option print its value", model.EnumLabel(f.Identifiability()))
}
