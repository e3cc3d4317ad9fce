package addscenario_test

import (
	"bytes"
	"cmp"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/gen/docs"
	"github.com/provisionhq/provision/internal/layout"
)

const (
	// fixtureID is the fixture scenario's ID, and fixtureFile where the
	// walk puts it: a new file in the package of the product fixtureID
	// begins with.
	fixtureID    = "ksvla.fixture"
	fixtureFile  = "proto/kaspersky/ksvla/v1/fixture.proto"
	fixtureLabel = "Walk fixture language"

	// acknowledgement is what the fixture scenario states, in its
	// (provision.v1.scenario) option, in place of the line
	// "// ACKNOWLEDGEMENT" of testdata/fixture.proto: a new scenario is a
	// privacy breaking finding (SCENARIO_ADDED), and its acknowledgement
	// names the scenario.
	acknowledgement = `acknowledged: {rule: "SCENARIO_ADDED" reason: "ksvla.fixture is a fixture of the walk."}`

	// seedsFile and seedsAnchor are where the seed items of each
	// scenario are listed, and the line the fixture's entry follows.
	seedsFile   = "internal/catalogconformance/seeds_test.go"
	seedsAnchor = "var seedItems = map[string][]string{\n"
)

// fixtureGerman translates the texts of the fixture scenario that no
// other text of the catalog shares; the others take the translation the
// catalog already has, as a translator would.
var fixtureGerman = map[string]string{
	"When the walk fixture runs": "Wenn das Prüfszenario läuft",
	fixtureLabel:                 "Sprache des Prüfszenarios",
	"A fixture: the maintainers assess that not following links avoids it.":                                                                    "Ein Prüfszenario: Die Betreuer des Katalogs schätzen ein, dass es vermieden wird, wenn man keinen Links folgt.",
	"A fixture: the maintainers assess that the data serves a function of the product.":                                                        "Ein Prüfszenario: Die Betreuer des Katalogs schätzen ein, dass die Daten einer Funktion des Produkts dienen.",
	"A fixture of the walk: it expires with the scenarios it stands beside.":                                                                   "Ein Prüfszenario: Es läuft mit den Szenarien ab, neben denen es steht.",
	"A fixture of the walk: no source states its flags.":                                                                                       "Ein Prüfszenario: Keine Quelle nennt seine Merkmale.",
	"A fixture of TestAddingAScenario, not a scenario of the catalog: its review stands for the one a new scenario needs before it is merged.": "Ein Prüfszenario von TestAddingAScenario, kein Szenario des Katalogs: Seine Prüfung steht für die, die ein neues Szenario braucht, bevor es aufgenommen wird.",
}

// changelogGerman is the German of each new sentence of a changelog:
// the fixture scenario's entry.
const changelogGerman = "Neu: das Prüfszenario."

// TestAddingAScenario walks the README's "Adding a scenario" on a copy of
// the repository, one subtest a step, running the commands the README
// gives: annotate (and check with inspect), list the seed items,
// translate (provision i18n, which must leave every existing
// translation as it was, then the fixture's German), generate (and
// generate -check), refresh the goldens (which a scenario of the catalog
// must leave as they are), check the lint and breaking rules, and test
// the packages the steps affect.
func TestAddingAScenario(t *testing.T) {
	if testing.Short() {
		t.Skip("walks the README's \"Adding a scenario\" on a copy of the repository (a minute or two); runs without -short")
	}
	root, err := layout.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := copyTracked(t, root)
	before := readGerman(t, dir)
	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"annotate", func(t *testing.T) {
			proto, err := os.ReadFile(filepath.Join("testdata", "fixture.proto"))
			if err != nil {
				t.Fatal(err)
			}
			proto = bytes.Replace(proto, []byte("// ACKNOWLEDGEMENT"), []byte(acknowledgement), 1)
			write(t, dir, fixtureFile, proto)
			out := run(t, dir, "go", "run", "./cmd/provision", "inspect", "-scenario", fixtureID, "-format", "json")
			if !strings.Contains(out, fixtureLabel) {
				t.Errorf("inspect -scenario %s does not list %q:\n%s", fixtureID, fixtureLabel, out)
			}
		}},
		{"list the seed items", func(t *testing.T) {
			src := string(read(t, dir, seedsFile))
			if !strings.Contains(src, seedsAnchor) {
				t.Fatalf("%s has no line %q: the README's step changed, follow it here", seedsFile, strings.TrimSpace(seedsAnchor))
			}
			entry := "\t" + `"` + fixtureID + `": {"` + fixtureLabel + `"},` + "\n"
			write(t, dir, seedsFile, []byte(strings.Replace(src, seedsAnchor, seedsAnchor+entry, 1)))
		}},
		{"translate", func(t *testing.T) {
			run(t, dir, "go", "run", "./cmd/provision", "i18n")
			after := readGerman(t, dir)
			known := map[string]string{} // English → German, of the catalog as it was
			for _, k := range slices.Sorted(maps.Keys(before.Messages)) {
				if m := before.Messages[k]; m.Text != "" && known[m.En] == "" {
					known[m.En] = m.Text
				}
			}
			for k, m := range before.Messages {
				if got, ok := after.Messages[k]; !ok || got != m {
					t.Errorf("provision i18n changed %s: %+v, was %+v", k, after.Messages[k], m)
				}
			}
			for _, k := range slices.Sorted(maps.Keys(after.Messages)) {
				m := after.Messages[k]
				if _, old := before.Messages[k]; old {
					continue
				}
				if m.Text != "" || m.Review != "" {
					t.Errorf("new key %s: %+v, want an empty text", k, m)
				}
				switch text := cmp.Or(fixtureGerman[m.En], known[m.En]); {
				case text != "":
					m.Text = text
				case strings.HasPrefix(k, "changelog."):
					m.Text = changelogGerman
				default:
					t.Errorf("new key %s: no German for %q (add it to fixtureGerman)", k, m.En)
				}
				after.Messages[k] = m
			}
			data, err := after.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			write(t, dir, "i18n/de.json", data)
		}},
		{"generate", func(t *testing.T) {
			run(t, dir, "go", "run", "./cmd/provision", "generate")
			run(t, dir, "go", "run", "./cmd/provision", "generate", "-check")
		}},
		{"refresh the goldens", func(t *testing.T) {
			was := run(t, dir, "git", "status", "--porcelain", "--untracked-files=all")
			run(t, dir, strings.Fields(fixture.UpdateGoldens)...)
			if now := run(t, dir, "git", "status", "--porcelain", "--untracked-files=all"); now != was {
				t.Errorf("%s rewrote goldens for a scenario of the catalog; before:\n%s\nafter:\n%s", fixture.UpdateGoldens, was, now)
			}
		}},
		{"check lint and breaking rules", func(t *testing.T) {
			run(t, dir, "go", "tool", "-modfile=tools/go.mod", "buf", "lint")
			run(t, dir, "go", "tool", "-modfile=tools/go.mod", "buf", "breaking", "proto", "--against", "testdata/versions/released.binpb")
		}},
		{"test", func(t *testing.T) {
			// The catalog's own tests, the pages' tests (without the
			// browser), and the product's generated Go; the drift of
			// every generated file was checked by generate -check.
			run(t, dir, "go", "vet", "./gen/go/...")
			run(t, dir, "go", "test", "-short", "-skip", "TestSiteInBrowser", "./internal/catalogconformance", "./internal/gen/docs")
		}},
	}
	for _, step := range steps {
		if !t.Run(step.name, step.run) {
			t.Fatalf("step %q failed: the README's \"Adding a scenario\" does not work as written (copy of the repository in %s)", step.name, dir)
		}
	}
	changed := run(t, dir, "git", "status", "--porcelain", "--untracked-files=all")
	for _, want := range []string{fixtureFile, seedsFile, "i18n/de.json", "gen/go/kaspersky/ksvla/v1/fixture.pb.go", "docs/"} {
		if !strings.Contains(changed, want) {
			t.Errorf("the walk changed no %s; it changed:\n%s", want, changed)
		}
	}
}

// copyTracked copies every file git tracks in root into a new temporary
// directory, beside a link to root's ../shared when there is one, makes it a git repository with those files committed, and
// returns it.
func copyTracked(t *testing.T, root string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed, and CI=true: .ci/run installs it")
		}
		t.Skip("git is not installed: the walk copies the files git tracks")
	}
	list, err := exec.CommandContext(t.Context(), "git", "-C", root, "ls-files", "-z").Output()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("git ls-files in %s: %v", root, err)
		}
		t.Skipf("%s is not a git work tree (git ls-files: %v): the walk copies the files git tracks", root, err)
	}
	// The copy sits beside ../shared as the checkout does, so that the
	// tests that read the seeds (TestQuotesAreVerbatim) find them.
	parent := t.TempDir()
	dir := filepath.Join(parent, "provision")
	if shared, err := filepath.Abs(filepath.Join(root, "..", "shared")); err == nil {
		if _, err := os.Stat(shared); err == nil {
			if err := os.Symlink(shared, filepath.Join(parent, "shared")); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, name := range strings.Split(strings.TrimSuffix(string(list), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if errors.Is(err, os.ErrNotExist) {
			continue // deleted in the work tree, not yet in git
		}
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	run(t, dir, "git", "init", "-q")
	run(t, dir, "git", "add", "-A")
	run(t, dir, "git", "-c", "user.name=walk", "-c", "user.email=walk@example.com", "commit", "-q", "-m", "the repository as tracked")
	return dir
}

// run runs a command in dir and returns its standard output; it fails
// the test, with the command and its output, if the command fails.
func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), args[0], args[1:]...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s (in %s): %v\n%s%s", strings.Join(args, " "), dir, err, &stdout, &stderr)
	}
	return stdout.String()
}

func read(t *testing.T, dir, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// readGerman reads the copy's German translation.
func readGerman(t *testing.T, dir string) *docs.Translation {
	t.Helper()
	tr, err := docs.ParseTranslation("i18n/de.json", read(t, dir, "i18n/de.json"))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}
