package jsonschema

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// ajvDir holds the Node program that runs Ajv, with its package.json and
// package-lock.json; `npm ci` there installs Ajv and ajv-formats.
const ajvDir = "testdata/ajv"

// needAjv skips the test when Node or the npm packages are missing, and
// fails it instead under CI=true.
func needAjv(t *testing.T) string {
	t.Helper()
	missing := func(why string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (CI=true: Ajv must run)", why)
		}
		t.Skip(why)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed")
	}
	for _, pkg := range []string{"ajv", "ajv-formats"} {
		if _, err := os.Stat(filepath.Join(ajvDir, "node_modules", pkg, "package.json")); err != nil {
			missing("npm package " + pkg + " is not installed: run npm ci in internal/gen/jsonschema/" + ajvDir)
		}
	}
	return node
}

// ajvResult is what run.mjs prints.
type ajvResult struct {
	Compiled int      `json:"compiled"`
	Errors   []string `json:"errors"`
	Warnings []string `json:"warnings"`
	Accepted []*bool  `json:"accepted"`
}

// TestAjv compiles every generated schema of every set with Ajv 2020-12
// and ajv-formats in Ajv's default (strict) mode, told only of
// index.json's vocabulary, and runs the mutation corpus through them: it
// must compile all of them without an error or a warning, and judge the
// corpus as TestMutationCorpus requires. Where JavaScript reads a number
// other than it is written (beyond 2^53), Ajv may judge otherwise, as the
// package documentation says.
func TestAjv(t *testing.T) {
	t.Parallel()
	node := needAjv(t)
	cases, err := corpora()
	if err != nil {
		t.Fatal(err)
	}
	sets := loadGenerated(t)
	dir := t.TempDir()
	if err := writeCorpus(dir, sets, cases, nil); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), node, "run.mjs", dir)
	cmd.Dir = ajvDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node run.mjs: %v\n%s", err, stderr.String())
	}
	var res ajvResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("node run.mjs printed %q: %v", out, err)
	}
	schemas := 0
	for _, set := range sets {
		schemas += len(set.files) - 1
	}
	t.Logf("Ajv compiled %d schemas of %d", res.Compiled, schemas)
	if res.Compiled != schemas {
		t.Errorf("Ajv compiled %d schemas, want %d", res.Compiled, schemas)
	}
	for _, e := range res.Errors {
		t.Errorf("Ajv: %s", e)
	}
	for _, w := range res.Warnings {
		t.Errorf("Ajv warns: %s", w)
	}
	if len(res.Accepted) != len(cases) {
		t.Fatalf("Ajv judged %d cases, want %d", len(res.Accepted), len(cases))
	}
	accepted := make([]bool, len(cases))
	for i, a := range res.Accepted {
		if a == nil {
			t.Fatalf("case %d: Ajv has no schema %s of %s", i, cases[i].Schema, cases[i].Set)
		}
		accepted[i] = *a
	}
	quirk := quirkExcuse(sets)
	judge(cases, accepted, func(c corpusCase) string {
		if x := quirk(c); x != "" {
			return x
		}
		if holdsWideNumber(c.Payload) {
			return "numbers JavaScript compares as doubles (beyond 2^53)"
		}
		return ""
	}).report(t, "Ajv")
}

// holdsWideNumber reports whether the payload holds a JSON number beyond
// 2^53 in magnitude, or one a double does not hold exactly (1e400):
// JavaScript reads it, and the bounds of the 64-bit kinds, as doubles,
// so 2^64 passes for 2^64-1.
func holdsWideNumber(payload []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return false
	}
	limit := new(big.Rat).SetInt64(1 << 53)
	var wide func(any) bool
	wide = func(v any) bool {
		switch x := v.(type) {
		case json.Number:
			exact, ok := new(big.Rat).SetString(string(x))
			if !ok {
				return false
			}
			f, err := strconv.ParseFloat(string(x), 64)
			if err != nil || math.IsInf(f, 0) {
				return true
			}
			return new(big.Rat).Abs(exact).Cmp(limit) > 0 || new(big.Rat).SetFloat64(f).Cmp(exact) != 0
		case map[string]any:
			for _, e := range x {
				if wide(e) {
					return true
				}
			}
		case []any:
			for _, e := range x {
				if wide(e) {
					return true
				}
			}
		}
		return false
	}
	return wide(v)
}
