package sqlgen

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
)

// hiresStream is a MariaDB binlog of a table in the older temporal formats
// (TIME(3), DATETIME(6), TIMESTAMP(1) logged with the old type codes and
// no precision, and a genuine old DATETIME), with its CREATE TABLE in the
// stream when ddl is set: an INSERT, an UPDATE and a DELETE.
func hiresStream(t *testing.T, ddl bool) []byte {
	t.Helper()
	s := binlogtest.NewStream(event.MariaDB)
	if ddl {
		s.DDL("h", "CREATE TABLE t (id INT PRIMARY KEY, t3 TIME(3), d6 DATETIME(6), s1 TIMESTAMP(1) NULL, d0 DATETIME)")
	}
	cols := []binlogtest.Column{
		{Name: "id", Type: event.ColumnTypeLong},
		{Name: "t3", Type: event.ColumnTypeTime, Nullable: true, Precision: 3},
		{Name: "d6", Type: event.ColumnTypeDatetime, Nullable: true, Precision: 6},
		{Name: "s1", Type: event.ColumnTypeTimestamp, Nullable: true, Precision: 1},
		{Name: "d0", Type: event.ColumnTypeDatetime, Nullable: true},
	}
	row1 := []rowcodec.Value{rowcodec.IntValue(1), rowcodec.TimeValue(true, 838, 59, 59, 999000, 3),
		rowcodec.DatetimeValue(2024, 1, 2, 3, 4, 5, 123456, 6), rowcodec.TimestampValue(0, 500000, 1), rowcodec.DatetimeValue(0, 0, 0, 0, 0, 0, 0, 0)}
	row2 := []rowcodec.Value{rowcodec.IntValue(1), rowcodec.TimeValue(false, 100, 8, 4, 10000, 3),
		rowcodec.DatetimeValue(9999, 12, 31, 23, 59, 59, 999999, 6), rowcodec.TimestampValue(2147483647, 900000, 1), rowcodec.DatetimeValue(1000, 1, 1, 0, 0, 0, 0, 0)}
	s.Begin().TableMap(21, "h", "t", cols...).Insert(21, row1).XID()
	s.Begin().TableMap(21, "h", "t", cols...).Update(21, rowcodec.Row{Before: row1, After: row2}).XID()
	s.Begin().TableMap(21, "h", "t", cols...).Delete(21, row2).XID()
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func genAll(t *testing.T, data []byte, g *Generator) (string, error) {
	t.Helper()
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(data), "hires.bin"))
	var out []byte
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			return string(out), nil
		}
		if err != nil {
			t.Fatal(err)
		}
		if out, err = g.AppendEvent(out, ev); err != nil {
			return string(out), err
		}
	}
}

// TestHiresPrecisionFromDDL: the precisions of MariaDB's older temporal
// formats come from the stream's CREATE TABLE (names from the Table_map's
// metadata); the SQL carries every fraction exactly.
func TestHiresPrecisionFromDDL(t *testing.T) {
	out, err := genAll(t, hiresStream(t, true), New(schema.NewCatalog(), Options{NoComments: true}))
	if err != nil {
		t.Fatal(err)
	}
	want := "BEGIN;\nINSERT INTO `h`.`t` (`id`,`t3`,`d6`,`s1`,`d0`) VALUES (1,'-838:59:59.999','2024-01-02 03:04:05.123456','1970-01-01 00:00:00.5','0000-00-00 00:00:00');\nCOMMIT;\n" +
		"BEGIN;\nUPDATE `h`.`t` SET `t3`='100:08:04.010', `d6`='9999-12-31 23:59:59.999999', `s1`='2038-01-19 03:14:07.9', `d0`='1000-01-01 00:00:00' WHERE `id`=1;\nCOMMIT;\n" +
		"BEGIN;\nDELETE FROM `h`.`t` WHERE `id`=1;\nCOMMIT;\n"
	if out != want {
		t.Fatalf("SQL:\n%s\nwant:\n%s", out, want)
	}
}

// TestHiresWithoutPrecision: without a definition (names from the
// Table_map alone), the rows stop with an error naming the file, the
// position, the table and the columns, not with misread values.
func TestHiresWithoutPrecision(t *testing.T) {
	for _, p := range []schema.Provider{nil, schema.NewCatalog(), schema.NewMetadata()} {
		out, err := genAll(t, hiresStream(t, false), New(p, Options{NoComments: true}))
		var pe *rowcodec.PrecisionError
		if !errors.As(err, &pe) || !pe.Unknown() {
			t.Fatalf("%T: got %v (output %q), want a PrecisionError", p, err, out)
		}
		for _, want := range []string{"hires.bin", "position ", "h.t", "column 2 (t3 TIME)", "column 3 (d6 DATETIME)", "column 4 (s1 TIMESTAMP)", "--schema"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%T: error lacks %q: %v", p, want, err)
			}
		}
		if out != "" {
			t.Errorf("%T: output before the error: %q", p, out)
		}
	}
}

// TestHiresPrecisionFromSchemaFile: a schema file of SHOW CREATE TABLE
// text gives the precisions to a stream without the DDL.
func TestHiresPrecisionFromSchemaFile(t *testing.T) {
	cat, err := schema.Parse(strings.NewReader("CREATE DATABASE h; USE h;\nCREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n" +
		"  `t3` time(3) /* mariadb-5.3 */ DEFAULT NULL,\n  `d6` datetime(6) /* mariadb-5.3 */ DEFAULT NULL,\n" +
		"  `s1` timestamp(1) /* mariadb-5.3 */ NULL DEFAULT NULL,\n  `d0` datetime /* mariadb-5.3 */ DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := genAll(t, hiresStream(t, false), New(cat, Options{NoComments: true}))
	if err != nil || !strings.Contains(out, "'2024-01-02 03:04:05.123456'") || !strings.Contains(out, "'2038-01-19 03:14:07.9'") {
		t.Fatalf("%v\n%s", err, out)
	}
}

// TestHiresOtherVersion: a schema whose definition of the table is another
// version (other columns than the Table_map's) gives no precisions, and the
// error says the rows do not fit it rather than that no definition exists.
func TestHiresOtherVersion(t *testing.T) {
	cat, err := schema.Parse(strings.NewReader("CREATE TABLE h.t (id INT PRIMARY KEY, t3 TIME(3), d6 DATETIME(6), s1 TIMESTAMP(1) NULL, d0 DATETIME, extra INT);"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = genAll(t, hiresStream(t, false), New(cat, Options{NoComments: true}))
	var me *MismatchError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "older formats") || me.Table != "h.t" {
		t.Fatalf("got %v, want a MismatchError", err)
	}
}
