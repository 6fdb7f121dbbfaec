package rowcodec

import (
	"encoding/binary"
	"testing"
)

func quoteForTest(dst, s []byte) []byte { return AppendQuotedString(dst, s) }

// jsonOpaqueDoc builds the binary document [5 (uint16), opaque, "s"] with
// the opaque value of field type ft and bytes data.
func jsonArrayWithOpaque(ft byte, data []byte) []byte {
	opaque := append([]byte{ft, byte(len(data))}, data...)
	str := []byte{1, 's'}
	size := 4 + 3*3 + len(opaque) + len(str)
	doc := []byte{jsonSmallArray}
	doc = binary.LittleEndian.AppendUint16(doc, 3)
	doc = binary.LittleEndian.AppendUint16(doc, uint16(size))
	doc = append(doc, jsonUint16, 5, 0)
	doc = append(doc, jsonOpaque)
	doc = binary.LittleEndian.AppendUint16(doc, 4+9)
	doc = append(doc, jsonString)
	doc = binary.LittleEndian.AppendUint16(doc, uint16(4+9+len(opaque)))
	doc = append(doc, opaque...)
	return append(doc, str...)
}

func TestAppendJSONSQL(t *testing.T) {
	date := make([]byte, 8)
	ymd := uint64((2012*13+3)<<5 | 18)
	binary.LittleEndian.PutUint64(date, ymd<<17<<24)
	d, err := DecimalValue("9.00", 5, 2)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := appendDecimal(nil, &Column{Type: 246, Meta: 5<<8 | 2}, d)
	if err != nil {
		t.Fatal(err)
	}
	text := func(s string) Value {
		v, err := JSONValue([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		v     Value
		exact bool
		want  string
	}{
		{text(`{"a": [1, -2.5, "it's", null, true], "b": 18446744073709551615}`), true, `CAST('{"a": [1, -2.5, "it''s", null, true], "b": 18446744073709551615}' AS JSON)`},
		{JSONBinaryValue(jsonArrayWithOpaque(jsonOpaqueDate, date)), false, `JSON_ARRAY(CAST(5 AS UNSIGNED), CAST('2012-03-18' AS DATE), 's')`},
		{JSONBinaryValue(jsonArrayWithOpaque(jsonOpaqueDatetime, date)), false, `JSON_ARRAY(CAST(5 AS UNSIGNED), CAST('2012-03-18 00:00:00.000000' AS DATETIME(6)), 's')`},
		{JSONBinaryValue(jsonArrayWithOpaque(jsonOpaqueNewDecimal, append([]byte{5, 2}, dec...))), false, `JSON_ARRAY(CAST(5 AS UNSIGNED), CAST('9.00' AS DECIMAL(5,2)), 's')`},
		{JSONBinaryValue(jsonArrayWithOpaque(15, []byte{1, 2})), false, `JSON_ARRAY(CAST(5 AS UNSIGNED), X'0102', 's')`},
		{JSONBinaryValue(append([]byte{jsonUint16}, 7, 0)), false, `CAST(CAST(7 AS UNSIGNED) AS JSON)`},
	} {
		if got := tc.v.JSONTextExact(); got != tc.exact {
			t.Errorf("JSONTextExact(%s) = %v", tc.want, got)
		}
		got, err := AppendJSONSQL(nil, tc.v, quoteForTest)
		if err != nil || string(got) != tc.want {
			t.Errorf("AppendJSONSQL = %s, %v; want %s", got, err, tc.want)
		}
	}
	// An object with a double and an int64 built around an opaque value.
	obj := text(`{"d": 1.5, "i": -9223372036854775808}`)
	root, err := jsonParseDoc(obj.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got, err := root.appendSQL(nil, quoteForTest)
	if want := `JSON_OBJECT('d', 1.5e+00, 'i', CAST('-9223372036854775808' AS SIGNED))`; err != nil || string(got) != want {
		t.Errorf("got %s, %v; want %s", got, err, want)
	}
	if _, err := AppendJSONSQL(nil, JSONBinaryValue([]byte{jsonSmallArray, 9}), quoteForTest); err == nil {
		t.Error("a truncated document gave no error")
	}
}
