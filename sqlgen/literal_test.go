package sqlgen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// mustValue returns v; an error building a test value is a broken test.
func mustValue(v rowcodec.Value, err error) rowcodec.Value {
	if err != nil {
		panic(err)
	}
	return v
}

// Collation ids used below.
const (
	collLatin1  = 8  // latin1_swedish_ci
	collGBK     = 28 // gbk_chinese_ci
	collUCS2    = 35 // ucs2_general_ci
	collUTF8MB4 = 45 // utf8mb4_general_ci
	collBinary  = 63 // binary
)

type litCase struct {
	name string
	col  *rowcodec.Column
	v    rowcodec.Value
	opts LiteralOptions
	want string
}

func runLitCases(t *testing.T, cases []litCase) {
	t.Helper()
	for _, c := range cases {
		got, err := AppendLiteral(nil, c.col, c.v, c.opts)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if string(got) != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}

func TestLiteralNumbers(t *testing.T) {
	runLitCases(t, []litCase{
		{"int min", nil, rowcodec.IntValue(-9223372036854775808), LiteralOptions{}, "-9223372036854775808"},
		{"uint64 max", nil, rowcodec.UintValue(18446744073709551615), LiteralOptions{}, "18446744073709551615"},
		{"decimal as written", nil, mustValue(rowcodec.DecimalValue("-1234.5600", 10, 4)), LiteralOptions{}, "-1234.5600"},
		{"decimal zero scale", nil, mustValue(rowcodec.DecimalValue("7", 10, 0)), LiteralOptions{}, "7"},
		{"float shortest", nil, rowcodec.Float32Value(0.1), LiteralOptions{}, "0.1"},
		{"float compared as double", nil, rowcodec.Float32Value(0.1), LiteralOptions{Compare: true}, "0.10000000149011612"},
		{"float 7 digits", nil, rowcodec.Float32Value(0.1234567), LiteralOptions{}, "0.1234567"},
		{"double round trip", nil, rowcodec.Float64Value(pointOne + 0.2), LiteralOptions{}, "0.30000000000000004"},
		{"double big", nil, rowcodec.Float64Value(1.7976931348623157e308), LiteralOptions{}, "1.7976931348623157e+308"},
		{"double negative zero", nil, rowcodec.Float64Value(negZero()), LiteralOptions{}, "-0e0"},
		{"year zero is the number 0", nil, rowcodec.YearValue(0), LiteralOptions{}, "0"},
		{"year", nil, rowcodec.YearValue(2155), LiteralOptions{}, "2155"},
		{"null", nil, rowcodec.Value{}, LiteralOptions{}, "NULL"},
	})
}

var pointOne = 0.1 // a variable: 0.1+0.2 is not folded to 0.3

func negZero() float64 {
	z := 0.0
	return -z
}

func TestLiteralTemporal(t *testing.T) {
	runLitCases(t, []litCase{
		{"TESTCASES #17 negative TIME beyond 24h", nil, rowcodec.TimeValue(true, 507, 48, 27, 0, 0), LiteralOptions{}, "'-507:48:27'"},
		{"TIME fsp 6", nil, rowcodec.TimeValue(true, 16, 8, 4, 10123, 6), LiteralOptions{}, "'-16:08:04.010123'"},
		{"TIME max", nil, rowcodec.TimeValue(false, 838, 59, 59, 0, 0), LiteralOptions{}, "'838:59:59'"},
		{"TESTCASES #18 zero date", nil, rowcodec.DateValue(0, 0, 0), LiteralOptions{}, "'0000-00-00'"},
		{"partial zero date", nil, rowcodec.DateValue(2013, 0, 0), LiteralOptions{}, "'2013-00-00'"},
		{"DATETIME fsp 3", nil, rowcodec.DatetimeValue(2024, 1, 2, 3, 4, 5, 700000, 3), LiteralOptions{}, "'2024-01-02 03:04:05.700'"},
		{"zero DATETIME(6)", nil, rowcodec.DatetimeValue(0, 0, 0, 0, 0, 0, 0, 6), LiteralOptions{}, "'0000-00-00 00:00:00.000000'"},
		{"TIMESTAMP in UTC", nil, rowcodec.TimestampValue(1700000000, 123000, 3), LiteralOptions{}, "'2023-11-14 22:13:20.123'"},
		{"zero TIMESTAMP", nil, rowcodec.TimestampValue(0, 0, 0), LiteralOptions{}, "'0000-00-00 00:00:00'"},
	})
}

// TESTCASES #20: BIT is written as b'…', never as '0'.
func TestLiteralBit_TESTCASES20(t *testing.T) {
	runLitCases(t, []litCase{
		{"BIT(1)", nil, rowcodec.BitValue(1, 1), LiteralOptions{}, "b'1'"},
		{"BIT(1) zero", nil, rowcodec.BitValue(0, 1), LiteralOptions{}, "b'0'"},
		{"BIT(3)", nil, rowcodec.BitValue(5, 3), LiteralOptions{}, "b'101'"},
		{"BIT(12)", nil, rowcodec.BitValue(0xabc, 12), LiteralOptions{}, "b'101010111100'"},
		{"BIT(64) top bit", nil, rowcodec.BitValue(1<<63|1, 64), LiteralOptions{}, "b'1" + strings.Repeat("0", 62) + "1'"},
	})
}

// TESTCASES #22: strings in every charset, binary with trailing zero bytes,
// BLOB; and escaping for both backslash modes.
func TestLiteralStrings_TESTCASES22(t *testing.T) {
	latin1 := &rowcodec.Column{Type: event.ColumnTypeVarchar, Meta: 20, Collation: collLatin1}
	gbk := &rowcodec.Column{Type: event.ColumnTypeVarchar, Meta: 40, Collation: collGBK}
	utf8 := &rowcodec.Column{Type: event.ColumnTypeString, Meta: 1020, Collation: collUTF8MB4}
	bin16 := &rowcodec.Column{Type: event.ColumnTypeString, Meta: 16, Collation: collBinary}
	blob := &rowcodec.Column{Type: event.ColumnTypeBlob, Meta: 2, Collation: collBinary}
	runLitCases(t, []litCase{
		{"latin1 converts to UTF-8", latin1, rowcodec.StringValue([]byte{'c', 'a', 'f', 0xe9}, collLatin1), LiteralOptions{}, "'café'"},
		{"latin1 0x80 is the euro sign", latin1, rowcodec.StringValue([]byte{0x80}, collLatin1), LiteralOptions{}, "'€'"},
		{"gbk converts", gbk, rowcodec.StringValue([]byte{0xd6, 0xd0, 0xce, 0xc4}, collGBK), LiteralOptions{}, "'中文'"},
		{"gbk that does not convert: introducer and hex", gbk, rowcodec.StringValue([]byte{0x81, 0x20}, collGBK), LiteralOptions{}, "_gbk X'8120'"},
		{"utf8mb4 4-byte character", utf8, rowcodec.StringValue([]byte("😀"), collUTF8MB4), LiteralOptions{}, "'😀'"},
		{"invalid utf8mb4 bytes", utf8, rowcodec.StringValue([]byte{0xff}, collUTF8MB4), LiteralOptions{}, "_utf8mb4 X'ff'"},
		{"unknown charset, not UTF-8", nil, rowcodec.StringValue([]byte{0xff}, 0), LiteralOptions{}, "X'ff'"},
		{"escapes", utf8, rowcodec.StringValue([]byte("a'b\\c\n\r\x00\x1a"), collUTF8MB4), LiteralOptions{}, `'a''b\\c\n\r\0\Z'`},
		{"NO_BACKSLASH_ESCAPES", utf8, rowcodec.StringValue([]byte("a'b\\c\n"), collUTF8MB4), LiteralOptions{NoBackslashEscapes: true}, "'a''b\\c\n'"},
		{"NO_BACKSLASH_ESCAPES with NUL", utf8, rowcodec.StringValue([]byte("a\x00"), collUTF8MB4), LiteralOptions{NoBackslashEscapes: true}, "_utf8mb4 X'6100'"},
		{"ucs2 converts", nil, rowcodec.StringValue([]byte{0x00, 'A', 0x4e, 0x2d}, collUCS2), LiteralOptions{}, "'A中'"},
		{"BINARY(16) gets its trailing zero bytes back", bin16, rowcodec.BytesValue([]byte{1, 2}), LiteralOptions{}, "X'0102" + strings.Repeat("00", 14) + "'"},
		{"BLOB as hex", blob, rowcodec.BytesValue([]byte{0, 0xff, '\''}), LiteralOptions{}, "X'00ff27'"},
		{"empty BLOB", blob, rowcodec.BytesValue(nil), LiteralOptions{}, "X''"},
	})
}

func TestLiteralEnumSet(t *testing.T) {
	enum := &rowcodec.Column{Type: event.ColumnTypeEnum, EnumValues: [][]byte{[]byte("a"), []byte("it's")}, Collation: collUTF8MB4}
	latinEnum := &rowcodec.Column{Type: event.ColumnTypeEnum, EnumValues: [][]byte{[]byte{0xe9}}, Collation: collLatin1}
	set := &rowcodec.Column{Type: event.ColumnTypeSet, SetValues: [][]byte{[]byte("a"), []byte("b"), []byte("c")}, Collation: collUTF8MB4}
	runLitCases(t, []litCase{
		{"enum by name", enum, rowcodec.EnumValue(2, 1), LiteralOptions{}, "'it''s'"},
		{"enum latin1 name", latinEnum, rowcodec.EnumValue(1, 1), LiteralOptions{}, "'é'"},
		{"enum index 0 (invalid value)", enum, rowcodec.EnumValue(0, 1), LiteralOptions{}, "0"},
		{"enum without names", &rowcodec.Column{Type: event.ColumnTypeEnum}, rowcodec.EnumValue(300, 2), LiteralOptions{}, "300"},
		{"set by names", set, rowcodec.SetValue(5, 1), LiteralOptions{}, "'a,c'"},
		{"empty set", set, rowcodec.SetValue(0, 1), LiteralOptions{}, "''"},
		{"set without names", &rowcodec.Column{Type: event.ColumnTypeSet}, rowcodec.SetValue(5, 3), LiteralOptions{}, "5"},
	})
}

func TestLiteralJSON(t *testing.T) {
	doc := mustValue(rowcodec.JSONValue([]byte(`{"a":[1,"x'y\\z"]}`)))
	one := mustValue(rowcodec.JSONValue([]byte(`1`)))
	diff := mustValue(rowcodec.JSONDiffValue(
		rowcodec.JSONDiff{Op: rowcodec.JSONDiffReplace, Path: []byte("$.a"), Value: one.Bytes()},
		rowcodec.JSONDiff{Op: rowcodec.JSONDiffInsert, Path: []byte("$.b[0]"), Value: one.Bytes()},
		rowcodec.JSONDiff{Op: rowcodec.JSONDiffInsert, Path: []byte("$.c"), Value: one.Bytes()},
		rowcodec.JSONDiff{Op: rowcodec.JSONDiffRemove, Path: []byte("$.d")},
	))
	col := &rowcodec.Column{Type: event.ColumnTypeJSON, Name: []byte("doc`x")}
	runLitCases(t, []litCase{
		{"MySQL JSON", col, doc, LiteralOptions{}, `CAST('{"a": [1, "x''y\\\\z"]}' AS JSON)`},
		{"MySQL JSON without backslash escapes", col, doc, LiteralOptions{NoBackslashEscapes: true}, `CAST('{"a": [1, "x''y\\z"]}' AS JSON)`},
		{"MariaDB text JSON as a string", col, rowcodec.JSONTextValue([]byte(`{"k": "v"}`)), LiteralOptions{MariaDB: true}, `'{"k": "v"}'`},
		{"partial update", col, diff, LiteralOptions{},
			"JSON_REMOVE(JSON_SET(JSON_ARRAY_INSERT(JSON_REPLACE(`doc``x`, '$.a', CAST('1' AS JSON)), '$.b[0]', CAST('1' AS JSON)), '$.c', CAST('1' AS JSON)), '$.d')"},
	})
}

func TestLiteralGeometryVector(t *testing.T) {
	wkb := []byte{1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40}
	geo := rowcodec.GeometryValue(rowcodec.AppendGeometry(nil, 4326, wkb))
	plain := rowcodec.GeometryValue(rowcodec.AppendGeometry(nil, 0, wkb))
	vec := rowcodec.VectorValue(rowcodec.AppendVector(nil, 1, 0.5, -0.1))
	runLitCases(t, []litCase{
		{"geometry MySQL SRID", nil, geo, LiteralOptions{}, "ST_GeomFromWKB(X'0101000000000000000000f03f0000000000000040', 4326, 'axis-order=long-lat')"},
		{"geometry MariaDB", nil, geo, LiteralOptions{MariaDB: true}, "ST_GeomFromWKB(X'0101000000000000000000f03f0000000000000040', 4326)"},
		{"geometry SRID 0", nil, plain, LiteralOptions{}, "ST_GeomFromWKB(X'0101000000000000000000f03f0000000000000040', 0)"},
		{"TESTCASES #23 vector MySQL", nil, vec, LiteralOptions{}, "STRING_TO_VECTOR('[1,0.5,-0.1]')"},
		{"vector MariaDB", nil, vec, LiteralOptions{MariaDB: true}, "VEC_FromText('[1,0.5,-0.1]')"},
	})
}

// TESTCASES #24: an absent column has no literal (statements leave it out).
func TestLiteralAbsent_TESTCASES24(t *testing.T) {
	if _, err := AppendLiteral(nil, nil, rowcodec.Absent, LiteralOptions{}); err == nil {
		t.Fatal("an absent value got a literal")
	}
}

func TestLiteralNoAllocs(t *testing.T) {
	var w literalWriter
	col := &rowcodec.Column{Type: event.ColumnTypeVarchar, Collation: collLatin1}
	v := rowcodec.StringValue([]byte("caf\xe9 'x'"), collLatin1)
	buf := make([]byte, 0, 256)
	w.append(buf, col, v, nil)
	if n := testing.AllocsPerRun(100, func() { w.append(buf[:0], col, v, nil) }); n != 0 {
		t.Errorf("%v allocations per literal", n)
	}
}

// appendHexReference is the byte-at-a-time appendHex the faster one
// replaced.
func appendHexReference(dst, b []byte) []byte {
	dst = append(dst, 'X', '\'')
	for _, x := range b {
		dst = append(dst, hexDigits[x>>4], hexDigits[x&15])
	}
	return append(dst, '\'')
}

func TestAppendHexMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 300; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		for _, prefix := range [][]byte{nil, []byte("x = "), make([]byte, 3, 5)} {
			want := appendHexReference(append([]byte(nil), prefix...), b)
			got := appendHex(append([]byte(nil), prefix...), b)
			if !bytes.Equal(got, want) {
				t.Fatalf("len %d prefix %q: got %q, want %q", n, prefix, got, want)
			}
			// In place after a prefix with spare capacity.
			p := append(make([]byte, 0, len(prefix)+2*n+8), prefix...)
			if got := appendHex(p, b); !bytes.Equal(got, want) {
				t.Fatalf("len %d prefix %q with capacity: got %q, want %q", n, prefix, got, want)
			}
		}
	}
}

func BenchmarkAppendHex(b *testing.B) {
	blob := make([]byte, 175)
	for i := range blob {
		blob[i] = byte(i * 37)
	}
	buf := make([]byte, 0, 1024)
	b.Run("new", func(b *testing.B) {
		b.SetBytes(int64(len(blob)))
		for b.Loop() {
			buf = appendHex(buf[:0], blob)
		}
	})
	b.Run("reference", func(b *testing.B) {
		b.SetBytes(int64(len(blob)))
		for b.Loop() {
			buf = appendHexReference(buf[:0], blob)
		}
	})
}

// appendJSONLiteralReference is AppendLiteral's JSON case before the text
// was printed in place: printed to scratch, then written by appendText.
func appendJSONLiteralReference(dst []byte, v rowcodec.Value, opts LiteralOptions) ([]byte, error) {
	w := literalWriter{opts: opts}
	var err error
	w.scratch, err = v.AppendJSONText(w.scratch[:0])
	if err != nil {
		return dst, err
	}
	if v.IsJSONText() || w.opts.MariaDB {
		return w.appendText(dst, w.scratch, 0), nil
	}
	dst = append(dst, "CAST("...)
	dst = w.appendText(dst, w.scratch, 0)
	return append(dst, " AS JSON)"...), nil
}

// TestJSONLiteralMatchesReference compares the JSON literal with the
// reference for binary and text JSON, MySQL and MariaDB, both backslash
// modes, on documents whose strings hold quotes, backslashes, control
// bytes, ^Z, non-ASCII and invalid UTF-8, and on corrupt documents.
func TestJSONLiteralMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	pieces := []string{"a", "é", "日本", "'", "\\", "\"", "\n", "\r", "\x00", "\x1a", "\x01", "\t", " ", "\xff", "\xc3", "0123456789abcdef"}
	var vals []rowcodec.Value
	for range 3000 {
		var sb strings.Builder
		for range r.IntN(12) {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := sb.String()
		if len(s) > 127 {
			s = s[:127] // one length byte
		}
		// A binary document [s, 1.5, {"k": s}] built by hand (JSONValue
		// would refuse invalid UTF-8).
		doc := jsonArrayDoc(s)
		vals = append(vals, rowcodec.JSONBinaryValue(doc), rowcodec.JSONTextValue([]byte(s)))
		if jv, err := rowcodec.JSONValue([]byte(strconv.Quote(s))); err == nil {
			vals = append(vals, jv)
		}
	}
	vals = append(vals, rowcodec.JSONBinaryValue([]byte{0x02, 5, 0}), rowcodec.JSONBinaryValue(nil), rowcodec.JSONBinaryValue([]byte{0x0c, 9, 'a'}))
	for _, v := range vals {
		for _, opts := range []LiteralOptions{{}, {MariaDB: true}, {NoBackslashEscapes: true}, {MariaDB: true, NoBackslashEscapes: true}} {
			prefix := []byte("x, ")
			got, gerr := AppendLiteral(append([]byte(nil), prefix...), nil, v, opts)
			want, werr := appendJSONLiteralReference(append([]byte(nil), prefix...), v, opts)
			if string(got) != string(want) || fmt.Sprint(gerr) != fmt.Sprint(werr) {
				t.Fatalf("%v %+v: got %q (%v), want %q (%v)", v, opts, got, gerr, want, werr)
			}
		}
	}
}

// jsonArrayDoc returns the binary JSON document of a one-element array
// holding the string s (bytes as they are).
func jsonArrayDoc(s string) []byte {
	str := append([]byte{}, byte(len(s)))
	str = append(str, s...)
	// small array: count, size, one value entry (type, offset), then the string
	size := 2 + 2 + 3 + len(str)
	doc := []byte{0x02, 1, 0, byte(size), byte(size >> 8), 0x0c, 7, 0}
	return append(doc, str...)
}

func TestNeedsEscape(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for range 100000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(0x20 + r.IntN(0x60))
			if r.IntN(30) == 0 {
				b[i] = byte(r.IntN(256))
			}
		}
		want := false
		for _, c := range b {
			want = want || c == 0 || c == '\n' || c == '\r' || c == 0x1a || c == '\'' || c == '\\'
		}
		if got := needsEscape(b); got != want {
			t.Fatalf("needsEscape(%q) = %v, want %v", b, got, want)
		}
		if want && string(rowcodec.AppendQuotedString(nil, b)) == "'"+string(b)+"'" {
			t.Fatalf("%q: AppendQuotedString escapes nothing", b)
		}
		if !want && string(rowcodec.AppendQuotedString(nil, b)) != "'"+string(b)+"'" {
			t.Fatalf("%q: AppendQuotedString escapes something needsEscape missed", b)
		}
	}
}
