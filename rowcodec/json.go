package rowcodec

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// JSON values (KindJSON).
//
// Packing: b is the document. For MySQL it is the binary JSON document
// (one type byte, then the value, as sql/json_binary.h describes it) without
// the column's length prefix; flag is 0. For MariaDB, whose JSON type is a
// LONGTEXT alias, a value built with flag jsonFlagText holds the JSON text
// itself. aux and num are unused.
//
// Decoding only takes a view of the document (it costs the length prefix);
// printing (appendJSONText, Value.AppendJSONText) reads the document by the
// offsets its containers hold, never sequentially, so the unused bytes
// ("holes") that MySQL's in-place JSON_SET/JSON_REPLACE/JSON_REMOVE leave in
// a full after image are skipped, and checks every offset and length against
// the bytes present. A zero-length document is what MySQL stores when NULL
// or DEFAULT is forced into a NOT NULL JSON column in a lax SQL mode; MySQL
// reads it as the JSON null literal (Field_json::val_json), and so does this
// package: it prints as null.

// jsonFlagText marks a KindJSON value whose b is JSON text (MariaDB), not a
// MySQL binary document.
const jsonFlagText uint8 = 1

// Binary JSON type codes (sql/json_binary.h).
const (
	jsonSmallObject = 0x00
	jsonLargeObject = 0x01
	jsonSmallArray  = 0x02
	jsonLargeArray  = 0x03
	jsonLiteral     = 0x04
	jsonInt16       = 0x05
	jsonUint16      = 0x06
	jsonInt32       = 0x07
	jsonUint32      = 0x08
	jsonInt64       = 0x09
	jsonUint64      = 0x0a
	jsonDouble      = 0x0b
	jsonString      = 0x0c
	jsonOpaque      = 0x0f

	jsonLiteralNull  = 0x00
	jsonLiteralTrue  = 0x01
	jsonLiteralFalse = 0x02
)

// Field types that MySQL gives a special meaning inside a JSON opaque value.
const (
	jsonOpaqueTimestamp  = 7
	jsonOpaqueDate       = 10
	jsonOpaqueTime       = 11
	jsonOpaqueDatetime   = 12
	jsonOpaqueNewDecimal = 246
	jsonOpaqueVarString  = 253
)

// jsonMaxDepth is MySQL's JSON_DOCUMENT_MAX_DEPTH: containers nested deeper
// are refused, by the printer as by the text parser.
const jsonMaxDepth = 100

// JSONBinaryValue returns a KindJSON value holding doc, a MySQL binary JSON
// document (type byte first). The value aliases doc.
func JSONBinaryValue(doc []byte) Value { return Value{kind: KindJSON, b: doc} }

// JSONTextValue returns a KindJSON value holding JSON text as MariaDB stores
// it; it prints as it is. The value aliases text.
func JSONTextValue(text []byte) Value { return Value{kind: KindJSON, flag: jsonFlagText, b: text} }

// IsJSONText reports whether a KindJSON value holds JSON text (MariaDB)
// rather than a MySQL binary document.
func (v Value) IsJSONText() bool { return v.kind == KindJSON && v.flag&jsonFlagText != 0 }

// AppendJSONText appends a KindJSON value as MySQL prints it in query
// results (mysqlbinlog -vv shows the same text, quoted), reading the
// document by its offsets; a corrupt document is an error wrapping
// ErrCorrupt. It allocates nothing beyond growing dst. MariaDB text JSON
// is appended as it is; an empty document prints null.
//
// The rules are MySQL's Json_wrapper::to_string (sql/json_dom.cc,
// wrapper_to_string): objects as {"k": v, "k2": v2} and arrays as [v, v2]
// (", " and ": " separators), keys in stored order; strings double-quoted
// with \" \\ \b \f \n \r \t and \u00xx (lower-case hex) for the other bytes
// up to 0x1f, everything else (UTF-8 included) as it is; integers in decimal;
// doubles as my_gcvt prints them (shortest round-trip digits; fixed
// notation from 1e-15 up to below 1e15, e.g. 0.0001 and 100.0, else 1e100
// or -2.5e-20 with no '+' and no exponent padding) with ".0" added when
// the result has neither '.' nor 'e' (3.0, -0.0); opaque DATE, TIME, DATETIME and TIMESTAMP values
// quoted as "2012-03-18", "87:31:46.654321", "2012-03-18 11:30:45.000000";
// opaque DECIMAL unquoted with its digits and scale (9.00); opaque
// VAR_STRING as a string; other opaque values as "base64:typeN:…" where the
// base64 text has a newline (printed \n) after every 76 characters, as
// MySQL's base64_encode writes it.
func (v Value) AppendJSONText(dst []byte) ([]byte, error) { return appendJSONText(dst, v) }

// AppendJSONTextExact appends the JSON text of v, a MySQL binary JSON
// document, and reports true when JSONTextExact does: CAST(text AS JSON)
// gives v back. Otherwise (an opaque value, an unsigned integer below
// 2^63, a document that cannot be read) it appends nothing and reports
// false. It reads the document once where JSONTextExact and then
// AppendJSONText read it twice.
func (v Value) AppendJSONTextExact(dst []byte) ([]byte, bool) {
	if v.kind != KindJSON || v.flag&jsonFlagText != 0 {
		return dst, false
	}
	if len(v.b) == 0 {
		return append(dst, "null"...), true
	}
	p := jsonPrinter{budget: len(v.b) + 1, outMax: len(dst) + 16*len(v.b) + 64, exact: true}
	out, err := p.value(dst, v.b[0], v.b[1:], 0)
	if err != nil {
		return dst, false
	}
	return out, true
}

// jsonPrefixLen returns the size of a JSON column's length prefix.
func jsonPrefixLen(c *Column) (int, error) {
	if c == nil || c.Meta == 0 {
		return 4, nil
	}
	if c.Meta > 4 {
		return 0, corruptf("JSON column length prefix of %d bytes", c.Meta)
	}
	return int(c.Meta), nil
}

func jsonReadLE(b []byte, n int) uint64 {
	switch n {
	case 2:
		return uint64(binary.LittleEndian.Uint16(b))
	case 4:
		return uint64(binary.LittleEndian.Uint32(b))
	}
	var u uint64
	for i := n - 1; i >= 0; i-- {
		u = u<<8 | uint64(b[i])
	}
	return u
}

func jsonAppendLE(dst []byte, u uint64, n int) []byte {
	for i := 0; i < n; i++ {
		dst = append(dst, byte(u>>(8*i)))
	}
	return dst
}

// decodeJSON decodes a JSON column value (length prefix of c.Meta bytes, then
// MySQL binary JSON; MariaDB logs JSON as a LONGTEXT/BLOB instead).
func decodeJSON(c *Column, b []byte) (Value, int, error) {
	n, err := jsonPrefixLen(c)
	if err != nil {
		return Value{}, 0, err
	}
	if len(b) < n {
		return Value{}, 0, truncated("JSON length", n, len(b))
	}
	l := jsonReadLE(b, n)
	if l > uint64(len(b)-n) {
		return Value{}, 0, truncated("JSON document", int(min(l, math.MaxInt32)), len(b)-n)
	}
	end := n + int(l)
	return Value{kind: KindJSON, b: b[n:end:end]}, end, nil
}

// appendJSON appends the binary form of v for column c.
func appendJSON(dst []byte, c *Column, v Value) ([]byte, error) {
	if v.kind != KindJSON {
		return dst, corruptf("JSON column given a %v value", v.kind)
	}
	n, err := jsonPrefixLen(c)
	if err != nil {
		return dst, err
	}
	if n < 8 && uint64(len(v.b)) >= 1<<(8*n) {
		return dst, corruptf("JSON document of %d bytes does not fit a %d-byte length", len(v.b), n)
	}
	dst = jsonAppendLE(dst, uint64(len(v.b)), n)
	return append(dst, v.b...), nil
}

// appendJSONText appends v as MySQL prints the JSON document (see
// Value.AppendJSONText for the rules).
func appendJSONText(dst []byte, v Value) ([]byte, error) {
	if v.kind != KindJSON {
		return dst, corruptf("JSON text of a %v value", v.kind)
	}
	if v.flag&jsonFlagText != 0 {
		return append(dst, v.b...), nil
	}
	return appendJSONDoc(dst, v.b)
}

// appendJSONDoc prints a binary JSON document (type byte first).
func appendJSONDoc(dst []byte, doc []byte) ([]byte, error) {
	if len(doc) == 0 {
		return append(dst, "null"...), nil
	}
	p := jsonPrinter{budget: len(doc) + 1, outMax: len(dst) + 16*len(doc) + 64}
	return p.value(dst, doc[0], doc[1:], 0)
}

// jsonPrinter bounds the work of printing a hostile document: offsets may
// make containers share their elements, so that a small document would
// print an enormous text. A document MySQL wrote has at most one element
// per entry and prints at most a few times its size; beyond that it is
// refused as corrupt.
type jsonPrinter struct {
	budget int // elements left to visit
	outMax int // maximum len(dst)
	// exact stops the printing at a value whose text CAST(text AS JSON)
	// would not give back (see Value.JSONTextExact) with errJSONInexact.
	exact bool
}

// errJSONInexact stops a jsonPrinter in exact mode.
var errJSONInexact = errors.New("rowcodec: JSON value its text does not tell")

// value prints the value of type typ whose bytes start at b (for an
// inlined value, b is its entry).
func (p *jsonPrinter) value(dst []byte, typ byte, b []byte, depth int) ([]byte, error) {
	p.budget--
	if p.budget < 0 || len(dst) > p.outMax {
		return dst, corruptf("JSON document refers to the same bytes more than once")
	}
	switch typ {
	case jsonSmallObject, jsonLargeObject, jsonSmallArray, jsonLargeArray:
		return p.container(dst, typ, b, depth+1)
	case jsonLiteral:
		if len(b) < 1 {
			return dst, truncated("JSON literal", 1, 0)
		}
		switch b[0] {
		case jsonLiteralNull:
			return append(dst, "null"...), nil
		case jsonLiteralTrue:
			return append(dst, "true"...), nil
		case jsonLiteralFalse:
			return append(dst, "false"...), nil
		}
		return dst, corruptf("JSON literal 0x%02x", b[0])
	case jsonInt16:
		if len(b) < 2 {
			return dst, truncated("JSON int16", 2, len(b))
		}
		return strconv.AppendInt(dst, int64(int16(binary.LittleEndian.Uint16(b))), 10), nil
	case jsonUint16:
		if len(b) < 2 {
			return dst, truncated("JSON uint16", 2, len(b))
		}
		if p.exact {
			return dst, errJSONInexact
		}
		return strconv.AppendUint(dst, uint64(binary.LittleEndian.Uint16(b)), 10), nil
	case jsonInt32:
		if len(b) < 4 {
			return dst, truncated("JSON int32", 4, len(b))
		}
		return strconv.AppendInt(dst, int64(int32(binary.LittleEndian.Uint32(b))), 10), nil
	case jsonUint32:
		if len(b) < 4 {
			return dst, truncated("JSON uint32", 4, len(b))
		}
		if p.exact {
			return dst, errJSONInexact
		}
		return strconv.AppendUint(dst, uint64(binary.LittleEndian.Uint32(b)), 10), nil
	case jsonInt64:
		if len(b) < 8 {
			return dst, truncated("JSON int64", 8, len(b))
		}
		return strconv.AppendInt(dst, int64(binary.LittleEndian.Uint64(b)), 10), nil
	case jsonUint64:
		if len(b) < 8 {
			return dst, truncated("JSON uint64", 8, len(b))
		}
		u := binary.LittleEndian.Uint64(b)
		if p.exact && u <= math.MaxInt64 {
			return dst, errJSONInexact
		}
		return strconv.AppendUint(dst, u, 10), nil
	case jsonDouble:
		if len(b) < 8 {
			return dst, truncated("JSON double", 8, len(b))
		}
		return appendJSONDouble(dst, math.Float64frombits(binary.LittleEndian.Uint64(b))), nil
	case jsonString:
		s, _, err := jsonReadString(b)
		if err != nil {
			return dst, err
		}
		return appendJSONQuoted(dst, s), nil
	case jsonOpaque:
		if p.exact {
			return dst, errJSONInexact
		}
		ft, data, _, err := jsonReadOpaque(b)
		if err != nil {
			return dst, err
		}
		return appendJSONOpaque(dst, ft, data)
	}
	return dst, corruptf("JSON value type 0x%02x", typ)
}

// jsonContainer is the parsed header of an object or array.
type jsonContainer struct {
	data  []byte // the container, from its count field, cut to its size
	count int
	large bool
	obj   bool
	vals  int // offset of the value entries in data
	end   int // offset of the end of the entries in data
}

// offSize is the width of counts, sizes and offsets (2 small, 4 large).
func (c *jsonContainer) offSize() int {
	if c.large {
		return 4
	}
	return 2
}

func (c *jsonContainer) keyEntrySize() int { return c.offSize() + 2 }
func (c *jsonContainer) valEntrySize() int { return 1 + c.offSize() }

// valEntries is the offset of the value entries (after the header and
// the key entries).
func (c *jsonContainer) valEntries() int { return c.vals }

// parseJSONContainer reads the header of the container of type typ at b.
func parseJSONContainer(typ byte, b []byte) (jsonContainer, error) {
	c := jsonContainer{large: typ == jsonLargeObject || typ == jsonLargeArray,
		obj: typ == jsonSmallObject || typ == jsonLargeObject}
	w := c.offSize()
	if len(b) < 2*w {
		return c, truncated("JSON container header", 2*w, len(b))
	}
	count := jsonReadLE(b, w)
	size := jsonReadLE(b[w:], w)
	if size > uint64(len(b)) {
		return c, truncated("JSON container", int(min(size, math.MaxInt32)), len(b))
	}
	per := uint64(c.valEntrySize())
	if c.obj {
		per += uint64(c.keyEntrySize())
	}
	if count*per+uint64(2*w) > size {
		return c, corruptf("JSON container of %d elements in %d bytes", count, size)
	}
	c.data = b[:size:size]
	c.count = int(count)
	c.vals = 2 * w
	if c.obj {
		c.vals += c.count * c.keyEntrySize()
	}
	c.end = c.vals + c.count*c.valEntrySize()
	return c, nil
}

// key returns the key of element i of an object.
func (c *jsonContainer) key(i int) ([]byte, error) {
	w := c.offSize()
	e := c.data[2*w+i*c.keyEntrySize():]
	off := jsonReadLE(e, w)
	n := uint64(binary.LittleEndian.Uint16(e[w:]))
	if off+n > uint64(len(c.data)) || off < uint64(c.valEntries()) && n > 0 {
		return nil, corruptf("JSON key at %d+%d outside its object of %d bytes", off, n, len(c.data))
	}
	return c.data[off : off+n : off+n], nil
}

// jsonInlined reports whether a value of type typ is stored in its entry.
func jsonInlined(typ byte, large bool) bool {
	switch typ {
	case jsonLiteral, jsonInt16, jsonUint16:
		return true
	case jsonInt32, jsonUint32:
		return large
	}
	return false
}

// elem returns the type of element i and the bytes its value starts at.
func (c *jsonContainer) elem(i int) (byte, []byte, error) {
	w := c.offSize()
	e := c.data[c.valEntries()+i*c.valEntrySize():]
	typ := e[0]
	if jsonInlined(typ, c.large) {
		return typ, e[1 : 1+w : 1+w], nil
	}
	off := jsonReadLE(e[1:], w)
	if off >= uint64(len(c.data)) || off < uint64(c.end) {
		return typ, nil, corruptf("JSON value offset %d outside its container of %d bytes", off, len(c.data))
	}
	return typ, c.data[off:], nil
}

func (p *jsonPrinter) container(dst []byte, typ byte, b []byte, depth int) ([]byte, error) {
	if depth > jsonMaxDepth {
		return dst, corruptf("JSON document deeper than %d", jsonMaxDepth)
	}
	c, err := parseJSONContainer(typ, b)
	if err != nil {
		return dst, err
	}
	open, close := byte('['), byte(']')
	if c.obj {
		open, close = '{', '}'
	}
	dst = append(dst, open)
	// The entries are read here rather than through key and elem, with the
	// same checks; inlined scalars and strings with a one-byte length are
	// printed here rather than through value (counted against the budget
	// as value counts them).
	data, w := c.data, c.offSize()
	keys, vals := 2*w, c.vals
	for i := 0; i < c.count; i++ {
		if i > 0 {
			dst = append(dst, ',', ' ')
		}
		if c.obj {
			e := data[keys+i*(w+2):]
			var off uint64
			if w == 2 {
				off = uint64(binary.LittleEndian.Uint16(e))
			} else {
				off = uint64(binary.LittleEndian.Uint32(e))
			}
			n := uint64(binary.LittleEndian.Uint16(e[w:]))
			if off+n > uint64(len(data)) || off < uint64(c.vals) && n > 0 {
				return dst, corruptf("JSON key at %d+%d outside its object of %d bytes", off, n, len(data))
			}
			dst = appendJSONQuoted(dst, data[off:off+n:off+n])
			dst = append(dst, ':', ' ')
		}
		e := data[vals+i*(1+w):]
		t := e[0]
		if jsonInlined(t, c.large) {
			if t == jsonInt16 || t == jsonLiteral && e[1] <= jsonLiteralFalse {
				if p.budget--; p.budget < 0 || len(dst) > p.outMax {
					return dst, corruptf("JSON document refers to the same bytes more than once")
				}
				if t == jsonInt16 {
					dst = strconv.AppendInt(dst, int64(int16(binary.LittleEndian.Uint16(e[1:]))), 10)
				} else {
					dst = append(dst, jsonLiterals[e[1]]...)
				}
				continue
			}
			if dst, err = p.value(dst, t, e[1:1+w:1+w], depth); err != nil {
				return dst, err
			}
			continue
		}
		var off uint64
		if w == 2 {
			off = uint64(binary.LittleEndian.Uint16(e[1:]))
		} else {
			off = uint64(binary.LittleEndian.Uint32(e[1:]))
		}
		if off >= uint64(len(data)) || off < uint64(c.end) {
			return dst, corruptf("JSON value offset %d outside its container of %d bytes", off, len(data))
		}
		v := data[off:]
		if t == jsonString && v[0] < 0x80 && int(v[0]) < len(v) {
			if p.budget--; p.budget < 0 || len(dst) > p.outMax {
				return dst, corruptf("JSON document refers to the same bytes more than once")
			}
			n := 1 + int(v[0])
			dst = appendJSONQuoted(dst, v[1:n:n])
			continue
		}
		if dst, err = p.value(dst, t, v, depth); err != nil {
			return dst, err
		}
	}
	return append(dst, close), nil
}

// jsonLiterals is the text of each JSON literal byte.
var jsonLiterals = [...]string{jsonLiteralNull: "null", jsonLiteralTrue: "true", jsonLiteralFalse: "false"}

// jsonReadVarLen reads MySQL's variable-length length: 7 bits per byte,
// least significant first, high bit set on all but the last byte, at most 5
// bytes, the value fitting 32 bits.
func jsonReadVarLen(b []byte) (uint64, int, error) {
	var u uint64
	for i := 0; i < 5; i++ {
		if i >= len(b) {
			return 0, 0, truncated("JSON length", i+1, len(b))
		}
		u |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			if u > math.MaxUint32 {
				return 0, 0, corruptf("JSON length %d", u)
			}
			return u, i + 1, nil
		}
	}
	return 0, 0, corruptf("JSON length longer than 5 bytes")
}

func jsonAppendVarLen(dst []byte, n uint64) []byte {
	for n >= 0x80 {
		dst = append(dst, byte(n)|0x80)
		n >>= 7
	}
	return append(dst, byte(n))
}

// jsonReadString reads a string value (length, then bytes); n is the bytes
// used.
func jsonReadString(b []byte) (s []byte, n int, err error) {
	l, m, err := jsonReadVarLen(b)
	if err != nil {
		return nil, 0, err
	}
	if l > uint64(len(b)-m) {
		return nil, 0, truncated("JSON string", int(min(l, math.MaxInt32)), len(b)-m)
	}
	end := m + int(l)
	return b[m:end:end], end, nil
}

// jsonReadOpaque reads an opaque value (field type, length, bytes).
func jsonReadOpaque(b []byte) (ft byte, data []byte, n int, err error) {
	if len(b) < 1 {
		return 0, nil, 0, truncated("JSON opaque type", 1, 0)
	}
	data, n, err = jsonReadString(b[1:])
	return b[0], data, n + 1, err
}

// jsonEscapes marks the bytes a JSON string escapes: control bytes, '"'
// and backslash.
var jsonEscapes = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// appendJSONQuoted appends s as MySQL's double_quote does. Runs of bytes
// that need no escape are copied at once; they are found eight bytes at a
// time where possible.
func appendJSONQuoted(dst, s []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; ; i++ {
		// Skip words without an escape (the test is exact: a word it
		// stops at holds one), then bytes up to the escape.
		for i+8 <= len(s) && !mayNeedJSONEscape(binary.LittleEndian.Uint64(s[i:])) {
			i += 8
		}
		for i < len(s) && !jsonEscapes[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		c := s[i]
		dst = append(dst, s[start:i]...)
		start = i + 1
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// mayNeedJSONEscape reports whether any of the eight bytes of v is a
// control byte (below 0x20), '"' or a backslash: false means none needs an
// escape. The test is exact per word (no false negatives).
func mayNeedJSONEscape(v uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	q := v ^ ('"' * lo)
	b := v ^ ('\\' * lo)
	return ((v-0x20*lo)&^v|(q-lo)&^q|(b-lo)&^b)&hi != 0
}

// appendJSONDouble appends d as MySQL prints a JSON double: my_gcvt(d,
// MY_GCVT_ARG_DOUBLE, MY_GCVT_MAX_FIELD_WIDTH = 34) and ".0" when the result
// has neither '.' nor 'e'. my_gcvt takes the shortest round-trip digits
// (dtoa mode 4 with 34 digits, more than a double ever needs) and uses the
// fixed notation when the decimal exponent decpt (0.d1d2… × 10^decpt) is in
// -14…15, or beyond 15 when digits remain after the point; otherwise
// d1.d2…e[-]N with no '+' and no leading zeros in the exponent. Zero prints
// 0.0 (-0.0 for negative zero); NaN and infinities, which JSON cannot hold,
// print as my_gcvt's overflow result "0", so 0.0.
func appendJSONDouble(dst []byte, d float64) []byte {
	if out, ok := appendShortDouble(dst, d); ok {
		return out
	}
	return appendJSONDoubleDigits(dst, d)
}

// jsonPow10 holds the exact powers of ten appendShortDouble scales by.
var jsonPow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// appendShortDouble prints d when it is m×10^-k for an integer
// 1 ≤ m < 2^48 and 0 ≤ k ≤ 9 (whole numbers, prices, halves: most doubles
// in documents), without strconv's shortest-digit search; ok is false
// otherwise and nothing is appended.
//
// For each k from 0 up, m is d×10^k rounded and accepted when m/10^k (one
// correctly rounded division of exact operands) is d, i.e. when the
// decimal m×10^-k reads back as d. That finds the smallest such k: since
// |d×10^k| < 2^48, the product's rounding error and the distance from
// d×10^k to a k-digit decimal that reads back as d are each below 1/8, so
// rounding the product gives that decimal's m whenever one exists. It is
// also the shortest decimal that reads back as d, the one strconv (and
// my_gcvt) print: ulp(d) ≤ |d|×2^-52 < 10^-k/16, so any other decimal
// within d's rounding interval differs from m×10^-k by less than
// 10^-(k+1), which a decimal of no more significant digits cannot (it
// would be a multiple of 10^-(k+1) or coarser). Here every result is in
// fixed notation: a whole m prints "m.0" (m < 10^15), and k ≥ 1 gives a
// decimal exponent of at least 1-9, well inside -14…15.
func appendShortDouble(dst []byte, d float64) ([]byte, bool) {
	a := math.Abs(d)
	if !(a >= 1e-9 && a < 1<<48) {
		return dst, false // also NaN
	}
	for k, p10 := range jsonPow10 {
		p := a * p10
		if p >= 1<<48 {
			return dst, false
		}
		m := uint64(p + 0.5)
		if m == 0 || float64(m)/p10 != a {
			continue
		}
		if d < 0 {
			dst = append(dst, '-')
		}
		if k == 0 {
			dst = strconv.AppendUint(dst, m, 10)
			return append(dst, '.', '0'), true
		}
		var buf [20]byte
		digits := strconv.AppendUint(buf[:0], m, 10)
		if point := len(digits) - k; point > 0 {
			dst = append(dst, digits[:point]...)
			dst = append(dst, '.')
			dst = append(dst, digits[point:]...)
		} else {
			dst = append(dst, '0', '.')
			for ; point < 0; point++ {
				dst = append(dst, '0')
			}
			dst = append(dst, digits...)
		}
		return dst, true
	}
	return dst, false
}

// appendJSONDoubleDigits is appendJSONDouble for any d, from strconv's
// shortest digits.
func appendJSONDoubleDigits(dst []byte, d float64) []byte {
	if math.IsNaN(d) || math.IsInf(d, 0) {
		return append(dst, "0.0"...)
	}
	var buf [32]byte
	// Shortest round-trip digits in 'e' form: d.ddde±XX.
	e := strconv.AppendFloat(buf[:0], d, 'e', -1, 64)
	neg := false
	if e[0] == '-' {
		neg = true
		e = e[1:]
	}
	var digits [24]byte
	nd := 0
	i := 0
	for ; i < len(e) && e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits[nd] = e[i]
			nd++
		}
	}
	exp, sign := 0, 1
	for _, c := range e[i+1:] {
		switch {
		case c == '-':
			sign = -1
		case c >= '0' && c <= '9':
			exp = exp*10 + int(c-'0')
		}
	}
	decpt := sign*exp + 1
	if d == 0 {
		nd, decpt = 1, 1
	}
	if neg {
		dst = append(dst, '-')
	}
	const maxDecpt = 15 // MAX_DECPT_FOR_F_FORMAT = DBL_DIG
	if decpt >= -maxDecpt+1 && (decpt <= maxDecpt || nd > decpt) {
		// Fixed notation.
		if decpt <= 0 {
			dst = append(dst, '0', '.')
			for j := decpt; j < 0; j++ {
				dst = append(dst, '0')
			}
			return append(dst, digits[:nd]...)
		}
		if nd > decpt {
			dst = append(dst, digits[:decpt]...)
			dst = append(dst, '.')
			return append(dst, digits[decpt:nd]...)
		}
		dst = append(dst, digits[:nd]...)
		for j := nd; j < decpt; j++ {
			dst = append(dst, '0')
		}
		return append(dst, '.', '0')
	}
	dst = append(dst, digits[0])
	if nd > 1 {
		dst = append(dst, '.')
		dst = append(dst, digits[1:nd]...)
	}
	dst = append(dst, 'e')
	x := decpt - 1
	if x < 0 {
		dst = append(dst, '-')
		x = -x
	}
	return strconv.AppendInt(dst, int64(x), 10)
}

// appendJSONOpaque prints an opaque value of field type ft.
func appendJSONOpaque(dst []byte, ft byte, data []byte) ([]byte, error) {
	switch ft {
	case jsonOpaqueVarString:
		return appendJSONQuoted(dst, data), nil
	case jsonOpaqueNewDecimal:
		if len(data) < 2 {
			return dst, truncated("JSON decimal", 2, len(data))
		}
		return appendJSONDecimalBinaryText(dst, data[2:], int(data[0]), int(data[1]))
	case jsonOpaqueDate, jsonOpaqueDatetime, jsonOpaqueTimestamp, jsonOpaqueTime:
		if len(data) != 8 {
			return dst, corruptf("JSON temporal value of %d bytes", len(data))
		}
		return appendJSONPackedTemporal(append(dst, '"'), ft, int64(binary.LittleEndian.Uint64(data))), nil
	}
	dst = append(dst, `"base64:type`...)
	dst = strconv.AppendUint(dst, uint64(ft), 10)
	dst = append(dst, ':')
	for len(data) > 0 {
		n := min(len(data), 57) // 76 base64 characters per line
		dst = base64.StdEncoding.AppendEncode(dst, data[:n])
		data = data[n:]
		if len(data) > 0 {
			dst = append(dst, '\\', 'n')
		}
	}
	return append(dst, '"'), nil
}

// appendJSONPackedTemporal prints a temporal value in MySQL's packed
// longlong format (sql-common/my_time.cc: TIME_to_longlong_*_packed) as
// my_TIME_to_str(…, 6) does, and the closing quote.
//
// Packed DATETIME/DATE/TIMESTAMP: ((((year*13+month)<<5|day)<<17 |
// hour<<12|minute<<6|second) << 24) + microseconds, negated when negative.
// Packed TIME: ((hour<<12|minute<<6|second) << 24) + microseconds, negated
// for a negative time.
func appendJSONPackedTemporal(dst []byte, ft byte, v int64) []byte {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u
	}
	frac := u % (1 << 24)
	ihms := u >> 24
	if ft == jsonOpaqueTime {
		if neg {
			dst = append(dst, '-')
		}
		hour := (ihms >> 12) % (1 << 10)
		dst = jsonAppend2(dst, hour)
		dst = append(dst, ':')
		dst = jsonAppend2(dst, (ihms>>6)%64)
		dst = append(dst, ':')
		dst = jsonAppend2(dst, ihms%64)
		dst = append(dst, '.')
		dst = jsonAppendN(dst, frac, 6)
		return append(dst, '"')
	}
	ymd := ihms >> 17
	hms := ihms % (1 << 17)
	ym := ymd >> 5
	dst = jsonAppendN(dst, ym/13, 4)
	dst = append(dst, '-')
	dst = jsonAppend2(dst, ym%13)
	dst = append(dst, '-')
	dst = jsonAppend2(dst, ymd%32)
	if ft != jsonOpaqueDate {
		dst = append(dst, ' ')
		dst = jsonAppend2(dst, hms>>12)
		dst = append(dst, ':')
		dst = jsonAppend2(dst, (hms>>6)%64)
		dst = append(dst, ':')
		dst = jsonAppend2(dst, hms%64)
		dst = append(dst, '.')
		dst = jsonAppendN(dst, frac, 6)
	}
	return append(dst, '"')
}

// jsonAppend2 appends u with at least two digits.
func jsonAppend2(dst []byte, u uint64) []byte { return jsonAppendN(dst, u, 2) }

// jsonAppendN appends u in decimal with at least n digits (zero-padded).
func jsonAppendN(dst []byte, u uint64, n int) []byte {
	var buf [20]byte
	i := len(buf)
	for u > 0 || len(buf)-i < n {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
	}
	return append(dst, buf[i:]...)
}

// appendJSONDecimalBinaryText appends the NEWDECIMAL binary b of the given
// precision and scale (an opaque DECIMAL inside a JSON document) as MySQL's
// decimal2string prints it.
func appendJSONDecimalBinaryText(dst, b []byte, precision, scale int) ([]byte, error) {
	if precision < 1 || precision > 65 || scale > 30 || scale > precision {
		return dst, corruptf("JSON decimal precision %d scale %d", precision, scale)
	}
	v, n, err := decodeDecimal(&Column{Type: 246, Meta: uint32(precision<<8 | scale)}, b)
	if err != nil {
		return dst, err
	}
	if n != len(b) {
		return dst, corruptf("JSON decimal(%d,%d) of %d bytes, want %d", precision, scale, len(b), n)
	}
	return appendDecimalText(dst, v), nil
}

// jsonNode is a parsed JSON value, used to build binary documents (from
// text, and when applying partial-update diffs). Scalars keep their binary
// type code and encoding; containers their members, keys sorted as MySQL
// stores them.
type jsonNode struct {
	typ  byte   // jsonSmallObject, jsonSmallArray or a scalar type
	raw  []byte // scalar encoding, without the type byte (1 byte for a literal)
	keys [][]byte
	kids []jsonNode

	// Filled by layout for containers.
	size  int
	large bool
}

func (n *jsonNode) isContainer() bool { return n.typ == jsonSmallObject || n.typ == jsonSmallArray }

// typeCode is the type byte n is written with.
func (n *jsonNode) typeCode() byte {
	if n.isContainer() && n.large {
		return n.typ + 1
	}
	return n.typ
}

// valueSize is the size of n's value out of line (without type byte).
func (n *jsonNode) valueSize() int {
	if n.isContainer() {
		return n.size
	}
	return len(n.raw)
}

// layout computes the size and format of every container below n: a
// container is small when it fits 16-bit counts and offsets, as MySQL's
// serializer decides for each container by itself.
func (n *jsonNode) layout() error {
	if !n.isContainer() {
		return nil
	}
	var kidSize [2]int // out-of-line bytes of the children: small, large
	keyBytes := 0
	for i := range n.kids {
		k := &n.kids[i]
		if err := k.layout(); err != nil {
			return err
		}
		if !jsonInlined(k.typ, false) {
			kidSize[0] += k.valueSize()
		}
		if !jsonInlined(k.typ, true) {
			kidSize[1] += k.valueSize()
		}
	}
	for _, k := range n.keys {
		if len(k) > math.MaxUint16 {
			return corruptf("JSON key of %d bytes", len(k))
		}
		keyBytes += len(k)
	}
	obj := n.typ == jsonSmallObject
	cnt := len(n.kids)
	small := 4 + cnt*3 + keyBytes + kidSize[0]
	if obj {
		small += cnt * 4
	}
	if small <= math.MaxUint16 && cnt <= math.MaxUint16 {
		n.size, n.large = small, false
		return nil
	}
	large := 8 + cnt*5 + keyBytes + kidSize[1]
	if obj {
		large += cnt * 6
	}
	if large > math.MaxUint32 {
		return corruptf("JSON document too large")
	}
	n.size, n.large = large, true
	return nil
}

// appendValue writes n's value (without type byte); layout must have run.
func (n *jsonNode) appendValue(dst []byte) []byte {
	if !n.isContainer() {
		return append(dst, n.raw...)
	}
	w := 2
	if n.large {
		w = 4
	}
	start := len(dst)
	cnt := len(n.kids)
	dst = jsonAppendLE(dst, uint64(cnt), w)
	dst = jsonAppendLE(dst, uint64(n.size), w)
	obj := n.typ == jsonSmallObject
	keyEntries := len(dst)
	if obj {
		for range cnt {
			dst = append(dst, make([]byte, w+2)...)
		}
	}
	valEntries := len(dst)
	for range cnt {
		dst = append(dst, make([]byte, 1+w)...)
	}
	for i, k := range n.keys {
		e := dst[keyEntries+i*(w+2):]
		jsonPutLE(e, uint64(len(dst)-start), w)
		binary.LittleEndian.PutUint16(e[w:], uint16(len(k)))
		dst = append(dst, k...)
	}
	for i := range n.kids {
		k := &n.kids[i]
		e := valEntries + i*(1+w)
		dst[e] = k.typeCode()
		if jsonInlined(k.typ, n.large) {
			copy(dst[e+1:e+1+w], k.raw)
			continue
		}
		jsonPutLE(dst[e+1:], uint64(len(dst)-start), w)
		dst = k.appendValue(dst)
	}
	return dst
}

func jsonPutLE(b []byte, u uint64, n int) {
	for i := 0; i < n; i++ {
		b[i] = byte(u >> (8 * i))
	}
}

// appendDoc writes n as a whole binary document (type byte first).
func (n *jsonNode) appendDoc(dst []byte) ([]byte, error) {
	if err := n.layout(); err != nil {
		return dst, err
	}
	dst = append(dst, n.typeCode())
	return n.appendValue(dst), nil
}

// jsonCompareKeys orders keys as MySQL stores them: shorter first, then
// bytewise.
func jsonCompareKeys(a, b []byte) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return bytes.Compare(a, b)
}

// jsonNodeFromBinary parses the value of type typ at b into a tree; its
// scalars alias b.
func jsonNodeFromBinary(typ byte, b []byte, depth int, budget *int) (jsonNode, error) {
	*budget--
	if *budget < 0 {
		return jsonNode{}, corruptf("JSON document refers to the same bytes more than once")
	}
	switch typ {
	case jsonSmallObject, jsonLargeObject, jsonSmallArray, jsonLargeArray:
		if depth+1 > jsonMaxDepth {
			return jsonNode{}, corruptf("JSON document deeper than %d", jsonMaxDepth)
		}
		c, err := parseJSONContainer(typ, b)
		if err != nil {
			return jsonNode{}, err
		}
		n := jsonNode{typ: jsonSmallArray, kids: make([]jsonNode, c.count)}
		if c.obj {
			n.typ = jsonSmallObject
			n.keys = make([][]byte, c.count)
		}
		for i := 0; i < c.count; i++ {
			if c.obj {
				if n.keys[i], err = c.key(i); err != nil {
					return jsonNode{}, err
				}
			}
			t, vb, err := c.elem(i)
			if err != nil {
				return jsonNode{}, err
			}
			if n.kids[i], err = jsonNodeFromBinary(t, vb, depth+1, budget); err != nil {
				return jsonNode{}, err
			}
		}
		return n, nil
	case jsonLiteral:
		if len(b) < 1 {
			return jsonNode{}, truncated("JSON literal", 1, 0)
		}
		if b[0] > jsonLiteralFalse {
			return jsonNode{}, corruptf("JSON literal 0x%02x", b[0])
		}
		return jsonNode{typ: typ, raw: b[:1:1]}, nil
	case jsonInt16, jsonUint16, jsonInt32, jsonUint32, jsonInt64, jsonUint64, jsonDouble:
		w := 2
		switch typ {
		case jsonInt32, jsonUint32:
			w = 4
		case jsonInt64, jsonUint64, jsonDouble:
			w = 8
		}
		if len(b) < w {
			return jsonNode{}, truncated("JSON number", w, len(b))
		}
		return jsonNode{typ: typ, raw: b[:w:w]}, nil
	case jsonString:
		_, n, err := jsonReadString(b)
		if err != nil {
			return jsonNode{}, err
		}
		return jsonNode{typ: typ, raw: b[:n:n]}, nil
	case jsonOpaque:
		ft, data, n, err := jsonReadOpaque(b)
		if err != nil {
			return jsonNode{}, err
		}
		switch ft {
		case jsonOpaqueNewDecimal, jsonOpaqueDate, jsonOpaqueDatetime, jsonOpaqueTimestamp, jsonOpaqueTime:
			// Checked as printing checks them, so that a tree (a document
			// a JSON diff was applied to) never holds what cannot print.
			var buf [96]byte
			if _, err := appendJSONOpaque(buf[:0], ft, data); err != nil {
				return jsonNode{}, err
			}
		}
		return jsonNode{typ: typ, raw: b[:n:n]}, nil
	}
	return jsonNode{}, corruptf("JSON value type 0x%02x", typ)
}

// jsonParseDoc parses a whole binary document into a tree. An empty
// document is the null literal.
func jsonParseDoc(doc []byte) (jsonNode, error) {
	if len(doc) == 0 {
		return jsonNode{typ: jsonLiteral, raw: []byte{jsonLiteralNull}}, nil
	}
	budget := len(doc) + 1
	return jsonNodeFromBinary(doc[0], doc[1:], 0, &budget)
}

// JSONValue parses JSON text and returns the MySQL binary document MySQL
// would store for it, as a KindJSON value (which owns its bytes).
//
// It follows MySQL's parser: the text is one JSON value (any type at the
// top), strings are valid UTF-8, containers nest at most 100 deep; object
// keys are stored sorted by length and then bytewise, and of duplicate keys
// the last one wins; an integer is stored as an int (int16, int32 or int64,
// the smallest that holds it) when negative or below 2^32, as an unsigned
// (uint64) from 2^32 to 18446744073709551615, and as a double beyond that,
// as are numbers with a fraction or an exponent; each object and array is
// written in the small format when its size fits 16 bits, else the large
// one.
func JSONValue(text []byte) (Value, error) {
	p := jsonTextParser{s: text}
	p.ws()
	n, err := p.value(0)
	if err != nil {
		return Value{}, err
	}
	p.ws()
	if p.i != len(p.s) {
		return Value{}, p.errorf("text after the JSON value")
	}
	doc, err := n.appendDoc(nil)
	if err != nil {
		return Value{}, err
	}
	return Value{kind: KindJSON, b: doc}, nil
}

type jsonTextParser struct {
	s []byte
	i int
}

func (p *jsonTextParser) errorf(format string, args ...any) error {
	return corruptf("invalid JSON text at byte %d: "+format, append([]any{p.i}, args...)...)
}

func (p *jsonTextParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonTextParser) value(depth int) (jsonNode, error) {
	if p.i >= len(p.s) {
		return jsonNode{}, p.errorf("missing value")
	}
	switch c := p.s[p.i]; {
	case c == '{' || c == '[':
		if depth+1 > jsonMaxDepth {
			return jsonNode{}, p.errorf("document deeper than %d", jsonMaxDepth)
		}
		if c == '{' {
			return p.object(depth + 1)
		}
		return p.array(depth + 1)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return jsonNode{}, err
		}
		raw := jsonAppendVarLen(make([]byte, 0, len(s)+5), uint64(len(s)))
		return jsonNode{typ: jsonString, raw: append(raw, s...)}, nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	for _, lit := range [...]struct {
		text string
		b    byte
	}{{"null", jsonLiteralNull}, {"true", jsonLiteralTrue}, {"false", jsonLiteralFalse}} {
		if len(p.s)-p.i >= len(lit.text) && string(p.s[p.i:p.i+len(lit.text)]) == lit.text {
			p.i += len(lit.text)
			return jsonNode{typ: jsonLiteral, raw: []byte{lit.b}}, nil
		}
	}
	return jsonNode{}, p.errorf("invalid value")
}

func (p *jsonTextParser) object(depth int) (jsonNode, error) {
	p.i++ // {
	type member struct {
		key []byte
		val jsonNode
	}
	var ms []member
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return jsonNode{typ: jsonSmallObject}, nil
	}
	for {
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return jsonNode{}, p.errorf("missing a name for an object member")
		}
		k, err := p.str()
		if err != nil {
			return jsonNode{}, err
		}
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return jsonNode{}, p.errorf("missing a colon after a name of an object member")
		}
		p.i++
		p.ws()
		v, err := p.value(depth)
		if err != nil {
			return jsonNode{}, err
		}
		ms = append(ms, member{k, v})
		p.ws()
		if p.i >= len(p.s) {
			return jsonNode{}, p.errorf("missing a comma or '}' after an object member")
		}
		if p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.s[p.i] == '}' {
			p.i++
			break
		}
		return jsonNode{}, p.errorf("missing a comma or '}' after an object member")
	}
	// Stable sort keeps duplicates in text order, so the last one of a run
	// of equal keys is the one that wins.
	slices.SortStableFunc(ms, func(a, b member) int { return jsonCompareKeys(a.key, b.key) })
	n := jsonNode{typ: jsonSmallObject}
	for i, m := range ms {
		if i+1 < len(ms) && string(ms[i+1].key) == string(m.key) {
			continue
		}
		n.keys = append(n.keys, m.key)
		n.kids = append(n.kids, m.val)
	}
	return n, nil
}

func (p *jsonTextParser) array(depth int) (jsonNode, error) {
	p.i++ // [
	n := jsonNode{typ: jsonSmallArray}
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return n, nil
	}
	for {
		p.ws()
		v, err := p.value(depth)
		if err != nil {
			return jsonNode{}, err
		}
		n.kids = append(n.kids, v)
		p.ws()
		if p.i >= len(p.s) {
			return jsonNode{}, p.errorf("missing a comma or ']' after an array element")
		}
		if p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.s[p.i] == ']' {
			p.i++
			return n, nil
		}
		return jsonNode{}, p.errorf("missing a comma or ']' after an array element")
	}
}

func jsonHexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (p *jsonTextParser) hex4() (rune, bool) {
	if len(p.s)-p.i < 4 {
		return 0, false
	}
	var r rune
	for j := 0; j < 4; j++ {
		h := jsonHexVal(p.s[p.i+j])
		if h < 0 {
			return 0, false
		}
		r = r<<4 | rune(h)
	}
	p.i += 4
	return r, true
}

// str parses a string at p.s[p.i] == '"' and returns its unescaped bytes.
func (p *jsonTextParser) str() ([]byte, error) {
	p.i++
	start := p.i
	// Fast path: no escapes.
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			if !utf8.Valid(s) {
				return nil, p.errorf("invalid encoding in string")
			}
			p.i++
			return append([]byte(nil), s...), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.i++
	}
	out := append([]byte(nil), p.s[start:p.i]...)
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(out) {
				return nil, p.errorf("invalid encoding in string")
			}
			return out, nil
		case c < 0x20:
			return nil, p.errorf("invalid encoding in string")
		case c != '\\':
			out = append(out, c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.s) {
			break
		}
		e := p.s[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return nil, p.errorf("incorrect hex digit after \\u escape in string")
			}
			if r >= 0xd800 && r <= 0xdbff {
				if len(p.s)-p.i < 2 || p.s[p.i] != '\\' || p.s[p.i+1] != 'u' {
					return nil, p.errorf("the surrogate pair in string is invalid")
				}
				p.i += 2
				r2, ok := p.hex4()
				if !ok || r2 < 0xdc00 || r2 > 0xdfff {
					return nil, p.errorf("the surrogate pair in string is invalid")
				}
				r = 0x10000 + (r-0xd800)<<10 + (r2 - 0xdc00)
			} else if r >= 0xdc00 && r <= 0xdfff {
				return nil, p.errorf("the surrogate pair in string is invalid")
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, p.errorf("invalid escape character in string")
		}
	}
	return nil, p.errorf("missing a closing quotation mark in string")
}

func (p *jsonTextParser) number() (jsonNode, error) {
	start := p.i
	neg := false
	if p.s[p.i] == '-' {
		neg = true
		p.i++
	}
	digits := func() int {
		s := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		return p.i - s
	}
	intStart := p.i
	nInt := digits()
	if nInt == 0 || nInt > 1 && p.s[intStart] == '0' {
		if nInt == 0 {
			return jsonNode{}, p.errorf("invalid value")
		}
		// A leading zero ends the number: "01" is 0 then garbage.
		p.i = intStart + 1
		nInt = 1
	}
	isFloat := false
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return jsonNode{}, p.errorf("missing fraction part in number")
		}
		isFloat = true
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return jsonNode{}, p.errorf("missing exponent in number")
		}
		isFloat = true
	}
	text := p.s[start:p.i]
	if !isFloat {
		if neg {
			if i, err := strconv.ParseInt(string(text), 10, 64); err == nil {
				return jsonIntNode(i), nil
			}
		} else if u, err := strconv.ParseUint(string(text), 10, 64); err == nil {
			if u <= math.MaxUint32 {
				return jsonIntNode(int64(u)), nil
			}
			return jsonNode{typ: jsonUint64, raw: binary.LittleEndian.AppendUint64(nil, u)}, nil
		}
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil || math.IsInf(f, 0) {
		p.i = start
		return jsonNode{}, p.errorf("number too big to be stored in double")
	}
	return jsonNode{typ: jsonDouble, raw: binary.LittleEndian.AppendUint64(nil, math.Float64bits(f))}, nil
}

// jsonIntNode stores a signed integer in the smallest of int16, int32 and
// int64, as MySQL's serializer does for a Json_int.
func jsonIntNode(i int64) jsonNode {
	switch {
	case i >= math.MinInt16 && i <= math.MaxInt16:
		return jsonNode{typ: jsonInt16, raw: binary.LittleEndian.AppendUint16(nil, uint16(i))}
	case i >= math.MinInt32 && i <= math.MaxInt32:
		return jsonNode{typ: jsonInt32, raw: binary.LittleEndian.AppendUint32(nil, uint32(i))}
	}
	return jsonNode{typ: jsonInt64, raw: binary.LittleEndian.AppendUint64(nil, uint64(i))}
}

// appendJSONBinlogText appends v as mysqlbinlog -vv prints a whole JSON
// column after "###   @N=": its JSON text (as appendJSONText prints it) as
// a single-quoted string escaped by my_b_write_quoted (see
// jsonBinlogQuoteTail), e.g. '{"a": "x\\"y"}'. On error nothing is appended
// (mysqlbinlog prints "Invalid JSON" there).
func appendJSONBinlogText(dst []byte, v Value) ([]byte, error) {
	start := len(dst)
	dst, err := appendJSONText(dst, v)
	if err != nil {
		return dst[:start], err
	}
	return jsonBinlogQuoteTail(dst, start), nil
}
