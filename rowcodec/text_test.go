package rowcodec

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

func TestAppendSQL(t *testing.T) {
	vc := strCol(event.ColumnTypeVarchar, 40, 45)
	for _, tc := range []struct {
		v    Value
		c    *Column
		want string
	}{
		{Value{}, vc, "NULL"},
		{IntValue(-5), numCol(event.ColumnTypeLong, 0, false), "-5"},
		{UintValue(math.MaxUint64), numCol(event.ColumnTypeLongLong, 0, true), "18446744073709551615"},
		{StringValue([]byte("it's a \\ \x00\n\r\x1a"), 45), vc, `'it''s a \\ \0\n\r\Z'`},
		{BytesValue([]byte{0, 0xff, 'a'}), strCol(event.ColumnTypeVarchar, 20, 63), "X'00ff61'"},
		{YearValue(2069), numCol(event.ColumnTypeYear, 0, false), "2069"},
		{Float64Value(1.5), numCol(event.ColumnTypeDouble, 8, false), "1.5"},
	} {
		got, err := tc.v.AppendSQL([]byte("x="), tc.c)
		if err != nil || string(got) != "x="+tc.want {
			t.Errorf("%+v: %s %v, want %s", tc.v, got, err, tc.want)
		}
	}
}

func TestAppendText(t *testing.T) {
	e := numCol(event.ColumnTypeEnum, 1, false)
	e.EnumValues = [][]byte{[]byte("a"), []byte("b")}
	for _, tc := range []struct {
		v    Value
		c    *Column
		want string
	}{
		{Value{}, nil, "NULL"},
		{EnumValue(2, 1), e, "b"},
		{EnumValue(0, 1), e, ""},
		{EnumValue(2, 1), numCol(event.ColumnTypeEnum, 1, false), "2"},
		{BitValue(5, 3), nil, "101"},
		{StringValue([]byte("it's"), 45), nil, "it's"},
		{IntValue(math.MinInt64), nil, "-9223372036854775808"},
	} {
		got, err := tc.v.AppendText(nil, tc.c)
		if err != nil || string(got) != tc.want {
			t.Errorf("%+v: %q %v, want %q", tc.v, got, err, tc.want)
		}
	}
	if _, err := Absent.AppendText(nil, nil); err == nil {
		t.Error("text of an absent value")
	}
}

// TestAppendMySQLBinlog checks forms taken from the recorded
// mariadb-binlog -vv output.
func TestAppendMySQLBinlog(t *testing.T) {
	for _, tc := range []struct {
		v    Value
		c    *Column
		want string
	}{
		{IntValue(-128), numCol(event.ColumnTypeTiny, 0, false), "-128 (128) /* TINYINT meta=0 nullable=1 is_null=0 */"},
		{UintValue(255), numCol(event.ColumnTypeTiny, 0, true), "-1 (255) /* TINYINT meta=0 nullable=1 is_null=0 */"},
		{UintValue(3230202323), numCol(event.ColumnTypeLongLong, 0, true), "3230202323 /* LONGINT meta=0 nullable=1 is_null=0 */"},
		{Float32Value(math.MaxFloat32), numCol(event.ColumnTypeFloat, 4, false), "3.40282e+38          /* FLOAT meta=4 nullable=1 is_null=0 */"},
		{Float64Value(12345678.9), numCol(event.ColumnTypeDouble, 8, false), "12345678.900000000373 /* DOUBLE meta=8 nullable=1 is_null=0 */"},
		{YearValue(0), numCol(event.ColumnTypeYear, 0, false), "1900 /* YEAR meta=0 nullable=1 is_null=0 */"},
		{SetValue(0x0100, 2), numCol(event.ColumnTypeSet, 2, false), "b'0000000000000001' /* SET(2 bytes) meta=63490 nullable=1 is_null=0 */"},
		{EnumValue(300, 2), &Column{Type: event.ColumnTypeEnum, WireType: event.ColumnTypeString, Meta: 2, Nullable: true}, "300 /* ENUM(2 bytes) meta=63234 nullable=1 is_null=0 */"},
		{BitValue(0xaaa, 12), numCol(event.ColumnTypeBit, 0x104, false), "b'101010101010' /* BIT(12) meta=260 nullable=1 is_null=0 */"},
		{StringValue([]byte("a'\x01\\"), 45), &Column{Type: event.ColumnTypeString, WireType: event.ColumnTypeString, Meta: 1020, Nullable: true}, `'a'\x01\' /* STRING(1020) meta=52988 nullable=1 is_null=0 */`},
		{Value{}, &Column{Type: event.ColumnTypeBlob, WireType: event.ColumnTypeBlob, Meta: 4, Nullable: true}, "NULL /* LONGBLOB/LONGTEXT meta=4 nullable=1 is_null=1 */"},
	} {
		if tc.c.WireType == 0 {
			tc.c.WireType = tc.c.Type
		}
		if tc.c.Type == event.ColumnTypeSet {
			tc.c.WireType = event.ColumnTypeString
		}
		got, err := tc.v.AppendMySQLBinlog(nil, tc.c, event.MariaDB)
		if err != nil || string(got) != tc.want {
			t.Errorf("%+v:\n got %q %v\nwant %q", tc.v, got, err, tc.want)
		}
	}
}

// TestAppendMySQLBinlogMySQL checks the forms mysqlbinlog 9.7 -vv printed
// for the MySQL workload (testdata/workload-mysql.sql) where they differ
// from mariadb-binlog's: quotes, backslashes and control bytes escaped,
// VECTOR as %.5e elements, partial JSON updates on @N.
func TestAppendMySQLBinlogMySQL(t *testing.T) {
	str := &Column{Type: event.ColumnTypeVarchar, WireType: event.ColumnTypeVarchar, Meta: 100, Nullable: true}
	vec := &Column{Type: event.ColumnTypeVector, WireType: event.ColumnTypeVector, Meta: 4, Nullable: true, VectorDims: 3}
	floats := func(fs ...float32) Value {
		var b []byte
		for _, f := range fs {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
		}
		return VectorValue(b)
	}
	all := make([]byte, 0, 40)
	for c := range 0x20 {
		all = append(all, byte(c))
	}
	all = append(all, ' ', 0x7f, 0x80, 0xff, '\\', '\'', '"')
	for _, tc := range []struct {
		v          Value
		c          *Column
		mysql, mdb string
	}{
		{BytesValue(all), str,
			`'\x00\x01\x02\x03\x04\x05\x06\x07\b\t\n\x0b\f\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ` + "\x7f\x80\xff" + `\\\'"' /* VARSTRING(100) meta=100 nullable=1 is_null=0 */`,
			`'\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ` + "\x7f\x80\xff" + `\'"' /* VARSTRING(100) meta=100 nullable=1 is_null=0 */`},
		{StringValue([]byte("it's"), 255), str, `'it\'s' /* VARSTRING(100) meta=100 nullable=1 is_null=0 */`, `'it's' /* VARSTRING(100) meta=100 nullable=1 is_null=0 */`},
		{floats(1.5, -2.25, 3), vec, `[1.50000e+00,-2.25000e+00,3.00000e+00] /* VECTOR(3) meta=4 nullable=1 is_null=0 */`, ""},
		{floats(3.40282e38, -1.17549435e-38, float32(math.Copysign(0, -1))), vec, `[3.40282e+38,-1.17549e-38,-0.00000e+00] /* VECTOR(3) meta=4 nullable=1 is_null=0 */`, ""},
	} {
		got, err := tc.v.AppendMySQLBinlog(nil, tc.c, event.MySQL)
		if err != nil || string(got) != tc.mysql {
			t.Errorf("MySQL:\n got %s %v\nwant %s", got, err, tc.mysql)
		}
		if tc.mdb == "" {
			continue
		}
		got, err = tc.v.AppendMySQLBinlog(nil, tc.c, event.MariaDB)
		if err != nil || string(got) != tc.mdb {
			t.Errorf("MariaDB:\n got %s %v\nwant %s", got, err, tc.mdb)
		}
	}
	// A document that is a string prints without its JSON quotes.
	jcol := &Column{Type: event.ColumnTypeJSON, WireType: event.ColumnTypeJSON, Meta: 4, Nullable: true}
	for text, want := range map[string]string{
		`"it's \"x\""`: `'it\'s "x"' /* JSON meta=4 nullable=1 is_null=0 */`,
		`["it's"]`:     `'["it\'s"]' /* JSON meta=4 nullable=1 is_null=0 */`,
		`12345`:        `'12345' /* JSON meta=4 nullable=1 is_null=0 */`,
	} {
		v, err := JSONValue([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := v.AppendMySQLBinlog(nil, jcol, event.MySQL); err != nil || string(got) != want {
			t.Errorf("JSON %s:\n got %s %v\nwant %s", text, got, err, want)
		}
	}
	// A partial JSON update: mysqlbinlog's calls on @N, one argument group
	// per line.
	jc := &Column{Type: event.ColumnTypeJSON, WireType: event.ColumnTypeJSON, Meta: 4, Nullable: true, Index: 1, Name: []byte("j")}
	num, _ := JSONValue([]byte("3"))
	str2, _ := JSONValue([]byte(`"it's"`))
	diff, err := JSONDiffValue(JSONDiff{Op: JSONDiffReplace, Path: []byte("$.n"), Value: num.Bytes()},
		JSONDiff{Op: JSONDiffReplace, Path: []byte("$.o"), Value: str2.Bytes()},
		JSONDiff{Op: JSONDiffInsert, Path: []byte("$.new"), Value: num.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	got, err := diff.AppendMySQLBinlog(nil, jc, event.MySQL)
	want := "JSON_INSERT(\n###      JSON_REPLACE(@2, '$.n', 3,\n###      '$.o', 'it\\'s'),\n###      '$.new', 3) /* JSON meta=4 nullable=1 is_null=0 */"
	if err != nil || string(got) != want {
		t.Errorf("JSON diff:\n got %s %v\nwant %s", got, err, want)
	}
}

func TestTimestampSeconds(t *testing.T) {
	for _, tc := range []struct {
		sec  int64
		us   int
		fsp  int
		want string
	}{
		{0, 0, 0, "0"},
		{0, 0, 3, "0.000"},
		{2147483647, 999999, 6, "2147483647.999999"},
		{951825600, 0, 0, "951825600"},
	} {
		got := AppendTimestampSeconds(nil, TimestampValue(tc.sec, tc.us, tc.fsp))
		if string(got) != tc.want {
			t.Errorf("%d.%d: %s, want %s", tc.sec, tc.us, got, tc.want)
		}
	}
}

func TestAppendIdent(t *testing.T) {
	tb := &Table{Schema: []byte("db"), Name: []byte("we-ird tab`le ✓")}
	if got := string(tb.AppendName(nil)); got != "`db`.`we-ird tab``le ✓`" {
		t.Errorf("%s", got)
	}
}
