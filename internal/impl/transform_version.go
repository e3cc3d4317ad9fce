package impl

import (
	"fmt"
	"strings"
)

// VersionGeneralizer keeps the leading components of a dot-separated
// version: the GeneralizeVersion redaction strategy ("11.2.0.4528" with 2
// components kept becomes "11.2"). A version with no more components than
// are kept is returned whole. A VersionGeneralizer is immutable and safe for
// concurrent use.
type VersionGeneralizer struct {
	keep int
}

// MaxVersionComponents is the most leading components a
// VersionGeneralizer keeps, the bound of the vocabulary's
// GeneralizeVersion.keep_components.
const MaxVersionComponents = 8

// NewVersionGeneralizer returns a VersionGeneralizer keeping keep leading
// components; keep outside [1, MaxVersionComponents] gives an error
// wrapping ErrInvalidParameter.
func NewVersionGeneralizer(keep int) (VersionGeneralizer, error) {
	if keep < 1 || keep > MaxVersionComponents {
		return VersionGeneralizer{}, fmt.Errorf("version components to keep %d, want 1 to %d: %w", keep, MaxVersionComponents, ErrInvalidParameter)
	}
	return VersionGeneralizer{keep: keep}, nil
}

// Generalize returns the first components of version. The whole of version
// must be well formed: one or more components separated by single dots,
// each a non-empty run of ASCII letters, digits, '-', '_' and '+' ("11.2.0",
// "1.0-beta+3"). Anything else — an empty string, "1..2", " 1.2", "1.2." —
// gives an error wrapping ErrInvalidVersion, and the caller drops the value.
// Generalize does not allocate.
func (g VersionGeneralizer) Generalize(version string) (string, error) {
	out, err := g.generalize(version)
	return out, Prefixed(err)
}

// generalize is Generalize, its error not prefixed.
func (g VersionGeneralizer) generalize(version string) (string, error) {
	if g.keep < 1 {
		return "", fmt.Errorf("generalise version: components to keep not set: %w", ErrInvalidParameter)
	}
	end, components := len(version), 0
	start := 0
	for i := 0; i <= len(version); i++ {
		if i < len(version) && version[i] != '.' {
			if !versionByte(version[i]) {
				return "", fmt.Errorf("generalise version: character at offset %d: %w", i, ErrInvalidVersion)
			}
			continue
		}
		if i == start {
			return "", fmt.Errorf("generalise version: empty component at offset %d: %w", i, ErrInvalidVersion)
		}
		components++
		if components == g.keep && end == len(version) {
			end = i
		}
		start = i + 1
	}
	return version[:end], nil
}

// versionByte reports whether c may appear in a version component.
func versionByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("-_+", c) >= 0
}
