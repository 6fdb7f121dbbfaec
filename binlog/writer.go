package binlog

import (
	"fmt"
	"io"

	"github.com/binlogkit/binlogkit/event"
)

// Writer writes a binlog file: the magic, a FORMAT_DESCRIPTION, then events,
// filling in each event's size, end_log_pos and (when the format says so)
// CRC32 checksum. It mirrors Reader for fabricated streams and rewritten
// binlogs. Errors are sticky.
type Writer struct {
	w   io.Writer
	fd  *event.FormatDescription
	pos uint64
	buf []byte
	err error
}

// NewWriter writes the binlog magic and fd (with header h; its type, size and
// position are filled in) to w, and returns a Writer for the events that
// follow. fd's ChecksumAlg decides whether events carry a CRC32.
func NewWriter(w io.Writer, fd *event.FormatDescription, h event.Header) (*Writer, error) {
	bw := &Writer{w: w, fd: fd}
	if _, err := w.Write(event.Magic[:]); err != nil {
		return nil, err
	}
	bw.pos = event.MagicLen
	if err := bw.WriteEvent(h, fd); err != nil {
		return nil, err
	}
	return bw, nil
}

// Pos returns the offset the next event will start at.
func (w *Writer) Pos() uint64 { return w.pos }

// WriteEvent encodes body with header h and writes it. h.Type, h.EventSize and
// h.LogPos are computed; Timestamp, ServerID and Flags are written as given.
func (w *Writer) WriteEvent(h event.Header, body event.Body) error {
	if w.err != nil {
		return w.err
	}
	start := len(w.buf[:0])
	b, err := event.Append(w.buf[:0], h, body, w.fd)
	if err != nil {
		return fmt.Errorf("binlog: writing %v at %d: %w", body.EventType(), w.pos, err)
	}
	w.buf = b
	end := w.pos + uint64(len(b)-start)
	if end > 1<<32-1 {
		w.err = fmt.Errorf("%w: binlog file would pass 4 GiB at %v", ErrUnsupported, body.EventType())
		return w.err
	}
	e := uint32(end)
	b[13], b[14], b[15], b[16] = byte(e), byte(e>>8), byte(e>>16), byte(e>>24)
	if len(b) >= event.HeaderLen+event.ChecksumLen && hasChecksum(body, w.fd) {
		n := len(b) - event.ChecksumLen
		c := event.Checksum(b[:n])
		b[n], b[n+1], b[n+2], b[n+3] = byte(c), byte(c>>8), byte(c>>16), byte(c>>24)
	}
	if _, err := w.w.Write(b); err != nil {
		w.err = err
		return err
	}
	w.pos = end
	return nil
}

func hasChecksum(body event.Body, fd *event.FormatDescription) bool {
	if f, ok := body.(*event.FormatDescription); ok {
		return f.HasChecksumAlg()
	}
	return fd.ChecksumAlg == event.ChecksumCRC32
}
