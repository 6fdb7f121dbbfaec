package event

import (
	"bytes"
	"iter"
	"math"

	"github.com/binlogkit/binlogkit/internal/bin"
)

func init() {
	register(func() Body { return new(Rotate) }, RotateEvent)
	register(func() Body { return new(XID) }, XIDEvent)
	register(func() Body { return new(Intvar) }, IntvarEvent)
	register(func() Body { return new(Rand) }, RandEvent)
	register(func() Body { return new(UserVar) }, UserVarEvent)
	register(func() Body { return new(Stop) }, StopEvent)
	register(func() Body { return new(Incident) }, IncidentEvent)
	register(func() Body { return new(Heartbeat) }, HeartbeatEvent)
	register(func() Body { return new(HeartbeatV2) }, HeartbeatEventV2)
	register(func() Body { return new(Ignorable) }, IgnorableEvent)
	register(func() Body { return new(RowsQuery) }, RowsQueryEvent)
	register(func() Body { return new(XAPrepare) }, XAPrepareEvent)
	register(func() Body { return new(TransactionContext) }, TransactionContextEvent)
	register(func() Body { return new(ViewChange) }, ViewChangeEvent)
}

// Rotate is the ROTATE_EVENT (4) body: the binlog continues in NextFile at
// Position. NextFile aliases the decoded bytes. MySQL and MariaDB share the
// layout: an 8-byte position (the post-header) and the file name to the end.
type Rotate struct {
	Position uint64
	NextFile []byte
	// NoPosition is true when the format description gives ROTATE no
	// post-header (binlog v1), so the body is the file name alone.
	NoPosition bool
}

// EventType returns RotateEvent.
func (*Rotate) EventType() Type { return RotateEvent }

// DecodeBody decodes the body.
func (e *Rotate) DecodeBody(f *FormatDescription, _ Type, b []byte) error {
	*e = Rotate{}
	phl := f.PostHeaderLen(RotateEvent, 8)
	if phl == 0 {
		e.NoPosition = true
		e.NextFile = b[:len(b):len(b)]
		return nil
	}
	if phl != 8 {
		return corruptf("rotate: post-header length %d", phl)
	}
	r := bin.NewReader(b)
	e.Position = r.U64()
	e.NextFile = r.Rest()
	if r.Err() != nil {
		return short("rotate")
	}
	return nil
}

// AppendBody appends the encoded body.
func (e *Rotate) AppendBody(dst []byte, f *FormatDescription) ([]byte, error) {
	if !e.NoPosition {
		dst = bin.AppendU64(dst, e.Position)
	}
	return append(dst, e.NextFile...), nil
}

// XID is the XID_EVENT (16) body: the commit of an XA-capable transaction,
// with the storage engine's transaction id.
type XID struct {
	XID uint64
}

// EventType returns XIDEvent.
func (*XID) EventType() Type { return XIDEvent }

// DecodeBody decodes the body; it must be exactly 8 bytes.
func (e *XID) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*e = XID{}
	if len(b) != 8 {
		return corruptf("xid: body of %d bytes, want 8", len(b))
	}
	e.XID = bin.Uint(b)
	return nil
}

// AppendBody appends the encoded body.
func (e *XID) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	return bin.AppendU64(dst, e.XID), nil
}

// IntvarType says which session value an INTVAR event sets.
type IntvarType uint8

// Intvar types.
const (
	IntvarInvalid      IntvarType = 0
	IntvarLastInsertID IntvarType = 1 // LAST_INSERT_ID
	IntvarInsertID     IntvarType = 2 // INSERT_ID
)

// String returns "LAST_INSERT_ID", "INSERT_ID" or the number.
func (t IntvarType) String() string {
	switch t {
	case IntvarLastInsertID:
		return "LAST_INSERT_ID"
	case IntvarInsertID:
		return "INSERT_ID"
	}
	return "INTVAR_" + itoa(uint64(t))
}

// Intvar is the INTVAR_EVENT (5) body: an auto-increment value the next
// statement needs.
type Intvar struct {
	Kind  IntvarType
	Value uint64
}

// EventType returns IntvarEvent.
func (*Intvar) EventType() Type { return IntvarEvent }

// DecodeBody decodes the body; it must be exactly 9 bytes.
func (e *Intvar) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*e = Intvar{}
	if len(b) != 9 {
		return corruptf("intvar: body of %d bytes, want 9", len(b))
	}
	e.Kind = IntvarType(b[0])
	e.Value = bin.Uint(b[1:])
	return nil
}

// AppendBody appends the encoded body.
func (e *Intvar) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	return bin.AppendU64(append(dst, byte(e.Kind)), e.Value), nil
}

// Rand is the RAND_EVENT (13) body: the RAND() seeds of the next statement.
type Rand struct {
	Seed1, Seed2 uint64
}

// EventType returns RandEvent.
func (*Rand) EventType() Type { return RandEvent }

// DecodeBody decodes the body; it must be exactly 16 bytes.
func (e *Rand) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*e = Rand{}
	if len(b) != 16 {
		return corruptf("rand: body of %d bytes, want 16", len(b))
	}
	e.Seed1, e.Seed2 = bin.Uint(b[:8]), bin.Uint(b[8:])
	return nil
}

// AppendBody appends the encoded body.
func (e *Rand) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	return bin.AppendU64(bin.AppendU64(dst, e.Seed1), e.Seed2), nil
}

// UserVarType is the result type of a user variable's value.
type UserVarType uint8

// User variable value types (Item_result).
const (
	UserVarString  UserVarType = 0 // bytes in Charset
	UserVarReal    UserVarType = 1 // 8-byte little-endian float64
	UserVarInt     UserVarType = 2 // 8-byte little-endian integer; unsigned if UserVarUnsigned is set
	UserVarRow     UserVarType = 3 // never written by servers
	UserVarDecimal UserVarType = 4 // precision, scale, then the binary DECIMAL
)

// String returns "STRING", "REAL", "INT", "ROW", "DECIMAL" or the number.
func (t UserVarType) String() string {
	switch t {
	case UserVarString:
		return "STRING"
	case UserVarReal:
		return "REAL"
	case UserVarInt:
		return "INT"
	case UserVarRow:
		return "ROW"
	case UserVarDecimal:
		return "DECIMAL"
	}
	return "USER_VAR_TYPE_" + itoa(uint64(t))
}

// UserVarUnsigned is the user-variable flag bit for an unsigned integer.
const UserVarUnsigned = 0x01

// UserVar is the USER_VAR_EVENT (14) body: a user variable the next
// statement reads. Name and Value alias the decoded bytes.
type UserVar struct {
	Name   []byte
	IsNull bool
	// Type, Charset and Value are set when IsNull is false.
	Type    UserVarType
	Charset uint32
	Value   []byte
	// HasFlags says whether the trailing flags byte is present (servers
	// from MySQL 5.6 / MariaDB 10.0 on write it; older ones do not).
	HasFlags bool
	Flags    uint8
}

// EventType returns UserVarEvent.
func (*UserVar) EventType() Type { return UserVarEvent }

// DecodeBody decodes the body.
func (e *UserVar) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*e = UserVar{}
	r := bin.NewReader(b)
	n := r.U32()
	if r.Err() != nil || uint64(n) > uint64(r.Len()) {
		return corruptf("user var: name of %d bytes in a body of %d", n, len(b))
	}
	e.Name = r.Bytes(int(n))
	e.IsNull = r.U8() != 0
	if r.Err() != nil {
		return short("user var")
	}
	if e.IsNull {
		if r.Len() != 0 {
			return corruptf("user var: %d bytes after a NULL value", r.Len())
		}
		return nil
	}
	e.Type = UserVarType(r.U8())
	e.Charset = r.U32()
	vl := r.U32()
	if r.Err() != nil || uint64(vl) > uint64(r.Len()) {
		return corruptf("user var: value of %d bytes runs past the body", vl)
	}
	e.Value = r.Bytes(int(vl))
	switch r.Len() {
	case 0:
	case 1:
		e.HasFlags, e.Flags = true, r.U8()
	default:
		return corruptf("user var: %d bytes after the value", r.Len())
	}
	return nil
}

// AppendBody appends the encoded body.
func (e *UserVar) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	dst = bin.AppendU32(dst, uint32(len(e.Name)))
	dst = append(dst, e.Name...)
	if e.IsNull {
		return append(dst, 1), nil
	}
	dst = append(dst, 0, byte(e.Type))
	dst = bin.AppendU32(dst, e.Charset)
	dst = bin.AppendU32(dst, uint32(len(e.Value)))
	dst = append(dst, e.Value...)
	if e.HasFlags {
		dst = append(dst, e.Flags)
	}
	return dst, nil
}

// Unsigned reports whether an integer value is unsigned.
func (e *UserVar) Unsigned() bool { return e.HasFlags && e.Flags&UserVarUnsigned != 0 }

// Int returns an integer value (its bits; see Unsigned).
func (e *UserVar) Int() (uint64, bool) {
	if e.IsNull || e.Type != UserVarInt || len(e.Value) != 8 {
		return 0, false
	}
	return bin.Uint(e.Value), true
}

// Real returns a REAL value.
func (e *UserVar) Real() (float64, bool) {
	if e.IsNull || e.Type != UserVarReal || len(e.Value) != 8 {
		return 0, false
	}
	return math.Float64frombits(bin.Uint(e.Value)), true
}

// Decimal returns a DECIMAL value's precision, scale and binary digits (the
// packed form of a NEWDECIMAL column with that precision and scale).
func (e *UserVar) Decimal() (precision, scale uint8, digits []byte, ok bool) {
	if e.IsNull || e.Type != UserVarDecimal || len(e.Value) < 2 {
		return 0, 0, nil, false
	}
	return e.Value[0], e.Value[1], e.Value[2:], true
}

// Stop is the STOP_EVENT (3) body, written when a server shuts down. It is
// empty.
type Stop struct{}

// EventType returns StopEvent.
func (*Stop) EventType() Type { return StopEvent }

// DecodeBody checks that the body is empty.
func (e *Stop) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	if len(b) != 0 {
		return corruptf("stop: body of %d bytes, want 0", len(b))
	}
	return nil
}

// AppendBody appends nothing.
func (e *Stop) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) { return dst, nil }

// Incident numbers.
const (
	IncidentNone       = 0
	IncidentLostEvents = 1 // the binlog may be missing events (LOST_EVENTS)
)

// Incident is the INCIDENT_EVENT (26) body: something happened on the
// primary that replicas must stop for. Message aliases the decoded bytes.
type Incident struct {
	Number uint16
	// HasMessage says whether the length-prefixed message is present.
	HasMessage bool
	Message    []byte
}

// EventType returns IncidentEvent.
func (*Incident) EventType() Type { return IncidentEvent }

// DecodeBody decodes the body.
func (e *Incident) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*e = Incident{}
	r := bin.NewReader(b)
	e.Number = r.U16()
	if r.Err() != nil {
		return short("incident")
	}
	if r.Len() == 0 {
		return nil
	}
	e.HasMessage = true
	e.Message = r.Bytes(int(r.U8()))
	if r.Err() != nil {
		return corruptf("incident: message runs past the body")
	}
	if r.Len() != 0 {
		return corruptf("incident: %d bytes after the message", r.Len())
	}
	return nil
}

// AppendBody appends the encoded body.
func (e *Incident) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	dst = bin.AppendU16(dst, e.Number)
	if !e.HasMessage && len(e.Message) == 0 {
		return dst, nil
	}
	if len(e.Message) > 255 {
		return dst, corruptf("incident: message of %d bytes", len(e.Message))
	}
	return appendLen8(dst, e.Message), nil
}

// Heartbeat is the HEARTBEAT_LOG_EVENT (27) body, sent by a primary on an
// idle replication stream (never stored in a file): the current binlog file
// name. LogFile aliases the decoded bytes. The position is the header's
// LogPos; see MariaDBPosition for MariaDB's form of positions above 4 GiB.
type Heartbeat struct {
	LogFile []byte
}

// EventType returns HeartbeatEvent.
func (*Heartbeat) EventType() Type { return HeartbeatEvent }

// DecodeBody decodes the body.
func (e *Heartbeat) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	e.LogFile = b[:len(b):len(b)]
	return nil
}

// AppendBody appends the encoded body.
func (e *Heartbeat) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	return append(dst, e.LogFile...), nil
}

// MariaDBPosition interprets the heartbeat as MariaDB sends it: when the
// position does not fit the header's 4-byte LogPos, MariaDB writes LogPos 0
// and puts the 8-byte position before the file name. Given the event's
// header it returns the position and the file name.
func (e *Heartbeat) MariaDBPosition(h Header) (pos uint64, file []byte) {
	if h.LogPos == 0 && len(e.LogFile) >= 8 {
		return bin.Uint(e.LogFile[:8]), e.LogFile[8:]
	}
	return uint64(h.LogPos), e.LogFile
}

// HEARTBEAT_LOG_EVENT_V2 field codes.
const (
	hbEndMark  = 0
	hbFilename = 1
	hbPosition = 2
)

// HeartbeatV2 is the HEARTBEAT_LOG_EVENT_V2 (41) body of MySQL 8.0.26+: a
// list of type-length-value fields with the binlog file name and a 64-bit
// position, ended by a 0 type. LogFile and Unknown alias the decoded bytes.
type HeartbeatV2 struct {
	LogFile     []byte
	HasLogFile  bool
	Position    uint64
	HasPosition bool
	// Unknown keeps the bytes of fields this package does not know and
	// anything after the end mark, for exact re-encoding.
	Unknown []byte

	raw     []byte // the decoded bytes when they are not in the canonical form
	keepRaw bool
	orig    heartbeatV2Fields
}

// heartbeatV2Fields is the comparable part of a HeartbeatV2.
type heartbeatV2Fields struct {
	logFile                 string
	hasLogFile, hasPosition bool
	position                uint64
	unknown                 string
}

func (e *HeartbeatV2) fields() heartbeatV2Fields {
	return heartbeatV2Fields{string(e.LogFile), e.HasLogFile, e.HasPosition, e.Position, string(e.Unknown)}
}

// EventType returns HeartbeatEventV2.
func (*HeartbeatV2) EventType() Type { return HeartbeatEventV2 }

// DecodeBody decodes the body.
func (e *HeartbeatV2) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*e = HeartbeatV2{}
	r := bin.NewReader(b)
	for r.Len() > 0 {
		at := r.Off
		typ, ok := r.PackedInt()
		if !ok {
			return corruptf("heartbeat v2: bad field type at %d", at)
		}
		if typ == hbEndMark {
			e.Unknown = append(e.Unknown[:len(e.Unknown):len(e.Unknown)], r.Rest()...)
			break
		}
		n, ok := r.PackedInt()
		if !ok || n > uint64(r.Len()) {
			return corruptf("heartbeat v2: field %d of bad length", typ)
		}
		v := r.Bytes(int(n))
		switch {
		case typ == hbFilename && !e.HasLogFile:
			e.LogFile, e.HasLogFile = v, true
		case typ == hbPosition && !e.HasPosition:
			vr := bin.NewReader(v)
			p, ok := vr.PackedInt()
			if !ok || vr.Len() != 0 {
				return corruptf("heartbeat v2: bad position field")
			}
			e.Position, e.HasPosition = p, true
		default:
			if len(e.Unknown) == 0 {
				e.Unknown = b[at:r.Off:r.Off]
			} else {
				e.Unknown = append(e.Unknown[:len(e.Unknown):len(e.Unknown)], b[at:r.Off]...)
			}
		}
	}
	var tmp [64]byte
	if enc := e.appendCanonical(tmp[:0]); !bytes.Equal(enc, b) {
		e.raw, e.keepRaw, e.orig = b, true, e.fields()
	}
	return nil
}

// appendCanonical appends the fields as MySQL writes them: file name,
// position, unknown fields, end mark.
func (e *HeartbeatV2) appendCanonical(dst []byte) []byte {
	if e.HasLogFile || len(e.LogFile) > 0 {
		dst = bin.AppendPackedInt(dst, hbFilename)
		dst = bin.AppendPackedBytes(dst, e.LogFile)
	}
	if e.HasPosition {
		dst = bin.AppendPackedInt(dst, hbPosition)
		dst = bin.AppendPackedInt(dst, uint64(bin.PackedIntLen(e.Position)))
		dst = bin.AppendPackedInt(dst, e.Position)
	}
	return append(append(dst, hbEndMark), e.Unknown...)
}

// AppendBody appends the encoded body. A decoded body whose fields are
// unchanged is written back byte for byte, even where the server did not use
// the canonical form.
func (e *HeartbeatV2) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	if e.keepRaw && e.fields() == e.orig {
		return append(dst, e.raw...), nil
	}
	return e.appendCanonical(dst), nil
}

// Ignorable is the IGNORABLE_LOG_EVENT (28) body: data a server may skip.
// Data aliases the decoded bytes.
type Ignorable struct {
	Data []byte
}

// EventType returns IgnorableEvent.
func (*Ignorable) EventType() Type { return IgnorableEvent }

// DecodeBody keeps b as Data.
func (e *Ignorable) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	e.Data = b[:len(b):len(b)]
	return nil
}

// AppendBody appends Data.
func (e *Ignorable) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	return append(dst, e.Data...), nil
}

// RowsQuery is the ROWS_QUERY_LOG_EVENT (29) body: the statement that
// produced the following rows events (binlog_rows_query_log_events). Query
// aliases the decoded bytes.
type RowsQuery struct {
	// LengthByte is the 1-byte length servers write before the text (the
	// length modulo 256, ignored on reading); kept for exact re-encoding.
	LengthByte uint8
	Query      []byte
}

// EventType returns RowsQueryEvent.
func (*RowsQuery) EventType() Type { return RowsQueryEvent }

// DecodeBody decodes the body.
func (e *RowsQuery) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*e = RowsQuery{}
	if len(b) == 0 {
		return short("rows query")
	}
	e.LengthByte, e.Query = b[0], b[1:len(b):len(b)]
	return nil
}

// AppendBody appends the encoded body. Build one with LengthByte set to
// byte(len(Query)), as servers do.
func (e *RowsQuery) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	return append(append(dst, e.LengthByte), e.Query...), nil
}

// Maximum XID component sizes (MAXGTRIDSIZE, MAXBQUALSIZE).
const (
	maxGTRID = 64
	maxBQUAL = 64
)

// XAPrepare is the XA_PREPARE_LOG_EVENT (38) body written at XA PREPARE (and
// a one-phase XA COMMIT), by MySQL 5.7+ and MariaDB 10.5+ alike. GTRID and
// BQUAL alias the decoded bytes.
type XAPrepare struct {
	OnePhase bool
	FormatID int32
	GTRID    []byte // global transaction id, up to 64 bytes
	BQUAL    []byte // branch qualifier, up to 64 bytes
}

// EventType returns XAPrepareEvent.
func (*XAPrepare) EventType() Type { return XAPrepareEvent }

// DecodeBody decodes the body.
func (e *XAPrepare) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*e = XAPrepare{}
	r := bin.NewReader(b)
	op := r.U8()
	e.FormatID = int32(r.U32())
	gl, bl := r.U32(), r.U32()
	if r.Err() != nil {
		return short("xa prepare")
	}
	if op > 1 {
		return corruptf("xa prepare: one_phase %d", op)
	}
	e.OnePhase = op == 1
	if gl > maxGTRID || bl > maxBQUAL {
		return corruptf("xa prepare: gtrid of %d and bqual of %d bytes", gl, bl)
	}
	if r.Len() != int(gl+bl) {
		return corruptf("xa prepare: %d data bytes, want %d", r.Len(), gl+bl)
	}
	e.GTRID = r.Bytes(int(gl))
	e.BQUAL = r.Bytes(int(bl))
	return nil
}

// AppendBody appends the encoded body.
func (e *XAPrepare) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	if len(e.GTRID) > maxGTRID || len(e.BQUAL) > maxBQUAL {
		return dst, corruptf("xa prepare: gtrid of %d and bqual of %d bytes", len(e.GTRID), len(e.BQUAL))
	}
	op := byte(0)
	if e.OnePhase {
		op = 1
	}
	dst = append(dst, op)
	dst = bin.AppendU32(dst, uint32(e.FormatID))
	dst = bin.AppendU32(dst, uint32(len(e.GTRID)))
	dst = bin.AppendU32(dst, uint32(len(e.BQUAL)))
	return append(append(dst, e.GTRID...), e.BQUAL...), nil
}

// TransactionContext is the TRANSACTION_CONTEXT_EVENT (36) body that MySQL
// Group Replication writes to its relay log: certification data of a
// transaction. Its []byte fields alias the decoded bytes.
type TransactionContext struct {
	ServerUUID      []byte
	ThreadID        uint32
	GTIDSpecified   bool
	SnapshotVersion []byte // an encoded GTID set
	// WriteSet and ReadSet are raw item lists of WriteSetCount and
	// ReadSetCount items, each a 2-byte length and the item; iterate them
	// with Items.
	WriteSetCount, ReadSetCount uint32
	WriteSet, ReadSet           []byte
}

// EventType returns TransactionContextEvent.
func (*TransactionContext) EventType() Type { return TransactionContextEvent }

// transactionContextPostHeader is the post-header length of
// TRANSACTION_CONTEXT: uuid length 1, thread id 4, gtid specified 1,
// snapshot version length 4, write set items 4, read set items 4.
const transactionContextPostHeader = 18

// DecodeBody decodes the body.
func (e *TransactionContext) DecodeBody(f *FormatDescription, _ Type, b []byte) error {
	*e = TransactionContext{}
	if phl := f.PostHeaderLen(TransactionContextEvent, transactionContextPostHeader); phl != transactionContextPostHeader {
		return unsupportedf("transaction context: post-header length %d", phl)
	}
	r := bin.NewReader(b)
	ul := int(r.U8())
	e.ThreadID = r.U32()
	gs := r.U8()
	sl := r.U32()
	e.WriteSetCount = r.U32()
	e.ReadSetCount = r.U32()
	if r.Err() != nil {
		return short("transaction context")
	}
	if gs > 1 {
		return corruptf("transaction context: gtid_specified %d", gs)
	}
	e.GTIDSpecified = gs == 1
	e.ServerUUID = r.Bytes(ul)
	if uint64(sl) > uint64(r.Len()) {
		return corruptf("transaction context: snapshot version of %d bytes runs past the body", sl)
	}
	e.SnapshotVersion = r.Bytes(int(sl))
	e.WriteSet = itemList(&r, e.WriteSetCount)
	e.ReadSet = itemList(&r, e.ReadSetCount)
	if r.Err() != nil {
		return corruptf("transaction context: data runs past the body")
	}
	if r.Len() != 0 {
		return corruptf("transaction context: %d bytes after the read set", r.Len())
	}
	return nil
}

// itemList consumes n items of a 2-byte length and data and returns their span.
func itemList(r *bin.Reader, n uint32) []byte {
	from := r.Off
	for i := uint32(0); i < n && r.Err() == nil; i++ {
		r.Skip(int(r.U16()))
	}
	if r.Err() != nil {
		return nil
	}
	return r.B[from:r.Off:r.Off]
}

// Items returns a single-use iterator over the items of a WriteSet or
// ReadSet list (each a 2-byte length and the item); the items alias the
// list. A list that ends inside an item yields, after the items before it,
// one error wrapping ErrCorrupt. It does not allocate.
func Items(list []byte) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		for len(list) > 0 {
			if len(list) < 2 {
				yield(nil, corruptf("item list: %d byte(s) where a 2-byte length belongs", len(list)))
				return
			}
			n := int(bin.Uint(list[:2]))
			if 2+n > len(list) {
				yield(nil, corruptf("item list: an item of %d bytes with %d left", n, len(list)-2))
				return
			}
			if !yield(list[2:2+n:2+n], nil) {
				return
			}
			list = list[2+n:]
		}
	}
}

// AppendBody appends the encoded body.
func (e *TransactionContext) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	if len(e.ServerUUID) > 255 {
		return dst, corruptf("transaction context: server uuid of %d bytes", len(e.ServerUUID))
	}
	dst = append(dst, byte(len(e.ServerUUID)))
	dst = bin.AppendU32(dst, e.ThreadID)
	gs := byte(0)
	if e.GTIDSpecified {
		gs = 1
	}
	dst = append(dst, gs)
	dst = bin.AppendU32(dst, uint32(len(e.SnapshotVersion)))
	dst = bin.AppendU32(dst, e.WriteSetCount)
	dst = bin.AppendU32(dst, e.ReadSetCount)
	dst = append(dst, e.ServerUUID...)
	dst = append(dst, e.SnapshotVersion...)
	return append(append(dst, e.WriteSet...), e.ReadSet...), nil
}

// viewIDLen is the fixed size of the VIEW_CHANGE view id field.
const viewIDLen = 40

// ViewChange is the VIEW_CHANGE_EVENT (37) body that MySQL Group
// Replication writes when the group membership changes. Its []byte fields
// alias the decoded bytes.
type ViewChange struct {
	ViewID    []byte // 40 bytes, NUL padded
	SeqNumber uint64
	// CertInfoCount is the number of certification entries in CertInfo,
	// each a 2-byte key length, the key, a 4-byte value length and the
	// value; iterate them with CertInfoEntries.
	CertInfoCount uint32
	CertInfo      []byte
}

// EventType returns ViewChangeEvent.
func (*ViewChange) EventType() Type { return ViewChangeEvent }

// DecodeBody decodes the body.
func (e *ViewChange) DecodeBody(f *FormatDescription, _ Type, b []byte) error {
	*e = ViewChange{}
	if phl := f.PostHeaderLen(ViewChangeEvent, 52); phl != 52 {
		return unsupportedf("view change: post-header length %d", phl)
	}
	r := bin.NewReader(b)
	e.ViewID = r.Bytes(viewIDLen)
	e.SeqNumber = r.U64()
	e.CertInfoCount = r.U32()
	if r.Err() != nil {
		return short("view change")
	}
	from := r.Off
	for i := uint32(0); i < e.CertInfoCount && r.Err() == nil; i++ {
		r.Skip(int(r.U16()))
		r.Skip(int(r.U32()))
	}
	if r.Err() != nil {
		return corruptf("view change: certification info runs past the body")
	}
	e.CertInfo = b[from:r.Off:r.Off]
	if r.Len() != 0 {
		return corruptf("view change: %d bytes after the certification info", r.Len())
	}
	return nil
}

// CertEntry is one certification entry of a VIEW_CHANGE event.
type CertEntry struct {
	Key, Value []byte
}

// CertInfoEntries returns a single-use iterator over the certification
// entries; keys and values alias the event. CertInfo that ends inside an
// entry yields, after the entries before it, one error wrapping ErrCorrupt.
func (e *ViewChange) CertInfoEntries() iter.Seq2[CertEntry, error] {
	return func(yield func(CertEntry, error) bool) {
		r := bin.NewReader(e.CertInfo)
		for r.Len() > 0 {
			k := r.Bytes(int(r.U16()))
			v := r.Bytes(int(r.U32()))
			if r.Err() != nil {
				yield(CertEntry{}, corruptf("view change: certification info cut inside an entry"))
				return
			}
			if !yield(CertEntry{Key: k, Value: v}, nil) {
				return
			}
		}
	}
}

// AppendBody appends the encoded body.
func (e *ViewChange) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	dst = appendFixed(dst, e.ViewID, viewIDLen)
	dst = bin.AppendU64(dst, e.SeqNumber)
	dst = bin.AppendU32(dst, e.CertInfoCount)
	return append(dst, e.CertInfo...), nil
}

// itoa formats v in decimal.
func itoa(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}
