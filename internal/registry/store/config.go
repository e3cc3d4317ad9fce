package store

import (
	"context"
	"errors"
	"fmt"
)

// Compatibility is a compatibility level, as Confluent names it.
type Compatibility string

// The compatibility levels. DefaultCompatibility applies where none is set.
const (
	None               Compatibility = "NONE"
	Backward           Compatibility = "BACKWARD"
	BackwardTransitive Compatibility = "BACKWARD_TRANSITIVE"
	Forward            Compatibility = "FORWARD"
	ForwardTransitive  Compatibility = "FORWARD_TRANSITIVE"
	Full               Compatibility = "FULL"
	FullTransitive     Compatibility = "FULL_TRANSITIVE"

	DefaultCompatibility = Backward
)

// ReservedSuffix ends the name of one of provision's own levels: a
// Confluent level that also requires the number of a removed field or
// enum value to be reserved (internal/registry/compat's RequireReserved),
// as BACKWARD_RESERVED.
const ReservedSuffix = "_RESERVED"

// compatibilities are the levels the store accepts: Confluent's, and each
// with ReservedSuffix.
var compatibilities = func() map[Compatibility]bool {
	m := map[Compatibility]bool{}
	for _, c := range []Compatibility{None, Backward, BackwardTransitive, Forward, ForwardTransitive, Full, FullTransitive} {
		m[c] = true
		m[c+ReservedSuffix] = true
	}
	return m
}()

// Valid reports whether c is a compatibility level the store accepts.
func (c Compatibility) Valid() bool { return compatibilities[c] }

// Config is the configuration of a subject or the global one.
type Config struct {
	Compatibility Compatibility
}

// Validate returns an error wrapping ErrInvalid if c cannot be stored.
func (c Config) Validate() error {
	if !c.Compatibility.Valid() {
		return fmt.Errorf("compatibility level %q: %w", c.Compatibility, ErrInvalid)
	}
	return nil
}

// Mode is what a subject or the registry accepts, as Confluent names it.
type Mode string

// The modes. DefaultMode applies where none is set.
const (
	ReadWrite Mode = "READWRITE"
	ReadOnly  Mode = "READONLY"
	Import    Mode = "IMPORT"

	DefaultMode = ReadWrite
)

// Valid reports whether m is a mode the store accepts.
func (m Mode) Valid() bool { return m == ReadWrite || m == ReadOnly || m == Import }

// EffectiveConfig returns the configuration that applies to subject: its
// own, else the global one, else DefaultCompatibility.
func EffectiveConfig(ctx context.Context, s Store, subject string) (Config, error) {
	for _, name := range []string{subject, ""} {
		c, err := s.Config(ctx, name)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, ErrConfigNotFound) {
			return Config{}, err
		}
		if name == "" {
			break
		}
	}
	return Config{Compatibility: DefaultCompatibility}, nil
}

// EffectiveMode returns the mode that applies to subject: its own, else the
// global one, else DefaultMode.
func EffectiveMode(ctx context.Context, s Store, subject string) (Mode, error) {
	for _, name := range []string{subject, ""} {
		m, err := s.Mode(ctx, name)
		if err == nil {
			return m, nil
		}
		if !errors.Is(err, ErrModeNotFound) {
			return "", err
		}
		if name == "" {
			break
		}
	}
	return DefaultMode, nil
}
