package rowcodec

import (
	"encoding/binary"
	"math"
	"strconv"
)

// JSON documents as SQL expressions.
//
// CAST('text' AS JSON) parses the text as MySQL's JSON parser does, which
// gives back the same document unless it holds values the text cannot
// tell: an opaque value (a DECIMAL, DATE, TIME, DATETIME or binary string
// put into JSON by JSON_OBJECT, JSON_ARRAY or a column) prints as a number
// or a string, and an unsigned integer below 2^63 parses back as signed.
// Such documents are built instead with JSON_OBJECT and JSON_ARRAY around
// scalars of the right SQL type.

// AppendJSONSQL appends an SQL expression whose value is the MySQL binary
// JSON document v, to be written into a JSON column: CAST('…' AS JSON) for
// documents whose text parses back to themselves, else the document built
// with JSON_OBJECT and JSON_ARRAY, each scalar of the SQL type that stores
// it: CAST(n AS UNSIGNED) for unsigned integers, DOUBLE literals
// (1.5e0) for doubles, CAST('…' AS DECIMAL(p,s)), CAST('…' AS DATE),
// CAST('…' AS TIME(6)) and CAST('…' AS DATETIME(6)) for opaque values of
// those types, X'…' for binary strings. An opaque TIMESTAMP is built as a
// DATETIME and an opaque value of another field type (BIT, BLOB, GEOMETRY,
// …) as a binary string: SQL has no expression of those types short of a
// column, and their text is the same but for the type number in
// "base64:typeN:…".
//
// quote appends a string as an SQL string literal in the connection's
// character set (utf8mb4), the caller's escaping. v must be a MySQL binary
// document (not MariaDB's text JSON, which is written as a string).
func AppendJSONSQL(dst []byte, v Value, quote func(dst, s []byte) []byte) ([]byte, error) {
	if v.kind != KindJSON || v.flag&jsonFlagText != 0 {
		return dst, corruptf("AppendJSONSQL given a %v value", v.kind)
	}
	root, err := jsonParseDoc(v.b)
	if err != nil {
		return dst, err
	}
	if !root.needsBuild() {
		text, err := appendJSONText(nil, v)
		if err != nil {
			return dst, err
		}
		dst = append(dst, "CAST("...)
		dst = quote(dst, text)
		return append(dst, " AS JSON)"...), nil
	}
	if root.isContainer() {
		return root.appendSQL(dst, quote)
	}
	// A scalar stored into a JSON column would be read as JSON text.
	dst = append(dst, "CAST("...)
	if dst, err = root.appendSQL(dst, quote); err != nil {
		return dst, err
	}
	return append(dst, " AS JSON)"...), nil
}

// JSONTextExact reports whether v, a MySQL binary JSON document, is what
// CAST(text AS JSON) of its text gives back: false when it holds an opaque
// value or an unsigned integer below 2^63, or cannot be read (see
// AppendJSONSQL). It reads the document in place without allocating.
func (v Value) JSONTextExact() bool {
	if v.kind != KindJSON || v.flag&jsonFlagText != 0 {
		return false
	}
	if len(v.b) == 0 {
		return true
	}
	budget := len(v.b) + 1
	inexact, err := jsonScanInexact(v.b[0], v.b[1:], 0, &budget)
	return err == nil && !inexact
}

// jsonScanInexact reports whether the value of type typ at b holds a value
// its text cannot tell.
func jsonScanInexact(typ byte, b []byte, depth int, budget *int) (bool, error) {
	*budget--
	if *budget < 0 {
		return false, corruptf("JSON document refers to the same bytes more than once")
	}
	switch typ {
	case jsonSmallObject, jsonLargeObject, jsonSmallArray, jsonLargeArray:
		if depth+1 > jsonMaxDepth {
			return false, corruptf("JSON document deeper than %d", jsonMaxDepth)
		}
		c, err := parseJSONContainer(typ, b)
		if err != nil {
			return false, err
		}
		for i := 0; i < c.count; i++ {
			t, vb, err := c.elem(i)
			if err != nil {
				return false, err
			}
			if inexact, err := jsonScanInexact(t, vb, depth+1, budget); inexact || err != nil {
				return inexact, err
			}
		}
		return false, nil
	case jsonOpaque, jsonUint16, jsonUint32:
		return true, nil
	case jsonUint64:
		if len(b) < 8 {
			return false, truncated("JSON number", 8, len(b))
		}
		return binary.LittleEndian.Uint64(b) <= math.MaxInt64, nil
	}
	return false, nil
}

// needsBuild reports whether n holds a value its text cannot tell.
func (n *jsonNode) needsBuild() bool {
	switch n.typ {
	case jsonSmallObject, jsonSmallArray:
		for i := range n.kids {
			if n.kids[i].needsBuild() {
				return true
			}
		}
		return false
	case jsonOpaque:
		return true
	case jsonUint16, jsonUint32:
		return true
	case jsonUint64:
		return binary.LittleEndian.Uint64(n.raw) <= math.MaxInt64
	}
	return false
}

// appendSQL appends the expression that builds n.
func (n *jsonNode) appendSQL(dst []byte, quote func(dst, s []byte) []byte) ([]byte, error) {
	var err error
	switch n.typ {
	case jsonSmallObject, jsonSmallArray:
		if n.typ == jsonSmallObject {
			dst = append(dst, "JSON_OBJECT("...)
		} else {
			dst = append(dst, "JSON_ARRAY("...)
		}
		for i := range n.kids {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			if n.typ == jsonSmallObject {
				dst = quote(dst, n.keys[i])
				dst = append(dst, ", "...)
			}
			if dst, err = n.kids[i].appendSQL(dst, quote); err != nil {
				return dst, err
			}
		}
		return append(dst, ')'), nil
	case jsonLiteral:
		switch n.raw[0] {
		case jsonLiteralTrue:
			return append(dst, "CAST('true' AS JSON)"...), nil
		case jsonLiteralFalse:
			return append(dst, "CAST('false' AS JSON)"...), nil
		}
		return append(dst, "CAST('null' AS JSON)"...), nil
	case jsonInt16:
		return strconv.AppendInt(dst, int64(int16(binary.LittleEndian.Uint16(n.raw))), 10), nil
	case jsonInt32:
		return strconv.AppendInt(dst, int64(int32(binary.LittleEndian.Uint32(n.raw))), 10), nil
	case jsonInt64:
		// The literal -9223372036854775808 would be a DECIMAL.
		dst = append(dst, "CAST('"...)
		dst = strconv.AppendInt(dst, int64(binary.LittleEndian.Uint64(n.raw)), 10)
		return append(dst, "' AS SIGNED)"...), nil
	case jsonUint16, jsonUint32, jsonUint64:
		var u uint64
		switch n.typ {
		case jsonUint16:
			u = uint64(binary.LittleEndian.Uint16(n.raw))
		case jsonUint32:
			u = uint64(binary.LittleEndian.Uint32(n.raw))
		default:
			u = binary.LittleEndian.Uint64(n.raw)
		}
		dst = append(dst, "CAST("...)
		dst = strconv.AppendUint(dst, u, 10)
		return append(dst, " AS UNSIGNED)"...), nil
	case jsonDouble:
		// A literal with an exponent is a DOUBLE (1.5 alone is a DECIMAL).
		return strconv.AppendFloat(dst, math.Float64frombits(binary.LittleEndian.Uint64(n.raw)), 'e', -1, 64), nil
	case jsonString:
		s, _, err := jsonReadString(n.raw)
		if err != nil {
			return dst, err
		}
		return quote(dst, s), nil
	case jsonOpaque:
		return appendJSONOpaqueSQL(dst, n.raw, quote)
	}
	return dst, corruptf("JSON value type 0x%02x", n.typ)
}

// appendJSONOpaqueSQL appends the SQL value an opaque JSON value is made
// from (see AppendJSONSQL).
func appendJSONOpaqueSQL(dst, raw []byte, quote func(dst, s []byte) []byte) ([]byte, error) {
	ft, data, _, err := jsonReadOpaque(raw)
	if err != nil {
		return dst, err
	}
	var text []byte
	switch ft {
	case jsonOpaqueNewDecimal:
		if len(data) < 2 {
			return dst, truncated("JSON decimal", 2, len(data))
		}
		if text, err = appendJSONDecimalBinaryText(nil, data[2:], int(data[0]), int(data[1])); err != nil {
			return dst, err
		}
		dst = append(dst, "CAST("...)
		dst = quote(dst, text)
		dst = append(dst, " AS DECIMAL("...)
		dst = strconv.AppendUint(dst, uint64(data[0]), 10)
		dst = append(dst, ',')
		dst = strconv.AppendUint(dst, uint64(data[1]), 10)
		return append(dst, "))"...), nil
	case jsonOpaqueDate, jsonOpaqueDatetime, jsonOpaqueTimestamp, jsonOpaqueTime:
		if len(data) != 8 {
			return dst, corruptf("JSON temporal value of %d bytes", len(data))
		}
		text = appendJSONPackedTemporal(nil, ft, int64(binary.LittleEndian.Uint64(data)))
		text = text[:len(text)-1] // the closing quote
		dst = append(dst, "CAST("...)
		dst = quote(dst, text)
		switch ft {
		case jsonOpaqueDate:
			return append(dst, " AS DATE)"...), nil
		case jsonOpaqueTime:
			return append(dst, " AS TIME(6))"...), nil
		}
		return append(dst, " AS DATETIME(6))"...), nil
	}
	return appendHexLiteral(dst, data), nil
}
