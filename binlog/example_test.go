package binlog_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// sampleBinlog fabricates a small MariaDB binlog in memory with the Writer:
// two transactions (of a non-transactional engine, committed by a COMMIT
// query) and a DDL statement.
func sampleBinlog() []byte {
	var buf bytes.Buffer
	fd := event.NewFormatDescription("10.11.19-MariaDB-log", event.ChecksumCRC32)
	h := event.Header{Timestamp: 1763721000, ServerID: 1}
	w := binlog.NewWriter(&buf)
	if err := w.WriteBody(h, fd); err != nil {
		log.Fatal(err)
	}
	seq := uint64(0)
	tx := func(stmts ...string) {
		seq++
		w.WriteBody(h, &event.MariaGTID{SeqNo: seq})
		for _, s := range stmts {
			w.WriteBody(h, &event.Query{Schema: []byte("shop"), Query: []byte(s)})
		}
	}
	tx("INSERT INTO t VALUES (1)", "COMMIT") // a MariaDB GTID event stands for BEGIN
	tx("UPDATE t SET v = 2", "COMMIT")
	seq++
	w.WriteBody(h, &event.MariaGTID{SeqNo: seq, Flags: event.MariaGTIDStandalone})
	w.WriteBody(h, &event.Query{Schema: []byte("shop"), Query: []byte("ALTER TABLE t ADD COLUMN w INT")})
	return buf.Bytes()
}

func ExampleReader_Next() {
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(sampleBinlog()), "mem"))
	ctx := context.Background()
	for {
		ev, err := r.Next(ctx)
		if err != nil {
			break // io.EOF at the clean end; otherwise a *binlog.Error
		}
		switch b := ev.Body.(type) {
		case *event.Query:
			fmt.Printf("%d %s: %s\n", ev.Pos, ev.Header.Type, b.Query)
		default:
			fmt.Printf("%d %s\n", ev.Pos, ev.Header.Type)
		}
	}
	// Output:
	// 4 FORMAT_DESCRIPTION_EVENT
	// 256 GTID_EVENT
	// 298 QUERY_EVENT: INSERT INTO t VALUES (1)
	// 363 QUERY_EVENT: COMMIT
	// 410 GTID_EVENT
	// 452 QUERY_EVENT: UPDATE t SET v = 2
	// 511 QUERY_EVENT: COMMIT
	// 558 GTID_EVENT
	// 600 QUERY_EVENT: ALTER TABLE t ADD COLUMN w INT
}

func ExampleReader_Transactions() {
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(sampleBinlog()), "mem"))
	for tx, err := range r.Transactions(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		n := 0
		for _, err := range tx.Events() {
			if err != nil {
				log.Fatal(err)
			}
			n++
		}
		if tx.HasGTID {
			fmt.Printf("%s at %d..%d: %d events, complete %v\n", tx.GTID, tx.Pos, tx.EndPos, n, tx.Complete)
		} else {
			fmt.Printf("no GTID at %d: %d events\n", tx.Pos, n)
		}
	}
	// Output:
	// no GTID at 4: 1 events
	// 0-1-1 at 256..410: 3 events, complete true
	// 0-1-2 at 410..558: 3 events, complete true
	// 0-1-3 at 558..671: 2 events, complete true
}

func ExampleGTIDFilter() {
	// 0-1-1..3 names three transactions; 0-1-1,0-1-3 two of them.
	include, err := binlog.ParseGTIDSelection("0-1-1..3")
	if err != nil {
		log.Fatal(err)
	}
	exclude, _ := binlog.ParseGTIDSelection("0-1-1,0-1-3")
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(sampleBinlog()), "mem"),
		binlog.WithFilters(&binlog.GTIDFilter{Include: include, Exclude: exclude}, binlog.Types(event.QueryEvent)))
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s\n", ev.Body.(*event.Query).Query)
	}
	// Output:
	// UPDATE t SET v = 2
	// COMMIT
}

func ExampleParseGTIDSet() {
	s, err := binlog.ParseGTIDSet("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:7, 3e11fa47-71ca-11e1-9e33-c80aa9429562:6:tag_a:1-3")
	if err != nil {
		log.Fatal(err)
	}
	g, _ := binlog.ParseGTID("3e11fa47-71ca-11e1-9e33-c80aa9429562:tag_a:2")
	fmt.Println(s)
	fmt.Println(s.Contains(g))
	// Output:
	// 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-7:tag_a:1-3
	// true
}

// ExampleReader_Events is the loop of the README: open a file, read its
// events from a position on, and look at each one's body.
func ExampleReader_Events() {
	src, err := binlog.OpenFile("../testdata/recorded/mariadb-10_11-full.000003")
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	r := binlog.NewReader(src, binlog.WithFilters(&binlog.PositionRange{Start: 351, Stop: 640}))
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			log.Fatal(err) // *binlog.Error: "FILE: at byte N (TYPE): what was wrong"
		}
		fmt.Println(ev.Pos, ev.Header.Type) // ev.Body is *event.Query, *event.TableMap, *event.Rows, …
	}
	// Output:
	// 351 GTID_EVENT
	// 393 ANNOTATE_ROWS_EVENT
	// 454 TABLE_MAP_EVENT
	// 521 WRITE_ROWS_EVENT_V1
	// 567 XID_EVENT
	// 598 GTID_EVENT
}

// ExampleCopy writes the events of one table to a new binlog file: a
// Writer is a Sink, so Copy through a TableFilter is a filtered copy that
// mysqlbinlog and the Reader read like any binlog.
func ExampleCopy() {
	src, err := binlog.OpenFile("../testdata/recorded/mariadb-10_11-full.000001")
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	only, err := binlog.NewTableFilter([]string{"binlogkit.ints"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	var out bytes.Buffer // or an *os.File
	w := binlog.NewWriter(&out)
	if _, err := binlog.Copy(context.Background(), w, binlog.NewReader(src), only); err != nil {
		log.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}

	// Read the copy back: its rows events are those of binlogkit.ints.
	r := binlog.NewReader(binlog.NewStreamSource(&out, "ints.000001"))
	rows := 0
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		if _, ok := ev.Body.(*event.Rows); ok {
			rows++
			if string(ev.Table.Table) != "ints" {
				log.Fatalf("rows of %s", ev.Table.Table)
			}
		}
	}
	fmt.Println(rows > 0)
	// Output:
	// true
}
