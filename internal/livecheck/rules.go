package livecheck

import "fmt"

// Level is how serious a finding is.
type Level int

// The levels, least serious first.
const (
	// Info is for the record: coverage.
	Info Level = iota
	// Warning is a payload that breaks the catalog's rules in a way that
	// sends no more than the pages say.
	Warning
	// Violation is data sent that the pages do not say is sent, or not in
	// the form they say.
	Violation
)

// levelNames are the levels as the reports and -fail-on spell them.
var levelNames = [...]string{Info: "info", Warning: "warning", Violation: "violation"}

// String returns the level's name: info, warning or violation.
func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return fmt.Sprintf("level(%d)", int(l))
	}
	return levelNames[l]
}

// MarshalText writes the level's name.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// ParseLevel reads a level's name.
func ParseLevel(s string) (Level, error) {
	for l, name := range levelNames {
		if name == s {
			return Level(l), nil
		}
	}
	return 0, fmt.Errorf("unknown level %q (want info, warning or violation)", s)
}

// Rule is the ID of a check, in UPPER_SNAKE.
type Rule string

// The rules of live-check.
const (
	RuleMessageUndeclared  Rule = "MESSAGE_UNDECLARED"
	RuleScenarioNotAllowed Rule = "SCENARIO_NOT_ALLOWED"
	RuleFieldNotAllowed    Rule = "FIELD_NOT_ALLOWED"
	RuleFieldUnknown       Rule = "FIELD_UNKNOWN"
	RuleRedactionShape     Rule = "REDACTION_SHAPE"
	RuleValueRule          Rule = "VALUE_RULE"
	RuleItemExpired        Rule = "ITEM_EXPIRED"
	RuleScenarioNotSeen    Rule = "SCENARIO_NOT_SEEN"
	RuleItemNotSeen        Rule = "ITEM_NOT_SEEN"
	RuleExpiryNotJudged    Rule = "EXPIRY_NOT_JUDGED"
)

// RuleSpec is a rule with its level and the one sentence that says what
// it checks.
type RuleSpec struct {
	ID      Rule   `json:"id"`
	Level   Level  `json:"level"`
	Purpose string `json:"purpose"`
}

// Rules are every rule live-check reports, in the order reports list them.
var Rules = []RuleSpec{
	{RuleMessageUndeclared, Violation, "Checks that every payload is of a scenario message the catalog declares."},
	{RuleScenarioNotAllowed, Violation, "Checks that no payload is sent of a scenario the consent does not allow or whose data never leaves the computer."},
	{RuleFieldNotAllowed, Violation, "Checks that no field is sent that the consent does not allow, because its agreement is not held or its redaction drops it."},
	{RuleFieldUnknown, Violation, "Checks that no field is sent that the payload's message does not declare."},
	{RuleRedactionShape, Violation, "Checks that every redacted value has the shape its redaction gives under the consent."},
	{RuleValueRule, Warning, "Checks that every value sent meets the rules of its field as transmitted."},
	{RuleItemExpired, Violation, "Checks that no scenario or item is sent on or after the day it expires."},
	{RuleScenarioNotSeen, Info, "Checks that the capture holds a payload of every scenario the consent allows."},
	{RuleItemNotSeen, Info, "Checks that the capture shows every item the consent allows in some payload."},
	{RuleExpiryNotJudged, Info, "Checks that every scenario or item the capture showed that expires with a product version is listed as not judged, since a payload does not say its product's version."},
}

// Spec returns the rule's spec.
func (r Rule) Spec() (RuleSpec, bool) {
	for _, s := range Rules {
		if s.ID == r {
			return s, true
		}
	}
	return RuleSpec{}, false
}

// Finding is one thing a check found.
type Finding struct {
	Rule  Rule  `json:"rule"`
	Level Level `json:"level"`
	// Source is the capture file ("-" for standard input), empty for a
	// coverage finding.
	Source string `json:"source,omitempty"`
	// Record is the record's line in an NDJSON capture, 0 for a file that
	// holds one payload.
	Record int `json:"record,omitempty"`
	// Scenario is the ID of the payload's scenario, when it has one.
	Scenario string `json:"scenario,omitempty"`
	// Message is the payload's message.
	Message string `json:"message,omitempty"`
	// Field is the field's path from the payload's message, with list
	// indexes and map keys ("items[2].url"); empty for the whole payload.
	Field string `json:"field,omitempty"`
	// Expires is the expiry of the scenario or item the finding is about
	// (ITEM_EXPIRED: the day, YYYY-MM-DD; EXPIRY_NOT_JUDGED: "product
	// version 3.0").
	Expires string `json:"expires,omitempty"`
	// Text says what is wrong, never with the value.
	Text string `json:"text"`
}

// Where names the finding's record: file, file:line, or the catalog.
func (f Finding) Where() string {
	switch {
	case f.Source == "":
		return "catalog"
	case f.Record > 0:
		return fmt.Sprintf("%s:%d", f.Source, f.Record)
	}
	return f.Source
}
