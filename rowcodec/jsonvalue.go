package rowcodec

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends v as a JSON value: the one JSON rendering of a column
// value in this module (binlogdump --json, binlogview's exports and the
// change events of CDC write values with it). c describes v's column; it
// may be nil for kinds that do not need it (ENUM and SET names and the
// character set of text need it). The forms, chosen to be exact and to read
// without knowing MySQL's binary formats:
//
//   - NULL: null.
//   - Integers (TINYINT … BIGINT, signed and unsigned) and YEAR: numbers
//     (unsigned 64-bit values above 2^53 included, as JSON allows; YEAR 0 is 0).
//   - FLOAT and DOUBLE: numbers, in the shortest form that reads back to the
//     same float32 or float64.
//   - DECIMAL: a string with the exact digits ("1234.5600"), never a
//     number (a double cannot hold 65 digits).
//   - DATE: "2024-01-02"; DATETIME: "2024-01-02T03:04:05.123456" (ISO 8601,
//     no zone, as many fractional digits as the column's precision);
//     TIMESTAMP: the same in UTC with a "Z"; TIME: "03:04:05.5", with a
//     sign and more than 24 hours where MySQL's TIME has them
//     ("-838:59:59"). Zero and partial-zero dates are kept as MySQL writes
//     them ("0000-00-00", "2024-00-00T00:00:00").
//   - Text (CHAR, VARCHAR, TEXT, …): a string, converted to UTF-8 from the
//     column's character set. Text whose bytes do not convert (or whose
//     character set is unknown and which is not UTF-8) is written as base64,
//     like binary data.
//   - Binary strings (BINARY, VARBINARY, BLOB, binary-charset CHAR): base64
//     (standard alphabet, padded) in a string.
//   - BIT: a number, the bits as an unsigned integer (BIT(1) is 0 or 1).
//   - ENUM: the member's name as a string when the names are known (from
//     FULL metadata), else its 1-based index as a number (0: the invalid
//     value ""); SET: the members' names joined by "," as a string, else
//     the bit mask as a number.
//   - JSON: the document itself (not a string), as MySQL prints it;
//     MariaDB's JSON text as it is, or as a string when it is not valid JSON.
//   - A JSON partial update (PARTIAL_UPDATE_ROWS after image): an array of
//     {"op": "replace"|"insert"|"remove", "path": "$.a", "value": …}
//     objects, in the order they apply ("value" absent for remove).
//   - GEOMETRY: {"srid": 4326, "wkb": "<base64>"}, the SRID and the
//     well-known binary.
//   - VECTOR: an array of numbers (float32).
//
// A value absent from a MINIMAL image has no JSON form: it is an error,
// and writers of objects leave the column out (IsAbsent), as the image does.
// A corrupt JSON document (or one holding text that is not UTF-8) and a
// FLOAT, DOUBLE or VECTOR element that is NaN or infinite (which servers do
// not store) are errors wrapping ErrCorrupt. AppendJSON
// allocates nothing beyond growing dst, except for character sets that
// convert through golang.org/x/text decoders (see AppendUTF8From).
func (v Value) AppendJSON(dst []byte, c *Column) ([]byte, error) {
	switch v.kind {
	case KindNull:
		return append(dst, "null"...), nil
	case KindAbsent:
		return dst, errAbsentValue
	case KindInt:
		return strconv.AppendInt(dst, int64(v.num), 10), nil
	case KindUint, KindYear, KindBit:
		return strconv.AppendUint(dst, v.num, 10), nil
	case KindFloat32, KindFloat64:
		f, size := v.Float64(), 64
		if v.kind == KindFloat32 {
			size = 32
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			// Servers never store them; JSON cannot hold them.
			return dst, corruptf("%v %v has no JSON form", v.kind, f)
		}
		return strconv.AppendFloat(dst, f, 'g', -1, size), nil
	case KindDecimal:
		dst = append(dst, '"')
		return append(appendDecimalText(dst, v), '"'), nil
	case KindDate, KindTime, KindDatetime, KindTimestamp:
		return appendTemporalJSON(dst, v), nil
	case KindString:
		return appendTextJSON(dst, v), nil
	case KindBytes:
		return appendBase64JSON(dst, v.b), nil
	case KindEnum:
		if c != nil {
			if name := c.EnumName(v); name != nil || v.num == 0 && c.EnumValues != nil {
				return appendJSONQuotedText(dst, name), nil
			}
		}
		return strconv.AppendUint(dst, v.num, 10), nil
	case KindSet:
		if c != nil {
			n0 := len(dst)
			if out, ok := AppendSetNames(append(dst, '"'), c, v); ok {
				return append(escapeJSONInPlace(out, n0+1), '"'), nil
			}
			dst = dst[:n0]
		}
		return strconv.AppendUint(dst, v.num, 10), nil
	case KindJSON:
		if v.IsJSONText() {
			if len(v.b) == 0 {
				return append(dst, "null"...), nil
			}
			if json.Valid(v.b) {
				return append(dst, v.b...), nil
			}
			return appendJSONQuotedText(dst, v.b), nil
		}
		return appendJSONDocUTF8(dst, v.b)
	case KindJSONDiff:
		return appendJSONDiffJSON(dst, v)
	case KindGeometry:
		dst = append(dst, `{"srid":`...)
		dst = strconv.AppendUint(dst, uint64(v.SRID()), 10)
		dst = append(dst, `,"wkb":`...)
		dst = appendBase64JSON(dst, v.WKB())
		return append(dst, '}'), nil
	case KindVector:
		dst = append(dst, '[')
		for i, f := range v.Float32s() {
			if i > 0 {
				dst = append(dst, ',')
			}
			if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
				return dst, corruptf("VECTOR element %v has no JSON form", f)
			}
			dst = strconv.AppendFloat(dst, float64(f), 'g', -1, 32)
		}
		return append(dst, ']'), nil
	}
	return dst, unsupportedf("value kind %v", v.kind)
}

// appendJSONDocUTF8 appends a binary JSON document as MySQL prints it,
// refusing one whose strings are not UTF-8 (which MySQL never stores, and
// which JSON cannot hold).
func appendJSONDocUTF8(dst, doc []byte) ([]byte, error) {
	n0 := len(dst)
	out, err := appendJSONDoc(dst, doc)
	if err != nil {
		return out[:n0], err
	}
	if !utf8.Valid(out[n0:]) {
		return out[:n0], corruptf("JSON document holds text that is not UTF-8")
	}
	return out, nil
}

// appendTemporalJSON appends a temporal value in its ISO 8601 form (see
// AppendJSON): MySQL's text with 'T' between date and time, and a 'Z' after
// a TIMESTAMP.
func appendTemporalJSON(dst []byte, v Value) []byte {
	dst = append(dst, '"')
	n0 := len(dst)
	dst = appendTemporalText(dst, v)
	if v.kind == KindDatetime || v.kind == KindTimestamp {
		for i := n0; i < len(dst); i++ {
			if dst[i] == ' ' {
				dst[i] = 'T'
				break
			}
		}
	}
	if v.kind == KindTimestamp {
		dst = append(dst, 'Z')
	}
	return append(dst, '"')
}

// appendTextJSON appends a character string as a JSON string in UTF-8, or
// as base64 when it does not convert.
func appendTextJSON(dst []byte, v Value) []byte {
	n0 := len(dst)
	out, ok := AppendUTF8From(append(dst, '"'), uint16(v.aux), v.b)
	switch {
	case ok:
		return append(escapeJSONInPlace(out, n0+1), '"')
	case CharsetName(uint16(v.aux)) == "" && utf8.Valid(v.b):
		// An unknown character set (MINIMAL metadata) with UTF-8 bytes.
		return appendJSONQuotedText(out[:n0], v.b)
	}
	return appendBase64JSON(out[:n0], v.b)
}

// escapeJSONInPlace escapes, as appendJSONQuoted does, the text b[start:]
// where it lies, growing b by what the escapes add and moving the text
// from its end backwards.
func escapeJSONInPlace(b []byte, start int) []byte {
	extra, i := 0, start
	for i+8 <= len(b) && !mayNeedJSONEscape(binary.LittleEndian.Uint64(b[i:])) {
		i += 8 // most text needs no escape: skip it a word at a time
	}
	for _, c := range b[i:] {
		if jsonEscapes[c] {
			switch c {
			case '"', '\\', '\b', '\t', '\n', '\f', '\r':
				extra++
			default:
				extra += 5
			}
		}
	}
	if extra == 0 {
		return b
	}
	const hex = "0123456789abcdef"
	n := len(b)
	b = append(b, make([]byte, extra)...)
	w := len(b)
	for r := n - 1; r >= start; r-- {
		c := b[r]
		if !jsonEscapes[c] {
			w--
			b[w] = c
			continue
		}
		var e byte
		switch c {
		case '"', '\\':
			e = c
		case '\b':
			e = 'b'
		case '\t':
			e = 't'
		case '\n':
			e = 'n'
		case '\f':
			e = 'f'
		case '\r':
			e = 'r'
		default:
			w -= 6
			b[w], b[w+1], b[w+2], b[w+3], b[w+4], b[w+5] = '\\', 'u', '0', '0', hex[c>>4], hex[c&15]
			continue
		}
		w -= 2
		b[w], b[w+1] = '\\', e
	}
	return b
}

// appendJSONQuotedText appends s, UTF-8 text, as a JSON string.
func appendJSONQuotedText(dst, s []byte) []byte { return appendJSONQuoted(dst, s) }

// appendBase64JSON appends b as a base64 JSON string.
func appendBase64JSON(dst, b []byte) []byte {
	dst = append(dst, '"')
	dst = base64.StdEncoding.AppendEncode(dst, b)
	return append(dst, '"')
}

// jsonDiffOps are the "op" names of AppendJSON's partial updates.
var jsonDiffOps = [...]string{JSONDiffReplace: "replace", JSONDiffInsert: "insert", JSONDiffRemove: "remove"}

// appendJSONDiffJSON appends a partial update as an array of operations.
func appendJSONDiffJSON(dst []byte, v Value) ([]byte, error) {
	dst = append(dst, '[')
	r := v.JSONDiffReader()
	for i := 0; ; i++ {
		d, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return dst, err
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		if int(d.Op) >= len(jsonDiffOps) {
			return dst, corruptf("JSON diff operation %v", d.Op)
		}
		op := jsonDiffOps[d.Op]
		dst = append(dst, `{"op":"`...)
		dst = append(dst, op...)
		dst = append(dst, `","path":`...)
		if !utf8.Valid(d.Path) {
			return dst, corruptf("JSON diff path %q is not UTF-8", d.Path)
		}
		dst = appendJSONQuotedText(dst, d.Path)
		if d.Op != JSONDiffRemove {
			dst = append(dst, `,"value":`...)
			if dst, err = appendJSONDocUTF8(dst, d.Value); err != nil {
				return dst, err
			}
		}
		dst = append(dst, '}')
	}
	return append(dst, ']'), nil
}
