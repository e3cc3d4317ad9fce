package frame

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

func TestParseFrame(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		in      []byte
		id      int64
		indexes []int
		payload []byte
		alt     bool
		err     bool
	}{
		{name: "first message shortcut", in: []byte{0, 0, 0, 0, 7, 0, 8, 1}, id: 7, indexes: []int{0}, payload: []byte{8, 1}},
		{name: "one index", in: []byte{0, 0, 0, 1, 0, 2, 4, 8, 1}, id: 256, indexes: []int{2}, payload: []byte{8, 1}},
		{name: "nested", in: []byte{0, 0, 0, 0, 9, 4, 2, 6}, id: 9, indexes: []int{1, 3}, payload: []byte{}},
		{name: "both readings", in: []byte{0, 0, 0, 0, 7, 8, 2, 4, 6, 0}, id: 7, indexes: []int{1, 2, 3, 0}, payload: []byte{}, alt: true},
		{name: "kafkajs", in: []byte{0, 0, 0, 0, 7, 0x0a, 1, 'x'}, id: 7, payload: []byte{0x0a, 1, 'x'}},
		{name: "kafkajs only", in: []byte{0, 0, 0, 0, 7, 0x12, 0xff}, id: 7, payload: []byte{0x12, 0xff}},
		{name: "empty payload", in: []byte{0, 0, 0, 0, 7}, id: 7, payload: []byte{}},
		{name: "short", in: []byte{0, 0, 1}, err: true},
		{name: "magic", in: []byte{1, 0, 0, 0, 7}, err: true},
		{name: "id zero", in: []byte{0, 0, 0, 0, 0, 0}, err: true},
		{name: "id too large", in: []byte{0, 0x80, 0, 0, 0, 0}, err: true},
		{name: "negative count", in: []byte{0, 0, 0, 0, 7, 1}, err: true},
		{name: "truncated indexes", in: []byte{0, 0, 0, 0, 7, 4, 2}, err: true},
		{name: "negative index", in: []byte{0, 0, 0, 0, 7, 2, 1}, err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := Parse(tc.in)
			if tc.err {
				if err == nil || !errors.Is(err, ErrInvalid) {
					t.Fatalf("Parse(%v) = %+v, %v; want an invalid frame", tc.in, f, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.ID != tc.id || !slices.Equal(f.Indexes, tc.indexes) || !bytes.Equal(f.Payload, tc.payload) || (f.Alternative != nil) != tc.alt {
				t.Fatalf("Parse(%v) = id %d indexes %v payload %v alt %v", tc.in, f.ID, f.Indexes, f.Payload, f.Alternative != nil)
			}
		})
	}
}

// FuzzParseFrame: parseFrame never panics; a frame it reads is its header
// and payload; the header it would write for the same ID and indexes
// reads back the same.
func FuzzParseFrame(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 7, 0, 8, 1})
	f.Add([]byte{0, 0, 0, 1, 0, 4, 2, 6, 8, 1})
	f.Add([]byte{0, 0, 0, 0, 7, 0x0a, 1, 'x'})
	f.Add([]byte{0, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1})
	f.Fuzz(func(t *testing.T, in []byte) {
		fr, err := Parse(in)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		for g := fr; g != nil; g = g.Alternative {
			if !bytes.Equal(append(append([]byte(nil), g.Header...), g.Payload...), in) {
				t.Fatalf("header %v + payload %v != %v", g.Header, g.Payload, in)
			}
			if g.Indexes == nil {
				continue
			}
			again, err := Parse(Append(nil, g.ID, g.Indexes))
			if err != nil || again.ID != g.ID || !slices.Equal(again.Indexes, g.Indexes) {
				t.Fatalf("written again: %+v, %v; want id %d indexes %v", again, err, g.ID, g.Indexes)
			}
		}
	})
}
