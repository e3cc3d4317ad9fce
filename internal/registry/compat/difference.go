package compat

import "fmt"

// Direction says which schema reads which in the comparison that found a
// Difference.
type Direction uint8

const (
	// History marks the rules of RequireReserved, which compare the
	// versions' history rather than a reader with a writer.
	History Direction = iota
	// ReadsPrevious is the backward check: the candidate reads data
	// written with the previous version.
	ReadsPrevious
	// ReadByPrevious is the forward check: the previous version reads
	// data written with the candidate.
	ReadByPrevious
)

// String returns BACKWARD, FORWARD or RESERVED.
func (d Direction) String() string {
	switch d {
	case ReadsPrevious:
		return "BACKWARD"
	case ReadByPrevious:
		return "FORWARD"
	default:
		return "RESERVED"
	}
}

// Difference is one reason a candidate is not compatible with a previous
// version.
type Difference struct {
	// Rule is the ID of the rule the difference breaks.
	Rule Rule
	// Direction is the check that found it.
	Direction Direction
	// Previous is the index, in the previous versions given to Check, of
	// the version compared.
	Previous int
	// File is the path of the file that declares the element: the
	// candidate's when the element is there, else the previous version's
	// (or an import of either, for a type declared in an import).
	File string
	// Path is the full name of the element: a package, message, field,
	// oneof or enum value, as the candidate names it when it has it.
	Path string
	// Message says what differs, in words, naming the old (previous) and
	// new (candidate) schema.
	Message string
}

// String returns the difference on one line: direction, rule, path and
// message.
func (d Difference) String() string {
	return fmt.Sprintf("%s %s %s: %s", d.Direction, d.Rule, d.Path, d.Message)
}
