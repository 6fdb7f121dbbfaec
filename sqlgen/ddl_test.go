package sqlgen

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

func TestCutStartTransaction(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"CREATE TABLE `t` (\n  `id` int NOT NULL\n) START TRANSACTION ENGINE=InnoDB", "CREATE TABLE `t` (\n  `id` int NOT NULL\n) ENGINE=InnoDB"},
		{"CREATE TABLE t (a VARCHAR(10) DEFAULT ') START TRANSACTION', b INT) start transaction", "CREATE TABLE t (a VARCHAR(10) DEFAULT ') START TRANSACTION', b INT)"},
		{"CREATE TABLE t (id INT) ENGINE=InnoDB", ""},
		{"CREATE TABLE t (id INT) START TRANSACTIONS", ""},
		{"CREATE TABLE `a)b` (id INT COMMENT 'x''y)') START TRANSACTION", "CREATE TABLE `a)b` (id INT COMMENT 'x''y)')"},
	} {
		got, ok := cutStartTransaction([]byte(tc.in))
		if want := tc.want != ""; ok != want || ok && string(got) != tc.want {
			t.Errorf("cutStartTransaction(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

// MySQL 8.0.21+ logs CREATE TABLE … SELECT with GTIDs on as one
// transaction: CREATE TABLE … START TRANSACTION, the rows, the XID. The
// clause is left out of the forward SQL (a client session given it accepts
// only BINLOG statements after it) and the rows are one transaction.
func TestAtomicCreateSelect(t *testing.T) {
	s := binlogtest.NewStream(event.MySQL)
	s.GTID(false).Query("db", "CREATE TABLE `copy` (\n  `id` int NOT NULL\n) START TRANSACTION ENGINE=InnoDB").
		TableMap(70, "db", "copy", binlogtest.Column{Name: "id", Type: event.ColumnTypeLong}).
		Insert(70, []rowcodec.Value{rowcodec.IntValue(1)}, []rowcodec.Value{rowcodec.IntValue(2)}).
		XID()
	raw, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	r := binlog.NewReader(binlog.NewStreamSource(strings.NewReader(string(raw)), "bin.000001"))
	// The stream's own CREATE TABLE says which columns are generated.
	g := New(schema.NewCatalog(), Options{DDL: true, NoComments: true})
	var out []byte
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if out, err = g.AppendEvent(out, ev); err != nil {
			t.Fatal(err)
		}
	}
	want := "USE `db`;\nCREATE TABLE `copy` (\n  `id` int NOT NULL\n) ENGINE=InnoDB;\nBEGIN;\n" +
		"INSERT INTO `db`.`copy` (`id`) VALUES (1);\nINSERT INTO `db`.`copy` (`id`) VALUES (2);\nCOMMIT;\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}
