package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/provisionhq/provision"
	"github.com/provisionhq/provision/internal/registry/frame"
	"github.com/provisionhq/provision/internal/registry/store"
)

// Provision's error codes for validation and redaction by schema ID.
const (
	// codeSchemaIDMismatch: a frame written for another schema ID.
	codeSchemaIDMismatch = 42210
	// codeInvalidPayload: a frame, JSON body or protobuf payload that
	// cannot be read, or a message the schema does not declare.
	codeInvalidPayload = 42211
	// codeInvalidConsent: a consent naming an agreement the product does
	// not declare.
	codeInvalidConsent = 42212
	// codeMissingKey: a redaction needs an HMAC key the server lacks.
	codeMissingKey = 42213
	// codeNotScenario: the schema declares no product's agreements.
	codeNotScenario = 42214
)

// FrameContentType is the content type of a redacted Confluent frame.
const FrameContentType = "application/octet-stream"

// maxDynamicSchemas bounds the schemas kept built for validation and
// redaction. Their descriptors key the runtime's policy cache, which
// never forgets one: the bound is also how much that cache can grow.
const maxDynamicSchemas = 4096

// dynamicSchema is a stored schema built for validation and redaction:
// its file and imports with the catalog context, as descriptors of their
// own (a message of two schema IDs never shares a descriptor, so never a
// compiled policy), and the agreements of its product.
type dynamicSchema struct {
	file       protoreflect.FileDescriptor
	files      *protoregistry.Files
	types      *dynamicpb.Types
	agreements *provision.Agreements
}

// dynamicKey identifies a dynamicSchema: the schema ID and the catalog
// version whose product declared its agreements.
type dynamicKey struct {
	id  int64
	sum [32]byte
}

// dynamicSchemas caches dynamicSchema values, and the catalog context of
// each package as latestContextFor found it until a catalog change.
type dynamicSchemas struct {
	mu sync.Mutex
	m  map[dynamicKey]*dynamicSchema
	// contexts are the latest catalog contexts by package, nil for a
	// package no catalog declares; gen counts the clearings, so that a
	// look-up that began before one does not store what it read.
	contexts map[string]*catalogContext
	gen      uint64
}

// watch clears the contexts by package on every catalog push and on a
// reset (changes missed), until ctx is done or changes is closed.
func (d *dynamicSchemas) watch(ctx context.Context, changes <-chan store.Change) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case c, ok := <-changes:
				if !ok {
					return
				}
				if c.Kind == store.ChangeCatalog || c.Kind == store.ChangeReset {
					d.mu.Lock()
					d.contexts = nil
					d.gen++
					d.mu.Unlock()
				}
			}
		}
	}()
}

// Violation is one reason a payload may not be sent: the field's path,
// the rule (consent, unannotated, or buf.validate's rule ID) and a
// message. It never holds the field's value.
type Violation struct {
	Path    string `json:"path"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Verdict is the answer to a validation.
type Verdict struct {
	Message    string      `json:"message"`
	Valid      bool        `json:"valid"`
	Violations []Violation `json:"violations"`
}

// Violations lists the violations err reports, as the validate resource
// answers them: those of a *provision.ValidationError, consent first, in
// its order. Any other non-nil error is one violation of rule "error".
func Violations(err error) []Violation {
	out := []Violation{}
	if err == nil {
		return out
	}
	var ve *provision.ValidationError
	if !errors.As(err, &ve) {
		return append(out, Violation{Rule: "error", Message: err.Error()})
	}
	for _, c := range ve.Consent {
		v := Violation{Path: c.Path, Rule: "consent", Message: "requires " + c.Requires + ", which the consent does not grant"}
		if c.Requires == "" {
			v.Rule, v.Message = "unannotated", "not an annotated data item; never sent"
		}
		out = append(out, v)
	}
	if ve.Rules != nil {
		for _, r := range ve.Rules.Violations {
			out = append(out, Violation{
				Path:    protovalidate.FieldPathString(r.Proto.GetField()),
				Rule:    r.Proto.GetRuleId(),
				Message: r.Proto.GetMessage(),
			})
		}
	}
	return out
}

// payloadJSON is the JSON form of a payload, in a request or a redacted
// answer: the message's full name and either its protojson or its binary
// encoding in base64.
type payloadJSON struct {
	Message string          `json:"message"`
	Payload json.RawMessage `json:"payload,omitempty"`
	Binary  []byte          `json:"binary,omitempty"`
	// Cleared lists, in an answer, the fields cleared because their
	// values did not fit their strategy.
	Cleared []string `json:"cleared,omitempty"`
}

// payloadRequest is a request's payload decoded: the message, and how to
// encode it back.
type payloadRequest struct {
	msg *dynamicpb.Message
	// frame is the frame it came in, nil for JSON.
	frame *frame.Frame
	// binary says the JSON form carried "binary".
	binary bool
}

// validatePayload is POST /provision/v1/schemas/ids/{id}/validate: the
// verdict of provision.Validate on the payload under ?consent=.
func (s *Server) validatePayload(w http.ResponseWriter, r *http.Request) error {
	_, c, req, err := s.dynamicRequest(r)
	if err != nil {
		return err
	}
	verr := provision.Validate(req.msg, c)
	var ve *provision.ValidationError
	if verr != nil && !errors.As(verr, &ve) {
		return invalidPayload(verr, "Cannot validate the payload: %v", verr)
	}
	return writeJSON(w, Verdict{Message: string(req.msg.Descriptor().FullName()), Valid: verr == nil, Violations: Violations(verr)})
}

// redactPayload is POST /provision/v1/schemas/ids/{id}/redact: the
// payload after provision.Redact under ?consent=, in the encoding it
// came in. A redaction that needs an HMAC key the server lacks fails
// (42213) and answers no payload.
func (s *Server) redactPayload(w http.ResponseWriter, r *http.Request) error {
	ds, c, req, err := s.dynamicRequest(r)
	if err != nil {
		return err
	}
	var cleared []string
	if rerr := provision.Redact(req.msg, c, s.keys); rerr != nil {
		var re *provision.RedactError
		if !errors.As(rerr, &re) {
			return invalidPayload(rerr, "Cannot redact the payload: %v", rerr)
		}
		for _, f := range re.Fields {
			if errors.Is(f, provision.ErrUnknownKey) {
				return &apiError{status: http.StatusUnprocessableEntity, code: codeMissingKey, cause: rerr,
					msg: fmt.Sprintf("The redaction of %s needs an HMAC key this server does not hold (%v): nothing is answered; give the key in the server's -keys file", f.Path, f.Err)}
			}
			cleared = append(cleared, f.Path)
		}
	}
	bin, err := proto.MarshalOptions{Deterministic: true}.Marshal(req.msg)
	if err != nil {
		return fmt.Errorf("encode redacted payload: %w", err)
	}
	if req.frame != nil {
		w.Header().Set("Content-Type", FrameContentType)
		if len(cleared) > 0 {
			w.Header().Set("Provision-Cleared", strings.Join(cleared, ","))
		}
		_, _ = w.Write(append(append([]byte(nil), req.frame.Header...), bin...))
		return nil
	}
	out := payloadJSON{Message: string(req.msg.Descriptor().FullName()), Cleared: cleared}
	if req.binary {
		out.Binary = bin
	} else if out.Payload, err = (protojson.MarshalOptions{Resolver: ds.types}).Marshal(req.msg); err != nil {
		return fmt.Errorf("encode redacted payload: %w", err)
	}
	return writeJSON(w, out)
}

// dynamicRequest reads what validation and redaction share: the schema of
// {id}, the consent of ?consent= and the payload of the body.
func (s *Server) dynamicRequest(r *http.Request) (*dynamicSchema, provision.Consent, payloadRequest, error) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		return nil, provision.Consent{}, payloadRequest{}, err
	}
	ds, err := s.dynamicSchema(r.Context(), r, id)
	if err != nil {
		return nil, provision.Consent{}, payloadRequest{}, err
	}
	c, err := parseConsent(ds.agreements, r.URL.Query()["consent"])
	if err != nil {
		return nil, provision.Consent{}, payloadRequest{}, err
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, provision.Consent{}, payloadRequest{}, err
		}
		return nil, provision.Consent{}, payloadRequest{}, &apiError{status: http.StatusBadRequest, code: codeBadRequest, msg: "Cannot read the body", cause: err}
	}
	req, err := ds.decode(id, body)
	if err != nil {
		return nil, provision.Consent{}, payloadRequest{}, err
	}
	return ds, c, req, nil
}

// parseConsent returns the consent the ?consent= values name, comma
// separated, under the product's agreements a: none grants nothing; an
// agreement a does not declare is 42212.
func parseConsent(a *provision.Agreements, values []string) (provision.Consent, error) {
	var ids []string
	for _, v := range values {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
	}
	c, err := a.Consent(ids...)
	if err != nil {
		return provision.Consent{}, &apiError{status: http.StatusUnprocessableEntity, code: codeInvalidConsent, cause: err,
			msg: fmt.Sprintf("Invalid consent: %v; %s declares %s", strings.TrimPrefix(err.Error(), "provision: "), a.Package(), strings.Join(a.IDs(), ", "))}
	}
	return c, nil
}

// invalidPayload returns a 422 (42211) with the message.
func invalidPayload(cause error, format string, args ...any) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, code: codeInvalidPayload, msg: fmt.Sprintf(format, args...), cause: cause}
}

// decode reads a body sent for schema id: a Confluent frame (its first
// byte is the magic byte 0) or the JSON form.
func (ds *dynamicSchema) decode(id int64, body []byte) (payloadRequest, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return payloadRequest{}, invalidPayload(nil, "Empty body: send a Confluent frame or {\"message\": …, \"payload\": …}")
	}
	if body[0] == frame.Magic {
		return ds.decodeFrame(id, body)
	}
	var p payloadJSON
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return payloadRequest{}, invalidPayload(err, "Invalid JSON body: %v", err)
	}
	if dec.More() {
		return payloadRequest{}, invalidPayload(nil, "Invalid JSON body: more than one value")
	}
	if p.Cleared != nil {
		return payloadRequest{}, invalidPayload(nil, "Invalid JSON body: \"cleared\" is an answer's field")
	}
	md, err := ds.message(p.Message)
	if err != nil {
		return payloadRequest{}, err
	}
	msg := dynamicpb.NewMessage(md)
	switch {
	case p.Payload != nil && p.Binary != nil:
		return payloadRequest{}, invalidPayload(nil, "Invalid JSON body: give \"payload\" or \"binary\", not both")
	case p.Payload != nil:
		if err := (protojson.UnmarshalOptions{Resolver: ds.types}).Unmarshal(p.Payload, msg); err != nil {
			return payloadRequest{}, invalidPayload(err, "Invalid payload for %s: %v", md.FullName(), err)
		}
		return payloadRequest{msg: msg}, nil
	case p.Binary != nil:
		if err := (proto.UnmarshalOptions{Resolver: ds.types}).Unmarshal(p.Binary, msg); err != nil {
			return payloadRequest{}, invalidPayload(err, "Invalid binary payload for %s: %v", md.FullName(), err)
		}
		return payloadRequest{msg: msg, binary: true}, nil
	}
	return payloadRequest{}, invalidPayload(nil, "Invalid JSON body: give \"payload\" (protojson) or \"binary\" (base64)")
}

// decodeFrame reads a Confluent frame sent for schema id.
func (ds *dynamicSchema) decodeFrame(id int64, body []byte) (payloadRequest, error) {
	f, err := frame.Parse(body)
	if err != nil {
		return payloadRequest{}, invalidPayload(err, "%v", err)
	}
	if f.ID != id {
		return payloadRequest{}, errorf(http.StatusConflict, codeSchemaIDMismatch,
			"The payload is framed for schema ID %d, not %d: send it to /provision/v1/schemas/ids/%d", f.ID, id, f.ID)
	}
	req, err := ds.decodeFramed(f)
	if err != nil && f.Alternative != nil {
		if alt, altErr := ds.decodeFramed(f.Alternative); altErr == nil {
			return alt, nil
		}
	}
	return req, err
}

// decodeFramed decodes the payload of a parsed frame.
func (ds *dynamicSchema) decodeFramed(f *frame.Frame) (payloadRequest, error) {
	md, err := ds.indexed(f.Indexes)
	if err != nil {
		return payloadRequest{}, err
	}
	msg := dynamicpb.NewMessage(md)
	if err := (proto.UnmarshalOptions{Resolver: ds.types}).Unmarshal(f.Payload, msg); err != nil {
		return payloadRequest{}, invalidPayload(err, "Invalid protobuf payload for %s: %v", md.FullName(), err)
	}
	return payloadRequest{msg: msg, frame: f}, nil
}

// indexed returns the message the frame's indexes name in the schema's
// file: nil names the first message.
func (ds *dynamicSchema) indexed(indexes []int) (protoreflect.MessageDescriptor, error) {
	if indexes == nil {
		indexes = []int{0}
	}
	msgs := ds.file.Messages()
	var md protoreflect.MessageDescriptor
	for i, x := range indexes {
		if x >= msgs.Len() {
			return nil, invalidPayload(nil, "Invalid Confluent frame: message index %d is %d, but there are %d messages there", i, x, msgs.Len())
		}
		md = msgs.Get(x)
		msgs = md.Messages()
	}
	return md, nil
}

// message returns the message the schema's own file declares by full name.
func (ds *dynamicSchema) message(name string) (protoreflect.MessageDescriptor, error) {
	if name == "" {
		return nil, invalidPayload(nil, "Invalid JSON body: \"message\" must give the message's full name")
	}
	d, err := ds.files.FindDescriptorByName(protoreflect.FullName(name))
	md, ok := d.(protoreflect.MessageDescriptor)
	if err != nil || !ok || md.ParentFile().Path() != ds.file.Path() {
		return nil, invalidPayload(err, "Message %q is not declared by this schema (%s)", name, ds.file.Path())
	}
	return md, nil
}

// dynamicSchema returns schema id built for validation and redaction,
// with the agreements of its product from the latest catalog version that
// declares it. A key limited to a subject prefix sees only the IDs of its
// subjects.
func (s *Server) dynamicSchema(ctx context.Context, r *http.Request, id int64) (*dynamicSchema, error) {
	svs, err := s.store.SubjectVersionsByID(ctx, id, false)
	if err != nil {
		return nil, fmt.Errorf("schema %d: %w", id, err)
	}
	prefix := principal(r).SubjectPrefix
	var sv *store.SubjectVersion
	for i := range svs {
		if strings.HasPrefix(svs[i].Subject, prefix) {
			sv = &svs[i]
			break
		}
	}
	if sv == nil {
		return nil, fmt.Errorf("schema %d: %w", id, store.ErrSchemaNotFound)
	}
	// Schemas by ID are cached by the store; a version would be read.
	sch, err := s.store.SchemaByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("schema %d: %w", id, err)
	}
	if ds := s.cachedDynamic(ctx, id, sch.Text); ds != nil {
		return ds, nil
	}
	v := store.Version{Subject: sv.Subject, Version: sv.Version, Schema: sch}
	comp, err := s.compiler.stored(ctx, v, nil)
	if err != nil {
		m := packageRE.FindStringSubmatch(v.Schema.Text)
		if m == nil {
			return nil, err
		}
		cat, cerr := s.catalogFor(ctx, m[1])
		if cerr != nil || cat == nil {
			return nil, err
		}
		if comp, err = s.compiler.stored(ctx, v, cat); err != nil {
			return nil, err
		}
	}
	pkg := string(comp.file.Package())
	cat, err := s.latestContextFor(ctx, pkg)
	if err != nil {
		return nil, err
	}
	if cat == nil {
		return nil, errorf(http.StatusUnprocessableEntity, codeNotScenario,
			"Schema %d (package %s) belongs to no product of a pushed catalog: its agreements are unknown", id, pkg)
	}
	key := dynamicKey{id: id, sum: cat.sum}
	s.dynamic.mu.Lock()
	ds, ok := s.dynamic.m[key]
	s.dynamic.mu.Unlock()
	if ok {
		return ds, nil
	}
	if ds, err = buildDynamic(comp, cat); err != nil {
		return nil, fmt.Errorf("schema %d: %w", id, err)
	}
	s.dynamic.mu.Lock()
	defer s.dynamic.mu.Unlock()
	if s.dynamic.m == nil || len(s.dynamic.m) >= maxDynamicSchemas {
		s.dynamic.m = map[dynamicKey]*dynamicSchema{}
	}
	if got, ok := s.dynamic.m[key]; ok {
		return got, nil
	}
	s.dynamic.m[key] = ds
	return ds, nil
}

// cachedDynamic returns the schema id as dynamicSchema built it before
// under the latest catalog context of the package its text declares, or
// nil. It compiles nothing and reads no image: without it, a schema that
// compiles only with its catalog's files (a scenario whose product is
// not imported) was compiled alone, in vain, and every catalog's latest
// image read, on every request, before the cache was looked at.
func (s *Server) cachedDynamic(ctx context.Context, id int64, text string) *dynamicSchema {
	m := packageRE.FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	cat, err := s.latestContextFor(ctx, m[1])
	if err != nil || cat == nil {
		return nil // dynamicSchema reports it
	}
	s.dynamic.mu.Lock()
	ds := s.dynamic.m[dynamicKey{id: id, sum: cat.sum}]
	s.dynamic.mu.Unlock()
	if ds == nil || string(ds.file.Package()) != m[1] {
		return nil
	}
	return ds
}

// latestContextFor is catalogFor without reading an image it has read
// before: the versions are listed without their images, and the latest
// one's context comes from the cache by SHA-256 when it is there; the
// answer is kept by package until the store reports a catalog push
// (Store.Changes, from any instance) or a reset.
func (s *Server) latestContextFor(ctx context.Context, pkg string) (*catalogContext, error) {
	s.dynamic.mu.Lock()
	cc, ok := s.dynamic.contexts[pkg]
	gen := s.dynamic.gen
	s.dynamic.mu.Unlock()
	if ok {
		return cc, nil
	}
	cc, err := s.readLatestContext(ctx, pkg)
	if err != nil {
		return nil, err
	}
	s.dynamic.mu.Lock()
	defer s.dynamic.mu.Unlock()
	if s.dynamic.gen == gen {
		if s.dynamic.contexts == nil {
			s.dynamic.contexts = map[string]*catalogContext{}
		}
		s.dynamic.contexts[pkg] = cc
	}
	return cc, nil
}

// readLatestContext is latestContextFor without its cache by package.
func (s *Server) readLatestContext(ctx context.Context, pkg string) (*catalogContext, error) {
	names, err := s.store.Catalogs(ctx)
	if err != nil {
		return nil, fmt.Errorf("list catalogs: %w", err)
	}
	var best *catalogContext
	var bestVersion store.CatalogVersion
	for _, name := range names {
		vs, err := s.store.CatalogVersions(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("catalog %q: %w", name, err)
		}
		if len(vs) == 0 {
			continue
		}
		v := vs[len(vs)-1]
		s.contexts.mu.Lock()
		cc := s.contexts.m[v.SHA256]
		s.contexts.mu.Unlock()
		if cc == nil {
			full, err := s.store.CatalogVersion(ctx, name, v.Version)
			if err != nil {
				return nil, fmt.Errorf("catalog %q: %w", name, err)
			}
			if cc, err = s.contexts.of(full); err != nil {
				return nil, err
			}
		}
		if cc.products[pkg] && (best == nil || v.Created.After(bestVersion.Created)) {
			best, bestVersion = cc, v
		}
	}
	return best, nil
}

// buildDynamic builds descriptors of their own for a compiled schema and
// its catalog context, and reads its product's agreements.
func buildDynamic(comp *compiled, cat *catalogContext) (*dynamicSchema, error) {
	files, err := protodesc.NewFiles(withContext(comp, cat))
	if err != nil {
		return nil, fmt.Errorf("build descriptors: %w", err)
	}
	fd, err := files.FindFileByPath(comp.name)
	if err != nil {
		return nil, fmt.Errorf("build descriptors: %w", err)
	}
	a, err := provision.AgreementsIn(files, fd.Package())
	if err != nil {
		return nil, &apiError{status: http.StatusUnprocessableEntity, code: codeNotScenario, cause: err,
			msg: fmt.Sprintf("The agreements of package %s cannot be read: %v", fd.Package(), err)}
	}
	return &dynamicSchema{file: fd, files: files, types: dynamicpb.NewTypes(files), agreements: a}, nil
}

// dynamicRoutes declares the routes of validation and redaction by
// schema ID (routes calls it).
func (s *Server) dynamicRoutes() {
	s.handle("POST /provision/v1/schemas/ids/{id}/validate", readRegistry, s.validatePayload)
	s.handle("POST /provision/v1/schemas/ids/{id}/redact", readRegistry, s.redactPayload)
}
