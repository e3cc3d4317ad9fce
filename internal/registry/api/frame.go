package api

import (
	"encoding/binary"
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// Confluent's wire format: a magic byte 0, the schema ID as 4 bytes big
// endian, the message indexes, then the protobuf payload.
const (
	frameMagic  = 0
	frameHeader = 5
	// maxFrameIndexes bounds the indexes a frame may give: the nesting
	// depth of the message it names.
	maxFrameIndexes = 32
)

// errFrame is wrapped by every error parseFrame returns.
var errFrame = errors.New("invalid Confluent frame")

// frame is a Confluent-framed payload, parsed.
type frame struct {
	// id is the schema ID the frame was written for.
	id int64
	// indexes locate the message: the index of a top-level message of the
	// schema's file, then of a nested message in it, and so on. nil for
	// the kafkajs form, which writes none (the first message).
	indexes []int
	// header is the frame up to the payload, sent back before a redacted
	// payload as it came.
	header []byte
	// payload is the protobuf encoding of the message.
	payload []byte
	// alternative is, for a frame that reads both ways, the reading
	// without indexes (kafkajs): header and payload.
	alternative *frame
}

// parseFrame reads a Confluent frame. The message indexes are written as
// Confluent's serializers write them: a zigzag varint count, then each
// index as a zigzag varint, or the single byte 0 for [0], the first
// message. kafkajs writes no indexes at all; a byte after the ID that
// cannot begin the indexes (a count that is negative, or over
// maxFrameIndexes, or indexes that run past the end) is read as the start
// of the payload. Where both readings are possible, the one with indexes
// is returned and the other is kept in alternative for the caller to try
// when the first does not resolve or decode.
func parseFrame(b []byte) (*frame, error) {
	if len(b) < frameHeader {
		return nil, fmt.Errorf("%w: %d bytes, shorter than the 5 of the magic byte and schema ID", errFrame, len(b))
	}
	if b[0] != frameMagic {
		return nil, fmt.Errorf("%w: magic byte %d, not 0", errFrame, b[0])
	}
	id := int64(binary.BigEndian.Uint32(b[1:frameHeader]))
	if id < 1 || id > 1<<31-1 {
		return nil, fmt.Errorf("%w: schema ID %d out of range", errFrame, id)
	}
	noIndexes := &frame{id: id, header: b[:frameHeader], payload: b[frameHeader:]}
	rest := b[frameHeader:]
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
		withIndexes.alternative = noIndexes
	}
	return withIndexes, nil
}

// readIndexes reads the message indexes after the header of b.
func readIndexes(id int64, b []byte) (*frame, error) {
	rest := b[frameHeader:]
	n, l := protowire.ConsumeVarint(rest)
	if l < 0 {
		return nil, fmt.Errorf("%w: message index count: %v", errFrame, protowire.ParseError(l))
	}
	rest = rest[l:]
	count := protowire.DecodeZigZag(n)
	if count == 0 {
		return &frame{id: id, indexes: []int{0}, header: b[:len(b)-len(rest)], payload: rest}, nil
	}
	if count < 0 || count > maxFrameIndexes {
		return nil, fmt.Errorf("%w: message index count %d, not between 0 and %d", errFrame, count, maxFrameIndexes)
	}
	indexes := make([]int, 0, count)
	for i := range count {
		v, l := protowire.ConsumeVarint(rest)
		if l < 0 {
			return nil, fmt.Errorf("%w: message index %d: %v", errFrame, i, protowire.ParseError(l))
		}
		rest = rest[l:]
		x := protowire.DecodeZigZag(v)
		if x < 0 || x > 1<<20 {
			return nil, fmt.Errorf("%w: message index %d is %d", errFrame, i, x)
		}
		indexes = append(indexes, int(x))
	}
	return &frame{id: id, indexes: indexes, header: b[:len(b)-len(rest)], payload: rest}, nil
}

// appendFrame writes the header of a frame for schema id with the message
// indexes as Confluent's serializers write them; nil indexes write none
// (kafkajs).
func appendFrame(dst []byte, id int64, indexes []int) []byte {
	dst = append(dst, frameMagic)
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
