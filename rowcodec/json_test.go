package rowcodec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// jsonCol is a MySQL JSON column (4-byte length prefix).
var jsonCol = &Column{Index: 1, WireType: 245, Type: 245, Meta: 4}

func mustJSON(t testing.TB, text string) Value {
	t.Helper()
	v, err := JSONValue([]byte(text))
	if err != nil {
		t.Fatalf("JSONValue(%.80q): %v", text, err)
	}
	return v
}

func jsonText(t testing.TB, v Value) string {
	t.Helper()
	out, err := appendJSONText(nil, v)
	if err != nil {
		t.Fatalf("appendJSONText(% x): %v", v.b[:min(len(v.b), 64)], err)
	}
	return string(out)
}

// jsonHex parses "00 03 0a" style byte lists.
func jsonHex(t testing.TB, s string) []byte {
	t.Helper()
	var b []byte
	for _, f := range strings.Fields(s) {
		x, err := strconv.ParseUint(f, 16, 8)
		if err != nil {
			t.Fatalf("bad hex %q", f)
		}
		b = append(b, byte(x))
	}
	return b
}

// Hand-built documents, byte by byte from sql/json_binary.h, so that the
// printer is not only checked against this package's own encoder.
func TestJSONHandBuiltVectors(t *testing.T) {
	tests := []struct {
		name, hex, want string
	}{
		// The first document of json.binlog.000001, as MySQL 8.0.22 wrote it.
		{"corpus object", "00 03 00 33 00 19 00 03 00 1c 00 04 00 20 00 04 00 05 18 00 0c 24 00 0c 2f 00 " +
			"61 67 65 64 61 74 61 6e 61 6d 65 0a 78 78 78 78 78 78 78 78 78 78 03 4a 6f 65",
			`{"age": 24, "data": "xxxxxxxxxx", "name": "Joe"}`},
		{"literal null", "04 00", "null"},
		{"literal true", "04 01", "true"},
		{"literal false", "04 02", "false"},
		{"int16 min", "05 00 80", "-32768"},
		{"int16 max", "05 ff 7f", "32767"},
		{"uint16 max", "06 ff ff", "65535"},
		{"int32 min", "07 00 00 00 80", "-2147483648"},
		{"uint32 max", "08 ff ff ff ff", "4294967295"},
		{"int64 min", "09 00 00 00 00 00 00 00 80", "-9223372036854775808"},
		{"int64 max", "09 ff ff ff ff ff ff ff 7f", "9223372036854775807"},
		{"uint64 max", "0a ff ff ff ff ff ff ff ff", "18446744073709551615"},
		{"double 1.5", "0b 00 00 00 00 00 00 f8 3f", "1.5"},
		{"double 3.0", "0b 00 00 00 00 00 00 08 40", "3.0"},
		{"double -0.0", "0b 00 00 00 00 00 00 00 80", "-0.0"},
		{"string escapes", "0c 08 22 5c 0a 09 01 1f 7f 2f", `"\"\\\n\t\u0001\u001f` + "\x7f" + `/"`},
		{"string utf8", "0c 06 c3 a9 e2 82 ac 21", `"é€!"`},
		{"empty string", "0c 00", `""`},
		{"empty object", "00 00 00 04 00", "{}"},
		{"empty array", "02 00 00 04 00", "[]"},
		// [1, "a", null, [true]] small array, inlined int16 and literals.
		{"small array", "02 04 00 19 00 05 01 00 0c 10 00 04 00 00 02 12 00 01 61 01 00 07 00 04 01 00",
			`[1, "a", null, [true]]`},
		// {"": -1}: the empty key.
		{"empty key", "00 01 00 0b 00 0b 00 00 00 05 ff ff", `{"": -1}`},
		// Large array [70000, -5] with int32 inlined in its 4-byte entry.
		{"large array inlined int32", "03 02 00 00 00 12 00 00 00 07 70 11 01 00 05 fb ff 00 00", `[70000, -5]`},
		// Small array with an int32 out of line.
		{"small array int32", "02 01 00 0b 00 07 07 00 70 11 01 00", `[70000]`},
		// Large object {"k": 2147483647} with the int32 inlined.
		{"large object", "01 01 00 00 00 14 00 00 00 13 00 00 00 01 00 07 ff ff ff 7f 6b", `{"k": 2147483647}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := JSONBinaryValue(jsonHex(t, tc.hex))
			if got := jsonText(t, v); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TESTCASES #25: every binary-JSON type at its boundaries.
func TestJSONCase25Boundaries(t *testing.T) {
	cases := []struct{ text, want string }{
		{`[-32768, 32767, -32769, 32768, 65535, 65536]`, `[-32768, 32767, -32769, 32768, 65535, 65536]`},
		{`[-2147483648, 2147483647, -2147483649, 2147483648, 4294967295, 4294967296]`,
			`[-2147483648, 2147483647, -2147483649, 2147483648, 4294967295, 4294967296]`},
		{`[-9223372036854775808, 9223372036854775807, 18446744073709551615]`,
			`[-9223372036854775808, 9223372036854775807, 18446744073709551615]`},
		{`18446744073709551616`, `1.8446744073709552e19`},
		{`-9223372036854775809`, `-9.223372036854776e18`},
		{`[true,false,null]`, `[true, false, null]`},
		{`{"":{"":[]}}`, `{"": {"": []}}`},
		{`{"b":1,"a":2,"aa":3,"B":4}`, `{"B": 4, "a": 2, "b": 1, "aa": 3}`},
		{`{"日本":"語","é":"\u00e9\ud83d\ude00"}`, `{"é": "é😀", "日本": "語"}`},
		{`"\u0000\u001f\u0020\/"`, `"\u0000\u001f /"`},
		{`[[[[[[1]]]]]]`, `[[[[[[1]]]]]]`},
	}
	for _, c := range cases {
		if got := jsonText(t, mustJSON(t, c.text)); got != c.want {
			t.Errorf("%s: got %s want %s", c.text, got, c.want)
		}
	}
	// Stored types: the encoder picks MySQL's.
	types := []struct {
		text string
		typ  byte
	}{
		{"1", jsonInt16}, {"-32769", jsonInt32}, {"65535", jsonInt32}, {"2147483648", jsonInt64},
		{"4294967295", jsonInt64}, {"4294967296", jsonUint64}, {"-2147483649", jsonInt64},
		{"18446744073709551615", jsonUint64}, {"1.0", jsonDouble}, {"1e2", jsonDouble}, {"-0", jsonInt16},
	}
	for _, c := range types {
		if v := mustJSON(t, c.text); v.b[0] != c.typ {
			t.Errorf("%s stored as type 0x%02x, want 0x%02x", c.text, v.b[0], c.typ)
		}
	}

	t.Run("large object over 64KB", func(t *testing.T) {
		var text, want strings.Builder
		text.WriteString("{")
		want.WriteString("{")
		for i := range 2000 {
			if i > 0 {
				text.WriteString(",")
				want.WriteString(", ")
			}
			// keys k0000…k1999 have equal length: sorted bytewise.
			k := "k" + strconv.Itoa(10000 + i)[1:]
			v := strings.Repeat(string(rune('a'+i%26)), 40)
			text.WriteString(`"` + k + `":"` + v + `"`)
			want.WriteString(`"` + k + `": "` + v + `"`)
		}
		text.WriteString("}")
		want.WriteString("}")
		v := mustJSON(t, text.String())
		if v.b[0] != jsonLargeObject {
			t.Fatalf("type 0x%02x, want large object", v.b[0])
		}
		if len(v.b) <= 1<<16 {
			t.Fatalf("only %d bytes", len(v.b))
		}
		if got := jsonText(t, v); got != want.String() {
			t.Errorf("large object text differs (len %d vs %d)", len(got), want.Len())
		}
		// Nested in a small array: the array is large too (it cannot
		// address the object's end with 16 bits), but a small sibling
		// stays small.
		v2 := mustJSON(t, `[`+text.String()+`, [1, 2]]`)
		if v2.b[0] != jsonLargeArray {
			t.Fatalf("outer type 0x%02x", v2.b[0])
		}
		if got := jsonText(t, v2); got != "["+want.String()+", [1, 2]]" {
			t.Errorf("nested large object text differs")
		}
	})
	t.Run("100000-element array", func(t *testing.T) {
		var text, want strings.Builder
		text.WriteString("[")
		want.WriteString("[")
		for i := range 100000 {
			if i > 0 {
				text.WriteString(",")
				want.WriteString(", ")
			}
			n := strconv.Itoa(i * 7919 % 1000003 * (1 - 2*(i%2)))
			text.WriteString(n)
			want.WriteString(n)
		}
		text.WriteString("]")
		want.WriteString("]")
		v := mustJSON(t, text.String())
		if v.b[0] != jsonLargeArray {
			t.Fatalf("type 0x%02x, want large array", v.b[0])
		}
		if got := jsonText(t, v); got != want.String() {
			t.Errorf("array text differs")
		}
	})
	t.Run("depth 100", func(t *testing.T) {
		deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
		if got := jsonText(t, mustJSON(t, deep)); got != deep {
			t.Errorf("depth 100 text differs")
		}
		if _, err := JSONValue([]byte("[" + deep + "]")); err == nil {
			t.Errorf("depth 101 accepted")
		}
	})
}

// jsonPackedDatetime builds MySQL's packed longlong for a DATETIME.
func jsonPackedDatetime(y, mo, d, h, mi, s, us int64) int64 {
	ymd := (y*13+mo)<<5 | d
	hms := h<<12 | mi<<6 | s
	return (ymd<<17|hms)<<24 + us
}

func jsonOpaqueDoc(ft byte, data []byte) []byte {
	b := []byte{jsonOpaque, ft}
	b = jsonAppendVarLen(b, uint64(len(data)))
	return append(b, data...)
}

func jsonLE64(v int64) []byte { return binary.LittleEndian.AppendUint64(nil, uint64(v)) }

// TESTCASES #26: opaque values printed as MySQL does.
func TestJSONCase26Opaque(t *testing.T) {
	tm := func(h, mi, s, us int64) int64 { return (h<<12|mi<<6|s)<<24 + us }
	cases := []struct {
		name string
		doc  []byte
		want string
	}{
		{"DATE", jsonOpaqueDoc(10, jsonLE64(jsonPackedDatetime(2012, 3, 18, 0, 0, 0, 0))), `"2012-03-18"`},
		{"DATETIME", jsonOpaqueDoc(12, jsonLE64(jsonPackedDatetime(2012, 3, 18, 11, 30, 45, 0))), `"2012-03-18 11:30:45.000000"`},
		{"TIMESTAMP", jsonOpaqueDoc(7, jsonLE64(jsonPackedDatetime(2038, 1, 19, 3, 14, 7, 999999))), `"2038-01-19 03:14:07.999999"`},
		{"TIME", jsonOpaqueDoc(11, jsonLE64(tm(87, 31, 46, 654321))), `"87:31:46.654321"`},
		{"negative TIME", jsonOpaqueDoc(11, jsonLE64(-tm(838, 59, 59, 0))), `"-838:59:59.000000"`},
		{"zero DATE", jsonOpaqueDoc(10, jsonLE64(0)), `"0000-00-00"`},
		// DECIMAL(6,3) 123.456: precision, scale, then 80 7b | 01 c8.
		{"DECIMAL 123.456", jsonOpaqueDoc(246, jsonHex(t, "06 03 80 7b 01 c8")), `123.456`},
		// DECIMAL(3,2) 9.00: 89 | 00.
		{"DECIMAL 9.00", jsonOpaqueDoc(246, jsonHex(t, "03 02 89 00")), `9.00`},
		// DECIMAL(2,1) -0.5 = 7f fa (TESTCASES #16).
		{"DECIMAL -0.5", jsonOpaqueDoc(246, jsonHex(t, "02 01 7f fa")), `-0.5`},
		// DECIMAL(14,4) 1234567890.1234 = 81 0d fb 38 d2 04 d2 (TESTCASES #16).
		{"DECIMAL 14,4", jsonOpaqueDoc(246, jsonHex(t, "0e 04 81 0d fb 38 d2 04 d2")), `1234567890.1234`},
		{"DECIMAL 14,4 negative", jsonOpaqueDoc(246, jsonHex(t, "0e 04 7e f2 04 c7 2d fb 2d")), `-1234567890.1234`},
		// DECIMAL(13,4) 0.3333: int part 9 digits (4 bytes) and 0 (1 byte
		// for 0 digits… intg 9 → 4 bytes), frac 4 digits 2 bytes.
		{"DECIMAL 0.3333", jsonOpaqueDoc(246, jsonHex(t, "0d 04 80 00 00 00 0d 05")), `0.3333`},
		{"VARCHAR base64", jsonOpaqueDoc(15, []byte("U")), `"base64:type15:VQ=="`},
		{"BLOB base64", jsonOpaqueDoc(252, []byte{0, 1, 2}), `"base64:type252:AAEC"`},
		{"VAR_STRING as string", jsonOpaqueDoc(253, []byte(`a"b`)), `"a\"b"`},
		{"long base64 lines", jsonOpaqueDoc(254, bytes.Repeat([]byte{0xff}, 60)),
			`"base64:type254:` + strings.Repeat("/", 76) + `\n` + "////" + `"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := jsonText(t, JSONBinaryValue(c.doc)); got != c.want {
				t.Errorf("got %s want %s", got, c.want)
			}
			// Inside an array, through the encoder's tree (reads and
			// rewrites the opaque value).
			n, err := jsonParseDoc(c.doc)
			if err != nil {
				t.Fatal(err)
			}
			arr := jsonNode{typ: jsonSmallArray, kids: []jsonNode{n, n}}
			doc, err := arr.appendDoc(nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := jsonText(t, JSONBinaryValue(doc)); got != "["+c.want+", "+c.want+"]" {
				t.Errorf("in array: got %s", got)
			}
		})
	}
	bad := [][]byte{
		jsonOpaqueDoc(246, jsonHex(t, "03 02 89")),     // short decimal
		jsonOpaqueDoc(246, jsonHex(t, "03 02 8a 00")),  // digit group 10 in a 1-digit group
		jsonOpaqueDoc(246, jsonHex(t, "50 02 89 00")),  // precision 80
		jsonOpaqueDoc(10, jsonLE64(0)[:7]),             // short date
		jsonOpaqueDoc(246, nil),                        // empty decimal
		append([]byte{jsonOpaque, 15, 0x05}, 'a', 'b'), // opaque length past the end
	}
	for i, b := range bad {
		if _, err := appendJSONText(nil, JSONBinaryValue(b)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("bad opaque %d (% x): err %v", i, b, err)
		}
	}
}

// TESTCASES #27: full after images with holes left by in-place updates are
// read by offsets, not sequentially.
func TestJSONCase27Holes(t *testing.T) {
	// {"a": "x", "b": 7} after JSON_REPLACE wrote the shorter "x" past the
	// old value: header 4 | key entries 2×4 | value entries 2×3 | keys "ab"
	// | hole of 5 (the old "yyyy") | "x".
	doc := []byte{jsonSmallObject,
		2, 0, 29, 0, // count 2, size 29
		18, 0, 1, 0, // key "a" at 18
		19, 0, 1, 0, // key "b" at 19
		jsonString, 25, 0, // value of a at 25 (after the hole)
		jsonInt16, 7, 0, // b inlined
		'a', 'b',
		0x04, 'y', 'y', 'y', 'y', // hole: the old value "yyyy"
		0x01, 'x', // "x"
	}
	doc[3] = byte(len(doc) - 1)
	if got := jsonText(t, JSONBinaryValue(doc)); got != `{"a": "x", "b": 7}` {
		t.Errorf("got %s", got)
	}
	// A hole after JSON_REMOVE in an array: element entries compacted, the
	// removed value's bytes left before the next.
	arr := []byte{jsonSmallArray,
		2, 0, 0, 0,
		jsonString, 12, 0,
		jsonString, 16, 0,
		0x01, 'Z', // removed "Z"
		0x03, 'o', 'n', 'e',
		0x03, 't', 'w', 'o',
	}
	arr[3] = byte(len(arr) - 1)
	if got := jsonText(t, JSONBinaryValue(arr)); got != `["one", "two"]` {
		t.Errorf("got %s", got)
	}
	// Through ApplyJSONDiffs' tree, the holes go away.
	n, err := jsonParseDoc(doc)
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := n.appendDoc(nil)
	if len(fresh) >= len(doc) || jsonText(t, JSONBinaryValue(fresh)) != `{"a": "x", "b": 7}` {
		t.Errorf("rewritten % x", fresh)
	}
}

// TESTCASES #29: a zero-length JSON value and truncated documents.
func TestJSONCase29EmptyAndTruncated(t *testing.T) {
	v, n, err := decodeJSON(jsonCol, []byte{0, 0, 0, 0, 0xaa})
	if err != nil || n != 4 || v.Kind() != KindJSON || len(v.Bytes()) != 0 {
		t.Fatalf("zero length: %v %d %v", v, n, err)
	}
	if got := jsonText(t, v); got != "null" {
		t.Errorf("zero-length JSON prints %s, want null (MySQL Field_json::val_json)", got)
	}
	full := mustJSON(t, `{"name": "generated", "list": [1, 2, 3.5, {"x": "y"}]}`).b
	for i := 1; i < len(full); i++ {
		if _, err := appendJSONText(nil, JSONBinaryValue(full[:i])); err == nil {
			t.Errorf("document cut at %d of %d printed without error", i, len(full))
		} else if !errors.Is(err, ErrCorrupt) {
			t.Errorf("cut at %d: %v is not ErrCorrupt", i, err)
		}
	}
	enc, _ := appendJSON(nil, jsonCol, JSONBinaryValue(full))
	for i := 0; i < len(enc); i++ {
		if _, _, err := decodeJSON(jsonCol, enc[:i]); !errors.Is(err, ErrTruncated) {
			t.Errorf("column cut at %d: %v", i, err)
		}
	}
}

func TestJSONDecodeEncodeRoundTrip(t *testing.T) {
	for _, meta := range []uint32{1, 2, 3, 4} {
		c := &Column{Type: 245, Meta: meta}
		v := mustJSON(t, `{"a": [1, 2, "three"]}`)
		b, err := appendJSON(nil, c, v)
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, 0xee) // the next column
		got, n, err := decodeJSON(c, b)
		if err != nil || n != len(b)-1 || !got.Equal(v) {
			t.Fatalf("meta %d: %v %d %v", meta, got, n, err)
		}
		if cap(got.Bytes()) != len(got.Bytes()) {
			t.Errorf("view not capacity-limited")
		}
		again, _ := appendJSON(nil, c, got)
		if !bytes.Equal(again, b[:n]) {
			t.Errorf("re-encode differs")
		}
	}
	if _, err := appendJSON(nil, &Column{Meta: 1}, JSONBinaryValue(make([]byte, 256))); err == nil {
		t.Errorf("256 bytes fit a 1-byte length")
	}
	if _, _, err := decodeJSON(&Column{Meta: 5}, make([]byte, 10)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("meta 5: %v", err)
	}
}

func TestJSONMariaDBText(t *testing.T) {
	v := JSONTextValue([]byte(`{"a":1}`))
	if !v.IsJSONText() || jsonText(t, v) != `{"a":1}` {
		t.Errorf("MariaDB text JSON: %s", jsonText(t, v))
	}
	if _, err := ApplyJSONDiffs(v, Value{kind: KindJSONDiff}); err == nil {
		t.Errorf("diffs applied to text JSON")
	}
}

// MySQL's my_gcvt with width 34 plus the ".0" rule (sql/json_dom.cc).
func TestJSONDoubleFormat(t *testing.T) {
	cases := []struct {
		f    float64
		want string
	}{
		{1.5, "1.5"}, {1e100, "1e100"}, {3.0, "3.0"}, {math.Copysign(0, -1), "-0.0"}, {0, "0.0"},
		{0.1, "0.1"}, {-1.5, "-1.5"}, {100, "100.0"}, {1e14, "100000000000000.0"},
		{1e15, "1e15"}, {123456789012345, "123456789012345.0"}, {1234567890123456, "1.234567890123456e15"},
		{1234567890123456.7, "1234567890123456.8"}, {1e16, "1e16"}, {1.2345678901234567e19, "1.2345678901234567e19"},
		{0.0001, "0.0001"}, {1e-14, "0.00000000000001"}, {1.5e-14, "0.000000000000015"}, {1e-15, "0.000000000000001"},
		{1e-16, "1e-16"}, {-2.5e-20, "-2.5e-20"}, {math.MaxFloat64, "1.7976931348623157e308"},
		{5e-324, "5e-324"}, {0.30000000000000004, "0.30000000000000004"}, {2e-7, "0.0000002"},
		{math.NaN(), "0.0"}, {math.Inf(1), "0.0"},
	}
	for _, c := range cases {
		if got := string(appendJSONDouble(nil, c.f)); got != c.want {
			t.Errorf("%v: got %s want %s", c.f, got, c.want)
		}
	}
}

// jsonRef is a random JSON value for the property test, with its own
// text writer and an independent statement of MySQL's printing rules.
type jsonRef struct {
	kind  byte // 'o' 'a' 's' 'i' 'u' 'f' 't' 'F' 'n'
	s     string
	i     int64
	u     uint64
	f     float64
	keys  []string // object keys, duplicates allowed
	elems []jsonRef
}

func jsonGenRef(r *rand.Rand, depth int) jsonRef {
	k := r.IntN(10)
	if depth > 4 {
		k = 3 + r.IntN(7)
	}
	switch k {
	case 0, 1:
		n := r.IntN(6)
		v := jsonRef{kind: 'o'}
		for range n {
			v.keys = append(v.keys, jsonGenRefString(r, 4))
			v.elems = append(v.elems, jsonGenRef(r, depth+1))
		}
		if n > 1 && r.IntN(4) == 0 { // a duplicate key: the last one wins
			v.keys = append(v.keys, v.keys[0])
			v.elems = append(v.elems, jsonGenRef(r, depth+1))
		}
		return v
	case 2:
		v := jsonRef{kind: 'a'}
		for range r.IntN(6) {
			v.elems = append(v.elems, jsonGenRef(r, depth+1))
		}
		return v
	case 3:
		return jsonRef{kind: 's', s: jsonGenRefString(r, 12)}
	case 4:
		edges := []int64{0, 1, -1, math.MinInt16, math.MaxInt16, math.MinInt16 - 1, math.MaxInt16 + 1, math.MaxUint16,
			math.MinInt32, math.MaxInt32, math.MinInt32 - 1, math.MaxInt32 + 1, math.MaxUint32, math.MinInt64, math.MaxInt64}
		if r.IntN(2) == 0 {
			return jsonRef{kind: 'i', i: edges[r.IntN(len(edges))]}
		}
		return jsonRef{kind: 'i', i: r.Int64() >> r.IntN(64)}
	case 5:
		return jsonRef{kind: 'u', u: math.MaxUint64 - uint64(r.IntN(3))*r.Uint64()/4}
	case 6:
		var f float64
		switch r.IntN(4) {
		case 0:
			f = math.Float64frombits(r.Uint64())
			if math.IsNaN(f) || math.IsInf(f, 0) {
				f = 0.5
			}
		case 1:
			f = float64(r.IntN(2000000)-1000000) / 8
		case 2:
			f = math.Pow(10, float64(r.IntN(60)-30)) * float64(1+r.IntN(9))
		default:
			f = r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))
		}
		return jsonRef{kind: 'f', f: f}
	case 7:
		return jsonRef{kind: 't'}
	case 8:
		return jsonRef{kind: 'F'}
	}
	return jsonRef{kind: 'n'}
}

func jsonGenRefString(r *rand.Rand, max int) string {
	alphabet := []string{"a", "b", "Z", " ", "\"", "\\", "\n", "\t", "\x01", "\x1f", "\x7f", "/", "é", "€", "😀", "日", "0", "."}
	var sb strings.Builder
	for range r.IntN(max + 1) {
		sb.WriteString(alphabet[r.IntN(len(alphabet))])
	}
	return sb.String()
}

// writeText writes v as JSON text with random spacing and escapes.
func (v jsonRef) writeText(r *rand.Rand, sb *strings.Builder) {
	ws := func() {
		sb.WriteString([]string{"", "", " ", "\n\t", "\r "}[r.IntN(5)])
	}
	ws()
	switch v.kind {
	case 'o', 'a':
		open, close := "[", "]"
		if v.kind == 'o' {
			open, close = "{", "}"
		}
		sb.WriteString(open)
		for i, e := range v.elems {
			if i > 0 {
				sb.WriteString(",")
			}
			if v.kind == 'o' {
				ws()
				jsonWriteTextString(r, sb, v.keys[i])
				ws()
				sb.WriteString(":")
			}
			e.writeText(r, sb)
		}
		ws()
		sb.WriteString(close)
	case 's':
		jsonWriteTextString(r, sb, v.s)
	case 'i':
		sb.WriteString(strconv.FormatInt(v.i, 10))
	case 'u':
		sb.WriteString(strconv.FormatUint(v.u, 10))
	case 'f':
		sb.WriteString(strconv.FormatFloat(v.f, "eE"[r.IntN(2)], -1, 64))
	case 't':
		sb.WriteString("true")
	case 'F':
		sb.WriteString("false")
	case 'n':
		sb.WriteString("null")
	}
	ws()
}

func jsonWriteTextString(r *rand.Rand, sb *strings.Builder, s string) {
	sb.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			sb.WriteString(`\` + string(c))
		case c < 0x20 || r.IntN(8) == 0:
			if c > 0xffff {
				hi, lo := utf16.EncodeRune(c)
				fmt.Fprintf(sb, `\u%04X\u%04x`, hi, lo)
			} else {
				fmt.Fprintf(sb, `\u%04x`, c)
			}
		default:
			sb.WriteRune(c)
		}
	}
	sb.WriteByte('"')
}

// mysqlText is the reference: MySQL's printing rules stated directly.
func (v jsonRef) mysqlText(sb *strings.Builder) {
	switch v.kind {
	case 'o':
		last := map[string]int{}
		for i, k := range v.keys {
			last[k] = i
		}
		keys := make([]string, 0, len(last))
		for k := range last {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(a, b int) bool {
			if len(keys[a]) != len(keys[b]) {
				return len(keys[a]) < len(keys[b])
			}
			return keys[a] < keys[b]
		})
		sb.WriteString("{")
		for i, k := range keys {
			if i > 0 {
				sb.WriteString(", ")
			}
			jsonRefQuote(sb, k)
			sb.WriteString(": ")
			v.elems[last[k]].mysqlText(sb)
		}
		sb.WriteString("}")
	case 'a':
		sb.WriteString("[")
		for i, e := range v.elems {
			if i > 0 {
				sb.WriteString(", ")
			}
			e.mysqlText(sb)
		}
		sb.WriteString("]")
	case 's':
		jsonRefQuote(sb, v.s)
	case 'i':
		sb.WriteString(strconv.FormatInt(v.i, 10))
	case 'u':
		sb.WriteString(strconv.FormatUint(v.u, 10))
	case 'f':
		sb.WriteString(jsonRefDouble(v.f))
	case 't':
		sb.WriteString("true")
	case 'F':
		sb.WriteString("false")
	case 'n':
		sb.WriteString("null")
	}
}

func jsonRefQuote(sb *strings.Builder, s string) {
	sb.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\b':
			sb.WriteString(`\b`)
		case '\f':
			sb.WriteString(`\f`)
		case '\n':
			sb.WriteString(`\n`)
		case '\r':
			sb.WriteString(`\r`)
		case '\t':
			sb.WriteString(`\t`)
		default:
			if c < 0x20 {
				fmt.Fprintf(sb, `\u%04x`, c)
			} else {
				sb.WriteByte(c)
			}
		}
	}
	sb.WriteByte('"')
}

// jsonRefDouble: fixed notation when 10^-15 <= |f| < 10^15 (decimal exponent
// -14…15 in 0.ddd form, or digits after the point), else d.ddde±N with no
// '+' and no exponent padding; ".0" when neither '.' nor 'e' appears.
func jsonRefDouble(f float64) string {
	if f == 0 {
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(e, "e")
	x, _ := strconv.Atoi(exp)
	nd := len(strings.Replace(strings.TrimPrefix(mant, "-"), ".", "", 1))
	decpt := x + 1
	if decpt >= -14 && (decpt <= 15 || nd > decpt) {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	return mant + "e" + strconv.Itoa(x)
}

// Property: random documents written as text with random spacing, key
// order, duplicates and escapes print, through JSONValue, exactly as the
// reference rules say; the binary form is stable (text → binary → text →
// binary gives the same bytes) and survives the tree used by
// ApplyJSONDiffs unchanged.
func TestJSONValueProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		v := jsonGenRef(r, 0)
		var text, want strings.Builder
		v.writeText(r, &text)
		v.mysqlText(&want)
		jv, err := JSONValue([]byte(text.String()))
		if err != nil {
			t.Fatalf("%d: JSONValue(%q): %v", i, text.String(), err)
		}
		got := jsonText(t, jv)
		if got != want.String() {
			t.Fatalf("%d: text %q\n got %s\nwant %s", i, text.String(), got, want.String())
		}
		again := mustJSON(t, got)
		if !bytes.Equal(again.b, jv.b) {
			t.Fatalf("%d: binary not stable for %s", i, got)
		}
		n, err := jsonParseDoc(jv.b)
		if err != nil {
			t.Fatal(err)
		}
		re, err := n.appendDoc(nil)
		if err != nil || !bytes.Equal(re, jv.b) {
			t.Fatalf("%d: tree rewrite differs for %s", i, got)
		}
	}
}

func TestJSONValueInvalid(t *testing.T) {
	bad := []string{"", " ", "{", "[1,]", "[1 2]", `{"a"}`, `{"a":1,}`, `{a:1}`, "01", "-", "1.", ".5", "1e", "+1",
		"tru", "nul", `"abc`, "\"a\x01\"", `"\x"`, `"\u12"`, `"\ud800"`, `"\udc00"`, `"\ud800\u0041"`, "\"\xff\"",
		"1e400", "-1e400", "[1] x", "{} {}", "NaN", "Infinity"}
	for _, s := range bad {
		if v, err := JSONValue([]byte(s)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("JSONValue(%q) = %v, %v", s, v, err)
		}
	}
	ok := map[string]string{"-0": "0", "-0.0": "-0.0", "1E2": "100.0", "1e-2": "0.01", " [ ] ": "[]", `"\/"`: `"/"`,
		"0.1e1": "1.0", "123456789012345678901234567890": "1.2345678901234568e29"}
	for in, want := range ok {
		if got := jsonText(t, mustJSON(t, in)); got != want {
			t.Errorf("%q: got %s want %s", in, got, want)
		}
	}
}

// Printing into a buffer with room allocates nothing.
func TestJSONPrintAllocs(t *testing.T) {
	v := mustJSON(t, `{"id": 12345, "name": "Joe \"J\" Bloggs", "tags": ["a", "b\n", 1.5, -3e-20, true, null],
		"nested": {"deep": [[1, 2], {"x": 18446744073709551615}]}, "é": "€"}`)
	dec := jsonOpaqueDoc(246, jsonHex(t, "0e 04 81 0d fb 38 d2 04 d2"))
	dt := jsonOpaqueDoc(12, jsonLE64(jsonPackedDatetime(2012, 3, 18, 11, 30, 45, 0)))
	blob := jsonOpaqueDoc(252, bytes.Repeat([]byte{7}, 100))
	buf := make([]byte, 0, 4096)
	for _, doc := range [][]byte{v.b, dec, dt, blob} {
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := appendJSONText(buf[:0], JSONBinaryValue(doc)); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("printing % x…: %v allocations", doc[:4], allocs)
		}
	}
	enc, _ := appendJSON(nil, jsonCol, v)
	allocs := testing.AllocsPerRun(100, func() {
		jv, _, err := decodeJSON(jsonCol, enc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := appendJSONText(buf[:0], jv); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("decode+print: %v allocations", allocs)
	}
	d, _ := appendJSONDiff(nil, jsonCol, jsonDiffVector(t, jdiff(t, JSONDiffReplace, "$.a", "[1, 2]"), jdiff(t, JSONDiffRemove, "$.b", "")))
	allocs = testing.AllocsPerRun(100, func() {
		dv, _, err := decodeJSONDiff(jsonCol, d)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := appendJSONDiffText(buf[:0], jsonCol, dv); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("diff decode+print: %v allocations", allocs)
	}
}

func BenchmarkJSONDecodePrint(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"users": [`)
	for i := range 200 {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `{"id": %d, "name": "user %d", "score": %g, "tags": ["a", "b"], "ok": true, "big": %d}`,
			i, i, float64(i)*1.25, uint64(1)<<40+uint64(i))
	}
	sb.WriteString(`]}`)
	v := mustJSON(b, sb.String())
	enc, _ := appendJSON(nil, jsonCol, v)
	buf := make([]byte, 0, 64<<10)
	b.SetBytes(int64(len(enc)))
	b.ReportAllocs()
	for b.Loop() {
		jv, _, err := decodeJSON(jsonCol, enc)
		if err != nil {
			b.Fatal(err)
		}
		if buf, err = appendJSONText(buf[:0], jv); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSONValue(b *testing.B) {
	text := []byte(`{"id": 12345, "name": "Joe Bloggs", "tags": ["a", "b", 1.5, -3e-20, true, null], "nested": {"deep": [[1, 2], {"x": 18446744073709551615}]}}`)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := JSONValue(text); err != nil {
			b.Fatal(err)
		}
	}
}

// mysqlbinlog -vv prints a whole JSON column as its text in my_b_write_quoted
// quotes; an empty document is null there too (json_binary::parse_binary).
func TestJSONBinlogText(t *testing.T) {
	cases := map[string]string{
		`{"a": "x\"y\\z'", "b": [1, 2.5]}`: `'{"a": "x\\"y\\\\z\'", "b": [1, 2.5]}'`,
		`"\n"`:                             `'"\\n"'`,
	}
	for in, want := range cases {
		out, err := appendJSONBinlogText([]byte("@2="), mustJSON(t, in))
		if err != nil || string(out) != "@2="+want {
			t.Errorf("%s: got %s want %s (%v)", in, out, want, err)
		}
	}
	if out, _ := appendJSONBinlogText(nil, JSONBinaryValue(nil)); string(out) != "'null'" {
		t.Errorf("empty: %s", out)
	}
	if out, err := appendJSONBinlogText([]byte("x"), JSONBinaryValue([]byte{0x77})); err == nil || string(out) != "x" {
		t.Errorf("corrupt: %q %v", out, err)
	}
}

func ExampleJSONValue() {
	v, err := JSONValue([]byte(`{"b": [1, 2.0, "x"], "a": {"c": null}, "b": true}`))
	if err != nil {
		panic(err)
	}
	text, _ := v.AppendJSONText(nil)
	fmt.Println(string(text))
	// Output: {"a": {"c": null}, "b": true}
}

func ExampleApplyJSONDiffs() {
	before, _ := JSONValue([]byte(`{"age": 25, "tags": ["a"]}`))
	age, _ := JSONValue([]byte(`26`))
	tag, _ := JSONValue([]byte(`"b"`))
	diffs, _ := JSONDiffValue(
		JSONDiff{Op: JSONDiffReplace, Path: []byte("$.age"), Value: age.Bytes()},
		JSONDiff{Op: JSONDiffInsert, Path: []byte("$.tags[1]"), Value: tag.Bytes()},
	)
	for d := range diffs.JSONDiffs() {
		fmt.Println(d.Op, string(d.Path))
	}
	after, _ := ApplyJSONDiffs(before, diffs)
	text, _ := after.AppendJSONText(nil)
	fmt.Println(string(text))
	// Output:
	// REPLACE $.age
	// INSERT $.tags[1]
	// {"age": 26, "tags": ["a", "b"]}
}
