package event

import (
	"bytes"

	"github.com/binlogkit/binlogkit/internal/bin"
	"github.com/klauspost/compress/zlib"
)

// Rows event flags (the 2-byte flags field of every rows event).
const (
	// RowsFlagStmtEnd (STMT_END_F) marks the last rows event of a statement:
	// after it the table maps of the statement may be released.
	RowsFlagStmtEnd uint16 = 0x0001
	// RowsFlagNoForeignKeyChecks (NO_FOREIGN_KEY_CHECKS_F) records that
	// foreign_key_checks was off.
	RowsFlagNoForeignKeyChecks uint16 = 0x0002
	// RowsFlagRelaxedUniqueChecks (RELAXED_UNIQUE_CHECKS_F) records that
	// unique_checks was off.
	RowsFlagRelaxedUniqueChecks uint16 = 0x0004
	// RowsFlagCompleteRows (COMPLETE_ROWS_F) says the images hold every
	// column (binlog_row_image=FULL).
	RowsFlagCompleteRows uint16 = 0x0008
)

// MaxUncompressedRows bounds the declared uncompressed size of a MariaDB
// compressed rows event; larger declarations are reported as corrupt before
// anything is allocated. It matches the servers' 1 GiB packet limit.
const MaxUncompressedRows = 1 << 30

// Extra row info types (the entries of a v2 rows event's extra data).
const (
	RowsExtraNDB       byte = 0 // NDB cluster info: length byte (counting itself), format byte, data
	RowsExtraPartition byte = 1 // partition id (2 bytes), and for UPDATE the source partition id (2 bytes)
)

// Rows is the body of every rows event: the pre-GA WRITE/UPDATE/DELETE_ROWS
// (20–22), v1 (23–25), v2 (30–32), PARTIAL_UPDATE_ROWS (39) and MariaDB's
// compressed rows events (166–171). Its layout follows the post-header length
// the format description gives the type: 6 (4-byte table id), 8 (6-byte
// table id) or 10 (6-byte table id and the v2 extra data).
//
// A decoded Rows aliases the bytes it was decoded from, except Data of a
// compressed event, which lives in a buffer the Rows owns and reuses on the
// next decode. Splitting Data into row images needs the table's columns: see
// package rowcodec.
type Rows struct {
	Type    Type   // the event type the body was decoded as and encodes as
	TableID uint64 // the table id of the Table_map the rows belong to
	Flags   uint16 // RowsFlag… bits

	// ExtraData is the v2 extra data after its 2-byte length: extra row info
	// entries (type byte, then the entry). It is nil for v0/v1 layouts.
	// AppendBody writes it as it is; the typed fields below are decoded from
	// it and are not consulted when encoding (build ExtraData with
	// AppendRowsExtraNDB / AppendRowsExtraPartition to fabricate one).
	ExtraData []byte
	// NDBInfo is the first NDB entry of ExtraData (length byte, format byte,
	// data), nil when there is none.
	NDBInfo []byte
	// HasPartition reports a partition entry in ExtraData: PartitionID is
	// the partition the rows belong to; SourcePartitionID, for UPDATE
	// events, the partition the before images came from.
	HasPartition      bool
	PartitionID       uint16
	SourcePartitionID uint16

	// ColumnCount is the number of columns of the table (the width of the
	// bitmaps).
	ColumnCount uint64
	// ColumnsBefore is the present-columns bitmap of the before images
	// (UPDATE and DELETE); nil for WRITE.
	ColumnsBefore []byte
	// ColumnsAfter is the present-columns bitmap of the after images
	// (WRITE and UPDATE); nil for DELETE.
	ColumnsAfter []byte
	// Data holds the row images back to back (for UPDATE: before, after,
	// before, after …). For a compressed event it is nil until Decompress
	// fills it with the decompressed bytes (binlog.Reader does so for the
	// events its filters keep).
	Data []byte
	// Compressed is, for a MariaDB compressed rows event, the compressed
	// block as written (header byte, big-endian uncompressed length, zlib
	// stream); AppendBody writes it as it is. Set it to nil after changing
	// Data to have AppendBody compress Data afresh.
	Compressed []byte

	countWidth uint8 // width of the packed column count as written (0: shortest)
	buf        []byte
	z          inflater
}

func init() {
	register(func() Body { return new(Rows) },
		PreGAWriteRowsEvent, PreGAUpdateRowsEvent, PreGADeleteRowsEvent,
		WriteRowsEventV1, UpdateRowsEventV1, DeleteRowsEventV1,
		WriteRowsEventV2, UpdateRowsEventV2, DeleteRowsEventV2, PartialUpdateRowsEvent,
		MariaWriteRowsCompressedV1, MariaUpdateRowsCompressedV1, MariaDeleteRowsCompressedV1,
		MariaWriteRowsCompressed, MariaUpdateRowsCompressed, MariaDeleteRowsCompressed)
}

// EventType returns the type the body was decoded as.
func (r *Rows) EventType() Type { return r.Type }

// Kind returns the operation: RowsWrite, RowsUpdate or RowsDelete.
func (r *Rows) Kind() RowsKind { return r.Type.RowsKind() }

// StmtEnd reports whether RowsFlagStmtEnd is set.
func (r *Rows) StmtEnd() bool { return r.Flags&RowsFlagStmtEnd != 0 }

// IsCompressed reports whether the type is a MariaDB compressed rows event.
func (r *Rows) IsCompressed() bool { return isCompressedRows(r.Type) }

func isCompressedRows(t Type) bool {
	return t >= MariaWriteRowsCompressedV1 && t <= MariaDeleteRowsCompressed
}

// rowsPostHeaderLen returns the post-header length of rows type t under f.
func rowsPostHeaderLen(f *FormatDescription, t Type) int {
	def := 8
	switch t {
	case WriteRowsEventV2, UpdateRowsEventV2, DeleteRowsEventV2, PartialUpdateRowsEvent,
		MariaWriteRowsCompressed, MariaUpdateRowsCompressed, MariaDeleteRowsCompressed:
		def = 10
	}
	if f == nil {
		return def
	}
	return f.PostHeaderLen(t, def)
}

// DecodeBody decodes a rows event body of type t.
func (r *Rows) DecodeBody(f *FormatDescription, t Type, b []byte) error {
	*r = Rows{Type: t, buf: r.buf, z: r.z}
	if !t.IsRows() {
		return unsupportedf("rows: %v is not a rows event type", t)
	}
	ph := rowsPostHeaderLen(f, t)
	rd := bin.NewReader(b)
	switch ph {
	case 6:
		r.TableID = uint64(rd.U32())
	case 8, 10:
		r.TableID = rd.U48()
	default:
		// MySQL 5.2 development trees numbered other events 20–22; such a
		// post-header length says the type code is not a rows event here.
		return unsupportedf("rows: %v with post-header length %d", t, ph)
	}
	r.Flags = rd.U16()
	if ph == 10 {
		n := int(rd.U16())
		if rd.Err() != nil {
			return short("rows")
		}
		if n < 2 || n-2 > rd.Len() {
			return corruptf("rows: extra data length %d with %d bytes left", n, rd.Len())
		}
		r.ExtraData = rd.Bytes(n - 2)
		if err := r.decodeExtra(); err != nil {
			return err
		}
	}
	var ok bool
	r.ColumnCount, r.countWidth, ok = readPacked(&rd)
	if rd.Err() != nil || !ok {
		return short("rows")
	}
	if r.ColumnCount > uint64(rd.Len())*8 {
		return corruptf("rows: %d columns but %d bytes left", r.ColumnCount, rd.Len())
	}
	nb := int((r.ColumnCount + 7) / 8)
	switch t.RowsKind() {
	case RowsUpdate:
		r.ColumnsBefore = rd.Bytes(nb)
		r.ColumnsAfter = rd.Bytes(nb)
	case RowsWrite:
		r.ColumnsAfter = rd.Bytes(nb)
	default:
		r.ColumnsBefore = rd.Bytes(nb)
	}
	if rd.Err() != nil {
		return corruptf("rows: column bitmaps run past the body")
	}
	if isCompressedRows(t) {
		// Decompression waits for Decompress, so that an event a filter
		// drops costs no row byte; the header is checked now.
		r.Compressed = rd.Rest()
		_, _, err := r.compressedHeader()
		return err
	}
	r.Data = rd.Rest()
	return nil
}

// decodeExtra decodes the typed fields from ExtraData the way MySQL does:
// the first NDB and partition entries are taken, an unknown type ends the
// walk.
func (r *Rows) decodeExtra() error {
	e := bin.NewReader(r.ExtraData)
	seenNDB := false
	for e.Len() > 0 {
		switch e.U8() {
		case RowsExtraNDB:
			if e.Len() == 0 {
				return corruptf("rows: NDB extra row info without length")
			}
			n := int(e.B[e.Off])
			if n < 2 || n > e.Len() {
				return corruptf("rows: NDB extra row info of %d bytes runs past the extra data", n)
			}
			info := e.Bytes(n)
			if !seenNDB {
				r.NDBInfo, seenNDB = info, true
			}
		case RowsExtraPartition:
			r.HasPartition = true
			r.PartitionID = e.U16()
			if r.Kind() == RowsUpdate {
				r.SourcePartitionID = e.U16()
			}
			if e.Err() != nil {
				return corruptf("rows: partition extra row info runs past the extra data")
			}
		default:
			return nil
		}
	}
	return nil
}

// Decompress fills Data from Compressed for a MariaDB compressed rows event
// (a no-op for other events and when already done). The bytes go to a buffer
// the Rows owns and reuses; the declared size is checked against
// MaxUncompressedRows and zlib's maximum ratio before anything is allocated.
func (r *Rows) Decompress() error {
	if !r.IsCompressed() || r.Data != nil {
		return nil
	}
	n, stream, err := r.compressedHeader()
	if err != nil {
		return err
	}
	buf, err := r.z.inflate(r.buf, stream, int(n))
	if err != nil {
		return err
	}
	r.buf = buf
	r.Data = buf[:len(buf):len(buf)]
	return nil
}

// compressedHeader checks the compressed block's header and returns the
// declared size and the zlib stream.
func (r *Rows) compressedHeader() (n uint64, stream []byte, err error) {
	c := r.Compressed
	if len(c) == 0 {
		return 0, nil, corruptf("rows: compressed event without compressed data")
	}
	h := c[0]
	if h&0x80 == 0 {
		return 0, nil, corruptf("rows: compressed data header %#x", h)
	}
	if alg := h >> 4 & 7; alg != 0 {
		return 0, nil, unsupportedf("rows: compression algorithm %d", alg)
	}
	lenlen := int(h & 7)
	if lenlen < 1 || lenlen > 4 || len(c) < 1+lenlen {
		return 0, nil, corruptf("rows: compressed data header %#x", h)
	}
	for _, x := range c[1 : 1+lenlen] {
		n = n<<8 | uint64(x)
	}
	stream = c[1+lenlen:]
	// zlib cannot expand more than about 1032:1.
	if n == 0 || n > MaxUncompressedRows || n > uint64(len(stream))*1032+64 {
		return 0, nil, corruptf("rows: declared uncompressed size %d for %d compressed bytes", n, len(stream))
	}
	return n, stream, nil
}

// AppendBody appends the encoded body.
func (r *Rows) AppendBody(dst []byte, f *FormatDescription) ([]byte, error) {
	t := r.Type
	if !t.IsRows() {
		return dst, unsupportedf("rows: %v is not a rows event type", t)
	}
	ph := rowsPostHeaderLen(f, t)
	switch ph {
	case 6:
		if r.TableID > 0xffffffff {
			return dst, unsupportedf("rows: table id %d does not fit 4 bytes", r.TableID)
		}
		dst = bin.AppendU32(dst, uint32(r.TableID))
	case 8, 10:
		if r.TableID >= 1<<48 {
			return dst, unsupportedf("rows: table id %d does not fit 6 bytes", r.TableID)
		}
		dst = bin.AppendU48(dst, r.TableID)
	default:
		return dst, unsupportedf("rows: %v with post-header length %d", t, ph)
	}
	dst = bin.AppendU16(dst, r.Flags)
	if ph == 10 {
		if len(r.ExtraData) > 0xffff-2 {
			return dst, unsupportedf("rows: extra data of %d bytes", len(r.ExtraData))
		}
		dst = bin.AppendU16(dst, uint16(2+len(r.ExtraData)))
		dst = append(dst, r.ExtraData...)
	} else if len(r.ExtraData) != 0 {
		return dst, unsupportedf("rows: extra data in a %v without a v2 post-header", t)
	}
	nb := int((r.ColumnCount + 7) / 8)
	dst = appendPackedWidth(dst, r.ColumnCount, r.countWidth)
	var err error
	switch t.RowsKind() {
	case RowsUpdate:
		dst, err = appendBitmap(dst, r.ColumnsBefore, nb)
		if err == nil {
			dst, err = appendBitmap(dst, r.ColumnsAfter, nb)
		}
	case RowsWrite:
		dst, err = appendBitmap(dst, r.ColumnsAfter, nb)
	default:
		dst, err = appendBitmap(dst, r.ColumnsBefore, nb)
	}
	if err != nil {
		return dst, err
	}
	if !isCompressedRows(t) {
		return append(dst, r.Data...), nil
	}
	if r.Compressed != nil {
		return append(dst, r.Compressed...), nil
	}
	return appendCompressedRows(dst, r.Data)
}

// appendBitmap appends b padded with zero bytes to n bytes.
func appendBitmap(dst, b []byte, n int) ([]byte, error) {
	if len(b) > n {
		return dst, corruptf("rows: column bitmap of %d bytes for %d bytes of columns", len(b), n)
	}
	dst = append(dst, b...)
	for i := len(b); i < n; i++ {
		dst = append(dst, 0)
	}
	return dst, nil
}

// appendCompressedRows appends data in MariaDB's compressed-record format:
// a header byte 0x80|lenlen, the length big-endian in lenlen bytes, a zlib
// stream.
func appendCompressedRows(dst, data []byte) ([]byte, error) {
	n := len(data)
	if n == 0 || uint64(n) > MaxUncompressedRows {
		return dst, unsupportedf("rows: cannot compress %d bytes of rows", n)
	}
	lenlen := 1
	for lenlen < 4 && n>>(8*lenlen) != 0 {
		lenlen++
	}
	dst = append(dst, 0x80|byte(lenlen))
	for i := lenlen - 1; i >= 0; i-- {
		dst = append(dst, byte(n>>(8*i)))
	}
	var w bytes.Buffer
	zw := zlib.NewWriter(&w)
	if _, err := zw.Write(data); err != nil {
		return dst, err
	}
	if err := zw.Close(); err != nil {
		return dst, err
	}
	return append(dst, w.Bytes()...), nil
}

// AppendRowsExtraNDB appends an NDB extra row info entry (type, length byte
// counting itself and the format byte, format, data) to an ExtraData block.
func AppendRowsExtraNDB(dst []byte, format byte, data []byte) []byte {
	return append(append(dst, RowsExtraNDB, byte(2+len(data)), format), data...)
}

// AppendRowsExtraPartition appends a partition extra row info entry to an
// ExtraData block; update events (UPDATE_ROWS, PARTIAL_UPDATE_ROWS) carry the
// source partition too.
func AppendRowsExtraPartition(dst []byte, partition uint16, update bool, source uint16) []byte {
	dst = bin.AppendU16(append(dst, RowsExtraPartition), partition)
	if update {
		dst = bin.AppendU16(dst, source)
	}
	return dst
}
