package compat

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/provisionhq/provision/internal/fixture"
	"github.com/provisionhq/provision/internal/layout"
)

// The differential test compares Check's BACKWARD verdict with buf
// breaking's WIRE category, run as a subprocess (buf cannot be linked: see
// DESIGN.md) on the corpus of corpus_test.go. Every pair lives in files
// of its own (pNNNN/…) and packages of its own (pNNNN.…), so that one buf
// run over two images checks the whole corpus.

// bufFinding is one finding of buf breaking --error-format json.
type bufFinding struct {
	Path    string `json:"path"`
	Type    string `json:"type"`
	Message string `json:"message"`
}

// prefixed returns the pair's schema in its own files and packages:
// paths under pNNNN/, packages under pNNNN., every type reference and
// import renamed alike. The well-known types keep theirs.
func prefixed(s schema, id int) schema {
	p := fmt.Sprintf("p%04d", id)
	out := s.clone()
	own := map[string]bool{}
	for _, f := range out.files() {
		own[f.GetName()] = true
	}
	for _, f := range out.files() {
		f.Name = proto.String(p + "/" + f.GetName())
		if f.GetPackage() == "" {
			f.Package = proto.String(p)
		} else {
			f.Package = proto.String(p + "." + f.GetPackage())
		}
		for i, d := range f.Dependency {
			if own[d] {
				f.Dependency[i] = p + "/" + d
			}
		}
	}
	typeRefs(out, func(ref *string) {
		if !strings.HasPrefix(*ref, ".google.protobuf.") {
			*ref = "." + p + *ref
		}
	})
	return out
}

// image writes the files of every schema, the well-known types they
// import first, as one FileDescriptorSet, which buf reads as an image.
func image(schemas []schema) ([]byte, error) {
	set := &descriptorpb.FileDescriptorSet{}
	wkt := map[string]bool{}
	for _, s := range schemas {
		for _, f := range s.files() {
			for _, d := range f.Dependency {
				if strings.HasPrefix(d, "google/protobuf/") && !wkt[d] {
					fd, err := protoregistry.GlobalFiles.FindFileByPath(d)
					if err != nil {
						return nil, fmt.Errorf("well-known type %s: %w", d, err)
					}
					wkt[d] = true
					set.File = append(set.File, protodesc.ToFileDescriptorProto(fd))
				}
			}
		}
	}
	for _, s := range schemas {
		set.File = append(set.File, s.files()...)
	}
	return proto.Marshal(set)
}

// runBuf runs buf breaking over the images writeImages wrote into dir,
// with the given category, and returns the findings by pair ID.
func runBuf(ctx context.Context, dir string, category string) (map[int][]bufFinding, error) {
	root, err := layout.FindRoot(".")
	if err != nil {
		return nil, err
	}
	config := fmt.Sprintf(`{"version":"v2","breaking":{"use":[%q]}}`, category)
	cmd := exec.CommandContext(ctx, "go", "tool", "-modfile=tools/go.mod", "buf", "breaking",
		filepath.Join(dir, "new.binpb"), "--against", filepath.Join(dir, "old.binpb"),
		"--config", config, "--error-format", "json")
	cmd.Dir = root
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 100) {
		return nil, fmt.Errorf("buf breaking %s: %w\n%s", category, err, stderr.String())
	}
	out := map[int][]bufFinding{}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<20)
	for sc.Scan() {
		var f bufFinding
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			return nil, fmt.Errorf("buf breaking %s: output %q: %w", category, sc.Text(), err)
		}
		id, err := strconv.Atoi(strings.TrimPrefix(strings.SplitN(f.Path, "/", 2)[0], "p"))
		if err != nil {
			return nil, fmt.Errorf("buf breaking %s: finding outside a pair: %+v", category, f)
		}
		out[id] = append(out[id], f)
	}
	return out, nil
}

// writeImages writes the old and new images of the pairs into dir.
func writeImages(dir string, pairs []pair) error {
	var olds, news []schema
	for _, p := range pairs {
		olds = append(olds, prefixed(p.old, p.id))
		news = append(news, prefixed(p.new, p.id))
	}
	for name, schemas := range map[string][]schema{"old.binpb": olds, "new.binpb": news} {
		data, err := image(schemas)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// sides are a pair's two schemas linked, as Check and the explanations
// read them.
type sides struct {
	old, new protoreflect.FileDescriptor
}

// fieldRE reads the field and message buf names in a field finding.
var fieldRE = regexp.MustCompile(`^Field "(\d+)" (?:with name "[^"]*" )?on message "([^"]+)"`)

// bufField returns the old and new field a buf finding is about, either
// nil where the schema lacks it.
func bufField(s sides, f bufFinding) (old, new protoreflect.FieldDescriptor) {
	m := fieldRE.FindStringSubmatch(f.Message)
	if m == nil {
		return nil, nil
	}
	n, _ := strconv.Atoi(m[1])
	find := func(fd protoreflect.FileDescriptor) protoreflect.FieldDescriptor {
		fd = fileByPath(fd, f.Path)
		if fd == nil {
			return nil
		}
		var found protoreflect.FieldDescriptor
		walkMessages(fd.Messages(), func(md protoreflect.MessageDescriptor) {
			if found == nil && (string(md.Name()) == m[2] || strings.HasSuffix(string(md.FullName()), "."+m[2])) {
				found = md.Fields().ByNumber(protoreflect.FieldNumber(n))
			}
		})
		return found
	}
	return find(s.old), find(s.new)
}

// fileByPath returns fd or the import of it at path, or nil.
func fileByPath(fd protoreflect.FileDescriptor, path string) protoreflect.FileDescriptor {
	if fd.Path() == path {
		return fd
	}
	imports := fd.Imports()
	for i := range imports.Len() {
		if found := fileByPath(imports.Get(i).FileDescriptor, path); found != nil {
			return found
		}
	}
	return nil
}

// fieldByPath returns the field of fd (or its imports) of the full name
// path, or nil.
func fieldByPath(fd protoreflect.FileDescriptor, path string) protoreflect.FieldDescriptor {
	var found protoreflect.FieldDescriptor
	var visit func(f protoreflect.FileDescriptor)
	visit = func(f protoreflect.FileDescriptor) {
		walkMessages(f.Messages(), func(md protoreflect.MessageDescriptor) {
			fields := md.Fields()
			for i := range fields.Len() {
				if string(fields.Get(i).FullName()) == path {
					found = fields.Get(i)
				}
			}
		})
		imports := f.Imports()
		for i := range imports.Len() {
			visit(imports.Get(i).FileDescriptor)
		}
	}
	visit(fd)
	return found
}

// walkMessages calls fn with every message of ms, nested ones too.
func walkMessages(ms protoreflect.MessageDescriptors, fn func(protoreflect.MessageDescriptor)) {
	for i := range ms.Len() {
		fn(ms.Get(i))
		walkMessages(ms.Get(i).Messages(), fn)
	}
}

// integer reports whether k is one of the varint kinds an enum shares its
// group with.
func integer(k protoreflect.Kind) bool {
	return scalarGroup(k) == "varint" && k != protoreflect.EnumKind
}

// knownDifference is a documented difference between Confluent's
// semantics (Check) and buf's WIRE category. bufOnly explains a finding
// buf makes and Check does not; checkOnly explains a difference Check
// finds and buf does not. The package documentation lists them under the
// same names.
type knownDifference struct {
	name      string
	bufOnly   func(s sides, f bufFinding) bool
	checkOnly func(s sides, d Difference) bool
	// shownBy names the table case that shows a difference with
	// WIRE_JSON only; the table cases name the differences with WIRE
	// themselves (ruleCase.differs).
	shownBy string
}

// jsonOnlyRules are the rules of buf's WIRE_JSON category that WIRE does
// not have (buf config ls-breaking-rules): what changes the JSON form.
var jsonOnlyRules = []string{
	"ENUM_SAME_JSON_FORMAT", "ENUM_VALUE_SAME_NAME", "FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME",
	"MESSAGE_SAME_JSON_FORMAT", "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
	"FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
	"FIELD_WIRE_JSON_COMPATIBLE_TYPE",
}

// knownDifferences are the documented differences, each listed in the
// package documentation under its name.
var knownDifferences = []knownDifference{
	{
		name: "removed field number not reserved",
		bufOnly: func(_ sides, f bufFinding) bool {
			return f.Type == "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"
		},
	},
	{
		name: "enum values",
		bufOnly: func(_ sides, f bufFinding) bool {
			return f.Type == "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED"
		},
	},
	{
		name: "reservations",
		bufOnly: func(_ sides, f bufFinding) bool {
			return f.Type == "RESERVED_MESSAGE_NO_DELETE" || f.Type == "RESERVED_ENUM_NO_DELETE"
		},
	},
	{
		name: "defaults",
		bufOnly: func(_ sides, f bufFinding) bool {
			return f.Type == "FIELD_SAME_DEFAULT"
		},
	},
	{
		name: "enums",
		bufOnly: func(s sides, f bufFinding) bool {
			o, n := bufField(s, f)
			if f.Type != "FIELD_WIRE_COMPATIBLE_TYPE" || o == nil || n == nil {
				return false
			}
			ok, nk := o.Kind(), n.Kind()
			return ok == protoreflect.EnumKind && (nk == protoreflect.EnumKind || integer(nk)) ||
				nk == protoreflect.EnumKind && integer(ok)
		},
	},
	{
		name: "bytes to string",
		bufOnly: func(s sides, f bufFinding) bool {
			o, n := bufField(s, f)
			return f.Type == "FIELD_WIRE_COMPATIBLE_TYPE" && o != nil && n != nil &&
				o.Kind() == protoreflect.BytesKind && n.Kind() == protoreflect.StringKind
		},
	},
	{
		name: "message type of the same name",
		bufOnly: func(s sides, f bufFinding) bool {
			o, n := bufField(s, f)
			return f.Type == "FIELD_WIRE_COMPATIBLE_TYPE" && o != nil && n != nil &&
				o.Message() != nil && n.Message() != nil && localName(o.Message()) == localName(n.Message())
		},
	},
	{
		name: "labels Confluent does not compare",
		bufOnly: func(s sides, f bufFinding) bool {
			o, n := bufField(s, f)
			if o == nil || n == nil || f.Type != "FIELD_WIRE_COMPATIBLE_CARDINALITY" && f.Type != "MESSAGE_SAME_REQUIRED_FIELDS" {
				return false
			}
			ol, nl := confluentLabel(o), confluentLabel(n)
			return ol == labelNone || nl == labelNone || ol == nl || classOf(o) != classScalar ||
				scalarGroup(o.Kind()) == "length-delimited"
		},
	},
	{
		name: "oneof moves Confluent allows",
		bufOnly: func(_ sides, f bufFinding) bool {
			return f.Type == "FIELD_SAME_ONEOF"
		},
	},
	{
		// Only in WIRE_JSON.
		name: "JSON form",
		bufOnly: func(_ sides, f bufFinding) bool {
			return slices.Contains(jsonOnlyRules, f.Type)
		},
		shownBy: "field renamed",
	},
	{
		name: "services",
		bufOnly: func(_ sides, f bufFinding) bool {
			return strings.HasPrefix(f.Type, "RPC_")
		},
	},
	{
		name: "messages removed",
		checkOnly: func(_ sides, d Difference) bool {
			return d.Rule == RuleMessageRemoved
		},
	},
	{
		// The field of an imported type that changed is incompatible
		// for the differences found in the type, each explained on its
		// own.
		name: "imported type changed",
		checkOnly: func(_ sides, d Difference) bool {
			return d.Rule == RuleFieldNamedTypeChanged && strings.Contains(d.Message, "whose definitions are not compatible")
		},
	},
	{
		name: "map and repeated entries",
		checkOnly: func(s sides, d Difference) bool {
			if d.Rule != RuleFieldKindChanged {
				return false
			}
			o, n := fieldByPath(s.old, d.Path), fieldByPath(s.new, d.Path)
			return o != nil && n != nil && o.IsMap() != n.IsMap() && o.IsList() != n.IsList() &&
				o.Message() != nil && n.Message() != nil
		},
	},
	{
		name: "oneof member removed",
		checkOnly: func(_ sides, d Difference) bool {
			return d.Rule == RuleOneofFieldRemoved
		},
	},
	{
		name: "editions required",
		checkOnly: func(s sides, d Difference) bool {
			return (d.Rule == RuleRequiredFieldAdded || d.Rule == RuleRequiredFieldRemoved) &&
				s.old.Syntax() == protoreflect.Editions
		},
	},
}

// requiredRE reads buf's MESSAGE_SAME_REQUIRED_FIELDS finding, which buf
// attaches to the message: explain rephrases it as a finding on the
// field, whose labels bufField looks up.
var requiredRE = regexp.MustCompile(`^Message "([^"]+)" had required field "(\d+)"`)

// explain attributes every finding of the side that has them (buf's, or
// Check's differences) to a known difference and returns how many
// findings each explains, or an error naming the first that none does.
func explain(s sides, bufs []bufFinding, diffs []Difference) (map[string]int, error) {
	used := map[string]int{}
	for _, f := range bufs {
		if m := requiredRE.FindStringSubmatch(f.Message); m != nil {
			// Rephrase as a field finding, which bufField reads.
			f.Message = fmt.Sprintf("Field %q on message %q", m[2], m[1])
		}
		i := slices.IndexFunc(knownDifferences, func(k knownDifference) bool { return k.bufOnly != nil && k.bufOnly(s, f) })
		if i < 0 {
			return nil, fmt.Errorf("buf finding %s %q is no documented difference", f.Type, f.Message)
		}
		used[knownDifferences[i].name]++
	}
	for _, d := range diffs {
		i := slices.IndexFunc(knownDifferences, func(k knownDifference) bool { return k.checkOnly != nil && k.checkOnly(s, d) })
		if i < 0 {
			return nil, fmt.Errorf("difference %v is no documented difference", d)
		}
		used[knownDifferences[i].name]++
	}
	return used, nil
}

// verdict is what the checker and buf say of one pair.
type verdict struct {
	agree         bool           // both compatible, or both not
	agreeReserved bool           // the same, with BACKWARD_RESERVED
	bufFlags      bool           // buf WIRE has findings
	checkFlags    bool           // BACKWARD has differences
	explained     map[string]int // findings of each known difference that explain a disagreement
}

// judge compares Check's BACKWARD verdict on a pair with buf's findings
// and, when they disagree, explains every finding of the side that has
// them by a known difference; it fails the test when one is unexplained.
func judge(t *testing.T, category string, p pair, b []bufFinding) verdict {
	t.Helper()
	oldFD, err := prefixed(p.old, p.id).build()
	if err != nil {
		t.Fatalf("pair %d: %v", p.id, err)
	}
	newFD, err := prefixed(p.new, p.id).build()
	if err != nil {
		t.Fatalf("pair %d: %v", p.id, err)
	}
	diffs := checkPair(t, Backward, oldFD, newFD)
	reserved := checkPair(t, Backward.RequireReserved(), oldFD, newFD)
	// Our opt-in rule and buf's agree on every removed field, but across
	// a change of package, where buf pairs no message and we pair
	// messages by name.
	bufR := slices.ContainsFunc(b, func(f bufFinding) bool { return f.Type == "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED" })
	ourR := slices.ContainsFunc(reserved, func(d Difference) bool { return d.Rule == RuleFieldNumberNotReserved })
	if bufR != ourR && oldFD.Package() == newFD.Package() {
		t.Errorf("pair %d (%s: %s): buf %s FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED %v, BACKWARD_RESERVED FIELD_NUMBER_NOT_RESERVED %v", p.id, p.base, p.mutation, category, bufR, ourR)
	}
	v := verdict{
		agree:         (len(diffs) == 0) == (len(b) == 0),
		agreeReserved: (len(reserved) == 0) == (len(b) == 0),
		bufFlags:      len(b) > 0,
		checkFlags:    len(diffs) > 0,
	}
	if v.agree {
		return v
	}
	if len(diffs) == 0 {
		v.explained, err = explain(sides{oldFD, newFD}, b, nil)
	} else {
		v.explained, err = explain(sides{oldFD, newFD}, nil, diffs)
	}
	if err != nil {
		t.Errorf("pair %d (%s: %s): BACKWARD says %v, buf %s says %v: %v", p.id, p.base, p.mutation, rulesOf(diffs), category, bufTypes(b), err)
	}
	return v
}

// rulePairs are the table tests of rules_test.go as pairs, numbered from
// first.
func rulePairs(t *testing.T, first int) []pair {
	t.Helper()
	var out []pair
	for i, c := range ruleCases {
		o, err := compileSchema(mainFile, withHeader(c.old), headed(c.oldDeps))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		n, err := compileSchema(mainFile, withHeader(c.new), headed(c.newDeps))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		out = append(out, pair{id: first + i, base: "table", mutation: c.name, old: o, new: n})
	}
	return out
}

// headed gives every dependency source a header (withHeader).
func headed(deps map[string]string) map[string]string {
	out := map[string]string{}
	for p, s := range deps {
		out[p] = withHeader(s)
	}
	return out
}

// TestDifferentialBuf compares BACKWARD with buf breaking's WIRE category
// and, unless -short, its WIRE_JSON category, the two buf runs side by
// side.
func TestDifferentialBuf(t *testing.T) {
	t.Parallel()
	size := fixture.Size(t, "PROVISION_COMPAT_PAIRS", 1500)
	start := time.Now()
	pairs, err := corpus(size, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) < 500 {
		t.Fatalf("corpus has %d pairs, want at least 500", len(pairs))
	}
	categories := []string{"WIRE", "WIRE_JSON"}
	if testing.Short() {
		// Every third pair: each mutation on most of its sites.
		var some []pair
		for i := 0; i < len(pairs); i += 3 {
			some = append(some, pairs[i])
		}
		pairs = some
		categories = categories[:1]
	}
	table := rulePairs(t, pairs[len(pairs)-1].id+1)
	dir := t.TempDir()
	if err := writeImages(dir, append(slices.Clone(pairs), table...)); err != nil {
		t.Fatal(err)
	}
	built := time.Since(start)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bufStart := time.Now()
	found := make([]map[int][]bufFinding, len(categories))
	errs := make([]error, len(categories))
	var wg sync.WaitGroup
	for i, c := range categories {
		wg.Go(func() { found[i], errs[i] = runBuf(ctx, dir, c) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pairs and %d table cases: corpus %v, buf %v for %s side by side",
		len(pairs), len(table), built.Round(time.Millisecond), time.Since(bufStart).Round(time.Millisecond),
		strings.Join(categories, " and "))

	for i, category := range categories {
		bufs := found[i]
		// The table tests: under WIRE, a case that names a known
		// difference disagrees with buf by it, and any other agrees;
		// under WIRE_JSON, every disagreement is explained, and the cases
		// that show a difference with WIRE_JSON only show it.
		for j, p := range table {
			c := ruleCases[j]
			v := judge(t, category, p, bufs[p.id])
			if category != "WIRE" {
				for _, k := range knownDifferences {
					if k.shownBy == c.name && v.explained[k.name] == 0 {
						t.Errorf("table case %q: BACKWARD and buf %s differ by %v, not by %q", c.name, category, v.explained, k.name)
					}
				}
				continue
			}
			switch {
			case c.differs == "" && !v.agree:
				t.Errorf("table case %q: BACKWARD and buf WIRE disagree by %v; name the difference in its differs", c.name, v.explained)
			case c.differs != "" && v.agree:
				t.Errorf("table case %q: BACKWARD and buf WIRE agree, yet it says they differ by %q", c.name, c.differs)
			case c.differs != "" && v.explained[c.differs] == 0:
				t.Errorf("table case %q: BACKWARD and buf WIRE differ by %v, not by %q", c.name, v.explained, c.differs)
			}
		}

		var agree, agreeReserved, bufFlags, checkFlags int
		explained := map[string]int{}
		for _, p := range pairs {
			v := judge(t, category, p, bufs[p.id])
			count := func(n *int, b bool) {
				if b {
					*n++
				}
			}
			count(&agree, v.agree)
			count(&agreeReserved, v.agreeReserved)
			count(&bufFlags, v.bufFlags)
			count(&checkFlags, v.checkFlags)
			for name, n := range v.explained {
				explained[name] += n
			}
		}
		names := make([]string, 0, len(explained))
		for n := range explained {
			names = append(names, n)
		}
		sort.Strings(names)
		var sb strings.Builder
		for _, n := range names {
			fmt.Fprintf(&sb, "\n  %s: %d findings", n, explained[n])
		}
		// The package documentation states the figures of the default
		// run.
		if size == 1500 && !testing.Short() {
			want := fmt.Sprintf("buf %s: BACKWARD agrees with it on %s of the %s pairs, BACKWARD_RESERVED on %s.",
				category, thousands(agree), thousands(len(pairs)), thousands(agreeReserved))
			if !strings.Contains(docText(t), want) {
				t.Errorf("the package documentation does not say %q: update doc.go", want)
			}
		}
		t.Logf("buf %s: flags %d pairs, BACKWARD %d; BACKWARD agrees on %d, BACKWARD_RESERVED on %d; %d disagreements, all documented:%s",
			category, bufFlags, checkFlags, agree, agreeReserved, len(pairs)-agree, sb.String())
	}
}

// checkPair checks a pair as a registry holding each file as a subject of
// its own does: the main file, and each import of the pair's own that
// both versions have (a registry checks it when it is registered as a
// reference). buf checks every file of the images alike.
func checkPair(t *testing.T, level Level, oldFD, newFD protoreflect.FileDescriptor) []Difference {
	t.Helper()
	diffs, err := Check(level, newFD, []protoreflect.FileDescriptor{oldFD})
	if err != nil {
		t.Fatal(err)
	}
	imports := newFD.Imports()
	for i := range imports.Len() {
		dep := imports.Get(i).FileDescriptor
		if strings.HasPrefix(dep.Path(), "google/protobuf/") {
			continue
		}
		if old := fileByPath(oldFD, dep.Path()); old != nil {
			more, err := Check(level, dep, []protoreflect.FileDescriptor{old})
			if err != nil {
				t.Fatal(err)
			}
			diffs = append(diffs, more...)
		}
	}
	return diffs
}

// bufTypes words buf's findings for a failure message.
func bufTypes(fs []bufFinding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Type+": "+f.Message)
	}
	return out
}

// docText returns the package documentation of doc.go as one line of
// words.
func docText(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "//"); ok {
			words = append(words, strings.Fields(rest)...)
		}
	}
	return strings.Join(words, " ")
}

// thousands writes n with a comma between thousands, as the docs do.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if len(s) > 3 {
		s = s[:len(s)-3] + "," + s[len(s)-3:]
	}
	return s
}

// TestKnownDifferencesDocumented checks that every known difference is
// listed in the package documentation and shown by a table test, and that
// every table test names a known difference, if any.
func TestKnownDifferencesDocumented(t *testing.T) {
	t.Parallel()
	doc := docText(t)
	shown := map[string]bool{}
	for _, c := range ruleCases {
		if c.differs == "" {
			continue
		}
		if !slices.ContainsFunc(knownDifferences, func(k knownDifference) bool { return k.name == c.differs }) {
			t.Errorf("table case %q names %q, which is no known difference", c.name, c.differs)
		}
		shown[c.differs] = true
	}
	for _, k := range knownDifferences {
		if k.shownBy != "" {
			if !slices.ContainsFunc(ruleCases, func(c ruleCase) bool { return c.name == k.shownBy }) {
				t.Errorf("known difference %q is shown by table case %q, which does not exist", k.name, k.shownBy)
			}
			shown[k.name] = true
		}
		if !strings.Contains(doc, "- "+k.name+": ") {
			t.Errorf("known difference %q is not listed in the package documentation", k.name)
		}
		if !shown[k.name] {
			t.Errorf("known difference %q has no table case", k.name)
		}
	}
}
