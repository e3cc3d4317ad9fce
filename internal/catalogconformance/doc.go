// Package catalogconformance is for tests only and holds no code but the
// imports that link the catalog's generated Go into the tests that need
// it (link.go). Its tests are tests of this repository's catalog (proto/, with its
// translations in i18n/ and its example versions in testdata/versions)
// against its sources, the seed documents: every seed item is modelled in
// the seed's words, every item is fully annotated and its example valid,
// the agreements are the seeds', every text of the pages is translated,
// and the example version shows every kind of weakening.
//
// An edit to the catalog may need an edit here; the engine's tests never
// do. They run on small fixtures and on the fictional Acme catalog
// (testdata/catalogs), or derive what they expect from the catalog they
// load; what only this catalog can answer lives here, and derives what it
// can (counts come from the catalog, not from literals).
package catalogconformance
