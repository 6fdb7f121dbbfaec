// Package clitest writes the small binlogs the tools' tests read their
// selection flags against: the scene of a recovery, two MariaDB files of one
// server in which a DBA looks for a mistake by position, time, table and
// GTID. It is for tests only.
package clitest

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// Scene is two MariaDB binlog files, mysql-bin.000001 and mysql-bin.000002,
// written at Start (10:43:00 UTC, 18:43:00 in Asia/Shanghai) to End
// (10:44:00 UTC):
//
//	mysql-bin.000001  0-1-1  CREATE TABLE shop.orders
//	                  0-1-2  INSERT INTO orders (1 row), annotated
//	                  ROTATE to mysql-bin.000002
//	mysql-bin.000002  0-1-3  CREATE TABLE shop.users
//	                  0-1-4  INSERT INTO users (20 rows), annotated
//	                  0-1-5  INSERT INTO orders (3 rows), annotated
//	                  0-1-6  DELETE FROM orders (2 rows, the mistake), annotated, at End
//
// The second file is the larger: the positions of its last transactions
// lie past the end of the first.
type Scene struct {
	Dir   string
	Files []string // the two paths, in order
	Size1 uint64   // the first file's size
	// Pos holds the position of each transaction (its GTID event) by GTID.
	Pos        map[string]uint64
	Start, End time.Time
}

// Write writes the scene into a temporary directory of t.
func Write(t testing.TB) *Scene {
	t.Helper()
	sc := &Scene{Dir: t.TempDir(), Pos: map[string]uint64{},
		Start: time.Date(2026, 11, 21, 10, 43, 0, 0, time.UTC)}
	sc.End = sc.Start.Add(time.Minute)
	orders := []binlogtest.Column{{Name: "id", Type: event.ColumnTypeLong}, {Name: "item", Type: event.ColumnTypeVarchar, Meta: 80}}
	users := []binlogtest.Column{{Name: "id", Type: event.ColumnTypeLong}, {Name: "name", Type: event.ColumnTypeVarchar, Meta: 200}}
	row := func(id int64, s string) []rowcodec.Value {
		return []rowcodec.Value{rowcodec.IntValue(id), rowcodec.BytesValue([]byte(s))}
	}
	s := binlogtest.NewStream(event.MariaDB).SetTime(sc.Start)
	tx := func(s *binlogtest.Stream) {
		sc.Pos[nextGTID(s)] = s.Pos()
	}
	tx(s)
	s.DDL("shop", "CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(20))")
	tx(s)
	s.Begin().Event(&event.MariaAnnotateRows{Query: []byte("INSERT INTO orders VALUES (1, 'tea')")}).
		TableMap(10, "shop", "orders", orders...).Insert(10, row(1, "tea")).XID()
	s.Rotate("mysql-bin.000002")
	f1, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	sc.Size1 = uint64(len(f1))

	s = s.NextFile().SetTime(sc.Start.Add(10 * time.Second))
	tx(s)
	s.DDL("shop", "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(50))")
	var rows [][]rowcodec.Value
	for i := range 20 {
		rows = append(rows, row(int64(i+1), "user number "+strings.Repeat("x", i)))
	}
	tx(s)
	s.Begin().Event(&event.MariaAnnotateRows{Query: []byte("INSERT INTO users SELECT * FROM staging.users")}).
		TableMap(11, "shop", "users", users...).Insert(11, rows...).XID()
	tx(s)
	s.SetTime(sc.Start.Add(30*time.Second)).Begin().Event(&event.MariaAnnotateRows{Query: []byte("INSERT INTO orders VALUES (2, 'coffee'), (3, 'milk'), (4, 'sugar')")}).
		TableMap(10, "shop", "orders", orders...).Insert(10, row(2, "coffee"), row(3, "milk"), row(4, "sugar")).XID()
	tx(s)
	s.SetTime(sc.End).Begin().Event(&event.MariaAnnotateRows{Query: []byte("DELETE FROM orders WHERE id > 2")}).
		TableMap(10, "shop", "orders", orders...).Delete(10, row(3, "milk"), row(4, "sugar")).XID()
	f2, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range [][]byte{f1, f2} {
		p := filepath.Join(sc.Dir, "mysql-bin.00000"+string(rune('1'+i)))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		sc.Files = append(sc.Files, p)
	}
	if sc.Pos["0-1-5"] <= sc.Size1 {
		t.Fatalf("clitest: the second file's transactions start before the end of the first (%d <= %d)", sc.Pos["0-1-5"], sc.Size1)
	}
	return sc
}

// nextGTID returns the GTID the stream's next transaction will have.
func nextGTID(s *binlogtest.Stream) string {
	last := s.LastGTID() // "0-1-N"
	i := strings.LastIndexByte(last, '-')
	n := 0
	for _, c := range last[i+1:] {
		n = n*10 + int(c-'0')
	}
	return last[:i+1] + itoa(n+1)
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// CheckUsage fails t unless usage (a tool's -h output) lists every
// selection flag of a cli.Selection with extra as cli.PrintUsage writes it:
// the same names, aliases and help text in every tool.
func CheckUsage(t testing.TB, usage string, extra cli.Extra) {
	t.Helper()
	var sel cli.Selection
	fs := flag.NewFlagSet("selection", flag.ContinueOnError)
	sel.Register(fs, extra)
	var b strings.Builder
	cli.PrintUsage(&b, "", fs, "")
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) < 24 {
		t.Fatalf("clitest: %d lines of selection flags", len(lines))
	}
	for i := 0; i+1 < len(lines); i += 2 {
		entry := lines[i] + "\n" + lines[i+1] + "\n"
		if !strings.Contains(usage, entry) {
			t.Errorf("-h lacks\n%s", entry)
		}
	}
}
