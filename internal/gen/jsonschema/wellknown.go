package jsonschema

import (
	"math/big"
	"strconv"
	"strings"
)

// Timestamps, durations and field masks as protojson reads them.

// timestampPattern is a google.protobuf.Timestamp as protojson reads it:
// RFC 3339 as Go's time package parses it (the fraction after "." or
// ",", an offset of up to 24:60), at most nine fraction digits after a
// ".", a date that exists, from 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999999999Z. On the first and the last day of that
// range, an offset that carries the time out of it is refused by the
// hour; within the hour of the offset, the minutes are not compared.
var timestampPattern = func() string {
	const (
		time   = `(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]`
		frac   = `(?:\.[0-9]{1,9}|,[0-9]+)?`
		minute = `:(?:[0-5][0-9]|60)`
		offset = `(?:Z|[+-](?:[01][0-9]|2[0-4])` + minute + `)`
		day31  = `(?:0[1-9]|[12][0-9]|3[01])`
		day30  = `(?:0[1-9]|[12][0-9]|30)`
		feb    = `02-(?:0[1-9]|1[0-9]|2[0-8])`
		m30    = `(?:0[469]|11)-` + day30
		leap   = `(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)`
	)
	monthDay := `(?:(?:0[13578]|1[02])-` + day31 + `|` + m30 + `|` + feb + `)`
	notJan1 := `(?:01-(?:0[2-9]|[12][0-9]|3[01])|(?:0[3578]|1[02])-` + day31 + `|` + m30 + `|` + feb + `)`
	notDec31 := `(?:12-` + day30 + `|(?:0[13578]|10)-` + day31 + `|` + m30 + `|` + feb + `)`
	middle := "(?:" + strings.Join(sameLength("0002", "9998"), "|") + ")"
	date := `(?:` + middle + `-` + monthDay + `|0001-` + notJan1 + `|9999-` + notDec31 + `|` + leap + `-02-29)`
	alts := []string{
		date + `T` + time + frac + offset,
		// The first day: UTC, a negative offset, or a positive one no
		// later than the time.
		`0001-01-01T` + time + frac + `(?:Z|[+-]00:00|-(?:[01][0-9]|2[0-4])` + minute + `)`,
		// The last day: UTC, a positive offset, or a negative one that
		// does not carry the time into the next year.
		`9999-12-31T` + time + frac + `(?:Z|[+-]00:00|\+(?:[01][0-9]|2[0-4])` + minute + `)`,
	}
	for h := 0; h <= 23; h++ {
		hh := twoDigits(h)
		alts = append(alts,
			`0001-01-01T`+hoursBetween(h, 23)+`:[0-5][0-9]:[0-5][0-9]`+frac+`\+`+hh+minute,
			`9999-12-31T`+hoursBetween(0, 23-h)+`:[0-5][0-9]:[0-5][0-9]`+frac+`-`+hh+minute)
	}
	return "^(?:" + strings.Join(alts, "|") + ")$"
}()

// hoursBetween matches the two-digit hours from a to b.
func hoursBetween(a, b int) string {
	return "(?:" + strings.Join(sameLength(twoDigits(a), twoDigits(b)), "|") + ")"
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// durationPattern is a google.protobuf.Duration as protojson reads it: an
// optional sign, seconds without leading zeros (or none before a "."),
// up to nine fraction digits, "s", within ±315,576,000,000 seconds.
var durationPattern = `^[+-]?(?:(?:0|` + decimalRange(big.NewInt(1), big.NewInt(315576000000)) + `)(?:\.[0-9]{0,9})?|\.[0-9]{0,9})s$`

// fieldMaskPattern is a google.protobuf.FieldMask as protojson reads it:
// paths of lowerCamelCase names (a capital letter stands for "_" and the
// letter, so a name may begin with one) joined by ",", and white space
// around the whole, which it trims.
var fieldMaskPattern = func() string {
	const space = "[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*"
	const path = `[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*`
	return "^" + space + "(?:" + path + "(?:," + path + ")*)?" + space + "$"
}()
