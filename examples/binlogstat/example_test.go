package main

import (
	"bytes"
	"os"
	"time"

	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// Example_text prints the text report of a small fabricated MySQL binlog:
// a CREATE TABLE, then three transactions on shop.orders, the first lasting
// 90 seconds.
func Example_text() {
	s := binlogtest.NewStream(event.MySQL)
	t0 := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	cols := []binlogtest.Column{{Name: "id", Type: 3}}
	row := func(i int64) []rowcodec.Value { return []rowcodec.Value{rowcodec.IntValue(i)} }
	s.SetTime(t0).DDL("shop", "CREATE TABLE orders (id INT PRIMARY KEY)")
	s.Begin().TableMap(1, "shop", "orders", cols...).Insert(1, row(1), row(2)).SetTime(t0.Add(90 * time.Second)).XID()
	s.SetTime(t0.Add(30*time.Second)).Begin().TableMap(1, "shop", "orders", cols...).Delete(1, row(1)).XID()
	s.SetTime(t0.Add(3*time.Minute)).Begin().TableMap(1, "shop", "orders", cols...).Update(1, rowcodec.Row{Before: row(2), After: row(3)}).XID()
	b, err := s.Bytes()
	if err != nil {
		panic(err)
	}
	run([]string{"--top", "2", "--long-seconds", "60", "-"}, bytes.NewReader(b), os.Stdout, os.Stderr)
	// Output:
	// Times are UTC.
	//
	// == Files (1)
	// FILE   BYTES  EVENTS  FIRST EVENT          LAST EVENT
	// stdin  989    18      2026-01-02 03:04:05  2026-01-02 10:03:00
	//
	// == Summary
	// transactions: 4 (complete 4, rolled back 0, ended by XID 3)
	// rows: 4   bytes: 862 (862 B)   rows-event bytes: 131 (131 B)
	// statements: 1 (DDL 1)   events kept: 18
	// first transaction: 2026-01-02 10:00:00   last: 2026-01-02 10:03:00
	//
	// == Operations
	//   OPERATION  ROWS  EVENTS  BYTES
	//   insert        2       1     45
	//   update        1       1     46
	//   delete        1       1     40
	//
	// == Tables (1, by bytes)
	//   TABLE        INSERTS  UPDATES  DELETES  ROWS  BYTES
	//   shop.orders        2        1        1     4    131
	//   total              2        1        1     4    131
	//
	// == Histogram by transaction start (bucket 1m, bar: bytes)
	//                 START  TRANSACTIONS  ROWS  BYTES
	//   2026-01-02 10:00:00             3     3    621 ########################################
	//   2026-01-02 10:01:00             0     0      0
	//   2026-01-02 10:02:00             0     0      0
	//   2026-01-02 10:03:00             1     1    241 ################
	//
	// == Biggest transactions by rows (top 2)
	// ROWS  BYTES  SECONDS  START                FILE:POS   END POS  GTID                                    TABLES
	// 2     240    90       2026-01-02 10:00:00  stdin:273  513      3e11fa47-71ca-11e1-9e33-c80aa9429562:2  shop.orders
	// 1     235    0        2026-01-02 10:00:30  stdin:513  748      3e11fa47-71ca-11e1-9e33-c80aa9429562:3  shop.orders
	//
	// == Biggest transactions by bytes (top 2)
	// ROWS  BYTES  SECONDS  START                FILE:POS   END POS  GTID                                    TABLES
	// 1     241    0        2026-01-02 10:03:00  stdin:748  989      3e11fa47-71ca-11e1-9e33-c80aa9429562:4  shop.orders
	// 2     240    90       2026-01-02 10:00:00  stdin:273  513      3e11fa47-71ca-11e1-9e33-c80aa9429562:2  shop.orders
	//
	// == Longest transactions (lasting 1 s or more)
	// ROWS  BYTES  SECONDS  START                FILE:POS   END POS  GTID                                    TABLES
	// 2     240    90       2026-01-02 10:00:00  stdin:273  513      3e11fa47-71ca-11e1-9e33-c80aa9429562:2  shop.orders
	//
	// == Big transactions (at least 10000 rows): 0
	// (none)
	//
	// == Long transactions (at least 60 s): 1
	// ROWS  BYTES  SECONDS  START                FILE:POS   END POS  GTID                                    TABLES
	// 2     240    90       2026-01-02 10:00:00  stdin:273  513      3e11fa47-71ca-11e1-9e33-c80aa9429562:2  shop.orders
	//
	// == DDL (1)
	// 2026-01-02 10:00:00  stdin:192  3e11fa47-71ca-11e1-9e33-c80aa9429562:1  shop  CREATE TABLE orders (id INT PRIMARY KEY)
	//
	// == Event types (kept events)
	//   GTID_LOG_EVENT                    4
	//   QUERY_EVENT                       4
	//   TABLE_MAP_EVENT                   3
	//   XID_EVENT                         3
	//   DELETE_ROWS_EVENT                 1
	//   FORMAT_DESCRIPTION_EVENT          1
	//   UPDATE_ROWS_EVENT                 1
	//   WRITE_ROWS_EVENT                  1
}
