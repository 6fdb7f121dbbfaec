package event

import (
	"iter"
	"strconv"

	"github.com/binlogkit/binlogkit/internal/bin"
)

// TableMap is the TABLE_MAP_EVENT (type 19) body: it binds a table id to a
// schema, a table and its column layout for the rows events that follow.
//
// A decoded TableMap aliases the bytes it was decoded from: every []byte
// field, the Value of every OptionalField and every iterator obtained from it
// are valid only as long as those bytes are. CopyTo and Clone detach a copy.
type TableMap struct {
	// TableID is the id rows events refer to: 6 bytes on the wire, 4 when the
	// format description gives TABLE_MAP a post-header length of 6 (servers
	// from 5.1 development trees before 5.1.4).
	TableID uint64
	// Flags is the table map flags field (bit 0: TM_BIT_LEN_EXACT_F).
	Flags  uint16
	Schema []byte // database name, without its length byte and NUL
	Table  []byte // table name, without its length byte and NUL
	// ColumnCount is the number of columns: len(ColumnTypes).
	ColumnCount uint64
	// ColumnTypes holds one type code per column, as logged (ENUM and SET
	// are logged as STRING; their real type is in the metadata).
	ColumnTypes []byte
	// Metadata is the raw per-column metadata block; ColumnMeta decodes it.
	Metadata []byte
	// NullBitmap has bit i (LSB first) set when column i is nullable.
	NullBitmap []byte
	// NoMetadata is true when the body ends right after the column types
	// (servers before 5.1.18 wrote neither metadata nor null bitmap).
	NoMetadata bool
	// Optional holds the optional metadata fields (MySQL 8.0.1+ with
	// binlog_row_metadata, MariaDB 10.5+) in the order they were written.
	// Unknown field types are kept as they are; the typed accessors
	// (Signedness, ColumnNames, …) use the first field of their type.
	Optional []OptionalField

	// countWidth and metaLenWidth are the widths of the packed column count
	// and metadata length as written (0: shortest form).
	countWidth, metaLenWidth uint8
	// meta holds the decoded metadata of each column; for a TYPED_ARRAY
	// column the element type sits in bits 24–31.
	meta []uint32
	// own backs the views of a TableMap filled by CopyTo.
	own []byte
}

// OptionalFieldType is the type byte of a TABLE_MAP optional metadata field.
type OptionalFieldType uint8

// Optional metadata field types. Fields that list one value per column of a
// kind count only the columns of that kind, in column order:
//   - numeric columns (SIGNEDNESS): TINY, SHORT, INT24, LONG, LONGLONG,
//     NEWDECIMAL, FLOAT, DOUBLE (YEAR is not numeric here);
//   - character columns (DEFAULT_CHARSET, COLUMN_CHARSET): STRING,
//     VAR_STRING, VARCHAR and the BLOB family by their real type (so not a
//     STRING column whose metadata says ENUM or SET), plus VECTOR in MySQL 9
//     and GEOMETRY in MariaDB;
//   - ENUM and SET columns (ENUM_AND_SET_*), SET columns (SET_STR_VALUE),
//     ENUM columns (ENUM_STR_VALUE), GEOMETRY columns (GEOMETRY_TYPE) and
//     VECTOR columns (VECTOR_DIMENSIONALITY).
//
// COLUMN_NAME and COLUMN_VISIBILITY count every column; the primary-key
// fields hold column indexes over all columns. Mapping these to columns is
// the job of package rowcodec.
const (
	OptSignedness               OptionalFieldType = 1  // bitmap over numeric columns, MSB first, 1 = UNSIGNED
	OptDefaultCharset           OptionalFieldType = 2  // packed default collation, then (character-column index, collation) pairs
	OptColumnCharset            OptionalFieldType = 3  // packed collation per character column
	OptColumnName               OptionalFieldType = 4  // packed string per column
	OptSetStrValue              OptionalFieldType = 5  // per SET column: packed count, then packed strings
	OptEnumStrValue             OptionalFieldType = 6  // per ENUM column: packed count, then packed strings
	OptGeometryType             OptionalFieldType = 7  // packed geometry type per GEOMETRY column
	OptSimplePrimaryKey         OptionalFieldType = 8  // packed column index per key part
	OptPrimaryKeyWithPrefix     OptionalFieldType = 9  // (packed column index, packed prefix length) pairs
	OptEnumAndSetDefaultCharset OptionalFieldType = 10 // as DEFAULT_CHARSET, over ENUM and SET columns
	OptEnumAndSetColumnCharset  OptionalFieldType = 11 // as COLUMN_CHARSET, over ENUM and SET columns
	OptColumnVisibility         OptionalFieldType = 12 // bitmap over all columns, MSB first, 1 = visible
	OptVectorDimensionality     OptionalFieldType = 13 // packed dimension count per VECTOR column
)

var optionalFieldNames = [...]string{
	OptSignedness:               "SIGNEDNESS",
	OptDefaultCharset:           "DEFAULT_CHARSET",
	OptColumnCharset:            "COLUMN_CHARSET",
	OptColumnName:               "COLUMN_NAME",
	OptSetStrValue:              "SET_STR_VALUE",
	OptEnumStrValue:             "ENUM_STR_VALUE",
	OptGeometryType:             "GEOMETRY_TYPE",
	OptSimplePrimaryKey:         "SIMPLE_PRIMARY_KEY",
	OptPrimaryKeyWithPrefix:     "PRIMARY_KEY_WITH_PREFIX",
	OptEnumAndSetDefaultCharset: "ENUM_AND_SET_DEFAULT_CHARSET",
	OptEnumAndSetColumnCharset:  "ENUM_AND_SET_COLUMN_CHARSET",
	OptColumnVisibility:         "COLUMN_VISIBILITY",
	OptVectorDimensionality:     "VECTOR_DIMENSIONALITY",
}

// String returns the server's name for the field type, or its number.
func (t OptionalFieldType) String() string {
	if int(t) < len(optionalFieldNames) && optionalFieldNames[t] != "" {
		return optionalFieldNames[t]
	}
	return "OPTIONAL_FIELD_" + strconv.Itoa(int(t))
}

// OptionalField is one type-length-value field of a TABLE_MAP's optional
// metadata. Value aliases the decoded bytes.
type OptionalField struct {
	Type  OptionalFieldType
	Value []byte
	// LenWidth is the width in bytes of the packed length as written (1, 3,
	// 4 or 9), kept so that a non-shortest encoding re-encodes exactly; 0 or
	// a width too small for len(Value) means the shortest form.
	LenWidth uint8
}

func init() { register(func() Body { return new(TableMap) }, TableMapEvent) }

// EventType returns TableMapEvent.
func (*TableMap) EventType() Type { return TableMapEvent }

// tableIDLen returns the width of the table id under f.
func tableIDLen(f *FormatDescription, t Type) int {
	if f != nil && f.PostHeaderLen(t, 8) == 6 {
		return 4
	}
	return 6
}

// packedWidth returns the width of the packed integer starting with b0.
func packedWidth(b0 byte) uint8 {
	switch b0 {
	case 0xfc:
		return 3
	case 0xfd:
		return 4
	case 0xfe:
		return 9
	}
	return 1
}

// appendPackedWidth appends v as a packed integer of the given width when v
// fits it, else in its shortest form.
func appendPackedWidth(dst []byte, v uint64, width uint8) []byte {
	switch {
	case width == 3 && v < 1<<16:
		return bin.AppendU16(append(dst, 0xfc), uint16(v))
	case width == 4 && v < 1<<24:
		return bin.AppendU24(append(dst, 0xfd), uint32(v))
	case width == 9:
		return bin.AppendU64(append(dst, 0xfe), v)
	}
	return bin.AppendPackedInt(dst, v)
}

// readPacked reads a packed integer and its width; ok is false on a short
// buffer or a NULL/invalid marker.
func readPacked(r *bin.Reader) (v uint64, width uint8, ok bool) {
	if r.Len() > 0 {
		width = packedWidth(r.B[r.Off])
	}
	v, ok = r.PackedInt()
	return v, width, ok
}

// DecodeBody decodes a TABLE_MAP body.
func (t *TableMap) DecodeBody(f *FormatDescription, _ Type, b []byte) error {
	*t = TableMap{meta: t.meta[:0], Optional: t.Optional[:0], own: t.own}
	r := bin.NewReader(b)
	t.TableID = r.Uint(tableIDLen(f, TableMapEvent))
	t.Flags = r.U16()
	n := int(r.U8())
	t.Schema = r.Bytes(n)
	if r.U8() != 0 && r.Err() == nil {
		return corruptf("table map: schema name not NUL-terminated")
	}
	n = int(r.U8())
	t.Table = r.Bytes(n)
	if r.U8() != 0 && r.Err() == nil {
		return corruptf("table map: table name not NUL-terminated")
	}
	var ok bool
	t.ColumnCount, t.countWidth, ok = readPacked(&r)
	if r.Err() != nil || !ok {
		return short("table map")
	}
	if t.ColumnCount > uint64(r.Len()) {
		return corruptf("table map: %d columns but %d bytes left", t.ColumnCount, r.Len())
	}
	t.ColumnTypes = r.Bytes(int(t.ColumnCount))
	if r.Len() == 0 {
		t.NoMetadata = true
	} else {
		var mlen uint64
		mlen, t.metaLenWidth, ok = readPacked(&r)
		if !ok || mlen > uint64(r.Len()) {
			return corruptf("table map: metadata block runs past the body")
		}
		t.Metadata = r.Bytes(int(mlen))
		t.NullBitmap = r.Bytes(int((t.ColumnCount + 7) / 8))
		if r.Err() != nil {
			return corruptf("table map: null bitmap runs past the body")
		}
		for r.Len() > 0 {
			typ := OptionalFieldType(r.U8())
			l, w, ok := readPacked(&r)
			if !ok || l > uint64(r.Len()) {
				return corruptf("table map: optional field %v runs past the body", typ)
			}
			t.Optional = append(t.Optional, OptionalField{Type: typ, Value: r.Bytes(int(l)), LenWidth: w})
		}
	}
	if r.Err() != nil {
		return short("table map")
	}
	return t.decodeMeta()
}

// columnMetaLen returns the size in bytes of the metadata of a column of type
// typ, given the bytes m that follow (needed for TYPED_ARRAY, whose metadata
// starts with the element type).
func columnMetaLen(typ ColumnType, m []byte) int {
	switch typ {
	case ColumnTypeFloat, ColumnTypeDouble, ColumnTypeTinyBlob, ColumnTypeBlob, ColumnTypeMediumBlob,
		ColumnTypeLongBlob, ColumnTypeGeometry, ColumnTypeJSON, ColumnTypeTime2, ColumnTypeDatetime2,
		ColumnTypeTimestamp2, ColumnTypeVector:
		return 1
	case ColumnTypeVarchar, ColumnTypeVarString, ColumnTypeString, ColumnTypeNewDecimal, ColumnTypeBit,
		ColumnTypeEnum, ColumnTypeSet:
		return 2
	case ColumnTypeTypedArray:
		if len(m) == 0 {
			return 1
		}
		if ColumnType(m[0]) == ColumnTypeVarchar {
			return 4 // element type + 3-byte max length
		}
		if ColumnType(m[0]) == ColumnTypeTypedArray {
			return -1
		}
		return 1 + columnMetaLen(ColumnType(m[0]), m[1:])
	}
	return 0
}

// decodeColumnMeta decodes the metadata m (of length columnMetaLen) of a
// column of type typ the way MySQL's replication code packs it.
func decodeColumnMeta(typ ColumnType, m []byte) uint32 {
	switch len(m) {
	case 0:
		return 0
	case 1:
		if typ == ColumnTypeTypedArray {
			return uint32(m[0]) << 24
		}
		return uint32(m[0])
	}
	switch typ {
	case ColumnTypeTypedArray:
		if ColumnType(m[0]) == ColumnTypeVarchar && len(m) == 4 {
			return uint32(m[0])<<24 | uint32(bin.Uint(m[1:4]))
		}
		return uint32(m[0])<<24 | decodeColumnMeta(ColumnType(m[0]), m[1:])
	case ColumnTypeString, ColumnTypeEnum, ColumnTypeSet, ColumnTypeNewDecimal:
		return uint32(m[0])<<8 | uint32(m[1]) // real type / precision first
	}
	return uint32(m[0]) | uint32(m[1])<<8 // VARCHAR/VAR_STRING length, BIT (bits, bytes): little-endian
}

// decodeMeta fills t.meta from t.Metadata.
func (t *TableMap) decodeMeta() error {
	m := t.Metadata
	for _, typ := range t.ColumnTypes {
		n := columnMetaLen(ColumnType(typ), m)
		if n < 0 || n > len(m) {
			if t.NoMetadata || len(t.Metadata) == 0 {
				// Servers that wrote no metadata: every column reads 0.
				t.meta = append(t.meta, 0)
				continue
			}
			return corruptf("table map: metadata block of %d bytes is too short for the column types", len(t.Metadata))
		}
		t.meta = append(t.meta, decodeColumnMeta(ColumnType(typ), m[:n]))
		m = m[n:]
	}
	return nil
}

// ColumnMeta returns column i's metadata packed as MySQL's replication code
// does: FLOAT/DOUBLE pack length, BLOB/GEOMETRY/JSON/VECTOR length-prefix
// size, TIME2/DATETIME2/TIMESTAMP2 fsp, VARCHAR/VAR_STRING max length,
// STRING/ENUM/SET real type<<8 | length byte ("long CHAR" lengths fold
// bits into the real-type byte), NEWDECIMAL precision<<8 | scale, BIT
// bytes<<8 | bits, 0 for types without metadata. For a TYPED_ARRAY column the
// element type is in bits 24–31 and the element's metadata below (a VARCHAR
// element has a 3-byte length). It returns 0 for i out of range.
func (t *TableMap) ColumnMeta(i int) uint32 {
	if i < 0 || i >= len(t.meta) {
		return 0
	}
	return t.meta[i]
}

// ColumnType returns column i's type as logged and, for a TYPED_ARRAY column
// (a multi-valued index), the element type with array set. It returns 0 for
// i out of range.
func (t *TableMap) ColumnType(i int) (typ ColumnType, array bool) {
	if i < 0 || i >= len(t.ColumnTypes) {
		return 0, false
	}
	if typ = ColumnType(t.ColumnTypes[i]); typ == ColumnTypeTypedArray {
		return ColumnType(t.ColumnMeta(i) >> 24), true
	}
	return typ, false
}

// Nullable reports whether column i may hold NULL according to NullBitmap.
func (t *TableMap) Nullable(i int) bool { return bitLSB(t.NullBitmap, i) }

// bitLSB reports bit i of an LSB-first bitmap (rows-event and null bitmaps).
func bitLSB(b []byte, i int) bool {
	return i >= 0 && i/8 < len(b) && b[i/8]&(1<<(i%8)) != 0
}

// AppendBody appends the encoded body.
func (t *TableMap) AppendBody(dst []byte, f *FormatDescription) ([]byte, error) {
	idLen := tableIDLen(f, TableMapEvent)
	if idLen == 4 && t.TableID > 0xffffffff || t.TableID >= 1<<48 {
		return dst, unsupportedf("table map: table id %d does not fit %d bytes", t.TableID, idLen)
	}
	if len(t.Schema) > 255 || len(t.Table) > 255 {
		return dst, unsupportedf("table map: name longer than 255 bytes")
	}
	if t.ColumnCount != uint64(len(t.ColumnTypes)) {
		return dst, corruptf("table map: ColumnCount %d but %d column types", t.ColumnCount, len(t.ColumnTypes))
	}
	dst = bin.AppendUint(dst, t.TableID, idLen)
	dst = bin.AppendU16(dst, t.Flags)
	dst = append(dst, byte(len(t.Schema)))
	dst = append(append(dst, t.Schema...), 0)
	dst = append(dst, byte(len(t.Table)))
	dst = append(append(dst, t.Table...), 0)
	dst = appendPackedWidth(dst, t.ColumnCount, t.countWidth)
	dst = append(dst, t.ColumnTypes...)
	if t.NoMetadata {
		if len(t.Metadata) != 0 || len(t.NullBitmap) != 0 || len(t.Optional) != 0 {
			return dst, corruptf("table map: NoMetadata set with metadata present")
		}
		return dst, nil
	}
	dst = appendPackedWidth(dst, uint64(len(t.Metadata)), t.metaLenWidth)
	dst = append(dst, t.Metadata...)
	nb := int((t.ColumnCount + 7) / 8)
	if len(t.NullBitmap) > nb {
		return dst, corruptf("table map: null bitmap of %d bytes for %d columns", len(t.NullBitmap), t.ColumnCount)
	}
	dst = append(dst, t.NullBitmap...)
	for i := len(t.NullBitmap); i < nb; i++ {
		dst = append(dst, 0)
	}
	for _, o := range t.Optional {
		dst = append(dst, byte(o.Type))
		dst = appendPackedWidth(dst, uint64(len(o.Value)), o.LenWidth)
		dst = append(dst, o.Value...)
	}
	return dst, nil
}

// Clone returns a deep copy sharing no memory with t.
func (t *TableMap) Clone() *TableMap {
	c := new(TableMap)
	t.CopyTo(c)
	return c
}

// CopyTo makes dst a deep copy of t that shares no memory with t, reusing
// dst's buffers: once dst has held a table map as large, it does not
// allocate.
func (t *TableMap) CopyTo(dst *TableMap) {
	if dst == t {
		return
	}
	n := len(t.Schema) + len(t.Table) + len(t.ColumnTypes) + len(t.Metadata) + len(t.NullBitmap)
	for _, o := range t.Optional {
		n += len(o.Value)
	}
	own := dst.own[:0]
	if cap(own) < n {
		own = make([]byte, 0, n)
	}
	meta := append(dst.meta[:0], t.meta...)
	opt := dst.Optional[:0]
	*dst = *t
	dst.own, dst.meta = own, meta
	dst.Schema = dst.keep(t.Schema)
	dst.Table = dst.keep(t.Table)
	dst.ColumnTypes = dst.keep(t.ColumnTypes)
	dst.Metadata = dst.keep(t.Metadata)
	dst.NullBitmap = dst.keep(t.NullBitmap)
	for _, o := range t.Optional {
		o.Value = dst.keep(o.Value)
		opt = append(opt, o)
	}
	dst.Optional = opt
}

// keep appends b to t.own (which has room for it) and returns the copy,
// preserving nil.
func (t *TableMap) keep(b []byte) []byte {
	if b == nil {
		return nil
	}
	start := len(t.own)
	t.own = append(t.own, b...)
	return t.own[start:len(t.own):len(t.own)]
}

// Field returns the first optional field of type typ.
func (t *TableMap) Field(typ OptionalFieldType) (OptionalField, bool) {
	for _, o := range t.Optional {
		if o.Type == typ {
			return o, true
		}
	}
	return OptionalField{}, false
}

// Signedness returns the SIGNEDNESS bitmap (one bit per numeric column, MSB
// first, set for UNSIGNED: bit i is b[i/8]&(0x80>>(i%8))); rowcodec.Table
// reads it into Column.Unsigned.
func (t *TableMap) Signedness() ([]byte, bool) {
	o, ok := t.Field(OptSignedness)
	return o.Value, ok
}

// ColumnVisibility returns the COLUMN_VISIBILITY bitmap (one bit per column,
// MSB first, set for a visible column); rowcodec.Table reads it into
// Column.Visible.
func (t *TableMap) ColumnVisibility() ([]byte, bool) {
	o, ok := t.Field(OptColumnVisibility)
	return o.Value, ok
}

// DefaultCharset returns the DEFAULT_CHARSET field: the default collation of
// character columns and the exceptions.
func (t *TableMap) DefaultCharset() (DefaultCharset, bool) {
	return t.defaultCharset(OptDefaultCharset)
}

// EnumAndSetDefaultCharset returns the ENUM_AND_SET_DEFAULT_CHARSET field.
func (t *TableMap) EnumAndSetDefaultCharset() (DefaultCharset, bool) {
	return t.defaultCharset(OptEnumAndSetDefaultCharset)
}

func (t *TableMap) defaultCharset(typ OptionalFieldType) (DefaultCharset, bool) {
	o, ok := t.Field(typ)
	if !ok {
		return DefaultCharset{}, false
	}
	r := bin.NewReader(o.Value)
	d, ok := r.PackedInt()
	if !ok {
		return DefaultCharset{Pairs: IntPairs{bad: true}}, true
	}
	return DefaultCharset{Default: d, Pairs: IntPairs{b: r.Rest()}}, true
}

// ColumnCharsets returns the COLUMN_CHARSET field: one collation per
// character column.
func (t *TableMap) ColumnCharsets() (PackedInts, bool) { return t.ints(OptColumnCharset) }

// EnumAndSetColumnCharsets returns the ENUM_AND_SET_COLUMN_CHARSET field.
func (t *TableMap) EnumAndSetColumnCharsets() (PackedInts, bool) {
	return t.ints(OptEnumAndSetColumnCharset)
}

// GeometryTypes returns the GEOMETRY_TYPE field: one type per GEOMETRY column.
func (t *TableMap) GeometryTypes() (PackedInts, bool) { return t.ints(OptGeometryType) }

// SimplePrimaryKey returns the SIMPLE_PRIMARY_KEY field: the column index of
// each key part.
func (t *TableMap) SimplePrimaryKey() (PackedInts, bool) { return t.ints(OptSimplePrimaryKey) }

// VectorDimensionality returns the VECTOR_DIMENSIONALITY field: one
// dimension count per VECTOR column.
func (t *TableMap) VectorDimensionality() (PackedInts, bool) {
	return t.ints(OptVectorDimensionality)
}

// PrimaryKeyWithPrefix returns the PRIMARY_KEY_WITH_PREFIX field: (column
// index, prefix length) per key part, prefix 0 for a whole column.
func (t *TableMap) PrimaryKeyWithPrefix() (IntPairs, bool) {
	o, ok := t.Field(OptPrimaryKeyWithPrefix)
	return IntPairs{b: o.Value}, ok
}

// ColumnNames returns the COLUMN_NAME field: one name per column.
func (t *TableMap) ColumnNames() (PackedStrings, bool) {
	o, ok := t.Field(OptColumnName)
	return PackedStrings{b: o.Value, n: -1}, ok
}

// SetStrValues returns the SET_STR_VALUE field: the member names of each SET
// column.
func (t *TableMap) SetStrValues() (StrValueLists, bool) {
	o, ok := t.Field(OptSetStrValue)
	return StrValueLists{b: o.Value}, ok
}

// EnumStrValues returns the ENUM_STR_VALUE field: the member names of each
// ENUM column.
func (t *TableMap) EnumStrValues() (StrValueLists, bool) {
	o, ok := t.Field(OptEnumStrValue)
	return StrValueLists{b: o.Value}, ok
}

func (t *TableMap) ints(typ OptionalFieldType) (PackedInts, bool) {
	o, ok := t.Field(typ)
	return PackedInts{b: o.Value}, ok
}

// DefaultCharset is a decoded DEFAULT_CHARSET or ENUM_AND_SET_DEFAULT_CHARSET
// field: Default applies to every counted column not listed in Pairs, which
// yields (index among the counted columns, collation).
type DefaultCharset struct {
	Default uint64
	Pairs   IntPairs
}

// PackedInts iterates a sequence of packed integers without allocating. It
// aliases the table map's bytes.
type PackedInts struct {
	b   []byte
	bad bool
}

// Next returns the next integer; ok is false at the end or on malformed
// input (then Err says so).
func (p *PackedInts) Next() (v uint64, ok bool) {
	if len(p.b) == 0 || p.bad {
		return 0, false
	}
	r := bin.NewReader(p.b)
	v, ok = r.PackedInt()
	if !ok {
		p.bad = true
		return 0, false
	}
	p.b = p.b[r.Off:]
	return v, true
}

// Err reports malformed input met by Next.
func (p *PackedInts) Err() error {
	if p.bad {
		return corruptf("table map: malformed packed integer in optional metadata")
	}
	return nil
}

// All returns a single-use iterator over the remaining integers. It
// advances p: after the loop, Err reports whether it stopped at malformed
// input rather than at the end.
func (p *PackedInts) All() iter.Seq[uint64] {
	return func(yield func(uint64) bool) {
		for {
			v, ok := p.Next()
			if !ok || !yield(v) {
				return
			}
		}
	}
}

// IntPairs iterates pairs of packed integers without allocating. It aliases
// the table map's bytes.
type IntPairs struct {
	b   []byte
	bad bool
}

// Next returns the next pair; ok is false at the end or on malformed input
// (then Err says so).
func (p *IntPairs) Next() (a, b uint64, ok bool) {
	if len(p.b) == 0 || p.bad {
		return 0, 0, false
	}
	r := bin.NewReader(p.b)
	a, ok1 := r.PackedInt()
	b, ok2 := r.PackedInt()
	if !ok1 || !ok2 {
		p.bad = true
		return 0, 0, false
	}
	p.b = p.b[r.Off:]
	return a, b, true
}

// Err reports malformed input met by Next.
func (p *IntPairs) Err() error {
	if p.bad {
		return corruptf("table map: malformed integer pair in optional metadata")
	}
	return nil
}

// All returns a single-use iterator over the remaining pairs. It advances
// p: after the loop, Err reports whether it stopped at malformed input
// rather than at the end.
func (p *IntPairs) All() iter.Seq2[uint64, uint64] {
	return func(yield func(uint64, uint64) bool) {
		for {
			a, b, ok := p.Next()
			if !ok || !yield(a, b) {
				return
			}
		}
	}
}

// PackedStrings iterates length-prefixed strings without allocating; the
// strings alias the table map's bytes.
type PackedStrings struct {
	b   []byte
	n   int // strings left, or -1 for "until the end"
	bad bool
}

// Next returns the next string; ok is false at the end or on malformed input
// (then Err says so).
func (p *PackedStrings) Next() (s []byte, ok bool) {
	if p.n == 0 || p.bad || p.n < 0 && len(p.b) == 0 {
		return nil, false
	}
	r := bin.NewReader(p.b)
	s = r.PackedBytes()
	if r.Err() != nil {
		p.bad = true
		return nil, false
	}
	p.b = p.b[r.Off:]
	if p.n > 0 {
		p.n--
	}
	return s, true
}

// Len returns the number of strings left when known (a SET/ENUM member
// list), else -1.
func (p *PackedStrings) Len() int { return p.n }

// Err reports malformed input met by Next.
func (p *PackedStrings) Err() error {
	if p.bad {
		return corruptf("table map: malformed string in optional metadata")
	}
	return nil
}

// All returns a single-use iterator over the remaining strings. It
// advances p: after the loop, Err reports whether it stopped at malformed
// input rather than at the end.
func (p *PackedStrings) All() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for {
			s, ok := p.Next()
			if !ok || !yield(s) {
				return
			}
		}
	}
}

// StrValueLists iterates the per-column member lists of a SET_STR_VALUE or
// ENUM_STR_VALUE field without allocating.
type StrValueLists struct {
	b   []byte
	bad bool
}

// Next returns the member names of the next column; ok is false at the end
// or on malformed input (then Err says so). The lists are independent: the
// caller need not consume one before asking for the next.
func (l *StrValueLists) Next() (PackedStrings, bool) {
	if len(l.b) == 0 || l.bad {
		return PackedStrings{}, false
	}
	r := bin.NewReader(l.b)
	n, ok := r.PackedInt()
	if !ok || n > uint64(r.Len()) {
		l.bad = true
		return PackedStrings{}, false
	}
	start := r.Off
	for i := uint64(0); i < n; i++ {
		r.PackedBytes()
	}
	if r.Err() != nil {
		l.bad = true
		return PackedStrings{}, false
	}
	l.b = l.b[r.Off:]
	return PackedStrings{b: r.B[start:r.Off:r.Off], n: int(n)}, true
}

// Err reports malformed input met by Next.
func (l *StrValueLists) Err() error {
	if l.bad {
		return corruptf("table map: malformed SET/ENUM value list")
	}
	return nil
}

// AppendColumnMeta appends the metadata bytes of a column of type typ whose
// metadata, packed as ColumnMeta returns it, is meta: the inverse of
// ColumnMeta, for building the Metadata block of a fabricated table map.
func AppendColumnMeta(dst []byte, typ ColumnType, meta uint32) []byte {
	if typ == ColumnTypeTypedArray {
		elem := ColumnType(meta >> 24)
		dst = append(dst, byte(elem))
		if elem == ColumnTypeVarchar {
			return bin.AppendU24(dst, meta&0xffffff)
		}
		return AppendColumnMeta(dst, elem, meta&0xffffff)
	}
	switch columnMetaLen(typ, nil) {
	case 1:
		return append(dst, byte(meta))
	case 2:
		switch typ {
		case ColumnTypeString, ColumnTypeEnum, ColumnTypeSet, ColumnTypeNewDecimal:
			return append(dst, byte(meta>>8), byte(meta))
		}
		return append(dst, byte(meta), byte(meta>>8))
	}
	return dst
}
