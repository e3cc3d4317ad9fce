package compat

import (
	"errors"
	"fmt"
	"strings"
)

// Level is a compatibility level: which previous versions a candidate is
// checked against (the latest, or all of them when transitive), in which
// direction (the candidate reads their data, they read the candidate's, or
// both), and whether a removed field or enum value must have its number
// reserved (our opt-in addition). The zero Level is None.
type Level uint8

// The bits of a Level.
const (
	backwardBit   Level = 1 << iota // the candidate reads data written with a previous version
	forwardBit                      // a previous version reads data written with the candidate
	transitiveBit                   // every previous version, not only the latest
	reservedBit                     // removed numbers must be reserved (RESERVED_NUMBERS)
)

// The levels of Confluent Schema Registry, with its names.
const (
	// None checks nothing.
	None Level = 0
	// Backward checks that the candidate reads data written with the
	// latest previous version. It is the default (Default).
	Backward = backwardBit
	// BackwardTransitive checks that the candidate reads data written
	// with every previous version.
	BackwardTransitive = backwardBit | transitiveBit
	// Forward checks that the latest previous version reads data written
	// with the candidate.
	Forward = forwardBit
	// ForwardTransitive checks that every previous version reads data
	// written with the candidate.
	ForwardTransitive = forwardBit | transitiveBit
	// Full is Backward and Forward.
	Full = backwardBit | forwardBit
	// FullTransitive is BackwardTransitive and ForwardTransitive.
	FullTransitive = backwardBit | forwardBit | transitiveBit
)

// Default is the level of a subject that has none: Backward, as in
// Confluent Schema Registry.
const Default = Backward

// reservedSuffix ends the name of a level that requires reserved numbers.
const reservedSuffix = "_RESERVED"

// ErrInvalidLevel is wrapped by ParseLevel for a name that is no level,
// and by Check for a Level value that is none.
var ErrInvalidLevel = errors.New("invalid compatibility level")

// names are the Confluent names of the levels without the reserved bit.
var names = map[Level]string{
	None:               "NONE",
	Backward:           "BACKWARD",
	BackwardTransitive: "BACKWARD_TRANSITIVE",
	Forward:            "FORWARD",
	ForwardTransitive:  "FORWARD_TRANSITIVE",
	Full:               "FULL",
	FullTransitive:     "FULL_TRANSITIVE",
}

// Levels lists every valid level, Confluent's seven and then each of them
// with RequireReserved, in a stable order.
func Levels() []Level {
	base := []Level{None, Backward, BackwardTransitive, Forward, ForwardTransitive, Full, FullTransitive}
	out := append([]Level(nil), base...)
	for _, l := range base {
		out = append(out, l.RequireReserved())
	}
	return out
}

// ParseLevel returns the level named s: one of Confluent's names (NONE,
// BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,
// FULL_TRANSITIVE), in any case as Confluent accepts them, optionally
// followed by _RESERVED for the same level with RequireReserved
// ("BACKWARD_RESERVED", "FULL_TRANSITIVE_RESERVED", "NONE_RESERVED").
func ParseLevel(s string) (Level, error) {
	name := strings.ToUpper(strings.TrimSpace(s))
	var reserved bool
	if base, ok := strings.CutSuffix(name, reservedSuffix); ok {
		name, reserved = base, true
	}
	for l, n := range names {
		if n == name {
			if reserved {
				l = l.RequireReserved()
			}
			return l, nil
		}
	}
	return None, fmt.Errorf("parse level %q: %w: want NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE, optionally with the suffix %s", s, ErrInvalidLevel, reservedSuffix)
}

// String returns the level's name, as ParseLevel reads it: Confluent's
// name, with the suffix _RESERVED when it requires reserved numbers. An
// invalid level prints as INVALID(n).
func (l Level) String() string {
	if !l.Valid() {
		return fmt.Sprintf("INVALID(%d)", uint8(l))
	}
	s := names[l&^reservedBit]
	if l.ReservesNumbers() {
		s += reservedSuffix
	}
	return s
}

// Valid reports whether l is one of the levels Levels lists.
func (l Level) Valid() bool {
	_, ok := names[l&^reservedBit]
	return ok
}

// RequireReserved returns l with our opt-in rule: a field or enum value
// that a previous version has and the candidate lacks must have its number
// reserved in the candidate (FIELD_NUMBER_NOT_RESERVED,
// ENUM_VALUE_NUMBER_NOT_RESERVED). The previous versions checked are those
// of l: the latest, or all of them when l is transitive.
func (l Level) RequireReserved() Level { return l | reservedBit }

// ReservesNumbers reports whether l requires removed numbers to be
// reserved (RequireReserved).
func (l Level) ReservesNumbers() bool { return l&reservedBit != 0 }

// Backward reports whether l checks that the candidate reads data written
// with the previous versions it checks.
func (l Level) Backward() bool { return l&backwardBit != 0 }

// Forward reports whether l checks that the previous versions it checks
// read data written with the candidate.
func (l Level) Forward() bool { return l&forwardBit != 0 }

// Transitive reports whether l checks every previous version rather than
// the latest.
func (l Level) Transitive() bool { return l&transitiveBit != 0 }
