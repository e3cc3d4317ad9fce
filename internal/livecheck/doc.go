// Package livecheck checks captured traffic against the catalog: that what
// a product really sent under a consent is what the disclosure pages say
// it sends. It reads captures (capture.go), resolves the message of each
// record (by name, or by schema ID through a registry), and checks each
// payload against the catalog's own contract for that scenario and
// consent: the JSON Schema of the payload as transmitted, which
// internal/gen/jsonschema generates from the model in process, the same
// schema gen/jsonschema publishes for collectors. Nothing here restates a
// redaction's shape: a value that the transmitted schema refuses is a
// finding, classified by the model as a field the consent does not allow
// (FIELD_NOT_ALLOWED), a field no schema declares (FIELD_UNKNOWN), a value
// that does not have the shape its redaction gives (REDACTION_SHAPE) or a
// kept value that breaks its field's rules (VALUE_RULE). A scenario or
// item sent on or after its expiry date, at the checker's clock
// (WithClock), is ITEM_EXPIRED; an expiry by product version cannot be
// judged from a payload and is listed as EXPIRY_NOT_JUDGED. The report also
// says which scenarios and items of the catalog the capture showed and
// which it never did (coverage).
//
// Every finding has a rule ID and a level (Rules lists them); a report
// fails at or above a level. Input that cannot be read (a file, a record,
// a frame, a payload that does not decode) is an InputError naming the
// file and the record, never a panic.
package livecheck
