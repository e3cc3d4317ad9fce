package docs

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/model"
)

// SourceLanguage is the language the catalog and the generator are written
// in. Its texts need no translation file.
const SourceLanguage = "en"

// Translation is one language's texts for the pages, as kept in
// i18n/<language>.json beside the catalog. Each message is keyed by a
// stable key (the full name of a field, a scenario ID and part, a
// vocabulary value, a fixed phrase) and records the English text it
// translates, so that a changed English text shows up as an outdated
// translation rather than a silently wrong one.
type Translation struct {
	// Language is the BCP 47 tag ("de").
	Language string `json:"language"`
	// Name is the language's name in itself ("Deutsch").
	Name string `json:"name"`
	// Messages are the translations by key.
	Messages map[string]Message `json:"messages"`
	// File is the path the translation was read from, for errors; empty
	// for a translation made in memory.
	File string `json:"-"`
}

// Message is one translated text.
type Message struct {
	// En is the English text the translation was made from.
	En string `json:"en"`
	// Text is the translation. Placeholders such as {recipient} stay as
	// they are in the English text.
	Text string `json:"text"`
	// Review, when set, is the English text Text was translated from
	// before En changed to the current one: Skeleton keeps the old
	// translation rather than clearing it, and generation fails, naming
	// the key, until a translator has checked Text against En and
	// deleted this field.
	Review string `json:"review,omitempty"`
}

var languageTag = regexp.MustCompile(`^[a-z]{2,3}(-[A-Z]{2})?$`)

// ParseTranslation decodes a translation file; name is the file's path,
// for errors. Unknown JSON fields are refused, so a misspelt "text" does
// not pass as an empty translation. An error of the JSON itself names
// the place as name:line:col.
func ParseTranslation(name string, data []byte) (*Translation, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	t := Translation{File: name}
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("%s: %w", jsonPlace(name, data, err, dec.InputOffset()), err)
	}
	if end := dec.InputOffset(); strings.TrimSpace(string(data[end:])) != "" {
		return nil, fmt.Errorf("%s: text after the translation's JSON object", jsonPlace(name, data, nil, end+int64(len(data[end:])-len(bytes.TrimLeft(data[end:], " \t\r\n")))))
	}
	if !languageTag.MatchString(t.Language) || t.Language == SourceLanguage {
		return nil, fmt.Errorf("%s: language %q: want a BCP 47 tag other than %q", name, t.Language, SourceLanguage)
	}
	if strings.TrimSpace(t.Name) == "" {
		return nil, fmt.Errorf("%s: the language has no name", name)
	}
	// A translation reaches the pages as the catalog's own words do, and
	// is held to the same characters (model.HostileCharacter): no
	// control, format or invisible ones.
	keys := slices.Sorted(maps.Keys(t.Messages))
	var errs []error
	for _, k := range keys {
		if text := t.Messages[k].Text; text != "" {
			if why := model.HostileCharacter(text); why != "" {
				errs = append(errs, fmt.Errorf("%s: %s: text %+q contains %s", name, k, text, why))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &t, nil
}

// jsonPlace returns name:line:col of the byte of data where decoding
// failed with err: the character a syntax error is about, the end of the
// value a type error is about, the first key named like an unknown field
// (encoding/json says which field, not where), else offset (where the
// decoder stopped).
func jsonPlace(name string, data []byte, err error, offset int64) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		// Offset counts the bytes read, the offending one included.
		offset = syntax.Offset - 1
	case errors.As(err, &typ):
		offset = typ.Offset
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		offset = int64(len(data))
	case err != nil && strings.HasPrefix(err.Error(), unknownField):
		// encoding/json names the field but not where it is: its first
		// occurrence as a key is the likeliest place.
		field, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), unknownField[:len(unknownField)-1]))
		if i := bytes.Index(data, []byte(strconv.Quote(field)+":")); field != "" && i >= 0 {
			offset = int64(i)
		} else if i := bytes.Index(data, []byte(strconv.Quote(field))); field != "" && i >= 0 {
			offset = int64(i)
		}
	}
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return fmt.Sprintf("%s:%d:%d", name, line, col)
}

// unknownField starts encoding/json's error for a field
// DisallowUnknownFields refuses, which has no type of its own.
const unknownField = `json: unknown field "`

// ReadTranslationFile reads the translation file at path, named name in
// errors (its path in the repository, say), and refuses a file named after
// another language than the one it holds.
func ReadTranslationFile(path, name string) (*Translation, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	t, err := ParseTranslation(name, data)
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	if want := t.Language + ".json"; filepath.Base(path) != want {
		return nil, fmt.Errorf("i18n: %s holds language %q: name it %s", name, t.Language, want)
	}
	return t, nil
}

// ReadTranslations reads every <language>.json of dir, in name order, and
// refuses a file named after another language than the one it holds.
func ReadTranslations(dir string) ([]*Translation, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("i18n: no translation files (*.json) in %s", dir)
	}
	slices.Sort(names)
	var out []*Translation
	for _, name := range names {
		t, err := ReadTranslationFile(name, name)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Marshal encodes the translation as its file holds it: keys sorted,
// indented, with a final newline, and without HTML escaping so that
// translators read the text as it is.
func (t *Translation) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return nil, fmt.Errorf("encode translation %s: %w", t.Language, err)
	}
	return buf.Bytes(), nil
}

// MissingTranslationError lists the texts a language lacks: keys with no
// translation, keys whose translation was made from another English
// text, and keys whose translation awaits review.
type MissingTranslationError struct {
	Language string
	// File is the translation file to edit, when known.
	File string
	// Missing maps each key without a translation to its English text.
	Missing map[string]string
	// Outdated maps each key translated from another English text to the
	// English text it must now translate.
	Outdated map[string]string
	// Review maps each key whose translation is marked for review (its
	// Message.Review is set) to the English text it was translated from.
	Review map[string]string
}

// Error lists every gap, one a line, and names the file to edit.
func (e *MissingTranslationError) Error() string {
	if e == nil {
		return "docs: no missing translation"
	}
	var b strings.Builder
	file := e.File
	if file == "" {
		file = e.Language + ".json"
	}
	fmt.Fprintf(&b, "docs: language %q: %d texts lack a translation, %d translations are outdated and %d await review (edit %s)",
		e.Language, len(e.Missing), len(e.Outdated), len(e.Review), file)
	for _, k := range slices.Sorted(maps.Keys(e.Missing)) {
		fmt.Fprintf(&b, "\n  missing  %s: %q", k, e.Missing[k])
	}
	for _, k := range slices.Sorted(maps.Keys(e.Outdated)) {
		fmt.Fprintf(&b, "\n  outdated %s: the English text is now %q", k, e.Outdated[k])
	}
	for _, k := range slices.Sorted(maps.Keys(e.Review)) {
		fmt.Fprintf(&b, "\n  review   %s: translated from %q; check the text against \"en\", then delete \"review\"", k, e.Review[k])
	}
	return b.String()
}

// newMissing returns an empty MissingTranslationError for a language.
func newMissing(lang, file string) *MissingTranslationError {
	return &MissingTranslationError{Language: lang, File: file,
		Missing: map[string]string{}, Outdated: map[string]string{}, Review: map[string]string{}}
}

// localizer gives the texts of one language and records every key it is
// asked for, so that the keys a catalog needs are exactly those the pages
// use.
type localizer struct {
	lang string
	name string
	tr   map[string]Message // nil for the source language
	used map[string]string  // key → English text
	err  *MissingTranslationError
}

func newLocalizer(t *Translation) *localizer {
	if t == nil {
		return &localizer{lang: SourceLanguage, name: "English", used: map[string]string{}}
	}
	return &localizer{lang: t.Language, name: t.Name, tr: t.Messages, used: map[string]string{},
		err: newMissing(t.Language, t.File)}
}

// T returns the text of key in the localizer's language; en is the
// English text. A missing or outdated translation is recorded and the
// English text returned, so rendering goes on and every gap is reported
// at once.
func (l *localizer) T(key, en string) string {
	if prev, ok := l.used[key]; ok && prev != en {
		// One key, two English texts: a generator bug, reported as
		// outdated so it cannot pass silently.
		if l.err == nil {
			l.err = newMissing(l.lang, "")
		}
		l.err.Outdated[key] = prev + " | " + en
	}
	l.used[key] = en
	if l.tr == nil {
		return en
	}
	m, ok := l.tr[key]
	switch {
	case !ok || strings.TrimSpace(m.Text) == "":
		l.err.Missing[key] = en
		return en
	case m.En != en:
		l.err.Outdated[key] = en
		return en
	case m.Review != "":
		l.err.Review[key] = m.Review
		return en
	}
	return m.Text
}

// F is T for a text with {name} placeholders, filled from args (name,
// value pairs) after translation.
func (l *localizer) F(key, en string, args ...string) string {
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+args[i]+"}", args[i+1])
	}
	return fill(l.T(key, en), pairs...)
}

// Enum returns the label of a vocabulary or catalog enum value, keyed by
// the value's full name.
func (l *localizer) Enum(e protoreflect.Enum) string {
	v := e.Descriptor().Values().ByNumber(e.Number())
	if v == nil {
		return l.F("phrase.unknown-value", "unknown value {n}", "n", fmt.Sprint(e.Number()))
	}
	return l.T("enum."+string(v.FullName()), model.EnumLabel(e))
}

// failure returns the recorded gaps, or nil.
func (l *localizer) failure() error {
	if l.err == nil || len(l.err.Missing)+len(l.err.Outdated)+len(l.err.Review) == 0 {
		return nil
	}
	return l.err
}

// CheckTranslation reports every gap of t for the catalog and its
// changelogs: texts the pages use that t lacks or translated from another
// English text (*MissingTranslationError), and keys t holds that no page
// uses.
func CheckTranslation(c *Catalog, t *Translation, changelogs ...Changelog) error {
	l := newLocalizer(t)
	renderAll(c, l, changelogs)
	var errs []error
	if err := l.failure(); err != nil {
		errs = append(errs, err)
	}
	var stale []string
	for k := range t.Messages {
		if _, ok := l.used[k]; !ok {
			stale = append(stale, k)
		}
	}
	if len(stale) > 0 {
		slices.Sort(stale)
		errs = append(errs, fmt.Errorf("docs: language %q: %d keys are used by no page (remove them): %s",
			t.Language, len(stale), strings.Join(stale, ", ")))
	}
	return errors.Join(errs...)
}

// Skeleton returns t brought up to date for the catalog: every key the
// pages use, with the current English text, and no key they do not use.
// It never clears a translation:
//
//   - a translation whose English text is unchanged is kept as it is;
//   - a translation whose English text changed is kept and marked for
//     review (Message.Review holds the English it was made from), which
//     fails generation until a translator deletes the mark;
//   - a new change sentence of a changelog takes the translation of a
//     changelog sentence with the same English text, unmarked, or else,
//     when it is the only new sentence of its changelog and kind and one
//     translated sentence of that changelog and kind is no longer used
//     (the same change, worded anew), that sentence's translation,
//     marked for review;
//   - every other new key has an empty text for a translator to fill.
func Skeleton(c *Catalog, t *Translation, changelogs ...Changelog) *Translation {
	l := newLocalizer(nil)
	renderAll(c, l, changelogs)
	out := &Translation{Language: t.Language, Name: t.Name, Messages: map[string]Message{}}
	var fresh []string // keys with no translation yet
	for k, en := range l.used {
		m := Message{En: en}
		switch old, ok := t.Messages[k]; {
		case !ok || strings.TrimSpace(old.Text) == "":
			fresh = append(fresh, k)
		case old.En == en:
			m.Text, m.Review = old.Text, old.Review
		default:
			m.Text, m.Review = old.Text, reviewOf(old, en)
		}
		out.Messages[k] = m
	}
	slices.Sort(fresh)
	memory := map[string]string{} // English → translation, of changelog sentences
	for _, k := range slices.Sorted(maps.Keys(t.Messages)) {
		if m := t.Messages[k]; strings.HasPrefix(k, changelogPrefix) && m.Review == "" && strings.TrimSpace(m.Text) != "" {
			if _, ok := memory[m.En]; !ok {
				memory[m.En] = m.Text
			}
		}
	}
	newInGroup, oldInGroup := map[string][]string{}, map[string][]string{}
	for _, k := range fresh {
		m := out.Messages[k]
		if text, ok := memory[m.En]; ok {
			m.Text = text
			out.Messages[k] = m
			continue
		}
		if g, ok := changeGroupOf(k); ok {
			newInGroup[g] = append(newInGroup[g], k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(t.Messages)) {
		if _, used := l.used[k]; used || strings.TrimSpace(t.Messages[k].Text) == "" {
			continue
		}
		if g, ok := changeGroupOf(k); ok {
			oldInGroup[g] = append(oldInGroup[g], k)
		}
	}
	for g, keys := range newInGroup {
		if olds := oldInGroup[g]; len(keys) == 1 && len(olds) == 1 {
			old, m := t.Messages[olds[0]], out.Messages[keys[0]]
			m.Text, m.Review = old.Text, reviewOf(old, m.En)
			out.Messages[keys[0]] = m
		}
	}
	return out
}

// reviewOf is the review mark of an old translation now given the English
// text en: the English it was made from, or none when that is en again.
func reviewOf(old Message, en string) string {
	from := cmp.Or(old.Review, old.En)
	if from == en {
		return ""
	}
	return from
}
