package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/model"
)

// uiTextFiles hold the web UI's own words in each language the UI is
// translated to, one uitext/<language>.json each: an object with the
// language and its texts by their English text.
//
//go:embed uitext/*.json
var uiTextFiles embed.FS

// uiTextFile is one file of uitext/.
type uiTextFile struct {
	Language string            `json:"language"`
	Texts    map[string]string `json:"texts"`
}

// uiTexts are the UI's own words by language, read from uiTextFiles.
var uiTexts = mustUITexts()

// mustUITexts reads uiTextFiles. They are compiled in, so a bad one is a
// build defect that every test of the package reports.
func mustUITexts() map[string]map[string]string {
	out, err := readUITexts()
	if err != nil {
		panic(err)
	}
	return out
}

// readUITexts reads every file of uitext/, refusing unknown JSON fields, a
// file named after another language and an empty text.
func readUITexts() (map[string]map[string]string, error) {
	names, err := uiTextFiles.ReadDir("uitext")
	if err != nil {
		return nil, fmt.Errorf("ui texts: %w", err)
	}
	out := map[string]map[string]string{}
	for _, n := range names {
		name := path.Join("uitext", n.Name())
		data, err := uiTextFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("ui texts: %w", err)
		}
		var f uiTextFile
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("ui texts: %s: %w", name, err)
		}
		if f.Language+".json" != n.Name() {
			return nil, fmt.Errorf("ui texts: %s holds language %q", name, f.Language)
		}
		for _, en := range slices.Sorted(maps.Keys(f.Texts)) {
			if strings.TrimSpace(f.Texts[en]) == "" {
				return nil, fmt.Errorf("ui texts: %s: %q has no translation", name, en)
			}
		}
		out[f.Language] = f.Texts
	}
	return out, nil
}

// uiLocale is the language of one page of the UI: its own words (from
// uitext/), the catalog's texts (from the server's i18n/ translations, by
// their keys) and the diff's sentences (by the translation of the same
// English text anywhere in the language's file, as the changelog pages
// translate them). A text without a translation stays English and says
// so, so that the page marks it with lang="en". A nil *uiLocale is
// English.
type uiLocale struct {
	lang string
	// own are the UI's words; nil for English or a language the UI is
	// not translated to.
	own map[string]string
	// catalog are the catalog's texts by key; nil for English.
	catalog map[string]docs.Message
	// sentences translate English texts of the catalog's file by their
	// English text; nil for English.
	sentences map[string]string
}

// uiLocaleOf returns the locale r asks for with ?lang= (English by
// default), or a 400 naming the languages there are.
func (s *Server) uiLocaleOf(r *http.Request) (*uiLocale, error) {
	lang := orDefault(r.URL.Query().Get("lang"), docs.SourceLanguage)
	if lang == docs.SourceLanguage {
		return &uiLocale{lang: lang}, nil
	}
	i := slices.IndexFunc(s.translations, func(t *docs.Translation) bool { return t.Language == lang })
	if i < 0 {
		return nil, errorf(http.StatusBadRequest, codeBadRequest, "Unknown language %q: want one of %s", lang, strings.Join(s.languages(), ", "))
	}
	return newUILocale(s.translations[i]), nil
}

// newUILocale returns the locale of the translation tr.
func newUILocale(tr *docs.Translation) *uiLocale {
	l := &uiLocale{lang: tr.Language, own: uiTexts[tr.Language], catalog: tr.Messages, sentences: map[string]string{}}
	for _, k := range slices.Sorted(maps.Keys(tr.Messages)) {
		if m := tr.Messages[k]; m.Text != "" {
			l.sentences[m.En] = m.Text
		}
	}
	return l
}

// Lang is the language of the page's content.
func (l *uiLocale) Lang() string {
	if l == nil {
		return docs.SourceLanguage
	}
	return l.lang
}

// Own is the language of the UI's own words on the page: the page's
// language if the UI is translated to it, else English.
func (l *uiLocale) Own() string {
	if l == nil || l.own == nil {
		return docs.SourceLanguage
	}
	return l.lang
}

// T returns the UI's text en in the page's own language.
func (l *uiLocale) T(en string) string {
	if l == nil {
		return en
	}
	if t, ok := l.own[en]; ok {
		return t
	}
	return en
}

// F is T for a text with {name} placeholders, filled from args (name,
// value pairs) after translation.
func (l *uiLocale) F(en string, args ...any) string {
	text := l.T(en)
	for i := 0; i+1 < len(args); i += 2 {
		text = strings.ReplaceAll(text, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return text
}

// Text returns the catalog's text key (English en) in the page's
// language, or en marked as English where the translation lacks it or was
// made from another English text: never a stale translation.
func (l *uiLocale) Text(key, en string) uiText {
	if l == nil || l.catalog == nil {
		return uiText{Text: en, Lang: l.Lang()}
	}
	if m, ok := l.catalog[key]; ok && m.En == en && m.Text != "" {
		return uiText{Text: m.Text, Lang: l.lang}
	}
	return uiText{Text: en, Lang: docs.SourceLanguage}
}

// Sentence returns a sentence of the diff in the page's language where
// the language's file translates the same English text, else in English.
func (l *uiLocale) Sentence(en string) uiText {
	if l == nil || l.sentences == nil {
		return uiText{Text: en, Lang: l.Lang()}
	}
	if t, ok := l.sentences[en]; ok {
		return uiText{Text: t, Lang: l.lang}
	}
	return uiText{Text: en, Lang: docs.SourceLanguage}
}

// Label returns a field's label in the page's language from the labels
// the field index keeps by language, or the English one marked so.
func (l *uiLocale) Label(labels map[string]string) uiText {
	if t, ok := labels[l.Lang()]; ok && t != "" {
		return uiText{Text: t, Lang: l.Lang()}
	}
	return uiText{Text: labels[docs.SourceLanguage], Lang: docs.SourceLanguage}
}

// U returns the UI path p (which may hold a query) for the page's
// language: with lang= unless the language is English.
func (l *uiLocale) U(p string) string {
	if l.Lang() == docs.SourceLanguage {
		return p
	}
	sep := "?"
	if strings.Contains(p, "?") {
		sep = "&"
	}
	return p + sep + "lang=" + url.QueryEscape(l.lang)
}

// uiText is a text in the page's language, or in English (Lang "en")
// where there is no translation of it.
type uiText struct{ Text, Lang string }

// uiOption is an option of a select: the value sent, the text shown.
type uiOption struct {
	Value string
	Text  uiText
}

// enumOptions lists the values of an enum of the vocabulary but the
// unspecified one, as the field index keeps them (model.ValueLabel), with
// their labels in the page's language.
func (l *uiLocale) enumOptions(values protoreflect.EnumValueDescriptors) []uiOption {
	var out []uiOption
	for i := range values.Len() {
		v := values.Get(i)
		if v.Number() == 0 {
			continue
		}
		label := model.ValueLabel(v)
		out = append(out, uiOption{Value: label, Text: l.Text("enum."+string(v.FullName()), label)})
	}
	return out
}

// enumText returns the label of the value of values that the field index
// keeps as label, in the page's language; a label of no value stays as
// it is.
func (l *uiLocale) enumText(values protoreflect.EnumValueDescriptors, label string) uiText {
	for i := range values.Len() {
		if v := values.Get(i); model.ValueLabel(v) == label {
			return l.Text("enum."+string(v.FullName()), label)
		}
	}
	return uiText{Text: label, Lang: docs.SourceLanguage}
}

// languageLinks links the page r asked for in English and in each
// language of the server's translations, with every other parameter kept.
func (s *Server) languageLinks(r *http.Request) []uiLanguage {
	names := map[string]string{docs.SourceLanguage: "English"}
	for _, t := range s.translations {
		names[t.Language] = t.Name
	}
	var out []uiLanguage
	for _, lang := range s.languages() {
		q := r.URL.Query()
		q.Set("lang", lang)
		out = append(out, uiLanguage{Lang: lang, Name: names[lang], Href: r.URL.Path + "?" + q.Encode()})
	}
	return out
}

// uiLanguage is a link to the page in a language, named in that language.
type uiLanguage struct{ Lang, Name, Href string }
