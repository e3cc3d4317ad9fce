package privacycheck

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"buf.build/go/bufplugin/check"
	"buf.build/go/bufplugin/descriptor"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/provisionhq/provision/internal/layout"
	"github.com/provisionhq/provision/internal/model"
)

// side is one version of the catalog in a request: the files to check or
// the files to check against.
type side struct {
	files []descriptor.FileDescriptor
	// catalog is the checked catalog, nil when the model refused the files.
	catalog *model.Catalog
	// diags are the model's findings when it refused the files.
	diags model.Diagnostics
	// err is a failure other than findings: descriptors that do not link.
	err error
}

type stateKey struct{}

// state is what Before computes once per request for every rule handler.
type state struct {
	current, against *side
	// refused makes the refusal of a side the model refuses reported by
	// one breaking rule, not by each.
	refused sync.Once
}

// ok reports whether the model accepted the side.
func (s *side) ok() bool { return s.err == nil && s.catalog != nil }

// refusal returns, to the first breaking rule that asks, the error that
// fails the check when the model refuses a side, and nil to every other
// rule: buf prints the error of each rule, and one refusal is one
// finding. The findings name their files by their path in the repository
// around the working directory, as buf does, where it finds them.
func (st *state) refusal() error {
	var err error
	st.refused.Do(func() {
		for _, s := range []struct {
			name string
			side *side
		}{{"files", st.current}, {"against files", st.against}} {
			switch {
			case s.side.err != nil:
				err = fmt.Errorf("%s: %w", s.name, s.side.err)
			case s.side.catalog == nil:
				err = fmt.Errorf("%s: the catalog does not pass the model's checks:\n%w", s.name, s.side.diags.Relocate(repoPath))
			default:
				continue
			}
			return
		}
	})
	return err
}

// repoPath names a file of the model's findings by its path in the
// repository that holds the working directory (buf runs plugins there),
// or as it is when there is none or the file is not found in it.
func repoPath(file string) string {
	root, err := layout.FindRoot(".")
	if err != nil {
		return file
	}
	return layout.RepoPath(root, file)
}

// before builds the catalog of the request's files, and of its against
// files when there are any, and passes both to the rule handlers in the
// context.
func before(ctx context.Context, req check.Request) (context.Context, check.Request, error) {
	st := &state{current: build(req.FileDescriptors())}
	if against := req.AgainstFileDescriptors(); len(against) > 0 {
		st.against = build(against, model.AsBaseline())
	}
	return context.WithValue(ctx, stateKey{}, st), req, nil
}

func stateOf(ctx context.Context) (*state, error) {
	st, ok := ctx.Value(stateKey{}).(*state)
	if !ok {
		return nil, errors.New("privacycheck: the request's catalog was not built")
	}
	return st, nil
}

// currentOf returns the side of the request's current catalog: an error
// when it could not be built (the model refused it), nil when it has no
// catalog to check (no scenario of provision in its files).
func currentOf(ctx context.Context) (*side, error) {
	st, err := stateOf(ctx)
	if err != nil {
		return nil, err
	}
	if st.current.err != nil {
		return nil, st.current.err
	}
	if st.current.catalog == nil {
		return nil, nil
	}
	return st.current, nil
}

// build runs the model on files. The descriptors go through their wire
// form so that the (provision.v1.*) options decode as this binary's types,
// whatever the sender decoded them as.
func build(files []descriptor.FileDescriptor, opts ...model.Option) *side {
	s := &side{files: files}
	set := &descriptorpb.FileDescriptorSet{}
	for _, f := range files {
		set.File = append(set.File, f.FileDescriptorProto())
	}
	data, err := proto.Marshal(set)
	if err != nil {
		s.err = fmt.Errorf("privacycheck: encode descriptors: %w", err)
		return s
	}
	c, err := model.FromImage(data, opts...)
	if errors.As(err, &s.diags) {
		return s
	}
	s.catalog, s.err = c, err
	return s
}

// file returns the file of the side at path, or nil.
func (s *side) file(path string) descriptor.FileDescriptor {
	for _, f := range s.files {
		if f.FileDescriptorProto().GetName() == path {
			return f
		}
	}
	return nil
}
