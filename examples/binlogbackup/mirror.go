package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// mirrorOptions configure a mirror.
type mirrorOptions struct {
	compress string // "", "none", "lz4" or "zstd": how completed files are stored
	fsync    bool   // sync file and directory at transaction boundaries and rotations
	logger   *slog.Logger
}

// mirror writes a server's binlog stream into a directory, file by file and
// byte for byte. It is fed the raw events a replication connection delivers
// (artificial ROTATE and FORMAT_DESCRIPTION included) and learns the server's
// file names from the ROTATE events. It never writes an event whose checksum
// does not verify, nor one that would leave a gap in a file.
//
// The file being written is NAME.partial; when the stream moves on to the next
// file (a ROTATE, the server's STOP, or an artificial ROTATE after a crash) it
// is renamed to NAME, and compressed to NAME.lz4 or NAME.zst when asked.
type mirror struct {
	dir  string
	opts mirrorOptions

	entries []binlog.DirEntry // the index; the last may be the open file

	// The current file: entries[len-1] when cur is set.
	cur      *binlog.DirEntry
	f        *os.File      // nil when the current file is complete (or none)
	w        *bufio.Writer // over f
	fd       *event.FormatDescription
	fdeRaw   []byte // the stored FDE, as written
	dec      event.Decoder
	tx       txState  // transaction state at the end of the file
	boundary snapshot // the last transaction boundary
	ended    bool     // a real ROTATE or STOP was written: the server closed the file cleanly
	replay   string   // a completed file the server sends again (its events are skipped)

	// Totals for progress reports.
	events, bytes uint64
	files         int
}

// snapshot is the state of the current file at a transaction boundary, kept
// to roll back to when a reconnect re-delivers an interrupted transaction.
type snapshot struct {
	size  uint64
	entry binlog.DirEntry
}

// txState tracks transaction boundaries in the stream.
type txState uint8

const (
	txNone      txState = iota // between transactions
	txAfterGTID                // a GTID announced a transaction: BEGIN or one statement follows
	txOpen                     // inside BEGIN … COMMIT/XID
)

// errMirror marks errors where the stream does not fit the directory.
var errMirror = errors.New("stream does not match the backup")

// openMirror opens (creating it if needed) the backup directory dir. It
// validates what an earlier run left: the .partial file's events are read
// back with their checksums and the file is truncated after its last whole
// transaction; files the index does not describe are scanned.
func openMirror(dir string, opts mirrorOptions) (*mirror, error) {
	if opts.logger == nil {
		opts.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	m := &mirror{dir: dir, opts: opts}
	// Temporary files of an interrupted compression or index rewrite.
	if des, err := os.ReadDir(dir); err == nil {
		for _, de := range des {
			if strings.HasSuffix(de.Name(), ".tmp") {
				os.Remove(filepath.Join(dir, de.Name()))
			}
		}
	}
	entries, err := binlog.DirFiles(dir)
	if err != nil {
		return nil, err
	}
	for i, e := range entries {
		partial := strings.HasSuffix(e.Stored, binlog.PartialSuffix)
		if partial && i != len(entries)-1 {
			return nil, fmt.Errorf("%s: a .partial file that is not the last of the directory (%s follows)", filepath.Join(dir, e.Stored), entries[len(entries)-1].Stored)
		}
		if !partial && (e.Size != 0 || e.Events != 0) {
			continue // described by the index
		}
		sc, err := scanFile(filepath.Join(dir, e.Stored), e.Name)
		if err != nil && !partial {
			return nil, err
		}
		if partial {
			if err != nil {
				opts.logger.Warn("binlogbackup: the partial file ends with damage; truncating after its last whole transaction",
					"file", e.Stored, "at", sc.boundary.size, "error", err)
			}
			m.resumePartial(e, sc)
		}
		sc.boundary.entry.Stored = e.Stored
		sc.boundary.entry.Complete = !partial
		entries[i] = sc.boundary.entry
	}
	if m.cur != nil {
		entries[len(entries)-1] = *m.cur
	}
	m.entries = entries
	if m.cur != nil {
		m.cur = &m.entries[len(m.entries)-1]
		if err := m.reopenPartial(); err != nil {
			return nil, err
		}
	} else if len(entries) > 0 {
		m.cur = &m.entries[len(m.entries)-1]
	}
	// A completed file left uncompressed by an interruption.
	for i := range m.entries {
		if e := &m.entries[i]; e.Complete && e.Stored == e.Name && m.compressSuffix() != "" {
			if err := m.compressFile(e); err != nil {
				return nil, err
			}
		}
	}
	if err := m.writeIndex(); err != nil {
		return nil, err
	}
	return m, nil
}

// scanned is what scanFile learns from a stored file.
type scanned struct {
	boundary snapshot // the last transaction boundary and the file's description up to it
	fdeRaw   []byte
	fd       *event.FormatDescription
}

// scanFile reads a stored binlog file back, verifying every checksum, and
// describes it up to its last whole transaction. err reports damage after
// that point (a torn or corrupt event); what was learnt before is returned.
func scanFile(path, name string) (scanned, error) {
	var sc scanned
	sc.boundary.entry.Name = name
	sc.boundary.size = event.MagicLen
	src, err := binlog.OpenFile(path)
	if err != nil {
		if errors.Is(err, binlog.ErrBadMagic) {
			// Not even the magic: start the file again.
			return sc, err
		}
		return sc, err
	}
	defer src.Close()
	r := binlog.NewReader(src, binlog.WithChecksumVerification(true))
	e := sc.boundary.entry
	ctx := context.Background()
	for tx, err := range r.Transactions(ctx) {
		if err != nil {
			return sc, err
		}
		for ev, err := range tx.Events() {
			if err != nil {
				return sc, err
			}
			if ev.InPayload {
				continue
			}
			e.Events++
			t := time.Unix(int64(ev.Header.Timestamp), 0).UTC()
			if e.FirstTime.IsZero() {
				e.FirstTime = t
			}
			e.LastTime = t
			if fd, ok := ev.Body.(*event.FormatDescription); ok && sc.fd == nil {
				sc.fd = fd.Clone()
				sc.fdeRaw = bytes.Clone(ev.Raw)
			}
		}
		if !tx.Complete {
			break // a transaction cut by the end of the file
		}
		if tx.HasGTID {
			g := tx.GTID.String()
			if e.FirstGTID == "" {
				e.FirstGTID = g
			}
			e.LastGTID = g
		}
		e.Size = tx.EndPos
		sc.boundary = snapshot{size: tx.EndPos, entry: e}
	}
	if sc.fd == nil {
		// Not even a whole FORMAT_DESCRIPTION: keep the magic only.
		sc.boundary = snapshot{size: event.MagicLen, entry: binlog.DirEntry{Name: name, Size: event.MagicLen}}
	}
	return sc, nil
}

// resumePartial makes the scanned .partial file the current one.
func (m *mirror) resumePartial(e binlog.DirEntry, sc scanned) {
	ent := sc.boundary.entry
	ent.Stored = e.Stored
	ent.Complete = false
	m.cur = &ent
	m.fd, m.fdeRaw = sc.fd, sc.fdeRaw
	m.boundary = snapshot{size: sc.boundary.size, entry: ent}
}

// reopenPartial opens the current .partial file for appending, cut at the
// last transaction boundary.
func (m *mirror) reopenPartial() error {
	path := filepath.Join(m.dir, m.cur.Stored)
	f, err := os.OpenFile(path, os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	size := m.boundary.size
	if size < event.MagicLen {
		size = event.MagicLen
	}
	if err := f.Truncate(int64(size)); err != nil {
		f.Close()
		return err
	}
	if _, err := f.WriteAt(event.Magic[:], 0); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Seek(int64(size), io.SeekStart); err != nil {
		f.Close()
		return err
	}
	if m.opts.fsync {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	m.f = f
	m.w = bufio.NewWriterSize(f, 256<<10)
	m.cur.Size = size
	m.tx = txNone
	m.ended = false
	return nil
}

// resumePoint returns where to ask the server to start: the current file
// and its size. ok is false for an empty directory.
func (m *mirror) resumePoint() (file string, pos uint64, ok bool) {
	if m.cur == nil {
		return "", 0, false
	}
	return m.cur.Name, m.cur.Size, true
}

// isArtificialRotate tells the ROTATE a server sends at the start of a dump
// (and when it moves to the next file) from the one written in the file.
func isArtificialRotate(h event.Header) bool {
	return h.Type == event.RotateEvent && (h.Flags&event.FlagArtificial != 0 || h.LogPos == 0 || h.Timestamp == 0)
}

// write takes the next event of the stream.
func (m *mirror) write(raw []byte) error {
	h, err := event.ParseHeader(raw)
	if err != nil {
		return fmt.Errorf("%w: event of %d bytes", binlog.ErrTruncated, len(raw))
	}
	if int(h.EventSize) != len(raw) {
		return fmt.Errorf("%w: header says %d bytes, the stream gave %d", binlog.ErrCorrupt, h.EventSize, len(raw))
	}
	switch {
	case isArtificialRotate(h):
		name, pos, err := m.decodeRotate(raw, true)
		if err != nil {
			return err
		}
		return m.switchTo(name, pos)
	case m.replay != "":
		return nil // an event of a completed file sent again
	case h.Type == event.FormatDescriptionEvent && m.cur != nil && (m.f == nil || m.cur.Size > event.MagicLen):
		// The FORMAT_DESCRIPTION a server re-sends when a dump starts
		// inside a file: check it is the one stored.
		return m.checkResentFDE(raw)
	case h.Flags&event.FlagArtificial != 0,
		h.Type == event.HeartbeatEvent || h.Type == event.HeartbeatEventV2,
		h.LogPos == 0 && h.Type == event.MariaGTIDListEvent:
		// Other artificial events (MariaDB's fake GTID_LIST when a
		// replica connects by GTID) are not in the file.
		return nil
	}
	if m.cur == nil {
		return fmt.Errorf("%w: a %s event before any ROTATE named the server's file", errMirror, h.Type)
	}
	off := m.cur.Size
	if h.LogPos != 0 {
		// Where the event sits in the server's file, from its end_log_pos
		// (32 bits: files past 4 GiB wrap it).
		next := off + uint64(len(raw))
		end := next - uint64(uint32(next)-h.LogPos)
		if end < uint64(len(raw))+event.MagicLen {
			return m.posErr(h, fmt.Errorf("%w: end_log_pos %d before the event's own size", binlog.ErrCorrupt, h.LogPos))
		}
		start := end - uint64(len(raw))
		switch {
		case start > off:
			return fmt.Errorf("%w: %s: a %s event at position %d, but the backup ends at %d (events are missing)", errMirror, m.cur.Name, h.Type, start, off)
		case start < off:
			return m.skipKnown(h, raw, start)
		}
	}
	if m.f == nil {
		return fmt.Errorf("%w: a %s event after the end of %s", errMirror, h.Type, m.cur.Name)
	}
	body := raw[event.HeaderLen:]
	if h.Type == event.FormatDescriptionEvent {
		if off != event.MagicLen {
			return fmt.Errorf("%w: %s: a FORMAT_DESCRIPTION at position %d", errMirror, m.cur.Name, off)
		}
		n := event.FormatDescriptionBodyLen(body)
		if n < len(body) && event.ChecksumAlg(body[n-1]) == event.ChecksumCRC32 {
			if err := verify(raw); err != nil {
				return m.posErr(h, err)
			}
		}
		fd := new(event.FormatDescription)
		if err := fd.DecodeBody(nil, h.Type, body[:n]); err != nil {
			return m.posErr(h, err)
		}
		m.fd = fd.Clone()
		// The server's current file carries the in-use flag, which a server
		// clears in what it sends: set it as on the server while the file is
		// open; a clean close clears it again.
		raw = bytes.Clone(raw)
		raw[17] |= byte(event.FlagBinlogInUse)
		m.fdeRaw = raw
	} else {
		if m.fd == nil {
			return fmt.Errorf("%w: %s: a %s event before the file's FORMAT_DESCRIPTION", errMirror, m.cur.Name, h.Type)
		}
		if m.fd.ChecksumAlg == event.ChecksumCRC32 {
			if len(body) < event.ChecksumLen {
				return m.posErr(h, fmt.Errorf("%w: no room for the checksum", binlog.ErrCorrupt))
			}
			if err := verify(raw); err != nil {
				return m.posErr(h, err)
			}
			body = body[:len(body)-event.ChecksumLen]
		}
	}
	if _, err := m.w.Write(raw); err != nil {
		return err
	}
	m.cur.Size += uint64(len(raw))
	m.cur.Events++
	m.events++
	m.bytes += uint64(len(raw))
	t := time.Unix(int64(h.Timestamp), 0).UTC()
	if m.cur.FirstTime.IsZero() {
		m.cur.FirstTime = t
	}
	m.cur.LastTime = t
	boundary, err := m.track(h, body)
	if err != nil {
		return m.posErr(h, err)
	}
	switch h.Type {
	case event.RotateEvent:
		name, _, err := m.decodeRotate(raw, false)
		if err != nil {
			return err
		}
		m.ended = true
		if err := m.complete(); err != nil {
			return err
		}
		m.opts.logger.Debug("binlogbackup: rotate", "next", name)
		return nil
	case event.StopEvent:
		m.ended = true
		return m.complete()
	}
	if boundary {
		return m.atBoundary()
	}
	return nil
}

// track follows transactions; it reports whether the event ends one.
func (m *mirror) track(h event.Header, body []byte) (bool, error) {
	var gtid binlog.GTID
	hasGTID := false
	switch h.Type {
	case event.MariaGTIDEvent, event.GTIDEvent, event.GTIDTaggedEvent:
		b, err := m.dec.Decode(m.fd, h.Type, body)
		if err != nil {
			return false, err
		}
		gtid, hasGTID = binlog.GTIDFromEvent(b, h.ServerID)
		if g, ok := b.(*event.MariaGTID); ok && !g.Standalone() {
			m.tx = txOpen
		} else {
			m.tx = txAfterGTID
		}
		if hasGTID {
			s := gtid.String()
			if m.cur.FirstGTID == "" {
				m.cur.FirstGTID = s
			}
			m.cur.LastGTID = s
		}
		return false, nil
	case event.AnonymousGTIDEvent:
		m.tx = txAfterGTID
		return false, nil
	case event.XIDEvent, event.XAPrepareEvent:
		m.tx = txNone
		return true, nil
	case event.QueryEvent, event.MariaQueryCompressedEvent:
		b, err := m.dec.Decode(m.fd, h.Type, body)
		if err != nil {
			return false, err
		}
		var kind event.StatementKind
		if q, ok := b.(*event.Query); ok {
			kind = q.Statement().Kind
		}
		switch {
		case kind == event.StatementBegin:
			m.tx = txOpen
			return false, nil
		case kind == event.StatementCommit || kind == event.StatementRollback:
			m.tx = txNone
			return true, nil
		case m.tx == txOpen:
			return false, nil
		}
		m.tx = txNone
		return true, nil
	case event.TransactionPayloadEvent:
		// MySQL's compressed transaction holds the whole transaction.
		if m.tx == txAfterGTID {
			m.tx = txNone
		}
		return m.tx == txNone, nil
	case event.RowsQueryEvent, event.MariaAnnotateRowsEvent, event.TableMapEvent:
		return false, nil
	}
	if h.Type.IsRows() {
		return false, nil
	}
	if m.tx == txNone {
		return true, nil // an event outside transactions
	}
	return false, nil
}

// atBoundary runs after the last event of a transaction.
func (m *mirror) atBoundary() error {
	if err := m.w.Flush(); err != nil {
		return err
	}
	if m.opts.fsync {
		if err := m.f.Sync(); err != nil {
			return err
		}
	}
	m.boundary = snapshot{size: m.cur.Size, entry: *m.cur}
	return nil
}

// skipKnown handles an event the backup holds already (the server re-sends
// what follows its resume point): it must equal the stored bytes. Events of a
// completed file are skipped without reading it back.
func (m *mirror) skipKnown(h event.Header, raw []byte, start uint64) error {
	if m.f == nil {
		return nil
	}
	if start+uint64(len(raw)) > m.cur.Size {
		return fmt.Errorf("%w: %s: a %s event at %d overlaps the end of the backup at %d", errMirror, m.cur.Name, h.Type, start, m.cur.Size)
	}
	if err := m.w.Flush(); err != nil {
		return err
	}
	have := make([]byte, len(raw))
	if _, err := m.f.ReadAt(have, int64(start)); err != nil {
		return err
	}
	if h.Type == event.FormatDescriptionEvent {
		have[17] = raw[17] // the in-use flag
	}
	if !bytes.Equal(have, raw) {
		return fmt.Errorf("%w: %s: the server's %s event at %d differs from the backup's", errMirror, m.cur.Name, h.Type, start)
	}
	return nil
}

// decodeRotate returns a ROTATE's next file and position. An artificial
// ROTATE may come without a checksum in a checksummed stream.
func (m *mirror) decodeRotate(raw []byte, artificial bool) (string, uint64, error) {
	body := raw[event.HeaderLen:]
	switch {
	case artificial:
		// Sent before any FORMAT_DESCRIPTION: a valid CRC tells it has one.
		if len(body) > 8+event.ChecksumLen && verify(raw) == nil {
			body = body[:len(body)-event.ChecksumLen]
		}
	case m.fd != nil && m.fd.ChecksumAlg == event.ChecksumCRC32:
		body = body[:len(body)-event.ChecksumLen] // verified by write
	}
	if len(body) < 9 {
		return "", 0, fmt.Errorf("%w: ROTATE body of %d bytes", binlog.ErrCorrupt, len(body))
	}
	pos := binary.LittleEndian.Uint64(body)
	name := string(body[8:])
	if name == "" || strings.ContainsAny(name, "/\\\x00") || name == "." || name == ".." {
		return "", 0, fmt.Errorf("%w: ROTATE names the file %q", binlog.ErrCorrupt, name)
	}
	return name, pos, nil
}

// switchTo handles an artificial ROTATE: the stream continues in name at pos.
func (m *mirror) switchTo(name string, pos uint64) error {
	if m.cur != nil && m.cur.Name == name {
		m.replay = ""
		// The dump resumes in the current file (a reconnect). Events the
		// backup holds already may come again (the server resumes at the
		// last transaction boundary accepted, or at the file's start for a
		// GTID resume): write checks them against the file and skips them.
		if pos > m.cur.Size {
			return fmt.Errorf("%w: the server resumes %s at %d, after the %d bytes received", errMirror, name, pos, m.cur.Size)
		}
		return nil
	}
	m.replay = ""
	for i := range m.entries {
		if m.entries[i].Name == name {
			// A resume (by GTID) that starts in a file the backup completed
			// already: its events are skipped up to the next file.
			if pos > m.entries[i].Size {
				return fmt.Errorf("%w: the server resumes %s at %d, after its end at %d in the backup", errMirror, name, pos, m.entries[i].Size)
			}
			m.replay = name
			return nil
		}
	}
	if m.f != nil {
		// The previous file ended without ROTATE or STOP: the server
		// crashed. MariaDB's copy keeps the in-use flag; MySQL's crash
		// recovery, which ran before the restarted server could send this
		// ROTATE, clears it in the file (and trims a torn tail, which a
		// dump never sends).
		mysql := m.fd != nil && m.fd.Flavor() == event.MySQL
		m.opts.logger.Info("binlogbackup: file ended without ROTATE (server restart)", "file", m.cur.Name, "size", m.cur.Size, "in_use_cleared", mysql)
		if mysql {
			m.ended = true // complete clears the flag
		}
		if err := m.complete(); err != nil {
			return err
		}
	}
	if pos != event.MagicLen {
		return fmt.Errorf("%w: the server starts %s at position %d; a backup copies files from their start (4)", errMirror, name, pos)
	}
	stored := name + binlog.PartialSuffix
	f, err := os.OpenFile(filepath.Join(m.dir, stored), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	m.entries = append(m.entries, binlog.DirEntry{Name: name, Stored: stored, Size: event.MagicLen})
	m.cur = &m.entries[len(m.entries)-1]
	m.f, m.w = f, bufio.NewWriterSize(f, 256<<10)
	m.fd, m.fdeRaw, m.tx, m.ended = nil, nil, txNone, false
	m.boundary = snapshot{size: event.MagicLen, entry: *m.cur}
	m.files++
	if _, err := m.w.Write(event.Magic[:]); err != nil {
		return err
	}
	if err := m.w.Flush(); err != nil {
		return err
	}
	if m.opts.fsync {
		if err := f.Sync(); err != nil {
			return err
		}
		if err := binlog.SyncDir(m.dir); err != nil {
			return err
		}
	}
	return m.writeIndex()
}

// reopen truncates the open file to size and continues writing there.
func (m *mirror) reopen(size uint64) error {
	if err := m.f.Truncate(int64(size)); err != nil {
		return err
	}
	if _, err := m.f.Seek(int64(size), io.SeekStart); err != nil {
		return err
	}
	m.w.Reset(m.f)
	m.cur.Size = size
	m.tx = txNone
	return nil
}

// checkResentFDE compares the FORMAT_DESCRIPTION a server sends when a dump
// starts inside a file with the stored one. The server zeroes log_pos and
// sometimes the creation time, and clears the in-use flag; anything else that
// differs means the server's file is not the one in the backup.
func (m *mirror) checkResentFDE(raw []byte) error {
	if m.fdeRaw == nil && m.f == nil {
		return nil // a completed file: resent FDE not checked
	}
	if m.fdeRaw == nil {
		return fmt.Errorf("%w: %s: the stored file has no FORMAT_DESCRIPTION", errMirror, m.cur.Name)
	}
	a, b := m.fdeRaw, raw
	same := len(a) == len(b) && bytes.Equal(a[4:13], b[4:13]) // type, server id, size
	if same {
		body := event.HeaderLen
		created := body + 2 + 50 // binlog version, server version, then the creation time
		n := len(a) - event.ChecksumLen
		if fdn := event.FormatDescriptionBodyLen(a[body:]); body+fdn == len(a) {
			n = len(a) // no checksum
		}
		same = bytes.Equal(a[body:created], b[body:created]) && bytes.Equal(a[created+4:n], b[created+4:n])
	}
	if !same {
		return fmt.Errorf("%w: the server's FORMAT_DESCRIPTION of %s differs from the stored one (was the server's binlog reset?)", errMirror, m.cur.Name)
	}
	return nil
}

// complete ends the current file: the in-use flag is cleared when the
// server closed the file cleanly, the file is synced, renamed from .partial
// and compressed when asked, and the index rewritten.
func (m *mirror) complete() error {
	if m.f == nil {
		return nil
	}
	if err := m.w.Flush(); err != nil {
		return err
	}
	if m.ended && m.fdeRaw != nil && m.fdeRaw[17]&byte(event.FlagBinlogInUse) != 0 {
		m.fdeRaw[17] &^= byte(event.FlagBinlogInUse)
		if _, err := m.f.WriteAt(m.fdeRaw[17:18], event.MagicLen+17); err != nil {
			return err
		}
	}
	if m.opts.fsync {
		if err := m.f.Sync(); err != nil {
			return err
		}
	}
	if err := m.f.Close(); err != nil {
		return err
	}
	m.f, m.w = nil, nil
	from := filepath.Join(m.dir, m.cur.Stored)
	if err := os.Rename(from, filepath.Join(m.dir, m.cur.Name)); err != nil {
		return err
	}
	m.cur.Stored, m.cur.Complete = m.cur.Name, true
	if m.opts.fsync {
		if err := binlog.SyncDir(m.dir); err != nil {
			return err
		}
	}
	if m.compressSuffix() != "" {
		if err := m.compressFile(m.cur); err != nil {
			return err
		}
	}
	return m.writeIndex()
}

func (m *mirror) compressSuffix() string {
	switch m.opts.compress {
	case "lz4":
		return binlog.Lz4Suffix
	case "zstd":
		return binlog.ZstdSuffix
	}
	return ""
}

// compressFile compresses a completed plain file: a hidden temporary file
// renamed to NAME.lz4 or NAME.zst, then the plain file removed.
func (m *mirror) compressFile(e *binlog.DirEntry) error {
	suffix := m.compressSuffix()
	src := filepath.Join(m.dir, e.Name)
	dst := filepath.Join(m.dir, e.Name+suffix)
	tmp := filepath.Join(m.dir, "."+e.Name+suffix+".tmp")
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	err = func() error {
		var zw io.WriteCloser
		if suffix == binlog.Lz4Suffix {
			lw := lz4.NewWriter(out)
			if err := lw.Apply(lz4.ChecksumOption(true)); err != nil {
				return err
			}
			zw = lw
		} else {
			w, err := zstd.NewWriter(out, zstd.WithEncoderConcurrency(1))
			if err != nil {
				return err
			}
			zw = w
		}
		if _, err := io.Copy(zw, in); err != nil {
			zw.Close()
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		if m.opts.fsync {
			if err := out.Sync(); err != nil {
				return err
			}
		}
		return out.Close()
	}()
	if err != nil {
		out.Close()
		os.Remove(tmp)
		return fmt.Errorf("compressing %s: %w", src, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	if m.opts.fsync {
		if err := binlog.SyncDir(m.dir); err != nil {
			return err
		}
	}
	e.Stored = e.Name + suffix
	if err := m.writeIndex(); err != nil {
		return err
	}
	return os.Remove(src)
}

// writeIndex rewrites the index file.
func (m *mirror) writeIndex() error {
	return binlog.WriteDirIndex(m.dir, m.entries, m.opts.fsync)
}

// flush writes buffered bytes and the index (for periodic checkpoints).
func (m *mirror) flush() error {
	if m.w != nil {
		if err := m.w.Flush(); err != nil {
			return err
		}
	}
	return m.writeIndex()
}

// close flushes and closes the current file, which stays .partial (up to
// its last transaction boundary, which a restart resumes from).
func (m *mirror) close() error {
	var err error
	if m.f != nil {
		err = m.w.Flush()
		if m.opts.fsync && err == nil {
			err = m.f.Sync()
		}
		if cerr := m.f.Close(); err == nil {
			err = cerr
		}
		m.f, m.w = nil, nil
	}
	if ierr := m.writeIndex(); err == nil {
		err = ierr
	}
	return err
}

func (m *mirror) posErr(h event.Header, err error) error {
	return &binlog.Error{File: m.cur.Name, Offset: m.cur.Size, Type: h.Type, HasType: true, PayloadOffset: -1, Err: err}
}

// verify checks an event's CRC32 (its last four bytes).
func verify(raw []byte) error {
	if len(raw) < event.HeaderLen+event.ChecksumLen {
		return fmt.Errorf("%w: event of %d bytes has no room for a checksum", binlog.ErrCorrupt, len(raw))
	}
	n := len(raw) - event.ChecksumLen
	want := binary.LittleEndian.Uint32(raw[n:])
	if got := event.Checksum(raw[:n]); got != want {
		return fmt.Errorf("%w: stored CRC32 0x%08x, computed 0x%08x", binlog.ErrChecksum, want, got)
	}
	return nil
}
