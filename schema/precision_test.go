package schema

import (
	"testing"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// precisions returns each column's Precision.
func precisions(t *Table) []int {
	var out []int
	for _, c := range t.Columns {
		out = append(out, c.Precision)
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCatalogPrecision: the fractional-seconds precision of TIME,
// DATETIME and TIMESTAMP columns from CREATE TABLE (MariaDB's SHOW CREATE
// TABLE text of a table in its older formats included), followed through
// ALTER TABLE.
func TestCatalogPrecision(t *testing.T) {
	c := NewCatalog()
	ddlApply(t, c, "h", "CREATE TABLE t (id INT PRIMARY KEY, t3 TIME(3), t6 time(6), d2 DATETIME(2), d6 DATETIME(6), "+
		"s3 TIMESTAMP(3) NULL, s6 TIMESTAMP(6) NULL, d0 DATETIME, t0 TIME(0), ts TIMESTAMP NULL, dt DATE, y YEAR, n DECIMAL(10,3))")
	if got, want := precisions(ddlTable(t, c, "h", "t")), []int{0, 3, 6, 2, 6, 3, 6, 0, 0, 0, 0, 0, 0}; !equalInts(got, want) {
		t.Fatalf("precisions %v, want %v", got, want)
	}
	// As SHOW CREATE TABLE (and mariadb-dump) print a table of the older
	// formats.
	ddlApply(t, c, "h", "CREATE TABLE `old` (\n  `id` int(11) NOT NULL,\n  `t3` time(3) /* mariadb-5.3 */ DEFAULT NULL,\n"+
		"  `d6` datetime(6) /* mariadb-5.3 */ DEFAULT NULL,\n  `s1` timestamp(1) /* mariadb-5.3 */ NULL DEFAULT NULL,\n"+
		"  `d0` datetime /* mariadb-5.3 */ DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci")
	if got, want := precisions(ddlTable(t, c, "h", "old")), []int{0, 3, 6, 1, 0}; !equalInts(got, want) {
		t.Fatalf("SHOW CREATE TABLE text: precisions %v, want %v", got, want)
	}
	v1 := ddlTable(t, c, "h", "old")
	ddlApply(t, c, "h", "ALTER TABLE old MODIFY t3 TIME(5), CHANGE d6 d4 DATETIME(4), ADD COLUMN s6 TIMESTAMP(6) NULL AFTER id")
	if got, want := precisions(ddlTable(t, c, "h", "old")), []int{0, 6, 5, 4, 1, 0}; !equalInts(got, want) {
		t.Fatalf("after ALTER: precisions %v, want %v", got, want)
	}
	if got, want := precisions(v1), []int{0, 3, 6, 1, 0}; !equalInts(got, want) {
		t.Fatalf("the version before ALTER changed: %v", got)
	}
}

func TestTypePrecision(t *testing.T) {
	for typ, want := range map[string]int{
		"time": 0, "time(3)": 3, "TIME(6)": 6, "datetime(2) /* mariadb-5.3 */": 2, "timestamp(1)": 1,
		"datetime /* mariadb-5.3 */": 0, "timestamp": 0, "int(11)": 0, "date": 0, "time(7)": -1, "time(x)": -1,
		"decimal(10,3)": 0, "tinytext": 0,
	} {
		if got := typePrecision(typ); got != want {
			t.Errorf("typePrecision(%q) = %d, want %d", typ, got, want)
		}
	}
}

// TestSetPrecisions: the precisions of a definition reach the old-type
// temporal columns of a rows event's Table; a definition of another shape,
// or a column of unknown precision, changes nothing.
func TestSetPrecisions(t *testing.T) {
	tm := &event.TableMap{TableID: 3, Schema: []byte("h"), Table: []byte("t"), ColumnCount: 4,
		ColumnTypes: []byte{byte(event.ColumnTypeLong), byte(event.ColumnTypeTime), byte(event.ColumnTypeDatetime), byte(event.ColumnTypeTimestamp)},
		NullBitmap:  []byte{0x0e}}
	tb, err := rowcodec.NewTable(tm)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCatalog()
	ddlApply(t, c, "h", "CREATE TABLE t (id INT, a TIME(3), b DATETIME, c TIMESTAMP(6))", "CREATE TABLE short (id INT, a TIME(3))")
	SetPrecisions(tb, ddlTable(t, c, "h", "short"))
	if !tb.NeedsPrecision() {
		t.Fatal("a definition of another shape gave precisions")
	}
	def := ddlTable(t, c, "h", "t")
	unknown := &Table{Columns: append([]Column(nil), def.Columns...)}
	unknown.Columns[1].Precision = rowcodec.PrecisionUnknown
	SetPrecisions(tb, unknown)
	if got := []int{tb.Columns[1].Precision, tb.Columns[2].Precision, tb.Columns[3].Precision}; !equalInts(got, []int{-1, 0, 6}) {
		t.Fatalf("precisions %v", got)
	}
	set := PrecisionSetter(c)
	if err := set(tb); err != nil {
		t.Fatal(err)
	}
	if got := []int{tb.Columns[1].Precision, tb.Columns[2].Precision, tb.Columns[3].Precision}; !equalInts(got, []int{3, 0, 6}) || tb.NeedsPrecision() {
		t.Fatalf("precisions %v", got)
	}
	if err := PrecisionSetter(nil)(tb); err != nil {
		t.Fatal(err)
	}
}

// TestMetadataPrecisionUnknown: Table_map metadata does not give the
// precision of the old temporal types.
func TestMetadataPrecisionUnknown(t *testing.T) {
	m := NewMetadata()
	tb := &rowcodec.Table{Schema: []byte("h"), Name: []byte("t"), Columns: []rowcodec.Column{
		{Name: []byte("id"), Type: event.ColumnTypeLong, Visible: true},
		{Name: []byte("a"), Type: event.ColumnTypeTime, Visible: true, Precision: rowcodec.PrecisionUnknown},
	}}
	m.Observe(tb)
	def, _ := m.Table("h", "t")
	if def == nil || def.Columns[1].Precision != rowcodec.PrecisionUnknown {
		t.Fatalf("metadata definition %+v", def)
	}
}
