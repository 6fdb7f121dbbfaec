package binlog

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/binlogkit/binlogkit/event"
)

// Writer writes a binlog file: the magic, a FORMAT_DESCRIPTION, then events,
// filling in each event's size, end_log_pos and (when the format says so)
// CRC32 checksum.
//
// A Writer is a Sink: Copy(ctx, w, r, filters...) writes the events of a
// Reader that the filters keep as a binlog file that reads back to the same
// events (see WriteEvent). WriteBody is the lower-level form for fabricated
// streams: a header and a body, encoded in the file's format.
//
// The first event written must be a FORMAT_DESCRIPTION (WriteEvent supplies
// one from the event's format when it is not): it becomes the file's format
// and the magic is written before it. Errors are sticky.
type Writer struct {
	w   io.Writer
	fd  *event.FormatDescription // the file's format; nil before the first event
	pos uint64
	buf []byte
	err error

	// srcFD is the last source format found compatible with fd, so that
	// events in it are copied as they are instead of re-encoded.
	srcFD *event.FormatDescription
	// mapped holds the table ids whose TABLE_MAP was written since the last
	// rows event that ended a statement.
	mapped []uint64
	// payload is a TRANSACTION_PAYLOAD held back until it is known whether
	// the events it holds follow it (then they are written instead): its
	// raw bytes when its format fits the file's, else a copy of the event.
	payload      []byte
	payloadEv    event.Event
	payloadClone *event.Event
	payloadHas   bool
	// headerDone is set once an event other than the file's header events
	// (FORMAT_DESCRIPTION, PREVIOUS_GTIDS, GTID_LIST) has been written.
	headerDone bool
}

// NewWriter returns a Writer that writes a binlog file to w. Nothing is
// written until the first event.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Pos returns the offset the next event will start at (0 before the first
// event: the magic comes first).
func (w *Writer) Pos() uint64 { return w.pos }

// Format returns the file's format description (nil before the first
// event).
func (w *Writer) Format() *event.FormatDescription { return w.fd }

// WriteBody encodes body with header h in the file's format and writes it.
// h.Type, h.EventSize and h.LogPos are computed; Timestamp, ServerID and
// Flags are written as given. The first body must be a *event.FormatDescription,
// which becomes the file's format.
func (w *Writer) WriteBody(h event.Header, body event.Body) error {
	if w.err != nil {
		return w.err
	}
	if err := w.flushPayload(); err != nil {
		return err
	}
	fd := w.fd
	if fd == nil {
		f, ok := body.(*event.FormatDescription)
		if !ok {
			return fmt.Errorf("binlog: writing %v: the first event of a binlog file must be a FORMAT_DESCRIPTION", body.EventType())
		}
		if err := w.start(); err != nil {
			return err
		}
		w.fd, fd = f.Clone(), f
	}
	b, err := event.Append(w.buf[:0], h, body, fd)
	if err != nil {
		return fmt.Errorf("binlog: writing %v at %d: %w", body.EventType(), w.pos, err)
	}
	w.buf = b
	return w.put(b, body.EventType(), hasChecksum(body, fd))
}

// WriteEvent writes ev, an event read by a Reader (it implements Sink), so
// that the file reads back to the same events:
//
//   - The file's FORMAT_DESCRIPTION is the first one given, or, when the
//     first event is another, the one ev.Format names; later ones are not
//     written (events are written in the file's format). The in-use flag
//     of a file still being written by its server is cleared.
//   - Events that belong to a stream and not to a file are not written:
//     artificial events (a replica's ROTATE, MariaDB's GTID_LIST on connect),
//     heartbeats, and ROTATE and STOP, which end a file. PREVIOUS_GTIDS and
//     GTID_LIST are written only as the header of the file, before the
//     first transaction.
//   - A rows event whose table id has no TABLE_MAP written since the last
//     statement ended gets the Table_map in force (ev.Table) written before
//     it, so that a range that starts after a Table_map still applies; a
//     rows event without one is an error.
//   - The events inside a TRANSACTION_PAYLOAD, which a Reader returns after
//     it, are written one by one, uncompressed, in place of the payload; a
//     payload not followed by its events (a Reader made with
//     WithPayloadExpansion(false)) is written as it is, when the next event
//     comes or at Flush.
//
// Events whose format matches the file's are copied byte for byte with a
// new end_log_pos and checksum; others are re-encoded. ev is not kept after
// the call.
func (w *Writer) WriteEvent(ctx context.Context, ev *event.Event) error {
	if w.err != nil {
		return w.err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	h := ev.Header
	if w.payloadHas {
		if ev.InPayload && ev.Pos == w.payloadEv.Pos {
			w.payloadHas = false // its events follow: write them instead
		} else if err := w.flushPayload(); err != nil {
			return err
		}
	}
	switch {
	case h.Flags&event.FlagArtificial != 0 && h.Type != event.FormatDescriptionEvent:
		return nil
	case h.Type == event.RotateEvent || h.Type == event.StopEvent || h.Type == event.HeartbeatEvent ||
		h.Type == event.HeartbeatEventV2 || h.Type == event.MariaStartEncryptionEvent:
		// START_ENCRYPTION too: what is written is plaintext.
		return nil
	case h.Type == event.PreviousGTIDsEvent || h.Type == event.MariaGTIDListEvent:
		if w.headerDone {
			return nil
		}
	case h.Type == event.FormatDescriptionEvent:
		if w.fd != nil {
			return nil
		}
		return w.writeFormat(ev)
	}
	if w.fd == nil {
		if ev.Format == nil {
			return fmt.Errorf("binlog: writing %v from %s:%d: the event has no format description", h.Type, ev.File, ev.Pos)
		}
		hdr := event.Header{Timestamp: h.Timestamp, ServerID: h.ServerID}
		if err := w.WriteBody(hdr, ev.Format); err != nil {
			return err
		}
	}
	switch b := ev.Body.(type) {
	case *event.TransactionPayload:
		if !ev.InPayload {
			w.payloadHas, w.payloadClone = true, nil
			if w.srcCompatible(ev.Format) {
				w.payload = append(w.payload[:0], ev.Raw...)
				w.payloadEv = event.Event{Header: h, Raw: w.payload, Format: ev.Format, Checksummed: ev.Checksummed,
					File: ev.File, Pos: ev.Pos, NextPos: ev.NextPos}
			} else {
				w.payloadClone = ev.Clone()
				w.payloadEv = event.Event{Pos: ev.Pos}
			}
			return nil
		}
	case *event.TableMap:
		if err := w.copyEvent(ev); err != nil {
			return err
		}
		w.mapped = append(w.mapped, b.TableID)
		return nil
	case *event.Rows:
		if !w.isMapped(b.TableID) {
			if ev.Table == nil || ev.Table.TableID != b.TableID {
				w.err = fmt.Errorf("binlog: writing %v from %s:%d: no Table_map for table id %d", h.Type, ev.File, ev.Pos, b.TableID)
				return w.err
			}
			th := event.Header{Timestamp: h.Timestamp, ServerID: h.ServerID}
			if err := w.WriteBody(th, ev.Table); err != nil {
				return err
			}
			w.mapped = append(w.mapped, b.TableID)
		}
		if err := w.copyEvent(ev); err != nil {
			return err
		}
		if b.StmtEnd() {
			w.mapped = w.mapped[:0]
		}
		return nil
	}
	return w.copyEvent(ev)
}

// Flush writes a TRANSACTION_PAYLOAD held back by WriteEvent (see there);
// call it after the last event. It does not flush the io.Writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	return w.flushPayload()
}

func (w *Writer) isMapped(id uint64) bool {
	for _, m := range w.mapped {
		if m == id {
			return true
		}
	}
	return false
}

// start writes the magic.
func (w *Writer) start() error {
	if _, err := w.w.Write(event.Magic[:]); err != nil {
		w.err = err
		return err
	}
	w.pos = event.MagicLen
	return nil
}

// writeFormat writes ev, a FORMAT_DESCRIPTION, as the file's format,
// without the in-use flag.
func (w *Writer) writeFormat(ev *event.Event) error {
	f, ok := ev.Body.(*event.FormatDescription)
	if !ok {
		return fmt.Errorf("binlog: writing %v from %s:%d: not a decoded FORMAT_DESCRIPTION", ev.Header.Type, ev.File, ev.Pos)
	}
	h := ev.Header
	h.Flags &^= event.FlagBinlogInUse
	return w.WriteBody(h, f)
}

// srcCompatible reports whether events in format f are laid out as in the
// file's format (same post-header lengths), so they can be copied raw.
func (w *Writer) srcCompatible(f *event.FormatDescription) bool {
	if f == nil {
		return false
	}
	if f == w.srcFD {
		return true
	}
	if f.HeaderLength != w.fd.HeaderLength || !bytes.Equal(f.PostHeaderLengths, w.fd.PostHeaderLengths) {
		return false
	}
	w.srcFD = f
	return true
}

// copyEvent writes ev's raw bytes with the file's end_log_pos and checksum
// when its format fits the file's, else re-encodes its body.
func (w *Writer) copyEvent(ev *event.Event) error {
	h := ev.Header
	if h.Type == event.FormatDescriptionEvent || !w.srcCompatible(ev.Format) || len(ev.Raw) < event.HeaderLen {
		return w.WriteBody(h, ev.Body)
	}
	raw := ev.Raw
	if ev.Checksummed {
		raw = raw[:len(raw)-event.ChecksumLen]
	}
	b := append(w.buf[:0], raw...)
	crc := w.fd.ChecksumAlg == event.ChecksumCRC32
	if crc {
		b = append(b, 0, 0, 0, 0)
	}
	size := uint32(len(b))
	b[9], b[10], b[11], b[12] = byte(size), byte(size>>8), byte(size>>16), byte(size>>24)
	w.buf = b
	return w.put(b, h.Type, crc)
}

// flushPayload writes a held-back TRANSACTION_PAYLOAD as it is.
func (w *Writer) flushPayload() error {
	if !w.payloadHas {
		return nil
	}
	w.payloadHas = false
	if w.payloadClone != nil {
		ev := w.payloadClone
		w.payloadClone = nil
		return w.copyEvent(ev)
	}
	// The raw bytes are copied again into w.buf by copyEvent; the body view
	// is not used on that path.
	return w.copyEvent(&w.payloadEv)
}

// put fills in the end_log_pos and checksum of the encoded event b and
// writes it.
func (w *Writer) put(b []byte, t event.Type, crc bool) error {
	end := w.pos + uint64(len(b))
	if end > 1<<32-1 {
		w.err = fmt.Errorf("%w: binlog file would pass 4 GiB at %v", ErrUnsupported, t)
		return w.err
	}
	e := uint32(end)
	b[13], b[14], b[15], b[16] = byte(e), byte(e>>8), byte(e>>16), byte(e>>24)
	if crc && len(b) >= event.HeaderLen+event.ChecksumLen {
		n := len(b) - event.ChecksumLen
		c := event.Checksum(b[:n])
		b[n], b[n+1], b[n+2], b[n+3] = byte(c), byte(c>>8), byte(c>>16), byte(c>>24)
	}
	if _, err := w.w.Write(b); err != nil {
		w.err = err
		return err
	}
	w.pos = end
	switch t {
	case event.FormatDescriptionEvent, event.PreviousGTIDsEvent, event.MariaGTIDListEvent:
	default:
		w.headerDone = true
	}
	return nil
}

func hasChecksum(body event.Body, fd *event.FormatDescription) bool {
	if f, ok := body.(*event.FormatDescription); ok {
		return f.HasChecksumAlg()
	}
	return fd.ChecksumAlg == event.ChecksumCRC32
}
