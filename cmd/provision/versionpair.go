package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/provisionhq/provision/internal/layout"
)

// versionPair is what diff and review compare: the version their first
// argument names (a git ref, a directory or a buf image) and the one their
// second names, proto/ of the repository when there is no second.
type versionPair struct {
	// root is the repository that holds the working directory; it may be
	// empty when both arguments are buf images, which need none.
	root string
	// oldRef and newRef are the two versions as given (newRef is proto/
	// when only one was), for labels and errors; newPath is what to load
	// for the second.
	oldRef, newRef, newPath string
}

// readVersionPair reads the one or two version arguments of fs.
func readVersionPair(fs *flag.FlagSet) (versionPair, error) {
	root, err := layout.FindRoot(".")
	if err != nil && !(fs.NArg() == 2 && isFile(fs.Arg(0)) && isFile(fs.Arg(1))) {
		// Two buf images need no repository; anything else does.
		return versionPair{}, err
	}
	p := versionPair{root: root, oldRef: fs.Arg(0), newRef: layout.ProtoDir, newPath: filepath.Join(root, layout.ProtoDir)}
	if fs.NArg() == 2 {
		p.newRef, p.newPath = fs.Arg(1), fs.Arg(1)
	}
	return p, nil
}

// isFile reports whether path is an existing regular file.
func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular()
}

// newFile returns the path to print for file, a .proto file of the second
// version as the catalog names it: relative to the repository, as buf
// prints it, when that version is the repository's proto/; as named
// otherwise (a git ref, an image or another directory has its own root).
func (p versionPair) newFile(file string) string {
	if p.root == "" || p.newPath != filepath.Join(p.root, layout.ProtoDir) {
		return file
	}
	return layout.RepoPath(p.root, file)
}

// compareFlags are the flags and arguments diff and review share: the
// output format, one product, the names of the two versions in the
// output, the output file, and the one or two versions themselves.
type compareFlags struct {
	formats []string
	// first and second name the arguments in messages: OLD and NEW, or
	// BASE and HEAD.
	first, second string

	format, product, firstLabel, secondLabel, out *string
}

// addCompareFlags defines the shared flags on fs: verb says what -product
// limits ("compare", "review"), noun what is written ("report").
func addCompareFlags(fs *flag.FlagSet, formats []string, defaultFormat, first, second, verb, noun string) *compareFlags {
	c := &compareFlags{formats: formats, first: first, second: second}
	c.format = fs.String("format", defaultFormat, "output format: "+strings.Join(formats, ", "))
	c.product = fs.String("product", "", verb+" only the product with this ID")
	label := func(arg string) *string {
		name := strings.ToLower(arg)
		return fs.String(name+"-label", "", fmt.Sprintf("name of the %s version in the %s (default: %s as given)", name, noun, arg))
	}
	c.firstLabel, c.secondLabel = label(first), label(second)
	c.out = fs.String("o", "", "write the "+noun+" to this file instead of stdout")
	return c
}

// parse parses args into fs and reads the versions they name. When done,
// the command stops with code: help was asked for, or the command line or
// the repository is wrong (said on stderr).
func (c *compareFlags) parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pair versionPair, code int, done bool) {
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return versionPair{}, code, true
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return versionPair{}, usageError(fs, stderr, "want "+c.first+" and at most one "+c.second), true
	}
	if !slices.Contains(c.formats, *c.format) {
		return versionPair{}, usageError(fs, stderr, fmt.Sprintf("unknown -format %q (want %s)", *c.format, strings.Join(c.formats, ", "))), true
	}
	pair, err := readVersionPair(fs)
	if err != nil {
		return versionPair{}, fail(stderr, err), true
	}
	return pair, 0, false
}
