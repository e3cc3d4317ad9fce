package docs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/provisionhq/provision/internal/markdown"
	"regexp"
	"strings"

	"github.com/provisionhq/provision/internal/diff"
	"github.com/provisionhq/provision/internal/model"
)

// Changelog is what changed in the data provision of a product from one of
// its versions to the next, as internal/diff words it. Each changelog has
// a page in every language, listed on every page of its product. Its texts
// are translated like every other text of the pages: each change sentence
// is a key of its own that records the English sentence, named after the
// change's content, not its place in the list (see ChangeKey), so that
// adding, removing or reordering changes leaves the other sentences'
// translations as they are, and a sentence the diff words anew needs a
// translation of its own.
type Changelog struct {
	// Product is the product's ID.
	Product string
	// Slug is the file-name stem of the changelog's pages
	// ("acme-notes-1.0-to-current"): lower-case letters, digits, dots and
	// hyphens.
	Slug string
	// From is the earlier version ("6.1"); To is the later one, or "" for
	// the current catalog.
	From, To string
	// Example marks From as a version made up to show how changes are
	// reported, not one the vendor released. Pages say so.
	Example bool
	// Report holds the product's changes.
	Report diff.Report
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)

// ChangelogMarkdownPath is the Markdown page of a changelog in a language.
func ChangelogMarkdownPath(lang string, cl Changelog) string {
	return lang + "/" + changelogName(cl) + ".md"
}

// ChangelogHTMLPath is the site page of a changelog in a language.
func ChangelogHTMLPath(lang string, cl Changelog) string {
	return SiteDir + "/" + lang + "/" + changelogName(cl) + ".html"
}

// changelogName is the file name, without extension, of a changelog's
// pages.
func changelogName(cl Changelog) string { return "changelog-" + cl.Slug }

// checkChangelogs refuses a changelog whose slug is not a plain file name,
// is used twice, or whose product is not in the catalog.
func checkChangelogs(c *Catalog, cls []Changelog) error {
	seen := map[string]bool{}
	for i, cl := range cls {
		_, known := c.Product(cl.Product)
		switch {
		case !slugPattern.MatchString(cl.Slug) || strings.Contains(cl.Slug, ".."):
			return fmt.Errorf("docs: changelog %d: slug %q: want lower-case letters, digits, dots and hyphens", i, cl.Slug)
		case seen[cl.Slug]:
			return fmt.Errorf("docs: changelog %d: slug %q is used twice", i, cl.Slug)
		case !known:
			return fmt.Errorf("docs: changelog %s: product %q is not in the catalog", cl.Slug, cl.Product)
		case strings.TrimSpace(cl.From) == "":
			return fmt.Errorf("docs: changelog %s: no earlier version", cl.Slug)
		}
		seen[cl.Slug] = true
	}
	return nil
}

// versionPhrases are the words of a page's list of versions.
type versionPhrases struct {
	Heading, Intro, Current, LessPrivacy, Reason, NoChange string
	link, version, example, exampleNote, title             string
}

// newVersionPhrases words the list of versions in l's language. Every
// page asks for them, with or without versions, so that the translation
// check and the skeleton know their keys.
func newVersionPhrases(l *localizer) versionPhrases {
	return versionPhrases{
		Heading:     l.T("phrase.versions", "Versions and what changed"),
		Intro:       l.T("phrase.versions-intro", "What each version sends differs; each change from one version to the next is listed, generated from the schemas of both versions."),
		LessPrivacy: l.T("phrase.less-privacy", "less privacy"),
		Reason:      l.T("phrase.reason", "reason"),
		NoChange:    l.T("phrase.no-change", "No change."),
		title:       l.T("phrase.changelog-title", "Changes in data provision: {product}, {from} → {to}"),
		Current:     l.T("phrase.current-version", "the current version"),
		link:        l.T("phrase.changelog-link", "What changed from {from} to {to}"),
		version:     l.T("phrase.version-n", "version {version}"),
		example:     l.T("phrase.version-example", "version {version} (example)"),
		exampleNote: l.T("phrase.version-example-note", "Version {version} is an example made up to show how changes are reported; it is not a version the vendor released."),
	}
}

// fill replaces the placeholders of an already translated template:
// args are placeholder, value pairs.
func fill(template string, args ...string) string {
	return strings.NewReplacer(args...).Replace(template)
}

// versionView is one changelog in a product page's list of versions.
type versionView struct {
	// Href is the changelog's file name without extension.
	Text, Href, Note string
}

// versionNames words the versions a changelog compares ("version 6.1
// (example)", "the current version").
func versionNames(w versionPhrases, cl Changelog) (from, to string) {
	from = fill(w.version, "{version}", cl.From)
	if cl.Example {
		from = fill(w.example, "{version}", cl.From)
	}
	to = w.Current
	if cl.To != "" {
		to = fill(w.version, "{version}", cl.To)
	}
	return from, to
}

// buildVersions lists the changelogs of product p in the language of w.
func buildVersions(w versionPhrases, p *model.Product, cls []Changelog) []versionView {
	var out []versionView
	for _, cl := range cls {
		if cl.Product != p.ID {
			continue
		}
		from, to := versionNames(w, cl)
		out = append(out, versionView{Text: fill(w.link, "{from}", from, "{to}", to), Href: changelogName(cl), Note: exampleNote(w, cl)})
	}
	return out
}

// changelogView is a changelog's page in one language.
type changelogView struct {
	Lang     string
	Name     string // file name without extension
	Title    string
	Note     string // the example note, or ""
	Product  string // the title of the product's page
	Page     string // the product page's file name without extension
	Products []changeGroup
	Words    versionPhrases
	L        phrases
}

// changeGroup is the changes of one product, product-level first, then
// by scenario.
type changeGroup struct {
	ID, Name  string
	Changes   []changeView // product-level changes
	Scenarios []scenarioChanges
}

// scenarioChanges is the changes of one scenario.
type scenarioChanges struct {
	ID, Title string
	Changes   []changeView
}

// changeView is one change, worded in the page's language.
type changeView struct {
	Text        string
	LessPrivacy bool
	Reason      string // the acknowledgement's reason, or ""
}

// buildChangelog words cl in l's language. Product names and scenario
// titles the current catalog has take their translations; every other
// text of the report (each change, each reason, a title the current
// catalog no longer has) is a key of the changelog's own.
func buildChangelog(l *localizer, c *Catalog, cl Changelog) changelogView {
	p, _ := c.Product(cl.Product) // checkChangelogs made sure it is there
	w := newVersionPhrases(l)
	from, to := versionNames(w, cl)
	v := changelogView{
		Lang: l.lang, Name: changelogName(cl), Note: exampleNote(w, cl), Product: pageTitle(l, p), Page: pageName(p),
		Title: fill(w.title, "{product}", productName(l, p), "{from}", from, "{to}", to),
		Words: w, L: layoutPhrases(l),
	}
	key := changelogPrefix + cl.Slug
	for _, ch := range cl.Report.Changes {
		chKey := ChangeKey(cl.Slug, ch)
		cv := changeView{Text: l.T(chKey, ch.Text), LessPrivacy: ch.Weaker}
		if ch.Weaker && ch.Acknowledged != "" {
			cv.Reason = l.T(chKey+".reason", ch.Acknowledged)
		}
		n := len(v.Products)
		if n == 0 || v.Products[n-1].ID != ch.Product {
			v.Products = append(v.Products, changeGroup{ID: ch.Product, Name: changedProductName(l, c, key, ch)})
			n++
		}
		g := &v.Products[n-1]
		if ch.Scenario == "" {
			g.Changes = append(g.Changes, cv)
			continue
		}
		if m := len(g.Scenarios); m == 0 || g.Scenarios[m-1].ID != ch.Scenario {
			g.Scenarios = append(g.Scenarios, scenarioChanges{ID: ch.Scenario, Title: scenarioTitle(l, c, key, ch)})
		}
		sc := &g.Scenarios[len(g.Scenarios)-1]
		sc.Changes = append(sc.Changes, cv)
	}
	return v
}

// changelogPrefix begins every key of a changelog's own texts.
const changelogPrefix = "changelog."

// ChangeKey is the translation key of change ch in the changelog with
// slug: "changelog.<slug>.<kind>.<hash>", where hash is the first 12 hex
// digits of the SHA-256 of the change's kind and English sentence. The
// key follows the sentence, not its place in the changelog, so inserting,
// removing or reordering changes keeps every other key. The kind, not the
// breaking rule, is hashed: a rule that starts to report a kind of change
// leaves its sentences' keys as they are. Two changes of one changelog
// with the same kind and sentence share a key and its translation. The
// acknowledgement's reason of a change is the key followed by ".reason".
func ChangeKey(slug string, ch diff.Change) string {
	sum := sha256.Sum256([]byte(string(ch.Kind) + "\x00" + ch.Text))
	return changelogPrefix + slug + "." + string(ch.Kind) + "." + hex.EncodeToString(sum[:6])
}

// changeKeyPattern matches the keys ChangeKey makes, and their reasons.
var changeKeyPattern = regexp.MustCompile(`^(changelog\..+\.[a-z_]+)\.[0-9a-f]{12}(\.reason)?$`)

// changeGroupOf returns the changelog, kind and part (sentence or
// reason) of a key ChangeKey made, as one string; false for other keys.
func changeGroupOf(key string) (string, bool) {
	m := changeKeyPattern.FindStringSubmatch(key)
	if m == nil {
		return "", false
	}
	return m[1] + m[2], true
}

// changedProductName is the name of a changed product: its pages' name
// when the current catalog has it with the same name, else a key of the
// changelog's own.
func changedProductName(l *localizer, c *Catalog, key string, ch diff.Change) string {
	if p, ok := c.Product(ch.Product); ok && p.Name == ch.ProductName {
		return productName(l, p)
	}
	return l.T(key+".product."+ch.Product, ch.ProductName)
}

// scenarioTitle is the title of a changed scenario: its page's title when
// the current catalog has it with the same title, else a key of the
// changelog's own.
func scenarioTitle(l *localizer, c *Catalog, key string, ch diff.Change) string {
	if s, ok := c.Scenario(ch.Scenario); ok && s.Options.GetTitle() == ch.Title {
		return l.T("scenario."+s.ID+".title", ch.Title)
	}
	return l.T(key+".scenario."+ch.Scenario, ch.Title)
}

// markdownChangelog lays out a changelog page.
func markdownChangelog(v changelogView, langs []langLink) []byte {
	var b strings.Builder
	b.WriteString(markdownHeader)
	fmt.Fprintf(&b, "%s · [%s](index.md) · [%s](%s.md)\n\n# %s\n\n", languageSwitch(v.L.Language, langs, v.Name+".md"),
		markdown.Escape(v.L.Index), markdown.Escape(v.Product), v.Page, markdown.Escape(v.Title))
	if v.Note != "" {
		fmt.Fprintf(&b, "> %s\n\n", markdown.Escape(v.Note))
	}
	if len(v.Products) == 0 {
		fmt.Fprintf(&b, "%s\n\n", markdown.Escape(v.Words.NoChange))
	}
	list := func(changes []changeView) {
		for _, ch := range changes {
			fmt.Fprintf(&b, "- %s", markdown.Escape(ch.Text))
			if ch.LessPrivacy {
				fmt.Fprintf(&b, " *(%s", markdown.Escape(v.Words.LessPrivacy))
				if ch.Reason != "" {
					fmt.Fprintf(&b, "; %s: %s", markdown.Escape(v.Words.Reason), markdown.Escape(ch.Reason))
				}
				b.WriteString(")*")
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	for _, g := range v.Products {
		fmt.Fprintf(&b, "## %s\n\n", markdown.Escape(g.Name))
		if len(g.Changes) > 0 {
			list(g.Changes)
		}
		for _, s := range g.Scenarios {
			fmt.Fprintf(&b, "### %s\n\n", markdown.Escape(s.Title))
			list(s.Changes)
		}
	}
	fmt.Fprintf(&b, "---\n\n%s\n", markdown.Escape(v.L.Generated))
	return []byte(b.String())
}

// htmlChangelog lays out a changelog's site page.
func htmlChangelog(v changelogView, langs []langLink) ([]byte, error) {
	return render("changelog", siteData{
		Lang: v.Lang, Title: v.Title, IndexHref: "index.html",
		Langs: siteLangs(langs, v.Name+".html"), L: v.L, Changelog: &v,
	})
}

// exampleNote says, in the language of w, that cl's earlier version is an
// example; "" when it is not.
func exampleNote(w versionPhrases, cl Changelog) string {
	if !cl.Example {
		return ""
	}
	return fill(w.exampleNote, "{version}", cl.From)
}
