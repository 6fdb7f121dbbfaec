package mysqlproto

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net"
	"testing"
	"time"
)

// memConn is a net.Conn reading from a fixed byte string and recording
// what is written.
type memConn struct {
	r *bytes.Reader
	w bytes.Buffer
}

func (c *memConn) Read(b []byte) (int, error)       { return c.r.Read(b) }
func (c *memConn) Write(b []byte) (int, error)      { return c.w.Write(b) }
func (c *memConn) Close() error                     { return nil }
func (c *memConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *memConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c *memConn) SetDeadline(time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

func newMemConn(in []byte) *memConn { return &memConn{r: bytes.NewReader(in)} }

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>16)
	}
	return b
}

func TestPacketSplitBoundaries(t *testing.T) {
	for _, tc := range []struct {
		n       int
		packets []int // lengths on the wire
	}{
		{0, []int{0}},
		{1, []int{1}},
		{MaxPayload - 1, []int{MaxPayload - 1}},
		{MaxPayload, []int{MaxPayload, 0}},
		{MaxPayload + 1, []int{MaxPayload, 1}},
		{2 * MaxPayload, []int{MaxPayload, MaxPayload, 0}},
	} {
		payload := pattern(tc.n)
		// The framing on the wire.
		mc := newMemConn(nil)
		w := NewPacketConn(mc)
		w.Seq = 3
		if err := w.WritePacket(payload); err != nil {
			t.Fatal(err)
		}
		wire := mc.w.Bytes()
		off := 0
		for i, want := range tc.packets {
			if len(wire) < off+4 {
				t.Fatalf("n=%d: wire ends before packet %d", tc.n, i)
			}
			got := int(wire[off]) | int(wire[off+1])<<8 | int(wire[off+2])<<16
			if got != want || wire[off+3] != byte(3+i) {
				t.Fatalf("n=%d packet %d: length %d seq %d, want %d seq %d", tc.n, i, got, wire[off+3], want, 3+i)
			}
			off += 4 + got
		}
		if off != len(wire) {
			t.Fatalf("n=%d: %d bytes on the wire, framing accounts for %d", tc.n, len(wire), off)
		}
		if w.Seq != byte(3+len(tc.packets)) {
			t.Errorf("n=%d: writer Seq %d, want %d", tc.n, w.Seq, 3+len(tc.packets))
		}

		// Round trip over a pipe.
		a, b := net.Pipe()
		errc := make(chan error, 1)
		go func() {
			pw := NewPacketConn(a)
			pw.Seq = 3
			errc <- pw.WritePacket(payload)
		}()
		pr := NewPacketConn(b)
		pr.Seq = 3
		got, err := pr.ReadPacket()
		if err != nil {
			t.Fatalf("n=%d: read: %v", tc.n, err)
		}
		if !bytes.Equal(got, payload) {
			t.Fatalf("n=%d: reassembled %d bytes differ from the %d written", tc.n, len(got), len(payload))
		}
		if pr.Seq != byte(3+len(tc.packets)) {
			t.Errorf("n=%d: reader Seq %d, want %d", tc.n, pr.Seq, 3+len(tc.packets))
		}
		if err := <-errc; err != nil {
			t.Fatalf("n=%d: write: %v", tc.n, err)
		}
		a.Close()
		b.Close()
	}
}

func frame(seq byte, payload []byte) []byte {
	n := len(payload)
	return append([]byte{byte(n), byte(n >> 8), byte(n >> 16), seq}, payload...)
}

func TestPacketSequenceError(t *testing.T) {
	p := NewPacketConn(newMemConn(frame(5, []byte("x"))))
	if _, err := p.ReadPacket(); !errors.Is(err, ErrSequence) {
		t.Fatalf("seq 5 when 0 expected: %v, want ErrSequence", err)
	}
	// A wrong id in the continuation of a split payload.
	in := frame(0, make([]byte, MaxPayload))
	in = append(in, frame(2, []byte("y"))...)
	p = NewPacketConn(newMemConn(in))
	if _, err := p.ReadPacket(); !errors.Is(err, ErrSequence) {
		t.Fatalf("bad continuation seq: %v, want ErrSequence", err)
	}
	// The id wraps after 255.
	p = NewPacketConn(newMemConn(append(frame(255, []byte("a")), frame(0, []byte("b"))...)))
	p.Seq = 255
	for _, want := range []string{"a", "b"} {
		got, err := p.ReadPacket()
		if err != nil || string(got) != want {
			t.Fatalf("wrap: %q %v, want %q", got, err, want)
		}
	}
}

func TestPacketLimitsAndTruncation(t *testing.T) {
	p := NewPacketConn(newMemConn(frame(0, make([]byte, 100))))
	p.MaxPacket = 99
	if _, err := p.ReadPacket(); !errors.Is(err, ErrPacketTooLarge) {
		t.Fatalf("over MaxPacket: %v", err)
	}
	// A header announcing 16 MB followed by 10 bytes: no 16 MB allocation
	// is needed to find out, and the error says the packet was cut.
	in := []byte{0xff, 0xff, 0xff, 0}
	in = append(in, make([]byte, 10)...)
	p = NewPacketConn(newMemConn(in))
	if _, err := p.ReadPacket(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("cut payload: %v, want io.ErrUnexpectedEOF", err)
	}
	if cap(p.buf) > 4<<20 {
		t.Errorf("cut packet made the reader allocate %d bytes", cap(p.buf))
	}
	p = NewPacketConn(newMemConn([]byte{5, 0}))
	if _, err := p.ReadPacket(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("cut header: %v", err)
	}
	p = NewPacketConn(newMemConn(nil))
	if _, err := p.ReadPacket(); err != io.EOF {
		t.Fatalf("clean end: %v, want io.EOF", err)
	}
}

func TestLenEncRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		v    uint64
		size int
	}{
		{0, 1}, {250, 1}, {251, 3}, {0xffff, 3}, {0x10000, 4}, {0xffffff, 4},
		{0x1000000, 9}, {math.MaxUint64, 9},
	} {
		b := AppendLenEncInt([]byte{0xaa}, tc.v)
		if len(b)-1 != tc.size {
			t.Errorf("%d encodes in %d bytes, want %d", tc.v, len(b)-1, tc.size)
		}
		v, n, null, err := ReadLenEncInt(b[1:])
		if err != nil || null || v != tc.v || n != tc.size {
			t.Errorf("%d: read %d n=%d null=%v err=%v", tc.v, v, n, null, err)
		}
		// Every shorter prefix is reported short.
		for cut := 0; cut < tc.size; cut++ {
			if _, _, _, err := ReadLenEncInt(b[1 : 1+cut]); !errors.Is(err, ErrShort) {
				t.Errorf("%d cut to %d bytes: %v", tc.v, cut, err)
			}
		}
	}
	if _, n, null, err := ReadLenEncInt([]byte{0xfb}); !null || n != 1 || err != nil {
		t.Errorf("0xfb: null=%v n=%d err=%v", null, n, err)
	}
	if _, _, _, err := ReadLenEncInt([]byte{0xff}); err == nil {
		t.Error("0xff prefix accepted")
	}
	for _, s := range []string{"", "x", string(pattern(300)), string(pattern(70000))} {
		b := AppendLenEncString(nil, s)
		got, n, null, err := ReadLenEncString(append(b, "tail"...))
		if err != nil || null || string(got) != s || n != len(b) {
			t.Errorf("string of %d bytes: got %d bytes n=%d err=%v", len(s), len(got), n, err)
		}
		if len(b) > 1 {
			if _, _, _, err := ReadLenEncString(b[:len(b)-1]); !errors.Is(err, ErrShort) {
				t.Errorf("cut string of %d bytes: %v", len(s), err)
			}
		}
	}
	if _, _, null, err := ReadLenEncString([]byte{0xfb}); !null || err != nil {
		t.Errorf("NULL string: null=%v err=%v", null, err)
	}
	s, n, err := ReadNullString([]byte("abc\x00def"))
	if err != nil || string(s) != "abc" || n != 4 {
		t.Errorf("ReadNullString: %q %d %v", s, n, err)
	}
	if _, _, err := ReadNullString([]byte("abc")); !errors.Is(err, ErrShort) {
		t.Errorf("unterminated: %v", err)
	}
}

func TestParseError(t *testing.T) {
	e := ParseError([]byte("\xff\x28\x04#42000You have an error"))
	if e.Code != 1064 || e.State != "42000" || e.Message != "You have an error" {
		t.Errorf("with state: %+v", e)
	}
	if got := e.Error(); got != "server error 1064 (42000): You have an error" {
		t.Errorf("Error() = %q", got)
	}
	e = ParseError([]byte("\xff\x15\x04no state"))
	if e.Code != 1045 || e.State != "" || e.Message != "no state" {
		t.Errorf("without state: %+v", e)
	}
	for _, bad := range [][]byte{nil, {0xff}, {0xff, 1}, {0x00, 1, 2}} {
		if e := ParseError(bad); e.Code != 0 || e.Message != "malformed error packet" {
			t.Errorf("malformed %x: %+v", bad, e)
		}
	}
	b := AppendError(nil, 1146, "42S02", "Table 'x.y' doesn't exist")
	e = ParseError(b)
	if e.Code != 1146 || e.State != "42S02" || e.Message != "Table 'x.y' doesn't exist" {
		t.Errorf("round trip: %+v", e)
	}
}
