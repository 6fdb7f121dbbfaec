// Package mysqlproto speaks the MySQL client/server protocol: packet framing,
// the connection handshake and authentication, text queries, and the
// replication commands. It serves binlog.Dial (the client side) and
// binlog/binlogtest (the server side). It imports no MySQL driver.
package mysqlproto

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
)

// MaxPayload is the largest payload one packet carries; a payload of this
// length is followed by another packet continuing it.
const MaxPayload = 1<<24 - 1

// DefaultMaxPacket bounds a reassembled payload unless PacketConn.MaxPacket
// says otherwise: 1 GiB, the largest max_allowed_packet a server accepts.
const DefaultMaxPacket = 1 << 30

// ErrPacketTooLarge is returned when a reassembled payload would exceed
// PacketConn.MaxPacket.
var ErrPacketTooLarge = errors.New("mysqlproto: packet larger than the limit")

// ErrSequence is returned when a packet arrives with an unexpected sequence id.
var ErrSequence = errors.New("mysqlproto: packet out of sequence")

// PacketConn reads and writes protocol packets on a connection, keeping the
// sequence id. Payloads of MaxPayload bytes or more are split on write and
// reassembled on read.
type PacketConn struct {
	conn net.Conn
	r    *bufio.Reader
	// Seq is the sequence id of the next packet to read or write. Reset it
	// to 0 at the start of each command.
	Seq uint8
	// MaxPacket bounds a reassembled payload (0 means DefaultMaxPacket).
	MaxPacket int
	buf       []byte // reassembly buffer, reused
	hdr       [4]byte
	wbuf      []byte
}

// NewPacketConn wraps c.
func NewPacketConn(c net.Conn) *PacketConn {
	return &PacketConn{conn: c, r: bufio.NewReaderSize(c, 64<<10)}
}

// Conn returns the underlying connection.
func (p *PacketConn) Conn() net.Conn { return p.conn }

// SetConn replaces the underlying connection, as after a TLS upgrade. Bytes
// already buffered from the old connection are dropped.
func (p *PacketConn) SetConn(c net.Conn) {
	p.conn = c
	p.r = bufio.NewReaderSize(c, 64<<10)
}

// BufferedConn returns the underlying connection with the bytes the
// PacketConn has read ahead put back in front of it. A server wraps it in
// tls.Server after an SSL request: the client's TLS hello may already sit
// in the read buffer. Use it with SetConn; the PacketConn must not read in
// between.
func (p *PacketConn) BufferedConn() net.Conn {
	n := p.r.Buffered()
	if n == 0 {
		return p.conn
	}
	ahead, _ := p.r.Peek(n)
	return &prefixConn{Conn: p.conn, ahead: append([]byte(nil), ahead...)}
}

// prefixConn is a net.Conn whose reads return ahead first.
type prefixConn struct {
	net.Conn
	ahead []byte
}

func (c *prefixConn) Read(b []byte) (int, error) {
	if len(c.ahead) > 0 {
		n := copy(b, c.ahead)
		c.ahead = c.ahead[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}

// Close closes the connection.
func (p *PacketConn) Close() error { return p.conn.Close() }

// ReadPacket reads one payload, reassembling split packets. The bytes are
// valid until the next call.
func (p *PacketConn) ReadPacket() ([]byte, error) {
	limit := p.MaxPacket
	if limit <= 0 {
		limit = DefaultMaxPacket
	}
	p.buf = p.buf[:0]
	for {
		if _, err := io.ReadFull(p.r, p.hdr[:]); err != nil {
			if err == io.ErrUnexpectedEOF {
				err = fmt.Errorf("mysqlproto: connection closed inside a packet header: %w", err)
			}
			return nil, err
		}
		n := int(p.hdr[0]) | int(p.hdr[1])<<8 | int(p.hdr[2])<<16
		if p.hdr[3] != p.Seq {
			return nil, fmt.Errorf("%w: got %d, want %d", ErrSequence, p.hdr[3], p.Seq)
		}
		p.Seq++
		if len(p.buf)+n > limit {
			return nil, fmt.Errorf("%w (%d bytes)", ErrPacketTooLarge, limit)
		}
		// Grow with the bytes that arrive, never by the declared length alone.
		start := len(p.buf)
		for len(p.buf) < start+n {
			chunk := start + n - len(p.buf)
			if chunk > 1<<20 {
				chunk = 1 << 20
			}
			if cap(p.buf)-len(p.buf) < chunk {
				nb := make([]byte, len(p.buf), 2*cap(p.buf)+chunk)
				copy(nb, p.buf)
				p.buf = nb
			}
			m, err := io.ReadFull(p.r, p.buf[len(p.buf):len(p.buf)+chunk])
			p.buf = p.buf[:len(p.buf)+m]
			if err != nil {
				if err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return nil, fmt.Errorf("mysqlproto: connection closed inside a packet: %w", err)
			}
		}
		if n < MaxPayload {
			return p.buf, nil
		}
	}
}

// WritePacket writes payload as one or more packets.
func (p *PacketConn) WritePacket(payload []byte) error {
	p.wbuf = p.wbuf[:0]
	for {
		n := len(payload)
		if n > MaxPayload {
			n = MaxPayload
		}
		p.wbuf = append(p.wbuf, byte(n), byte(n>>8), byte(n>>16), p.Seq)
		p.wbuf = append(p.wbuf, payload[:n]...)
		p.Seq++
		payload = payload[n:]
		if n < MaxPayload {
			break
		}
		if len(p.wbuf) >= 1<<22 {
			if _, err := p.conn.Write(p.wbuf); err != nil {
				return err
			}
			p.wbuf = p.wbuf[:0]
		}
	}
	_, err := p.conn.Write(p.wbuf)
	if cap(p.wbuf) > 1<<22 {
		p.wbuf = nil
	}
	return err
}

// ServerError is an ERR packet from the server.
type ServerError struct {
	Code    uint16
	State   string // the five-character SQL state, when the server sent one
	Message string
}

func (e *ServerError) Error() string {
	if e.State != "" {
		return fmt.Sprintf("server error %d (%s): %s", e.Code, e.State, e.Message)
	}
	return fmt.Sprintf("server error %d: %s", e.Code, e.Message)
}

// ParseError decodes an ERR packet (first byte 0xff).
func ParseError(b []byte) *ServerError {
	if len(b) < 3 || b[0] != 0xff {
		return &ServerError{Code: 0, Message: "malformed error packet"}
	}
	e := &ServerError{Code: uint16(b[1]) | uint16(b[2])<<8}
	rest := b[3:]
	if len(rest) >= 6 && rest[0] == '#' {
		e.State = string(rest[1:6])
		rest = rest[6:]
	}
	e.Message = string(rest)
	return e
}

// AppendError appends an ERR packet's payload.
func AppendError(b []byte, code uint16, state, msg string) []byte {
	b = append(b, 0xff, byte(code), byte(code>>8))
	if len(state) == 5 {
		b = append(b, '#')
		b = append(b, state...)
	}
	return append(b, msg...)
}

// AppendLenEncInt appends a length-encoded integer.
func AppendLenEncInt(b []byte, v uint64) []byte {
	switch {
	case v < 251:
		return append(b, byte(v))
	case v < 1<<16:
		return append(b, 0xfc, byte(v), byte(v>>8))
	case v < 1<<24:
		return append(b, 0xfd, byte(v), byte(v>>8), byte(v>>16))
	}
	return append(b, 0xfe, byte(v), byte(v>>8), byte(v>>16), byte(v>>24),
		byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56))
}

// AppendLenEncString appends a length-encoded string.
func AppendLenEncString(b []byte, s string) []byte {
	b = AppendLenEncInt(b, uint64(len(s)))
	return append(b, s...)
}

// ErrShort is returned when a packet ends before a field it should hold.
var ErrShort = errors.New("mysqlproto: packet too short")

// ReadLenEncInt reads a length-encoded integer from b. null reports the 0xfb
// NULL marker; n is the number of bytes used.
func ReadLenEncInt(b []byte) (v uint64, n int, null bool, err error) {
	if len(b) == 0 {
		return 0, 0, false, ErrShort
	}
	switch c := b[0]; {
	case c < 0xfb:
		return uint64(c), 1, false, nil
	case c == 0xfb:
		return 0, 1, true, nil
	case c == 0xfc:
		if len(b) < 3 {
			return 0, 0, false, ErrShort
		}
		return uint64(b[1]) | uint64(b[2])<<8, 3, false, nil
	case c == 0xfd:
		if len(b) < 4 {
			return 0, 0, false, ErrShort
		}
		return uint64(b[1]) | uint64(b[2])<<8 | uint64(b[3])<<16, 4, false, nil
	case c == 0xfe:
		if len(b) < 9 {
			return 0, 0, false, ErrShort
		}
		for i := 8; i >= 1; i-- {
			v = v<<8 | uint64(b[i])
		}
		return v, 9, false, nil
	}
	return 0, 0, false, fmt.Errorf("mysqlproto: invalid length-encoded integer prefix 0xff")
}

// ReadLenEncString reads a length-encoded string; the bytes alias b.
func ReadLenEncString(b []byte) (s []byte, n int, null bool, err error) {
	v, n, null, err := ReadLenEncInt(b)
	if err != nil || null {
		return nil, n, null, err
	}
	if uint64(len(b)-n) < v {
		return nil, 0, false, ErrShort
	}
	return b[n : n+int(v)], n + int(v), false, nil
}

// ReadNullString reads a NUL-terminated string; the bytes alias b and n
// counts the terminator.
func ReadNullString(b []byte) (s []byte, n int, err error) {
	for i, c := range b {
		if c == 0 {
			return b[:i], i + 1, nil
		}
	}
	return nil, 0, ErrShort
}
