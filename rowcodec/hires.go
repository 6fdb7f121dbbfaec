package rowcodec

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/binlogkit/binlogkit/event"
)

// MariaDB's older ("hires") temporal formats.
//
// MariaDB 5.3 added fractional seconds with formats of its own, before
// MySQL 5.6 defined TIME2, DATETIME2 and TIMESTAMP2. Tables created before
// MariaDB 10.1, or with mysql56_temporal_format=OFF, still store TIME(n),
// DATETIME(n) and TIMESTAMP(n) that way, and the binlog logs those columns
// with the old type codes (MYSQL_TYPE_TIME 11, MYSQL_TYPE_DATETIME 12,
// MYSQL_TYPE_TIMESTAMP 7) and no metadata: the precision n is only in the
// table's definition. With n = 0 the server uses the old formats themselves
// (Field_time, Field_datetime, Field_timestamp), so precision 0 and "no
// fraction" are the same bytes.
//
// Byte layouts for n = 1…6 (MariaDB sql/field.cc: Field_time_hires,
// Field_datetime_hires, Field_timestamp_hires; sizes from sql/sql_type.cc,
// pack_time and unpack_time from sql-common/my_time.c and sql/sql_time.cc,
// sec_part_shift from include/my_time.h). F is the fraction as n decimal
// digits (microseconds / 10^(6-n)); all integers are big-endian:
//
//   - TIME(n): {4,4,5,5,5,6}[n-1] bytes holding
//     ±(((h*60 + m)*60 + s)*10^n + F) + 3020400*10^n, the sign that of the
//     time and 3020400 the seconds of 839:00:00 (TIME_MAX_VALUE_SECONDS+1),
//     so that the stored integer is positive and sorts as the time does.
//   - DATETIME(n): {6,6,7,7,7,8}[n-1] bytes holding
//     ((((((Y*13 + M)*32 + D)*24 + h)*60 + m)*60 + s)*10^n + F.
//   - TIMESTAMP(n): 4 bytes of seconds since the epoch, then F in
//     {1,1,2,2,3,3}[n-1] bytes.
//
// Unlike TIME2/DATETIME2/TIMESTAMP2, whose fraction is stored in pairs of
// digits, the hires formats keep exactly n digits.

// PrecisionUnknown is the Precision of an old-type TIME, DATETIME or
// TIMESTAMP column whose fractional-seconds precision was not given (see
// Column.Precision and Table.SetPrecision).
const PrecisionUnknown = -1

// hiresTimeZero is 839:00:00 in seconds (MariaDB's
// TIME_MAX_VALUE_SECONDS+1): the offset of a stored TIME(n).
const hiresTimeZero = 3020400

var (
	hiresTimeLen     = [7]int{3, 4, 4, 5, 5, 5, 6}
	hiresDatetimeLen = [7]int{5, 6, 6, 7, 7, 7, 8}
	hiresFracLen     = [7]int{0, 1, 1, 2, 2, 3, 3} // TIMESTAMP(n) after its 4 bytes of seconds
	pow10            = [7]int64{1, 10, 100, 1000, 10000, 100000, 1000000}
)

// isOldTemporal reports the column types that carry no precision in the
// Table_map: old TIME, DATETIME and TIMESTAMP, which are MariaDB's hires
// formats when the table's definition gives a precision above 0.
func isOldTemporal(c *Column) bool {
	if c.Array {
		return false
	}
	switch c.Type {
	case event.ColumnTypeTime, event.ColumnTypeDatetime, event.ColumnTypeTimestamp:
		return true
	}
	return false
}

// SetPrecision gives the fractional-seconds precision of column i from the
// table's definition (TIME(3) is 3; TIME is 0): fsp is 0–6, or
// PrecisionUnknown to forget it. It matters for the columns the Table_map
// logs with the old type codes TIME, DATETIME and TIMESTAMP, which carry no
// precision (MariaDB's older temporal formats: see Column.Precision); for
// columns of other types it does nothing, so a caller may pass the
// precision of every column of a definition. The precision stays with t
// until Reset rebuilds it for another Table_map (a Generation change).
func (t *Table) SetPrecision(i, fsp int) error {
	if i < 0 || i >= len(t.Columns) {
		return fmt.Errorf("rowcodec: %s: SetPrecision of column %d of %d", t.tableName(), i+1, len(t.Columns))
	}
	if fsp < PrecisionUnknown || fsp > 6 {
		return fmt.Errorf("rowcodec: %s: fractional-seconds precision %d for column %d (want 0–6, or PrecisionUnknown)", t.tableName(), fsp, i+1)
	}
	if c := &t.Columns[i]; isOldTemporal(c) {
		c.Precision = fsp
	}
	return nil
}

// NeedsPrecision reports whether some column of t is an old-type TIME,
// DATETIME or TIMESTAMP whose precision was not given (SetPrecision): its
// rows decode only when their bytes fit values without fractions (see
// CheckPrecision).
func (t *Table) NeedsPrecision() bool {
	for i := range t.Columns {
		if c := &t.Columns[i]; c.Precision < 0 && isOldTemporal(c) {
			return true
		}
	}
	return false
}

// hasOldTemporal reports whether t has an old-type TIME, DATETIME or
// TIMESTAMP column.
func (t *Table) hasOldTemporal() bool {
	if t.built.valid {
		return t.built.oldTemporal
	}
	return t.scanOldTemporal()
}

// scanOldTemporal is hasOldTemporal, looking at every column.
func (t *Table) scanOldTemporal() bool {
	for i := range t.Columns {
		if isOldTemporal(&t.Columns[i]) {
			return true
		}
	}
	return false
}

// CheckPrecision checks that the rows of r read with the precisions t has
// for its old-type TIME, DATETIME and TIMESTAMP columns, which the
// Table_map does not carry (SetPrecision gives them; a column without one is
// read without a fraction). It returns nil at once for a table without such
// columns. Otherwise it walks every row image of r without keeping values:
// every value must be one the server writes, the images must end exactly at
// the end of the event, and the unused bits of every image's null bitmap
// must agree (servers set them all, or MySQL 8 and this package's encoder
// none). A misread precision shifts every later value and row, so these
// catch it except in rare cases: a DATETIME(6) takes the 8 bytes of an old
// DATETIME, and is misread only when its bytes also read as a valid old
// DATETIME (the zero date, or about one value in a million). The error is a
// *PrecisionError.
//
// NextRow (and so Rows) calls it when it starts on an event; callers that
// walk row images themselves with DecodeRow or SkipRow call it first.
func (t *Table) CheckPrecision(r *event.Rows) error {
	if !t.hasOldTemporal() {
		return nil
	}
	if r.IsCompressed() && r.Data == nil {
		if err := r.Decompress(); err != nil {
			return err
		}
	}
	if r.ColumnCount != uint64(len(t.Columns)) {
		return nil // NextRow reports it
	}
	var pad padCheck
	for off := 0; off < len(r.Data); {
		next, err := t.nextRow(r, off, nil, nil, &pad)
		if err != nil {
			return t.precisionError(err)
		}
		off = next
	}
	return nil
}

// padCheck follows the unused bits of the null bitmaps of a rows event's
// images (see CheckPrecision).
type padCheck struct {
	seen  bool
	style byte // padNone, padZeros or padOnes
	image int
}

const (
	padNone byte = iota
	padZeros
	padOnes
)

// check looks at the null bitmap at the start of img, of np bits.
func (p *padCheck) check(img []byte, np int) error {
	p.image++
	r := np % 8
	nb := (np + 7) / 8
	if r == 0 || nb > len(img) {
		return nil // no unused bits (or a short image: decoding reports it)
	}
	pad := img[nb-1] >> r
	style := padNone
	switch pad {
	case 0:
		style = padZeros
	case byte(1)<<(8-r) - 1:
		style = padOnes
	}
	switch {
	case style == padNone:
		return corruptf("row image %d: the unused bits of its null bitmap are neither all set nor all clear (%#02x)", p.image, img[nb-1])
	case !p.seen:
		p.seen, p.style = true, style
	case style != p.style:
		return corruptf("row image %d: the unused bits of its null bitmap differ from the first image's", p.image)
	}
	return nil
}

// PrecisionError reports rows of a table whose TIME, DATETIME or TIMESTAMP
// columns are logged with the old type codes (no precision in the Table_map)
// and do not read with the precisions known for them: either some are
// unknown (MariaDB's older formats need the precision from the table's
// definition) or those given do not fit.
type PrecisionError struct {
	Table string // "db.table"
	// Columns lists the old-type temporal columns: those whose precision
	// is unknown when there are any, else all of them.
	Columns []PrecisionColumn
	// Err is what did not fit (a *ColumnError or a bitmap mismatch).
	Err error
}

// PrecisionColumn is one column of a PrecisionError.
type PrecisionColumn struct {
	Column    int    // 0-based
	Name      string // when logged
	Type      event.ColumnType
	Precision int // PrecisionUnknown, or the precision given
}

// Unknown reports whether some column's precision is unknown.
func (e *PrecisionError) Unknown() bool {
	for _, c := range e.Columns {
		if c.Precision < 0 {
			return true
		}
	}
	return false
}

// Error names the table and the columns (the first three, and how many
// others), says what did not fit, and, for unknown precisions, the ways to
// give them.
func (e *PrecisionError) Error() string {
	var b strings.Builder
	b.WriteString("rowcodec: ")
	b.WriteString(e.Table)
	b.WriteString(": ")
	for i, c := range e.Columns {
		if i == maxPrecisionColumns && len(e.Columns) > i+1 {
			b.WriteString(" and " + strconv.Itoa(len(e.Columns)-i) + " more")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("column ")
		b.WriteString(strconv.Itoa(c.Column + 1))
		b.WriteString(" (")
		if c.Name != "" {
			b.WriteString(c.Name)
			b.WriteString(" ")
		}
		b.WriteString(c.Type.String())
		if c.Precision >= 0 {
			b.WriteString("(" + strconv.Itoa(c.Precision) + ")")
		}
		b.WriteString(")")
	}
	if e.Unknown() {
		b.WriteString(": fractional-seconds precision unknown: MariaDB logs TIME(n), DATETIME(n) and TIMESTAMP(n) of its older format " +
			"(tables created before 10.1 or with mysql56_temporal_format=OFF) with the old type codes and without n, " +
			"and these rows do not read as values without fractions (")
		b.WriteString(e.causeText())
		b.WriteString("); give the table's definition: its CREATE TABLE earlier in the stream (read the binlog from there), " +
			"a schema file (--schema FILE), or the live server (--schema-dsn DSN)")
		return b.String()
	}
	b.WriteString(": the rows do not fit the fractional-seconds precisions given for these columns (")
	b.WriteString(e.causeText())
	b.WriteString("); the definition given may be of another version of the table")
	return b.String()
}

// maxPrecisionColumns is the number of columns a PrecisionError's message
// names; it counts the others.
const maxPrecisionColumns = 3

func (e *PrecisionError) causeText() string {
	if e.Err == nil {
		return "no cause"
	}
	return strings.TrimPrefix(e.Err.Error(), "rowcodec: ")
}

// Unwrap returns the cause.
func (e *PrecisionError) Unwrap() error { return e.Err }

// precisionError wraps err, an error decoding t's rows, as a
// *PrecisionError (unless it is one already).
func (t *Table) precisionError(err error) error {
	if _, ok := err.(*PrecisionError); ok {
		return err
	}
	e := &PrecisionError{Table: t.tableName(), Err: err}
	unknown := t.NeedsPrecision()
	for i := range t.Columns {
		c := &t.Columns[i]
		if !isOldTemporal(c) || unknown && c.Precision >= 0 {
			continue
		}
		e.Columns = append(e.Columns, PrecisionColumn{Column: i, Name: string(c.Name), Type: c.Type, Precision: c.Precision})
	}
	return e
}

// imagePrecisionError is precisionError for an error decoding one image:
// an error about a column before the first old-type temporal column is
// not about their precisions and is returned as it is.
func (t *Table) imagePrecisionError(err error) error {
	first := -1
	for i := range t.Columns {
		if isOldTemporal(&t.Columns[i]) {
			first = i
			break
		}
	}
	if first < 0 {
		return err
	}
	var ce *ColumnError
	if errors.As(err, &ce) && ce.Column < first {
		return err
	}
	return t.precisionError(err)
}

// decodeHires decodes a TIME(n), DATETIME(n) or TIMESTAMP(n) value of
// MariaDB's hires formats (n = fsp, 1–6) at the start of b.
func decodeHires(c *Column, b []byte, fsp int) (Value, int, error) {
	scale := pow10[fsp]
	switch c.Type {
	case event.ColumnTypeTime:
		n := hiresTimeLen[fsp]
		if len(b) < n {
			return Value{}, 0, truncated("TIME value", n, len(b))
		}
		v := int64(tmBE(b[:n])) - hiresTimeZero*scale
		neg := v < 0
		if neg {
			v = -v
		}
		if v >= hiresTimeZero*scale {
			return Value{}, 0, corruptf("TIME(%d) % x out of range", fsp, b[:n])
		}
		sec := v / scale
		us := int(v%scale) * int(pow10[6-fsp])
		return TimeValue(neg, int(sec/3600), int(sec/60%60), int(sec%60), us, fsp), n, nil

	case event.ColumnTypeDatetime:
		n := hiresDatetimeLen[fsp]
		if len(b) < n {
			return Value{}, 0, truncated("DATETIME value", n, len(b))
		}
		x := tmBE(b[:n])
		if x>>63 != 0 {
			return Value{}, 0, corruptf("DATETIME(%d) % x is negative", fsp, b[:n])
		}
		p := x / uint64(scale)
		us := int(x%uint64(scale)) * int(pow10[6-fsp])
		s := int(p % 60)
		p /= 60
		mi := int(p % 60)
		p /= 60
		h := int(p % 24)
		p /= 24
		d := int(p % 32)
		p /= 32
		mo := int(p % 13)
		y := p / 13
		if y > 9999 {
			return Value{}, 0, corruptf("DATETIME(%d) % x out of range", fsp, b[:n])
		}
		return Value{kind: KindDatetime, aux: uint32(fsp), num: tmPack(int(y), mo, d, h, mi, s, us)}, n, nil

	case event.ColumnTypeTimestamp:
		n := 4 + hiresFracLen[fsp]
		if len(b) < n {
			return Value{}, 0, truncated("TIMESTAMP value", n, len(b))
		}
		f := tmBE(b[4:n])
		if f >= uint64(scale) {
			return Value{}, 0, corruptf("TIMESTAMP(%d): fraction % x out of range", fsp, b[4:n])
		}
		us := f * uint64(pow10[6-fsp])
		return Value{kind: KindTimestamp, aux: uint32(fsp), num: tmBE(b[:4])<<tmUsBits | us}, n, nil
	}
	return Value{}, 0, unsupportedf("column type %d is not an old temporal type", c.Type)
}

// appendHires appends v in MariaDB's hires format of precision fsp (1–6)
// for column c (TIME, DATETIME or TIMESTAMP). v must be of the column's
// kind (checked by the caller) with no more than fsp fraction digits.
func appendHires(dst []byte, c *Column, v Value, fsp int) ([]byte, error) {
	scale := pow10[fsp]
	unit := int(pow10[6-fsp])
	switch v.kind {
	case KindTime:
		neg, h, mi, s, us := v.Time()
		if us%unit != 0 || !tmClockOK(h, mi, s, us, 838) {
			return dst, fmt.Errorf("rowcodec: TIME value does not fit TIME(%d)", fsp)
		}
		x := (int64((h*60+mi)*60+s)*scale + int64(us/unit))
		if neg {
			x = -x
		}
		return tmAppendBE(dst, uint64(x+hiresTimeZero*scale), hiresTimeLen[fsp]), nil
	case KindDatetime:
		y, mo, d, h, mi, s, us := tmUnpack(v.num)
		if us%unit != 0 || !tmDateOK(y, mo, d) || !tmClockOK(h, mi, s, us, 23) {
			return dst, fmt.Errorf("rowcodec: DATETIME value does not fit DATETIME(%d)", fsp)
		}
		p := ((((uint64(y)*13+uint64(mo))*32+uint64(d))*24+uint64(h))*60+uint64(mi))*60 + uint64(s)
		return tmAppendBE(dst, p*uint64(scale)+uint64(us/unit), hiresDatetimeLen[fsp]), nil
	case KindTimestamp:
		sec, us := v.Timestamp()
		if us%unit != 0 {
			return dst, fmt.Errorf("rowcodec: TIMESTAMP value does not fit TIMESTAMP(%d)", fsp)
		}
		dst = tmAppendBE(dst, uint64(sec), 4)
		return tmAppendBE(dst, uint64(us/unit), hiresFracLen[fsp]), nil
	}
	return dst, fmt.Errorf("rowcodec: %v value for a %s column", v.kind, c.Type.String())
}
