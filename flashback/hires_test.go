package flashback

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
	"github.com/binlogkit/binlogkit/sqlgen"
)

var hiresCols = []binlogtest.Column{
	{Name: "id", Type: event.ColumnTypeLong},
	{Name: "t3", Type: event.ColumnTypeTime, Nullable: true, Precision: 3},
	{Name: "d6", Type: event.ColumnTypeDatetime, Nullable: true, Precision: 6},
	{Name: "s1", Type: event.ColumnTypeTimestamp, Nullable: true, Precision: 1},
}

var (
	hiresRow1 = []rowcodec.Value{rowcodec.IntValue(1), rowcodec.TimeValue(true, 838, 59, 59, 999000, 3),
		rowcodec.DatetimeValue(2024, 1, 2, 3, 4, 5, 123456, 6), rowcodec.TimestampValue(0, 500000, 1)}
	hiresRow2 = []rowcodec.Value{rowcodec.IntValue(2), rowcodec.TimeValue(false, 100, 8, 4, 10000, 3),
		rowcodec.DatetimeValue(9999, 12, 31, 23, 59, 59, 999999, 6), {}}
	hiresRow2b = []rowcodec.Value{rowcodec.IntValue(2), rowcodec.TimeValue(true, 0, 0, 0, 1000, 3),
		rowcodec.DatetimeValue(0, 0, 0, 0, 0, 0, 0, 6), rowcodec.TimestampValue(2147483647, 900000, 1)}
)

// hiresBinlog is a MariaDB binlog of a table in the older temporal formats
// (no precision in its Table_map): two inserts in one event, an update.
func hiresBinlog(t *testing.T) []byte {
	t.Helper()
	s := binlogtest.NewStream(event.MariaDB)
	s.Begin().TableMap(30, "h", "t", hiresCols...).Insert(30, hiresRow1, hiresRow2).XID()
	s.Begin().TableMap(30, "h", "t", hiresCols...).Update(30, rowcodec.Row{Before: hiresRow2, After: hiresRow2b}).XID()
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hiresCatalog(t *testing.T) *schema.Catalog {
	t.Helper()
	cat, err := schema.Parse(strings.NewReader("CREATE TABLE h.t (id INT PRIMARY KEY, t3 TIME(3), d6 DATETIME(6), s1 TIMESTAMP(1) NULL);"))
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// TestHiresNeedsPrecision: rows of MariaDB's older temporal formats are not
// inverted without their precisions (their images' bounds depend on them):
// Add stops with a *rowcodec.PrecisionError naming the table.
func TestHiresNeedsPrecision(t *testing.T) {
	fb, err := New(Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer fb.Close()
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(hiresBinlog(t)), "hires.bin"))
	err = fb.Add(context.Background(), r)
	var pe *rowcodec.PrecisionError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "hires.bin") || !strings.Contains(err.Error(), "h.t") {
		t.Fatalf("Add: %v", err)
	}
}

// TestHiresRollback: with the precisions from a definition, the rollback
// binlog holds the rows inverted byte for byte, and the rollback SQL has
// every fraction.
func TestHiresRollback(t *testing.T) {
	cat := hiresCatalog(t)
	fb, err := New(Options{TempDir: t.TempDir(), Precision: schema.PrecisionSetter(cat)})
	if err != nil {
		t.Fatal(err)
	}
	defer fb.Close()
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(hiresBinlog(t)), "hires.bin"))
	if err := fb.Add(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := fb.WriteBinlog(&out); err != nil {
		t.Fatal(err)
	}
	// Read back as a tool does before reporting success.
	if err := fb.CheckBinlog(context.Background(), binlog.NewStreamSource(bytes.NewReader(out.Bytes()), "rollback.bin")); err != nil {
		t.Fatal(err)
	}
	// Read the rollback back with the precisions: UPDATE 2b→2, then the
	// inserts deleted, row 2 first.
	rr := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(out.Bytes()), "rollback.bin"))
	var tables rowcodec.Tables
	var got [][]rowcodec.Value
	for {
		ev, err := rr.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, ok := ev.Body.(*event.Rows)
		if !ok {
			continue
		}
		tb, err := tables.ForRows(ev)
		if err != nil {
			t.Fatal(err)
		}
		schema.SetPrecisions(tb, mustTable(t, cat, "h", "t"))
		before, after := make([]rowcodec.Value, 4), make([]rowcodec.Value, 4)
		it := tb.Rows(b, before, after)
		for it.Next() {
			if it.Before != nil {
				got = append(got, append([]rowcodec.Value(nil), it.Before...))
			}
			if it.After != nil {
				got = append(got, append([]rowcodec.Value(nil), it.After...))
			}
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
	}
	want := [][]rowcodec.Value{hiresRow2b, hiresRow2, hiresRow2, hiresRow1}
	if len(got) != len(want) {
		t.Fatalf("%d images, want %d", len(got), len(want))
	}
	for i := range want {
		for j := range want[i] {
			if !got[i][j].Equal(want[i][j]) {
				t.Fatalf("image %d column %d: %+v, want %+v", i, j+1, got[i][j], want[i][j])
			}
		}
	}
	var sql bytes.Buffer
	if err := fb.WriteSQL(&sql, sqlgen.New(cat, sqlgen.Options{NoComments: true}), SQLOptions{NoComments: true}); err != nil {
		t.Fatal(err)
	}
	wantSQL := "BEGIN;\nUPDATE `h`.`t` SET `t3`='100:08:04.010', `d6`='9999-12-31 23:59:59.999999', `s1`=NULL WHERE `id`=2;\nCOMMIT;\n" +
		"BEGIN;\nDELETE FROM `h`.`t` WHERE `id`=2;\nDELETE FROM `h`.`t` WHERE `id`=1;\nCOMMIT;\n"
	if sql.String() != wantSQL {
		t.Fatalf("rollback SQL:\n%s\nwant:\n%s", sql.String(), wantSQL)
	}
}

func mustTable(t *testing.T, p schema.Provider, db, name string) *schema.Table {
	t.Helper()
	def, err := p.Table(db, name)
	if err != nil || def == nil {
		t.Fatalf("%s.%s: %v", db, name, err)
	}
	return def
}
