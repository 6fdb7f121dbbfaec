package mask

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// textForm is how a string value's bytes can be edited.
type textForm uint8

const (
	formUTF8   textForm = iota // utf8mb3/utf8mb4/ascii, binary or unknown: edited as (mostly) UTF-8
	formSingle                 // a single-byte character set: one byte per character
	formWide                   // ucs2, utf16, utf16le, utf32: converted to UTF-8 and back
	formOther                  // other multi-byte sets (gbk, sjis, …): converted to UTF-8; output ASCII
)

func formOf(v rowcodec.Value) textForm {
	if v.Kind() == rowcodec.KindBytes {
		return formUTF8
	}
	switch cs := v.Charset(); cs {
	case "", "utf8mb4", "utf8mb3", "ascii", "binary":
		return formUTF8
	case "ucs2", "utf16", "utf16le", "utf32":
		return formWide
	default:
		if rowcodec.CharsetMaxLen(v.Collation()) == 1 {
			return formSingle
		}
		return formOther
	}
}

// toUTF8 returns the value's text as UTF-8 (its bytes when it does not
// convert).
func toUTF8(v rowcodec.Value, form textForm) []byte {
	if form == formUTF8 || form == formSingle && v.Charset() == "latin1" && isASCII(v.Bytes()) {
		return v.Bytes()
	}
	if u, ok := v.AppendUTF8(nil); ok {
		return u
	}
	return v.Bytes()
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cutRunes cuts UTF-8 text to at most n characters (n 0: no limit).
func cutRunes(s []byte, n int) []byte {
	if n <= 0 || utf8.RuneCount(s) <= n {
		return s
	}
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRune(s[i:])
		i += size
	}
	return s[:i]
}

// fromUTF8 encodes masked UTF-8 text u in the value's character set, cut to
// the column's length in characters.
func fromUTF8(u []byte, v rowcodec.Value, form textForm, c *rowcodec.Column) []byte {
	if form != formUTF8 && form != formSingle {
		_, mc := maxLen(c)
		u = cutRunes(u, mc)
	}
	switch form {
	case formWide:
		var out []byte
		cs := v.Charset()
		for _, r := range string(u) {
			switch cs {
			case "utf32":
				out = append(out, byte(r>>24), byte(r>>16), byte(r>>8), byte(r))
			case "ucs2":
				if r > 0xFFFF {
					r = '?'
				}
				out = append(out, byte(r>>8), byte(r))
			default: // utf16, utf16le
				var units []uint16
				if r > 0xFFFF {
					r -= 0x10000
					units = []uint16{uint16(0xD800 + r>>10), uint16(0xDC00 + r&0x3FF)}
				} else {
					units = []uint16{uint16(r)}
				}
				for _, x := range units {
					if cs == "utf16le" {
						out = append(out, byte(x), byte(x>>8))
					} else {
						out = append(out, byte(x>>8), byte(x))
					}
				}
			}
		}
		return out
	case formOther:
		out := make([]byte, 0, len(u))
		for _, r := range string(u) {
			if r >= utf8.RuneSelf {
				r = '*'
			}
			out = append(out, byte(r))
		}
		return out
	}
	return u
}

// maxLen returns the most bytes and characters a string-family column
// holds (0 characters: no separate limit).
func maxLen(c *rowcodec.Column) (bytes, chars int) {
	switch c.Type {
	case event.ColumnTypeString, event.ColumnTypeVarchar, event.ColumnTypeVarString:
		bytes = int(c.Meta)
		if n := rowcodec.CharsetMaxLen(c.Collation); n > 1 {
			chars = bytes / n
		}
		return bytes, chars
	case event.ColumnTypeTinyBlob:
		return 255, 0
	case event.ColumnTypeMediumBlob:
		return 1<<24 - 1, 0
	case event.ColumnTypeLongBlob:
		return 1<<32 - 1, 0
	case event.ColumnTypeBlob, event.ColumnTypeJSON:
		switch c.Meta {
		case 1:
			return 255, 0
		case 0, 2:
			return 65535, 0
		case 3:
			return 1<<24 - 1, 0
		}
		return 1<<32 - 1, 0
	}
	return 1<<32 - 1, 0
}

// fit cuts s (in form) to the column's limits.
func fit(s []byte, c *rowcodec.Column, form textForm) []byte {
	mb, mc := maxLen(c)
	if form == formUTF8 {
		s = cutRunes(s, mc)
	}
	if form == formWide {
		unit := 2
		if v := c.Collation; rowcodec.CharsetName(v) == "utf32" {
			unit = 4
		}
		if len(s) > mb {
			s = s[:mb/unit*unit]
		}
		return s
	}
	return cutUTF8(s, mb, form == formUTF8)
}

// stringValue builds a value of v's kind and collation holding b.
func stringValue(v rowcodec.Value, b []byte) rowcodec.Value {
	if v.Kind() == rowcodec.KindBytes {
		return rowcodec.BytesValue(b)
	}
	return rowcodec.StringValue(b, v.Collation())
}

// maskColumnValue applies a column/type rule to a whole value.
func (m *Masker) maskColumnValue(r *Rule, c *rowcodec.Column, v rowcodec.Value) (rowcodec.Value, error) {
	switch v.Kind() {
	case rowcodec.KindString, rowcodec.KindBytes:
		form := formOf(v)
		if form == formUTF8 && v.Kind() == rowcodec.KindString && looksJSONText(v.Bytes()) {
			// JSON kept as text (MariaDB's JSON type is LONGTEXT with a
			// JSON_VALID check): the mask must stay JSON.
			out, err := m.maskJSONDoc(r, v.Bytes())
			if err != nil {
				return v, err
			}
			return stringValue(v, fit(out, c, form)), nil
		}
		var out []byte
		switch {
		case form == formSingle && r.Action == KeepLast:
			out = keepLast(v.Bytes(), r.Keep, false)
		case r.Action == Hash:
			out = fromUTF8(m.hashText(toUTF8(v, form)), v, form, c)
		default:
			out = fromUTF8(m.maskText(r, toUTF8(v, form), true), v, form, c)
		}
		return stringValue(v, fit(out, c, form)), nil
	case rowcodec.KindJSON:
		return m.maskJSONValue(r, v)
	case rowcodec.KindInt, rowcodec.KindUint:
		return m.maskInt(r, c, v)
	case rowcodec.KindFloat32, rowcodec.KindFloat64:
		return m.maskFloat(r, v)
	case rowcodec.KindDecimal:
		return m.maskDecimal(r, v)
	case rowcodec.KindYear, rowcodec.KindDate, rowcodec.KindTime, rowcodec.KindDatetime, rowcodec.KindTimestamp:
		return m.maskTemporal(r, v)
	case rowcodec.KindEnum:
		n := len(c.EnumValues)
		switch r.Action {
		case Hash:
			if n == 0 {
				return rowcodec.EnumValue(1, 1), nil
			}
			return rowcodec.EnumValue(uint16(1+m.hash64(appendText(v, c))%uint64(n)), 1), nil
		case Fixed:
			for i, name := range c.EnumValues {
				if strings.EqualFold(string(name), r.Replacement) {
					return rowcodec.EnumValue(uint16(i+1), 1), nil
				}
			}
			return v, fmt.Errorf("fixed: %q is not a member of the ENUM (or its members were not logged)", r.Replacement)
		}
		return rowcodec.EnumValue(1, 1), nil
	case rowcodec.KindSet:
		if r.Action == Hash {
			n := len(c.SetValues)
			if n == 0 || n >= 64 {
				n = 1
			}
			return rowcodec.SetValue(m.hash64(appendText(v, c))&(1<<uint(n)-1), 1), nil
		}
		if r.Action == Fixed {
			return v, errors.New("fixed: not supported for SET columns (use redact or hash)")
		}
		return rowcodec.SetValue(0, 1), nil
	case rowcodec.KindBit:
		_, w := v.Bits()
		mask := uint64(math.MaxUint64)
		if w < 64 {
			mask = 1<<uint(w) - 1
		}
		switch r.Action {
		case Hash:
			return rowcodec.BitValue(m.hash64(appendText(v, c))&mask, w), nil
		case Fixed:
			u, err := strconv.ParseUint(r.Replacement, 0, 64)
			if err != nil || u&^mask != 0 {
				return v, fmt.Errorf("fixed: %q does not fit BIT(%d)", r.Replacement, w)
			}
			return rowcodec.BitValue(u, w), nil
		}
		return rowcodec.BitValue(0, w), nil
	case rowcodec.KindGeometry:
		// A small geometry of the value's own type (a POLYGON column takes
		// only polygons) in its SRID, whatever the action.
		return rowcodec.GeometryValue(rowcodec.AppendGeometry(nil, v.SRID(), placeholderWKB(v.Bytes()))), nil
	case rowcodec.KindVector:
		return rowcodec.VectorValue(make([]byte, len(v.Bytes()))), nil
	}
	return v, fmt.Errorf("cannot mask a %s value", v.Kind())
}

// AppendText helper for values (ignores errors).
func appendText(v rowcodec.Value, c *rowcodec.Column) []byte {
	b, _ := v.AppendText(nil, c)
	return b
}

// intRange returns the bits of an integer column.
func intBits(c *rowcodec.Column) int {
	switch c.Type {
	case event.ColumnTypeTiny:
		return 8
	case event.ColumnTypeShort:
		return 16
	case event.ColumnTypeInt24:
		return 24
	case event.ColumnTypeLong:
		return 32
	}
	return 64
}

func (m *Masker) maskInt(r *Rule, c *rowcodec.Column, v rowcodec.Value) (rowcodec.Value, error) {
	bits := intBits(c)
	unsigned := v.Kind() == rowcodec.KindUint
	var max uint64
	if unsigned {
		max = math.MaxUint64 >> (64 - bits)
	} else {
		max = math.MaxUint64 >> (65 - bits)
	}
	mk := func(u uint64, neg bool) rowcodec.Value {
		if unsigned {
			return rowcodec.UintValue(u)
		}
		if neg {
			return rowcodec.IntValue(-int64(u))
		}
		return rowcodec.IntValue(int64(u))
	}
	switch r.Action {
	case Hash:
		h := m.hash64(appendText(v, c))
		if max != math.MaxUint64 {
			h %= max + 1
		}
		return mk(h, false), nil
	case Fixed:
		if unsigned {
			u, err := strconv.ParseUint(r.Replacement, 10, 64)
			if err != nil || u > max {
				return v, fmt.Errorf("fixed: %q is not an integer in the column's range", r.Replacement)
			}
			return rowcodec.UintValue(u), nil
		}
		i, err := strconv.ParseInt(r.Replacement, 10, 64)
		if err != nil || i > int64(max) || i < -int64(max)-1 {
			return v, fmt.Errorf("fixed: %q is not an integer in the column's range", r.Replacement)
		}
		return rowcodec.IntValue(i), nil
	case KeepLast:
		var u uint64
		neg := false
		if unsigned {
			u = v.Uint64()
		} else if i := v.Int64(); i < 0 {
			u, neg = uint64(-i), true
		} else {
			u = uint64(i)
		}
		if r.Keep < 19 {
			u %= pow10(r.Keep)
		}
		return mk(u, neg), nil
	}
	return mk(0, false), nil
}

func pow10(n int) uint64 {
	p := uint64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

func (m *Masker) maskFloat(r *Rule, v rowcodec.Value) (rowcodec.Value, error) {
	f := v.Float64()
	var out float64
	switch r.Action {
	case Hash:
		// The binlog does not say a FLOAT(M,D)'s range: a fraction below
		// 1 fits every column.
		out = float64(m.hash64([]byte(strconv.FormatFloat(f, 'g', -1, 64)))%1000) / 1000
	case Fixed:
		x, err := strconv.ParseFloat(r.Replacement, 64)
		if err != nil {
			return v, fmt.Errorf("fixed: %q is not a number", r.Replacement)
		}
		out = x
	case KeepLast:
		t := math.Trunc(math.Abs(f))
		if r.Keep < 16 {
			t = math.Mod(t, float64(pow10(r.Keep)))
		}
		out = math.Copysign(t, f)
	}
	if v.Kind() == rowcodec.KindFloat32 {
		return rowcodec.Float32Value(float32(out)), nil
	}
	return rowcodec.Float64Value(out), nil
}

func (m *Masker) maskDecimal(r *Rule, v rowcodec.Value) (rowcodec.Value, error) {
	p, s := v.DecimalSpec()
	text := string(v.AppendDecimal(nil))
	var out string
	switch r.Action {
	case Redact:
		out = "0"
	case Fixed:
		out = r.Replacement
	case Hash:
		digits := p - s
		if digits > 18 {
			digits = 18
		}
		out = "0"
		if digits > 0 {
			out = strconv.FormatUint(m.hash64([]byte(text))%pow10(digits), 10)
		}
	case KeepLast:
		b := []byte(text)
		keep := r.Keep
		for i := len(b) - 1; i >= 0; i-- {
			if isDigit(b[i]) {
				if keep > 0 {
					keep--
				} else {
					b[i] = '0'
				}
			}
		}
		out = string(b)
	}
	var nv rowcodec.Value
	var err error
	if v.IsOldDecimal() {
		nv, err = rowcodec.OldDecimalValue(out, len(v.Bytes()))
	} else {
		nv, err = rowcodec.DecimalValue(out, p, s)
	}
	if err != nil {
		return v, fmt.Errorf("%s: %q does not fit DECIMAL(%d,%d)", r.Action, out, p, s)
	}
	return nv, nil
}

func (m *Masker) maskTemporal(r *Rule, v rowcodec.Value) (rowcodec.Value, error) {
	fsp := v.Fsp()
	switch r.Action {
	case Hash:
		h := m.hash64(v.AppendTemporal(nil))
		switch v.Kind() {
		case rowcodec.KindYear:
			return rowcodec.YearValue(uint16(1901 + h%255)), nil
		case rowcodec.KindTime:
			sec := int(h % (838 * 3600))
			return rowcodec.TimeValue(false, sec/3600, sec/60%60, sec%60, 0, fsp), nil
		case rowcodec.KindTimestamp:
			return rowcodec.TimestampValue(int64(1+h%(1<<31-2)), 0, fsp), nil
		}
		t := time.Unix(int64(h%(36525*86400)), 0).UTC()
		if v.Kind() == rowcodec.KindDate {
			return rowcodec.DateValue(t.Year(), int(t.Month()), t.Day()), nil
		}
		return rowcodec.DatetimeValue(t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, fsp), nil
	case Fixed:
		return fixedTemporal(r.Replacement, v)
	}
	// Redact and KeepLast: the zero value.
	switch v.Kind() {
	case rowcodec.KindYear:
		return rowcodec.YearValue(0), nil
	case rowcodec.KindDate:
		return rowcodec.DateValue(0, 0, 0), nil
	case rowcodec.KindTime:
		return rowcodec.TimeValue(false, 0, 0, 0, 0, fsp), nil
	case rowcodec.KindTimestamp:
		return rowcodec.TimestampValue(0, 0, fsp), nil
	}
	return rowcodec.DatetimeValue(0, 0, 0, 0, 0, 0, 0, fsp), nil
}

func fixedTemporal(s string, v rowcodec.Value) (rowcodec.Value, error) {
	fsp := v.Fsp()
	bad := fmt.Errorf("fixed: %q is not a %s value", s, v.Kind())
	switch v.Kind() {
	case rowcodec.KindYear:
		y, err := strconv.Atoi(s)
		if err != nil || y != 0 && (y < 1901 || y > 2155) {
			return v, bad
		}
		return rowcodec.YearValue(uint16(y)), nil
	case rowcodec.KindTime:
		t, err := time.Parse("15:04:05", s)
		if err != nil {
			return v, bad
		}
		return rowcodec.TimeValue(false, t.Hour(), t.Minute(), t.Second(), 0, fsp), nil
	}
	t, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		if t, err = time.Parse("2006-01-02", s); err != nil {
			return v, bad
		}
	}
	switch v.Kind() {
	case rowcodec.KindDate:
		return rowcodec.DateValue(t.Year(), int(t.Month()), t.Day()), nil
	case rowcodec.KindTimestamp:
		return rowcodec.TimestampValue(t.Unix(), 0, fsp), nil
	}
	return rowcodec.DatetimeValue(t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, fsp), nil
}

// maskJSONValue applies a column rule to a JSON document: Redact writes
// null, Fixed its replacement (as JSON when it is valid JSON, else as a
// JSON string), Hash and KeepLast a JSON string of the masked document
// text.
func (m *Masker) maskJSONValue(r *Rule, v rowcodec.Value) (rowcodec.Value, error) {
	text, err := v.AppendJSONText(nil)
	if err != nil {
		return v, err
	}
	out, err := m.maskJSONDoc(r, text)
	if err != nil {
		return v, err
	}
	return jsonValueLike(v, out)
}

// looksJSONText reports whether a text value is a JSON object, array or
// string (what a JSON column holds; a bare number or word is left to the
// text masking).
func looksJSONText(s []byte) bool {
	t := bytes.TrimLeft(s, " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[' || t[0] == '"') && json.Valid(s)
}

// maskJSONDoc applies a column rule to a JSON document's text and returns
// JSON text (see maskJSONValue).
func (m *Masker) maskJSONDoc(r *Rule, text []byte) ([]byte, error) {
	var out []byte
	switch r.Action {
	case Redact:
		out = []byte("null")
	case Fixed:
		if looksJSONScalarOrDoc(r.Replacement) {
			out = []byte(r.Replacement)
		} else {
			out = appendJSONString(nil, []byte(r.Replacement))
		}
	default:
		out = appendJSONString(nil, m.maskText(r, text, true))
	}
	return out, nil
}

func looksJSONScalarOrDoc(s string) bool {
	t := strings.TrimSpace(s)
	return t != "" && (t[0] == '{' || t[0] == '[' || t[0] == '"' || t == "null") && json.Valid([]byte(t))
}

// jsonValueLike builds a JSON value of v's form (MariaDB text or MySQL
// binary) from text.
func jsonValueLike(v rowcodec.Value, text []byte) (rowcodec.Value, error) {
	if v.IsJSONText() {
		return rowcodec.JSONTextValue(text), nil
	}
	return rowcodec.JSONValue(text)
}

// scanValue applies the value rules to a column without a column rule. ok
// is false when nothing matched.
func (m *Masker) scanValue(c *rowcodec.Column, v rowcodec.Value) (nv rowcodec.Value, ok bool, err error) {
	switch v.Kind() {
	case rowcodec.KindString, rowcodec.KindBytes:
		form := formOf(v)
		var out []byte
		switch form {
		case formUTF8, formSingle:
			if form == formUTF8 && looksJSON(v.Bytes()) {
				out = m.maskJSONText(v.Bytes())
			} else {
				out = m.maskSubstrings(v.Bytes(), form == formUTF8)
			}
		default:
			if u := m.maskSubstrings(toUTF8(v, form), true); u != nil {
				out = fromUTF8(u, v, form, c)
			}
		}
		if out == nil {
			return v, false, nil
		}
		return stringValue(v, fit(out, c, form)), true, nil
	case rowcodec.KindJSON:
		text, err := v.AppendJSONText(nil)
		if err != nil {
			return v, false, err
		}
		out := m.maskJSONText(text)
		if out == nil {
			return v, false, nil
		}
		nv, err := jsonValueLike(v, out)
		return nv, err == nil, err
	case rowcodec.KindInt, rowcodec.KindUint, rowcodec.KindDecimal:
		// A number that a value pattern matches whole (a phone number or
		// card number kept in a BIGINT or DECIMAL) is masked as a number.
		var text []byte
		if v.Kind() == rowcodec.KindDecimal {
			text = v.AppendDecimal(nil)
		} else {
			text = appendText(v, c)
		}
		r := m.matchWhole(text)
		if r == nil {
			return v, false, nil
		}
		if r.Action == Fixed {
			// A text replacement does not fit a number: redact.
			rr := *r
			rr.Action, rr.Replacement = Redact, ""
			r = &rr
		}
		nv, err := m.maskColumnValue(r, c, v)
		return nv, err == nil, err
	}
	return v, false, nil
}

// maskJSONDiff masks the values of a JSON partial update: with a column
// rule r, each new value as maskJSONValue masks a document; with the value
// rules (r nil), the strings inside each new value. Paths and REMOVE
// operations are kept. ok is false when nothing changed.
func (m *Masker) maskJSONDiff(r *Rule, v rowcodec.Value) (nv rowcodec.Value, ok bool, err error) {
	var diffs []rowcodec.JSONDiff
	rd := v.JSONDiffReader()
	for {
		d, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return v, false, err
		}
		if d.Op != rowcodec.JSONDiffRemove && d.Value != nil {
			jv := rowcodec.JSONBinaryValue(d.Value)
			if r != nil {
				mv, err := m.maskJSONValue(r, jv)
				if err != nil {
					return v, false, err
				}
				d.Value, ok = mv.Bytes(), true
			} else {
				text, err := jv.AppendJSONText(nil)
				if err != nil {
					return v, false, err
				}
				if out := m.maskJSONText(text); out != nil {
					mv, err := rowcodec.JSONValue(out)
					if err != nil {
						return v, false, err
					}
					d.Value, ok = mv.Bytes(), true
				}
			}
		}
		diffs = append(diffs, d)
	}
	if !ok {
		return v, false, nil
	}
	nv, err = rowcodec.JSONDiffValue(diffs...)
	return nv, err == nil, err
}

// placeholderWKB returns a small WKB geometry (little-endian) of the type
// of the stored geometry b (SRID, then WKB): POINT(0 0), LINESTRING(0 0,1 1),
// POLYGON((0 0,1 0,1 1,0 0)), their MULTI forms with one member, or an
// empty GEOMETRYCOLLECTION. An unreadable type gives POINT(0 0).
func placeholderWKB(b []byte) []byte {
	typ := uint32(1)
	if len(b) >= 9 {
		if b[4] == 1 {
			typ = binary.LittleEndian.Uint32(b[5:9])
		} else {
			typ = binary.BigEndian.Uint32(b[5:9])
		}
	}
	head := func(dst []byte, t uint32) []byte {
		dst = append(dst, 1)
		return binary.LittleEndian.AppendUint32(dst, t)
	}
	points := func(dst []byte, xy ...float64) []byte {
		dst = binary.LittleEndian.AppendUint32(dst, uint32(len(xy)/2))
		for _, f := range xy {
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(f))
		}
		return dst
	}
	point := func(dst []byte) []byte {
		return append(head(dst, 1), make([]byte, 16)...)
	}
	line := func(dst []byte) []byte { return points(head(dst, 2), 0, 0, 1, 1) }
	poly := func(dst []byte) []byte {
		dst = binary.LittleEndian.AppendUint32(head(dst, 3), 1)
		return points(dst, 0, 0, 1, 0, 1, 1, 0, 0)
	}
	switch typ {
	case 2:
		return line(nil)
	case 3:
		return poly(nil)
	case 4:
		return point(binary.LittleEndian.AppendUint32(head(nil, 4), 1))
	case 5:
		return line(binary.LittleEndian.AppendUint32(head(nil, 5), 1))
	case 6:
		return poly(binary.LittleEndian.AppendUint32(head(nil, 6), 1))
	case 7:
		return binary.LittleEndian.AppendUint32(head(nil, 7), 0)
	}
	return point(nil)
}
