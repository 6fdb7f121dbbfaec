package event

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/binlogkit/binlogkit/internal/bin"
)

// corpusEventsOf returns the corpus events of type typ in file, cloned.
func corpusEventsOf(t testing.TB, file string, typ Type) []corpusEvent {
	t.Helper()
	var out []corpusEvent
	walkCorpus(t, func(ev corpusEvent) {
		if ev.File == file && ev.Header.Type == typ {
			ev.Raw = bytes.Clone(ev.Raw)
			ev.Body = ev.Raw[HeaderLen : HeaderLen+len(ev.Body)]
			out = append(out, ev)
		}
	})
	if len(out) == 0 {
		if _, err := os.Stat(sharedCorpus); err != nil {
			t.Skipf("%s is in the shared corpus, absent here (%s)", file, sharedCorpus)
		}
		t.Fatalf("no %v in %s", typ, file)
	}
	return out
}

func decodeTableMap(t testing.TB, f *FormatDescription, b []byte) *TableMap {
	t.Helper()
	var tm TableMap
	if err := tm.DecodeBody(f, TableMapEvent, b); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return &tm
}

func collectInts(p PackedInts, ok bool) []uint64 {
	if !ok {
		return nil
	}
	var out []uint64
	for v := range p.All() {
		out = append(out, v)
	}
	return out
}

func collectStrings(p PackedStrings, ok bool) []string {
	if !ok {
		return nil
	}
	var out []string
	for s := range p.All() {
		out = append(out, string(s))
	}
	return out
}

// reencode checks that b encodes back to exactly want.
func reencode(t testing.TB, b Body, f *FormatDescription, want []byte) {
	t.Helper()
	got, err := b.AppendBody(nil, f)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("re-encoded body differs\n got %x\nwant %x", got, want)
	}
}

// tableMapBody builds a TABLE_MAP body by hand (6-byte table id).
func tableMapBody(id uint64, schema, table string, types, meta, nulls []byte, optional ...[]byte) []byte {
	b := []byte{byte(id), byte(id >> 8), byte(id >> 16), byte(id >> 24), byte(id >> 32), byte(id >> 40), 1, 0}
	b = append(b, byte(len(schema)))
	b = append(append(b, schema...), 0)
	b = append(b, byte(len(table)))
	b = append(append(b, table...), 0)
	b = append(b, byte(len(types)))
	b = append(b, types...)
	b = append(b, byte(len(meta)))
	b = append(b, meta...)
	b = append(b, nulls...)
	for _, o := range optional {
		b = append(b, o...)
	}
	return b
}

// TestTableMapOptionalUnordered is TESTCASES.md #12: optional-metadata
// fields arrive unordered, with 1-, 3-, 4- and 9-byte length encodings and
// an unknown field type; all decode, the unknown one is kept, and the body
// re-encodes byte for byte.
func TestTableMapOptionalUnordered(t *testing.T) {
	types := []byte{3, 15, 254, 254, 242}                    // INT, VARCHAR, CHAR, ENUM (as STRING), VECTOR
	meta := []byte{0x2c, 0x01, 0xfe, 0x08, 0xf7, 0x01, 0x04} // VARCHAR(300), CHAR(2) utf8mb4, ENUM 1 byte, VECTOR
	body := tableMapBody(42, "db", "t", types, meta, []byte{0x1e},
		[]byte{4, 0xfc, 10, 0, 1, 'a', 1, 'b', 1, 'c', 1, 'd', 1, 'e'}, // COLUMN_NAME, 3-byte length
		[]byte{99, 2, 0xde, 0xad},                                      // unknown type 99
		[]byte{1, 0xfe, 1, 0, 0, 0, 0, 0, 0, 0, 0x80},                  // SIGNEDNESS, 9-byte length
		[]byte{13, 0xfd, 1, 0, 0, 3},                                   // VECTOR_DIMENSIONALITY, 4-byte length
		[]byte{6, 5, 1, 3, 'o', 'n', 'e'},                              // ENUM_STR_VALUE
		[]byte{2, 5, 0x21, 0, 0xfc, 0xff, 0},                           // DEFAULT_CHARSET: 33, col 0 → 255
		[]byte{9, 4, 0, 0, 2, 10},                                      // PRIMARY_KEY_WITH_PREFIX
		[]byte{10, 1, 8},                                               // ENUM_AND_SET_DEFAULT_CHARSET
		[]byte{11, 1, 8},                                               // ENUM_AND_SET_COLUMN_CHARSET
		[]byte{7, 0},                                                   // GEOMETRY_TYPE (empty)
		[]byte{5, 0},                                                   // SET_STR_VALUE (empty)
		[]byte{3, 2, 0x21, 0x3f},                                       // COLUMN_CHARSET
		[]byte{12, 1, 0xf8},                                            // COLUMN_VISIBILITY
		[]byte{8, 1, 0},                                                // SIMPLE_PRIMARY_KEY
	)
	f := DefaultFormat()
	tm := decodeTableMap(t, f, body)
	if tm.TableID != 42 || string(tm.Schema) != "db" || string(tm.Table) != "t" || tm.ColumnCount != 5 {
		t.Fatalf("header: %+v", tm)
	}
	if got := []uint32{tm.ColumnMeta(0), tm.ColumnMeta(1), tm.ColumnMeta(2), tm.ColumnMeta(3), tm.ColumnMeta(4)}; !slices.Equal(got, []uint32{0, 300, 0xfe08, 0xf701, 4}) {
		t.Errorf("column metadata %x", got)
	}
	if len(tm.Optional) != 14 || tm.Optional[1].Type != 99 || !bytes.Equal(tm.Optional[1].Value, []byte{0xde, 0xad}) {
		t.Errorf("optional fields: %+v", tm.Optional)
	}
	if got := collectStrings(tm.ColumnNames()); !slices.Equal(got, []string{"a", "b", "c", "d", "e"}) {
		t.Errorf("names %q", got)
	}
	if s, ok := tm.Signedness(); !ok || !bin.BitMSB(s, 0) || bin.BitMSB(s, 1) {
		t.Errorf("signedness %x %v", s, ok)
	}
	if got := collectInts(tm.VectorDimensionality()); !slices.Equal(got, []uint64{3}) {
		t.Errorf("vector dims %v", got)
	}
	lists, _ := tm.EnumStrValues()
	l, ok := lists.Next()
	if !ok || l.Len() != 1 || !slices.Equal(collectStrings(l, true), []string{"one"}) {
		t.Errorf("enum values")
	}
	if _, ok := lists.Next(); ok || lists.Err() != nil {
		t.Errorf("enum values: extra list or error %v", lists.Err())
	}
	dc, ok := tm.DefaultCharset()
	if !ok || dc.Default != 33 {
		t.Errorf("default charset %+v", dc)
	}
	if c, cs, ok := dc.Pairs.Next(); !ok || c != 0 || cs != 255 {
		t.Errorf("default charset pair %d %d %v", c, cs, ok)
	}
	pk, _ := tm.PrimaryKeyWithPrefix()
	var pairs [][2]uint64
	for c, p := range pk.All() {
		pairs = append(pairs, [2]uint64{c, p})
	}
	if !slices.Equal(pairs, [][2]uint64{{0, 0}, {2, 10}}) {
		t.Errorf("pk with prefix %v", pairs)
	}
	if got := collectInts(tm.ColumnCharsets()); !slices.Equal(got, []uint64{33, 63}) {
		t.Errorf("column charsets %v", got)
	}
	if got := collectInts(tm.SimplePrimaryKey()); !slices.Equal(got, []uint64{0}) {
		t.Errorf("simple pk %v", got)
	}
	if v, ok := tm.ColumnVisibility(); !ok || !bin.BitMSB(v, 4) || bin.BitMSB(v, 5) {
		t.Errorf("visibility %x", v)
	}
	if d, ok := tm.EnumAndSetDefaultCharset(); !ok || d.Default != 8 {
		t.Errorf("enum/set default charset %+v", d)
	}
	if got := collectInts(tm.EnumAndSetColumnCharsets()); !slices.Equal(got, []uint64{8}) {
		t.Errorf("enum/set column charsets %v", got)
	}
	if got := collectInts(tm.GeometryTypes()); len(got) != 0 {
		t.Errorf("geometry types %v", got)
	}
	if !tm.Nullable(1) || tm.Nullable(0) {
		t.Errorf("null bitmap")
	}
	reencode(t, tm, f, body)
	c := tm.Clone()
	body[len(body)-1] = 0xaa // a clone must not alias
	reencode(t, c, f, append(body[:len(body)-1:len(body)-1], 0))
}

// TestTableMapMinimalRowMetadata is TESTCASES.md #13: with MINIMAL images the
// metadata iterators stay aligned: col_3 CHAR(2) keeps collation 255 and
// col_5 is the one UNSIGNED numeric column.
func TestTableMapMinimalRowMetadata(t *testing.T) {
	ev := corpusEventsOf(t, "minimal_row_metadata.000001", TableMapEvent)[0]
	tm := decodeTableMap(t, ev.Format, ev.Body)
	if string(tm.Schema) != "noria" || string(tm.Table) != "t1" || !bytes.Equal(tm.ColumnTypes, []byte{3, 252, 254, 3, 3}) {
		t.Fatalf("table map %s.%s %x", tm.Schema, tm.Table, tm.ColumnTypes)
	}
	// BLOB with a 2-byte length; CHAR(2) in utf8mb4: real type STRING, 8 bytes.
	if tm.ColumnMeta(1) != 2 || tm.ColumnMeta(2) != 0xfe08 {
		t.Errorf("metadata %x %x", tm.ColumnMeta(1), tm.ColumnMeta(2))
	}
	// Character columns: col_2 (BLOB, binary) and col_3.
	if got := collectInts(tm.ColumnCharsets()); !slices.Equal(got, []uint64{63, 255}) {
		t.Errorf("column charsets %v", got)
	}
	// Numeric columns: col_1, col_4, col_5.
	s, _ := tm.Signedness()
	if bin.BitMSB(s, 0) || bin.BitMSB(s, 1) || !bin.BitMSB(s, 2) {
		t.Errorf("signedness %x", s)
	}
	if _, ok := tm.SimplePrimaryKey(); ok {
		t.Errorf("MINIMAL metadata has no primary key field")
	}
	reencode(t, tm, ev.Format, ev.Body)
}

// TestTableMapTypedArrayAndHidden is TESTCASES.md #14: a multi-valued index
// adds a TYPED_ARRAY (type 20) column and a functional index a hidden column,
// so a 2-column table is mapped with more columns; the per-column metadata
// and visibility stay aligned.
func TestTableMapTypedArrayAndHidden(t *testing.T) {
	types := []byte{3, 245, byte(ColumnTypeTypedArray), byte(ColumnTypeTypedArray), 15}
	var meta []byte
	meta = AppendColumnMeta(meta, 245, 4)                            // JSON
	meta = AppendColumnMeta(meta, ColumnTypeTypedArray, 8<<24)       // array of BIGINT: element type only
	meta = AppendColumnMeta(meta, ColumnTypeTypedArray, 15<<24|1024) // array of VARCHAR: 3-byte length
	meta = AppendColumnMeta(meta, 15, 40)                            // hidden VARCHAR(10) utf8mb4
	if want := []byte{4, 8, 15, 0, 4, 0, 40, 0}; !bytes.Equal(meta, want) {
		t.Fatalf("metadata %x, want %x", meta, want)
	}
	body := tableMapBody(7, "d", "t", types, meta, []byte{0x1e},
		[]byte{byte(OptColumnVisibility), 1, 0xc0}) // only the 2 real columns are visible
	tm := decodeTableMap(t, DefaultFormat(), body)
	want := []uint32{0, 4, 8 << 24, 15<<24 | 1024, 40}
	for i, w := range want {
		if got := tm.ColumnMeta(i); got != w {
			t.Errorf("column %d metadata %#x, want %#x", i, got, w)
		}
	}
	if typ, arr := tm.ColumnType(3); typ != 15 || !arr {
		t.Errorf("column 3 type %d array %v", typ, arr)
	}
	if typ, arr := tm.ColumnType(1); typ != 245 || arr {
		t.Errorf("column 1 type %d array %v", typ, arr)
	}
	v, _ := tm.ColumnVisibility()
	for i := range 5 {
		if bin.BitMSB(v, i) != (i < 2) {
			t.Errorf("column %d visibility", i)
		}
	}
	reencode(t, tm, DefaultFormat(), body)

	// A metadata block too short for the column types is corrupt.
	bad := tableMapBody(7, "d", "t", types, meta[:5], []byte{0x1e})
	var tm2 TableMap
	if err := tm2.DecodeBody(DefaultFormat(), TableMapEvent, bad); !errors.Is(err, ErrCorrupt) {
		t.Errorf("short metadata: %v", err)
	}
}

func TestTableMapInvisibleColumns(t *testing.T) {
	ev := corpusEventsOf(t, "binlog-invisible-columns.000001", TableMapEvent)[0]
	tm := decodeTableMap(t, ev.Format, ev.Body)
	v, ok := tm.ColumnVisibility()
	if !ok {
		t.Fatal("no COLUMN_VISIBILITY")
	}
	// f1 f2 invisible, f3 f4 f5 visible, f6 invisible.
	for i, want := range []bool{false, false, true, true, true, false} {
		if bin.BitMSB(v, i) != want {
			t.Errorf("f%d visible=%v", i+1, !want)
		}
	}
	if got := collectStrings(tm.ColumnNames()); !slices.Equal(got, []string{"f1", "f2", "f3", "f4", "f5", "f6"}) {
		t.Errorf("names %q", got)
	}
	for _, o := range tm.Optional {
		if o.Type < OptSignedness || o.Type > OptVectorDimensionality {
			t.Errorf("unexpected optional field %v", o.Type)
		}
	}
}

func TestTableMapVector(t *testing.T) {
	evs := corpusEventsOf(t, "vector.binlog", TableMapEvent)
	dims := map[string][]uint64{}
	for _, ev := range evs {
		tm := decodeTableMap(t, ev.Format, ev.Body)
		dims[string(tm.Table)] = collectInts(tm.VectorDimensionality())
		for i, typ := range tm.ColumnTypes {
			if ColumnType(typ) == ColumnTypeVector && tm.ColumnMeta(i) != 4 {
				t.Errorf("%s column %d: VECTOR metadata %d, want 4", tm.Table, i, tm.ColumnMeta(i))
			}
		}
	}
	if !slices.Equal(dims["foo"], []uint64{3}) || !slices.Equal(dims["bar"], []uint64{2, 4}) {
		t.Errorf("dimensions %v", dims)
	}
}

func TestTableMapMariaDB(t *testing.T) {
	ev := corpusEventsOf(t, "mariadb-bin.000001", TableMapEvent)[0]
	tm := decodeTableMap(t, ev.Format, ev.Body)
	if string(tm.Schema) != "toddy_test" || string(tm.Table) != "outbox" {
		t.Fatalf("%s.%s", tm.Schema, tm.Table)
	}
	if got := collectStrings(tm.ColumnNames()); !slices.Equal(got, []string{"id", "topic", "event_type", "event", "created"}) {
		t.Errorf("names %q", got)
	}
	if got := collectInts(tm.SimplePrimaryKey()); !slices.Equal(got, []uint64{0}) {
		t.Errorf("pk %v", got)
	}
	if ColumnType(tm.ColumnTypes[4]) != ColumnTypeTimestamp2 {
		t.Errorf("created type %d", tm.ColumnTypes[4])
	}
}

// TestTableMapShortTableID covers a post-header length of 6: 4-byte table id.
func TestTableMapShortTableID(t *testing.T) {
	f := DefaultFormat().Clone()
	f.PostHeaderLengths[TableMapEvent-1] = 6
	body := []byte{9, 0, 0, 0, 1, 0, 1, 'd', 0, 1, 't', 0, 1, 3, 0, 0}
	tm := decodeTableMap(t, f, body)
	if tm.TableID != 9 || tm.Flags != 1 || tm.ColumnCount != 1 {
		t.Fatalf("%+v", tm)
	}
	reencode(t, tm, f, body)
}

// TestTableMapNoMetadata covers servers that wrote neither metadata nor null
// bitmap.
func TestTableMapNoMetadata(t *testing.T) {
	body := []byte{9, 0, 0, 0, 0, 0, 0, 0, 1, 'd', 0, 1, 't', 0, 2, 15, 3}
	tm := decodeTableMap(t, DefaultFormat(), body)
	if !tm.NoMetadata || tm.ColumnMeta(0) != 0 {
		t.Fatalf("%+v", tm)
	}
	reencode(t, tm, DefaultFormat(), body)
}

func TestTableMapCorrupt(t *testing.T) {
	good := tableMapBody(1, "d", "t", []byte{3}, nil, []byte{0}, []byte{4, 2, 1, 'a'})
	for i := range good {
		var tm TableMap
		err := tm.DecodeBody(DefaultFormat(), TableMapEvent, good[:i])
		if err == nil && i < 14 {
			t.Errorf("cut at %d: no error", i)
		}
	}
	// A column count larger than the body is rejected before any allocation.
	huge := []byte{1, 0, 0, 0, 0, 0, 0, 0, 1, 'd', 0, 1, 't', 0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}
	var tm TableMap
	if err := tm.DecodeBody(DefaultFormat(), TableMapEvent, huge); !errors.Is(err, ErrCorrupt) {
		t.Errorf("huge column count: %v", err)
	}
}

// TestTableMapFabricate builds a table map from its obvious fields.
func TestTableMapFabricate(t *testing.T) {
	tm := &TableMap{TableID: 5, Schema: []byte("s"), Table: []byte("t"), ColumnCount: 2,
		ColumnTypes: []byte{3, 15}, Metadata: AppendColumnMeta(nil, 15, 400), NullBitmap: []byte{2},
		Optional: []OptionalField{{Type: OptColumnName, Value: []byte{2, 'i', 'd', 1, 'v'}}}}
	b, err := tm.AppendBody(nil, DefaultFormat())
	if err != nil {
		t.Fatal(err)
	}
	back := decodeTableMap(t, DefaultFormat(), b)
	if back.ColumnMeta(1) != 400 || !back.Nullable(1) || !slices.Equal(collectStrings(back.ColumnNames()), []string{"id", "v"}) {
		t.Errorf("%+v", back)
	}
}

// TestTableMapCopyToNoAlloc proves that decoding a table map and copying it
// into a TableMap kept across events does not allocate in steady state.
func TestTableMapCopyToNoAlloc(t *testing.T) {
	body := tableMapBody(42, "db", "t", []byte{3, 15, 254}, []byte{0x2c, 0x01, 0xfe, 0x08}, []byte{6},
		[]byte{4, 6, 1, 'a', 1, 'b', 1, 'c'}, []byte{1, 1, 0x80})
	var dec, kept TableMap
	f := DefaultFormat()
	run := func() {
		if err := dec.DecodeBody(f, TableMapEvent, body); err != nil {
			t.Fatal(err)
		}
		dec.CopyTo(&kept)
		if kept.ColumnMeta(1) != 300 {
			t.Fatal("bad copy")
		}
		names, _ := kept.ColumnNames()
		for range names.All() {
		}
	}
	run()
	if n := testing.AllocsPerRun(100, run); n != 0 {
		t.Errorf("%v allocations per decode+CopyTo", n)
	}
}

func BenchmarkTableMapDecode(b *testing.B) {
	body := tableMapBody(42, "db", "table", []byte{3, 15, 254, 252, 246, 18}, []byte{0x2c, 0x01, 0xfe, 0x08, 2, 10, 2, 6}, []byte{0x3e},
		[]byte{4, 18, 2, 'i', 'd', 1, 'a', 1, 'b', 1, 'c', 1, 'd', 2, 't', 's'}, []byte{1, 1, 0x80}, []byte{8, 1, 0})
	var tm, kept TableMap
	f := DefaultFormat()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := tm.DecodeBody(f, TableMapEvent, body); err != nil {
			b.Fatal(err)
		}
		tm.CopyTo(&kept)
	}
}

// TestPackedIteratorsReportMalformed checks that All on a malformed
// sequence yields the values before the bad one and leaves Err set, so that
// a range loop can tell a cut sequence from its end.
func TestPackedIteratorsReportMalformed(t *testing.T) {
	ints := PackedInts{b: []byte{5, 252, 1}} // 5, then a 2-byte integer with one byte
	var got []uint64
	for v := range ints.All() {
		got = append(got, v)
	}
	if !slices.Equal(got, []uint64{5}) || !errors.Is(ints.Err(), ErrCorrupt) {
		t.Errorf("PackedInts: %v, Err %v", got, ints.Err())
	}
	good := PackedInts{b: []byte{5, 6}}
	for range good.All() {
	}
	if good.Err() != nil {
		t.Errorf("PackedInts: Err %v at the end of a good sequence", good.Err())
	}

	pairs := IntPairs{b: []byte{1, 2, 3}}
	n := 0
	for range pairs.All() {
		n++
	}
	if n != 1 || !errors.Is(pairs.Err(), ErrCorrupt) {
		t.Errorf("IntPairs: %d pairs, Err %v", n, pairs.Err())
	}

	strs := PackedStrings{b: []byte{1, 'a', 5, 'b'}, n: -1}
	var ss []string
	for s := range strs.All() {
		ss = append(ss, string(s))
	}
	if !slices.Equal(ss, []string{"a"}) || !errors.Is(strs.Err(), ErrCorrupt) {
		t.Errorf("PackedStrings: %q, Err %v", ss, strs.Err())
	}
}

func TestColumnTypeNames(t *testing.T) {
	for _, c := range []struct {
		t          ColumnType
		str, gostr string
	}{
		{ColumnTypeLong, "LONG", "event.ColumnTypeLong"},
		{ColumnTypeNewDecimal, "NEWDECIMAL", "event.ColumnTypeNewDecimal"},
		{ColumnTypeTimestamp2, "TIMESTAMP2", "event.ColumnTypeTimestamp2"},
		{ColumnTypeDecimal, "DECIMAL", "event.ColumnTypeDecimal"},
		{ColumnType(100), "100", "event.ColumnType(100)"},
	} {
		if got := c.t.String(); got != c.str {
			t.Errorf("%d.String() = %q, want %q", c.t, got, c.str)
		}
		if got := fmt.Sprintf("%#v", c.t); got != c.gostr {
			t.Errorf("%d: %%#v = %q, want %q", c.t, got, c.gostr)
		}
	}
}
