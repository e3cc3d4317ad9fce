package livecheck

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// Format is how a record's payload is encoded.
type Format int

// The formats of a payload.
const (
	// FormatJSON is protojson.
	FormatJSON Format = iota
	// FormatBinary is the protobuf binary encoding.
	FormatBinary
	// FormatFrame is a Confluent frame: magic byte 0, schema ID, message
	// indexes, binary payload.
	FormatFrame
)

// String names the format as captures spell it.
func (f Format) String() string {
	switch f {
	case FormatJSON:
		return "protojson"
	case FormatBinary:
		return "binary"
	case FormatFrame:
		return "Confluent frame"
	}
	return fmt.Sprintf("format(%d)", int(f))
}

// Record is one captured payload.
type Record struct {
	// Source is the file it was read from, "-" for standard input.
	Source string
	// Line is its line in an NDJSON capture, 0 for a file of one payload.
	Line int
	// Message is the payload's message, by full name; empty for a frame
	// whose schema ID alone names it (a registry resolves it).
	Message protoreflect.FullName
	Format  Format
	Data    []byte
}

// InputError is a capture that cannot be read: a file, a record, a frame
// or a payload. It names the file and the record, never the payload.
type InputError struct {
	Source string
	// Record is the record's line in an NDJSON capture, 0 for a file.
	Record int
	Err    error
}

// Error says where the input is and what is wrong with it.
func (e *InputError) Error() string {
	if e.Record > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Source, e.Record, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Source, e.Err)
}

// Unwrap returns the cause.
func (e *InputError) Unwrap() error { return e.Err }

// Limits on what a capture may hold: larger input is refused rather than
// read into memory.
const (
	// MaxPayload is the largest file of one payload, and the longest line
	// of an NDJSON capture.
	MaxPayload = 16 << 20
)

// File extensions of captures: the naming convention of a capture
// directory. A file of one payload is named by its message,
// <full.message.Name>[.<tag>]<ext>, where the optional tag begins with a
// digit (no protobuf name does) so that many payloads of one message can
// sit side by side: acme.notes.v1.SyncRequest.17.json.
const (
	// ExtJSON is one protojson payload.
	ExtJSON = ".json"
	// ExtBinary is one binary payload.
	ExtBinary = ".binpb"
	// ExtFrame is one Confluent-framed record value; its name may give
	// the message, which a registry otherwise resolves from the schema ID.
	ExtFrame = ".frame"
	// ExtNDJSON is any number of records, one JSON object a line (see
	// ndjsonRecord).
	ExtNDJSON = ".ndjson"
)

// errName is wrapped by the errors of MessageOfName.
var errName = errors.New("not named by the capture naming convention")

// MessageOfName returns the message and format of a capture file named
// by the convention <full.message.Name>[.<tag>].json|.binpb|.frame (only a
// .frame may have another name, "" then), or of an NDJSON capture
// (.ndjson, no message).
func MessageOfName(name string) (protoreflect.FullName, Format, error) {
	base := filepath.Base(name)
	ext := filepath.Ext(base)
	var format Format
	switch ext {
	case ExtJSON:
		format = FormatJSON
	case ExtBinary:
		format = FormatBinary
	case ExtFrame:
		format = FormatFrame
	case ExtNDJSON:
		return "", FormatJSON, nil
	default:
		return "", 0, fmt.Errorf("%w: extension %q, want %s, %s, %s or %s", errName, ext, ExtJSON, ExtBinary, ExtFrame, ExtNDJSON)
	}
	stem := strings.TrimSuffix(base, ext)
	if i := strings.LastIndexByte(stem, '.'); i >= 0 && i+1 < len(stem) && stem[i+1] >= '0' && stem[i+1] <= '9' {
		stem = stem[:i]
	}
	msg := protoreflect.FullName(stem)
	if !msg.IsValid() {
		if format == FormatFrame {
			return "", format, nil
		}
		return "", 0, fmt.Errorf("%w: %q is not a message's full name (<package>.<Message>[.<tag>]%s)", errName, stem, ext)
	}
	return msg, format, nil
}

// Walk reads the captures at paths — files, directories (every capture
// file below them, in lexical order; names beginning with "." are
// skipped) or "-" for NDJSON on stdin — and calls visit with each record
// and bad with each input that cannot be read, in order, going on after
// it.
func Walk(paths []string, stdin io.Reader, visit func(Record), bad func(*InputError)) {
	for _, p := range paths {
		if p == "-" {
			ReadNDJSON(stdin, "-", visit, bad)
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			bad(&InputError{Source: p, Err: err})
			continue
		}
		if !info.IsDir() {
			readFile(p, visit, bad)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				bad(&InputError{Source: path, Err: err})
				return nil
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				readFile(path, visit, bad)
			}
			return nil
		})
		if err != nil {
			bad(&InputError{Source: p, Err: err})
		}
	}
}

// readFile reads one capture file.
func readFile(path string, visit func(Record), bad func(*InputError)) {
	msg, format, err := MessageOfName(path)
	if err != nil {
		bad(&InputError{Source: path, Err: err})
		return
	}
	f, err := os.Open(path)
	if err != nil {
		bad(&InputError{Source: path, Err: err})
		return
	}
	defer f.Close()
	if filepath.Ext(path) == ExtNDJSON {
		ReadNDJSON(f, path, visit, bad)
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxPayload+1))
	switch {
	case err != nil:
		bad(&InputError{Source: path, Err: err})
		return
	case len(data) > MaxPayload:
		bad(&InputError{Source: path, Err: fmt.Errorf("larger than %d bytes", MaxPayload)})
		return
	}
	visit(Record{Source: path, Message: msg, Format: format, Data: data})
}

// ndjsonRecord is one line of an NDJSON capture: a message's full name
// and its payload, as protojson ("payload"), as the base64 of its binary
// encoding ("binary"), or a Confluent frame in base64 ("frame", whose
// "message" may be left out when a registry resolves its schema ID). It
// is the JSON form the registry's validate and redact resources read,
// with frames besides.
type ndjsonRecord struct {
	Message string          `json:"message"`
	Payload json.RawMessage `json:"payload"`
	Binary  []byte          `json:"binary"`
	Frame   []byte          `json:"frame"`
}

// ReadNDJSON reads an NDJSON capture from r, named source in what it
// reports: one record a line, blank lines skipped.
func ReadNDJSON(r io.Reader, source string, visit func(Record), bad func(*InputError)) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxPayload)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		rec, err := parseNDJSON(text)
		if err != nil {
			bad(&InputError{Source: source, Record: line, Err: err})
			continue
		}
		rec.Source, rec.Line = source, line
		visit(rec)
	}
	if err := sc.Err(); err != nil {
		bad(&InputError{Source: source, Record: line + 1, Err: err})
	}
}

// parseNDJSON reads one line of an NDJSON capture.
func parseNDJSON(line []byte) (Record, error) {
	var nr ndjsonRecord
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&nr); err != nil {
		return Record{}, fmt.Errorf("not a capture record ({\"message\": …, \"payload\"|\"binary\"|\"frame\": …}): %w", err)
	}
	if dec.More() {
		return Record{}, errors.New("more than one JSON value on the line")
	}
	msg := protoreflect.FullName(nr.Message)
	if nr.Message != "" && !msg.IsValid() {
		return Record{}, fmt.Errorf("\"message\" %q is not a message's full name", nr.Message)
	}
	given := 0
	for _, set := range []bool{nr.Payload != nil, nr.Binary != nil, nr.Frame != nil} {
		if set {
			given++
		}
	}
	if given != 1 {
		return Record{}, errors.New("give exactly one of \"payload\" (protojson), \"binary\" (base64) and \"frame\" (base64 of a Confluent frame)")
	}
	switch {
	case nr.Frame != nil:
		return Record{Message: msg, Format: FormatFrame, Data: nr.Frame}, nil
	case msg == "":
		return Record{}, errors.New("\"message\" must give the payload's message by full name")
	case nr.Binary != nil:
		return Record{Message: msg, Format: FormatBinary, Data: nr.Binary}, nil
	}
	if bytes.Equal(bytes.TrimSpace(nr.Payload), []byte("null")) {
		return Record{}, errors.New("\"payload\" is null")
	}
	return Record{Message: msg, Format: FormatJSON, Data: nr.Payload}, nil
}
