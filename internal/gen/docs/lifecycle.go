package docs

import (
	"fmt"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"strings"
	"time"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
)

// lifecycleFacts words a scenario's lifecycle for its page: when it
// expires, who owns it, the reviews it had and its flags, each expiry and
// flag with where it comes from (an assessment shown as the maintainers').
func lifecycleFacts(l *localizer, s *model.Scenario) []fact {
	key := "scenario." + s.ID
	srcs := scenarioSources(s)
	var fs []fact
	if e := s.Expires(); e != nil {
		fs = append(fs, fact{l.T("phrase.expires", "Expires"), l.sourced(srcs, key+".expires_basis", expiryValue(l, e), e.GetBasis())})
	}
	if os := s.Owners(); len(os) > 0 {
		fs = append(fs, fact{l.T("phrase.owners", "Owners"), owners(os)})
	}
	for i, r := range s.Reviews() {
		fs = append(fs, fact{l.T("phrase.review", "Review"), review(l, s, i, r)})
	}
	if fl := s.Flags(); fl != nil {
		fs = append(fs, fact{l.T("phrase.flags", "Flags"), l.sourced(srcs, key+".flags_basis", flagsValue(l, key+".flags", fl), fl.GetBasis())})
	}
	return append(fs, itemLifecycleFacts(l, s, srcs)...)
}

// itemLifecycleFacts words what items state of their own lifecycle: an
// earlier expiry, a deprecation (and the field that continues a renamed
// item), flags of their own.
func itemLifecycleFacts(l *localizer, s *model.Scenario, srcs []*provisionv1.Source) []fact {
	var fs []fact
	s.Walk(func(f *model.Field) bool {
		key := "field." + string(f.Desc.FullName())
		item := func(value string) string {
			return l.F("phrase.item-value", "{item}: {value}", "item", label(l, f), "value", value)
		}
		if e := f.Item.GetExpires(); e != nil {
			fs = append(fs, fact{l.T("phrase.item-expires", "Item expires"), item(l.sourced(srcs, key+".expires_basis", expiryValue(l, e), e.GetBasis()))})
		}
		if d := f.Deprecated(); d != nil {
			value := l.T(key+".deprecated", d.GetReason())
			if d.ContinuedBy != nil {
				if next := f.Desc.ContainingMessage().Fields().ByNumber(protoreflect.FieldNumber(d.GetContinuedBy())); next != nil {
					value = l.F("phrase.continued-by", "{reason} Continued by: {item}.", "reason", value, "item", l.T("field."+string(next.FullName()), labelOf(next)))
				}
			}
			fs = append(fs, fact{l.T("phrase.item-deprecated", "Deprecated item"), item(value)})
		}
		if fl := f.Item.GetFlags(); fl != nil {
			fs = append(fs, fact{l.T("phrase.item-flags", "Item flags"), item(l.sourced(srcs, key+".flags_basis", flagsValue(l, key+".flags", fl), fl.GetBasis()))})
		}
		return true
	})
	return fs
}

// labelOf is the label field fd's annotation gives; its name when it has
// none.
func labelOf(fd protoreflect.FieldDescriptor) string {
	if item, ok := proto.GetExtension(fd.Options(), provisionv1.E_Field).(*provisionv1.DataItem); ok && item.GetLabel() != "" {
		return item.GetLabel()
	}
	return string(fd.Name())
}

// expiryValue words an expiry: a date, a product version or never.
func expiryValue(l *localizer, e *provisionv1.Expiry) string {
	switch {
	case e.GetDate() != "":
		if _, ok := model.ExpiryDate(e); ok {
			return date(l, e.GetDate())
		}
		return e.GetDate()
	case e.GetProductVersion() != "":
		return l.F("phrase.expires-version", "with product version {version}", "version", e.GetProductVersion())
	}
	return l.T("phrase.expires-never", "never")
}

// owners lists a scenario's owners with how to reach each. Names are
// proper names: they are not translated.
func owners(cs []*provisionv1.Contact) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		reach := c.GetEmail()
		if reach == "" {
			reach = c.GetUrl()
		}
		out[i] = c.GetName()
		if reach != "" {
			out[i] += " (" + reach + ")"
		}
	}
	return strings.Join(out, "; ")
}

// review words one review: its date, who reviewed, what it checked
// against (a source's citation when it names one of the scenario's
// sources) and its scope.
func review(l *localizer, s *model.Scenario, i int, r *provisionv1.Review) string {
	ref := r.GetReference()
	for _, src := range scenarioSources(s) {
		if src.GetRef() != "" && src.GetRef() == ref {
			ref = citation(l, src)
			break
		}
	}
	when := r.GetDate()
	if _, err := time.Parse(time.DateOnly, when); err == nil {
		when = date(l, when)
	}
	text := l.F("phrase.review-value", "{date}, {reviewer}: checked against {reference}", "date", when, "reviewer", r.GetReviewer(), "reference", ref)
	if sc := r.GetScope(); sc != "" {
		text = l.F("phrase.review-scope", "{review}. {scope}", "review", text, "scope", l.T(fmt.Sprintf("scenario.%s.reviews.%d.scope", s.ID, i), sc))
	}
	return text
}

// flagsValue words the flags; key is the translation key of their third
// parties.
func flagsValue(l *localizer, key string, fl *provisionv1.Flags) string {
	yes := func(b bool) string {
		if b {
			return l.T("phrase.yes", "yes")
		}
		return l.T("phrase.no", "no")
	}
	shared := l.T("phrase.shared-with-none", "none")
	if ws := fl.GetSharedWith(); len(ws) > 0 {
		names := make([]string, len(ws))
		for i, w := range ws {
			names[i] = l.T(fmt.Sprintf("%s.shared_with.%d", key, i), w)
		}
		shared = strings.Join(names, ", ")
	}
	return l.F("phrase.flags-value", "used for tracking: {tracking}; shared with third parties: {shared}; processed in real time and not stored: {ephemeral}",
		"tracking", yes(fl.GetUsedForTracking()), "shared", shared, "ephemeral", yes(fl.GetEphemeral()))
}

// dmLifecycle is a scenario's lifecycle in the data map. Whether the data
// is linked to an identity is each item's (dmItem.LinkedToIdentity).
type dmLifecycle struct {
	// Expires is the expiry date (YYYY-MM-DD), "version X" or "never";
	// empty when the scenario states none.
	Expires string      `json:"expires"`
	Owners  []dmContact `json:"owners"`
	Reviews []dmReview  `json:"reviews"`
	// Flags are the scenario's flags; nil when it states none.
	Flags *dmFlags `json:"flags"`
}

type dmContact struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	URL   string `json:"url,omitempty"`
}

type dmReview struct {
	Reference string `json:"reference"`
	Date      string `json:"date"`
	Reviewer  string `json:"reviewer"`
	Scope     string `json:"scope,omitempty"`
}

type dmFlags struct {
	UsedForTracking bool     `json:"used_for_tracking"`
	SharedWith      []string `json:"shared_with_third_parties"`
	Ephemeral       bool     `json:"ephemeral"`
	// Assessment is the maintainers' reason when the flags are their
	// assessment.
	Assessment string `json:"assessment,omitempty"`
}

// expiryCode is an expiry for machines: the date, "version X" or
// "never"; "" for none.
func expiryCode(e *provisionv1.Expiry) string {
	switch {
	case e == nil:
		return ""
	case e.GetDate() != "":
		return e.GetDate()
	case e.GetProductVersion() != "":
		return "version " + e.GetProductVersion()
	}
	return "never"
}

func dataMapLifecycle(l *localizer, s *model.Scenario) dmLifecycle {
	key := "scenario." + s.ID
	lc := dmLifecycle{Expires: expiryCode(s.Expires()), Owners: []dmContact{}, Reviews: []dmReview{}}
	for _, c := range s.Owners() {
		lc.Owners = append(lc.Owners, dmContact{Name: c.GetName(), Email: c.GetEmail(), URL: c.GetUrl()})
	}
	for i, r := range s.Reviews() {
		scope := r.GetScope()
		if scope != "" {
			scope = l.T(fmt.Sprintf("%s.reviews.%d.scope", key, i), scope)
		}
		lc.Reviews = append(lc.Reviews, dmReview{Reference: r.GetReference(), Date: r.GetDate(), Reviewer: r.GetReviewer(), Scope: scope})
	}
	lc.Flags = dataMapFlags(l, key+".flags", s.Flags())
	return lc
}

func dataMapFlags(l *localizer, key string, fl *provisionv1.Flags) *dmFlags {
	if fl == nil {
		return nil
	}
	f := &dmFlags{UsedForTracking: fl.GetUsedForTracking(), Ephemeral: fl.GetEphemeral(), SharedWith: []string{}}
	for i, w := range fl.GetSharedWith() {
		f.SharedWith = append(f.SharedWith, l.T(fmt.Sprintf("%s.shared_with.%d", key, i), w))
	}
	if a := fl.GetBasis().GetAssessment(); a != "" {
		f.Assessment = l.T(key+"_basis", a)
	}
	return f
}

// recordLifecycle is the record of processing's lifecycle cells of a
// scenario: its expiry, its owners, its latest review and its flags.
func recordLifecycle(l *localizer, s *model.Scenario) []string {
	expires := ""
	if e := s.Expires(); e != nil {
		expires = expiryValue(l, e)
		if e.GetBasis().GetAssessment() != "" {
			expires = l.F("phrase.record-assessed", "{value} (the maintainers' assessment)", "value", expires)
		}
	}
	last := ""
	if rs := s.Reviews(); len(rs) > 0 {
		last = review(l, s, len(rs)-1, rs[len(rs)-1])
	}
	flags := ""
	if fl := s.Flags(); fl != nil {
		flags = flagsValue(l, "scenario."+s.ID+".flags", fl)
		if fl.GetBasis().GetAssessment() != "" {
			flags = l.F("phrase.record-assessed", "{value} (the maintainers' assessment)", "value", flags)
		}
	}
	return []string{expires, owners(s.Owners()), last, flags}
}
