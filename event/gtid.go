package event

import (
	"iter"
	"strconv"

	"github.com/binlogkit/binlogkit/internal/bin"
)

// GTID flag bits (the first byte of a MySQL GTID body).
const (
	// GTIDFlagMayHaveSBR is set when the transaction may contain statements
	// logged in statement format (always set by 5.6, 5.7.0–5.7.18, 8.0.0–8.0.1).
	GTIDFlagMayHaveSBR uint8 = 1
)

// LogicalClockTypecode is the only logical-clock typecode servers from 5.7.5
// on write before last_committed and sequence_number.
const LogicalClockTypecode = 2

// GTID is the body of MySQL's GTID_LOG_EVENT (33), ANONYMOUS_GTID_LOG_EVENT
// (34) and GTID_TAGGED_LOG_EVENT (42, MySQL 8.3+); Type tells which.
//
// The untagged forms have three lengths: 5.6 writes only flags, SID and GNO
// (25 bytes); 5.7 adds the logical clock (42 bytes); 8.0 adds the commit
// timestamps, the transaction length, the server versions and, on newer
// 8.0 servers running group replication, a commit group ticket. The Has… fields record which
// of these nested parts were present, so that a decoded body encodes back to
// the same bytes; each part implies the ones before it.
//
// The tagged form is a message of MySQL's serialization framework (field ids
// and variable-length integers); all of its fields are present except the
// original commit timestamp, the original server version and the commit group
// ticket, which are written only when they differ from the immediate values
// (respectively from zero). The Has… part fields are ignored for it.
//
// Tag and Extra alias the decoded bytes.
type GTID struct {
	// Type is GTIDEvent, AnonymousGTIDEvent or GTIDTaggedEvent.
	Type  Type
	Flags uint8 // GTIDFlagMayHaveSBR
	// SID is the source UUID (all zero for an anonymous GTID).
	SID [16]byte
	// GNO is the transaction number (0 for an anonymous GTID).
	GNO int64
	// Tag is the GTID tag of a GTID_TAGGED_LOG_EVENT, lower case; empty for
	// the untagged forms (and for a tagged event of an untagged GTID).
	Tag []byte

	// HasLogicalClock reports the 5.7 part: typecode, last_committed and
	// sequence_number.
	HasLogicalClock bool
	// LogicalClockType is the typecode before the logical clock; servers
	// write LogicalClockTypecode (2). Bodies with another typecode (5.7.4 and
	// older) keep everything after it in Extra.
	LogicalClockType uint8
	LastCommitted    int64
	SequenceNumber   int64

	// HasCommitTimestamps reports the 8.0 commit timestamps (microseconds
	// since the epoch, 55 bits on the wire in the untagged form).
	HasCommitTimestamps      bool
	ImmediateCommitTimestamp uint64
	// OriginalCommitTimestamp equals ImmediateCommitTimestamp when the body
	// does not carry it separately.
	OriginalCommitTimestamp uint64
	// HasOriginalCommitTimestamp reports that the original commit timestamp
	// was written separately; the encoder also writes it whenever it differs
	// from the immediate one.
	HasOriginalCommitTimestamp bool

	// HasTransactionLength reports the transaction length (the whole
	// transaction's size in bytes, this event included).
	HasTransactionLength bool
	TransactionLength    uint64

	// HasServerVersions reports the server versions (e.g. 80032 for 8.0.32;
	// 31 bits on the wire in the untagged form).
	HasServerVersions      bool
	ImmediateServerVersion uint32
	// OriginalServerVersion equals ImmediateServerVersion when the body does
	// not carry it separately.
	OriginalServerVersion uint32
	// HasOriginalServerVersion reports that the original server version was
	// written separately; the encoder also writes it whenever it differs from
	// the immediate one.
	HasOriginalServerVersion bool

	// HasCommitGroupTicket reports the group-replication commit group ticket.
	// In the tagged form the encoder also writes a nonzero ticket.
	HasCommitGroupTicket bool
	CommitGroupTicket    uint64

	// Extra holds bytes this package does not interpret: for the untagged
	// forms, what follows the last part read (or the logical clock of an
	// unknown typecode); for the tagged form, fields of a newer server inside
	// the message. They are written back as they are.
	Extra []byte
}

func init() {
	register(func() Body { return new(GTID) }, GTIDEvent, AnonymousGTIDEvent, GTIDTaggedEvent)
}

// EventType returns g.Type; when unset, GTIDTaggedEvent for a GTID with a
// tag and GTIDEvent otherwise.
func (g *GTID) EventType() Type {
	switch {
	case g.Type != 0:
		return g.Type
	case len(g.Tag) > 0:
		return GTIDTaggedEvent
	}
	return GTIDEvent
}

const (
	gtidTSLen      = 7
	gtidTSFlag     = uint64(1) << 55
	gtidSVFlag     = uint32(1) << 31
	gtidTaggedFmt  = 1  // serialization_format_version, the message's field id
	gtidTagMaxLen  = 32 // mysql::gtid::tag_max_length
	gtidFieldCount = 12 // fields defined for the tagged message
)

// DecodeBody decodes a GTID, ANONYMOUS_GTID or GTID_TAGGED body.
func (g *GTID) DecodeBody(_ *FormatDescription, t Type, b []byte) error {
	*g = GTID{Type: t}
	if t == GTIDTaggedEvent {
		return g.decodeTagged(b)
	}
	r := bin.NewReader(b)
	g.Flags = r.U8()
	copy(g.SID[:], r.Bytes(16))
	g.GNO = int64(r.U64())
	if r.Err() != nil {
		return corruptf("%v: body of %d bytes, want at least 25", t, len(b))
	}
	if r.Len() == 0 {
		return nil
	}
	g.HasLogicalClock = true
	g.LogicalClockType = r.U8()
	if g.LogicalClockType != LogicalClockTypecode {
		g.Extra = r.Rest()
		return nil
	}
	g.LastCommitted = int64(r.U64())
	g.SequenceNumber = int64(r.U64())
	if r.Err() != nil {
		return corruptf("%v: logical clock cut short (body of %d bytes)", t, len(b))
	}
	if r.Len() < gtidTSLen {
		// MySQL ignores fewer bytes than a timestamp; keep them.
		g.Extra = r.Rest()
		return nil
	}
	g.HasCommitTimestamps = true
	ts := r.Uint(gtidTSLen)
	g.ImmediateCommitTimestamp = ts &^ gtidTSFlag
	g.OriginalCommitTimestamp = g.ImmediateCommitTimestamp
	if ts&gtidTSFlag != 0 {
		g.HasOriginalCommitTimestamp = true
		g.OriginalCommitTimestamp = r.Uint(gtidTSLen)
		if r.Err() != nil {
			return corruptf("%v: original commit timestamp cut short", t)
		}
	}
	if r.Len() == 0 {
		return nil
	}
	g.HasTransactionLength = true
	n, ok := r.PackedInt()
	if !ok {
		return corruptf("%v: bad transaction length encoding", t)
	}
	g.TransactionLength = n
	if r.Len() < 4 {
		g.Extra = r.Rest()
		if len(g.Extra) == 0 {
			g.Extra = nil
		}
		return nil
	}
	g.HasServerVersions = true
	sv := r.U32()
	g.ImmediateServerVersion = sv &^ gtidSVFlag
	g.OriginalServerVersion = g.ImmediateServerVersion
	if sv&gtidSVFlag != 0 {
		g.HasOriginalServerVersion = true
		g.OriginalServerVersion = r.U32()
		if r.Err() != nil {
			return corruptf("%v: original server version cut short", t)
		}
	}
	if r.Len() >= 8 {
		g.HasCommitGroupTicket = true
		g.CommitGroupTicket = r.U64()
	}
	if r.Len() > 0 {
		g.Extra = r.Rest()
	}
	return nil
}

// AppendBody appends the encoded body: the tagged serialization for
// GTIDTaggedEvent, otherwise the fixed layout with the parts the Has… fields
// ask for (a later part implies the earlier ones).
func (g *GTID) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	if g.EventType() == GTIDTaggedEvent {
		return g.appendTagged(dst)
	}
	if len(g.Tag) != 0 {
		return dst, corruptf("%v: a tagged GTID needs GTID_TAGGED_LOG_EVENT", g.EventType())
	}
	dst = append(dst, g.Flags)
	dst = append(dst, g.SID[:]...)
	dst = bin.AppendU64(dst, uint64(g.GNO))
	level := 0
	switch {
	case g.HasCommitGroupTicket:
		level = 5
	case g.HasServerVersions:
		level = 4
	case g.HasTransactionLength:
		level = 3
	case g.HasCommitTimestamps:
		level = 2
	case g.HasLogicalClock:
		level = 1
	}
	if level == 0 {
		return append(dst, g.Extra...), nil
	}
	dst = append(dst, g.LogicalClockType)
	if g.LogicalClockType != LogicalClockTypecode {
		return append(dst, g.Extra...), nil
	}
	dst = bin.AppendU64(dst, uint64(g.LastCommitted))
	dst = bin.AppendU64(dst, uint64(g.SequenceNumber))
	if level >= 2 {
		imm := g.ImmediateCommitTimestamp &^ gtidTSFlag
		orig := g.HasOriginalCommitTimestamp || g.OriginalCommitTimestamp != g.ImmediateCommitTimestamp
		if orig {
			imm |= gtidTSFlag
		}
		dst = bin.AppendUint(dst, imm, gtidTSLen)
		if orig {
			dst = bin.AppendUint(dst, g.OriginalCommitTimestamp, gtidTSLen)
		}
	}
	if level >= 3 {
		dst = bin.AppendPackedInt(dst, g.TransactionLength)
	}
	if level >= 4 {
		imm := g.ImmediateServerVersion &^ gtidSVFlag
		orig := g.HasOriginalServerVersion || g.OriginalServerVersion != g.ImmediateServerVersion
		if orig {
			imm |= gtidSVFlag
		}
		dst = bin.AppendU32(dst, imm)
		if orig {
			dst = bin.AppendU32(dst, g.OriginalServerVersion)
		}
	}
	if level >= 5 {
		dst = bin.AppendU64(dst, g.CommitGroupTicket)
	}
	return append(dst, g.Extra...), nil
}

// gtidVarlenSize returns the size of v in the serialization framework's
// variable-length integer format: one byte per 7 bits, at most 9.
func gtidVarlenSize(v uint64) int {
	n := 0
	for x := v; x != 0; x >>= 1 {
		n++
	}
	if n == 0 {
		return 1
	}
	if n >= 57 {
		return 9
	}
	return 1 + (n-1)/7
}

// appendVarlen appends v in the serialization framework's variable-length
// format: the count of bytes minus one as trailing one bits of the first
// byte, a zero bit (except for 9 bytes), then the value, little-endian.
func appendVarlen(dst []byte, v uint64) []byte {
	n := gtidVarlenSize(v)
	if n == 9 {
		dst = append(dst, 0xff)
		return bin.AppendU64(dst, v)
	}
	first := byte(1<<(n-1)-1) | byte(v<<n)
	dst = append(dst, first)
	rest := v >> (8 - n)
	return bin.AppendUint(dst, rest, n-1)
}

// readVarlen reads one variable-length unsigned integer; ok is false when b
// ends inside it.
func readVarlen(b []byte) (v uint64, n int, ok bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	first := b[0]
	n = 1
	for first>>(n-1)&1 == 1 && n < 9 {
		n++
	}
	if n > len(b) {
		return 0, 0, false
	}
	if n == 1 {
		return uint64(first >> 1), 1, true
	}
	rest := bin.Uint(b[1:n])
	if n == 9 {
		return rest, 9, true
	}
	v = uint64(first>>n) | rest<<(8-n)
	return v, n, true
}

func zigzag(v int64) uint64   { return uint64(v<<1) ^ uint64(v>>63) }
func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// tagged reports which optional tagged fields are written.
func (g *GTID) taggedPresent(id int) bool {
	switch id {
	case 7:
		return g.HasOriginalCommitTimestamp || g.OriginalCommitTimestamp != g.ImmediateCommitTimestamp
	case 10:
		return g.HasOriginalServerVersion || g.OriginalServerVersion != g.ImmediateServerVersion
	case 11:
		return g.HasCommitGroupTicket || g.CommitGroupTicket != 0
	}
	return true
}

// appendTaggedField appends field id's value (without its id).
func (g *GTID) appendTaggedField(dst []byte, id int) []byte {
	switch id {
	case 0:
		return appendVarlen(dst, uint64(g.Flags))
	case 1:
		for _, c := range g.SID {
			dst = appendVarlen(dst, uint64(c))
		}
		return dst
	case 2:
		return appendVarlen(dst, zigzag(g.GNO))
	case 3:
		dst = appendVarlen(dst, uint64(len(g.Tag)))
		return append(dst, g.Tag...)
	case 4:
		return appendVarlen(dst, zigzag(g.LastCommitted))
	case 5:
		return appendVarlen(dst, zigzag(g.SequenceNumber))
	case 6:
		return appendVarlen(dst, g.ImmediateCommitTimestamp)
	case 7:
		return appendVarlen(dst, g.OriginalCommitTimestamp)
	case 8:
		return appendVarlen(dst, g.TransactionLength)
	case 9:
		return appendVarlen(dst, uint64(g.ImmediateServerVersion))
	case 10:
		return appendVarlen(dst, uint64(g.OriginalServerVersion))
	case 11:
		return appendVarlen(dst, g.CommitGroupTicket)
	}
	return dst
}

func (g *GTID) appendTagged(dst []byte) ([]byte, error) {
	if len(g.Tag) > gtidTagMaxLen {
		return dst, corruptf("%v: tag of %d bytes, at most %d", GTIDTaggedEvent, len(g.Tag), gtidTagMaxLen)
	}
	// The fields are encoded after the header, whose size value depends on
	// their length: encode them first, then move them into place.
	start := len(dst)
	dst = append(dst, make([]byte, 3*9)...)
	fields := len(dst)
	for id := 0; id < gtidFieldCount; id++ {
		if !g.taggedPresent(id) {
			continue
		}
		dst = appendVarlen(dst, uint64(id))
		dst = g.appendTaggedField(dst, id)
	}
	dst = append(dst, g.Extra...)
	payload := uint64(len(dst) - fields)
	// MySQL's size counts the format id, the size field as long as the
	// payload size would need, the last-non-ignorable id (0: all fields of
	// this message are ignorable) and the payload. For payloads of 125 to 127
	// bytes the size itself needs a second byte, so it comes out one short
	// of the message; MySQL writes it so and the decoder copes.
	// (mysql-server libs/mysql/serialization, get_size_serializable.)
	size := uint64(gtidVarlenSize(gtidTaggedFmt)) + uint64(gtidVarlenSize(payload)) + 1 + payload
	var hdr [27]byte
	h := appendVarlen(hdr[:0], gtidTaggedFmt)
	h = appendVarlen(h, size)
	h = appendVarlen(h, 0)
	n := copy(dst[start:], h)
	m := copy(dst[start+n:], dst[fields:])
	return dst[:start+n+m], nil
}

func (g *GTID) decodeTagged(b []byte) error {
	const t = GTIDTaggedEvent
	pos := 0
	next := func() (uint64, bool) {
		v, n, ok := readVarlen(b[pos:])
		if ok {
			pos += n
		}
		return v, ok
	}
	ver, ok := next()
	if !ok {
		return corruptf("%v: empty body", t)
	}
	if ver != gtidTaggedFmt {
		return unsupportedf("%v: serialization format %d", t, ver)
	}
	size, ok1 := next()
	lnif, ok2 := next()
	if !ok1 || !ok2 {
		return corruptf("%v: message header cut short", t)
	}
	if size > uint64(len(b)) {
		return corruptf("%v: message of %d bytes in a body of %d", t, size, len(b))
	}
	if lnif > gtidFieldCount {
		return unsupportedf("%v: unknown non-ignorable field %d", t, lnif-1)
	}
	end := int(size)
	u8 := func(id int) uint8 {
		v, ok := next()
		if !ok || v > 0xff {
			pos = -1
		}
		return uint8(v)
	}
	for id := 0; id < gtidFieldCount && pos >= 0; id++ {
		if pos == end || pos >= len(b) {
			break
		}
		fid, n, ok := readVarlen(b[pos:])
		if !ok || fid != uint64(id) {
			continue // missing field
		}
		pos += n
		var v uint64
		switch id {
		case 0:
			g.Flags = u8(id)
		case 1:
			for i := range g.SID {
				if pos < 0 {
					break
				}
				g.SID[i] = u8(id)
			}
		case 3:
			l, ok := next()
			if !ok || l > gtidTagMaxLen || l > uint64(len(b)-pos) {
				return corruptf("%v: bad tag length", t)
			}
			g.Tag = b[pos : pos+int(l) : pos+int(l)]
			pos += int(l)
		default:
			v, ok = next()
			if !ok {
				pos = -1
				break
			}
			switch id {
			case 2:
				g.GNO = unzigzag(v)
			case 4:
				g.LastCommitted = unzigzag(v)
			case 5:
				g.SequenceNumber = unzigzag(v)
			case 6:
				g.ImmediateCommitTimestamp = v
			case 7:
				g.OriginalCommitTimestamp = v
				g.HasOriginalCommitTimestamp = true
			case 8:
				g.TransactionLength = v
			case 9, 10:
				if v > 0xffffffff {
					return corruptf("%v: server version %d out of range", t, v)
				}
				if id == 9 {
					g.ImmediateServerVersion = uint32(v)
				} else {
					g.OriginalServerVersion = uint32(v)
					g.HasOriginalServerVersion = true
				}
			case 11:
				g.CommitGroupTicket = v
				g.HasCommitGroupTicket = true
			}
		}
	}
	if pos < 0 {
		return corruptf("%v: field cut short or out of range", t)
	}
	if !g.HasOriginalCommitTimestamp {
		g.OriginalCommitTimestamp = g.ImmediateCommitTimestamp
	}
	if !g.HasOriginalServerVersion {
		g.OriginalServerVersion = g.ImmediateServerVersion
	}
	if pos < end {
		// Fields of a newer server: they must come after the known ones.
		if fid, _, ok := readVarlen(b[pos:end]); !ok || fid < gtidFieldCount {
			return corruptf("%v: field id %d out of order", t, fid)
		}
		g.Extra = b[pos:end:end]
		pos = end
	}
	if pos != len(b) {
		return corruptf("%v: %d bytes after the message", t, len(b)-pos)
	}
	return nil
}

// AppendUUID appends u in the canonical text form
// (8-4-4-4-12 lowercase hex digits).
func AppendUUID(dst []byte, u [16]byte) []byte {
	const hex = "0123456789abcdef"
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hex[c>>4], hex[c&15])
	}
	return dst
}

// UUIDString returns the SID as text, e.g. "3e11fa47-71ca-11e1-9e33-c80aa9429562".
func (g *GTID) UUIDString() string {
	var buf [36]byte
	return string(AppendUUID(buf[:0], g.SID))
}

// Anonymous reports whether g is an ANONYMOUS_GTID_LOG_EVENT.
func (g *GTID) Anonymous() bool { return g.Type == AnonymousGTIDEvent }

// AppendText appends the GTID as MySQL prints it: "uuid:gno" or
// "uuid:tag:gno", and "ANONYMOUS" for an anonymous GTID. It does not allocate
// when dst has room.
func (g *GTID) AppendText(dst []byte) []byte {
	if g.Anonymous() {
		return append(dst, "ANONYMOUS"...)
	}
	dst = AppendUUID(dst, g.SID)
	dst = append(dst, ':')
	if len(g.Tag) > 0 {
		dst = append(dst, g.Tag...)
		dst = append(dst, ':')
	}
	return strconv.AppendInt(dst, g.GNO, 10)
}

// String returns AppendText as a string.
func (g *GTID) String() string {
	var buf [80]byte
	return string(g.AppendText(buf[:0]))
}

// PreviousGTIDs is the PREVIOUS_GTIDS_LOG_EVENT (35) body: the GTID set
// executed before the binlog file it opens. Untagged bodies hold n_sids
// (8 bytes) then, per SID, the UUID, n_intervals (8 bytes) and the intervals
// as start and exclusive end (8 bytes each). MySQL 8.3+ writes the tagged
// format when the set holds a tagged GTID: the first and last byte of n_sids
// hold the format (1), the six between hold the count, and every UUID is
// followed by its tag (a variable-length size and the lower-case tag bytes).
//
// The body is kept as a validated view: Data (and PostHeader) alias the
// decoded bytes; Intervals iterates without allocating.
type PreviousGTIDs struct {
	// PostHeader is the post-header, empty unless the FORMAT_DESCRIPTION
	// declares one for this type.
	PostHeader []byte
	// Tagged reports the tagged encoding format.
	Tagged bool
	// NSIDs is the number of (UUID, tag) entries in Data.
	NSIDs uint64
	// Data is the encoded entries after n_sids.
	Data []byte
}

func init() {
	register(func() Body { return new(PreviousGTIDs) }, PreviousGTIDsEvent)
}

// EventType returns PreviousGTIDsEvent.
func (*PreviousGTIDs) EventType() Type { return PreviousGTIDsEvent }

// DecodeBody decodes and validates the body.
func (p *PreviousGTIDs) DecodeBody(f *FormatDescription, _ Type, b []byte) error {
	*p = PreviousGTIDs{}
	const t = PreviousGTIDsEvent
	ph := 0
	if f != nil {
		ph = f.PostHeaderLen(t, 0)
	}
	if len(b) < ph+8 {
		return corruptf("%v: body of %d bytes, want at least %d", t, len(b), ph+8)
	}
	if ph > 0 {
		p.PostHeader = b[:ph:ph]
	}
	b = b[ph:]
	n := bin.Uint(b[:8])
	switch format := b[7]; format {
	case 0:
		p.NSIDs = n
	case 1:
		if b[0] != 1 {
			return corruptf("%v: tagged format with first byte %d", t, b[0])
		}
		p.Tagged = true
		p.NSIDs = n >> 8 & (1<<48 - 1)
	default:
		return unsupportedf("%v: GTID set encoding format %d", t, format)
	}
	p.Data = b[8:len(b):len(b)]
	it := p.Iter()
	for it.Next() {
	}
	return it.Err()
}

// AppendBody appends the encoded body.
func (p *PreviousGTIDs) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	dst = append(dst, p.PostHeader...)
	if p.Tagged {
		if p.NSIDs >= 1<<48 {
			return dst, corruptf("%v: %d SIDs do not fit the tagged format", PreviousGTIDsEvent, p.NSIDs)
		}
		dst = bin.AppendU64(dst, 1<<56|p.NSIDs<<8|1)
	} else {
		if p.NSIDs >= 1<<56 {
			return dst, corruptf("%v: %d SIDs do not fit", PreviousGTIDsEvent, p.NSIDs)
		}
		dst = bin.AppendU64(dst, p.NSIDs)
	}
	return append(dst, p.Data...), nil
}

// GTIDInterval is one interval of a GTID set as PREVIOUS_GTIDS encodes it.
// Tag aliases the event's bytes.
type GTIDInterval struct {
	SID   [16]byte
	Tag   []byte
	Start uint64 // first GNO
	End   uint64 // one past the last GNO
}

// GTIDIntervalIter walks the intervals of a PreviousGTIDs body without
// allocating. Use Next, then Interval; Err reports a malformed body.
type GTIDIntervalIter struct {
	p      *PreviousGTIDs
	r      bin.Reader
	sids   uint64 // entries left after the current one
	ivs    uint64 // intervals left in the current entry
	last   int64
	cur    GTIDInterval
	err    error
	inited bool
}

// Iter returns an iterator over p's intervals, in the order written.
func (p *PreviousGTIDs) Iter() GTIDIntervalIter {
	return GTIDIntervalIter{p: p, r: bin.NewReader(p.Data), sids: p.NSIDs}
}

// Next moves to the next interval and reports whether there is one.
func (it *GTIDIntervalIter) Next() bool {
	if it.err != nil || it.p == nil {
		return false
	}
	const t = PreviousGTIDsEvent
	for it.ivs == 0 {
		if it.sids == 0 {
			if it.r.Len() != 0 {
				it.err = corruptf("%v: %d bytes after the last SID", t, it.r.Len())
			}
			return false
		}
		it.sids--
		copy(it.cur.SID[:], it.r.Bytes(16))
		it.cur.Tag = nil
		if it.p.Tagged {
			rest := it.r.B[it.r.Off:]
			if it.r.Err() != nil {
				rest = nil
			}
			l, n, ok := readVarlen(rest)
			if !ok || l > gtidTagMaxLen || l > uint64(len(rest)-n) {
				it.err = corruptf("%v: bad tag", t)
				return false
			}
			it.r.Skip(n)
			it.cur.Tag = it.r.Bytes(int(l))
		}
		it.ivs = it.r.U64()
		if it.r.Err() != nil {
			it.err = corruptf("%v: SID entry cut short", t)
			return false
		}
		if it.ivs > uint64(it.r.Len())/16 {
			it.err = corruptf("%v: %d intervals in %d bytes", t, it.ivs, it.r.Len())
			return false
		}
		it.last = 0
	}
	it.ivs--
	start, end := int64(it.r.U64()), int64(it.r.U64())
	if start <= it.last || end <= start {
		it.err = corruptf("%v: interval %d-%d out of order", t, start, end)
		return false
	}
	it.last = end
	it.cur.Start, it.cur.End = uint64(start), uint64(end)
	return true
}

// Interval returns the current interval.
func (it *GTIDIntervalIter) Interval() GTIDInterval { return it.cur }

// Err returns the error that stopped the iteration, or nil.
func (it *GTIDIntervalIter) Err() error { return it.err }

// Intervals returns a single-use iterator over p's intervals (it stops at the
// first malformed entry; DecodeBody has validated decoded bodies).
func (p *PreviousGTIDs) Intervals() iter.Seq[GTIDInterval] {
	return func(yield func(GTIDInterval) bool) {
		it := p.Iter()
		for it.Next() {
			if !yield(it.cur) {
				return
			}
		}
	}
}

// AppendText appends the set as MySQL prints it, e.g.
// "b9b88c66-…:1-2:5,c0ffee…:1-9:tag:3" (ends inclusive; a single GNO as
// itself; the tags of one UUID follow its untagged intervals). Entries are
// written in body order, which servers keep sorted (a UUID that comes back
// after other entries starts a new comma-separated entry). It does not
// allocate when dst has room.
func (p *PreviousGTIDs) AppendText(dst []byte) []byte {
	it := p.Iter()
	first := true
	var sid [16]byte
	var tag []byte
	for it.Next() {
		iv := it.cur
		switch {
		case first || iv.SID != sid || len(iv.Tag) == 0 && len(tag) > 0:
			if !first {
				dst = append(dst, ',')
			}
			dst = AppendUUID(dst, iv.SID)
			if len(iv.Tag) > 0 {
				dst = append(dst, ':')
				dst = append(dst, iv.Tag...)
			}
		case string(iv.Tag) != string(tag):
			dst = append(dst, ':')
			dst = append(dst, iv.Tag...)
		}
		first, sid, tag = false, iv.SID, iv.Tag
		dst = append(dst, ':')
		dst = strconv.AppendUint(dst, iv.Start, 10)
		if iv.End-1 != iv.Start {
			dst = append(dst, '-')
			dst = strconv.AppendUint(dst, iv.End-1, 10)
		}
	}
	return dst
}

// String returns AppendText as a string.
func (p *PreviousGTIDs) String() string { return string(p.AppendText(nil)) }
