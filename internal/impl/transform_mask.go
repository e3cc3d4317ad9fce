package impl

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaskRune replaces each hidden character.
const MaskRune = '*'

// Masker hides all but a few leading and trailing characters of a string:
// the Mask redaction strategy ("4111111111111111" with 0 leading and 4
// trailing kept becomes "************1111").
//
// Characters are Unicode code points, not bytes, so a kept character is
// never cut in half; a character made of several code points (an accented
// letter written with a combining mark, a flag emoji) counts as several.
// Each hidden character becomes one MaskRune, so the length of the value
// remains visible. A byte that is not valid UTF-8 counts as one character
// and, when kept, is written as U+FFFD, so the result is always valid UTF-8.
//
// When the kept prefix and suffix together cover the whole string, nothing
// would be hidden: the whole string is masked instead (fail closed). The
// zero Masker masks everything. A Masker is immutable and safe for
// concurrent use.
type Masker struct {
	prefix, suffix int
}

// MaxMaskKeep is the most leading, and the most trailing, characters a
// Masker keeps: the bound of the vocabulary's Mask.keep_prefix and
// keep_suffix.
const MaxMaskKeep = 64

// NewMasker returns a Masker keeping keepPrefix leading and keepSuffix
// trailing characters. A count below 0 or above MaxMaskKeep gives an
// error wrapping ErrInvalidParameter.
func NewMasker(keepPrefix, keepSuffix int) (Masker, error) {
	if keepPrefix < 0 || keepSuffix < 0 || keepPrefix > MaxMaskKeep || keepSuffix > MaxMaskKeep {
		return Masker{}, fmt.Errorf("mask: kept prefix %d and suffix %d, want 0 to %d each: %w", keepPrefix, keepSuffix, MaxMaskKeep, ErrInvalidParameter)
	}
	return Masker{prefix: keepPrefix, suffix: keepSuffix}, nil
}

// Mask returns s with every character but the kept prefix and suffix
// replaced by MaskRune.
func (m Masker) Mask(s string) string {
	n := utf8.RuneCountInString(s)
	if m.prefix >= n || m.suffix >= n-m.prefix {
		return strings.Repeat(string(MaskRune), n)
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for _, r := range s { // an invalid byte yields utf8.RuneError
		if i < m.prefix || i >= n-m.suffix {
			b.WriteRune(r)
		} else {
			b.WriteByte(MaskRune)
		}
		i++
	}
	return b.String()
}
