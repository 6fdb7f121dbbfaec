package mask

import (
	"testing"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

func TestTypeMatchers(t *testing.T) {
	const utf8mb4, bin = 45, 63
	cols := map[string]rowcodec.Column{
		"char":       {Type: event.ColumnTypeString, Meta: 40, Collation: utf8mb4},
		"binary":     {Type: event.ColumnTypeString, Meta: 10, Collation: bin},
		"varchar":    {Type: event.ColumnTypeVarchar, Meta: 400, Collation: utf8mb4},
		"varbinary":  {Type: event.ColumnTypeVarchar, Meta: 100, Collation: bin},
		"tinytext":   {Type: event.ColumnTypeBlob, Meta: 1, Collation: utf8mb4},
		"text":       {Type: event.ColumnTypeBlob, Meta: 2, Collation: utf8mb4},
		"mediumtext": {Type: event.ColumnTypeBlob, Meta: 3, Collation: utf8mb4},
		"longtext":   {Type: event.ColumnTypeBlob, Meta: 4, Collation: utf8mb4},
		"tinyblob":   {Type: event.ColumnTypeBlob, Meta: 1, Collation: bin},
		"blob":       {Type: event.ColumnTypeBlob, Meta: 2, Collation: bin},
		"mediumblob": {Type: event.ColumnTypeMediumBlob, Collation: bin},
		"longblob":   {Type: event.ColumnTypeLongBlob, Collation: bin},
		"int":        {Type: event.ColumnTypeLong},
		"bigint":     {Type: event.ColumnTypeLongLong},
		"decimal":    {Type: event.ColumnTypeNewDecimal},
		"datetime":   {Type: event.ColumnTypeDatetime2},
		"json":       {Type: event.ColumnTypeJSON},
		"enum":       {Type: event.ColumnTypeEnum},
	}
	for _, c := range []struct {
		rule string
		want []string
	}{
		{"string", []string{"char", "varchar", "tinytext", "text", "mediumtext", "longtext"}},
		{"bytes", []string{"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"}},
		{"text", []string{"tinytext", "text", "mediumtext", "longtext"}},
		{"tinytext", []string{"tinytext"}},
		{"blob", []string{"tinyblob", "blob", "mediumblob", "longblob"}},
		{"mediumblob", []string{"mediumblob"}},
		{"integer", []string{"int", "bigint"}},
		{"number", []string{"int", "bigint", "decimal"}},
		{"temporal", []string{"datetime"}},
		{"json", []string{"json"}},
		{"enum", []string{"enum"}},
		{"varbinary", []string{"varbinary"}},
	} {
		f := typeMatchers[c.rule]
		want := map[string]bool{}
		for _, w := range c.want {
			want[w] = true
		}
		for name, col := range cols {
			if got := f(&col); got != want[name] {
				t.Errorf("type %s on a %s column: %v", c.rule, name, got)
			}
		}
	}
}

func TestCharsets(t *testing.T) {
	m := mustMasker(t, "key: k\nrules:\n  - column: x\n    action: keep_last\n    keep: 2\n  - value: email\n    action: redact\n")
	r := m.colRules[0].rule
	col := &rowcodec.Column{Type: event.ColumnTypeVarchar, Meta: 200}
	ucs2 := []byte{0, 'a', 0, 'b', 0x4e, 0x2d, 0, 'c'} // "ab中c"
	for _, c := range []struct {
		name      string
		in        rowcodec.Value
		keepLast  string // the column rule's result
		valueRule string // value rules' result ("" when nothing matches)
	}{
		{"latin1", rowcodec.StringValue([]byte("caf\xe9!"), 8), "***\xe9!", ""},
		{"ucs2", rowcodec.StringValue(ucs2, 35), "\x00*\x00*\x4e\x2d\x00c", ""},
		{"utf16le", rowcodec.StringValue([]byte("a\x00@\x00b\x00"), 56), "a\x00@\x00b\x00", ""},
		{"utf32 email", rowcodec.StringValue(utf32("x a@example.com"), 60), string(utf32("* *@*******.*om")), string(utf32("x ***"))},
		{"gbk", rowcodec.StringValue([]byte("\xd6\xd0\xce\xc4ab"), 28), "**ab", ""},
		{"gbk email", rowcodec.StringValue([]byte("\xd6\xd0 a@example.com"), 28), "* *@*******.*om", "* ***"},
		{"binary", rowcodec.BytesValue([]byte("\x00\x01a@example.com")), "***@*******.*om", "\x00\x01***"},
	} {
		got, err := m.maskColumnValue(r, col, c.in)
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Bytes()) != c.keepLast {
			t.Errorf("%s keep_last: got %q, want %q", c.name, got.Bytes(), c.keepLast)
		}
		got, ok, err := m.scanValue(col, c.in)
		if err != nil {
			t.Fatal(err)
		}
		if ok != (c.valueRule != "") || ok && string(got.Bytes()) != c.valueRule {
			t.Errorf("%s value rules: got %q (%v), want %q", c.name, got.Bytes(), ok, c.valueRule)
		}
	}
}

func utf32(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r>>24), byte(r>>16), byte(r>>8), byte(r))
	}
	return b
}

func TestEnumSetBitGeometry(t *testing.T) {
	m := mustMasker(t, "key: k\nrules:\n  - column: x\n    action: hash\n  - column: y\n    action: redact\n  - column: z\n    action: fixed\n    replacement: b\n")
	hash, redact, fixed := m.colRules[0].rule, m.colRules[1].rule, m.colRules[2].rule
	enum := &rowcodec.Column{Type: event.ColumnTypeEnum, EnumValues: [][]byte{[]byte("a"), []byte("b"), []byte("c")}}
	set := &rowcodec.Column{Type: event.ColumnTypeSet, SetValues: [][]byte{[]byte("a"), []byte("b")}}
	bit := &rowcodec.Column{Type: event.ColumnTypeBit, Meta: 5}
	geo := &rowcodec.Column{Type: event.ColumnTypeGeometry, Meta: 4}
	check := func(name string, got rowcodec.Value, err error, ok func(v rowcodec.Value) bool) {
		t.Helper()
		if err != nil || !ok(got) {
			t.Errorf("%s: got %v (%v)", name, got, err)
		}
	}
	v, err := m.maskColumnValue(hash, enum, rowcodec.EnumValue(3, 1))
	check("enum hash", v, err, func(v rowcodec.Value) bool { return v.EnumIndex() >= 1 && v.EnumIndex() <= 3 })
	v, err = m.maskColumnValue(redact, enum, rowcodec.EnumValue(3, 1))
	check("enum redact", v, err, func(v rowcodec.Value) bool { return v.EnumIndex() == 1 })
	v, err = m.maskColumnValue(fixed, enum, rowcodec.EnumValue(3, 1))
	check("enum fixed", v, err, func(v rowcodec.Value) bool { return v.EnumIndex() == 2 })
	v, err = m.maskColumnValue(hash, set, rowcodec.SetValue(3, 1))
	check("set hash", v, err, func(v rowcodec.Value) bool { return v.SetBits() < 4 })
	v, err = m.maskColumnValue(redact, set, rowcodec.SetValue(3, 1))
	check("set redact", v, err, func(v rowcodec.Value) bool { return v.SetBits() == 0 })
	v, err = m.maskColumnValue(hash, bit, rowcodec.BitValue(31, 5))
	check("bit hash", v, err, func(v rowcodec.Value) bool { b, w := v.Bits(); return b < 32 && w == 5 })
	v, err = m.maskColumnValue(redact, bit, rowcodec.BitValue(31, 5))
	check("bit redact", v, err, func(v rowcodec.Value) bool { b, _ := v.Bits(); return b == 0 })
	pt := rowcodec.GeometryValue(rowcodec.AppendGeometry(nil, 4326, []byte{1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x24, 0x40, 0, 0, 0, 0, 0, 0, 0x24, 0x40}))
	v, err = m.maskColumnValue(redact, geo, pt)
	check("geometry", v, err, func(v rowcodec.Value) bool {
		return v.SRID() == 4326 && string(v.Bytes()[4:]) == "\x01\x01\x00\x00\x00"+string(make([]byte, 16))
	})
}

// TestColumnNamesFollowDDL: names from WithColumnNames are asked again
// for every rows event, so a renamed column is followed.
func TestColumnNamesFollowDDL(t *testing.T) {
	names := []string{"id", "secret"}
	cfg, _ := ParseRules([]byte("rules:\n  - column: users.secret\n    action: redact\n"))
	m, err := New(cfg, WithColumnNames(func(db, table string) []string { return names }))
	if err != nil {
		t.Fatal(err)
	}
	tm := &event.TableMap{TableID: 1, Schema: []byte("shop"), Table: []byte("users"), ColumnCount: 2,
		ColumnTypes: []byte{byte(event.ColumnTypeLong), byte(event.ColumnTypeVarchar)}, Metadata: []byte{20, 0}, NullBitmap: []byte{0}}
	ev := &event.Event{Header: event.Header{Type: event.WriteRowsEventV2}, Body: &event.Rows{Type: event.WriteRowsEventV2, TableID: 1}, Table: tm}
	p, err := m.planFor(ev)
	if err != nil || p.cols[1] == nil {
		t.Fatalf("plan %+v, err %v", p, err)
	}
	names = []string{"id", "public"}
	p, err = m.planFor(ev)
	if err != nil || p.cols[1] != nil {
		t.Fatalf("after rename: cols %v, err %v", p.cols, err)
	}
}
