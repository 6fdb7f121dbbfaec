package event

import (
	"fmt"
)

// Body is the typed view of an event's body: everything between the common
// header and the checksum. Concrete bodies are pointer types such as *Query or
// *TableMap; use a type switch.
//
// A decoded body aliases the bytes it was decoded from: its []byte fields are
// valid only as long as those bytes are (for a Reader, until its next call).
// A failed decode leaves the body in an unspecified state.
type Body interface {
	// EventType returns the type code the body encodes as.
	EventType() Type
	// DecodeBody resets the body and decodes it from b, an event body of type
	// t without the common header and checksum, in the context of the format
	// description f.
	DecodeBody(f *FormatDescription, t Type, b []byte) error
	// AppendBody appends the encoded body to dst (without header or checksum).
	AppendBody(dst []byte, f *FormatDescription) ([]byte, error)
}

var factories [256]func() Body

// register makes decoders for t build their body with newBody. Each body's
// file registers its own types.
func register(newBody func() Body, types ...Type) {
	for _, t := range types {
		factories[t] = newBody
	}
}

// NewBody returns a fresh, empty body for type t: the registered concrete type,
// or *Unknown for a type this package does not decode.
func NewBody(t Type) Body {
	if f := factories[t]; f != nil {
		return f()
	}
	return &Unknown{Type: t}
}

// Decoder decodes event bodies, reusing one body value per event type so
// that steady-state decoding does not allocate. The zero value is ready.
// A body returned by Decode is overwritten by the next Decode of the same type.
type Decoder struct {
	bodies [256]Body
}

// Decode decodes body (an event body of type t, without header and checksum)
// in the context of f. Unknown types decode as *Unknown and never fail.
func (d *Decoder) Decode(f *FormatDescription, t Type, body []byte) (Body, error) {
	b := d.bodies[t]
	if b == nil {
		b = NewBody(t)
		d.bodies[t] = b
	}
	if err := b.DecodeBody(f, t, body); err != nil {
		return nil, err
	}
	return b, nil
}

// Event is one decoded event. Raw and every view reachable from Body alias the
// buffer the event was read from (for a binlog.Reader: valid until its next
// call); Clone detaches a copy.
type Event struct {
	Header Header
	// Body is the typed body: *Query, *TableMap, *Rows, *Unknown, ….
	Body Body
	// Raw holds the whole event as read: header, body and, when present, the checksum.
	Raw []byte
	// Format is the format description in force for this event; never nil for
	// events from a binlog.Reader. It is not mutated once published.
	Format *FormatDescription
	// File names the binlog file the event was read from ("" when unknown).
	File string
	// Pos is the offset of the event's first byte in File. For an event inside a
	// TRANSACTION_PAYLOAD it is the offset of that payload event.
	Pos uint64
	// NextPos is the offset just past the event in File (for an event inside a
	// payload, just past the payload event).
	NextPos uint64
	// InPayload is true for events unpacked from a TRANSACTION_PAYLOAD.
	InPayload bool
	// PayloadOffset is, for an event inside a payload, its offset within the
	// uncompressed payload; with Pos it names the event for resuming.
	PayloadOffset uint64
	// Checksummed is true when Raw ends with the 4 checksum bytes (set by
	// the Reader from the format description and what it verified; an
	// artificial ROTATE may lack them in a checksummed stream).
	Checksummed bool
	// Table is, for a rows event, the Table_map in force for its table id
	// (nil when none was seen). It stays valid as long as the event does.
	Table *TableMap
}

// HasChecksum reports whether Raw ends with a 4-byte checksum.
func (e *Event) HasChecksum() bool {
	return e.Checksummed && len(e.Raw) >= HeaderLen+ChecksumLen
}

func (e *Event) bodyEnd() int {
	if e.HasChecksum() {
		return len(e.Raw) - ChecksumLen
	}
	return len(e.Raw)
}

// BodyBytes returns the raw body: the bytes between header and checksum.
func (e *Event) BodyBytes() []byte {
	end := e.bodyEnd()
	if end < HeaderLen {
		return nil
	}
	return e.Raw[HeaderLen:end:end]
}

// Clone returns a deep copy of e that shares no memory with the buffer it was
// read from. The Table_map of a rows event is cloned too.
func (e *Event) Clone() *Event {
	c := *e
	c.Raw = append([]byte(nil), e.Raw...)
	if e.Format != nil && e.Header.Type != FormatDescriptionEvent {
		c.Format = e.Format // formats are immutable once published
	}
	if e.Table != nil {
		c.Table = e.Table.Clone()
	}
	if e.Body != nil {
		b := NewBody(e.Header.Type)
		f := e.Format
		if f == nil {
			f = DefaultFormat()
		}
		if err := b.DecodeBody(f, e.Header.Type, c.BodyBytes()); err == nil {
			c.Body = b
		} else {
			// The original decoded, so this cannot happen for bodies that decode
			// only from their own bytes; keep the raw form rather than alias.
			c.Body = &Unknown{Type: e.Header.Type, Data: c.BodyBytes()}
		}
		if fd, ok := c.Body.(*FormatDescription); ok {
			c.Format = fd
		}
	}
	return &c
}

// Append appends a complete event to dst: h with EventSize filled in, the
// encoded body, and a CRC32 checksum when f says the stream carries them (for
// a FORMAT_DESCRIPTION body, when the body itself says so). h.LogPos is
// written as given; binlog.Writer fills it in for fabricated streams.
func Append(dst []byte, h Header, b Body, f *FormatDescription) ([]byte, error) {
	if f == nil {
		f = DefaultFormat()
	}
	start := len(dst)
	h.Type = b.EventType()
	dst = h.Append(dst)
	dst, err := b.AppendBody(dst, f)
	if err != nil {
		return dst[:start], err
	}
	withSum := f.ChecksumAlg == ChecksumCRC32
	if fd, ok := b.(*FormatDescription); ok {
		withSum = fd.HasChecksumAlg()
	}
	size := len(dst) - start
	if withSum {
		size += ChecksumLen
	}
	if uint64(size) > 1<<32-1 {
		return dst[:start], fmt.Errorf("%w: event of %d bytes", ErrUnsupported, size)
	}
	ev := dst[start:]
	ev[9], ev[10], ev[11], ev[12] = byte(size), byte(size>>8), byte(size>>16), byte(size>>24)
	if withSum {
		c := Checksum(dst[start:])
		dst = append(dst, byte(c), byte(c>>8), byte(c>>16), byte(c>>24))
	}
	return dst, nil
}

// AppendEvent re-encodes e (its Header and Body) in its Format, as Append does,
// with a checksum exactly when e has one (events inside a payload and an
// artificial ROTATE may have none).
func AppendEvent(dst []byte, e *Event) ([]byte, error) {
	f := e.Format
	if f == nil {
		f = DefaultFormat()
	}
	if _, isFD := e.Body.(*FormatDescription); !isFD && (f.ChecksumAlg == ChecksumCRC32) != e.Checksummed {
		nf := *f
		nf.ChecksumAlg = ChecksumOff
		if e.Checksummed {
			nf.ChecksumAlg = ChecksumCRC32
		}
		f = &nf
	}
	return Append(dst, e.Header, e.Body, f)
}
