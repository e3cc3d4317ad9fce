package country

import "testing"

func TestName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code, lang, want string
	}{
		{"DE", "en", "Germany"},
		{"DE", "de", "Deutschland"},
		{"CH", "en", "Switzerland"},
		{"RU", "de", "Russland"},
		{"US", "en", "United States"},
		{"CA", "xx-invalid-", "Canada"}, // a malformed tag falls back to English
		{"XX", "en", "XX"},              // not a country CLDR names
		{"ZZ", "en", "ZZ"},              // unknown region
		{"EU", "en", "EU"},              // a grouping, not a country
		{"de", "en", "de"},              // not upper case: shown as written
		{"", "en", ""},
		{"D<script>", "en", "D<script>"},
	}
	for _, tt := range tests {
		if got := Name(tt.code, tt.lang); got != tt.want {
			t.Errorf("Name(%q, %q) = %q, want %q", tt.code, tt.lang, got, tt.want)
		}
	}
}

func TestInSentence(t *testing.T) {
	t.Parallel()
	tests := []struct{ code, want string }{
		{"NL", "the Netherlands"},
		{"US", "the United States"},
		{"GB", "the United Kingdom"},
		{"IE", "Ireland"},
		{"CA", "Canada"},
		{"XX", "XX"}, // not named: the code, without an article
		{"", ""},
	}
	for _, tt := range tests {
		if got := InSentence(tt.code); got != tt.want {
			t.Errorf("InSentence(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func FuzzName(f *testing.F) {
	for _, s := range []string{"DE", "xx", "ZZ", "\x00"} {
		f.Add(s, "en")
	}
	f.Fuzz(func(t *testing.T, code, lang string) {
		if Name(code, lang) == "" && code != "" {
			t.Errorf("Name(%q, %q) is empty", code, lang)
		}
	})
}
