package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/provisionhq/provision/internal/registry/auth"
	"github.com/provisionhq/provision/internal/registry/store"
)

// Confluent Schema Registry's error codes, as its clients read them.
const (
	codeUnauthorized       = 40101
	codeForbidden          = 40301
	codeSubjectNotFound    = 40401
	codeVersionNotFound    = 40402
	codeSchemaNotFound     = 40403
	codeSubjectSoftDeleted = 40404
	codeSubjectNotSoftDel  = 40405
	codeVersionSoftDeleted = 40406
	codeVersionNotSoftDel  = 40407
	codeConfigNotFound     = 40408
	codeModeNotFound       = 40409
	codeIncompatible       = 40901
	codeInvalidSchema      = 42201
	codeInvalidVersion     = 42202
	codeInvalidCompat      = 42203
	codeInvalidMode        = 42204
	codeNotPermitted       = 42205
	codeReferenceExists    = 42206
	codeInvalidSubject     = 42208
	codeInternal           = 50001
	codeStoreUnavailable   = 50002
	// Codes Confluent gives as the HTTP status itself.
	codeBadRequest   = 400
	codeNotFound     = 404
	codeBodyTooLarge = 413
	// codeCatalogNotFound is provision's: no such catalog version.
	codeCatalogNotFound = 40410
	// codeUntranslated is provision's: a page lacks translations.
	codeUntranslated = 42215
)

// apiError is an error the API answers with: an HTTP status, Confluent's
// error code and a message for the client. Handlers return it; only
// writeError writes it.
type apiError struct {
	status int
	code   int
	msg    string
	// findings, for a refusal by the model or the privacy rules, are
	// listed in the body beside the message.
	findings []Finding
	// cause is logged, never sent.
	cause error
}

// Error implements error.
func (e *apiError) Error() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%d %d: %s", e.status, e.code, e.msg)
}

// Unwrap returns the cause.
func (e *apiError) Unwrap() error { return e.cause }

// errorf returns an apiError with a formatted message.
func errorf(status, code int, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, msg: fmt.Sprintf(format, args...)}
}

// invalidSchema returns a 422 (42201) with the message.
func invalidSchema(format string, args ...any) *apiError {
	return errorf(http.StatusUnprocessableEntity, codeInvalidSchema, format, args...)
}

// toAPIError maps any error to the apiError that answers it: the one
// function that knows which store sentinel is which Confluent code.
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return errorf(http.StatusRequestEntityTooLarge, codeBodyTooLarge, "request body over the limit of %d bytes", mbe.Limit)
	case errors.Is(err, auth.ErrUnauthenticated):
		return &apiError{status: http.StatusUnauthorized, code: codeUnauthorized, msg: "Unauthorized: " + trimSentinel(err, auth.ErrUnauthenticated), cause: err}
	case errors.Is(err, auth.ErrForbidden):
		return &apiError{status: http.StatusForbidden, code: codeForbidden, msg: trimSentinel(err, auth.ErrForbidden), cause: err}
	case errors.Is(err, store.ErrSubjectNotFound):
		return &apiError{status: http.StatusNotFound, code: codeSubjectNotFound, msg: "Subject not found", cause: err}
	case errors.Is(err, store.ErrVersionNotFound):
		return &apiError{status: http.StatusNotFound, code: codeVersionNotFound, msg: "Version not found", cause: err}
	case errors.Is(err, store.ErrSchemaNotFound):
		return &apiError{status: http.StatusNotFound, code: codeSchemaNotFound, msg: "Schema not found", cause: err}
	case errors.Is(err, store.ErrReferenceNotFound):
		return &apiError{status: http.StatusUnprocessableEntity, code: codeInvalidSchema, msg: "Invalid schema: " + err.Error(), cause: err}
	case errors.Is(err, store.ErrReferenced):
		return &apiError{status: http.StatusUnprocessableEntity, code: codeReferenceExists, msg: "One or more references exist to the schema: " + err.Error(), cause: err}
	case errors.Is(err, store.ErrNotSoftDeleted):
		return &apiError{status: http.StatusNotFound, code: codeVersionNotSoftDel, msg: "Not soft-deleted: a permanent delete needs a soft delete first", cause: err}
	case errors.Is(err, store.ErrAlreadySoftDeleted):
		return &apiError{status: http.StatusNotFound, code: codeVersionSoftDeleted, msg: "Already soft-deleted", cause: err}
	case errors.Is(err, store.ErrIDConflict), errors.Is(err, store.ErrVersionExists):
		return &apiError{status: http.StatusUnprocessableEntity, code: codeNotPermitted, msg: "Operation not permitted: " + err.Error(), cause: err}
	case errors.Is(err, store.ErrConfigNotFound):
		return &apiError{status: http.StatusNotFound, code: codeConfigNotFound, msg: "Subject does not have subject-level compatibility configured", cause: err}
	case errors.Is(err, store.ErrModeNotFound):
		return &apiError{status: http.StatusNotFound, code: codeModeNotFound, msg: "Subject does not have subject-level mode configured", cause: err}
	case errors.Is(err, store.ErrCatalogNotFound):
		return &apiError{status: http.StatusNotFound, code: codeCatalogNotFound, msg: "Catalog version not found", cause: err}
	case errors.Is(err, store.ErrFieldNotFound):
		return &apiError{status: http.StatusNotFound, code: codeNotFound, msg: "No registered catalog version has a field of that name", cause: err}
	case errors.Is(err, store.ErrAPIKeyExists):
		return &apiError{status: http.StatusConflict, code: codeNotPermitted, msg: "An API key with that name exists", cause: err}
	case errors.Is(err, store.ErrInvalid):
		return &apiError{status: http.StatusUnprocessableEntity, code: codeInvalidSchema, msg: "Invalid input: " + err.Error(), cause: err}
	case errors.Is(err, context.DeadlineExceeded):
		return &apiError{status: http.StatusServiceUnavailable, code: codeStoreUnavailable, msg: "The request took too long", cause: err}
	}
	return &apiError{status: http.StatusInternalServerError, code: codeInternal, msg: "Internal error", cause: err}
}

// trimSentinel returns err's text without the ": sentinel" its wrapping
// added.
func trimSentinel(err, sentinel error) string {
	s := err.Error()
	if n := len(s) - len(sentinel.Error()) - 2; n > 0 && s[n:] == ": "+sentinel.Error() {
		return s[:n]
	}
	return s
}
