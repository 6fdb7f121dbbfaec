package rowcodec

import (
	"fmt"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

// describe renders every exported field of a Table (nil and empty slices
// alike) for comparing Tables.
func describe(t *Table) string {
	return fmt.Sprintf("%d %q %q %+v %v", t.ID, t.Schema, t.Name, t.Columns, t.PrimaryKey)
}

// resetCols and resetOpts are the Table_map the Reset tests start from: every
// field Reset reads carries a value that the variants below change.
var resetCols = []col{
	{event.ColumnTypeLong, 0, false},
	{event.ColumnTypeVarchar, 160, true},
	{event.ColumnTypeString, 0xf702, true}, // ENUM
	{event.ColumnTypeBit, 0x104, true},
}

func resetOpts() []event.OptionalField {
	return []event.OptionalField{
		opt(event.OptSignedness, []byte{0x80}),
		opt(event.OptColumnCharset, packedInts(45)),
		opt(event.OptColumnName, packedStrings("id", "name", "e", "b")),
		opt(event.OptEnumStrValue, append(packedInts(2), packedStrings("x", "yy")...)),
		opt(event.OptSimplePrimaryKey, packedInts(0)),
	}
}

// TestResetRepeatedMapRebuildsOnChange resets a Table with a Table_map, then
// with an identical copy (the fast path), then with a Table_map that differs
// in one field: the result must always equal a Table built afresh.
func TestResetRepeatedMapRebuildsOnChange(t *testing.T) {
	base := mkTableMap(t, resetCols, resetOpts()...)
	variants := map[string]func() *event.TableMap{
		"table id": func() *event.TableMap { tm := base.Clone(); tm.TableID++; return tm },
		"schema":   func() *event.TableMap { tm := base.Clone(); tm.Schema = []byte("dc"); return tm },
		"table":    func() *event.TableMap { tm := base.Clone(); tm.Table = []byte("u"); return tm },
		"column type": func() *event.TableMap {
			c := append([]col(nil), resetCols...)
			c[0].typ = event.ColumnTypeLongLong
			return mkTableMap(t, c, resetOpts()...)
		},
		"metadata": func() *event.TableMap {
			c := append([]col(nil), resetCols...)
			c[1].meta = 1020
			return mkTableMap(t, c, resetOpts()...)
		},
		"null bitmap": func() *event.TableMap {
			c := append([]col(nil), resetCols...)
			c[0].null = true
			return mkTableMap(t, c, resetOpts()...)
		},
		"optional value": func() *event.TableMap {
			o := resetOpts()
			o[2] = opt(event.OptColumnName, packedStrings("id", "nam", "e", "b"))
			return mkTableMap(t, resetCols, o...)
		},
		"optional type": func() *event.TableMap {
			o := resetOpts()
			o[4] = opt(event.OptPrimaryKeyWithPrefix, packedInts(0, 3))
			return mkTableMap(t, resetCols, o...)
		},
		"optional dropped": func() *event.TableMap { return mkTableMap(t, resetCols, resetOpts()[:4]...) },
		"optional added": func() *event.TableMap {
			return mkTableMap(t, resetCols, append(resetOpts(), opt(event.OptColumnVisibility, []byte{0x40}))...)
		},
		"no optional": func() *event.TableMap { return mkTableMap(t, resetCols) },
	}
	for name, mk := range variants {
		t.Run(name, func(t *testing.T) {
			changed := mk()
			want := describe(mustTable(t, changed))
			if wantBase := describe(mustTable(t, base)); want == wantBase {
				t.Fatalf("the variant builds the same Table as the base:\n%s", want)
			}
			tb := new(Table)
			// Builds counts the Resets that rebuilt: the first, the change,
			// the return to base; not the identical copies.
			wantBuilds := []uint64{1, 1, 2, 2, 3}
			for i, tm := range []*event.TableMap{base, base.Clone(), changed, changed.Clone(), base} {
				if err := tb.Reset(tm); err != nil {
					t.Fatalf("Reset %d: %v", i, err)
				}
				if got := tb.Generation(); got != wantBuilds[i] {
					t.Fatalf("Reset %d: Builds() = %d, want %d", i, got, wantBuilds[i])
				}
				w := want
				if tm == base || i == 1 {
					w = describe(mustTable(t, base))
				}
				if got := describe(tb); got != w {
					t.Fatalf("Reset %d:\n got %s\nwant %s", i, got, w)
				}
			}
		})
	}
}

// TestResetAfterError checks that a Table_map whose optional metadata is
// malformed is reported on every Reset, not only the first.
func TestResetAfterError(t *testing.T) {
	bad := mkTableMap(t, resetCols, opt(event.OptColumnName, []byte{5, 'i', 'd'}))
	tb := new(Table)
	for i := 0; i < 3; i++ {
		if err := tb.Reset(bad); err == nil {
			t.Fatalf("Reset %d: no error for a truncated column name", i)
		}
	}
	good := mkTableMap(t, resetCols, resetOpts()...)
	if err := tb.Reset(good); err != nil {
		t.Fatal(err)
	}
	if got, want := describe(tb), describe(mustTable(t, good)); got != want {
		t.Fatalf("after an error:\n got %s\nwant %s", got, want)
	}
}

// TestResetAlternating resets one Table with Table_maps of two and three
// tables in turn (a table id reused after a restart): the Table must
// always equal a fresh build, Builds must change at every switch, and
// alternating between two must neither rebuild nor allocate.
func TestResetAlternating(t *testing.T) {
	a := mkTableMap(t, resetCols, resetOpts()...)
	bc := append([]col(nil), resetCols...)
	bc[0].typ = event.ColumnTypeLongLong
	b := mkTableMap(t, bc, resetOpts()[:3]...)
	b.Table = []byte("other")
	cc := append([]col(nil), resetCols[:2]...)
	c := mkTableMap(t, cc)
	bad := mkTableMap(t, resetCols, opt(event.OptColumnName, []byte{5, 'i', 'd'}))
	want := map[*event.TableMap]string{}
	for _, tm := range []*event.TableMap{a, b, c} {
		want[tm] = describe(mustTable(t, tm))
	}
	tb := new(Table)
	seq := []*event.TableMap{a, b, a, a, b, b, a, c, a, b, c, c, b, bad, b, a, bad, a, c}
	last := tb.Generation()
	var prev *event.TableMap
	for i, tm := range seq {
		err := tb.Reset(tm)
		if tm == bad {
			if err == nil {
				t.Fatalf("Reset %d: no error for a bad Table_map", i)
			}
			prev = nil
			continue
		}
		if err != nil {
			t.Fatalf("Reset %d: %v", i, err)
		}
		if got := describe(tb); got != want[tm] {
			t.Fatalf("Reset %d:\n got %s\nwant %s", i, got, want[tm])
		}
		if changed := tb.Generation() != last; changed != (tm != prev) {
			t.Fatalf("Reset %d: Builds changed %v, the Table_map changed %v", i, changed, tm != prev)
		}
		last, prev = tb.Generation(), tm
	}
	allocs := testing.AllocsPerRun(100, func() {
		if err := tb.Reset(a); err != nil {
			t.Fatal(err)
		}
		if err := tb.Reset(c); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("alternating Reset: %v allocations, want 0", allocs)
	}
	if got := describe(tb); got != want[c] {
		t.Fatalf("after alternating:\n got %s\nwant %s", got, want[c])
	}
}

// TestResetRepeatedNoAlloc checks that resetting with the Table_map t was
// built from, or a copy of it, does not allocate.
func TestResetRepeatedNoAlloc(t *testing.T) {
	tm := mkTableMap(t, resetCols, resetOpts()...)
	cp := tm.Clone()
	tb := mustTable(t, tm)
	allocs := testing.AllocsPerRun(100, func() {
		if err := tb.Reset(tm); err != nil {
			t.Fatal(err)
		}
		if err := tb.Reset(cp); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("repeated Reset: %v allocations, want 0", allocs)
	}
}

// BenchmarkResetRepeated resets a Table with the Table_map it was built from
// (what a consumer does on the Table_map before each rows event).
func BenchmarkResetRepeated(b *testing.B) {
	tm := mkTableMap(b, resetCols, resetOpts()...)
	cp := tm.Clone()
	tb := mustTable(b, tm)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := tb.Reset(cp); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeRecordedPerTable is BenchmarkDecodeRecorded as a consumer
// does it: one Table per table id, Reset on every rows event's Table_map.
//
//	go test ./rowcodec -run XXX -bench DecodeRecordedPerTable -benchmem
func BenchmarkDecodeRecordedPerTable(b *testing.B) {
	type item struct {
		tm *event.TableMap
		r  *event.Rows
	}
	var items []item
	var size int64
	rows := 0
	tables := map[uint64]*Table{}
	vals := make([]Value, 4096)
	before := make([]Value, 4096)
	decode := func(tm *event.TableMap, r *event.Rows) int {
		tb := tables[tm.TableID]
		if tb == nil {
			tb = new(Table)
			tables[tm.TableID] = tb
		}
		if err := tb.Reset(tm); err != nil {
			b.Fatal(err)
		}
		n := 0
		ri := tb.Rows(r, before, vals)
		for ri.Next() {
			n++
		}
		if ri.Err() != nil {
			b.Fatal(ri.Err())
		}
		return n
	}
	rowsEvents(b, "../testdata/recorded/mariadb-10_11-full.000001", func(ev *event.Event, r *event.Rows) {
		c := ev.Clone() // deep: the views are slices of the mapped file
		items = append(items, item{c.Table, c.Body.(*event.Rows)})
		size += int64(len(r.Data))
		rows += decode(ev.Table, r)
	})
	if rows == 0 {
		b.Skip("no decodable rows")
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, it := range items {
			decode(it.tm, it.r)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// TestDecodeRowIntegerFastPath checks that DecodeRow decodes integer columns
// (decoded inline) exactly as decodeValue does, signed and unsigned, and
// still reports a truncated value.
func TestDecodeRowIntegerFastPath(t *testing.T) {
	types := []event.ColumnType{event.ColumnTypeTiny, event.ColumnTypeShort, event.ColumnTypeInt24,
		event.ColumnTypeLong, event.ColumnTypeLongLong}
	var cols []col
	for _, typ := range types {
		cols = append(cols, col{typ, 0, true}, col{typ, 0, true})
	}
	// Every second column unsigned.
	tm := mkTableMap(t, cols, opt(event.OptSignedness, []byte{0x55, 0x40}))
	tb := mustTable(t, tm)
	vals := make([]Value, len(cols))
	for _, fill := range []byte{0x00, 0x01, 0x7f, 0x80, 0xa5, 0xff} {
		img := []byte{0, 0}
		for _, c := range tb.Columns {
			for k := 0; k < intWidth(c.Type); k++ {
				img = append(img, fill+byte(k))
			}
		}
		n, err := tb.DecodeRow(img, nil, vals)
		if err != nil || n != len(img) {
			t.Fatalf("fill %#x: n %d of %d, %v", fill, n, len(img), err)
		}
		off := 2
		for i := range tb.Columns {
			want, w, err := decodeValue(&tb.Columns[i], img[off:], false)
			if err != nil {
				t.Fatal(err)
			}
			off += w
			if g := vals[i]; g.kind != want.kind || g.flag != want.flag || g.aux != want.aux || g.num != want.num || g.b != nil || want.b != nil {
				t.Errorf("fill %#x column %d: %+v, want %+v", fill, i, vals[i], want)
			}
		}
		if _, err := tb.DecodeRow(img[:len(img)-1], nil, vals); err == nil {
			t.Errorf("fill %#x: no error for a truncated BIGINT", fill)
		}
	}
}

// TestDecodeRowCharFastPath checks that DecodeRow decodes CHAR and VARCHAR
// columns (decoded inline) exactly as decodeValue does, with 1- and 2-byte
// lengths and a binary collation, and still reports truncated values.
func TestDecodeRowCharFastPath(t *testing.T) {
	cols := []col{
		{event.ColumnTypeVarchar, 160, true},
		{event.ColumnTypeVarchar, 1020, true},
		{event.ColumnTypeString, 0xfe0a, true},
		{event.ColumnTypeVarchar, 300, true},
	}
	tm := mkTableMap(t, cols, opt(event.OptColumnCharset, packedInts(45, 63, 8, 0)))
	tb := mustTable(t, tm)
	vals := make([]Value, len(cols))
	for _, s := range []string{"", "a", "dolphin", string(make([]byte, 257))} {
		img := []byte{0}
		for _, c := range tb.Columns {
			v := s
			if c.Meta < 256 && len(v) > 10 {
				v = v[:10]
			}
			img = append(img, byte(len(v)))
			if c.Meta > 255 {
				img = append(img, byte(len(v)>>8))
			}
			img = append(img, v...)
		}
		n, err := tb.DecodeRow(img, nil, vals)
		if err != nil || n != len(img) {
			t.Fatalf("%q: n %d of %d, %v", s, n, len(img), err)
		}
		off := 1
		for i := range tb.Columns {
			want, w, err := decodeValue(&tb.Columns[i], img[off:], false)
			if err != nil {
				t.Fatal(err)
			}
			off += w
			g := vals[i]
			if g.kind != want.kind || g.flag != want.flag || g.aux != want.aux || g.num != want.num ||
				string(g.b) != string(want.b) || cap(g.b) != cap(want.b) || len(g.b) > 0 && &g.b[0] != &want.b[0] {
				t.Errorf("%q column %d: %+v, want %+v", s, i, g, want)
			}
		}
		for cut := 1; cut <= 2; cut++ {
			if _, err := tb.DecodeRow(img[:len(img)-cut], nil, vals); err == nil {
				t.Errorf("%q: no error for an image %d bytes short", s, cut)
			}
		}
	}
}
