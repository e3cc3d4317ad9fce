package livecheck

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/bufbuild/protocompile/parser"
	"github.com/bufbuild/protocompile/reporter"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

// maxSchemaResponse bounds a registry's answer for one schema.
const maxSchemaResponse = 8 << 20

// Registry resolves Confluent frames through a schema registry's REST API
// (GET /schemas/ids/{id}, as provision's registry and Confluent's serve
// it): the schema's .proto source is parsed, without its imports, and the
// message indexes name a message of it. Schemas are fetched once per ID.
// It is safe for concurrent use.
type Registry struct {
	base   *url.URL
	token  string
	client *http.Client

	mu    sync.Mutex
	files map[int64]*descriptorpb.FileDescriptorProto
}

// NewRegistry returns a resolver for the registry at base URL, sending
// token (an API key; none when empty) as a Bearer token; client nil is
// http.DefaultClient.
func NewRegistry(base, token string, client *http.Client) (*Registry, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("registry URL %q: want http(s)://host[:port][/path]", base)
	}
	if client == nil {
		client = http.DefaultClient
	}
	return &Registry{base: u, token: token, client: client, files: map[int64]*descriptorpb.FileDescriptorProto{}}, nil
}

// Resolve returns the message of schema id at the message indexes (nil:
// the first message of the schema's file).
func (r *Registry) Resolve(ctx context.Context, id int64, indexes []int) (protoreflect.FullName, error) {
	fd, err := r.file(ctx, id)
	if err != nil {
		return "", err
	}
	if indexes == nil {
		indexes = []int{0}
	}
	msgs := fd.GetMessageType()
	name := fd.GetPackage()
	for i, x := range indexes {
		if x < 0 || x >= len(msgs) {
			return "", fmt.Errorf("message index %d is %d, but schema %d has %d messages there", i, x, id, len(msgs))
		}
		if name != "" {
			name += "."
		}
		name += msgs[x].GetName()
		msgs = msgs[x].GetNestedType()
	}
	return protoreflect.FullName(name), nil
}

// file fetches and parses schema id, once.
func (r *Registry) file(ctx context.Context, id int64) (*descriptorpb.FileDescriptorProto, error) {
	r.mu.Lock()
	fd, ok := r.files[id]
	r.mu.Unlock()
	if ok {
		return fd, nil
	}
	u := r.base.JoinPath("schemas", "ids", strconv.FormatInt(id, 10))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("schema %d: %w", id, err)
	}
	req.Header.Set("Accept", "application/vnd.schemaregistry.v1+json, application/json")
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("schema %d: %w", id, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxSchemaResponse+1))
	if err != nil {
		return nil, fmt.Errorf("schema %d: read the registry's answer: %w", id, err)
	}
	if len(body) > maxSchemaResponse {
		return nil, fmt.Errorf("schema %d: the registry's answer is larger than %d bytes", id, maxSchemaResponse)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("schema %d: the registry answers %s: %s", id, resp.Status, strings.TrimSpace(string(body)))
	}
	var answer struct {
		SchemaType string `json:"schemaType"`
		Schema     string `json:"schema"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, fmt.Errorf("schema %d: the registry's answer: %w", id, err)
	}
	if answer.SchemaType != "PROTOBUF" {
		// Confluent leaves schemaType out for Avro.
		return nil, fmt.Errorf("schema %d is of type %q, not PROTOBUF", id, answer.SchemaType)
	}
	fd, err = parseSchema(id, answer.Schema)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.files[id] = fd
	r.mu.Unlock()
	return fd, nil
}

// parseSchema parses a registry's .proto source of schema id, without
// resolving its imports: only the package and message names are needed.
func parseSchema(id int64, src string) (*descriptorpb.FileDescriptorProto, error) {
	name := fmt.Sprintf("schema-%d.proto", id)
	h := reporter.NewHandler(nil)
	ast, err := parser.Parse(name, strings.NewReader(src), h)
	if err != nil {
		return nil, fmt.Errorf("schema %d: parse its .proto source: %w", id, err)
	}
	res, err := parser.ResultFromAST(ast, false, h)
	if err != nil {
		return nil, fmt.Errorf("schema %d: parse its .proto source: %w", id, err)
	}
	return res.FileDescriptorProto(), nil
}
