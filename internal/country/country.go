// Package country names the countries of ISO 3166-1 alpha-2 codes in any
// language, from the Unicode CLDR data of golang.org/x/text: the one
// country table the pages and the diff share, so no catalog needs its own.
package country

import (
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Name returns the name of the country with ISO 3166-1 alpha-2 code in
// language lang (a BCP 47 tag such as "en" or "de"). A code CLDR does not
// name, or a malformed one, is returned as it is: a page then shows the
// code rather than a wrong name.
func Name(code, lang string) string {
	r, err := language.ParseRegion(code)
	if err != nil || !r.IsCountry() || r.String() != code {
		return code
	}
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.English
	}
	n := display.Regions(tag)
	if n == nil {
		n = display.English.Regions()
	}
	if name := n.Name(r); name != "" {
		return name
	}
	return code
}

// takesThe lists the countries whose English name takes "the" inside a
// sentence ("stored in the Netherlands").
var takesThe = map[string]bool{
	"AE": true, "BS": true, "CF": true, "CK": true, "DO": true, "FK": true, "FO": true,
	"GB": true, "GM": true, "KM": true, "KY": true, "MH": true, "MV": true, "NL": true,
	"PH": true, "SB": true, "SC": true, "TC": true, "US": true, "VG": true, "VI": true,
}

// InSentence returns the English name of the country with ISO 3166-1
// alpha-2 code as it reads inside a sentence: Name in English, with "the"
// where English puts it before the name ("the Netherlands"). A code that
// Name returns as it is stays as it is.
func InSentence(code string) string {
	name := Name(code, "en")
	if name != code && takesThe[code] {
		return "the " + name
	}
	return name
}
