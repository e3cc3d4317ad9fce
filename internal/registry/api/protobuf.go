package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/reporter"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"

	provisionv1 "github.com/provisionhq/provision/gen/go/provision/v1"
	"github.com/provisionhq/provision/internal/model"
	"github.com/provisionhq/provision/internal/registry/store"
)

// maxReferenceDepth bounds how deep references of references are
// followed, and maxReferences how many files they may bring in all.
const (
	maxReferenceDepth = 32
	maxReferences     = 1000
)

// builtins are the files every schema may import without a reference:
// the vocabulary and buf/validate, as linked into this binary (the
// well-known types come from protocompile).
var builtins = map[string]protoreflect.FileDescriptor{
	provisionv1.File_provision_v1_options_proto.Path(): provisionv1.File_provision_v1_options_proto,
	validate.File_buf_validate_validate_proto.Path():   validate.File_buf_validate_validate_proto,
}

// compiled is a protobuf schema compiled with its references.
type compiled struct {
	// name is the path the schema's own file was compiled as.
	name string
	// file is the schema's file, linked with its imports.
	file protoreflect.FileDescriptor
	// set is the file and every import, imports first, with custom options
	// decoded as this binary's types.
	set *descriptorpb.FileDescriptorSet
	// scenarios says whether the file declares a scenario message, so that
	// the model and the privacy rules apply to it.
	scenarios bool

	// baseline is the model of a stored version, built once (a stored
	// schema and a catalog image never change).
	baselineOnce sync.Once
	baseline     *model.Catalog
	baselineErr  error
}

// baselineModel returns the model of a stored version with its catalog
// context, as a baseline of the privacy rules.
func (c *compiled) baselineModel(subject string, cat *catalogContext) (*model.Catalog, error) {
	c.baselineOnce.Do(func() {
		c.baseline, c.baselineErr = checkModel(subject, c, cat, model.AsBaseline())
	})
	return c.baseline, c.baselineErr
}

// fileName returns the path a subject's schema is compiled as: the
// subject itself when it names a .proto file, as the Confluent serializer
// names the subjects of imports, else the subject with ".proto".
func fileName(subject string) string {
	if strings.HasSuffix(subject, ".proto") {
		return subject
	}
	return subject + ".proto"
}

// compiler compiles schemas and caches the stored ones by ID: a stored
// schema never changes.
type compiler struct {
	store store.Store
	mu    sync.Mutex
	cache map[cacheKey]*compiled
}

type cacheKey struct {
	id      int64
	name    string
	context [32]byte
}

// maxCompiled bounds the cache of compiled schemas.
const maxCompiled = 512

// stored compiles the stored version v, with the catalog context cat (nil
// for none), from the cache when it can.
func (c *compiler) stored(ctx context.Context, v store.Version, cat *catalogContext) (*compiled, error) {
	key := cacheKey{id: v.Schema.ID, name: fileName(v.Subject)}
	if cat != nil {
		key.context = cat.sum
	}
	c.mu.Lock()
	got, ok := c.cache[key]
	c.mu.Unlock()
	if ok {
		return got, nil
	}
	got, err := c.compile(ctx, key.name, v.Schema, cat)
	if err != nil {
		return nil, fmt.Errorf("version %d of subject %q: %w", v.Version, v.Subject, err)
	}
	c.mu.Lock()
	if c.cache == nil || len(c.cache) >= maxCompiled {
		c.cache = map[cacheKey]*compiled{}
	}
	c.cache[key] = got
	c.mu.Unlock()
	return got, nil
}

// remember caches a candidate just stored as version v: its compiled
// form and its model, the baseline the next registration compares with.
func (c *compiler) remember(v store.Version, cand *candidate) {
	key := cacheKey{id: v.Schema.ID, name: fileName(v.Subject)}
	if cand.cat != nil {
		key.context = cand.cat.sum
	}
	if cand.comp.name != key.name {
		return
	}
	cand.comp.baselineOnce.Do(func() { cand.comp.baseline = cand.model })
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cache == nil || len(c.cache) >= maxCompiled {
		c.cache = map[cacheKey]*compiled{}
	}
	if _, ok := c.cache[key]; !ok {
		c.cache[key] = cand.comp
	}
}

// compile compiles the schema s as the file name, with its references
// resolved from the store, the files of the catalog context cat (nil for
// none), the vocabulary, buf/validate and the well-known types. A schema
// that does not compile is an *apiError 42201 naming the problem.
func (c *compiler) compile(ctx context.Context, name string, s store.Schema, cat *catalogContext) (*compiled, error) {
	sources := map[string]string{}
	if err := c.resolve(ctx, s.References, sources, 0); err != nil {
		return nil, err
	}
	sources[name] = s.Text
	var catFiles map[string]*descriptorpb.FileDescriptorProto
	if cat != nil {
		catFiles = cat.byPath
	}
	res := protocompile.ResolverFunc(func(path string) (protocompile.SearchResult, error) {
		if src, ok := sources[path]; ok {
			return protocompile.SearchResult{Source: strings.NewReader(src)}, nil
		}
		if fd, ok := builtins[path]; ok {
			// Linked already: nothing to compile. The binary's vocabulary
			// comes before a catalog's copy: options are decoded with it.
			return protocompile.SearchResult{Desc: fd}, nil
		}
		if fd, ok := catFiles[path]; ok && !strings.HasPrefix(path, "google/protobuf/") {
			// The well-known types come from protocompile, linked as the
			// builtins' imports are.
			return protocompile.SearchResult{Proto: fd}, nil
		}
		return protocompile.SearchResult{}, fmt.Errorf("%s: %w (give it as a reference)", path, protoregistry.NotFound)
	})
	pc := protocompile.Compiler{
		Resolver:       protocompile.WithStandardImports(res),
		SourceInfoMode: protocompile.SourceInfoStandard,
		Reporter:       reporter.NewReporter(nil, nil),
	}
	files, err := pc.Compile(ctx, name)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("compile schema: %w", ctx.Err())
		}
		return nil, invalidSchema("Invalid schema: %v", err)
	}
	out := &compiled{name: name, file: files[0]}
	set := &descriptorpb.FileDescriptorSet{}
	seen := map[string]bool{}
	var add func(fd protoreflect.FileDescriptor)
	add = func(fd protoreflect.FileDescriptor) {
		if seen[fd.Path()] {
			return
		}
		seen[fd.Path()] = true
		imports := fd.Imports()
		for i := range imports.Len() {
			add(imports.Get(i).FileDescriptor)
		}
		set.File = append(set.File, protodesc.ToFileDescriptorProto(fd))
	}
	add(out.file)
	raw, err := proto.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("compile schema: encode descriptors: %w", err)
	}
	if out.set, err = model.ParseImage(raw); err != nil {
		return nil, fmt.Errorf("compile schema: %w", err)
	}
	for _, f := range out.set.GetFile() {
		if f.GetName() == name {
			out.scenarios = declaresScenario(f.GetMessageType())
		}
	}
	return out, nil
}

// resolve adds the text of each reference, and of theirs, to sources by
// import path.
func (c *compiler) resolve(ctx context.Context, refs []store.Reference, sources map[string]string, depth int) error {
	if depth > maxReferenceDepth {
		return invalidSchema("Invalid schema: references nested deeper than %d", maxReferenceDepth)
	}
	for _, r := range refs {
		if _, ok := sources[r.Name]; ok {
			continue
		}
		if len(sources) >= maxReferences {
			return invalidSchema("Invalid schema: more than %d files through references", maxReferences)
		}
		v, err := c.store.Version(ctx, r.Subject, r.Version, true)
		if errors.Is(err, store.ErrSubjectNotFound) || errors.Is(err, store.ErrVersionNotFound) {
			return invalidSchema("Invalid schema: reference %q names version %d of subject %q, which does not exist", r.Name, r.Version, r.Subject)
		}
		if err != nil {
			return fmt.Errorf("resolve reference %q: %w", r.Name, err)
		}
		if v.Schema.Type != store.Protobuf {
			return invalidSchema("Invalid schema: reference %q is a %s schema; only PROTOBUF is served", r.Name, v.Schema.Type)
		}
		sources[r.Name] = v.Schema.Text
		if err := c.resolve(ctx, v.Schema.References, sources, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// declaresScenario reports whether any message, at any depth, is a
// scenario.
func declaresScenario(msgs []*descriptorpb.DescriptorProto) bool {
	for _, m := range msgs {
		if sc, ok := proto.GetExtension(m.GetOptions(), provisionv1.E_Scenario).(*provisionv1.Scenario); ok && sc != nil {
			return true
		}
		if declaresScenario(m.GetNestedType()) {
			return true
		}
	}
	return false
}

// declaresProduct reports whether the file declares a product.
func declaresProduct(f *descriptorpb.FileDescriptorProto) bool {
	p, ok := proto.GetExtension(f.GetOptions(), provisionv1.E_Product).(*provisionv1.Product)
	return ok && p != nil
}
