package rowcodec

import (
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
		got, err := tc.v.AppendMySQLBinlog(nil, tc.c)
		if err != nil || string(got) != tc.want {
			t.Errorf("%+v:\n got %q %v\nwant %q", tc.v, got, err, tc.want)
		}
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
