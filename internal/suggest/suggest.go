// Package suggest names what a misspelled name in a .proto file was meant
// to be. The compilers say that a field of an option value, or an option,
// is unknown (buf names the message, not the word, for a field); suggest
// adds the word and the nearest valid name to their message, so that
// `identifiabilty` in a (provision.v1.field) annotation reads as a typo of
// identifiability, and (provision.v1.feild) as one of provision.v1.field.
package suggest

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// Nearest returns the candidate nearest to name by edit distance, and
// whether it is near enough to be what name misspells: at most a third of
// name's length in edits (one at least). Ties go to the candidate listed
// first.
func Nearest(name string, candidates []string) (string, bool) {
	best, bestDist := "", -1
	for _, c := range candidates {
		if d := distance(strings.ToLower(name), strings.ToLower(c)); bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist < 0 || bestDist > max(1, len([]rune(name))/3) {
		return "", false
	}
	return best, true
}

// distance is the edit distance of a and b: the fewest insertions,
// deletions, substitutions of one character and swaps of two neighbours
// that turn a into b (the optimal string alignment distance: a swap is
// the commonest typo, and counts one).
func distance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

var (
	// bufUnknownField is buf's error for an unknown field name inside an
	// option value: it names the message, not the word.
	bufUnknownField = regexp.MustCompile("^(.+?):([0-9]+):([0-9]+):\\s*cannot resolve message field name for `([A-Za-z0-9_.]+)`\\s*$")
	// compilerUnknownField is protocompile's: it names the word and the
	// option, not the message that lacks the field.
	compilerUnknownField = regexp.MustCompile(`option \(([A-Za-z0-9_.]+)\)[^:]*: field ([A-Za-z0-9_]+) not found\s*$`)
	// bufUnknownName is buf's error for a name it cannot resolve, such as
	// the extension of a misspelled option.
	bufUnknownName = regexp.MustCompile("cannot find `([A-Za-z0-9_.]+)` in this scope\\s*$")
	// compilerUnknownExtension is protocompile's for a misspelled option.
	compilerUnknownExtension = regexp.MustCompile(`unknown extension ([A-Za-z0-9_.]+)\s*$`)
	// word is a protobuf identifier at the start of a string.
	word = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*`)
)

// Explain returns msg, an error message of buf or of protocompile, with
// each line that says a field of an option value is unknown followed by
// the misspelled word and, when one is near, the name it was meant to be.
// It reads the word buf does not name from the file at the line's
// position (relative to root when not absolute), and looks the messages
// up among the types linked into this program. Lines it cannot explain
// stay as they are.
func Explain(root, msg string) string {
	lines := strings.Split(msg, "\n")
	for i, line := range lines {
		if m := bufUnknownField.FindStringSubmatch(line); m != nil {
			md := message(m[4])
			name := wordAt(root, m[1], m[2], m[3])
			if md == nil || name == "" {
				continue
			}
			lines[i] = line + ": " + didYouMean(name, fieldNames(md))
			continue
		}
		if m := bufUnknownName.FindStringSubmatch(line); m != nil {
			if near, ok := nearestDeclared(m[1]); ok {
				lines[i] = fmt.Sprintf("%s; did you mean `%s`?", line, near)
			}
			continue
		}
		if m := compilerUnknownExtension.FindStringSubmatch(line); m != nil {
			if near, ok := nearestDeclared(m[1]); ok {
				lines[i] = fmt.Sprintf("%s; did you mean %s?", line, near)
			}
			continue
		}
		if m := compilerUnknownField.FindStringSubmatch(line); m != nil {
			ext, err := protoregistry.GlobalTypes.FindExtensionByName(protoreflect.FullName(m[1]))
			if err != nil || ext.TypeDescriptor().Message() == nil {
				continue
			}
			// The compiler does not say which message of the option
			// lacks the field: every message the option holds may.
			var names []string
			walk(ext.TypeDescriptor().Message(), map[protoreflect.FullName]bool{}, func(md protoreflect.MessageDescriptor) {
				names = append(names, fieldNames(md)...)
			})
			if near, ok := Nearest(m[2], names); ok {
				lines[i] = fmt.Sprintf("%s; did you mean %q?", line, near)
			}
		}
	}
	return strings.Join(lines, "\n")
}

// nearestDeclared returns the full name, among the messages, enums and
// extensions that the package of the full name full declares (as linked
// into this program), whose own name is nearest to full's, when it is
// near enough: the option (provision.v1.feild) was meant to be
// provision.v1.field.
func nearestDeclared(full string) (string, bool) {
	name := protoreflect.FullName(full)
	var names []string
	protoregistry.GlobalFiles.RangeFilesByPackage(name.Parent(), func(fd protoreflect.FileDescriptor) bool {
		for i := range fd.Messages().Len() {
			names = append(names, string(fd.Messages().Get(i).Name()))
		}
		for i := range fd.Enums().Len() {
			names = append(names, string(fd.Enums().Get(i).Name()))
		}
		for i := range fd.Extensions().Len() {
			names = append(names, string(fd.Extensions().Get(i).Name()))
		}
		return true
	})
	near, ok := Nearest(string(name.Name()), names)
	if !ok || near == string(name.Name()) {
		return "", false
	}
	return string(name.Parent().Append(protoreflect.Name(near))), true
}

// didYouMean words what a misspelled field name was meant to be, or, with
// no near name, which names there are.
func didYouMean(name string, names []string) string {
	if near, ok := Nearest(name, names); ok {
		return fmt.Sprintf("no field %q; did you mean %q?", name, near)
	}
	if len(names) == 0 {
		return fmt.Sprintf("no field %q (it has no fields)", name)
	}
	return fmt.Sprintf("no field %q (it has %s)", name, strings.Join(names, ", "))
}

// message returns the message named full among the linked types, or nil.
func message(full string) protoreflect.MessageDescriptor {
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(full))
	if err != nil {
		return nil
	}
	md, _ := d.(protoreflect.MessageDescriptor)
	return md
}

// fieldNames lists the names of md's fields, as the text format writes
// them, in declaration order.
func fieldNames(md protoreflect.MessageDescriptor) []string {
	var names []string
	for i := range md.Fields().Len() {
		names = append(names, string(md.Fields().Get(i).Name()))
	}
	return names
}

// walk calls fn on md and on every message its fields hold, each once.
func walk(md protoreflect.MessageDescriptor, seen map[protoreflect.FullName]bool, fn func(protoreflect.MessageDescriptor)) {
	if seen[md.FullName()] {
		return
	}
	seen[md.FullName()] = true
	fn(md)
	for i := range md.Fields().Len() {
		if f := md.Fields().Get(i); f.Message() != nil {
			walk(f.Message(), seen, fn)
		}
	}
}

// wordAt returns the identifier that starts at line and column (counted
// from 1, as the compilers print them) of the file, or "" when there is
// none or the file cannot be read.
func wordAt(root, file, line, column string) string {
	l, err1 := strconv.Atoi(line)
	c, err2 := strconv.Atoi(column)
	if err := errors.Join(err1, err2); err != nil || l < 1 || c < 1 {
		return ""
	}
	path := file
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, filepath.FromSlash(file))
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if n < l {
			continue
		}
		text := []rune(sc.Text())
		if c > len(text) {
			return ""
		}
		return word.FindString(string(text[c-1:]))
	}
	return ""
}

// Error returns err with its message explained (Explain), still wrapping
// err; nil stays nil.
func Error(root string, err error) error {
	if err == nil {
		return nil
	}
	msg := Explain(root, err.Error())
	if msg == err.Error() {
		return err
	}
	return &explained{msg: msg, err: err}
}

// explained is an error whose message Explain added to.
type explained struct {
	msg string
	err error
}

func (e *explained) Error() string { return e.msg }
func (e *explained) Unwrap() error { return e.err }
