package event

import (
	"iter"
	"strconv"

	"github.com/binlogkit/binlogkit/internal/bin"
)

// MariaDB GTID_EVENT flags (the flags2 byte).
const (
	MariaGTIDStandalone    uint8 = 1   // FL_STANDALONE: no terminating COMMIT/XID follows
	MariaGTIDGroupCommitID uint8 = 2   // FL_GROUP_COMMIT_ID: CommitID is present
	MariaGTIDTransactional uint8 = 4   // FL_TRANSACTIONAL
	MariaGTIDAllowParallel uint8 = 8   // FL_ALLOW_PARALLEL
	MariaGTIDWaited        uint8 = 16  // FL_WAITED: a row lock wait happened
	MariaGTIDDDL           uint8 = 32  // FL_DDL
	MariaGTIDPreparedXA    uint8 = 64  // FL_PREPARED_XA: XA PREPARE group, XID present
	MariaGTIDCompletedXA   uint8 = 128 // FL_COMPLETED_XA: XA COMMIT/ROLLBACK group, XID present
)

// MariaDB GTID_EVENT extra flags (the flags_extra byte, MariaDB 10.5+).
const (
	MariaGTIDExtraMultiEngine   uint8 = 1  // FL_EXTRA_MULTI_ENGINE: ExtraEngines is present
	MariaGTIDExtraStartAlter    uint8 = 2  // FL_START_ALTER
	MariaGTIDExtraCommitAlter   uint8 = 4  // FL_COMMIT_ALTER: StartAlterSeqNo is present
	MariaGTIDExtraRollbackAlter uint8 = 8  // FL_ROLLBACK_ALTER: StartAlterSeqNo is present
	MariaGTIDExtraThreadID      uint8 = 16 // FL_EXTRA_THREAD_ID (11.5+): ThreadID is present
)

const mariaGTIDHeaderLen = 19

// MariaGTID is the MariaDB GTID_EVENT (162) body, which opens every event
// group. The GTID is Domain-ServerID-SeqNo, ServerID coming from the common
// header (see Text). Layout: seq_no 8, domain_id 4, flags2 1, then commit_id 8
// when MariaGTIDGroupCommitID is set, the XA XID when an XA flag is set, and
// (10.5+) a flags_extra byte with the fields it announces; the body is zero
// padded to the post-header length (19).
//
// XIDGtrid, XIDBqual and Padding alias the decoded bytes.
type MariaGTID struct {
	SeqNo    uint64
	Domain   uint32
	Flags    uint8 // MariaGTIDStandalone, …
	CommitID uint64

	// XA transaction id, present with MariaGTIDPreparedXA or MariaGTIDCompletedXA.
	XIDFormatID uint32
	XIDGtrid    []byte // at most 64 bytes
	XIDBqual    []byte // at most 64 bytes

	// FlagsExtra is the flags_extra byte (MariaGTIDExtra…); 0 when absent.
	FlagsExtra      uint8
	ExtraEngines    uint8  // with MariaGTIDExtraMultiEngine
	StartAlterSeqNo uint64 // with MariaGTIDExtraCommitAlter or MariaGTIDExtraRollbackAlter
	ThreadID        uint32 // with MariaGTIDExtraThreadID

	// Padding is what follows the last field: normally the zero bytes that
	// pad the body to its post-header length. The encoder writes it back and
	// then pads with zeros up to the post-header length if still short.
	Padding []byte
}

func init() {
	register(func() Body { return new(MariaGTID) }, MariaGTIDEvent)
	register(func() Body { return new(MariaGTIDList) }, MariaGTIDListEvent)
	register(func() Body { return new(MariaBinlogCheckpoint) }, MariaBinlogCheckpointEvent)
	register(func() Body { return new(MariaAnnotateRows) }, MariaAnnotateRowsEvent)
	register(func() Body { return new(MariaStartEncryption) }, MariaStartEncryptionEvent)
}

// EventType returns MariaGTIDEvent.
func (*MariaGTID) EventType() Type { return MariaGTIDEvent }

// Standalone reports FL_STANDALONE: the group is one statement (DDL, …)
// with no terminating COMMIT or XID event.
func (g *MariaGTID) Standalone() bool { return g.Flags&MariaGTIDStandalone != 0 }

// HasXID reports whether the body carries an XA XID.
func (g *MariaGTID) HasXID() bool { return g.Flags&(MariaGTIDPreparedXA|MariaGTIDCompletedXA) != 0 }

// AppendText appends the GTID as MariaDB prints it, "domain-server-seq", with
// serverID taken from the event's common header.
func (g *MariaGTID) AppendText(dst []byte, serverID uint32) []byte {
	return AppendMariaGTID(dst, g.Domain, serverID, g.SeqNo)
}

// Text returns AppendText as a string.
func (g *MariaGTID) Text(serverID uint32) string {
	var buf [48]byte
	return string(g.AppendText(buf[:0], serverID))
}

// AppendMariaGTID appends "domain-server-seq".
func AppendMariaGTID(dst []byte, domain, serverID uint32, seq uint64) []byte {
	dst = strconv.AppendUint(dst, uint64(domain), 10)
	dst = append(dst, '-')
	dst = strconv.AppendUint(dst, uint64(serverID), 10)
	dst = append(dst, '-')
	return strconv.AppendUint(dst, seq, 10)
}

// DecodeBody decodes the body.
func (g *MariaGTID) DecodeBody(f *FormatDescription, _ Type, b []byte) error {
	*g = MariaGTID{}
	const t = MariaGTIDEvent
	ph := mariaGTIDHeaderLen
	if f != nil {
		ph = f.PostHeaderLen(t, mariaGTIDHeaderLen)
	}
	if ph < mariaGTIDHeaderLen || len(b) < ph {
		return corruptf("%v: body of %d bytes with post-header %d, want at least %d", t, len(b), ph, mariaGTIDHeaderLen)
	}
	r := bin.NewReader(b)
	g.SeqNo = r.U64()
	g.Domain = r.U32()
	g.Flags = r.U8()
	if g.Flags&MariaGTIDGroupCommitID != 0 {
		g.CommitID = r.U64()
	}
	if g.HasXID() {
		g.XIDFormatID = r.U32()
		gl, bl := int(r.U8()), int(r.U8())
		if r.Err() == nil && (gl > 64 || bl > 64) {
			return corruptf("%v: XID lengths %d+%d over 64", t, gl, bl)
		}
		g.XIDGtrid = r.Bytes(gl)
		g.XIDBqual = r.Bytes(bl)
	}
	if r.Err() != nil {
		return corruptf("%v: fields cut short (body of %d bytes)", t, len(b))
	}
	if r.Len() > 0 && r.B[r.Off] != 0 {
		g.FlagsExtra = r.U8()
		if g.FlagsExtra&MariaGTIDExtraMultiEngine != 0 {
			g.ExtraEngines = r.U8()
		}
		if g.FlagsExtra&(MariaGTIDExtraCommitAlter|MariaGTIDExtraRollbackAlter) != 0 {
			g.StartAlterSeqNo = r.U64()
		}
		if g.FlagsExtra&MariaGTIDExtraThreadID != 0 {
			g.ThreadID = r.U32()
		}
		if r.Err() != nil {
			return corruptf("%v: extra fields cut short (flags_extra %#x)", t, g.FlagsExtra)
		}
	}
	if r.Len() > 0 {
		g.Padding = r.Rest()
	}
	return nil
}

// AppendBody appends the encoded body.
func (g *MariaGTID) AppendBody(dst []byte, f *FormatDescription) ([]byte, error) {
	const t = MariaGTIDEvent
	start := len(dst)
	dst = bin.AppendU64(dst, g.SeqNo)
	dst = bin.AppendU32(dst, g.Domain)
	dst = append(dst, g.Flags)
	if g.Flags&MariaGTIDGroupCommitID != 0 {
		dst = bin.AppendU64(dst, g.CommitID)
	}
	if g.HasXID() {
		if len(g.XIDGtrid) > 64 || len(g.XIDBqual) > 64 {
			return dst[:start], corruptf("%v: XID parts of %d and %d bytes, at most 64", t, len(g.XIDGtrid), len(g.XIDBqual))
		}
		dst = bin.AppendU32(dst, g.XIDFormatID)
		dst = append(dst, byte(len(g.XIDGtrid)), byte(len(g.XIDBqual)))
		dst = append(dst, g.XIDGtrid...)
		dst = append(dst, g.XIDBqual...)
	}
	if g.FlagsExtra != 0 {
		dst = append(dst, g.FlagsExtra)
		if g.FlagsExtra&MariaGTIDExtraMultiEngine != 0 {
			dst = append(dst, g.ExtraEngines)
		}
		if g.FlagsExtra&(MariaGTIDExtraCommitAlter|MariaGTIDExtraRollbackAlter) != 0 {
			dst = bin.AppendU64(dst, g.StartAlterSeqNo)
		}
		if g.FlagsExtra&MariaGTIDExtraThreadID != 0 {
			dst = bin.AppendU32(dst, g.ThreadID)
		}
	} else if len(g.Padding) > 0 && g.Padding[0] != 0 {
		return dst[:start], corruptf("%v: padding must start with a zero byte when FlagsExtra is 0", t)
	}
	dst = append(dst, g.Padding...)
	ph := mariaGTIDHeaderLen
	if f != nil {
		ph = max(f.PostHeaderLen(t, mariaGTIDHeaderLen), mariaGTIDHeaderLen)
	}
	for len(dst)-start < ph {
		dst = append(dst, 0)
	}
	return dst, nil
}

// MariaGTIDList is the MariaDB GTID_LIST_EVENT (163) body: the binlog state
// (last GTID per domain and server) at the start of a file, or an artificial
// one on resume. Data (the 16-byte entries) aliases the decoded bytes; use
// Len/At or All, which do not allocate.
type MariaGTIDList struct {
	// Flags are the top 4 bits of the count word (FLAG_UNTIL_REACHED = 1,
	// FLAG_IGN_GTIDS = 2, shifted down).
	Flags uint8
	// Data holds the entries: domain 4, server 4, seq_no 8 each.
	Data []byte
	// Padding holds bytes after the entries (MariaDB 10.5 writes two zero
	// bytes after an empty list); they are written back as they are.
	Padding []byte
}

// EventType returns MariaGTIDListEvent.
func (*MariaGTIDList) EventType() Type { return MariaGTIDListEvent }

// Len returns the number of GTIDs.
func (l *MariaGTIDList) Len() int { return len(l.Data) / 16 }

// At returns the i-th GTID.
func (l *MariaGTIDList) At(i int) (domain, serverID uint32, seq uint64) {
	e := l.Data[i*16 : i*16+16]
	return uint32(bin.Uint(e[0:4])), uint32(bin.Uint(e[4:8])), bin.Uint(e[8:16])
}

// MariaGTIDEntry is one GTID of a GTID_LIST.
type MariaGTIDEntry struct {
	Domain   uint32
	ServerID uint32
	SeqNo    uint64
}

// All returns a single-use iterator over the GTIDs in body order.
func (l *MariaGTIDList) All() iter.Seq[MariaGTIDEntry] {
	return func(yield func(MariaGTIDEntry) bool) {
		for i := 0; i < l.Len(); i++ {
			d, s, q := l.At(i)
			if !yield(MariaGTIDEntry{d, s, q}) {
				return
			}
		}
	}
}

// AppendText appends the list as "d-s-n,d-s-n" (empty for an empty list).
func (l *MariaGTIDList) AppendText(dst []byte) []byte {
	for i := 0; i < l.Len(); i++ {
		if i > 0 {
			dst = append(dst, ',')
		}
		d, s, q := l.At(i)
		dst = AppendMariaGTID(dst, d, s, q)
	}
	return dst
}

// DecodeBody decodes the body.
func (l *MariaGTIDList) DecodeBody(f *FormatDescription, _ Type, b []byte) error {
	*l = MariaGTIDList{}
	const t = MariaGTIDListEvent
	if len(b) < 4 {
		return short(t.String())
	}
	v := uint32(bin.Uint(b[:4]))
	n := uint64(v & (1<<28 - 1))
	l.Flags = uint8(v >> 28)
	if uint64(len(b)-4) < n*16 {
		return corruptf("%v: %d GTIDs need %d bytes, body has %d", t, n, n*16, len(b)-4)
	}
	end := 4 + int(n)*16
	l.Data = b[4:end:end]
	if end < len(b) {
		l.Padding = b[end:len(b):len(b)]
	}
	return nil
}

// AppendBody appends the encoded body.
func (l *MariaGTIDList) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	n := len(l.Data) / 16
	if len(l.Data)%16 != 0 || n >= 1<<28 || l.Flags > 15 {
		return dst, corruptf("%v: %d bytes of entries, flags %d", MariaGTIDListEvent, len(l.Data), l.Flags)
	}
	dst = bin.AppendU32(dst, uint32(n)|uint32(l.Flags)<<28)
	dst = append(dst, l.Data...)
	return append(dst, l.Padding...), nil
}

// AppendMariaGTIDEntry appends one GTID_LIST entry to data, for building
// MariaGTIDList.Data.
func AppendMariaGTIDEntry(data []byte, domain, serverID uint32, seq uint64) []byte {
	data = bin.AppendU32(data, domain)
	data = bin.AppendU32(data, serverID)
	return bin.AppendU64(data, seq)
}

// MariaBinlogCheckpoint is the MariaDB BINLOG_CHECKPOINT_EVENT (161) body:
// the oldest binlog file still needed for crash recovery. File aliases the
// decoded bytes.
type MariaBinlogCheckpoint struct {
	File []byte
}

// EventType returns MariaBinlogCheckpointEvent.
func (*MariaBinlogCheckpoint) EventType() Type { return MariaBinlogCheckpointEvent }

// DecodeBody decodes the body: a 4-byte length and the file name.
func (c *MariaBinlogCheckpoint) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*c = MariaBinlogCheckpoint{}
	const t = MariaBinlogCheckpointEvent
	if len(b) < 4 {
		return short(t.String())
	}
	n := bin.Uint(b[:4])
	if n != uint64(len(b)-4) {
		return corruptf("%v: name of %d bytes in %d", t, n, len(b)-4)
	}
	c.File = b[4:len(b):len(b)]
	return nil
}

// AppendBody appends the encoded body.
func (c *MariaBinlogCheckpoint) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	dst = bin.AppendU32(dst, uint32(len(c.File)))
	return append(dst, c.File...), nil
}

// MariaAnnotateRows is the MariaDB ANNOTATE_ROWS_EVENT (160) body: the
// statement text behind the rows events that follow, as bytes in the
// client's character set. Query aliases the decoded bytes.
type MariaAnnotateRows struct {
	Query []byte
}

// EventType returns MariaAnnotateRowsEvent.
func (*MariaAnnotateRows) EventType() Type { return MariaAnnotateRowsEvent }

// DecodeBody keeps the whole body as Query.
func (a *MariaAnnotateRows) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	a.Query = b[:len(b):len(b)]
	return nil
}

// AppendBody appends Query.
func (a *MariaAnnotateRows) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	return append(dst, a.Query...), nil
}

// MariaStartEncryption is the MariaDB START_ENCRYPTION_EVENT (164) body,
// written after the FORMAT_DESCRIPTION of an encrypted binlog file: the
// events after it are encrypted on disk.
type MariaStartEncryption struct {
	Scheme     uint8
	KeyVersion uint32
	Nonce      [12]byte
}

// EventType returns MariaStartEncryptionEvent.
func (*MariaStartEncryption) EventType() Type { return MariaStartEncryptionEvent }

// DecodeBody decodes the 17-byte body.
func (s *MariaStartEncryption) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*s = MariaStartEncryption{}
	if len(b) != 17 {
		return corruptf("%v: body of %d bytes, want 17", MariaStartEncryptionEvent, len(b))
	}
	s.Scheme = b[0]
	s.KeyVersion = uint32(bin.Uint(b[1:5]))
	copy(s.Nonce[:], b[5:])
	return nil
}

// AppendBody appends the encoded body.
func (s *MariaStartEncryption) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	dst = append(dst, s.Scheme)
	dst = bin.AppendU32(dst, s.KeyVersion)
	return append(dst, s.Nonce[:]...), nil
}
