package main

import (
	"flag"
	"os"
	"path/filepath"

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
