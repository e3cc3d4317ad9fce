package store

import "errors"

// FieldEntry is one data item of one catalog version in the field index:
// where it is (catalog, version, product, scenario, path), what it is
// (labels, comment, classification) and how it is sent (agreement,
// purposes, redaction, storage countries). A field is identified across
// versions by Message and Number, not by its name, so a rename keeps its
// history.
type FieldEntry struct {
	Catalog  string `json:"catalog"`
	Version  int    `json:"version"`
	Product  string `json:"product"`
	Scenario string `json:"scenario"`
	// Message is the full name of the message that declares the field.
	Message string `json:"message"`
	// Number is the field's number in Message.
	Number int32 `json:"number"`
	// FullName is the field's full name in this version.
	FullName string `json:"full_name"`
	// Path is the dotted path from the scenario message.
	Path string `json:"path"`
	// Labels are the field's label by language ("en" and every
	// translation that has one).
	Labels          map[string]string `json:"labels"`
	Comment         string            `json:"comment"`
	Category        string            `json:"category"`
	Identifiability string            `json:"identifiability"`
	Agreement       string            `json:"agreement"`
	Purposes        []string          `json:"purposes"`
	Redaction       string            `json:"redaction"`
	Countries       []string          `json:"storage_countries"`
}

// FieldVersionLatest and FieldVersionAll are the special values of
// FieldQuery.Version: each catalog's latest version, or every version.
const (
	FieldVersionLatest = 0
	FieldVersionAll    = -1
)

// FieldQuery selects entries of the field index. Empty strings match
// everything.
type FieldQuery struct {
	// Text is matched against the labels (every language) and the
	// comment: every word must occur.
	Text            string
	Category        string
	Identifiability string
	Agreement       string
	Redaction       string
	Product         string
	// CatalogPrefix keeps only the catalogs whose name starts with it
	// (an API key limited to a prefix).
	CatalogPrefix string
	// Version is a catalog version number, FieldVersionLatest or
	// FieldVersionAll.
	Version int
	// Limit and Offset page the answer; Limit ≤ 0 means MaxFieldLimit.
	Limit, Offset int
}

// MaxFieldLimit is the largest page SearchFields returns.
const MaxFieldLimit = 1000

// FieldHit is an entry found by SearchFields with its relevance (higher
// is better; 0 without Text).
type FieldHit struct {
	FieldEntry
	Rank float64 `json:"rank"`
}

// ErrFieldNotFound: no indexed catalog version has a field of that name.
var ErrFieldNotFound = errors.New("field not found")
