package privacycheck

import (
	"buf.build/go/bufplugin/check"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/provisionhq/provision/internal/model"
)

// location turns a model position into the file name and source path of
// an annotation: the most specific element of the file's source info that
// starts exactly there. ok is false when the file is not one of the side's
// files to check (an import), which buf does not annotate.
func (s *side) location(pos model.Position) (file string, path protoreflect.SourcePath, ok bool) {
	f := s.file(pos.File)
	if f == nil || f.IsImport() {
		return "", nil, false
	}
	if pos.Line == 0 {
		return pos.File, nil, true
	}
	for _, loc := range f.FileDescriptorProto().GetSourceCodeInfo().GetLocation() {
		span := loc.GetSpan()
		if len(span) < 3 || int(span[0]) != pos.Line-1 || int(span[1]) != pos.Column-1 {
			continue
		}
		if path == nil || len(loc.GetPath()) > len(path) {
			path = loc.GetPath()
		}
	}
	return pos.File, path, true
}

// at is the annotation option that places a finding at pos of the current
// side, with a source path where one starts there.
func at(file string, path protoreflect.SourcePath) check.AddAnnotationOption {
	if path == nil {
		return check.WithFileName(file)
	}
	return check.WithFileNameAndSourcePath(file, path)
}

// withRule is the annotation option of a finding of rule: its message,
// ending with the rule ID in parentheses, as the model's findings end.
// buf's text output prints an annotation's message and, in parentheses,
// the name of the plugin that made it (the first word of the plugin's
// command in buf.yaml, "go" for `go run`), never its rule ID; only
// --error-format json (and msvs) carries that. The ID in the message puts
// it where every format shows it.
func withRule(rule, message string) check.AddAnnotationOption {
	return check.WithMessage(message + " (" + rule + ")")
}

// againstAt is at for the side checked against.
func againstAt(file string, path protoreflect.SourcePath) check.AddAnnotationOption {
	if path == nil {
		return check.WithAgainstFileName(file)
	}
	return check.WithAgainstFileNameAndSourcePath(file, path)
}
