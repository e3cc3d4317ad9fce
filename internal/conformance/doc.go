// Package conformance holds the tests that hold the generated Go code, the
// reflection engine and the catalog to one another: a differential test
// (and fuzz target) that generated and reflection redaction, validation and
// metadata agree on random payloads of every scenario under every consent,
// and a canary test that nothing a consent does not allow, or allows only
// transformed, leaks into any encoding of a redacted payload. They run on
// every scenario of the repository's catalog and of the fictional Acme
// catalog (whose generated Go is the golden of internal/gen/golang), and
// expect nothing of either but what they derive from its model.
package conformance
