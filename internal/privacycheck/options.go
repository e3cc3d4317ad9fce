package privacycheck

import (
	"fmt"
	"slices"
	"strings"

	"buf.build/go/bufplugin/option"
)

// OptionIdentifierInClearUnder is the plugin option, set in buf.yaml, that
// lists the agreement IDs under which IDENTIFIER_NOT_KEPT lets an
// identifier be sent as it is: a company's exemption is its catalog's
// configuration, not the engine's.
//
//	plugins:
//	  - plugin: ["go", "run", "./cmd/buf-plugin-provision"]
//	    options:
//	      identifier_in_clear_under: ["CLOUD_EXTENDED"]
const OptionIdentifierInClearUnder = "identifier_in_clear_under"

// optionKeys are the options the plugin knows; any other is refused, so a
// misspelt exemption fails the check instead of passing unnoticed.
var optionKeys = []string{OptionIdentifierInClearUnder, OptionExpiringWithin, OptionToday}

// ruleOptions are the plugin's options, read once per request.
type ruleOptions struct {
	identifierInClearUnder []string
}

// readOptions reads the plugin's options, refusing an unknown key or a
// value of the wrong type.
func readOptions(opts option.Options) (ruleOptions, error) {
	var unknown []string
	opts.Range(func(key string, _ any) {
		if !slices.Contains(optionKeys, key) {
			unknown = append(unknown, key)
		}
	})
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return ruleOptions{}, fmt.Errorf("buf-plugin-provision: unknown option %s in buf.yaml (known: %s)", strings.Join(unknown, ", "), strings.Join(optionKeys, ", "))
	}
	ids, err := option.GetStringSliceValue(opts, OptionIdentifierInClearUnder)
	if err != nil {
		return ruleOptions{}, fmt.Errorf("buf-plugin-provision: option %s: want a list of agreement IDs: %w", OptionIdentifierInClearUnder, err)
	}
	return ruleOptions{identifierInClearUnder: ids}, nil
}
