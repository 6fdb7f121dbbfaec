package event

import (
	"bytes"
	"encoding/json"
	"testing"
)

// fuzzBodies is the shared body of the per-event fuzz targets. Invariants: no
// decode panics; a body that decodes re-encodes, and the re-encoded bytes
// decode again and encode to the same bytes (encode∘decode is a fixed point).
// Seeds are every distinct corpus body of the given types plus extra, each
// tried under the MySQL 8.0 and the MariaDB 10.5 contexts and the corpus's own.
func fuzzBodies(f *testing.F, extra [][]byte, types ...Type) {
	formats := []*FormatDescription{DefaultFormat(), NewFormatDescription("10.5.15-MariaDB-log", ChecksumCRC32)}
	for i, t := range types {
		bodies, fds := corpusBodiesQuiet(f, t, 64)
		for j, b := range bodies {
			f.Add(uint8(i), fdIndex(&formats, fds[j]), b)
		}
		for _, b := range extra {
			f.Add(uint8(i), uint8(0), b)
		}
	}
	f.Fuzz(func(t *testing.T, ti, fi uint8, b []byte) {
		typ := types[int(ti)%len(types)]
		fd := formats[int(fi)%len(formats)]
		body := NewBody(typ)
		if err := body.DecodeBody(fd, typ, b); err != nil {
			return
		}
		if js := (&Event{Header: Header{Type: typ}, Body: body, Format: fd}).AppendJSON(nil); !json.Valid(js) {
			t.Fatalf("%v: AppendJSON wrote invalid JSON %s", typ, js)
		}
		enc, err := body.AppendBody(nil, fd)
		if err != nil {
			return // some decodable bodies cannot be built back (documented per type)
		}
		again := NewBody(typ)
		if err := again.DecodeBody(fd, typ, enc); err != nil {
			t.Fatalf("%v: re-encoded body does not decode: %v\n in %x\nenc %x", typ, err, b, enc)
		}
		enc2, err := again.AppendBody(nil, fd)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("%v: encode is not stable: %v\nenc  %x\nenc2 %x", typ, err, enc, enc2)
		}
	})
}

// corpusBodiesQuiet is corpusBodies without the skip when the corpus is absent.
func corpusBodiesQuiet(f *testing.F, t Type, max int) ([][]byte, []*FormatDescription) {
	var bodies [][]byte
	var fds []*FormatDescription
	ok := true
	func() {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		bodies, fds = corpusBodies(skipless{f}, t, max)
	}()
	if !ok {
		return nil, nil
	}
	return bodies, fds
}

// skipless turns Skip into a panic caught by corpusBodiesQuiet, so fuzz
// targets still run their own seeds without the corpus.
type skipless struct{ testing.TB }

func (s skipless) Skipf(format string, args ...any) { panic("skip") }

func fdIndex(formats *[]*FormatDescription, fd *FormatDescription) uint8 {
	for i, f := range *formats {
		if f == fd {
			return uint8(i)
		}
	}
	*formats = append(*formats, fd)
	return uint8(len(*formats) - 1)
}

func FuzzFormatDescription(f *testing.F) {
	fuzzBodies(f, nil, FormatDescriptionEvent, StartEventV3)
}

func FuzzUnknown(f *testing.F) {
	fuzzBodies(f, [][]byte{{1, 2, 3}}, Type(100), Type(200))
}
