// Package catalogtest is for tests only and holds no code: its tests prove
// that the engine knows no company. They run every tool of provision — the
// model, the Go, JSON Schema and disclosure-page generators, the lint and
// breaking rules of the buf plugin and the diff — on a second catalog, of
// the fictional Acme Telemetry Ltd (testdata/catalogs/acme, and
// testdata/catalogs/acme-v2, a later version with one change that gives
// less privacy), and check that nothing they print names the vendor of
// the repository's own catalog, while the agreement words they print are
// the ones the fictional catalog declares.
package catalogtest
