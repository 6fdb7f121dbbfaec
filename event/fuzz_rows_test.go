package event

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

func tableMapFuzzSeeds() [][]byte {
	return [][]byte{
		tableMapBody(1, "d", "t", []byte{3, 15, 254, 20, 20}, []byte{0x2c, 1, 0xfe, 8, 8, 15, 1, 0, 0}, []byte{0x1f},
			[]byte{4, 0xfc, 2, 0, 1, 'a'}, []byte{5, 6, 1, 2, 1, 'x', 1, 'y'}, []byte{2, 3, 8, 0, 9}, []byte{99, 0}),
	}
}

// FuzzTableMap: the shared body invariants (no panic, encode∘decode is a
// fixed point) for TABLE_MAP.
func FuzzTableMap(f *testing.F) {
	fuzzBodies(f, tableMapFuzzSeeds(), TableMapEvent)
}

// FuzzTableMapViews: every accessor and optional-field iterator of a decoded
// table map terminates without panicking, and a CopyTo copy encodes to the
// original bytes.
func FuzzTableMapViews(f *testing.F) {
	for _, b := range tableMapFuzzSeeds() {
		f.Add(b)
	}
	bodies, _ := corpusBodiesQuiet(f, TableMapEvent, 64)
	for _, b := range bodies {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var tm TableMap
		if tm.DecodeBody(DefaultFormat(), TableMapEvent, b) != nil {
			return
		}
		for i := range int(min(tm.ColumnCount, 1000)) + 1 {
			tm.ColumnMeta(i)
			tm.Nullable(i)
		}
		for range collectInts(tm.ColumnCharsets()) {
		}
		collectStrings(tm.ColumnNames())
		if l, ok := tm.SetStrValues(); ok {
			for {
				s, ok := l.Next()
				if !ok {
					break
				}
				collectStrings(s, true)
			}
		}
		if d, ok := tm.DefaultCharset(); ok {
			for range d.Pairs.All() {
			}
		}
		var c TableMap
		tm.CopyTo(&c)
		a, err1 := tm.AppendBody(nil, DefaultFormat())
		b2, err2 := c.AppendBody(nil, DefaultFormat())
		if err1 != nil || err2 != nil || string(a) != string(b2) || string(a) != string(b) {
			t.Fatalf("copy or re-encode differs: %v %v\n in %x\n a  %x\n b  %x", err1, err2, b, a, b2)
		}
	})
}

// FuzzRows: no panic; every rows layout (pre-GA, v1, v2, partial, MariaDB
// compressed) re-encodes to a fixed point.
func FuzzRows(f *testing.F) {
	comp, _ := appendCompressedRows(nil, []byte{0, 1, 0, 0, 0, 0, 2, 0, 0, 0})
	extra := [][]byte{
		append([]byte{7, 0, 0, 0, 0, 0, 1, 0, 8, 0, 0, 4, 0, 9, 1, 3, 0, 5, 0, 2, 3, 2}, 0, 1, 0),
		append([]byte{0x26, 0, 0, 0, 0, 0, 1, 0, 2, 3}, comp...),
		append([]byte{0x26, 0, 0, 0, 0, 0, 1, 0, 2, 0, 2, 3, 3}, comp...),
	}
	fuzzBodies(f, extra,
		WriteRowsEventV2, UpdateRowsEventV2, DeleteRowsEventV2, PartialUpdateRowsEvent,
		WriteRowsEventV1, UpdateRowsEventV1, DeleteRowsEventV1,
		PreGAWriteRowsEvent, PreGAUpdateRowsEvent, PreGADeleteRowsEvent,
		MariaWriteRowsCompressedV1, MariaUpdateRowsCompressedV1, MariaDeleteRowsCompressedV1,
		MariaWriteRowsCompressed, MariaUpdateRowsCompressed, MariaDeleteRowsCompressed)
}

func payloadFuzzSeeds() [][]byte {
	events := append(innerEvent(QueryEvent, []byte("begin")), innerEvent(XIDEvent, make([]byte, 8))...)
	var extra [][]byte
	for _, typ := range []uint64{PayloadCompressionZSTD, PayloadCompressionNone} {
		p, _ := NewTransactionPayload(events, typ)
		b, _ := p.AppendBody(nil, DefaultFormat())
		extra = append(extra, b)
	}
	return extra
}

// FuzzTransactionPayload: the shared body invariants for TRANSACTION_PAYLOAD.
func FuzzTransactionPayload(f *testing.F) {
	fuzzBodies(f, payloadFuzzSeeds(), TransactionPayloadEvent)
}

// FuzzPayloadReader: no panic iterating the inner events of any payload
// body; iteration ends with io.EOF or an error, and every inner event has at
// least a header. A payload inflated whole gives the same events, offsets
// and error as one streamed.
func FuzzPayloadReader(f *testing.F) {
	for _, b := range payloadFuzzSeeds() {
		f.Add(b)
	}
	bodies, _ := corpusBodiesQuiet(f, TransactionPayloadEvent, 64)
	for _, b := range bodies {
		f.Add(b)
	}
	var pr PayloadReader
	stream := PayloadReader{noFlat: true}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p TransactionPayload
		if p.DecodeBody(DefaultFormat(), TransactionPayloadEvent, b) != nil {
			return
		}
		err, serr := pr.Reset(&p, 1<<16), stream.Reset(&p, 1<<16)
		if (err == nil) != (serr == nil) {
			t.Fatalf("Reset: %v, streaming %v", err, serr)
		}
		if err != nil {
			return
		}
		for range 10000 {
			raw, off, err := pr.Next()
			sraw, soff, serr := stream.Next()
			if fmt.Sprint(err) != fmt.Sprint(serr) || off != soff || !bytes.Equal(raw, sraw) {
				t.Fatalf("Next: %d bytes at %d, %v; streaming %d bytes at %d, %v", len(raw), off, err, len(sraw), soff, serr)
			}
			if err != nil {
				if err != io.EOF && err.Error() == "" {
					t.Fatal("empty error")
				}
				return
			}
			if len(raw) < HeaderLen {
				t.Fatalf("inner event of %d bytes", len(raw))
			}
		}
	})
}
