package backup

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// ErrMismatch marks a stream that does not continue the archive: events
// missing or differing from what the archive holds, a server whose files
// were reset, a jump over files.
var ErrMismatch = errors.New("backup: the stream does not continue the archive")

// MirrorOptions configure a Mirror.
type MirrorOptions struct {
	// Compression is how completed files are stored (None: plain).
	Compression Compression
	// Recipients, when set, encrypt every stored file with age to them: the
	// file being written too (NAME.partial.age, to the recipients and to a
	// key the process holds in memory, used to compress and re-encrypt it
	// once complete).
	Recipients []age.Recipient
	// Identities decrypt the archive's encrypted files where the Mirror
	// must read one back: a NAME.partial.age left by an earlier run. Without
	// them such a file is copied again from the server, from its start.
	Identities []age.Identity
	// Fsync syncs files and the directory at transaction boundaries (plain
	// files) and at every completion and index change.
	Fsync bool
	// Retention removes old completed files (see Retention).
	Retention Retention
	// Logger receives rotations, completions, deletions and warnings (nil:
	// none).
	Logger *slog.Logger
}

// Mirror writes a server's replication stream into an archive directory,
// file by file and byte for byte. It is fed the raw events a replication
// connection delivers (artificial ROTATE and FORMAT_DESCRIPTION included,
// as binlog.RemoteSource returns them) and learns the server's file names
// from the ROTATE events. It never writes an event whose checksum does not
// verify, nor one that would leave a hole in a file.
//
// The file being written is NAME.partial (NAME.partial.age when
// encrypting); when the stream moves on to the next file (a ROTATE, the
// server's STOP, or an artificial ROTATE after a server restart) it is
// stored as NAME, NAME.zst, NAME.lz4 or NAME.gz, with .age appended when
// encrypting, its SHA-256 recorded in the index, and retention applied.
//
// A Mirror holds the directory's lock from OpenMirror to Close. It is not
// safe for concurrent use.
type Mirror struct {
	dir  string
	opts MirrorOptions
	lock *Lock
	log  *slog.Logger
	now  func() time.Time

	entries []Entry // the index; the last may be the open file

	// The current file: entries[len-1] when cur is set.
	cur      *Entry
	pf       *partialFile // nil when the current file is complete (or none)
	fd       *event.FormatDescription
	fdeRaw   []byte // the stored FDE, as written
	dec      event.Decoder
	tx       txState  // transaction state at the end of the file
	boundary snapshot // the last transaction boundary
	ended    bool     // a real ROTATE or STOP was written: the server closed the file cleanly
	replay   string   // a completed file the server sends again (its events are skipped)
	again    bool     // the current file is copied again from its start (an encrypted partial not read back)
	gap      *Gap     // a purge gap the next new file starts after (ExpectGap)
	// recent holds the CRC32 of every event written since the last
	// boundary, by offset: what a re-sent event is compared with when the
	// file cannot be read back (encrypted).
	recent map[uint64]uint32

	stats MirrorStats
}

// MirrorStats counts what a Mirror wrote since it was opened.
type MirrorStats struct {
	// Events and Bytes count the events written (re-sent ones not).
	Events, Bytes uint64
	// FilesStarted counts the files begun; FilesCompleted those stored;
	// FilesDeleted those retention removed.
	FilesStarted, FilesCompleted, FilesDeleted int
	// Files counts the files written to, FirstFile and LastFile name the
	// first and the last.
	Files               int
	FirstFile, LastFile string
	// LastEvent is the header time of the last event written.
	LastEvent time.Time
	// LastCompleted is when a file was last completed.
	LastCompleted time.Time
}

// partialFile is the file being written.
type partialFile struct {
	f  *os.File
	bw *bufio.Writer
	aw io.WriteCloser // the age writer over bw when encrypting, else nil
	w  io.Writer      // bw or aw: where events go
	// ephemeral decrypts the partial file for its completion.
	ephemeral *age.X25519Identity
}

// snapshot is the state of the current file at a transaction boundary.
type snapshot struct {
	size  uint64
	entry Entry
}

// txState tracks transaction boundaries in the stream.
type txState uint8

const (
	txNone      txState = iota // between transactions
	txAfterGTID                // a GTID announced a transaction: BEGIN or one statement follows
	txOpen                     // inside BEGIN … COMMIT/XID
)

// OpenMirror opens (creating it if needed) the archive directory dir and
// takes its lock (a *LockedError when another writer holds it). It
// validates what an earlier run left: the .partial file's events are read
// back with their checksums and the file is truncated after its last whole
// transaction; files the index does not describe are scanned; a completed
// file left unstored by an interruption is stored.
func OpenMirror(dir string, opts MirrorOptions) (*Mirror, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	lock, err := LockDir(dir)
	if err != nil {
		return nil, err
	}
	m := &Mirror{dir: dir, opts: opts, lock: lock, log: opts.Logger, now: time.Now}
	if m.log == nil {
		m.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := m.open(); err != nil {
		if m.pf != nil {
			m.pf.f.Close()
		}
		lock.Unlock()
		return nil, err
	}
	return m, nil
}

func (m *Mirror) open() error {
	// Temporary files of an interrupted store or index rewrite.
	if des, err := os.ReadDir(m.dir); err == nil {
		for _, de := range des {
			if strings.HasSuffix(de.Name(), ".tmp") {
				os.Remove(filepath.Join(m.dir, de.Name()))
			}
		}
	}
	present, err := Files(m.dir)
	if err != nil {
		return err
	}
	all, err := ReadIndex(m.dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	// Entries of deleted files stay in the index, before the present ones.
	var entries []Entry
	for _, e := range all {
		if e.Deleted != nil {
			entries = append(entries, e)
		}
	}
	for i, e := range present {
		s, _ := parseStored(e.Stored)
		if s.partial && i != len(present)-1 {
			return fmt.Errorf("backup: %s: a .partial file that is not the last of the archive (%s follows)", filepath.Join(m.dir, e.Stored), present[len(present)-1].Stored)
		}
		switch {
		case s.partial && s.encrypted && len(m.opts.Identities) == 0:
			// Not readable here: copy it again from the server.
			m.log.Warn("backup: the encrypted partial file cannot be read back without an identity; copying it again from the server",
				"file", e.Stored)
			ent := Entry{Name: e.Name, Stored: e.Stored, Size: event.MagicLen, Encrypted: true}
			entries = append(entries, ent)
			m.again = true
			continue
		case s.partial:
			sc, err := scanStored(filepath.Join(m.dir, e.Stored), e.Name, m.opts.Identities)
			if err != nil {
				m.log.Warn("backup: the partial file ends with damage; truncating after its last whole transaction",
					"file", e.Stored, "at", sc.boundary.size, "error", err)
			}
			ent := sc.boundary.entry
			ent.Stored, ent.Complete, ent.Encrypted = e.Stored, false, s.encrypted
			entries = append(entries, ent)
			m.fd, m.fdeRaw = sc.fd, sc.fdeRaw
			m.boundary = snapshot{size: sc.boundary.size, entry: ent}
			continue
		case e.Size == 0 && e.Events == 0:
			// A file the index does not describe.
			sc, err := scanStored(filepath.Join(m.dir, e.Stored), e.Name, m.opts.Identities)
			if err != nil {
				return err
			}
			ent := sc.boundary.entry
			ent.Stored, ent.Complete, ent.Compression, ent.Encrypted = e.Stored, true, s.comp, s.encrypted
			entries = append(entries, ent)
			continue
		}
		entries = append(entries, e)
	}
	m.entries = entries
	if n := len(m.entries); n > 0 && m.entries[n-1].Deleted == nil {
		m.cur = &m.entries[n-1]
		if !m.cur.Complete {
			if err := m.reopenPartial(); err != nil {
				return err
			}
		}
	}
	// A completed file left plain by an interruption, or with its SHA-256
	// not recorded yet.
	for i := range m.entries {
		e := &m.entries[i]
		if e.Deleted != nil || !e.Complete {
			continue
		}
		s, _ := parseStored(e.Stored)
		if s.comp == None && !s.encrypted && (m.opts.Compression != None || len(m.opts.Recipients) > 0) {
			if err := m.storeCompleted(e, nil); err != nil {
				return err
			}
		} else if e.SHA256 == "" && !s.encrypted {
			if err := m.hashStored(e); err != nil {
				return err
			}
		}
	}
	if err := m.writeIndex(); err != nil {
		return err
	}
	return m.applyRetention()
}

// scanned is what scanStored learns from a stored file.
type scanned struct {
	boundary snapshot // the last transaction boundary and the file's description up to it
	fdeRaw   []byte
	fd       *event.FormatDescription
}

// scanStored reads a stored binlog file back, verifying every checksum, and
// describes it up to its last whole transaction. err reports damage after
// that point (a torn or corrupt event); what was learnt before is returned.
func scanStored(path, name string, ids []age.Identity) (scanned, error) {
	var sc scanned
	sc.boundary.entry.Name = name
	sc.boundary.size = event.MagicLen
	plain, closer, err := openPlain(path, ids)
	if err != nil {
		return sc, err
	}
	defer closer.Close()
	src := binlog.NewStreamSource(plain, name)
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
			switch b := ev.Body.(type) {
			case *event.FormatDescription:
				if sc.fd == nil {
					sc.fd = b.Clone()
					sc.fdeRaw = bytes.Clone(ev.Raw)
					e.ServerID = ev.Header.ServerID
				}
			case *event.PreviousGTIDs:
				var s binlog.GTIDSet
				if s.AddPreviousGTIDs(b) == nil && !s.IsEmpty() {
					e.PreviousGTIDs = s.String()
				}
			case *event.MariaGTIDList:
				var s binlog.GTIDSet
				if s.AddMariaGTIDList(b) == nil && !s.IsEmpty() {
					e.PreviousGTIDs = s.String()
				}
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
		sc.boundary = snapshot{size: event.MagicLen, entry: Entry{Name: name, Size: event.MagicLen}}
	}
	return sc, nil
}

// newPartial creates the stored file of the current file afresh (with the
// magic) and makes it the one written.
func (m *Mirror) newPartial() error {
	enc := len(m.opts.Recipients) > 0
	stored := storedFileName(m.cur.Name, None, enc, true)
	f, err := os.OpenFile(filepath.Join(m.dir, stored), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	pf := &partialFile{f: f, bw: bufio.NewWriterSize(f, 256<<10)}
	pf.w = pf.bw
	if enc {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			f.Close()
			return err
		}
		aw, err := age.Encrypt(pf.bw, append(append([]age.Recipient(nil), m.opts.Recipients...), id.Recipient())...)
		if err != nil {
			f.Close()
			return err
		}
		pf.aw, pf.w, pf.ephemeral = aw, aw, id
	}
	if m.cur.Stored != stored && m.cur.Stored != "" {
		os.Remove(filepath.Join(m.dir, m.cur.Stored))
	}
	m.cur.Stored, m.cur.Encrypted, m.cur.StoredSize = stored, enc, 0
	m.pf = pf
	if _, err := pf.w.Write(event.Magic[:]); err != nil {
		return err
	}
	if err := pf.bw.Flush(); err != nil {
		return err
	}
	if m.opts.Fsync {
		if err := f.Sync(); err != nil {
			return err
		}
		return syncDir(m.dir)
	}
	return nil
}

// reopenPartial continues the current .partial file after its last
// transaction boundary: a plain file is cut there and appended to; an
// encrypted one is rewritten up to there (it cannot be appended to).
func (m *Mirror) reopenPartial() error {
	m.tx, m.ended, m.recent = txNone, false, nil
	if m.again {
		// Copied again from the start; the old file stays until the
		// server sends the first event (see switchTo).
		m.cur.Size = event.MagicLen
		return nil
	}
	size := max(m.boundary.size, event.MagicLen)
	path := filepath.Join(m.dir, m.cur.Stored)
	s, _ := parseStored(m.cur.Stored)
	if s.encrypted || len(m.opts.Recipients) > 0 {
		// Rewrite: read the plain bytes up to the boundary and write them
		// through a new partial file (encrypted or not, as asked now).
		plain, closer, err := openPlain(path, m.opts.Identities)
		if err != nil {
			return err
		}
		defer closer.Close()
		data := make([]byte, 0, min(size, 64<<20))
		buf := bytes.NewBuffer(data)
		if _, err := io.CopyN(buf, plain, int64(size)); err != nil {
			return fmt.Errorf("backup: reading %s back: %w", path, err)
		}
		tmpName := m.cur.Stored
		m.cur.Stored = ""
		if err := m.newPartial(); err != nil {
			return err
		}
		if tmpName != m.cur.Stored {
			os.Remove(filepath.Join(m.dir, tmpName))
		}
		if _, err := m.pf.w.Write(buf.Bytes()[event.MagicLen:]); err != nil {
			return err
		}
		m.cur.Size = size
		return m.pf.bw.Flush()
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0o600)
	if err != nil {
		return err
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
	if m.opts.Fsync {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	m.pf = &partialFile{f: f, bw: bufio.NewWriterSize(f, 256<<10)}
	m.pf.w = m.pf.bw
	m.cur.Size, m.cur.StoredSize = size, 0
	return nil
}

// ResumePoint returns where to ask the server to start: the current file
// and the position the archive holds it up to. ok is false for an empty
// archive (or one whose files were all deleted).
func (m *Mirror) ResumePoint() (file string, pos uint64, ok bool) {
	if m.cur == nil {
		return "", 0, false
	}
	return m.cur.Name, m.cur.Size, true
}

// Entries returns a copy of the index: every file, deleted ones included.
func (m *Mirror) Entries() []Entry {
	return append([]Entry(nil), m.entries...)
}

// Stats returns what the Mirror wrote since it was opened.
func (m *Mirror) Stats() MirrorStats { return m.stats }

// ExpectGap tells the Mirror that the stream will continue in a file after
// a purge gap: the next file the server starts is accepted even though it
// does not follow the current one, the current file is completed where it
// ends, and the index records gap on the new file.
func (m *Mirror) ExpectGap(gap Gap) { m.gap = &gap }

// isArtificialRotate tells the ROTATE a server sends at the start of a dump
// (and when it moves to the next file) from the one written in the file.
func isArtificialRotate(h event.Header) bool {
	return h.Type == event.RotateEvent && (h.Flags&event.FlagArtificial != 0 || h.LogPos == 0 || h.Timestamp == 0)
}

// Write takes the next event of the stream. An error wrapping ErrMismatch
// means the stream does not continue the archive; binlog.ErrChecksum and
// binlog.ErrCorrupt a damaged event. Nothing of a refused event is written.
func (m *Mirror) Write(raw []byte) error {
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
	case h.Type == event.FormatDescriptionEvent && m.cur != nil && (m.pf == nil || m.cur.Size > event.MagicLen):
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
		return fmt.Errorf("%w: a %s event before any ROTATE named the server's file", ErrMismatch, h.Type)
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
			return fmt.Errorf("%w: %s: a %s event at position %d, but the archive ends at %d (events are missing)", ErrMismatch, m.cur.Name, h.Type, start, off)
		case start < off:
			return m.skipKnown(h, raw, start)
		}
	}
	if m.pf == nil {
		return fmt.Errorf("%w: a %s event after the end of %s", ErrMismatch, h.Type, m.cur.Name)
	}
	body := raw[event.HeaderLen:]
	if h.Type == event.FormatDescriptionEvent {
		if off != event.MagicLen {
			return fmt.Errorf("%w: %s: a FORMAT_DESCRIPTION at position %d", ErrMismatch, m.cur.Name, off)
		}
		n := event.FormatDescriptionBodyLen(body)
		if n < len(body) && event.ChecksumAlg(body[n-1]) == event.ChecksumCRC32 {
			if err := verifyCRC(raw); err != nil {
				return m.posErr(h, err)
			}
		}
		fd := new(event.FormatDescription)
		if err := fd.DecodeBody(nil, h.Type, body[:n]); err != nil {
			return m.posErr(h, err)
		}
		m.fd = fd.Clone()
		m.cur.ServerID = h.ServerID
		// The server's current file carries the in-use flag, which a server
		// clears in what it sends: set it as on the server while the file is
		// open; a clean close clears it again.
		raw = bytes.Clone(raw)
		raw[17] |= byte(event.FlagBinlogInUse)
		m.fdeRaw = raw
	} else {
		if m.fd == nil {
			return fmt.Errorf("%w: %s: a %s event before the file's FORMAT_DESCRIPTION", ErrMismatch, m.cur.Name, h.Type)
		}
		if m.fd.ChecksumAlg == event.ChecksumCRC32 {
			if len(body) < event.ChecksumLen {
				return m.posErr(h, fmt.Errorf("%w: no room for the checksum", binlog.ErrCorrupt))
			}
			if err := verifyCRC(raw); err != nil {
				return m.posErr(h, err)
			}
			body = body[:len(body)-event.ChecksumLen]
		}
	}
	if _, err := m.pf.w.Write(raw); err != nil {
		return err
	}
	if m.pf.aw != nil {
		if m.recent == nil {
			m.recent = make(map[uint64]uint32)
		}
		m.recent[off] = crc32.ChecksumIEEE(raw)
	}
	m.cur.Size += uint64(len(raw))
	m.cur.Events++
	if m.stats.LastFile != m.cur.Name {
		m.stats.Files++
		m.stats.LastFile = m.cur.Name
		if m.stats.FirstFile == "" {
			m.stats.FirstFile = m.cur.Name
		}
	}
	m.stats.Events++
	m.stats.Bytes += uint64(len(raw))
	t := time.Unix(int64(h.Timestamp), 0).UTC()
	if m.cur.FirstTime.IsZero() {
		m.cur.FirstTime = t
	}
	m.cur.LastTime = t
	m.stats.LastEvent = t
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
		m.log.Debug("backup: rotate", "next", name)
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
func (m *Mirror) track(h event.Header, body []byte) (bool, error) {
	switch h.Type {
	case event.MariaGTIDEvent, event.GTIDEvent, event.GTIDTaggedEvent:
		b, err := m.dec.Decode(m.fd, h.Type, body)
		if err != nil {
			return false, err
		}
		gtid, hasGTID := binlog.GTIDFromEvent(b, h.ServerID)
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
	case event.PreviousGTIDsEvent, event.MariaGTIDListEvent:
		b, err := m.dec.Decode(m.fd, h.Type, body)
		if err != nil {
			return false, err
		}
		var s binlog.GTIDSet
		switch b := b.(type) {
		case *event.PreviousGTIDs:
			err = s.AddPreviousGTIDs(b)
		case *event.MariaGTIDList:
			err = s.AddMariaGTIDList(b)
		}
		if err == nil && !s.IsEmpty() {
			m.cur.PreviousGTIDs = s.String()
		}
		return m.tx == txNone, nil
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
func (m *Mirror) atBoundary() error {
	if err := m.pf.bw.Flush(); err != nil {
		return err
	}
	if m.opts.Fsync {
		if err := m.pf.f.Sync(); err != nil {
			return err
		}
	}
	m.boundary = snapshot{size: m.cur.Size, entry: *m.cur}
	clear(m.recent)
	return nil
}

// skipKnown handles an event the archive holds already (the server re-sends
// what follows its resume point): it must equal the stored bytes. Events of
// a completed file are skipped without reading it back; those of an
// encrypted file being written are compared by CRC32 with what was written
// since the last transaction boundary, and by position before it.
func (m *Mirror) skipKnown(h event.Header, raw []byte, start uint64) error {
	if m.pf == nil {
		return nil
	}
	if start+uint64(len(raw)) > m.cur.Size {
		return fmt.Errorf("%w: %s: a %s event at %d overlaps the end of the archive's copy at %d", ErrMismatch, m.cur.Name, h.Type, start, m.cur.Size)
	}
	differs := fmt.Errorf("%w: %s: the server's %s event at %d differs from the archive's", ErrMismatch, m.cur.Name, h.Type, start)
	if m.pf.aw != nil {
		if h.Type == event.FormatDescriptionEvent {
			raw = bytes.Clone(raw)
			raw[17] = m.fdeRaw[17]
		}
		if sum, ok := m.recent[start]; ok && sum != crc32.ChecksumIEEE(raw) {
			return differs
		}
		return nil
	}
	if err := m.pf.bw.Flush(); err != nil {
		return err
	}
	have := make([]byte, len(raw))
	if _, err := m.pf.f.ReadAt(have, int64(start)); err != nil {
		return err
	}
	if h.Type == event.FormatDescriptionEvent {
		have[17] = raw[17] // the in-use flag
	}
	if !bytes.Equal(have, raw) {
		return differs
	}
	return nil
}

// decodeRotate returns a ROTATE's next file and position. An artificial
// ROTATE may come without a checksum in a checksummed stream.
func (m *Mirror) decodeRotate(raw []byte, artificial bool) (string, uint64, error) {
	body := raw[event.HeaderLen:]
	switch {
	case artificial:
		// Sent before any FORMAT_DESCRIPTION: a valid CRC tells it has one.
		if len(body) > 8+event.ChecksumLen && verifyCRC(raw) == nil {
			body = body[:len(body)-event.ChecksumLen]
		}
	case m.fd != nil && m.fd.ChecksumAlg == event.ChecksumCRC32:
		body = body[:len(body)-event.ChecksumLen] // verified by Write
	}
	if len(body) < 9 {
		return "", 0, fmt.Errorf("%w: ROTATE body of %d bytes", binlog.ErrCorrupt, len(body))
	}
	pos := binary.LittleEndian.Uint64(body)
	name := string(body[8:])
	if !validName(name) {
		return "", 0, fmt.Errorf("%w: ROTATE names the file %q", binlog.ErrCorrupt, name)
	}
	return name, pos, nil
}

// switchTo handles an artificial ROTATE: the stream continues in name at pos.
func (m *Mirror) switchTo(name string, pos uint64) error {
	m.replay = ""
	if m.cur != nil && m.cur.Name == name {
		if m.again {
			// The encrypted partial file not read back: the server sends
			// the file again from its start.
			if pos != event.MagicLen {
				return fmt.Errorf("%w: the server resumes %s at %d; the archive copies it again from 4", ErrMismatch, name, pos)
			}
			m.again = false
			*m.cur = Entry{Name: name, Stored: m.cur.Stored, Size: event.MagicLen}
			m.fd, m.fdeRaw = nil, nil
			m.boundary = snapshot{size: event.MagicLen, entry: *m.cur}
			if err := m.newPartial(); err != nil {
				return err
			}
			return m.writeIndex()
		}
		// The dump resumes in the current file (a reconnect). Events the
		// archive holds already may come again (the server resumes at the
		// last transaction boundary accepted, or at the file's start for a
		// GTID resume): Write checks them and skips them.
		if pos > m.cur.Size {
			return fmt.Errorf("%w: the server resumes %s at %d, after the %d bytes received", ErrMismatch, name, pos, m.cur.Size)
		}
		return nil
	}
	for i := range m.entries {
		if m.entries[i].Name == name && m.entries[i].Deleted == nil {
			// A resume (by GTID) that starts in a file the archive
			// completed already: its events are skipped up to the next file.
			if pos > m.entries[i].Size {
				return fmt.Errorf("%w: the server resumes %s at %d, after its end at %d in the archive", ErrMismatch, name, pos, m.entries[i].Size)
			}
			m.replay = name
			return nil
		}
	}
	var gap *Gap
	if m.again {
		return fmt.Errorf("%w: the server moves on from %s to %s, but the archive's encrypted partial copy of %s was not read back (give the identities to finish it)", ErrMismatch, m.cur.Name, name, m.cur.Name)
	}
	if m.cur != nil {
		if m.gap != nil {
			gap, m.gap = m.gap, nil
			gap.Time = m.now().UTC()
			if m.pf != nil && gap.After == m.cur.Name {
				// Only whole transactions are kept (cutToBoundary).
				gap.Pos = m.boundary.size
				gap.Missing = describeMissing(m.cur.Name, gap.Pos, name)
			}
		} else if CompareNames(name, m.cur.Name) < 0 {
			return fmt.Errorf("%w: the server's stream goes back from %s to %s (were its binlogs reset?)", ErrMismatch, m.cur.Name, name)
		} else if want := nextBinlogName(m.cur.Name); want != "" && name != want {
			return fmt.Errorf("%w: the server's stream jumps from %s to %s: %s and what follows it are missing", ErrMismatch, m.cur.Name, name, want)
		}
	}
	if m.pf != nil {
		// The previous file ended without ROTATE or STOP: the server
		// crashed, or the rest of it was purged (a gap). MariaDB's copy
		// keeps the in-use flag; MySQL's crash recovery, which ran before
		// the restarted server could send this ROTATE, clears it in the
		// file (and trims a torn tail, which a dump never sends).
		mysql := m.fd != nil && m.fd.Flavor() == event.MySQL
		if gap == nil {
			m.log.Info("backup: file ended without ROTATE (server restart)", "file", m.cur.Name, "size", m.cur.Size, "in_use_cleared", mysql)
		}
		if mysql {
			m.ended = true // complete clears the flag
		}
		if gap != nil {
			// Only whole transactions: cut what a gap left unfinished.
			if err := m.cutToBoundary(); err != nil {
				return err
			}
		}
		if err := m.complete(); err != nil {
			return err
		}
	}
	if pos != event.MagicLen {
		return fmt.Errorf("%w: the server starts %s at position %d; an archive copies files from their start (4)", ErrMismatch, name, pos)
	}
	m.entries = append(m.entries, Entry{Name: name, Size: event.MagicLen, Gap: gap})
	m.cur = &m.entries[len(m.entries)-1]
	m.fd, m.fdeRaw, m.tx, m.ended, m.again = nil, nil, txNone, false, false
	m.boundary = snapshot{size: event.MagicLen, entry: *m.cur}
	m.stats.FilesStarted++
	if err := m.newPartial(); err != nil {
		return err
	}
	m.boundary.entry = *m.cur
	return m.writeIndex()
}

// cutToBoundary drops what follows the last transaction boundary of the
// current file (a plain partial file is truncated; an encrypted one keeps
// its bytes, the entry's size says where the copy ends).
func (m *Mirror) cutToBoundary() error {
	if m.cur.Size == m.boundary.size {
		return nil
	}
	if m.pf.aw != nil {
		return fmt.Errorf("%w: %s ends inside a transaction and is encrypted: it cannot be cut back", ErrMismatch, m.cur.Name)
	}
	if err := m.pf.bw.Flush(); err != nil {
		return err
	}
	if err := m.pf.f.Truncate(int64(m.boundary.size)); err != nil {
		return err
	}
	if _, err := m.pf.f.Seek(int64(m.boundary.size), io.SeekStart); err != nil {
		return err
	}
	*m.cur = m.boundary.entry
	return nil
}

// checkResentFDE compares the FORMAT_DESCRIPTION a server sends when a dump
// starts inside a file with the stored one. The server zeroes log_pos and
// sometimes the creation time, and clears the in-use flag; anything else that
// differs means the server's file is not the one in the archive.
func (m *Mirror) checkResentFDE(raw []byte) error {
	if m.fdeRaw == nil && m.pf == nil {
		return nil // a completed file: resent FDE not checked
	}
	if m.fdeRaw == nil {
		return fmt.Errorf("%w: %s: the stored file has no FORMAT_DESCRIPTION", ErrMismatch, m.cur.Name)
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
		return fmt.Errorf("%w: the server's FORMAT_DESCRIPTION of %s differs from the stored one (was the server's binlog reset?)", ErrMismatch, m.cur.Name)
	}
	return nil
}

// complete ends the current file: the in-use flag is cleared when the
// server closed the file cleanly, the file is stored (renamed from .partial,
// compressed, encrypted), its SHA-256 recorded, the index rewritten and
// retention applied.
func (m *Mirror) complete() error {
	if m.pf == nil {
		return nil
	}
	var patch []byte
	if m.ended && m.fdeRaw != nil && m.fdeRaw[17]&byte(event.FlagBinlogInUse) != 0 {
		m.fdeRaw[17] &^= byte(event.FlagBinlogInUse)
		patch = m.fdeRaw[17:18]
	}
	pf := m.pf
	m.pf = nil
	clear(m.recent)
	if pf.aw != nil {
		if err := pf.aw.Close(); err != nil {
			pf.f.Close()
			return err
		}
	}
	if err := pf.bw.Flush(); err != nil {
		pf.f.Close()
		return err
	}
	if pf.aw == nil && patch != nil {
		if _, err := pf.f.WriteAt(patch, event.MagicLen+17); err != nil {
			pf.f.Close()
			return err
		}
		patch = nil
	}
	if m.opts.Fsync {
		if err := pf.f.Sync(); err != nil {
			pf.f.Close()
			return err
		}
	}
	if err := pf.f.Close(); err != nil {
		return err
	}
	m.cur.Complete = true
	m.cur.Completed = m.now().UTC()
	if pf.aw == nil && m.opts.Compression == None && len(m.opts.Recipients) == 0 {
		from := filepath.Join(m.dir, m.cur.Stored)
		if err := os.Rename(from, filepath.Join(m.dir, m.cur.Name)); err != nil {
			return err
		}
		m.cur.Stored = m.cur.Name
		if m.opts.Fsync {
			if err := syncDir(m.dir); err != nil {
				return err
			}
		}
		if err := m.hashStored(m.cur); err != nil {
			return err
		}
	} else if err := m.storeCompleted(m.cur, pf.ephemeral, patch...); err != nil {
		return err
	}
	m.stats.FilesCompleted++
	m.stats.LastCompleted = m.cur.Completed
	m.log.Info("backup: file complete", "file", m.cur.Name, "size", m.cur.Size, "stored", m.cur.Stored, "stored_size", m.cur.StoredSize)
	if err := m.writeIndex(); err != nil {
		return err
	}
	return m.applyRetention()
}

// storeCompleted stores the completed file e, read from its current stored
// file (decrypted with ephemeral when it is the encrypted partial), as the
// options say, and removes the old stored file. patch, if any, is the
// FORMAT_DESCRIPTION's flags byte to write.
func (m *Mirror) storeCompleted(e *Entry, ephemeral *age.X25519Identity, patch ...byte) error {
	from := filepath.Join(m.dir, e.Stored)
	ids := m.opts.Identities
	if ephemeral != nil {
		ids = []age.Identity{ephemeral}
	}
	plain, closer, err := openPlain(from, ids)
	if err != nil {
		return err
	}
	var pb []byte
	if len(patch) > 0 {
		pb = patch
	}
	src := io.LimitReader(plain, int64(e.Size))
	st, err := storeFile(m.dir, e.Name, src, storeOptions{comp: m.opts.Compression, recipients: m.opts.Recipients, fsync: m.opts.Fsync}, event.MagicLen+17, pb)
	closer.Close()
	if err != nil {
		return err
	}
	if uint64(st.plainSize) != e.Size {
		os.Remove(filepath.Join(m.dir, st.name))
		return fmt.Errorf("backup: %s: %d bytes stored, the file has %d", from, st.plainSize, e.Size)
	}
	old := e.Stored
	e.Stored, e.Compression, e.Encrypted = st.name, st.compressed, st.encrypted
	e.SHA256, e.StoredSize, e.StoredSHA256 = st.plainSum, st.size, st.sum
	if m.opts.Fsync {
		if err := syncDir(m.dir); err != nil {
			return err
		}
	}
	if err := m.writeIndex(); err != nil {
		return err
	}
	if old != st.name {
		return os.Remove(from)
	}
	return nil
}

// hashStored records the SHA-256 and size of a plain stored file.
func (m *Mirror) hashStored(e *Entry) error {
	f, err := os.Open(filepath.Join(m.dir, e.Stored))
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return err
	}
	e.SHA256 = hex.EncodeToString(h.Sum(nil))
	e.StoredSize, e.StoredSHA256 = n, e.SHA256
	if uint64(n) != e.Size {
		return fmt.Errorf("backup: %s holds %d bytes, the index says %d", filepath.Join(m.dir, e.Stored), n, e.Size)
	}
	return nil
}

// writeIndex rewrites the index file.
func (m *Mirror) writeIndex() error {
	return writeIndex(m.dir, m.entries, m.opts.Fsync)
}

// Flush writes buffered bytes and the index: a checkpoint of the file being
// written (an encrypted file reaches the disk in age's 64 KiB chunks).
func (m *Mirror) Flush() error {
	if m.pf != nil {
		if err := m.pf.bw.Flush(); err != nil {
			return err
		}
	}
	return m.writeIndex()
}

// Close flushes and closes the current file, which stays .partial (up to
// its last transaction boundary, where the next OpenMirror resumes), and
// releases the lock.
func (m *Mirror) Close() error {
	var err error
	if m.pf != nil {
		if m.pf.aw != nil {
			// Ends the age stream: the file is a whole age file (readable
			// by age -d), resumed later with an identity or copied again.
			err = m.pf.aw.Close()
		}
		if ferr := m.pf.bw.Flush(); err == nil {
			err = ferr
		}
		if m.opts.Fsync && err == nil {
			err = m.pf.f.Sync()
		}
		if fi, serr := m.pf.f.Stat(); serr == nil && err == nil && m.cur != nil {
			// Recorded so that Verify knows the file is as closed here.
			m.cur.StoredSize = fi.Size()
		}
		if cerr := m.pf.f.Close(); err == nil {
			err = cerr
		}
		m.pf = nil
	}
	if ierr := m.writeIndex(); err == nil {
		err = ierr
	}
	if uerr := m.lock.Unlock(); err == nil {
		err = uerr
	}
	return err
}

func (m *Mirror) posErr(h event.Header, err error) error {
	return &binlog.Error{File: m.cur.Name, Offset: m.cur.Size, Type: h.Type, HasType: true, PayloadOffset: -1, Err: err}
}

// verifyCRC checks an event's CRC32 (its last four bytes).
func verifyCRC(raw []byte) error {
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
