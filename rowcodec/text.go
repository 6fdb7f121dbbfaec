package rowcodec

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
	"strconv"

	"github.com/binlogkit/binlogkit/event"
)

// errAbsentValue is returned when formatting a column missing from a MINIMAL
// image: it has no value to print.
var errAbsentValue = errors.New("rowcodec: the column is absent from the row image (not NULL: unknown)")

const hexDigits = "0123456789abcdef"

// AppendText appends v as MySQL prints it in query results, without
// quotes: integers and floats as numbers (FLOAT/DOUBLE in their shortest
// round-trip form), DECIMAL with its exact digits, dates and times as
// '2024-01-02 03:04:05.123456' without the quotes, strings and blobs as their
// bytes (no charset conversion: see AppendUTF8), ENUM and SET by name when
// the table map logged the names (else the index or mask), BIT as its '0'/'1'
// digits, GEOMETRY and VECTOR as their stored bytes, JSON as its text. NULL
// appends "NULL". c may be nil when the kind does not need the column (it is
// needed for ENUM/SET names and JSON diffs). An absent value is an error.
func (v Value) AppendText(dst []byte, c *Column) ([]byte, error) {
	switch v.kind {
	case KindNull:
		return append(dst, "NULL"...), nil
	case KindAbsent:
		return dst, errAbsentValue
	case KindInt, KindUint, KindFloat32, KindFloat64, KindYear, KindSet, KindBit:
		return appendNumericText(dst, c, v), nil
	case KindEnum:
		if c != nil {
			if name := c.EnumName(v); name != nil || v.num == 0 && c.EnumValues != nil {
				return append(dst, name...), nil
			}
		}
		return strconv.AppendUint(dst, v.num, 10), nil
	case KindDecimal:
		return appendDecimalText(dst, v), nil
	case KindDate, KindTime, KindDatetime, KindTimestamp:
		return appendTemporalText(dst, v), nil
	case KindString, KindBytes, KindGeometry, KindVector:
		return append(dst, v.b...), nil
	case KindJSON:
		return appendJSONText(dst, v)
	case KindJSONDiff:
		return appendJSONDiffText(dst, c, v)
	}
	return dst, unsupportedf("value kind %v", v.kind)
}

// AppendSQL appends v as an SQL literal for column c: NULL; numbers as
// they are; strings quoted with ” for a quote and backslash escapes for
// backslash, NUL, newline, carriage return and ^Z; binary strings as X'…';
// BIT as b'…'; ENUM and SET by quoted name when the names are known, else by
// number; dates and times quoted; JSON as CAST('…' AS JSON); GEOMETRY as
// ST_GeomFromWKB(X'…', srid); VECTOR as STRING_TO_VECTOR('[…]'); a JSON
// diff as the JSON_SET/JSON_INSERT/JSON_REMOVE expression. An absent value
// is an error: statements built from MINIMAL images must leave it out.
func (v Value) AppendSQL(dst []byte, c *Column) ([]byte, error) {
	switch v.kind {
	case KindNull:
		return append(dst, "NULL"...), nil
	case KindAbsent:
		return dst, errAbsentValue
	case KindInt, KindUint, KindFloat32, KindFloat64, KindYear:
		return appendNumericText(dst, c, v), nil
	case KindBit:
		dst = append(dst, "b'"...)
		return append(appendBitString(dst, v.num, int(v.aux)), '\''), nil
	case KindEnum:
		if c != nil {
			if name := c.EnumName(v); name != nil || v.num == 0 && c.EnumValues != nil {
				return appendQuoted(dst, name), nil
			}
		}
		return strconv.AppendUint(dst, v.num, 10), nil
	case KindSet:
		if c != nil && c.SetValues != nil && bits.Len64(v.num) <= len(c.SetValues) {
			dst = append(dst, '\'')
			first := true
			for m := v.num; m != 0; m &= m - 1 {
				if !first {
					dst = append(dst, ',')
				}
				first = false
				dst = appendEscaped(dst, c.SetValues[bits.TrailingZeros64(m)])
			}
			return append(dst, '\''), nil
		}
		return strconv.AppendUint(dst, v.num, 10), nil
	case KindDecimal:
		return appendDecimalText(dst, v), nil
	case KindDate, KindTime, KindDatetime, KindTimestamp:
		dst = append(dst, '\'')
		return append(appendTemporalText(dst, v), '\''), nil
	case KindString:
		return appendQuoted(dst, v.b), nil
	case KindBytes:
		return appendHexLiteral(dst, v.b), nil
	case KindGeometry:
		dst = append(dst, "ST_GeomFromWKB("...)
		dst = appendHexLiteral(dst, v.WKB())
		dst = append(dst, ", "...)
		dst = strconv.AppendUint(dst, uint64(v.SRID()), 10)
		return append(dst, ')'), nil
	case KindVector:
		dst = append(dst, "STRING_TO_VECTOR('["...)
		for i, f := range v.Float32s() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = strconv.AppendFloat(dst, float64(f), 'g', -1, 32)
		}
		return append(dst, "]')"...), nil
	case KindJSON:
		text, err := appendJSONText(nil, v)
		if err != nil {
			return dst, err
		}
		dst = append(dst, "CAST("...)
		dst = appendQuoted(dst, text)
		return append(dst, " AS JSON)"...), nil
	case KindJSONDiff:
		return appendJSONDiffText(dst, c, v)
	}
	return dst, unsupportedf("value kind %v", v.kind)
}

// appendQuoted appends s as a quoted SQL string literal.
func appendQuoted(dst, s []byte) []byte { return AppendQuotedString(dst, s) }

// AppendQuotedString appends s as a single-quoted SQL string literal for a
// server with backslash escapes on (the default sql_mode): ' is doubled,
// and backslash, NUL, newline, carriage return and ^Z are backslash-escaped.
func AppendQuotedString(dst, s []byte) []byte {
	return append(appendEscaped(append(dst, '\''), s), '\'')
}

// sqlEscapes maps each byte to the character following the backslash that
// escapes it inside a quoted SQL string ('\” for the quote, which is
// doubled instead), or 0 for a byte copied as it is.
var sqlEscapes = [256]byte{
	0:    '0',
	'\n': 'n',
	'\r': 'r',
	0x1a: 'Z',
	'\'': '\'',
	'\\': '\\',
}

// appendEscaped appends s escaped for the inside of a quoted SQL string.
// Runs of bytes that need no escape are copied at once; they are found
// eight bytes at a time where possible.
func appendEscaped(dst, s []byte) []byte {
	if n := len(dst) + len(s) + 1; n > cap(dst) {
		// One growth for the unescaped bytes and the closing quote.
		dst = append(make([]byte, 0, max(n, 2*cap(dst))), dst...)
	}
	start := 0
	for i := 0; i < len(s); {
		for i+8 <= len(s) && !mayNeedEscape(binary.LittleEndian.Uint64(s[i:])) {
			i += 8
		}
		for end := min(i+8, len(s)); i < end; i++ {
			e := sqlEscapes[s[i]]
			if e == 0 {
				continue
			}
			dst = append(dst, s[start:i]...)
			if e == '\'' {
				dst = append(dst, '\'', '\'')
			} else {
				dst = append(dst, '\\', e)
			}
			start = i + 1
		}
	}
	return append(dst, s[start:]...)
}

// mayNeedEscape reports whether any of the eight bytes of v is a control
// byte (below 0x20), a quote or a backslash: false means none needs an
// escape. The tests are exact per word (no false negatives).
func mayNeedEscape(v uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	q := v ^ ('\'' * lo)
	b := v ^ ('\\' * lo)
	return ((v-0x20*lo)&^v|(q-lo)&^q|(b-lo)&^b)&hi != 0
}

// appendHexLiteral appends X'…' (lowercase hex).
func appendHexLiteral(dst, b []byte) []byte {
	dst = append(dst, 'X', '\'')
	for _, x := range b {
		dst = append(dst, hexDigits[x>>4], hexDigits[x&15])
	}
	return append(dst, '\'')
}

// AppendMySQLBinlog appends v as `mysqlbinlog -vv` prints it after
// "###   @N=" (f is event.MySQL), or MariaDB's mariadb-binlog -vv
// (event.MariaDB): the value in its binlog form followed by the type
// comment, e.g. `-1 (255) /* TINYINT meta=0 nullable=1 is_null=0 */`.
// The value forms are the tool's, not SQL's: integers signed with the
// unsigned reading in parentheses when negative, FLOAT as %-20g and DOUBLE
// as %.20g, BIT and SET as b'…' bit strings, ENUM as its index, DATE as
// 'YYYY:MM:DD', TIMESTAMP as Unix seconds, YEAR 0 as 1900. Strings (and
// JSON text) are quoted byte for byte: mariadb-binlog writes bytes below
// 0x20 as \xNN and everything else as it is; mysqlbinlog also escapes ' and
// \ with a backslash and writes \b \t \n \f \r for those bytes, and
// prints a JSON document that is a string (or a date or time) without its
// JSON quotes. MySQL's VECTOR prints as [1.50000e+00,-2.25000e+00] (%.5e
// per element) and a partial JSON update as mysqlbinlog's
// JSON_REPLACE/JSON_INSERT/JSON_REMOVE calls on @N, one argument group per
// "###" line. mysqlbinlog cannot print GEOMETRY ("!! Don't know how to
// handle column type=255", and nothing more of the rows event): it is
// printed as its bytes (SRID, then WKB) quoted like a string. An absent
// value is an error (the tools print no line for it). A column of MariaDB's
// older ("hires") temporal formats, which neither tool can read, prints as
// its MySQL 5.6 counterpart does, with the precision in the type name and
// the Table_map's meta=0: `'12:34:56.789' /* TIME(3) meta=0 … */`.
func (v Value) AppendMySQLBinlog(dst []byte, c *Column, f event.Flavor) ([]byte, error) {
	if v.kind == KindAbsent {
		return dst, errAbsentValue
	}
	var err error
	if v.kind == KindNull {
		dst = append(dst, "NULL"...)
	} else if dst, err = v.appendBinlogValue(dst, c, f == event.MySQL); err != nil {
		return dst, err
	}
	dst = append(dst, " /* "...)
	dst = appendBinlogTypeName(dst, c)
	dst = append(dst, " meta="...)
	dst = strconv.AppendUint(dst, uint64(c.rawMeta()), 10)
	dst = append(dst, " nullable="...)
	dst = appendBool01(dst, c.Nullable)
	dst = append(dst, " is_null="...)
	dst = appendBool01(dst, v.kind == KindNull)
	return append(dst, " */"...), nil
}

func appendBool01(dst []byte, b bool) []byte {
	if b {
		return append(dst, '1')
	}
	return append(dst, '0')
}

// appendBinlogTypeName appends the type name mysqlbinlog prints in its
// comment.
func appendBinlogTypeName(dst []byte, c *Column) []byte {
	num := func(dst []byte, s string, n uint32, tail string) []byte {
		dst = append(dst, s...)
		dst = strconv.AppendUint(dst, uint64(n), 10)
		return append(dst, tail...)
	}
	switch c.Type {
	case event.ColumnTypeTiny:
		return append(dst, "TINYINT"...)
	case event.ColumnTypeShort:
		return append(dst, "SHORTINT"...)
	case event.ColumnTypeInt24:
		return append(dst, "MEDIUMINT"...)
	case event.ColumnTypeLong:
		return append(dst, "INT"...)
	case event.ColumnTypeLongLong:
		return append(dst, "LONGINT"...)
	case event.ColumnTypeFloat:
		return append(dst, "FLOAT"...)
	case event.ColumnTypeDouble:
		return append(dst, "DOUBLE"...)
	case event.ColumnTypeNewDecimal:
		dst = num(dst, "DECIMAL(", c.Meta>>8, ",")
		return num(dst, "", c.Meta&0xff, ")")
	case event.ColumnTypeDecimal:
		return append(dst, "DECIMAL"...)
	case event.ColumnTypeYear:
		return append(dst, "YEAR"...)
	case event.ColumnTypeBit:
		return num(dst, "BIT(", uint32(bitWidth(c.Meta)), ")")
	case event.ColumnTypeEnum:
		if c.Meta == 1 {
			return append(dst, "ENUM(1 byte)"...)
		}
		return num(dst, "ENUM(", c.Meta, " bytes)")
	case event.ColumnTypeSet:
		return num(dst, "SET(", c.Meta, " bytes)")
	case event.ColumnTypeDate, event.ColumnTypeNewDate:
		return append(dst, "DATE"...)
	case event.ColumnTypeTime:
		if c.Precision > 0 && !c.Array {
			return num(dst, "TIME(", uint32(c.Precision), ")")
		}
		return append(dst, "TIME"...)
	case event.ColumnTypeTime2:
		return num(dst, "TIME(", c.Meta, ")")
	case event.ColumnTypeDatetime:
		if c.Precision > 0 && !c.Array {
			return num(dst, "DATETIME(", uint32(c.Precision), ")")
		}
		return append(dst, "DATETIME"...)
	case event.ColumnTypeDatetime2:
		return num(dst, "DATETIME(", c.Meta, ")")
	case event.ColumnTypeTimestamp:
		if c.Precision > 0 && !c.Array {
			return num(dst, "TIMESTAMP(", uint32(c.Precision), ")")
		}
		return append(dst, "TIMESTAMP"...)
	case event.ColumnTypeTimestamp2:
		return num(dst, "TIMESTAMP(", c.Meta, ")")
	case event.ColumnTypeString:
		return num(dst, "STRING(", c.Meta, ")")
	case event.ColumnTypeVarchar, event.ColumnTypeVarString:
		return num(dst, "VARSTRING(", c.Meta, ")")
	case event.ColumnTypeTinyBlob, event.ColumnTypeBlob, event.ColumnTypeMediumBlob, event.ColumnTypeLongBlob:
		switch lengthSize(c) {
		case 1:
			return append(dst, "TINYBLOB/TINYTEXT"...)
		case 2:
			return append(dst, "BLOB/TEXT"...)
		case 3:
			return append(dst, "MEDIUMBLOB/MEDIUMTEXT"...)
		case 4:
			return append(dst, "LONGBLOB/LONGTEXT"...)
		}
	case event.ColumnTypeGeometry:
		return append(dst, "GEOMETRY"...)
	case event.ColumnTypeJSON:
		return append(dst, "JSON"...)
	case event.ColumnTypeVector:
		return num(dst, "VECTOR(", c.VectorDims, ")")
	}
	return num(dst, "#", uint32(c.Type), "")
}

// appendBinlogValue appends a non-NULL value in mysqlbinlog's form
// (mysql: MySQL's tool, else MariaDB's).
func (v Value) appendBinlogValue(dst []byte, c *Column, mysql bool) ([]byte, error) {
	switch v.kind {
	case KindInt, KindUint:
		w := intWidth(c.Type)
		if w == 0 {
			w = 8
		}
		u := v.num
		if w < 8 {
			u &= 1<<(8*uint(w)) - 1
		}
		shift := uint(64 - 8*w)
		s := int64(u<<shift) >> shift
		dst = strconv.AppendInt(dst, s, 10)
		if s < 0 {
			dst = append(dst, " ("...)
			dst = strconv.AppendUint(dst, u, 10)
			dst = append(dst, ')')
		}
		return dst, nil
	case KindFloat32:
		start := len(dst)
		dst = appendCFloat(dst, v.Float64(), 6)
		for len(dst)-start < 20 {
			dst = append(dst, ' ')
		}
		return dst, nil
	case KindFloat64:
		return appendCFloat(dst, v.Float64(), 20), nil
	case KindYear:
		y := v.num
		if y == 0 {
			y = 1900
		}
		return strconv.AppendUint(dst, y, 10), nil
	case KindBit:
		dst = append(dst, "b'"...)
		return append(appendBitString(dst, v.num, int(v.aux)), '\''), nil
	case KindSet:
		n := int(c.Meta)
		dst = append(dst, "b'"...)
		for i := 0; i < n; i++ {
			dst = appendBitString(dst, v.num>>(8*uint(i))&0xff, 8)
		}
		return append(dst, '\''), nil
	case KindEnum:
		return strconv.AppendUint(dst, v.num, 10), nil
	case KindDecimal:
		return appendDecimalText(dst, v), nil
	case KindDate, KindTime, KindDatetime:
		dst = append(dst, '\'')
		return append(AppendBinlogTemporal(dst, v), '\''), nil
	case KindTimestamp:
		return AppendTimestampSeconds(dst, v), nil
	case KindVector:
		if mysql {
			return appendBinlogVector(dst, v), nil
		}
		return appendBinlogQuoted(dst, v.b, false), nil
	case KindString, KindBytes, KindGeometry:
		return appendBinlogQuoted(dst, v.b, mysql), nil
	case KindJSON:
		if mysql && v.flag&jsonFlagText == 0 && len(v.b) > 0 && v.b[0] == jsonString {
			// mysqlbinlog prints a document that is a string without
			// its JSON quotes and escapes.
			s, _, err := jsonReadString(v.b[1:])
			if err != nil {
				return dst, err
			}
			return appendBinlogQuoted(dst, s, true), nil
		}
		var buf []byte
		buf, err := appendJSONText(buf, v)
		if err != nil {
			return dst, err
		}
		if mysql && v.flag&jsonFlagText == 0 && len(v.b) > 0 && v.b[0] == jsonOpaque && len(buf) >= 2 && buf[0] == '"' {
			// So is an opaque value printed as a string (a date, a time).
			buf = buf[1 : len(buf)-1]
		}
		return appendBinlogQuoted(dst, buf, mysql), nil
	case KindJSONDiff:
		if mysql {
			return appendJSONDiffBinlogText(dst, c, v)
		}
		return appendJSONDiffText(dst, c, v)
	}
	return dst, unsupportedf("value kind %v", v.kind)
}

// appendBinlogVector appends a VECTOR as mysqlbinlog does: each float32 as
// C's %.5e, comma-separated, in brackets.
func appendBinlogVector(dst []byte, v Value) []byte {
	dst = append(dst, '[')
	for i, x := range v.Float32s() {
		if i > 0 {
			dst = append(dst, ',')
		}
		f := float64(x)
		switch {
		case math.IsNaN(f):
			if math.Signbit(f) {
				dst = append(dst, '-')
			}
			dst = append(dst, "nan"...)
		case math.IsInf(f, 0):
			if f < 0 {
				dst = append(dst, '-')
			}
			dst = append(dst, "inf"...)
		default:
			dst = strconv.AppendFloat(dst, f, 'e', 5, 64)
		}
	}
	return append(dst, ']')
}

// binlogEscapes are the bytes below 0x20 that mysqlbinlog writes as C
// escapes (the others as \xNN).
var binlogEscapes = [0x20]byte{'\b': 'b', '\t': 't', '\n': 'n', '\f': 'f', '\r': 'r'}

// appendBinlogQuoted quotes b as the tools do: bytes below 0x20 as \xNN,
// everything else as it is (mariadb-binlog); mysqlbinlog (mysql) also
// writes ' and \ with a backslash before them and \b \t \n \f \r. Runs of
// bytes copied as they are go at once, found eight bytes at a time where
// possible.
func appendBinlogQuoted(dst, b []byte, mysql bool) []byte {
	if n := len(dst) + len(b) + 2; n > cap(dst) {
		dst = append(make([]byte, 0, max(n, 2*cap(dst))), dst...)
	}
	dst = append(dst, '\'')
	start := 0
	for i := 0; i < len(b); {
		for i+8 <= len(b) && !mayNeedEscape(binary.LittleEndian.Uint64(b[i:])) {
			i += 8
		}
		for end := min(i+8, len(b)); i < end; i++ {
			x := b[i]
			if x > 0x1f && (!mysql || x != '\'' && x != '\\') {
				continue
			}
			dst = append(dst, b[start:i]...)
			start = i + 1
			switch {
			case x > 0x1f:
				dst = append(dst, '\\', x)
			case mysql && binlogEscapes[x] != 0:
				dst = append(dst, '\\', binlogEscapes[x])
			default:
				dst = append(dst, '\\', 'x', hexDigits[x>>4], hexDigits[x&15])
			}
		}
	}
	dst = append(dst, b[start:]...)
	return append(dst, '\'')
}

// AppendIdent appends name as a backquoted SQL identifier, doubling any
// backquote inside it (`we-ird tab“le`).
func AppendIdent(dst, name []byte) []byte {
	dst = append(dst, '`')
	for _, b := range name {
		if b == '`' {
			dst = append(dst, '`')
		}
		dst = append(dst, b)
	}
	return append(dst, '`')
}

// AppendName appends the table's qualified name as mysqlbinlog prints it:
// `db`.`table`.
func (t *Table) AppendName(dst []byte) []byte {
	return AppendIdent(append(AppendIdent(dst, t.Schema), '.'), t.Name)
}
