package event

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
)

// ExamplePayloadReader fabricates a compressed transaction payload and
// iterates its inner events.
func ExamplePayloadReader() {
	var events []byte
	for _, typ := range []Type{QueryEvent, XIDEvent} {
		events = append(events, innerEvent(typ, make([]byte, 8))...)
	}
	p, err := NewTransactionPayload(events, PayloadCompressionZSTD)
	if err != nil {
		panic(err)
	}
	var pr PayloadReader // keep one per stream: it reuses its decoder
	if err := pr.Reset(p, 1<<20); err != nil {
		panic(err)
	}
	for {
		raw, off, err := pr.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			panic(err)
		}
		h, _ := ParseHeader(raw)
		fmt.Println(off, h.Type, len(raw))
	}
	// Output:
	// 0 QUERY_EVENT 27
	// 27 XID_EVENT 27
}

// innerEvent builds an inner event (no checksum) of type typ with body b.
func innerEvent(typ Type, b []byte) []byte {
	ev := Header{Timestamp: 1, Type: typ, ServerID: 1, EventSize: uint32(HeaderLen + len(b))}.Append(nil)
	return append(ev, b...)
}

// readAll iterates a payload and returns the inner events' types and offsets.
func readAll(t *testing.T, pr *PayloadReader, p *TransactionPayload, max int) ([]Type, []uint64, error) {
	t.Helper()
	if err := pr.Reset(p, max); err != nil {
		return nil, nil, err
	}
	var types []Type
	var offs []uint64
	for {
		raw, off, err := pr.Next()
		if err == io.EOF {
			return types, offs, nil
		}
		if err != nil {
			return types, offs, err
		}
		types = append(types, Type(raw[4]))
		offs = append(offs, off)
	}
}

func corpusPayload(t *testing.T) (corpusEvent, *TransactionPayload) {
	ev := corpusEventsOf(t, "transaction_compression.000001", TransactionPayloadEvent)[0]
	var p TransactionPayload
	if err := p.DecodeBody(ev.Format, TransactionPayloadEvent, ev.Body); err != nil {
		t.Fatal(err)
	}
	return ev, &p
}

// TestPayloadCorpus is TESTCASES.md #9 on the corpus: the zstd payload holds
// exactly QUERY, TABLE_MAP, WRITE_ROWS and XID, and each inner event
// re-encodes to identical bytes.
func TestPayloadCorpus(t *testing.T) {
	ev, p := corpusPayload(t)
	if p.CompressionType != PayloadCompressionZSTD || p.PayloadSize != uint64(len(p.Payload)) || p.UncompressedSize == 0 {
		t.Fatalf("%+v", p)
	}
	reencode(t, p, ev.Format, ev.Body)

	var pr PayloadReader
	types, offs, err := readAll(t, &pr, p, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Type{QueryEvent, TableMapEvent, WriteRowsEventV2, XIDEvent}; !slices.Equal(types, want) {
		t.Fatalf("inner events %v, want %v", types, want)
	}
	if offs[0] != 0 {
		t.Errorf("offsets %v", offs)
	}

	// Inner events carry no checksum: decode them in the file's format with
	// checksums off, and encode them back.
	inner := *ev.Format
	inner.ChecksumAlg = ChecksumOff
	if err := pr.Reset(p, 1<<20); err != nil {
		t.Fatal(err)
	}
	total := uint64(0)
	for {
		raw, off, err := pr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if off != total {
			t.Errorf("offset %d, want %d", off, total)
		}
		total += uint64(len(raw))
		h, _ := ParseHeader(raw)
		body := NewBody(h.Type)
		if _, ok := body.(*Unknown); ok {
			t.Logf("%v: body type not in this tree yet, skipped", h.Type)
			continue
		}
		if err := body.DecodeBody(&inner, h.Type, raw[HeaderLen:]); err != nil {
			t.Errorf("%v: decode: %v", h.Type, err)
			continue
		}
		got, err := Append(nil, h, body, &inner)
		if err != nil || !bytes.Equal(got, raw) {
			t.Errorf("%v: re-encoded differs (%v)\n got %x\nwant %x", h.Type, err, got, raw)
		}
	}
	if total != p.UncompressedSize {
		t.Errorf("read %d bytes, payload declares %d", total, p.UncompressedSize)
	}
}

// TestPayloadNone reads a payload stored without compression, built by hand.
func TestPayloadNone(t *testing.T) {
	events := append(innerEvent(QueryEvent, []byte("xyz")), innerEvent(XIDEvent, []byte{1, 0, 0, 0, 0, 0, 0, 0})...)
	p, err := NewTransactionPayload(events, PayloadCompressionNone)
	if err != nil {
		t.Fatal(err)
	}
	body, err := p.AppendBody(nil, DefaultFormat())
	if err != nil {
		t.Fatal(err)
	}
	var back TransactionPayload
	if err := back.DecodeBody(DefaultFormat(), TransactionPayloadEvent, body); err != nil {
		t.Fatal(err)
	}
	if back.CompressionType != PayloadCompressionNone || !bytes.Equal(back.Payload, events) || back.UncompressedSize != uint64(len(events)) {
		t.Fatalf("%+v", back)
	}
	reencode(t, &back, DefaultFormat(), body)
	var pr PayloadReader
	types, offs, err := readAll(t, &pr, &back, 1024)
	if err != nil || !slices.Equal(types, []Type{QueryEvent, XIDEvent}) || !slices.Equal(offs, []uint64{0, 22}) {
		t.Fatalf("%v %v %v", types, offs, err)
	}
}

// TestPayloadHugeDeclaredSize is TESTCASES.md #9: a payload declaring more
// than 2 GiB uncompressed is streamed; nothing is allocated up front.
func TestPayloadHugeDeclaredSize(t *testing.T) {
	events := bytes.Repeat(innerEvent(QueryEvent, make([]byte, 100)), 50)
	p, err := NewTransactionPayload(events, PayloadCompressionZSTD)
	if err != nil {
		t.Fatal(err)
	}
	p.UncompressedSize = 3 << 30
	body, _ := p.AppendBody(nil, DefaultFormat())
	var back TransactionPayload
	if err := back.DecodeBody(DefaultFormat(), TransactionPayloadEvent, body); err != nil {
		t.Fatal(err)
	}
	var pr PayloadReader
	types, _, err := readAll(t, &pr, &back, 1024)
	if err != nil || len(types) != 50 {
		t.Fatalf("%d events, %v", len(types), err)
	}
	if cap(pr.buf) > 4096 {
		t.Errorf("buffer grew to %d", cap(pr.buf))
	}
	// The same reader serves the next payload, with a decoder of its own
	// (what a decoder read before must not change what it reports).
	if types, _, err := readAll(t, &pr, &back, 1024); err != nil || len(types) != 50 {
		t.Errorf("again: %d events, %v", len(types), err)
	}
}

func TestPayloadCorrupt(t *testing.T) {
	events := bytes.Repeat(innerEvent(QueryEvent, bytes.Repeat([]byte("select 1;"), 30)), 5)
	p, err := NewTransactionPayload(events, PayloadCompressionZSTD)
	if err != nil {
		t.Fatal(err)
	}
	var pr PayloadReader
	check := func(name string, q *TransactionPayload, max int) {
		t.Helper()
		_, _, err := readAll(t, &pr, q, max)
		if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: %v", name, err)
		}
		if _, _, err2 := pr.Next(); err2 == nil || err2 == io.EOF {
			t.Errorf("%s: error not sticky: %v", name, err2)
		}
	}
	cut := *p
	cut.Payload = p.Payload[:len(p.Payload)-10]
	check("truncated zstd", &cut, 1<<20)
	flipped := *p
	flipped.Payload = bytes.Clone(p.Payload)
	for i := 6; i < len(flipped.Payload); i += 7 {
		flipped.Payload[i] ^= 0x5a
	}
	check("corrupt zstd", &flipped, 1<<20)
	garbage := *p
	garbage.Payload = []byte("this is not zstd at all")
	check("not zstd", &garbage, 1<<20)
	check("event over the limit", p, 100)
	lz4 := *p
	lz4.CompressionType = 1
	check("unknown compression", &lz4, 1<<20)
	// Stored events cut inside an event, and an event size below the header.
	none := TransactionPayload{CompressionType: PayloadCompressionNone, Payload: events[:len(events)-3]}
	check("cut inside an event", &none, 1<<20)
	small := innerEvent(QueryEvent, nil)
	small[9] = 5
	none.Payload = small
	check("size below header", &none, 1<<20)
	// Header fields that run past the body or never end.
	for _, b := range [][]byte{{}, {2, 1}, {2, 5, 0}, {2, 2, 0xfc, 0}, {3, 1, 0xfb, 0}} {
		var q TransactionPayload
		if err := q.DecodeBody(DefaultFormat(), TransactionPayloadEvent, b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("header %x: %v", b, err)
		}
	}
}

// TestPayloadFields keeps unknown header fields and non-shortest values, and
// rewrites a changed size.
func TestPayloadFields(t *testing.T) {
	body := []byte{1, 3, 0xfc, 2, 0, 9, 2, 7, 7, 2, 1, 255 - 4, 0, 'a', 'b'}
	body[11] = 0xfb // NULL marker is not a valid value
	var p TransactionPayload
	if err := p.DecodeBody(DefaultFormat(), TransactionPayloadEvent, body); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("NULL value: %v", err)
	}
	body = []byte{1, 3, 0xfc, 2, 0, 9, 2, 7, 7, 2, 1, 0, 0, 'a', 'b'}
	if err := p.DecodeBody(DefaultFormat(), TransactionPayloadEvent, body); err != nil {
		t.Fatal(err)
	}
	if p.PayloadSize != 2 || len(p.Fields) != 3 || p.Fields[1].Type != 9 || string(p.Payload) != "ab" {
		t.Fatalf("%+v", p)
	}
	reencode(t, &p, DefaultFormat(), body)
	p.PayloadSize = 3
	got, _ := p.AppendBody(nil, DefaultFormat())
	if want := []byte{1, 1, 3, 9, 2, 7, 7, 2, 1, 0, 0, 'a', 'b'}; !bytes.Equal(got, want) {
		t.Errorf("changed size: %x, want %x", got, want)
	}
}

// TestPayloadInflatedMatchesStreamed damages a compressed payload byte by
// byte and cuts it at every length: inflating it whole must give the events,
// offsets and error that streaming it gives.
func TestPayloadInflatedMatchesStreamed(t *testing.T) {
	var events []byte
	for i := range 20 {
		events = append(events, innerEvent(QueryEvent, bytes.Repeat([]byte{byte('a' + i)}, 30+i))...)
	}
	p, err := NewTransactionPayload(events, PayloadCompressionZSTD)
	if err != nil {
		t.Fatal(err)
	}
	flat, stream := PayloadReader{}, PayloadReader{noFlat: true}
	check := func(what string, q *TransactionPayload) int {
		err, serr := flat.Reset(q, 1<<16), stream.Reset(q, 1<<16)
		if (err == nil) != (serr == nil) {
			t.Fatalf("%s: Reset %v, streaming %v", what, err, serr)
		}
		if err != nil {
			return 0
		}
		for n := 0; ; n++ {
			raw, off, err := flat.Next()
			sraw, soff, serr := stream.Next()
			if fmt.Sprint(err) != fmt.Sprint(serr) || off != soff || !bytes.Equal(raw, sraw) {
				t.Fatalf("%s: event %d: %d bytes at %d, %v; streaming %d bytes at %d, %v", what, n, len(raw), off, err, len(sraw), soff, serr)
			}
			if err != nil {
				return n
			}
		}
	}
	if n := check("intact", p); n != 20 || !flat.flatOn {
		t.Fatalf("intact payload: %d events, inflated whole %v", n, flat.flatOn)
	}
	for i := range p.Payload {
		q := *p
		q.Payload = bytes.Clone(p.Payload)
		q.Payload[i] ^= 0x5a
		check(fmt.Sprintf("byte %d damaged", i), &q)
		q.Payload = p.Payload[:i]
		check(fmt.Sprintf("cut at %d", i), &q)
	}
	// Events that decompress to a cut inner event.
	for _, cut := range []int{len(events) - 5, len(events) - 40, 7} {
		q, _ := NewTransactionPayload(events[:cut], PayloadCompressionZSTD)
		check(fmt.Sprintf("events cut at %d", cut), q)
	}
}
