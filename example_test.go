package provision_test

import (
	"bytes"
	"fmt"
	"log"
	"math"
	"math/rand/v2"

	"github.com/provisionhq/provision"
)

// The shape of what generated code does with a field: send it only when the
// consent grants its agreement, transformed by its redaction strategy, and
// drop it when the transform fails.
func Example() {
	agreements, err := provision.NewAgreements("example.v1",
		provision.AgreementDecl{ID: "LICENSE"},
		provision.AgreementDecl{ID: "CLOUD_STANDARD", Implies: []string{"LICENSE"}},
		provision.AgreementDecl{ID: "CLOUD_EXTENDED", Implies: []string{"CLOUD_STANDARD"}})
	if err != nil {
		log.Fatal(err)
	}
	consent, err := agreements.Consent("CLOUD_EXTENDED")
	if err != nil {
		log.Fatal(err)
	}
	sanitizer, err := provision.NewURLSanitizer()
	if err != nil {
		log.Fatal(err)
	}
	scanned := "https://alice:pw@shop.example/checkout?session_id=8f2a&item=42#pay"
	if consent.Grants("CLOUD_STANDARD") {
		if u, err := sanitizer.Sanitize(scanned); err == nil {
			fmt.Println("scanned URL:", u)
		}
	}
	// Output:
	// scanned URL: https://shop.example/checkout?session_id=REDACTED&item=42
}

// A product declares its agreements; a consent holds those a user
// accepted and every agreement they imply. Generated packages declare
// their product's agreements as typed constants with a NewConsent of
// their own.
func ExampleAgreements_Consent() {
	agreements, err := provision.NewAgreements("example.v1",
		provision.AgreementDecl{ID: "LICENSE"},
		provision.AgreementDecl{ID: "CLOUD_STANDARD", Implies: []string{"LICENSE"}},
		provision.AgreementDecl{ID: "CLOUD_EXTENDED", Implies: []string{"CLOUD_STANDARD"}})
	if err != nil {
		log.Fatal(err)
	}
	consent, err := agreements.Consent("CLOUD_STANDARD")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(consent)
	fmt.Println(consent.Grants("LICENSE"))
	fmt.Println(consent.Grants("CLOUD_EXTENDED"))
	fmt.Println(consent.Grants(provision.AgreementNone))
	_, err = agreements.Consent("CLOUD_PREMIUM")
	fmt.Println(err)
	// Output:
	// [LICENSE CLOUD_STANDARD]
	// true
	// false
	// false
	// provision: consent: example.v1 declares no agreement "CLOUD_PREMIUM": invalid agreement
}

func ExampleNewStaticKeys() {
	keys, err := provision.NewStaticKeys(map[string][]byte{
		"ids-2025": bytes.Repeat([]byte{0x42}, 32), // from a secret store in real code
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(keys.IDs())
	fmt.Printf("%v %#v\n", keys, keys)
	_, err = keys.Key("ids-2024")
	fmt.Println(err)
	// Output:
	// [ids-2025]
	// [redacted] [redacted]
	// provision: key "ids-2024": unknown key
}

func ExampleHasher_HashString() {
	keys, err := provision.NewStaticKeys(map[string][]byte{"ids-2025": bytes.Repeat([]byte{0x42}, 32)})
	if err != nil {
		log.Fatal(err)
	}
	h, err := provision.NewHasher(keys, "ids-2025")
	if err != nil {
		log.Fatal(err)
	}
	s, err := h.HashString("1c8b2f4e-6a8d-4c0e-9f1e-0a7b3c5d7e9f")
	if err != nil {
		log.Fatal(err)
	}
	b, err := h.HashBytes([]byte{1, 2, 3})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s)
	fmt.Println(len(b), b[0])
	// Output:
	// v2:e21a74accdcdc938e56ff5f9a10fa666c118fb663d2e7e6471ac183997af6d15
	// 33 2
}

func ExampleIPTruncator() {
	def, err := provision.NewIPTruncator()
	if err != nil {
		log.Fatal(err)
	}
	for _, ip := range []string{"192.0.2.33", "2001:db8:85a3:8d3:1319:8a2e:370:7348", "::ffff:198.51.100.77", "fe80::1%eth0", "2002:c633:6417::1", "192.0.2.1:80"} {
		out, err := def.TruncateString(ip)
		fmt.Printf("%q %v\n", out, err)
	}
	narrow, err := provision.NewIPTruncator(provision.WithIPv4Prefix(16))
	if err != nil {
		log.Fatal(err)
	}
	b, _ := narrow.TruncateBytes([]byte{203, 0, 113, 9})
	fmt.Println(b)
	// Output:
	// "192.0.2.0" <nil>
	// "2001:db8:85a3::" <nil>
	// "::ffff:198.51.100.0" <nil>
	// "fe80::" <nil>
	// "2002:c633:6400::" <nil>
	// "" provision: truncate IP: text of 12 bytes: invalid IP address
	// [203 0 0 0]
}

func ExampleURLSanitizer_Sanitize() {
	s, err := provision.NewURLSanitizer(provision.WithRedactQuery("q"))
	if err != nil {
		log.Fatal(err)
	}
	for _, raw := range []string{
		"https://bob:secret@example.com:8443/search?q=tax+return&lang=en&api_key=abc#results",
		"https://Shop.Example/cart;jsessionid=0AF3?user_pw=x&next=https%3A%2F%2Fbob%40mail.example%2F%3Ftoken%3Dt",
		"http://198.51.100.23/to/bob@mail.example",
		"javascript://example.com/%0Aalert(1)",
		"/relative/path",
	} {
		out, err := s.Sanitize(raw)
		fmt.Printf("%q %v\n", out, err)
	}
	// Output:
	// "https://example.com:8443/search?q=REDACTED&lang=en&api_key=REDACTED" <nil>
	// "https://shop.example/cart;jsessionid=REDACTED?user_pw=REDACTED&next=https%3A%2F%2Fmail.example%2F%3Ftoken%3DREDACTED" <nil>
	// "http://198.51.100.0/to/REDACTED" <nil>
	// "" provision: sanitise URL: scheme of 10 bytes is not one of http, https, ws, wss, ftp: invalid URL
	// "" provision: sanitise URL: want scheme and host: invalid URL
}

func ExampleVersionGeneralizer_Generalize() {
	g, err := provision.NewVersionGeneralizer(2)
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range []string{"11.2.0.4528", "5", "1..2"} {
		out, err := g.Generalize(v)
		fmt.Printf("%q %v\n", out, err)
	}
	// Output:
	// "11.2" <nil>
	// "5" <nil>
	// "" provision: generalise version: empty component at offset 2: invalid version
}

func ExampleBuckets_Bucket() {
	vms, err := provision.NewBuckets[int64](1, 10, 50, 100, 500)
	if err != nil {
		log.Fatal(err)
	}
	var out []int64
	for _, n := range []int64{0, 7, 73, 5000} {
		b, _ := vms.Bucket(n)
		out = append(out, b)
	}
	fmt.Println(out)
	ratio, err := provision.NewBuckets(0, 0.25, 0.5, 0.75)
	if err != nil {
		log.Fatal(err)
	}
	r, _ := ratio.Bucket(0.6)
	fmt.Println(r)
	// Output:
	// [1 1 50 500]
	// 0.5
}

func ExampleMasker_Mask() {
	m, err := provision.NewMasker(2, 2)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Mask("ABCD-EFGH-IJKL"))
	fmt.Println(m.Mask("Zürich"))
	fmt.Println(m.Mask("abc")) // prefix and suffix cover it: all masked
	// Output:
	// AB**********KL
	// Zü**ch
	// ***
}

func ExampleNewGeometric() {
	// A seeded source only to make the example reproducible: real code
	// leaves the crypto/rand default.
	src := provision.WithRandomSource(rand.NewPCG(1, 2))
	g, err := provision.NewGeometric(1, 0.5, src)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("scale %.4f\n", g.Scale())
	var sent []int64
	for range 5 {
		n, err := g.Noise(120) // a count of protected VMs
		if err != nil {
			continue // drop the value
		}
		sent = append(sent, n)
	}
	fmt.Println(sent)
	// Output:
	// scale 2.0000
	// [122 121 122 121 115]
}

func ExampleNewLaplace() {
	src := provision.WithRandomSource(rand.NewPCG(1, 2)) // tests only
	l, err := provision.NewLaplace(1, 0.5, src)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("scale %.4f, grid 2^%.0f\n", l.Scale(), math.Log2(l.Granularity()))
	v, err := l.Noise(37.25)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%.4f\n", v)
	// Output:
	// scale 2.0000, grid 2^-24
	// 38.1396
}
