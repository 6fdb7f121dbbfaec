package binlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"

	"github.com/binlogkit/binlogkit/event"
)

// Option configures a Reader.
type Option func(*options)

type options struct {
	verify        bool
	maxEventSize  int
	expandPayload bool
	filters       []Filter
	logger        *slog.Logger
	keys          KeyProvider
	// skipDroppedCRC: see SkipDroppedChecksums.
	skipDroppedCRC bool
}

// WithChecksumVerification turns CRC32 verification on (the default) or off.
func WithChecksumVerification(on bool) Option { return func(o *options) { o.verify = on } }

// WithMaxEventSize bounds a single event (and a single event inside a
// transaction payload); larger ones are reported as ErrCorrupt. The default is
// DefaultMaxEventSize. Sources with a SetMaxEventSize(int) method get it too.
func WithMaxEventSize(n int) Option { return func(o *options) { o.maxEventSize = n } }

// WithPayloadExpansion controls whether the events inside a
// TRANSACTION_PAYLOAD are returned after it (the default) or left packed.
func WithPayloadExpansion(on bool) Option { return func(o *options) { o.expandPayload = on } }

// WithFilters makes Next return only events every filter keeps. Filtered
// events still update the Reader's state (format, table maps, positions).
func WithFilters(f ...Filter) Option {
	return func(o *options) { o.filters = append(o.filters, f...) }
}

// WithKeys gives the keys of encrypted binlogs (MariaDB encrypt_binlog,
// MySQL binlog_encryption) to the Source, which decrypts them: Sources with
// a SetKeys(KeyProvider) method get it (StreamSource, FileList, backup.Source);
// a Source that wraps one must pass it on. See StreamSource.SetKeys.
func WithKeys(k KeyProvider) Option { return func(o *options) { o.keys = k } }

// WithLogger makes the Reader report recoverable oddities (an artificial
// event without its checksum, ignored trailing bytes) to l.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// Reader decodes the events of a Source: it frames them, verifies checksums,
// follows FORMAT_DESCRIPTION, table maps and rotations, and unpacks
// transaction payloads.
//
// The *event.Event returned by Next, and every slice and view reachable from
// it, may reference the Reader's or the Source's buffers: it is valid until
// the next call to Next (or the next step of an iterator). Use Event.Clone to
// keep one. Errors are sticky: once Next returns an error, it returns it
// forever. A Reader is not safe for concurrent use.
type Reader struct {
	src     Source
	pos     Positioner
	nextPos NextPositioner // src's, when it rewrites events
	opts    options

	fd     *event.FormatDescription
	dec    event.Decoder
	tables map[uint64]*event.TableMap
	// tmSrc holds, per table id, the body and format tables[id] was decoded
	// from: a TABLE_MAP with the same bytes (servers log one per statement)
	// is answered with tables[id] without being decoded and copied again.
	tmSrc  map[uint64]*tableSource
	ev     event.Event
	err    error
	unread bool // Next returns ev again (used by Transactions)

	payload    event.PayloadReader
	inPayload  bool
	payloadPos [2]uint64 // Pos and NextPos of the payload event
	payloadFD  *event.FormatDescription

	file      string
	lastPos   uint64
	events    uint64
	undecoded uint64
	unknown   event.Unknown
	// encryptedAt is where the encrypted part of the current file starts (0:
	// not encrypted).
	encryptedAt uint64
	// early judges events before decoding them (see EarlyFilter).
	early earlyState
}

// NewReader returns a Reader over src.
func NewReader(src Source, opts ...Option) *Reader {
	r := &Reader{
		src:    src,
		opts:   options{verify: true, maxEventSize: DefaultMaxEventSize, expandPayload: true},
		fd:     event.DefaultFormat(),
		tables: make(map[uint64]*event.TableMap),
	}
	for _, o := range opts {
		o(&r.opts)
	}
	if p, ok := src.(Positioner); ok {
		r.pos = p
	}
	if np, ok := src.(NextPositioner); ok {
		r.nextPos = np
	}
	configureSource(src, &r.opts)
	r.setupEarly()
	return r
}

// configureSource passes the options a Source takes on to it.
func configureSource(src Source, o *options) {
	if m, ok := src.(interface{ SetMaxEventSize(int) }); ok {
		m.SetMaxEventSize(o.maxEventSize)
	}
	if k, ok := src.(interface{ SetKeys(KeyProvider) }); ok && o.keys != nil {
		k.SetKeys(o.keys)
	}
}

// Format returns the FORMAT_DESCRIPTION in force (DefaultFormat before the
// first one). It is never mutated.
func (r *Reader) Format() *event.FormatDescription { return r.fd }

// Table returns the Table_map last seen for id, valid until the next call
// (nil when there is none, or when one dropped by early filters does not
// decode).
func (r *Reader) Table(id uint64) *event.TableMap {
	tm, err := r.table(id)
	if err != nil {
		return nil
	}
	return tm
}

// Err returns the sticky error, nil after a clean end.
func (r *Reader) Err() error {
	if r.err == io.EOF {
		return nil
	}
	return r.err
}

// Tail reports the bytes ignored at the end of the input because they could not
// hold an event header (a file cut while being written): n is 0 when none.
func (r *Reader) Tail() (file string, offset uint64, n int) {
	if t, ok := r.src.(Tailer); ok {
		return t.Tail()
	}
	return "", 0, 0
}

// Next returns the next event, or io.EOF after the last one. See Reader for
// how long the event stays valid.
func (r *Reader) Next(ctx context.Context) (*event.Event, error) {
	if r.unread {
		r.unread = false
		return &r.ev, nil
	}
	for {
		if r.err != nil {
			return nil, r.err
		}
		ev, err := r.next(ctx)
		if err != nil {
			r.err = err
			if err == io.EOF && r.opts.logger != nil {
				if file, off, n := r.Tail(); n > 0 {
					r.opts.logger.Warn("binlog: partial event header at end of input ignored", "file", file, "offset", off, "bytes", n)
				}
			}
			return nil, err
		}
		if r.keep(ev) {
			// Compressed row images are inflated only for events that pass
			// the filters.
			if rows, ok := ev.Body.(*event.Rows); ok && rows.IsCompressed() {
				if err := rows.Decompress(); err != nil {
					r.err = r.errAt(ev, true, err)
					return nil, r.err
				}
			}
			return ev, nil
		}
	}
}

func (r *Reader) keep(ev *event.Event) bool {
	if r.early.dropped {
		return false
	}
	for _, f := range r.opts.filters[r.early.done:] {
		if !f.Keep(ev) {
			return false
		}
	}
	return true
}

// next reads and decodes one event, unfiltered.
func (r *Reader) next(ctx context.Context) (*event.Event, error) {
	if r.inPayload {
		ev, err := r.nextInner()
		if err != io.EOF {
			return ev, err
		}
		r.inPayload = false
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	raw, err := r.src.ReadEvent(ctx)
	if err != nil {
		// A Source that decrypts reports a missing or wrong key here.
		return nil, err
	}
	ev := &r.ev
	*ev = event.Event{Raw: raw}
	if r.pos != nil {
		ev.File, ev.Pos = r.pos.Position()
	} else {
		ev.Pos = r.lastPos
	}
	if r.encryptedAt != 0 && ev.File == r.file {
		return nil, &Error{File: r.file, Offset: r.encryptedAt, PayloadOffset: -1,
			Err: fmt.Errorf("%w: the binlog is encrypted from here on (START_ENCRYPTION_EVENT) and this Source does not decrypt it (OpenFile's does: see WithKeys)", ErrUnsupported)}
	}
	r.encryptedAt = 0
	if ev.File != r.file {
		// A new file starts with its own FORMAT_DESCRIPTION: checksums are
		// decided per file.
		r.file = ev.File
		r.fd = event.DefaultFormat()
	}
	ev.NextPos = ev.Pos + uint64(len(raw))
	if r.nextPos != nil {
		ev.NextPos = r.nextPos.NextPosition()
	}
	r.lastPos = ev.NextPos
	r.events++
	h, err := event.ParseHeader(raw)
	if err != nil {
		return nil, r.errAt(ev, false, fmt.Errorf("%w: event of %d bytes", ErrTruncated, len(raw)))
	}
	ev.Header = h
	if int(h.EventSize) != len(raw) {
		return nil, r.errAt(ev, true, fmt.Errorf("%w: header says %d bytes, source gave %d", ErrCorrupt, h.EventSize, len(raw)))
	}
	body := raw[event.HeaderLen:]
	if r.early.on {
		ev.Format = r.fd
		if drop, err := r.judgeEarly(ev, body, r.fd.ChecksumAlg == event.ChecksumCRC32); drop || err != nil {
			if err != nil {
				return nil, err
			}
			return ev, nil
		}
	}
	switch {
	case h.Type == event.FormatDescriptionEvent:
		n := event.FormatDescriptionBodyLen(body)
		if n < len(body) {
			ev.Checksummed = true
			// The algorithm byte is the last body byte; verify when it says CRC32.
			if event.ChecksumAlg(body[n-1]) == event.ChecksumCRC32 {
				if err := r.verify(raw, false); err != nil {
					return nil, r.errAt(ev, true, err)
				}
			}
		}
		body = body[:n:n]
	case r.fd == event.DefaultFormat() && h.Type == event.RotateEvent && (h.LogPos == 0 || h.Flags&event.FlagArtificial != 0) &&
		len(body) >= event.ChecksumLen && r.verify(raw, true) == nil:
		// The artificial ROTATE a server starts a dump with comes before any
		// FORMAT_DESCRIPTION, with a checksum when the replica asked for them.
		body = body[: len(body)-event.ChecksumLen : len(body)-event.ChecksumLen]
		ev.Checksummed = true
	case r.fd.ChecksumAlg == event.ChecksumCRC32:
		if len(body) < event.ChecksumLen {
			return nil, r.errAt(ev, true, fmt.Errorf("%w: event of %d bytes has no room for its checksum", ErrCorrupt, len(raw)))
		}
		artificialRotate := h.Type == event.RotateEvent && (h.Timestamp == 0 || h.LogPos == 0 || h.Flags&event.FlagArtificial != 0)
		if err := r.verify(raw, artificialRotate); err != nil {
			// An artificial ROTATE from a server may come without a checksum.
			if !artificialRotate {
				return nil, r.errAt(ev, true, err)
			}
		} else {
			body = body[: len(body)-event.ChecksumLen : len(body)-event.ChecksumLen]
			ev.Checksummed = true
		}
	}
	ev.Format = r.fd
	return r.finish(ev, body)
}

// noTableMapReuse turns the reuse of unchanged table maps off (tests compare
// both paths).
var noTableMapReuse bool

// tableSource is the body and format a table map in Reader.tables was
// decoded from.
type tableSource struct {
	fd   *event.FormatDescription
	body []byte
	tm   *event.TableMap // tables[id]
}

// sameTableMap returns the table map in force for a TABLE_MAP body that is
// byte for byte the one it was decoded from under the same format, or nil.
func (r *Reader) sameTableMap(fd *event.FormatDescription, body []byte) *event.TableMap {
	if len(r.tmSrc) == 0 || noTableMapReuse {
		return nil
	}
	id, _, _, err := event.PeekTableMap(fd, body)
	if err != nil {
		return nil
	}
	src := r.tmSrc[id]
	if src == nil || src.fd != fd || !bytes.Equal(src.body, body) {
		return nil
	}
	if r.early.on {
		if p := r.early.pending[id]; p != nil {
			p.active = false
		}
	}
	return src.tm
}

// noteTableMap records the body and format tables[id] was decoded from.
func (r *Reader) noteTableMap(id uint64, fd *event.FormatDescription, body []byte) {
	if r.tmSrc == nil {
		r.tmSrc = make(map[uint64]*tableSource)
	}
	src := r.tmSrc[id]
	if src == nil {
		src = new(tableSource)
		r.tmSrc[id] = src
	}
	src.fd, src.tm = fd, r.tables[id]
	src.body = append(src.body[:0], body...)
}

// finish decodes ev's body in ev.Format and updates the Reader's state.
func (r *Reader) finish(ev *event.Event, body []byte) (*event.Event, error) {
	if ev.Header.Type == event.TableMapEvent {
		if tm := r.sameTableMap(ev.Format, body); tm != nil {
			ev.Body = tm
			return ev, nil
		}
	}
	b, err := r.decode(ev, ev.Format, ev.Header.Type, body)
	if err != nil {
		return nil, r.errAt(ev, true, err)
	}
	ev.Body = b
	if err := r.track(ev); err != nil {
		return nil, r.errAt(ev, true, err)
	}
	if tm, ok := b.(*event.TableMap); ok {
		r.noteTableMap(tm.TableID, ev.Format, body)
	}
	return ev, nil
}

// decode decodes a body. A body this version cannot decode (ErrUnsupported,
// e.g. the pre-GA rows layouts of 5.1 development trees) is returned as
// *event.Unknown with its raw bytes, counted and logged, rather than stopping
// the stream: its size is known, so sync is never lost.
func (r *Reader) decode(ev *event.Event, f *event.FormatDescription, t event.Type, body []byte) (event.Body, error) {
	b, err := r.dec.Decode(f, t, body)
	if err == nil || !errors.Is(err, ErrUnsupported) || errors.Is(err, ErrCorrupt) {
		return b, err
	}
	r.undecoded++
	if r.opts.logger != nil {
		r.opts.logger.Warn("binlog: event body left undecoded", "file", ev.File, "offset", ev.Pos, "type", t.String(), "reason", err.Error())
	}
	r.unknown = event.Unknown{Type: t, Data: body}
	return &r.unknown, nil
}

// Undecoded returns how many events so far had a body this version cannot
// decode and were returned as *event.Unknown (see WithLogger for details).
func (r *Reader) Undecoded() uint64 { return r.undecoded }

// verify checks the event's CRC32, unless verification is off and not forced
// (an artificial ROTATE is always checked: that is how one without a
// checksum is told apart).
func (r *Reader) verify(raw []byte, force bool) error {
	if !r.opts.verify && !force {
		return nil
	}
	n := len(raw) - event.ChecksumLen
	want := uint32(raw[n]) | uint32(raw[n+1])<<8 | uint32(raw[n+2])<<16 | uint32(raw[n+3])<<24
	if got := event.Checksum(raw[:n]); got != want {
		return fmt.Errorf("%w: stored CRC32 0x%08x, computed 0x%08x", ErrChecksum, want, got)
	}
	return nil
}

// track updates the Reader's state from a decoded event.
func (r *Reader) track(ev *event.Event) error {
	switch b := ev.Body.(type) {
	case *event.FormatDescription:
		r.fd = b.Clone()
		ev.Format = r.fd
		ev.Body = r.fd
	case *event.Rotate:
		// A real ROTATE ends the file: table ids restart. An artificial one
		// (sent by a server at the start of a dump) does not.
		if ev.Header.Flags&event.FlagArtificial == 0 && ev.Header.Timestamp != 0 {
			clear(r.tables)
			clear(r.tmSrc)
			clear(r.early.pending)
		}
	case *event.TableMap:
		if p := r.early.pending[b.TableID]; p != nil {
			p.active = false
		}
		tm := r.tables[b.TableID]
		if tm == nil {
			tm = new(event.TableMap)
			r.tables[b.TableID] = tm
		}
		b.CopyTo(tm)
	case *event.Rows:
		tm, err := r.table(b.TableID)
		if err != nil {
			return err
		}
		ev.Table = tm
	case *event.Unknown:
		// A rows event this version cannot decode (a compression it does
		// not know) still names its table, as filters judging it before
		// decoding see it.
		if b.Type.IsRows() && r.fd != nil {
			if id, err := event.PeekRowsTableID(ev.Format, b.Type, b.Data); err == nil {
				if tm, err := r.table(id); err == nil {
					ev.Table = tm
				}
			}
		}
	case *event.MariaStartEncryption:
		// Flagged ignorable, it comes from a server's replication stream
		// (or a copy of one), decrypted. Else every later event of the
		// file is encrypted: a Source that decrypts has flagged it, or
		// reports the missing key with the next event; from any other,
		// stop with a clear error rather than misread ciphertext.
		if ev.Header.Flags&event.FlagIgnorable == 0 {
			r.encryptedAt = ev.NextPos
		}
	case *event.TransactionPayload:
		if r.opts.expandPayload && !ev.InPayload {
			if err := r.payload.Reset(b, r.opts.maxEventSize); err != nil {
				return err
			}
			r.inPayload = true
			r.payloadPos = [2]uint64{ev.Pos, ev.NextPos}
			r.payloadFD = r.fd
		}
	}
	return nil
}

// nextInner returns the next event inside the current payload.
func (r *Reader) nextInner() (*event.Event, error) {
	raw, off, err := r.payload.Next()
	ev := &r.ev
	*ev = event.Event{File: r.file, Pos: r.payloadPos[0], NextPos: r.payloadPos[1], InPayload: true, PayloadOffset: off, Format: r.payloadFD}
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, r.errAt(ev, false, err)
	}
	ev.Raw = raw
	h, err := event.ParseHeader(raw)
	if err != nil || int(h.EventSize) != len(raw) {
		return nil, r.errAt(ev, false, fmt.Errorf("%w: inner event framing", ErrCorrupt))
	}
	ev.Header = h
	if r.early.on {
		if drop, err := r.judgeEarly(ev, raw[event.HeaderLen:], false); drop || err != nil {
			if err != nil {
				return nil, err
			}
			return ev, nil
		}
	}
	return r.finish(ev, raw[event.HeaderLen:])
}

func (r *Reader) errAt(ev *event.Event, hasType bool, err error) error {
	var pe *Error
	if errors.As(err, &pe) {
		return err
	}
	e := &Error{File: ev.File, Offset: ev.Pos, Type: ev.Header.Type, HasType: hasType, PayloadOffset: -1, Err: err}
	if ev.InPayload {
		e.PayloadOffset = int64(ev.PayloadOffset)
	}
	return e
}

// Events returns a single-use iterator over the remaining events, built on
// Next. It stops at the clean end; an error is yielded once, with a nil event,
// and ends the iteration. Each event is valid until the loop body returns.
func (r *Reader) Events(ctx context.Context) iter.Seq2[*event.Event, error] {
	return func(yield func(*event.Event, error) bool) {
		for {
			ev, err := r.Next(ctx)
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(ev, nil) {
				return
			}
		}
	}
}
