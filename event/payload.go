package event

import (
	"bytes"
	"errors"
	"io"

	"github.com/binlogkit/binlogkit/internal/bin"
	"github.com/klauspost/compress/zstd"
)

// Compression types of a TRANSACTION_PAYLOAD.
const (
	PayloadCompressionZSTD uint64 = 0
	PayloadCompressionNone uint64 = 255
)

// Header field types of a TRANSACTION_PAYLOAD body (MySQL's OTW_PAYLOAD_…).
const (
	PayloadFieldEnd              uint64 = 0 // OTW_PAYLOAD_HEADER_END_MARK
	PayloadFieldSize             uint64 = 1 // OTW_PAYLOAD_SIZE_FIELD: bytes of Payload
	PayloadFieldCompressionType  uint64 = 2 // OTW_PAYLOAD_COMPRESSION_TYPE_FIELD
	PayloadFieldUncompressedSize uint64 = 3 // OTW_PAYLOAD_UNCOMPRESSED_SIZE_FIELD
)

// TransactionPayload is the TRANSACTION_PAYLOAD_EVENT (type 40, MySQL
// 8.0.20+ with binlog_transaction_compression) body: a whole transaction's
// events, compressed. The body starts with header fields (packed type,
// packed length, value: a packed integer) ended by PayloadFieldEnd; the
// compressed events follow. MySQL announces a post-header length for the type
// but writes none; the decoder follows the bytes. Iterate the inner events
// with a PayloadReader.
//
// A decoded TransactionPayload aliases the bytes it was decoded from: Payload
// and the Value of each of Fields are views.
type TransactionPayload struct {
	CompressionType  uint64 // PayloadCompressionZSTD or PayloadCompressionNone
	PayloadSize      uint64 // the size field: len(Payload) as written
	UncompressedSize uint64 // the declared size of the inner events
	Payload          []byte // the compressed inner events
	// Fields lists the header fields in the order they were written, for
	// exact re-encoding; AppendBody writes the typed values above in this
	// order (a field whose Value still encodes the same number is written
	// as it was). When Fields is nil AppendBody writes compression type,
	// uncompressed size and payload size, in MySQL's order, with PayloadSize
	// 0 taken as len(Payload).
	Fields []PayloadField
}

// PayloadField is one header field of a TRANSACTION_PAYLOAD body. Value is
// the field's value bytes (for the known types a packed integer).
type PayloadField struct {
	Type  uint64
	Value []byte
}

func init() { register(func() Body { return new(TransactionPayload) }, TransactionPayloadEvent) }

// EventType returns TransactionPayloadEvent.
func (*TransactionPayload) EventType() Type { return TransactionPayloadEvent }

// DecodeBody decodes a TRANSACTION_PAYLOAD body.
func (p *TransactionPayload) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*p = TransactionPayload{Fields: p.Fields[:0]}
	r := bin.NewReader(b)
	for {
		typ, ok := r.PackedInt()
		if !ok {
			return corruptf("transaction payload: header fields without end mark")
		}
		if typ == PayloadFieldEnd {
			break
		}
		n, ok := r.PackedInt()
		if !ok || n > uint64(r.Len()) {
			return corruptf("transaction payload: header field %d runs past the body", typ)
		}
		v := r.Bytes(int(n))
		var x uint64
		switch typ {
		case PayloadFieldSize, PayloadFieldCompressionType, PayloadFieldUncompressedSize:
			vr := bin.NewReader(v)
			x, ok = vr.PackedInt()
			if !ok || vr.Len() != 0 {
				return corruptf("transaction payload: header field %d value %x", typ, v)
			}
		}
		switch typ {
		case PayloadFieldSize:
			p.PayloadSize = x
		case PayloadFieldCompressionType:
			p.CompressionType = x
		case PayloadFieldUncompressedSize:
			p.UncompressedSize = x
		}
		p.Fields = append(p.Fields, PayloadField{Type: typ, Value: v})
	}
	p.Payload = r.Rest()
	if p.Fields == nil {
		p.Fields = []PayloadField{} // decoded: keep "no fields" exact
	}
	return nil
}

// AppendBody appends the encoded body.
func (p *TransactionPayload) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	if p.Fields == nil {
		size := p.PayloadSize
		if size == 0 {
			size = uint64(len(p.Payload))
		}
		dst = appendPayloadField(dst, PayloadFieldCompressionType, p.CompressionType)
		dst = appendPayloadField(dst, PayloadFieldUncompressedSize, p.UncompressedSize)
		dst = appendPayloadField(dst, PayloadFieldSize, size)
	} else {
		for _, fl := range p.Fields {
			var x uint64
			switch fl.Type {
			case PayloadFieldEnd:
				return dst, corruptf("transaction payload: end mark among the header fields")
			case PayloadFieldSize:
				x = p.PayloadSize
			case PayloadFieldCompressionType:
				x = p.CompressionType
			case PayloadFieldUncompressedSize:
				x = p.UncompressedSize
			default:
				dst = bin.AppendPackedInt(dst, fl.Type)
				dst = bin.AppendPackedBytes(dst, fl.Value)
				continue
			}
			vr := bin.NewReader(fl.Value)
			if old, ok := vr.PackedInt(); ok && vr.Len() == 0 && old == x {
				dst = bin.AppendPackedInt(dst, fl.Type)
				dst = bin.AppendPackedBytes(dst, fl.Value)
			} else {
				dst = appendPayloadField(dst, fl.Type, x)
			}
		}
	}
	dst = bin.AppendPackedInt(dst, PayloadFieldEnd)
	return append(dst, p.Payload...), nil
}

func appendPayloadField(dst []byte, typ, v uint64) []byte {
	dst = bin.AppendPackedInt(dst, typ)
	dst = bin.AppendPackedInt(dst, uint64(bin.PackedIntLen(v)))
	return bin.AppendPackedInt(dst, v)
}

// CompressPayload appends events (a sequence of inner events: header and
// body, no checksum) compressed with typ (PayloadCompressionZSTD or
// PayloadCompressionNone) to dst. It builds an encoder per call, which suits
// fabrication, not hot paths.
func CompressPayload(dst []byte, events []byte, typ uint64) ([]byte, error) {
	switch typ {
	case PayloadCompressionNone:
		return append(dst, events...), nil
	case PayloadCompressionZSTD:
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
		if err != nil {
			return dst, err
		}
		defer enc.Close()
		return enc.EncodeAll(events, dst), nil
	}
	return dst, unsupportedf("transaction payload: compression type %d", typ)
}

// NewTransactionPayload returns a payload holding events (inner events:
// header and body, no checksum) compressed with typ, its sizes filled in.
func NewTransactionPayload(events []byte, typ uint64) (*TransactionPayload, error) {
	c, err := CompressPayload(nil, events, typ)
	if err != nil {
		return nil, err
	}
	return &TransactionPayload{
		CompressionType:  typ,
		PayloadSize:      uint64(len(c)),
		UncompressedSize: uint64(len(events)),
		Payload:          c,
	}, nil
}

// payloadMaxWindow bounds the zstd window a payload may ask for: twice the
// largest window of any zstd level MySQL can be configured with (level 22:
// 128 MiB), so a hostile frame header cannot make the decoder reserve more.
const payloadMaxWindow = 1 << 28

// payloadFlatMax is the largest payload (declared and actual uncompressed
// size) PayloadReader inflates in one call rather than streams: one call
// skips the stream decoder's per-read work, and the buffer it fills is
// bounded by this.
const payloadFlatMax = 4 << 20

// PayloadReader iterates the events inside a TRANSACTION_PAYLOAD lazily, with
// one zstd decoder reused across payloads and a buffer that grows only to
// the largest inner event, so a payload declaring any uncompressed size is
// streamed. The zero value is ready.
type PayloadReader struct {
	dec *zstd.Decoder
	// flatDec inflates payloads of at most payloadFlatMax bytes in one call
	// into flat; Next then slices flat (flatOn) instead of reading src.
	flatDec *zstd.Decoder
	flat    []byte
	flatOn  bool
	noFlat  bool // tests: always stream
	br      bytes.Reader
	src     io.Reader
	buf     []byte
	off     uint64
	max     int
	err     error
	size    uint64 // declared uncompressed size, for messages
}

// Reset starts iterating p. maxEventSize bounds one inner event (0 or less:
// 1 GiB). p.Payload must stay valid until the iteration ends.
func (pr *PayloadReader) Reset(p *TransactionPayload, maxEventSize int) error {
	pr.off, pr.err, pr.size, pr.flatOn = 0, nil, p.UncompressedSize, false
	pr.max = maxEventSize
	if pr.max <= 0 {
		pr.max = 1 << 30
	}
	pr.br.Reset(p.Payload)
	switch p.CompressionType {
	case PayloadCompressionNone:
		pr.src = &pr.br
	case PayloadCompressionZSTD:
		if p.UncompressedSize <= payloadFlatMax && !pr.noFlat && pr.inflate(p.Payload) {
			return nil
		}
		// A stream decoder per payload: one reused after an earlier frame
		// reports some corrupt frames differently (as a short stream rather
		// than an oversized block), and the payloads streamed are the
		// large or corrupt ones, for which a decoder costs little.
		if pr.dec != nil {
			pr.dec.Close()
		}
		d, err := zstd.NewReader(&pr.br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxMemory(payloadMaxWindow))
		if err != nil {
			pr.dec = nil
			pr.err = corruptf("transaction payload: zstd: %v", err)
			return pr.err
		}
		pr.dec = d
		pr.src = pr.dec
	default:
		pr.src = nil
		pr.err = unsupportedf("transaction payload: compression type %d", p.CompressionType)
		return pr.err
	}
	return nil
}

// inflate decodes payload whole into pr.flat, reporting whether it could;
// when it cannot (corrupt data, or more than payloadFlatMax bytes) the
// stream decoder takes over, and reports any error as it always has.
func (pr *PayloadReader) inflate(payload []byte) bool {
	if pr.flatDec == nil {
		d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxMemory(payloadFlatMax))
		if err != nil {
			return false
		}
		pr.flatDec = d
	}
	out, err := pr.flatDec.DecodeAll(payload, pr.flat[:0])
	if err != nil {
		return false
	}
	pr.flat, pr.flatOn = out, true
	return true
}

// nextFlat is Next over an inflated payload.
func (pr *PayloadReader) nextFlat() (raw []byte, offset uint64, err error) {
	rest := pr.flat[pr.off:]
	if len(rest) == 0 {
		pr.err = io.EOF
		return nil, 0, io.EOF
	}
	if len(rest) < HeaderLen {
		pr.err = pr.readErr(io.ErrUnexpectedEOF, len(rest), HeaderLen)
		return nil, 0, pr.err
	}
	size := bin.Uint(rest[9:13])
	if size < HeaderLen {
		pr.err = corruptf("transaction payload: inner event at offset %d has size %d", pr.off, size)
		return nil, 0, pr.err
	}
	if size > uint64(pr.max) {
		pr.err = corruptf("transaction payload: inner event at offset %d of %d bytes exceeds the limit of %d", pr.off, size, pr.max)
		return nil, 0, pr.err
	}
	if size > uint64(len(rest)) {
		pr.err = pr.readErr(io.ErrUnexpectedEOF, len(rest), int(size))
		return nil, 0, pr.err
	}
	offset = pr.off
	pr.off += size
	return rest[:size:size], offset, nil
}

// Next returns the next inner event (header and body, no checksum) and its
// offset in the uncompressed payload; io.EOF after the last one. raw is valid
// until the next call (until the next Reset for payloads inflated whole).
// Errors are sticky.
func (pr *PayloadReader) Next() (raw []byte, offset uint64, err error) {
	if pr.err != nil {
		return nil, 0, pr.err
	}
	if pr.flatOn {
		return pr.nextFlat()
	}
	if pr.src == nil {
		return nil, 0, io.EOF
	}
	if cap(pr.buf) < HeaderLen {
		pr.buf = make([]byte, HeaderLen, 4096)
	}
	h := pr.buf[:HeaderLen]
	n, err := io.ReadFull(pr.src, h)
	switch {
	case err == io.EOF:
		pr.err = io.EOF
		return nil, 0, io.EOF
	case err != nil:
		pr.err = pr.readErr(err, n, HeaderLen)
		return nil, 0, pr.err
	}
	size := bin.Uint(h[9:13])
	if size < HeaderLen {
		pr.err = corruptf("transaction payload: inner event at offset %d has size %d", pr.off, size)
		return nil, 0, pr.err
	}
	if size > uint64(pr.max) {
		pr.err = corruptf("transaction payload: inner event at offset %d of %d bytes exceeds the limit of %d", pr.off, size, pr.max)
		return nil, 0, pr.err
	}
	if uint64(cap(pr.buf)) < size {
		nb := make([]byte, size)
		copy(nb, h)
		pr.buf = nb
	}
	ev := pr.buf[:size]
	if n, err := io.ReadFull(pr.src, ev[HeaderLen:]); err != nil {
		pr.err = pr.readErr(err, HeaderLen+n, int(size))
		return nil, 0, pr.err
	}
	offset = pr.off
	pr.off += size
	return ev[:size:size], offset, nil
}

// readErr reports a failed read of want bytes of which got arrived. The
// payload event itself is whole (its size and checksum held), so a stream
// that ends inside an inner event, like any zstd error, is corruption.
func (pr *PayloadReader) readErr(err error, got, want int) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return corruptf("transaction payload: inner event at offset %d cut after %d of %d bytes (declared uncompressed size %d)",
			pr.off, got, want, pr.size)
	}
	return corruptf("transaction payload: zstd at offset %d: %v", pr.off, err)
}
