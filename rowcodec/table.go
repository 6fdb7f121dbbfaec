package rowcodec

import (
	"fmt"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/bin"
)

// collationBinary is the collation id of the binary character set.
const collationBinary = 63

// NewTable builds the column descriptions of a Table_map. The Table owns
// copies of the names and member strings: it stays valid after the event's
// bytes are reused.
func NewTable(tm *event.TableMap) (*Table, error) {
	t := new(Table)
	if err := t.Reset(tm); err != nil {
		return nil, err
	}
	return t, nil
}

// Reset makes t describe tm, reusing t's memory: once t has described a
// Table_map of the same shape (column count, name and member lengths), Reset
// does not allocate. When tm carries the same table id, names, column types,
// metadata, null bitmap and optional metadata as the Table_map t was last
// successfully built from (servers write a Table_map before every rows event,
// almost always the same as the previous one), Reset returns at once, leaving
// t's fields as they are (a caller that changed them must build a new Table;
// precisions given with SetPrecision stay, as they should).
// t also keeps the build before the current one: a Table_map that matches it
// (the same table id alternating between two tables, as after a server
// restart reuses ids) swaps the two builds' fields back instead of
// rebuilding. A rebuild leaves the precision of old-type TIME, DATETIME and
// TIMESTAMP columns unknown (Column.Precision) until SetPrecision gives it.
// Optional metadata that is malformed is reported as ErrCorrupt; t is then
// untrusted.
func (t *Table) Reset(tm *event.TableMap) error {
	if t.built.same(t, tm) {
		return nil
	}
	t.builds++
	if p := t.prev; p != nil && p.built.same(p, tm) {
		t.swapBuild()
		return nil
	}
	if t.built.valid {
		// Keep the current build as the previous one; rebuild in the
		// memory of the one before.
		if t.prev == nil {
			t.prev = new(Table)
		}
		t.swapBuild()
	}
	t.built.valid = false
	if err := t.reset(tm); err != nil {
		return err
	}
	t.built.record(tm)
	t.built.oldTemporal = t.scanOldTemporal()
	return nil
}

// swapBuild exchanges t's description (names, columns, key, builtFrom) with
// t.prev's.
func (t *Table) swapBuild() {
	p := t.prev
	t.ID, p.ID = p.ID, t.ID
	t.Schema, p.Schema = p.Schema, t.Schema
	t.Name, p.Name = p.Name, t.Name
	t.Columns, p.Columns = p.Columns, t.Columns
	t.PrimaryKey, p.PrimaryKey = p.PrimaryKey, t.PrimaryKey
	t.built, p.built = p.built, t.built
}

// Generation returns the number of times Reset changed what t describes
// (rebuilt its columns or swapped back to its previous build). A Reset
// that recognises a repeated Table_map leaves it unchanged, so a caller
// that derives something from t (quoted names, a statement head) can keep it
// while Generation returns the same number for the same *Table.
func (t *Table) Generation() uint64 { return t.builds }

// builtFrom keeps what a Table's columns were computed from, so that Reset
// can recognise a repeated Table_map. The schema and table names are compared
// with the Table's own copies.
type builtFrom struct {
	valid bool
	id    uint64
	types []byte
	nulls []byte
	// meta is ColumnMeta of every column, the decoded metadata Reset uses.
	meta []uint32
	// optional is the optional metadata fields in order, each as its type
	// byte, its length as 4 little-endian bytes and its value.
	optional []byte
	// oldTemporal says that the columns built have an old-type TIME,
	// DATETIME or TIMESTAMP column (see Table.hasOldTemporal).
	oldTemporal bool
}

// same reports whether tm is what t was last built from.
func (b *builtFrom) same(t *Table, tm *event.TableMap) bool {
	if !b.valid || tm.TableID != b.id || len(tm.ColumnTypes) != len(b.meta) ||
		string(tm.ColumnTypes) != string(b.types) || string(tm.NullBitmap) != string(b.nulls) ||
		string(tm.Schema) != string(t.Schema) || string(tm.Table) != string(t.Name) {
		return false
	}
	for i, m := range b.meta {
		if tm.ColumnMeta(i) != m {
			return false
		}
	}
	o := b.optional
	for _, f := range tm.Optional {
		n := len(f.Value)
		if len(o) < 5+n || o[0] != byte(f.Type) || int(le32(o[1:5])) != n || string(o[5:5+n]) != string(f.Value) {
			return false
		}
		o = o[5+n:]
	}
	return len(o) == 0
}

// record keeps tm as what t was built from, reusing b's memory.
func (b *builtFrom) record(tm *event.TableMap) {
	b.id = tm.TableID
	b.types = append(b.types[:0], tm.ColumnTypes...)
	b.nulls = append(b.nulls[:0], tm.NullBitmap...)
	b.meta = b.meta[:0]
	for i := range tm.ColumnTypes {
		b.meta = append(b.meta, tm.ColumnMeta(i))
	}
	b.optional = b.optional[:0]
	for _, f := range tm.Optional {
		if uint64(len(f.Value)) > 0xffffffff {
			return // not kept: t is rebuilt next time
		}
		n := uint32(len(f.Value))
		b.optional = append(b.optional, byte(f.Type), byte(n), byte(n>>8), byte(n>>16), byte(n>>24))
		b.optional = append(b.optional, f.Value...)
	}
	b.valid = true
}

// le32 reads 4 little-endian bytes.
func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// reset rebuilds t from tm.
func (t *Table) reset(tm *event.TableMap) error {
	n := len(tm.ColumnTypes)
	t.ID = tm.TableID
	t.Schema = append(t.Schema[:0], tm.Schema...)
	t.Name = append(t.Name[:0], tm.Table...)
	t.PrimaryKey = t.PrimaryKey[:0]
	if cap(t.Columns) < n {
		cols := make([]Column, n)
		copy(cols, t.Columns[:cap(t.Columns)])
		t.Columns = cols
	}
	t.Columns = t.Columns[:n]
	for i := range t.Columns {
		c := &t.Columns[i]
		// Keep the capacity of the owned slices, clear everything else.
		name, ev, sv := c.Name[:0], c.EnumValues[:0], c.SetValues[:0]
		*c = Column{Name: name, EnumValues: ev, SetValues: sv}
		c.Index = i
		c.WireType = event.ColumnType(tm.ColumnTypes[i])
		c.Nullable = tm.Nullable(i)
		c.Visible = true
		meta := tm.ColumnMeta(i)
		typ, array := tm.ColumnType(i)
		c.Type, c.Array = typ, array
		c.Meta = meta
		switch {
		case array:
			c.Meta = meta & 0xffffff
		case c.WireType == event.ColumnTypeString:
			c.Type, c.Meta = resolveString(meta)
		}
		if isOldTemporal(c) {
			c.Precision = PrecisionUnknown
		}
	}
	if len(tm.Optional) == 0 {
		t.PrimaryKey = nil
		return nil
	}
	return t.applyOptional(tm)
}

// resolveString splits the metadata of a STRING column into the real type
// (STRING, ENUM or SET) and the length in bytes. A CHAR longer than 255 bytes
// stores the two high bits of its length, inverted, in bits 4–5 of the type
// byte ("long CHAR": the real type always has both bits set).
func resolveString(meta uint32) (typ event.ColumnType, length uint32) {
	hi, lo := byte(meta>>8), meta&0xff
	if hi == 0 {
		// No metadata (servers before 5.1.18): a plain CHAR of unknown length.
		return event.ColumnTypeString, lo
	}
	if hi&0x30 != 0x30 {
		return event.ColumnType(hi | 0x30), uint32((hi&0x30)^0x30)<<4 | lo
	}
	return event.ColumnType(hi), lo
}

// stringMeta is the inverse of resolveString: the metadata as logged.
func stringMeta(typ event.ColumnType, length uint32) uint32 {
	if typ == 0 {
		return length
	}
	return uint32(byte(typ)^byte(length>>4&0x30))<<8 | length&0xff
}

// rawMeta returns the column's metadata as the table map logged it
// (event.TableMap.ColumnMeta), which is what mysqlbinlog prints.
func (c *Column) rawMeta() uint32 {
	switch {
	case c.Array:
		return uint32(c.Type)<<24 | c.Meta
	case c.WireType == event.ColumnTypeString:
		if c.Type == event.ColumnTypeString && c.Meta < 256 && c.Meta != 0 {
			return uint32(event.ColumnTypeString)<<8 | c.Meta
		}
		return stringMeta(c.Type, c.Meta)
	}
	return c.Meta
}

// isNumeric reports the columns the SIGNEDNESS field counts.
func isNumeric(c *Column) bool {
	if c.Array {
		return false
	}
	switch c.Type {
	case event.ColumnTypeTiny, event.ColumnTypeShort, event.ColumnTypeInt24, event.ColumnTypeLong,
		event.ColumnTypeLongLong, event.ColumnTypeNewDecimal, event.ColumnTypeFloat, event.ColumnTypeDouble:
		return true
	}
	return false
}

// isCharacter reports the columns the DEFAULT_CHARSET and COLUMN_CHARSET
// fields count, GEOMETRY and VECTOR aside (see charsetCounts).
func isCharacter(c *Column) bool {
	if c.Array {
		return false
	}
	switch c.Type {
	case event.ColumnTypeString, event.ColumnTypeVarString, event.ColumnTypeVarchar,
		event.ColumnTypeTinyBlob, event.ColumnTypeMediumBlob, event.ColumnTypeLongBlob, event.ColumnTypeBlob:
		return true
	}
	return false
}

func isEnumOrSet(c *Column) bool {
	return !c.Array && (c.Type == event.ColumnTypeEnum || c.Type == event.ColumnTypeSet)
}

// applyOptional fills the columns from the optional metadata fields. Each
// field lists values only for the columns of certain types, in column order;
// the mapping walks the columns and hands the next value to the next column
// of that kind, so hidden and TYPED_ARRAY columns never shift the others.
func (t *Table) applyOptional(tm *event.TableMap) error {
	cols := t.Columns
	if sign, ok := tm.Signedness(); ok {
		k := 0
		for i := range cols {
			if isNumeric(&cols[i]) {
				cols[i].HasSign = true
				cols[i].Unsigned = bin.BitMSB(sign, k)
				k++
			}
		}
	}
	if err := t.applyCharsets(tm); err != nil {
		return err
	}
	if names, ok := tm.ColumnNames(); ok {
		for i := range cols {
			s, ok := names.Next()
			if !ok {
				break
			}
			cols[i].Name = append(cols[i].Name[:0], s...)
		}
		if err := names.Err(); err != nil {
			return err
		}
	}
	if lists, ok := tm.SetStrValues(); ok {
		if err := fillMembers(cols, &lists, event.ColumnTypeSet); err != nil {
			return err
		}
	}
	if lists, ok := tm.EnumStrValues(); ok {
		if err := fillMembers(cols, &lists, event.ColumnTypeEnum); err != nil {
			return err
		}
	}
	if geo, ok := tm.GeometryTypes(); ok {
		for i := range cols {
			if !cols[i].Array && cols[i].Type == event.ColumnTypeGeometry {
				v, ok := geo.Next()
				if !ok {
					break
				}
				cols[i].GeometryType = uint32(v)
			}
		}
		if err := geo.Err(); err != nil {
			return err
		}
	}
	if dims, ok := tm.VectorDimensionality(); ok {
		for i := range cols {
			if !cols[i].Array && cols[i].Type == event.ColumnTypeVector {
				v, ok := dims.Next()
				if !ok {
					break
				}
				cols[i].VectorDims = uint32(v)
			}
		}
		if err := dims.Err(); err != nil {
			return err
		}
	}
	if pk, ok := tm.SimplePrimaryKey(); ok {
		for v, ok := pk.Next(); ok; v, ok = pk.Next() {
			if v >= uint64(len(cols)) {
				return corruptf("table map: primary key column %d of %d", v, len(cols))
			}
			cols[v].PrimaryKey = true
			t.PrimaryKey = append(t.PrimaryKey, int(v))
		}
		if err := pk.Err(); err != nil {
			return err
		}
	}
	if pk, ok := tm.PrimaryKeyWithPrefix(); ok {
		for v, p, ok := pk.Next(); ok; v, p, ok = pk.Next() {
			if v >= uint64(len(cols)) {
				return corruptf("table map: primary key column %d of %d", v, len(cols))
			}
			cols[v].PrimaryKey = true
			cols[v].PKPrefix = uint32(p)
			t.PrimaryKey = append(t.PrimaryKey, int(v))
		}
		if err := pk.Err(); err != nil {
			return err
		}
	}
	if vis, ok := tm.ColumnVisibility(); ok {
		for i := range cols {
			cols[i].Visible = bin.BitMSB(vis, i)
		}
	}
	if len(t.PrimaryKey) == 0 {
		t.PrimaryKey = nil
	}
	return nil
}

// fillMembers copies the member names of each column of type typ.
func fillMembers(cols []Column, lists *event.StrValueLists, typ event.ColumnType) error {
	for i := range cols {
		c := &cols[i]
		if c.Array || c.Type != typ {
			continue
		}
		l, ok := lists.Next()
		if !ok {
			break
		}
		dst := c.SetValues
		if typ == event.ColumnTypeEnum {
			dst = c.EnumValues
		}
		dst = dst[:0]
		for s, ok := l.Next(); ok; s, ok = l.Next() {
			if len(dst) < cap(dst) {
				dst = dst[:len(dst)+1]
				dst[len(dst)-1] = append(dst[len(dst)-1][:0], s...)
			} else {
				dst = append(dst, append([]byte(nil), s...))
			}
		}
		if err := l.Err(); err != nil {
			return err
		}
		if typ == event.ColumnTypeEnum {
			c.EnumValues = dst
		} else {
			c.SetValues = dst
		}
	}
	return lists.Err()
}

// applyCharsets maps DEFAULT_CHARSET/COLUMN_CHARSET onto the character
// columns and ENUM_AND_SET_* onto the ENUM and SET columns.
//
// Which columns count as "character" differs between servers: MySQL 8.0
// counts CHAR, VARCHAR and the BLOB/TEXT family; MariaDB also counts GEOMETRY
// (binary charset) and MySQL 9 may count VECTOR. The table map does not say
// which server wrote it, so the choice is made from the field itself: a
// COLUMN_CHARSET field has exactly one entry per counted column. For
// DEFAULT_CHARSET the wider counting is chosen when its exceptions are
// consistent with it (each names a counted column, and GEOMETRY/VECTOR
// columns get only the binary collation) and either the narrower counting is
// not, or there are no plain character columns, or the default is binary, or
// an exception names a GEOMETRY/VECTOR column. Giving a GEOMETRY column a
// collation is harmless; what matters is that the exceptions land on the
// right character columns.
func (t *Table) applyCharsets(tm *event.TableMap) error {
	cols := t.Columns
	var base, geo, vec int
	for i := range cols {
		c := &cols[i]
		switch {
		case isCharacter(c):
			base++
		case !c.Array && c.Type == event.ColumnTypeGeometry:
			geo++
		case !c.Array && c.Type == event.ColumnTypeVector:
			vec++
		}
	}
	withGeo, withVec := false, false
	counted := func(c *Column) bool {
		if isCharacter(c) {
			return true
		}
		if c.Array {
			return false
		}
		return withGeo && c.Type == event.ColumnTypeGeometry || withVec && c.Type == event.ColumnTypeVector
	}
	if cs, ok := tm.ColumnCharsets(); ok {
		n, count := 0, cs // count a copy: cs is read again below
		for range count.All() {
			n++
		}
		if err := count.Err(); err != nil {
			return err
		}
		switch n {
		case base:
		case base + geo:
			withGeo = true
		case base + vec:
			withVec = true
		case base + geo + vec:
			withGeo, withVec = true, true
		}
		k := 0
		for i := range cols {
			if !counted(&cols[i]) {
				continue
			}
			v, ok := cs.Next()
			if !ok {
				break
			}
			cols[i].Collation = uint16(v)
			k++
		}
		if err := cs.Err(); err != nil {
			return err
		}
	} else if dc, ok := tm.DefaultCharset(); ok {
		// Decide the counting from the exceptions (see above).
		if geo+vec > 0 {
			withGeo, withVec = geo > 0, vec > 0
			incl, hitExtra := consistentPairs(cols, dc.Pairs, counted)
			withGeo, withVec = false, false
			excl, _ := consistentPairs(cols, dc.Pairs, counted)
			if incl && (!excl || base == 0 || dc.Default == collationBinary || hitExtra) {
				withGeo, withVec = geo > 0, vec > 0
			}
		}
		if err := applyDefault(cols, dc, counted); err != nil {
			return err
		}
	}
	if cs, ok := tm.EnumAndSetColumnCharsets(); ok {
		for i := range cols {
			if !isEnumOrSet(&cols[i]) {
				continue
			}
			v, ok := cs.Next()
			if !ok {
				break
			}
			cols[i].Collation = uint16(v)
		}
		if err := cs.Err(); err != nil {
			return err
		}
	} else if dc, ok := tm.EnumAndSetDefaultCharset(); ok {
		if err := applyDefault(cols, dc, isEnumOrSet); err != nil {
			return err
		}
	}
	return nil
}

// consistentPairs reports whether every DEFAULT_CHARSET exception names a
// counted column and gives GEOMETRY/VECTOR columns only the binary
// collation; hitExtra reports an exception naming such a column.
func consistentPairs(cols []Column, pairs event.IntPairs, counted func(*Column) bool) (ok, hitExtra bool) {
	for idx, coll, more := pairs.Next(); more; idx, coll, more = pairs.Next() {
		k := uint64(0)
		found := false
		for i := range cols {
			c := &cols[i]
			if !counted(c) {
				continue
			}
			if k == idx {
				found = true
				if !isCharacter(c) {
					if coll != collationBinary {
						return false, hitExtra
					}
					hitExtra = true
				}
				break
			}
			k++
		}
		if !found {
			return false, hitExtra
		}
	}
	return pairs.Err() == nil, hitExtra
}

// applyDefault gives every counted column the default collation, then the
// listed exceptions.
func applyDefault(cols []Column, dc event.DefaultCharset, counted func(*Column) bool) error {
	for i := range cols {
		if counted(&cols[i]) {
			cols[i].Collation = uint16(dc.Default)
		}
	}
	pairs := dc.Pairs
	for idx, coll, ok := pairs.Next(); ok; idx, coll, ok = pairs.Next() {
		k := uint64(0)
		for i := range cols {
			if !counted(&cols[i]) {
				continue
			}
			if k == idx {
				cols[i].Collation = uint16(coll)
				break
			}
			k++
		}
	}
	return pairs.Err()
}

// tableName returns "db.table" for errors.
func (t *Table) tableName() string {
	return string(t.Schema) + "." + string(t.Name)
}

// columnError wraps err with the column it is about.
func (t *Table) columnError(i int, err error) error {
	c := &t.Columns[i]
	return &ColumnError{Table: t.tableName(), Column: i, Name: string(c.Name), Type: c.Type, Err: err}
}

// imageError wraps an error about a row image as a whole (not one column)
// with the table's name.
func (t *Table) imageError(err error) error {
	return fmt.Errorf("rowcodec: %s: %w", t.tableName(), err)
}
