package compat

import (
	"errors"
	"fmt"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// ErrNilFile is wrapped by Check for a candidate or previous version that
// is nil.
var ErrNilFile = errors.New("nil file descriptor")

// Check compares the candidate with the previous versions of its subject,
// oldest first, under level and returns every difference that makes it
// incompatible; none means compatible. Each schema is one file with its
// imports, compared whole (every message and enum it declares, whatever
// message a record uses), as Confluent does.
//
// A level that is not transitive compares with the latest version, the
// last of previous; a transitive level compares with each, newest first,
// and reports the differences with all of them (Confluent stops at the
// first incompatible version: the verdict is the same). Under a level
// with both directions, the backward differences with a version come
// before the forward ones, and the RequireReserved ones last. With no
// previous version, or under None, nothing is incompatible.
//
// Check returns an error, and no differences, only for an invalid level
// or a nil file.
func Check(level Level, candidate protoreflect.FileDescriptor, previous []protoreflect.FileDescriptor) ([]Difference, error) {
	if !level.Valid() {
		return nil, fmt.Errorf("check compatibility: %w: %d", ErrInvalidLevel, uint8(level))
	}
	if candidate == nil {
		return nil, fmt.Errorf("check compatibility: candidate: %w", ErrNilFile)
	}
	for i, p := range previous {
		if p == nil {
			return nil, fmt.Errorf("check compatibility: previous version %d: %w", i, ErrNilFile)
		}
	}
	if len(previous) == 0 {
		return nil, nil
	}
	first := len(previous) - 1
	if level.Transitive() {
		first = 0
	}
	var diffs []Difference
	for i := len(previous) - 1; i >= first; i-- {
		p := previous[i]
		if level.Backward() {
			diffs = append(diffs, compareFiles(ReadsPrevious, i, p, candidate)...)
		}
		if level.Forward() {
			diffs = append(diffs, compareFiles(ReadByPrevious, i, candidate, p)...)
		}
		if level.ReservesNumbers() {
			diffs = append(diffs, checkReserved(i, p, candidate)...)
		}
	}
	return diffs, nil
}

// Compatible reports whether Check finds no difference; an invalid level
// or nil file is not compatible.
func Compatible(level Level, candidate protoreflect.FileDescriptor, previous []protoreflect.FileDescriptor) bool {
	diffs, err := Check(level, candidate, previous)
	return err == nil && len(diffs) == 0
}
