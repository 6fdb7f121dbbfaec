package rowcodec

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/bin"
)

// Row images.
//
// A row image is a null bitmap with one bit per column PRESENT in the image
// (the rows event's columns-present bitmap; every column for FULL images),
// LSB first, followed by the values of the present, non-NULL columns in
// column order. The after image of a PARTIAL_UPDATE_ROWS event starts with
// a packed integer value_options; when its bit 0 (PARTIAL_JSON) is set, a
// bitmap follows with one bit per JSON column of the table (present or not,
// LSB first) that is set when that column carries a diff vector instead of
// a full document. Then comes the usual image.

// valueOptionPartialJSON is bit 0 of value_options (PARTIAL_JSON).
const valueOptionPartialJSON = 1

func bitLSB(b []byte, i int) bool { return i/8 < len(b) && b[i/8]&(1<<(i%8)) != 0 }

// presentCount returns the number of the first n columns whose bit is set in
// present; nil present means all n.
func presentCount(present []byte, n int) int {
	if present == nil {
		return n
	}
	k := 0
	full := n / 8
	for i := 0; i < full && i < len(present); i++ {
		k += bits.OnesCount8(present[i])
	}
	if r := n % 8; r != 0 && full < len(present) {
		k += bits.OnesCount8(present[full] & (1<<r - 1))
	}
	return k
}

// isPresent reports bit i of present (nil: all present).
func isPresent(present []byte, i int) bool { return present == nil || bitLSB(present, i) }

// isTemporal reports the types temporal.go decodes.
func isTemporal(typ event.ColumnType) bool {
	switch typ {
	case event.ColumnTypeDate, event.ColumnTypeNewDate, event.ColumnTypeTime, event.ColumnTypeTime2,
		event.ColumnTypeDatetime, event.ColumnTypeDatetime2, event.ColumnTypeTimestamp, event.ColumnTypeTimestamp2:
		return true
	}
	return false
}

// decodeValue decodes one non-NULL value of column c at the start of b.
func decodeValue(c *Column, b []byte, diff bool) (Value, int, error) {
	if c.Array {
		return Value{}, 0, unsupportedf("TYPED_ARRAY (multi-valued index) column in a row image")
	}
	// One switch on the type (the cases are the types numericLen,
	// isStringType and isTemporal accept, in that order of precedence).
	switch c.Type {
	case event.ColumnTypeTiny, event.ColumnTypeShort, event.ColumnTypeInt24, event.ColumnTypeLong,
		event.ColumnTypeLongLong, event.ColumnTypeFloat, event.ColumnTypeDouble, event.ColumnTypeYear,
		event.ColumnTypeBit, event.ColumnTypeEnum, event.ColumnTypeSet:
		return decodeNumeric(c, b)
	case event.ColumnTypeString, event.ColumnTypeVarchar, event.ColumnTypeVarString,
		event.ColumnTypeTinyBlob, event.ColumnTypeMediumBlob, event.ColumnTypeLongBlob, event.ColumnTypeBlob,
		event.ColumnTypeGeometry, event.ColumnTypeVector:
		return decodeString(c, b)
	case event.ColumnTypeDate, event.ColumnTypeNewDate, event.ColumnTypeTime, event.ColumnTypeTime2,
		event.ColumnTypeDatetime, event.ColumnTypeDatetime2, event.ColumnTypeTimestamp, event.ColumnTypeTimestamp2:
		return decodeTemporal(c, b)
	case event.ColumnTypeNewDecimal, event.ColumnTypeDecimal:
		return decodeDecimal(c, b)
	case event.ColumnTypeJSON:
		if diff {
			return decodeJSONDiff(c, b)
		}
		return decodeJSON(c, b)
	case event.ColumnTypeNull:
		return Value{}, 0, nil
	}
	return Value{}, 0, unsupportedf("column type %d", c.Type)
}

// appendValue appends the wire form of one non-NULL value of column c.
func appendValue(dst []byte, c *Column, v Value) ([]byte, error) {
	if c.Array {
		return dst, unsupportedf("TYPED_ARRAY (multi-valued index) column in a row image")
	}
	switch {
	case numericLen(c) >= 0:
		return appendNumeric(dst, c, v)
	case isStringType(c.Type):
		return appendString(dst, c, v)
	case isTemporal(c.Type):
		return appendTemporal(dst, c, v)
	}
	switch c.Type {
	case event.ColumnTypeNewDecimal, event.ColumnTypeDecimal:
		return appendDecimal(dst, c, v)
	case event.ColumnTypeJSON:
		if v.kind == KindJSONDiff {
			return appendJSONDiff(dst, c, v)
		}
		return appendJSON(dst, c, v)
	case event.ColumnTypeNull:
		return dst, nil
	}
	return dst, unsupportedf("column type %d", c.Type)
}

// DecodeRow decodes one row image img into dst, which must hold at least
// one Value per column: dst[i] is Absent for a column not in present (the
// rows event's columns-present bitmap for this image; nil means every
// column), the zero Value (NULL) for a NULL column, and the decoded value
// otherwise. It returns the number of bytes of img the image used. Values
// alias img. DecodeRow does not allocate.
//
// A value error is a *ColumnError naming the table and column, wrapping
// ErrTruncated/ErrCorrupt/ErrUnsupported.
//
// For a table with TIME, DATETIME or TIMESTAMP columns logged with the old
// type codes, an error is a *PrecisionError wrapping the *ColumnError; a
// row that decodes may still be misread when a precision is wrong or
// unknown: check the whole event first with CheckPrecision.
func (t *Table) DecodeRow(img []byte, present []byte, dst []Value) (n int, err error) {
	n, err = t.decodeRow(img, present, dst, nil)
	if err != nil {
		err = t.imagePrecisionError(err)
	}
	return n, err
}

// SkipRow returns the length of the row image at the start of img without
// keeping its values (it still walks each value's length). Errors are as
// DecodeRow's.
func (t *Table) SkipRow(img []byte, present []byte) (n int, err error) {
	n, err = t.decodeRow(img, present, nil, nil)
	if err != nil {
		err = t.imagePrecisionError(err)
	}
	return n, err
}

// decodeRow decodes (dst != nil) or skips (dst == nil) one image; partial,
// when not nil, is the bitmap over the table's JSON columns that marks diff
// vectors.
//
// The commonest columns are decoded here rather than through decodeValue
// (integers, CHAR/VARCHAR and BLOB/TEXT inline; temporal and DECIMAL
// columns by their decoder directly), with the same checks and results.
// When every column is present and no column is a JSON diff (FULL images,
// all but PARTIAL_UPDATE_ROWS), a null-bitmap byte of eight NULLs sets
// eight values at once.
func (t *Table) decodeRow(img []byte, present []byte, dst []Value, partial []byte) (int, error) {
	cols := t.Columns
	if dst != nil && len(dst) < len(cols) {
		return 0, corruptf("rowcodec: %d values for %d columns", len(dst), len(cols))
	}
	np := presentCount(present, len(cols))
	nb := (np + 7) / 8
	if nb > len(img) {
		return 0, t.imageError(truncated("null bitmap", nb, len(img)))
	}
	nulls := img[:nb]
	off := nb
	all := np == len(cols) && partial == nil // k == i, no diff
	k := 0                                   // index among present columns
	j := 0                                   // index among JSON columns
	for i := 0; i < len(cols); i++ {
		c := &cols[i]
		diff := false
		if !all {
			if c.Type == event.ColumnTypeJSON && !c.Array {
				diff = partial != nil && bitLSB(partial, j)
				j++
			}
			if !isPresent(present, i) {
				if dst != nil {
					dst[i] = Absent
				}
				continue
			}
		} else if i&7 == 0 && i+8 <= len(cols) && nulls[i>>3] == 0xff {
			if dst != nil {
				clear(dst[i : i+8])
			}
			i += 7
			k += 8
			continue
		}
		null := nulls[k>>3]&(1<<(k&7)) != 0
		k++
		if null {
			if dst != nil {
				dst[i] = Value{}
			}
			continue
		}
		if c.Array {
			_, _, err := decodeValue(c, img[off:], diff)
			return off, t.columnError(i, err)
		}
		b := img[off:]
		switch c.Type {
		case event.ColumnTypeTiny, event.ColumnTypeShort, event.ColumnTypeInt24, event.ColumnTypeLong, event.ColumnTypeLongLong:
			// Integer columns, decoded here as decodeNumeric does.
			var u uint64
			w := 0
			switch c.Type {
			case event.ColumnTypeTiny:
				if len(b) >= 1 {
					u, w = uint64(b[0]), 1
				}
			case event.ColumnTypeShort:
				if len(b) >= 2 {
					u, w = uint64(binary.LittleEndian.Uint16(b)), 2
				}
			case event.ColumnTypeInt24:
				if len(b) >= 3 {
					u, w = uint64(b[0])|uint64(b[1])<<8|uint64(b[2])<<16, 3
				}
			case event.ColumnTypeLong:
				if len(b) >= 4 {
					u, w = uint64(binary.LittleEndian.Uint32(b)), 4
				}
			default:
				if len(b) >= 8 {
					u, w = binary.LittleEndian.Uint64(b), 8
				}
			}
			if w == 0 {
				break // truncated: decodeValue reports it
			}
			off += w
			if dst != nil {
				if c.HasSign && c.Unsigned {
					dst[i] = Value{kind: KindUint, num: u}
				} else {
					shift := uint(64 - 8*w)
					dst[i] = Value{kind: KindInt, num: uint64(int64(u<<shift) >> shift)}
				}
			}
			continue
		case event.ColumnTypeFloat, event.ColumnTypeDouble, event.ColumnTypeYear, event.ColumnTypeEnum, event.ColumnTypeSet:
			// Fixed-width numbers, decoded here as decodeNumeric does
			// when the value is whole (and ENUM/SET widths valid).
			var v Value
			w := 0
			switch c.Type {
			case event.ColumnTypeFloat:
				if len(b) >= 4 {
					v, w = Value{kind: KindFloat32, num: uint64(binary.LittleEndian.Uint32(b))}, 4
				}
			case event.ColumnTypeDouble:
				if len(b) >= 8 {
					v, w = Value{kind: KindFloat64, num: binary.LittleEndian.Uint64(b)}, 8
				}
			case event.ColumnTypeYear:
				if len(b) >= 1 {
					y := uint64(b[0])
					if y != 0 {
						y += 1900
					}
					v, w = Value{kind: KindYear, num: y}, 1
				}
			default:
				k, n := KindEnum, int(c.Meta)
				if c.Type == event.ColumnTypeSet {
					k = KindSet
				}
				if (n == 1 || n == 2 || k == KindSet && n <= 8) && n <= len(b) {
					v, w = Value{kind: k, aux: uint32(n), num: leUint(b[:n])}, n
				}
			}
			if w > 0 {
				off += w
				if dst != nil {
					dst[i] = v
				}
				continue
			}
		case event.ColumnTypeVarchar, event.ColumnTypeString, event.ColumnTypeVarString:
			// CHAR and VARCHAR, decoded here as decodeString does when the
			// value is whole.
			if len(b) >= 2 || len(b) >= 1 && c.Meta <= 255 {
				ls, l := 1, int(b[0])
				if c.Meta > 255 {
					ls, l = 2, int(b[0])|int(b[1])<<8
				}
				if l <= len(b)-ls {
					end := ls + l
					off += end
					if dst != nil {
						k := KindString
						if c.Collation == collationBinary {
							k = KindBytes
						}
						dst[i] = Value{kind: k, aux: uint32(c.Collation), b: b[ls:end:end]}
					}
					continue
				}
			}
		case event.ColumnTypeBlob, event.ColumnTypeTinyBlob, event.ColumnTypeMediumBlob, event.ColumnTypeLongBlob:
			// BLOB and TEXT, decoded here as decodeString does when the
			// value is whole.
			if ls := lengthSize(c); ls >= 1 && ls <= 4 && ls <= len(b) {
				var l uint64
				switch ls {
				case 1:
					l = uint64(b[0])
				case 2:
					l = uint64(binary.LittleEndian.Uint16(b))
				case 3:
					l = uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16
				default:
					l = uint64(binary.LittleEndian.Uint32(b))
				}
				if l <= uint64(len(b)-ls) {
					end := ls + int(l)
					off += end
					if dst != nil {
						k := KindBytes
						if c.Collation != 0 && c.Collation != collationBinary {
							k = KindString
						}
						dst[i] = Value{kind: k, aux: uint32(c.Collation), b: b[ls:end:end]}
					}
					continue
				}
			}
		case event.ColumnTypeDate, event.ColumnTypeNewDate, event.ColumnTypeTime, event.ColumnTypeTime2,
			event.ColumnTypeDatetime, event.ColumnTypeDatetime2, event.ColumnTypeTimestamp, event.ColumnTypeTimestamp2:
			v, n, err := decodeTemporal(c, b)
			if err != nil {
				return off, t.columnError(i, err)
			}
			off += n
			if dst != nil {
				dst[i] = v
			}
			continue
		case event.ColumnTypeNewDecimal, event.ColumnTypeDecimal:
			v, n, err := decodeDecimal(c, b)
			if err != nil {
				return off, t.columnError(i, err)
			}
			off += n
			if dst != nil {
				dst[i] = v
			}
			continue
		}
		v, n, err := decodeValue(c, b, diff)
		if err != nil {
			return off, t.columnError(i, err)
		}
		off += n
		if dst != nil {
			dst[i] = v
		}
	}
	return off, nil
}

// AppendRow appends the row image of vals (one Value per column) for the
// columns in present (nil: all columns): the null bitmap, then the non-NULL
// values. A present column must not be Absent. It is the inverse of
// DecodeRow.
func (t *Table) AppendRow(dst []byte, present []byte, vals []Value) ([]byte, error) {
	return t.appendRow(dst, present, vals, false)
}

func (t *Table) appendRow(dst []byte, present []byte, vals []Value, diffs bool) ([]byte, error) {
	cols := t.Columns
	if len(vals) < len(cols) {
		return dst, corruptf("rowcodec: %d values for %d columns", len(vals), len(cols))
	}
	np := presentCount(present, len(cols))
	start := len(dst)
	for i := 0; i < (np+7)/8; i++ {
		dst = append(dst, 0)
	}
	k := 0
	for i := range cols {
		if !isPresent(present, i) {
			continue
		}
		v := vals[i]
		switch {
		case v.kind == KindAbsent:
			return dst[:start], t.columnError(i, corruptf("absent value for a column in the image"))
		case v.kind == KindNull:
			dst[start+k/8] |= 1 << (k % 8)
		case v.kind == KindJSONDiff && !diffs:
			return dst[:start], t.columnError(i, corruptf("a JSON diff outside a partial update's after image"))
		default:
			var err error
			if dst, err = appendValue(dst, &cols[i], v); err != nil {
				return dst[:start], t.columnError(i, err)
			}
		}
		k++
	}
	return dst, nil
}

// jsonColumns returns the number of JSON columns of the table.
func (t *Table) jsonColumns() int {
	n := 0
	for i := range t.Columns {
		if t.Columns[i].Type == event.ColumnTypeJSON && !t.Columns[i].Array {
			n++
		}
	}
	return n
}

// AppendPartialAfterRow appends the after image of a PARTIAL_UPDATE_ROWS
// row: value_options, the partial bitmap over the JSON columns when any
// present value is a KindJSONDiff, then the image.
func (t *Table) AppendPartialAfterRow(dst []byte, present []byte, vals []Value) ([]byte, error) {
	if len(vals) < len(t.Columns) {
		return dst, corruptf("rowcodec: %d values for %d columns", len(vals), len(t.Columns))
	}
	nj := t.jsonColumns()
	hasDiff := false
	for i := range t.Columns {
		if isPresent(present, i) && vals[i].kind == KindJSONDiff {
			hasDiff = true
		}
	}
	if !hasDiff {
		dst = append(dst, 0)
		return t.appendRow(dst, present, vals, false)
	}
	dst = append(dst, valueOptionPartialJSON)
	start := len(dst)
	for i := 0; i < (nj+7)/8; i++ {
		dst = append(dst, 0)
	}
	j := 0
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Type != event.ColumnTypeJSON || c.Array {
			continue
		}
		if isPresent(present, i) && vals[i].kind == KindJSONDiff {
			dst[start+j/8] |= 1 << (j % 8)
		}
		j++
	}
	return t.appendRow(dst, present, vals, true)
}

// NextRow decodes the row starting at offset off of r.Data (start at 0)
// and returns the offset of the next row, or io.EOF when off is at the end.
// WRITE rows fill after, DELETE rows fill before, UPDATE rows both (each
// with its own present bitmap); a nil slice skips that image. For
// PARTIAL_UPDATE_ROWS the after image's JSON columns that carry a diff
// decode as KindJSONDiff. A MariaDB compressed event is decompressed first
// (r.Decompress). Values alias r.Data.
//
// At offset 0 of a table with TIME, DATETIME or TIMESTAMP columns logged
// with the old type codes, NextRow first checks the whole event against
// their precisions (CheckPrecision) and returns its *PrecisionError.
func (t *Table) NextRow(r *event.Rows, off int, before, after []Value) (next int, err error) {
	if r.IsCompressed() && r.Data == nil {
		if err := r.Decompress(); err != nil {
			return off, err
		}
	}
	if off == 0 && t.hasOldTemporal() {
		if err := t.CheckPrecision(r); err != nil {
			return off, err
		}
	}
	return t.nextRow(r, off, before, after, nil)
}

// nextRow is NextRow without the check of CheckPrecision; pad, when not
// nil, checks the unused bits of every image's null bitmap.
func (t *Table) nextRow(r *event.Rows, off int, before, after []Value, pad *padCheck) (next int, err error) {
	if off < 0 || off > len(r.Data) {
		return off, corruptf("rowcodec: row offset %d outside %d bytes", off, len(r.Data))
	}
	if off == len(r.Data) {
		return off, io.EOF
	}
	if r.ColumnCount != uint64(len(t.Columns)) {
		return off, corruptf("rowcodec: rows event for %d columns, table map %s has %d", r.ColumnCount, t.tableName(), len(t.Columns))
	}
	start := off
	kind := r.Kind()
	if kind == event.RowsUpdate || kind == event.RowsDelete {
		if pad != nil {
			if err := pad.check(r.Data[off:], presentCount(r.ColumnsBefore, len(t.Columns))); err != nil {
				return off, err
			}
		}
		n, err := t.decodeRow(r.Data[off:], r.ColumnsBefore, before, nil)
		if err != nil {
			return off, err
		}
		off += n
	}
	if kind == event.RowsUpdate || kind == event.RowsWrite {
		var partial []byte
		if r.Type == event.PartialUpdateRowsEvent {
			rd := bin.NewReader(r.Data[off:])
			opts, ok := rd.PackedInt()
			if !ok {
				return off, t.imageError(truncated("value_options", 1, len(r.Data)-off))
			}
			if opts > valueOptionPartialJSON {
				return off, corruptf("rowcodec: value_options %#x", opts)
			}
			off += rd.Off
			if opts&valueOptionPartialJSON != 0 {
				nb := (t.jsonColumns() + 7) / 8
				if nb > len(r.Data)-off {
					return off, t.imageError(truncated("partial JSON bitmap", nb, len(r.Data)-off))
				}
				partial = r.Data[off : off+nb]
				off += nb
			}
		}
		if pad != nil {
			if err := pad.check(r.Data[off:], presentCount(r.ColumnsAfter, len(t.Columns))); err != nil {
				return off, err
			}
		}
		n, err := t.decodeRow(r.Data[off:], r.ColumnsAfter, after, partial)
		if err != nil {
			return off, err
		}
		off += n
	}
	if off == start {
		// A row always takes at least one byte (its null bitmap, or a
		// value): an image of none would never end the event.
		return start, corruptf("rowcodec: empty row image at offset %d of %s", start, t.tableName())
	}
	return off, nil
}

// Row is a before/after pair for AppendRowsData; the image a rows event
// type does not have is ignored.
type Row struct {
	Before, After []Value
}

// AppendRowsData appends the Data of a rows event of r's type (and with
// r's ColumnsBefore/ColumnsAfter bitmaps) holding rows: the inverse of
// iterating it with NextRow. For PARTIAL_UPDATE_ROWS the after images are
// written with AppendPartialAfterRow.
func (t *Table) AppendRowsData(dst []byte, r *event.Rows, rows []Row) ([]byte, error) {
	kind := r.Kind()
	var err error
	for _, row := range rows {
		if kind == event.RowsUpdate || kind == event.RowsDelete {
			if dst, err = t.AppendRow(dst, r.ColumnsBefore, row.Before); err != nil {
				return dst, err
			}
		}
		if kind == event.RowsUpdate || kind == event.RowsWrite {
			if r.Type == event.PartialUpdateRowsEvent {
				dst, err = t.AppendPartialAfterRow(dst, r.ColumnsAfter, row.After)
			} else {
				dst, err = t.AppendRow(dst, r.ColumnsAfter, row.After)
			}
			if err != nil {
				return dst, err
			}
		}
	}
	return dst, nil
}

// RowIter iterates the rows of one rows event: Next decodes the next row
// into Before and After (the caller's slices, reused for every row).
type RowIter struct {
	t   *Table
	r   *event.Rows
	off int
	err error
	// Before is the before image (UPDATE, DELETE): the caller's slice cut to
	// the table's columns; nil when the event has none or the caller passed
	// nil.
	Before []Value
	// After is the after image (WRITE, UPDATE), likewise.
	After []Value
}

// Rows returns an iterator over r's rows that decodes into before and after
// (each of at least len(t.Columns) values, or nil to skip that image).
func (t *Table) Rows(r *event.Rows, before, after []Value) RowIter {
	n := len(t.Columns)
	it := RowIter{t: t, r: r}
	switch r.Kind() {
	case event.RowsWrite:
		before = nil
	case event.RowsDelete:
		after = nil
	}
	if len(before) >= n {
		it.Before = before[:n:n]
	}
	if len(after) >= n {
		it.After = after[:n:n]
	}
	if before != nil && it.Before == nil || after != nil && it.After == nil {
		it.err = fmt.Errorf("rowcodec: %s has %d columns, the slices given hold %d and %d", t.AppendName(nil), n, len(before), len(after))
	}
	return it
}

// Next decodes the next row; it returns false at the end or on an error
// (then Err says which).
func (it *RowIter) Next() bool {
	if it.err != nil {
		return false
	}
	next, err := it.t.NextRow(it.r, it.off, it.Before, it.After)
	if err != nil {
		if err != io.EOF {
			it.err = err
		}
		return false
	}
	it.off = next
	return true
}

// Err returns the error that stopped Next (nil at a clean end).
func (it *RowIter) Err() error { return it.err }

// Offset returns the offset in r.Data of the next row.
func (it *RowIter) Offset() int { return it.off }
