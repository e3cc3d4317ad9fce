package impl

// prefix begins the message of every error the client API returns, once.
// It is written here only: errors made inside this package carry no
// prefix, and the entry points a client calls (the root package's
// functions, the methods of the types it aliases, the generated methods
// through runtime/provisionimpl) add it with Prefixed. RedactError and
// ValidationError, which entry points return as they are, write it in
// their Error methods.
const prefix = "provision: "

// prefixedError is an error as an entry point returns it: the package
// prefix, then the message of the error it wraps.
type prefixedError struct {
	err error
}

// Error returns the prefixed message of the wrapped error; "" for a nil
// *prefixedError.
func (e *prefixedError) Error() string {
	if e == nil {
		return ""
	}
	if e.err == nil {
		return prefix + "<nil>"
	}
	return prefix + e.err.Error()
}

// Unwrap returns the wrapped error, for errors.Is and errors.As.
func (e *prefixedError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.err
}

// Prefixed returns err as an entry point of the client API returns it, its
// message beginning with "provision: ". nil stays nil, and an error that
// already carries the prefix — returned by another entry point, or a
// *RedactError or *ValidationError — is returned as it is, so that an
// error passed up through several entry points is prefixed once.
func Prefixed(err error) error {
	switch err.(type) {
	case nil:
		return nil
	case *prefixedError, *RedactError, *ValidationError:
		return err
	}
	return &prefixedError{err: err}
}

// unprefixed returns err without the prefix an entry point gave it, for a
// caller that wraps it in context of its own and is itself behind an
// entry point: a KeyProvider's error, for example, which a StaticKeys
// returns prefixed.
func unprefixed(err error) error {
	if p, ok := err.(*prefixedError); ok && p != nil {
		return p.err
	}
	return err
}
