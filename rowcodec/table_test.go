package rowcodec

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/bin"
)

// sharedCorpus is the team's folder of real binlogs (beside the project).
const sharedCorpus = "../../shared/testdata/binlogs"

func sharedFile(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(sharedCorpus, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared corpus file %s absent: %v", name, err)
	}
	return p
}

// col is a column for mkTableMap: wire type, metadata as ColumnMeta packs it,
// nullable.
type col struct {
	typ  event.ColumnType
	meta uint32
	null bool
}

// mkTableMap builds a TABLE_MAP body through its encoder and decoder, so the
// metadata is packed exactly as a server packs it.
func mkTableMap(t testing.TB, cols []col, opts ...event.OptionalField) *event.TableMap {
	t.Helper()
	tm := &event.TableMap{TableID: 42, Schema: []byte("db"), Table: []byte("t"), ColumnCount: uint64(len(cols))}
	tm.NullBitmap = make([]byte, (len(cols)+7)/8)
	for i, c := range cols {
		tm.ColumnTypes = append(tm.ColumnTypes, byte(c.typ))
		tm.Metadata = event.AppendColumnMeta(tm.Metadata, c.typ, c.meta)
		if c.null {
			tm.NullBitmap[i/8] |= 1 << (i % 8)
		}
	}
	if tm.Metadata == nil {
		tm.Metadata = []byte{}
	}
	tm.Optional = opts
	b, err := tm.AppendBody(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := new(event.TableMap)
	if err := out.DecodeBody(nil, event.TableMapEvent, b); err != nil {
		t.Fatal(err)
	}
	return out
}

func packedInts(vs ...uint64) []byte {
	var b []byte
	for _, v := range vs {
		b = bin.AppendPackedInt(b, v)
	}
	return b
}

func packedStrings(ss ...string) []byte {
	var b []byte
	for _, s := range ss {
		b = bin.AppendPackedBytes(b, []byte(s))
	}
	return b
}

func opt(typ event.OptionalFieldType, v []byte) event.OptionalField {
	return event.OptionalField{Type: typ, Value: v}
}

func mustTable(t testing.TB, tm *event.TableMap) *Table {
	t.Helper()
	tb, err := NewTable(tm)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// TestTC22LongCharMetadata covers TESTCASES #22's "long CHAR": CHAR(255)
// utf8mb4 holds up to 1020 bytes, whose length's high bits sit in the type
// byte.
func TestTC22LongCharMetadata(t *testing.T) {
	for _, tc := range []struct {
		meta    uint32
		typ     event.ColumnType
		length  uint32
		lenSize int
	}{
		{0xfe10, event.ColumnTypeString, 16, 1},
		{0xcefc, event.ColumnTypeString, 1020, 2}, // CHAR(255) utf8mb4
		{0xeeff, event.ColumnTypeString, 511, 2},  // 0x1ff
		{0xdeff, event.ColumnTypeString, 767, 2},  // 0x2ff
		{0xfeff, event.ColumnTypeString, 255, 1},  // CHAR(255) latin1
		{0xf701, event.ColumnTypeEnum, 1, 0},
		{0xf702, event.ColumnTypeEnum, 2, 0},
		{0xf808, event.ColumnTypeSet, 8, 0},
	} {
		typ, l := resolveString(tc.meta)
		if typ != tc.typ || l != tc.length {
			t.Errorf("meta %#x: type %d length %d, want %d %d", tc.meta, typ, l, tc.typ, tc.length)
		}
		if back := stringMeta(typ, l); back != tc.meta {
			t.Errorf("meta %#x: re-encoded as %#x", tc.meta, back)
		}
		tb := mustTable(t, mkTableMap(t, []col{{event.ColumnTypeString, tc.meta, true}}))
		c := &tb.Columns[0]
		if c.Type != tc.typ || c.Meta != tc.length || c.rawMeta() != tc.meta {
			t.Errorf("meta %#x: column %+v", tc.meta, c)
		}
		if tc.lenSize != 0 && lengthSize(c) != tc.lenSize {
			t.Errorf("meta %#x: length prefix %d bytes, want %d", tc.meta, lengthSize(c), tc.lenSize)
		}
	}
}

// TestTC13MinimalImageMetadataAligned is TESTCASES #13: optional metadata
// counts only columns of its kind, so a CHAR(2) keeps charset 255 and an
// INT UNSIGNED stays unsigned whatever comes between them.
func TestTC13MinimalImageMetadataAligned(t *testing.T) {
	// t1(col_1 int PK, col_2 blob, col_3 char(2), col_4 int, col_5 int unsigned)
	tm := mkTableMap(t, []col{
		{event.ColumnTypeLong, 0, false},
		{event.ColumnTypeBlob, 2, true},
		{event.ColumnTypeString, 0xfe08, true},
		{event.ColumnTypeLong, 0, true},
		{event.ColumnTypeLong, 0, true},
	},
		opt(event.OptSignedness, []byte{0x20}), // numeric columns 1,4,5: third unsigned
		opt(event.OptDefaultCharset, packedInts(255, 0, 63)),
		opt(event.OptColumnName, packedStrings("col_1", "col_2", "col_3", "col_4", "col_5")),
		opt(event.OptSimplePrimaryKey, packedInts(0)),
	)
	tb := mustTable(t, tm)
	want := []struct {
		name     string
		unsigned bool
		coll     uint16
	}{{"col_1", false, 0}, {"col_2", false, 63}, {"col_3", false, 255}, {"col_4", false, 0}, {"col_5", true, 0}}
	for i, w := range want {
		c := tb.Columns[i]
		if string(c.Name) != w.name || c.Unsigned != w.unsigned || c.Collation != w.coll {
			t.Errorf("column %d: name %q unsigned %v collation %d, want %+v", i, c.Name, c.Unsigned, c.Collation, w)
		}
	}
	if len(tb.PrimaryKey) != 1 || tb.PrimaryKey[0] != 0 || !tb.Columns[0].PrimaryKey {
		t.Errorf("primary key %v", tb.PrimaryKey)
	}
}

// TestTC14HiddenAndTypedArrayColumnsAligned is TESTCASES #14: a TYPED_ARRAY
// column (multi-valued index) and a hidden column sit among the others
// without shifting signedness, charsets, names or visibility.
func TestTC14HiddenAndTypedArrayColumnsAligned(t *testing.T) {
	tm := mkTableMap(t, []col{
		{event.ColumnTypeLong, 0, false},                                           // id
		{event.ColumnTypeTypedArray, uint32(event.ColumnTypeLongLong) << 24, true}, // hidden multi-valued index
		{event.ColumnTypeVarchar, 40, true},                                        // hidden functional column
		{event.ColumnTypeLong, 0, true},                                            // u INT UNSIGNED
		{event.ColumnTypeVarchar, 80, true},                                        // s
	},
		opt(event.OptSignedness, []byte{0x40}),         // numeric: id, u → u unsigned (the array is not counted)
		opt(event.OptColumnCharset, packedInts(45, 8)), // the two VARCHARs
		opt(event.OptColumnName, packedStrings("id", "!hidden!mvi", "!hidden!fn", "u", "s")),
		opt(event.OptColumnVisibility, []byte{0x98}), // 1 0 0 1 1
	)
	tb := mustTable(t, tm)
	c := tb.Columns
	if !c[1].Array || c[1].Type != event.ColumnTypeLongLong || c[1].WireType != event.ColumnTypeTypedArray {
		t.Errorf("typed array column: %+v", c[1])
	}
	if c[0].Unsigned || !c[3].Unsigned || c[1].HasSign {
		t.Errorf("signedness: id %v u %v array %v", c[0].Unsigned, c[3].Unsigned, c[1].HasSign)
	}
	if c[2].Collation != 45 || c[4].Collation != 8 {
		t.Errorf("charsets: %d %d", c[2].Collation, c[4].Collation)
	}
	if string(c[3].Name) != "u" || string(c[4].Name) != "s" {
		t.Errorf("names: %q %q", c[3].Name, c[4].Name)
	}
	if !c[0].Visible || c[1].Visible || c[2].Visible || !c[3].Visible || !c[4].Visible {
		t.Errorf("visibility: %v %v %v %v %v", c[0].Visible, c[1].Visible, c[2].Visible, c[3].Visible, c[4].Visible)
	}
	// A row image that leaves the hidden columns out decodes aligned.
	present := []byte{0x19} // columns 0, 3, 4
	img := []byte{0x00, 7, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 2, 'h', 'i'}
	vals := make([]Value, 5)
	n, err := tb.DecodeRow(img, present, vals)
	if err != nil || n != len(img) {
		t.Fatalf("DecodeRow: %d %v", n, err)
	}
	if vals[0].Int64() != 7 || !vals[1].IsAbsent() || !vals[2].IsAbsent() || vals[3].Kind() != KindUint ||
		vals[3].Uint64() != 0xffffffff || string(vals[4].Bytes()) != "hi" {
		t.Errorf("values %v", vals)
	}
	// A typed array value in an image is reported, not misread.
	if _, err := tb.DecodeRow([]byte{0, 1, 0, 0, 0, 0}, []byte{0x03}, vals); err == nil {
		t.Error("typed array value decoded")
	}
}

func TestOptionalMetadataFields(t *testing.T) {
	tm := mkTableMap(t, []col{
		{event.ColumnTypeString, 0xf701, true}, // ENUM
		{event.ColumnTypeString, 0xf801, true}, // SET
		{event.ColumnTypeGeometry, 4, true},
		{event.ColumnTypeVector, 4, true},
		{event.ColumnTypeString, 0xfe04, false},
		{event.ColumnTypeGeometry, 4, true},
	},
		opt(event.OptEnumStrValue, append(packedInts(2), packedStrings("x", "y")...)),
		opt(event.OptSetStrValue, append(packedInts(3), packedStrings("a", "b", "c")...)),
		opt(event.OptEnumAndSetColumnCharset, packedInts(8, 45)),
		opt(event.OptGeometryType, packedInts(1, 3)),
		opt(event.OptVectorDimensionality, packedInts(3)),
		opt(event.OptPrimaryKeyWithPrefix, packedInts(4, 2)),
		opt(event.OptColumnCharset, packedInts(63)),
	)
	tb := mustTable(t, tm)
	c := tb.Columns
	if len(c[0].EnumValues) != 2 || string(c[0].EnumValues[1]) != "y" || c[0].Collation != 8 {
		t.Errorf("enum: %q %d", c[0].EnumValues, c[0].Collation)
	}
	if len(c[1].SetValues) != 3 || string(c[1].SetValues[2]) != "c" || c[1].Collation != 45 {
		t.Errorf("set: %q %d", c[1].SetValues, c[1].Collation)
	}
	if c[2].GeometryType != 1 || c[5].GeometryType != 3 || c[3].VectorDims != 3 {
		t.Errorf("geometry %d %d vector %d", c[2].GeometryType, c[5].GeometryType, c[3].VectorDims)
	}
	if !c[4].PrimaryKey || c[4].PKPrefix != 2 || len(tb.PrimaryKey) != 1 || tb.PrimaryKey[0] != 4 {
		t.Errorf("primary key %v %+v", tb.PrimaryKey, c[4])
	}
	if c[4].Collation != 63 {
		t.Errorf("char collation %d", c[4].Collation)
	}
	if !c[0].Visible {
		t.Error("visible by default")
	}
	// Member names are owned copies.
	tm.Optional[0].Value[2] = 'Z'
	if string(c[0].EnumValues[0]) != "x" {
		t.Error("enum names alias the table map")
	}
}

// TestDefaultCharsetGeometry: MariaDB counts GEOMETRY among the character
// columns of DEFAULT_CHARSET (its binary collation).
func TestDefaultCharsetGeometry(t *testing.T) {
	// MariaDB: GEOMETRY, VARCHAR; default utf8mb4 (45), exception index 0 → 63.
	tb := mustTable(t, mkTableMap(t, []col{{event.ColumnTypeGeometry, 4, true}, {event.ColumnTypeVarchar, 40, true}},
		opt(event.OptDefaultCharset, packedInts(45, 0, 63))))
	if tb.Columns[1].Collation != 45 || tb.Columns[0].Collation != 63 {
		t.Errorf("MariaDB counting: %d %d", tb.Columns[0].Collation, tb.Columns[1].Collation)
	}
	// MySQL: GEOMETRY, VARCHAR latin1 (exception index 0 = the VARCHAR).
	tb = mustTable(t, mkTableMap(t, []col{{event.ColumnTypeGeometry, 4, true}, {event.ColumnTypeVarchar, 40, true}},
		opt(event.OptDefaultCharset, packedInts(45, 0, 8))))
	if tb.Columns[1].Collation != 8 {
		t.Errorf("MySQL counting: %d", tb.Columns[1].Collation)
	}
	// Only GEOMETRY columns: the default is theirs.
	tb = mustTable(t, mkTableMap(t, []col{{event.ColumnTypeGeometry, 4, true}}, opt(event.OptDefaultCharset, packedInts(63))))
	if tb.Columns[0].Collation != 63 {
		t.Errorf("geometry only: %d", tb.Columns[0].Collation)
	}
}

func TestResetReusesMemory(t *testing.T) {
	tm := mkTableMap(t, []col{{event.ColumnTypeLong, 0, false}, {event.ColumnTypeString, 0xf701, true}, {event.ColumnTypeVarchar, 40, true}},
		opt(event.OptColumnName, packedStrings("id", "e", "v")),
		opt(event.OptEnumStrValue, append(packedInts(2), packedStrings("x", "y")...)),
		opt(event.OptSignedness, []byte{0}),
		opt(event.OptDefaultCharset, packedInts(45)),
		opt(event.OptSimplePrimaryKey, packedInts(0)),
	)
	tb := mustTable(t, tm)
	if a := testing.AllocsPerRun(100, func() {
		if err := tb.Reset(tm); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Errorf("Reset allocates %v times for the same shape", a)
	}
	if string(tb.Columns[2].Name) != "v" || string(tb.Columns[1].EnumValues[1]) != "y" {
		t.Errorf("after reuse: %q %q", tb.Columns[2].Name, tb.Columns[1].EnumValues)
	}
	// A smaller table map clears what the bigger one set.
	tb2 := mkTableMap(t, []col{{event.ColumnTypeVarchar, 10, true}})
	if err := tb.Reset(tb2); err != nil {
		t.Fatal(err)
	}
	if len(tb.Columns) != 1 || tb.Columns[0].Name != nil && len(tb.Columns[0].Name) != 0 || tb.PrimaryKey != nil {
		t.Errorf("after a smaller map: %+v %v", tb.Columns, tb.PrimaryKey)
	}
}

// TestTC13CorpusMinimalRowMetadata checks the README's expectations for
// minimal_row_metadata.000001 (TESTCASES #13, #24).
func TestTC13CorpusMinimalRowMetadata(t *testing.T) {
	path := sharedFile(t, "minimal_row_metadata.000001")
	rows := 0
	rowsEvents(t, path, func(ev *event.Event, r *event.Rows) {
		tb := mustTable(t, ev.Table)
		if string(tb.Name) != "t1" || r.Kind() != event.RowsWrite {
			return
		}
		if tb.Columns[2].Collation != 255 {
			t.Errorf("col_3 collation %d, want 255", tb.Columns[2].Collation)
		}
		after := make([]Value, len(tb.Columns))
		it := tb.Rows(r, nil, after)
		for it.Next() {
			rows++
			if !after[1].IsAbsent() || !after[3].IsAbsent() {
				t.Errorf("col_2/col_4: %v %v, want absent", after[1].Kind(), after[3].Kind())
			}
			if after[4].Kind() != KindUint || after[4].Uint64() != 3230202323 {
				t.Errorf("col_5 = %v %d, want UINT 3230202323", after[4].Kind(), after[4].Uint64())
			}
			if after[2].Kind() != KindString || after[2].Collation() != 255 {
				t.Errorf("col_3 = %v collation %d", after[2].Kind(), after[2].Collation())
			}
		}
		if err := it.Err(); err != nil {
			t.Error(err)
		}
	})
	if rows == 0 {
		t.Error("no rows of t1")
	}
}

// TestTC20CorpusBit checks mysql_type_bit.000001: a = 0b100, b = "foo",
// c = 0b100000 (TESTCASES #20).
func TestTC20CorpusBit(t *testing.T) {
	path := sharedFile(t, "mysql_type_bit.000001")
	rows := 0
	rowsEvents(t, path, func(ev *event.Event, r *event.Rows) {
		tb := mustTable(t, ev.Table)
		vals := make([]Value, len(tb.Columns))
		it := tb.Rows(r, vals, vals)
		for it.Next() {
			rows++
			a, aw := vals[0].Bits()
			c, cw := vals[2].Bits()
			if vals[0].Kind() != KindBit || a != 0b100 || aw != 3 || string(vals[1].Bytes()) != "foo" ||
				c != 0b100000 || cw != 8 {
				t.Errorf("row: %v %d/%d %q %d/%d", vals[0].Kind(), a, aw, vals[1].Bytes(), c, cw)
			}
			sql, err := vals[0].AppendSQL(nil, &tb.Columns[0])
			if err != nil || string(sql) != "b'100'" {
				t.Errorf("SQL %q %v", sql, err)
			}
		}
		if err := it.Err(); err != nil {
			t.Error(err)
		}
	})
	if rows == 0 {
		t.Error("no rows")
	}
}

// TestTC23CorpusVector checks vector.binlog (TESTCASES #23): dimensions 3 and
// 2/4 from the metadata; rows [1.1, 2.2, 3.3] and [1, -1, 0] as float32.
func TestTC23CorpusVector(t *testing.T) {
	path := sharedFile(t, "vector.binlog")
	var got [][]float32
	var dims [][]uint32
	rowsEvents(t, path, func(ev *event.Event, r *event.Rows) {
		tb := mustTable(t, ev.Table)
		var d []uint32
		for _, c := range tb.Columns {
			if c.Type == event.ColumnTypeVector {
				d = append(d, c.VectorDims)
			}
		}
		dims = append(dims, d)
		vals := make([]Value, len(tb.Columns))
		it := tb.Rows(r, vals, vals)
		for it.Next() {
			for _, v := range vals {
				if v.Kind() == KindVector {
					var fs []float32
					for _, f := range v.Float32s() {
						fs = append(fs, f)
					}
					got = append(got, fs)
				}
			}
		}
		if err := it.Err(); err != nil {
			t.Error(err)
		}
	})
	t.Logf("vector dims per rows event: %v; values %v", dims, got)
	want := [][]float32{{1.1, 2.2, 3.3}, {1, -1, 0}}
	for _, w := range want {
		found := false
		for _, g := range got {
			if len(g) == len(w) {
				eq := true
				for i := range g {
					eq = eq && g[i] == w[i]
				}
				found = found || eq
			}
		}
		if !found {
			t.Errorf("vector %v not found in %v", w, got)
		}
	}
	seen3, seen24 := false, false
	for _, d := range dims {
		seen3 = seen3 || len(d) == 1 && d[0] == 3
		seen24 = seen24 || len(d) == 2 && d[0] == 2 && d[1] == 4
	}
	if !seen3 || !seen24 {
		t.Errorf("dimensions %v, want [3] and [2 4]", dims)
	}
}

// TestTableNamesOwned: the Table keeps its names after the event's bytes
// change.
func TestTableNamesOwned(t *testing.T) {
	tm := mkTableMap(t, []col{{event.ColumnTypeLong, 0, false}}, opt(event.OptColumnName, packedStrings("id")))
	tb := mustTable(t, tm)
	tm.Schema[0] = 'X'
	tm.Optional[0].Value[1] = 'X'
	if !bytes.Equal(tb.Schema, []byte("db")) || string(tb.Columns[0].Name) != "id" {
		t.Errorf("names alias the table map: %q %q", tb.Schema, tb.Columns[0].Name)
	}
}

// TestCorpusInvisibleColumns checks binlog-invisible-columns.000001:
// t1 (f1 INT UNSIGNED INVISIBLE, f2 INT UNSIGNED INVISIBLE, f3 INT, f4 TEXT,
// f5 BLOB, f6 BIGINT UNSIGNED INVISIBLE).
func TestCorpusInvisibleColumns(t *testing.T) {
	path := sharedFile(t, "binlog-invisible-columns.000001")
	n := 0
	rowsEvents(t, path, func(ev *event.Event, r *event.Rows) {
		tb := mustTable(t, ev.Table)
		n++
		c := tb.Columns
		if len(c) != 6 || c[0].Visible || c[1].Visible || !c[2].Visible || !c[3].Visible || !c[4].Visible || c[5].Visible {
			t.Fatalf("visibility %+v", c)
		}
		if !c[0].Unsigned || !c[1].Unsigned || c[2].Unsigned || !c[5].Unsigned {
			t.Errorf("signedness")
		}
		if stringKind(&c[3]) != KindString || stringKind(&c[4]) != KindBytes {
			t.Errorf("TEXT %v BLOB %v", stringKind(&c[3]), stringKind(&c[4]))
		}
	})
	if n == 0 {
		t.Error("no rows events")
	}
}
