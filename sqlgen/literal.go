package sqlgen

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// LiteralOptions says how AppendLiteral writes values.
type LiteralOptions struct {
	// NoBackslashEscapes writes string literals for a session with
	// sql_mode NO_BACKSLASH_ESCAPES: only the quote is doubled, and strings
	// holding NUL, CR or ^Z (which a client would mangle) are written in hex
	// with their charset introducer.
	NoBackslashEscapes bool
	// MariaDB selects MariaDB's spelling where the servers differ: JSON is
	// a plain string (MariaDB's JSON is LONGTEXT), VECTOR is VEC_FromText,
	// GEOMETRY takes no axis-order argument.
	MariaDB bool
	// Compare writes the value for a comparison (WHERE) rather than for
	// storage: a FLOAT is written with the digits of its exact double
	// value, since the server compares a FLOAT column as a double.
	Compare bool
}

// errAbsent is returned for a column a MINIMAL/NOBLOB image left out.
var errAbsent = errors.New("sqlgen: value absent from the row image (MINIMAL/NOBLOB): it has no literal")

// AppendLiteral appends v as an SQL literal that stores exactly v in a
// column described by c (c may be nil for kinds that do not need it; ENUM
// and SET names, the charset of text and JSON diffs need it). The literal
// assumes a utf8mb4 connection (SET NAMES utf8mb4) and time_zone '+00:00'
// (TIMESTAMP values are written in UTC); Generator.Preamble writes both.
//
//   - NULL; integers in decimal (unsigned 64-bit included); DECIMAL with its
//     exact digits; FLOAT and DOUBLE in their shortest round-trip form
//   - DATE, TIME (negative and beyond 24 h), DATETIME and TIMESTAMP quoted
//     with their fractional digits, zero dates as they are
//   - text converted to UTF-8 when its charset converts exactly (the server
//     converts it back), else _charset X'…'; binary strings as X'…'
//   - BIT as b'…'; ENUM and SET by quoted name when the names were logged,
//     else by number (index, mask)
//   - JSON as CAST('…' AS JSON) (MariaDB: a plain string), or, when the
//     document holds values its text cannot tell (opaque DECIMAL, DATE,
//     TIME, DATETIME, binary strings; unsigned integers), built with
//     JSON_OBJECT and JSON_ARRAY around typed values (rowcodec.AppendJSONSQL);
//     a JSON partial update as nested JSON_REPLACE/JSON_SET/
//     JSON_ARRAY_INSERT/JSON_REMOVE calls on the column (which must be
//     named: see AppendJSONDiff)
//   - GEOMETRY as ST_GeomFromWKB(X'…', srid); VECTOR as STRING_TO_VECTOR
//     (MySQL) or VEC_FromText (MariaDB)
//
// An absent value (MINIMAL image) is an error: statements leave it out.
func AppendLiteral(dst []byte, c *rowcodec.Column, v rowcodec.Value, opts LiteralOptions) ([]byte, error) {
	var w literalWriter
	w.opts = opts
	return w.append(dst, c, v, nil)
}

// literalWriter writes literals with reusable scratch space, so that the
// Generator allocates nothing per value in steady state.
type literalWriter struct {
	opts    LiteralOptions
	scratch []byte
	diffs   []rowcodec.JSONDiff
}

// append appends the literal of v; name is the column's quoted name (used
// by JSON diffs only).
func (w *literalWriter) append(dst []byte, c *rowcodec.Column, v rowcodec.Value, name []byte) ([]byte, error) {
	switch v.Kind() {
	case rowcodec.KindNull:
		return append(dst, "NULL"...), nil
	case rowcodec.KindAbsent:
		return dst, errAbsent
	case rowcodec.KindInt:
		return strconv.AppendInt(dst, v.Int64(), 10), nil
	case rowcodec.KindUint, rowcodec.KindYear:
		// YEAR 0 as the number 0 is the zero year (the string '0' would be
		// 2000).
		return strconv.AppendUint(dst, v.Uint64(), 10), nil
	case rowcodec.KindFloat32:
		f := v.Float32()
		if w.opts.Compare {
			return appendFloat(dst, float64(f), 64), nil
		}
		return appendFloat(dst, float64(f), 32), nil
	case rowcodec.KindFloat64:
		return appendFloat(dst, v.Float64(), 64), nil
	case rowcodec.KindDecimal:
		if v.IsOldDecimal() {
			// The field's characters, space padded: keep the number.
			b := v.Bytes()
			for len(b) > 0 && b[0] == ' ' {
				b = b[1:]
			}
			if len(b) == 0 {
				return append(dst, '0'), nil
			}
			return w.appendQuoted(dst, b, 0), nil
		}
		return v.AppendDecimal(dst), nil
	case rowcodec.KindDate, rowcodec.KindTime, rowcodec.KindDatetime, rowcodec.KindTimestamp:
		dst = append(dst, '\'')
		return append(v.AppendTemporal(dst), '\''), nil
	case rowcodec.KindString:
		return w.appendText(dst, v.Bytes(), v.Collation()), nil
	case rowcodec.KindBytes:
		b := v.Bytes()
		if c != nil && c.Type == event.ColumnTypeString && int(c.Meta) > len(b) && int(c.Meta) <= 255 {
			// A fixed-length binary column (BINARY(n), MariaDB's INET4,
			// INET6, UUID) is logged without its trailing zero bytes:
			// write them back, as the server would not pad every type.
			dst = appendHex(dst, b)
			dst = dst[:len(dst)-1]
			for i := len(b); i < int(c.Meta); i++ {
				dst = append(dst, '0', '0')
			}
			return append(dst, '\''), nil
		}
		return appendHex(dst, b), nil
	case rowcodec.KindBit:
		bits, width := v.Bits()
		dst = append(dst, "b'"...)
		if width <= 0 {
			width = 1
		}
		for i := width - 1; i >= 0; i-- {
			dst = append(dst, byte('0'+(bits>>uint(i))&1))
		}
		return append(dst, '\''), nil
	case rowcodec.KindEnum:
		if c != nil && c.EnumValues != nil {
			if name := c.EnumName(v); name != nil {
				return w.appendText(dst, name, c.Collation), nil
			}
		}
		// Index 0 is the invalid value ''; a number keeps it exact too.
		return strconv.AppendUint(dst, v.Uint64(), 10), nil
	case rowcodec.KindSet:
		if c != nil && c.SetValues != nil {
			w.scratch = w.scratch[:0]
			if out, ok := rowcodec.AppendSetNames(w.scratch, c, v); ok {
				w.scratch = out
				return w.appendText(dst, out, c.Collation), nil
			}
		}
		return strconv.AppendUint(dst, v.SetBits(), 10), nil
	case rowcodec.KindJSON:
		cast := !v.IsJSONText() && !w.opts.MariaDB
		start := len(dst)
		if cast {
			dst = append(dst, "CAST("...)
		}
		// The text is printed in place, between the quotes; when it is
		// not valid UTF-8 or holds a byte the literal escapes (rare in
		// JSON text), it is moved to scratch and written as appendText
		// writes it.
		quote := len(dst)
		dst = append(dst, '\'')
		var err error
		if cast {
			var exact bool
			if dst, exact = v.AppendJSONTextExact(dst); !exact {
				// Opaque values (DECIMAL, DATE, TIME, DATETIME, binary
				// strings) and unsigned integers: built with their
				// types.
				return rowcodec.AppendJSONSQL(dst[:start], v, func(dst, s []byte) []byte { return w.appendText(dst, s, 0) })
			}
		} else if dst, err = v.AppendJSONText(dst); err != nil {
			return dst[:start], err
		}
		if text := dst[quote+1:]; w.opts.NoBackslashEscapes || needsEscape(text) || !utf8.Valid(text) {
			w.scratch = append(w.scratch[:0], text...)
			dst = w.appendText(dst[:quote], w.scratch, 0)
		} else {
			dst = append(dst, '\'')
		}
		if cast {
			dst = append(dst, " AS JSON)"...)
		}
		return dst, nil
	case rowcodec.KindJSONDiff:
		if name == nil {
			if c == nil || c.Name == nil {
				return dst, errors.New("sqlgen: a JSON partial update needs the column's name")
			}
			w.scratch = rowcodec.AppendIdent(w.scratch[:0], c.Name)
			name = w.scratch
		}
		return w.appendJSONDiff(dst, name, v)
	case rowcodec.KindGeometry:
		dst = append(dst, "ST_GeomFromWKB("...)
		dst = appendHex(dst, v.WKB())
		dst = append(dst, ", "...)
		srid := v.SRID()
		dst = strconv.AppendUint(dst, uint64(srid), 10)
		if srid != 0 && !w.opts.MariaDB {
			// MySQL stores geographic coordinates longitude first; without
			// this the server would read them in the SRS's own order.
			dst = append(dst, ", 'axis-order=long-lat'"...)
		}
		return append(dst, ')'), nil
	case rowcodec.KindVector:
		if w.opts.MariaDB {
			dst = append(dst, "VEC_FromText('["...)
		} else {
			dst = append(dst, "STRING_TO_VECTOR('["...)
		}
		for i, f := range v.Float32s() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = strconv.AppendFloat(dst, float64(f), 'g', -1, 32)
		}
		return append(dst, "]')"...), nil
	}
	return dst, errors.New("sqlgen: no SQL literal for a " + v.Kind().String() + " value")
}

// appendFloat appends f in its shortest round-trip form for bitSize.
// Servers never store NaN or infinities; they would print as NULL.
func appendFloat(dst []byte, f float64, bitSize int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "NULL"...)
	}
	if f == 0 {
		// -0 reads back as 0 in both servers' columns; keep the sign.
		if math.Signbit(f) {
			return append(dst, "-0e0"...)
		}
		return append(dst, '0')
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bitSize)
}

// utf8Compatible reports charsets whose bytes are already what a utf8mb4
// connection sends.
func utf8Compatible(cs string) bool {
	return cs == "utf8mb4" || cs == "utf8mb3" || cs == "ascii"
}

// appendText appends text s stored in the charset of collation (0:
// unknown) as a literal for a utf8mb4 connection.
func (w *literalWriter) appendText(dst, s []byte, collation uint16) []byte {
	cs := ""
	if collation != 0 {
		cs = rowcodec.CharsetName(collation)
	}
	switch {
	case cs == "" || utf8Compatible(cs):
		if utf8.Valid(s) && (cs != "ascii" || isASCII(s)) {
			return w.appendQuoted(dst, s, collation)
		}
	case cs == "binary":
		return appendHex(dst, s)
	default:
		if out, ok := rowcodec.AppendUTF8From(w.scratchFor(s), collation, s); ok {
			w.scratch = out
			return w.appendQuoted(dst, out, collation)
		}
	}
	return appendIntroducedHex(dst, s, cs)
}

// scratchFor returns scratch space for converting s, never overlapping s.
func (w *literalWriter) scratchFor(s []byte) []byte {
	if len(s) > 0 && cap(w.scratch) > 0 && &w.scratch[:1][0] == &s[0] {
		// s is the scratch itself (SET names): convert into a fresh buffer.
		return make([]byte, 0, 3*len(s))
	}
	return w.scratch[:0]
}

// appendIntroducedHex appends s as hex with the charset introducer (none
// when the charset is unknown: the bytes are then stored as they are).
func appendIntroducedHex(dst, s []byte, cs string) []byte {
	if cs != "" {
		dst = append(dst, '_')
		dst = append(dst, cs...)
		dst = append(dst, ' ')
	}
	return appendHex(dst, s)
}

// appendQuoted appends UTF-8 text s as a quoted string literal, escaped for
// the session's backslash mode.
func (w *literalWriter) appendQuoted(dst, s []byte, collation uint16) []byte {
	if w.opts.NoBackslashEscapes {
		for _, b := range s {
			if b == 0 || b == '\r' || b == 0x1a {
				cs := "utf8mb4"
				if collation != 0 {
					if n := rowcodec.CharsetName(collation); utf8Compatible(n) {
						cs = n
					}
				}
				return appendIntroducedHex(dst, s, cs)
			}
		}
		dst = append(dst, '\'')
		for _, b := range s {
			if b == '\'' {
				dst = append(dst, '\'')
			}
			dst = append(dst, b)
		}
		return append(dst, '\'')
	}
	return rowcodec.AppendQuotedString(dst, s)
}

// needsEscape reports whether AppendQuotedString would escape a byte of s
// (NUL, newline, carriage return, ^Z, quote, backslash). Words of eight
// bytes with no control byte, quote or backslash are skipped at once.
func needsEscape(s []byte) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			v := binary.LittleEndian.Uint64(s[i:])
			q := v ^ ('\'' * lo)
			b := v ^ ('\\' * lo)
			if ((v-0x20*lo)&^v|(q-lo)&^q|(b-lo)&^b)&hi == 0 {
				i += 8
				continue
			}
		}
		switch s[i] {
		case 0, '\n', '\r', 0x1a, '\'', '\\':
			return true
		}
		i++
	}
	return false
}

func isASCII(s []byte) bool {
	for _, b := range s {
		if b >= 0x80 {
			return false
		}
	}
	return true
}

const hexDigits = "0123456789abcdef"

// appendHex appends X'…' (lowercase digits). The space is reserved once;
// eight bytes at a time become sixteen digits in two words (hexWord), the
// rest by table.
func appendHex(dst, b []byte) []byte {
	n := len(dst)
	m := 2*len(b) + 3
	dst = slices.Grow(dst, m)[:n+m]
	dst[n], dst[n+1], dst[n+m-1] = 'X', '\'', '\''
	out := dst[n+2 : n+m-1]
	for len(b) >= 8 && len(out) >= 16 {
		x := binary.LittleEndian.Uint64(b)
		binary.LittleEndian.PutUint64(out, hexWord(uint32(x)))
		binary.LittleEndian.PutUint64(out[8:], hexWord(uint32(x>>32)))
		b, out = b[8:], out[16:]
	}
	for i, x := range b {
		out[2*i], out[2*i+1] = hexDigits[x>>4], hexDigits[x&15]
	}
	return dst
}

// hexWord returns the eight lowercase hex digits of the four bytes of x
// (the first byte in the low bits), first digit in the low byte: each
// byte's nibbles are spread to a 16-bit lane (high nibble first), then
// every nibble n becomes '0'+n, plus 'a'-'0'-10 when n > 9.
func hexWord(x uint32) uint64 {
	const lanes, ones = 0x000f000f000f000f, 0x0101010101010101
	v := uint64(x&0xff) | uint64(x>>8&0xff)<<16 | uint64(x>>16&0xff)<<32 | uint64(x>>24)<<48
	nib := v>>4&lanes | (v&lanes)<<8
	letter := (nib + 6*ones) >> 4 & ones // 1 where the nibble is 10–15
	return nib + '0'*ones + letter*('a'-'0'-10)
}

// appendJSONDiff appends a JSON partial update of the column named name
// (already quoted) as nested function calls, the first diff innermost:
// JSON_REMOVE(JSON_REPLACE(`doc`, '$.a', CAST('1' AS JSON)), '$.b').
func (w *literalWriter) appendJSONDiff(dst, name []byte, v rowcodec.Value) ([]byte, error) {
	w.diffs = w.diffs[:0]
	r := v.JSONDiffReader()
	for {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return dst, err
		}
		w.diffs = append(w.diffs, d)
	}
	for i := len(w.diffs) - 1; i >= 0; i-- {
		dst = append(dst, jsonDiffFunc(&w.diffs[i])...)
		dst = append(dst, '(')
	}
	dst = append(dst, name...)
	for i := range w.diffs {
		d := &w.diffs[i]
		dst = append(dst, ", "...)
		dst = w.appendQuoted(dst, d.Path, 0)
		if d.Op != rowcodec.JSONDiffRemove {
			val := rowcodec.JSONBinaryValue(d.Value)
			var exact bool
			if w.scratch, exact = val.AppendJSONTextExact(w.scratch[:0]); !exact {
				dst = append(dst, ", "...)
				var err error
				if dst, err = rowcodec.AppendJSONSQL(dst, val, func(dst, s []byte) []byte { return w.appendText(dst, s, 0) }); err != nil {
					return dst, err
				}
				dst = append(dst, ')')
				continue
			}
			dst = append(dst, ", CAST("...)
			dst = w.appendQuoted(dst, w.scratch, 0)
			dst = append(dst, " AS JSON)"...)
		}
		dst = append(dst, ')')
	}
	return dst, nil
}

// jsonDiffFunc names the function that performs one diff.
func jsonDiffFunc(d *rowcodec.JSONDiff) string {
	switch d.Op {
	case rowcodec.JSONDiffReplace:
		return "JSON_REPLACE"
	case rowcodec.JSONDiffInsert:
		if n := len(d.Path); n > 0 && d.Path[n-1] == ']' {
			return "JSON_ARRAY_INSERT"
		}
		// An object member: MySQL's insert replaces a member of the same
		// name, which is JSON_SET's behaviour.
		return "JSON_SET"
	}
	return "JSON_REMOVE"
}
