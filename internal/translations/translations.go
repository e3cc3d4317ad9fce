// Package translations keeps the translation files of a catalog
// repository (i18n/<language>.json) in step with the pages generated from
// its catalog. It reads where they are from the options buf.gen.yaml
// gives the docs plugin (i18n=, versions=), builds the catalog and the
// changelogs the pages hold, and brings each file up to date with
// docs.Skeleton: a new text is added with an empty translation, a
// translation whose English changed is kept and marked for review, a key
// no page uses any more is dropped, and no translation is ever cleared.
//
// It is what `provision i18n` runs, in this repository and in any that
// `provision init` created, and what the -update-i18n flag of the
// catalog's conformance tests runs.
package translations

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/protosrc"
	"github.com/provisionhq/provision/internal/regen"
	"github.com/provisionhq/provision/internal/versions"
)

// DocsPlugin is the program name of the plugin that writes the pages,
// whose options in buf.gen.yaml say where the translations are.
const DocsPlugin = "protoc-gen-provision-docs"

// DefaultDir is the directory of the translations when buf.gen.yaml does
// not name one: the docs plugin's default, and where a repository made
// English-only (i18n=) keeps them until it names the directory.
const DefaultDir = "i18n"

// Config is where a repository keeps its translations, as buf.gen.yaml
// tells the docs plugin.
type Config struct {
	// Dir is the directory of the translation files, relative to the
	// repository root, with forward slashes.
	Dir string
	// Enabled is false when the docs plugin has the option i18n= (empty):
	// generate then writes the pages in English only, and Dir is
	// DefaultDir.
	Enabled bool
	// Versions is the manifest of earlier versions whose changelogs the
	// pages hold (versions=), relative to the root; empty for none.
	Versions string
}

// ReadConfig reads the docs plugin's options from buf.gen.yaml under
// root. The directories they name must lie inside the repository: the
// files under them are written.
func ReadConfig(root string) (Config, error) {
	opts, found, err := regen.PluginOptions(root, DocsPlugin)
	if err != nil {
		return Config{}, err
	}
	if !found {
		return Config{}, fmt.Errorf("buf.gen.yaml: no plugin is %s: the repository generates no pages to translate", DocsPlugin)
	}
	c := Config{Dir: DefaultDir, Enabled: true, Versions: opts["versions"]}
	if dir, ok := opts["i18n"]; ok {
		if dir == "" {
			c.Enabled = false
		} else {
			c.Dir = dir
		}
	}
	// The plugin reads versions= against its root= option.
	if r := opts["root"]; r != "" && r != "." && c.Versions != "" {
		c.Versions = path.Join(filepath.ToSlash(r), c.Versions)
	}
	for name, p := range map[string]string{"i18n": c.Dir, "versions": c.Versions} {
		if p == "" {
			continue
		}
		clean := path.Clean(filepath.ToSlash(p))
		if !filepath.IsLocal(filepath.FromSlash(clean)) {
			return Config{}, fmt.Errorf("buf.gen.yaml: %s option %s=%s: want a path inside the repository", DocsPlugin, name, p)
		}
		if name == "i18n" {
			c.Dir = clean
		} else {
			c.Versions = clean
		}
	}
	return c, nil
}

// Repository is what the translations of a catalog repository translate:
// the catalog and the changelogs its pages hold.
type Repository struct {
	// Root is the repository root (the directory holding buf.yaml).
	Root   string
	Config Config
	// Catalog is the repository's catalog (proto/), compiled in process.
	Catalog *model.Catalog
	// Changelogs are those of the versions Config.Versions lists, as the
	// docs plugin is given them.
	Changelogs []docs.Changelog
}

// Load reads the configuration of the repository at root, compiles its
// catalog and makes the changelogs of its earlier versions. Findings of
// the model name each file by its path in the repository.
func Load(ctx context.Context, root string) (*Repository, error) {
	cfg, err := ReadConfig(root)
	if err != nil {
		return nil, err
	}
	cat, err := protosrc.CompileCatalog(ctx, root)
	if err != nil {
		return nil, err
	}
	c, err := model.FromFileDescriptorSet(cat.Set)
	if ds, ok := err.(model.Diagnostics); ok {
		return nil, fmt.Errorf("check schemas:\n%w", ds.Relocate(func(file string) string { return layout.RepoPath(root, file) }))
	}
	if err != nil {
		return nil, fmt.Errorf("check schemas: %w", err)
	}
	cls, err := versions.Changelogs(ctx, root, cfg.Versions, c)
	if err != nil {
		return nil, err
	}
	return &Repository{Root: root, Config: cfg, Catalog: c, Changelogs: DocsChangelogs(cls)}, nil
}

// DocsChangelogs returns changelogs as the docs generator takes them.
func DocsChangelogs(cls []versions.Changelog) []docs.Changelog {
	out := make([]docs.Changelog, len(cls))
	for i, cl := range cls {
		out[i] = docs.Changelog{Product: cl.Product, Slug: cl.Slug(), From: cl.From.Version,
			Example: cl.From.Example, Report: cl.Report}
		if cl.To != nil {
			out[i].To = cl.To.Version
		}
	}
	return out
}

// Update is what bringing one translation file up to date does to it.
type Update struct {
	// Path is the file's path relative to the repository root, with
	// forward slashes.
	Path string
	// Language is the file's language tag.
	Language string
	// Before is the file as it is; nil when it does not exist yet.
	Before []byte
	// After is the file brought up to date.
	After []byte
	// Open are the texts left to translate or to review, by key.
	Open []Open
}

// Changed reports whether After differs from the file as it is.
func (u Update) Changed() bool { return u.Before == nil || !bytes.Equal(u.Before, u.After) }

// Open is a text a translator still has to write or check.
type Open struct {
	Key string
	// En is the English text to translate.
	En string
	// Review, when set, is the English text the translation was made
	// from: the translation is kept, and must be checked against En.
	Review string
}

// Missing reports how many of u's open texts have no translation, and
// how many await review.
func (u Update) Missing() (missing, review int) {
	for _, o := range u.Open {
		if o.Review != "" {
			review++
		} else {
			missing++
		}
	}
	return missing, review
}

// Plan returns the update of every translation file of the repository,
// and of a new file for each language of add that has none, in the order
// of their paths. It writes nothing. A language of add is a BCP 47 tag
// other than English ("de", "pt-BR"); a new file names the language in
// itself ("Deutsch"), from Unicode CLDR, which a translator may edit.
func (r *Repository) Plan(add ...string) ([]Update, error) {
	dir := filepath.Join(r.Root, filepath.FromSlash(r.Config.Dir))
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	var trs []*docs.Translation
	for _, name := range names {
		rel := path.Join(r.Config.Dir, filepath.Base(name))
		t, err := docs.ReadTranslationFile(name, rel)
		if err != nil {
			return nil, err
		}
		trs = append(trs, t)
	}
	for _, lang := range add {
		rel := path.Join(r.Config.Dir, lang+".json")
		if slices.ContainsFunc(trs, func(t *docs.Translation) bool { return t.Language == lang }) {
			continue
		}
		t, err := newTranslation(lang, rel)
		if err != nil {
			return nil, err
		}
		trs = append(trs, t)
	}
	var out []Update
	for _, t := range trs {
		u, err := r.update(t)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b Update) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// newTranslation returns an empty translation of lang, to be written to
// the file rel (File stays empty: the file does not exist yet).
func newTranslation(lang, rel string) (*docs.Translation, error) {
	name := lang
	if tag, err := language.Parse(lang); err == nil {
		if n := display.Self.Name(tag); n != "" {
			name = n
		}
	}
	t := &docs.Translation{Language: lang, Name: name, Messages: map[string]docs.Message{}}
	data, err := t.Marshal()
	if err != nil {
		return nil, err
	}
	// The checks a file gets when it is read (a BCP 47 tag other than
	// English), before it is written.
	if _, err := docs.ParseTranslation(rel, data); err != nil {
		return nil, fmt.Errorf("new language %q: %w", lang, err)
	}
	return t, nil
}

// update brings t up to date (docs.Skeleton) and lists what is open.
func (r *Repository) update(t *docs.Translation) (Update, error) {
	rel := path.Join(r.Config.Dir, t.Language+".json")
	u := Update{Path: rel, Language: t.Language}
	if t.File != "" {
		data, err := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(rel)))
		if err != nil {
			return Update{}, fmt.Errorf("i18n: %w", err)
		}
		u.Before = data
	}
	next := docs.Skeleton(r.Catalog, t, r.Changelogs...)
	data, err := next.Marshal()
	if err != nil {
		return Update{}, fmt.Errorf("i18n: %s: %w", rel, err)
	}
	u.After = data
	for _, k := range slices.Sorted(maps.Keys(next.Messages)) {
		m := next.Messages[k]
		switch {
		case strings.TrimSpace(m.Text) == "":
			u.Open = append(u.Open, Open{Key: k, En: m.En})
		case m.Review != "":
			u.Open = append(u.Open, Open{Key: k, En: m.En, Review: m.Review})
		}
	}
	return u, nil
}

// Write writes the files of updates that changed, under the repository
// root, creating the translation directory when it does not exist.
func (r *Repository) Write(updates []Update) error {
	var errs []error
	for _, u := range updates {
		if !u.Changed() {
			continue
		}
		p := filepath.Join(r.Root, filepath.FromSlash(u.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			errs = append(errs, fmt.Errorf("i18n: %w", err))
			continue
		}
		if err := os.WriteFile(p, u.After, 0o644); err != nil {
			errs = append(errs, fmt.Errorf("i18n: %w", err))
		}
	}
	return errors.Join(errs...)
}
