package impl

import (
	"strconv"
	"strings"
)

// RedactError lists the fields Redact cleared because they could not be
// redacted. The message it returns with is safe to send: every such field
// is cleared. It is what the generated Redact methods and the reflection
// engine return, and its message carries the package prefix:
//
//	provision: redact: svm_id: HMAC key "svm": unknown key
//
// or, for several fields, one a line:
//
//	provision: redact: 2 fields:
//	 - installation_id: HMAC key "installation": unknown key
//	 - svm_id: HMAC key "svm": unknown key
type RedactError struct {
	Fields []*FieldError
}

// Error lists the fields and why each was cleared; "" for a nil
// *RedactError or one that lists no field.
func (e *RedactError) Error() string {
	if e == nil {
		return ""
	}
	switch len(e.Fields) {
	case 0:
		return ""
	case 1:
		return prefix + "redact: " + e.Fields[0].Error()
	}
	var b strings.Builder
	b.WriteString(prefix + "redact: " + strconv.Itoa(len(e.Fields)) + " fields:")
	for _, f := range e.Fields {
		b.WriteString("\n - ")
		b.WriteString(f.Error())
	}
	return b.String()
}

// Unwrap returns the field errors, for errors.Is and errors.As; nil for a
// nil *RedactError.
func (e *RedactError) Unwrap() []error {
	if e == nil {
		return nil
	}
	out := make([]error, len(e.Fields))
	for i, f := range e.Fields {
		out[i] = f
	}
	return out
}

// Add records that the field at path was cleared because of err. It is
// for generated code and the runtime's reflection engine only; do not call
// it: Redact fills the error it returns.
func (e *RedactError) Add(path string, err error) {
	e.Fields = append(e.Fields, &FieldError{Path: path, Err: err})
}

// Err returns the fields e lists as an error (a *RedactError), or nil
// when it lists none. The error is a new value, not e itself, so that a
// RedactError declared on the stack of Redact stays there: redaction that
// clears no field does not allocate.
func (e *RedactError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return &RedactError{Fields: e.Fields}
}

// FieldError is a field that could not be redacted: its value did not fit
// the strategy (a malformed IP address or URL), or the strategy could not
// run (an unknown HMAC key). The field has been cleared: it is not sent.
// It is a part of a RedactError, which carries the package prefix; its own
// message does not.
type FieldError struct {
	// Path is the field's dotted path of proto names from the payload.
	Path string
	Err  error
}

// Error names the field and the cause, never the value: "svm_id: HMAC key
// "svm": unknown key". It is "" for a nil *FieldError.
func (e *FieldError) Error() string {
	switch {
	case e == nil:
		return ""
	case e.Err == nil:
		return e.Path
	}
	return e.Path + ": " + e.Err.Error()
}

// Unwrap returns the cause; nil for a nil *FieldError.
func (e *FieldError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}
