// Package frame reads and writes Confluent's wire format for a record
// value: a magic byte 0, the schema ID as 4 bytes big endian, the message
// indexes, then the protobuf payload. The registry's validate and redact
// resources and `provision live-check` read frames with it.
package frame

import (
	"encoding/binary"
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

const (
	// Magic is the first byte of every frame.
	Magic = 0
	// headerLen is the length of the magic byte and the schema ID.
	headerLen = 5
	// maxIndexes bounds the indexes a frame may give: the nesting depth of
	// the message it names.
	maxIndexes = 32
)

// ErrInvalid is wrapped by every error Parse returns.
var ErrInvalid = errors.New("invalid Confluent frame")

// Frame is a Confluent-framed payload, parsed.
type Frame struct {
	// ID is the schema ID the frame was written for.
	ID int64
	// Indexes locate the message: the index of a top-level message of the
	// schema's file, then of a nested message in it, and so on. nil for
	// the kafkajs form, which writes none (the first message).
	Indexes []int
	// Header is the frame up to the payload, to send back before a
	// redacted payload as it came.
	Header []byte
	// Payload is the protobuf encoding of the message.
	Payload []byte
	// Alternative is, for a frame that reads both ways, the reading
	// without indexes (kafkajs): header and payload.
	Alternative *Frame
}

// Parse reads a Confluent frame. The message indexes are read as
// Confluent's serializers write them: a zigzag varint count, then each
// index as a zigzag varint, or the single byte 0 for [0], the first
// message. kafkajs writes no indexes at all; a byte after the ID that
// cannot begin the indexes (a count that is negative, or over 32, or
// indexes that run past the end) is read as the start of the payload.
// Where both readings are possible, the one with indexes is returned and
// the other is kept in Alternative for the caller to try when the first
// does not resolve or decode. The frame's slices share b's memory.
func Parse(b []byte) (*Frame, error) {
	if len(b) < headerLen {
		return nil, fmt.Errorf("%w: %d bytes, shorter than the 5 of the magic byte and schema ID", ErrInvalid, len(b))
	}
	if b[0] != Magic {
		return nil, fmt.Errorf("%w: magic byte %d, not 0", ErrInvalid, b[0])
	}
	id := int64(binary.BigEndian.Uint32(b[1:headerLen]))
	if id < 1 || id > 1<<31-1 {
		return nil, fmt.Errorf("%w: schema ID %d out of range", ErrInvalid, id)
	}
	noIndexes := &Frame{ID: id, Header: b[:headerLen], Payload: b[headerLen:]}
	rest := b[headerLen:]
	if len(rest) == 0 {
		return noIndexes, nil
	}
	withIndexes, err := readIndexes(id, b)
	if err != nil {
		// Bytes 0 to 7 cannot begin a protobuf payload (field 0): they
		// are indexes, badly written.
		if rest[0] < 8 {
			return nil, err
		}
		return noIndexes, nil
	}
	if rest[0] >= 8 {
		// A valid tag could be a count of 4 or more: try both.
		withIndexes.Alternative = noIndexes
	}
	return withIndexes, nil
}

// readIndexes reads the message indexes after the header of b.
func readIndexes(id int64, b []byte) (*Frame, error) {
	rest := b[headerLen:]
	n, l := protowire.ConsumeVarint(rest)
	if l < 0 {
		return nil, fmt.Errorf("%w: message index count: %v", ErrInvalid, protowire.ParseError(l))
	}
	rest = rest[l:]
	count := protowire.DecodeZigZag(n)
	if count == 0 {
		return &Frame{ID: id, Indexes: []int{0}, Header: b[:len(b)-len(rest)], Payload: rest}, nil
	}
	if count < 0 || count > maxIndexes {
		return nil, fmt.Errorf("%w: message index count %d, not between 0 and %d", ErrInvalid, count, maxIndexes)
	}
	indexes := make([]int, 0, count)
	for i := range count {
		v, l := protowire.ConsumeVarint(rest)
		if l < 0 {
			return nil, fmt.Errorf("%w: message index %d: %v", ErrInvalid, i, protowire.ParseError(l))
		}
		rest = rest[l:]
		x := protowire.DecodeZigZag(v)
		if x < 0 || x > 1<<20 {
			return nil, fmt.Errorf("%w: message index %d is %d", ErrInvalid, i, x)
		}
		indexes = append(indexes, int(x))
	}
	return &Frame{ID: id, Indexes: indexes, Header: b[:len(b)-len(rest)], Payload: rest}, nil
}

// Append appends to dst the header of a frame for schema id with the
// message indexes as Confluent's serializers write them; nil indexes
// write none (kafkajs).
func Append(dst []byte, id int64, indexes []int) []byte {
	dst = append(dst, Magic)
	dst = binary.BigEndian.AppendUint32(dst, uint32(id))
	switch {
	case indexes == nil:
	case len(indexes) == 1 && indexes[0] == 0:
		dst = append(dst, 0)
	default:
		dst = protowire.AppendVarint(dst, protowire.EncodeZigZag(int64(len(indexes))))
		for _, i := range indexes {
			dst = protowire.AppendVarint(dst, protowire.EncodeZigZag(int64(i)))
		}
	}
	return dst
}
