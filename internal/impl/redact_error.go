package impl

import "strings"

// RedactError lists the fields Redact cleared because they could not be
// redacted. The message it returns with is safe to send: every such field
// is cleared.
type RedactError struct {
	Fields []*FieldError
}

// Error lists the fields, one a line; "" for a nil *RedactError.
func (e *RedactError) Error() string {
	if e == nil {
		return ""
	}
	lines := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		lines[i] = f.Error()
	}
	return strings.Join(lines, "\n")
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

// Add records that the field at path was cleared because of err.
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
type FieldError struct {
	// Path is the field's dotted path of proto names from the payload.
	Path string
	Err  error
}

// Error names the field and the cause, never the value; "" for a nil
// *FieldError.
func (e *FieldError) Error() string {
	switch {
	case e == nil:
		return ""
	case e.Err == nil:
		return "provision: redact " + e.Path
	}
	return "provision: redact " + e.Path + ": " + e.Err.Error()
}

// Unwrap returns the cause; nil for a nil *FieldError.
func (e *FieldError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}
