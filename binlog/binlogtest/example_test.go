package binlogtest_test

import (
	"context"
	"fmt"
	"io"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// A fabricated MariaDB stream served to binlog.Dial over the replication
// protocol. The stream starts with the artificial ROTATE every dump starts
// with.
func ExampleNewServer() {
	s := binlogtest.NewStream(event.MariaDB)
	s.DDL("shop", "CREATE TABLE t (id INT PRIMARY KEY)")
	s.Begin().TableMap(1, "shop", "t", binlogtest.Column{Name: "id", Type: 3}).
		Insert(1, []rowcodec.Value{rowcodec.IntValue(42)}).XID()
	file, err := s.File("binlog.000001")
	if err != nil {
		panic(err)
	}
	srv, err := binlogtest.NewServer(binlogtest.Config{}, file)
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	ctx := context.Background()
	src, err := binlog.Dial(ctx, binlog.DialConfig{DSN: srv.DSN(), NonBlocking: true})
	if err != nil {
		panic(err)
	}
	defer src.Close()
	r := binlog.NewReader(src)
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		fmt.Println(ev.File, ev.Pos, ev.Header.Type)
	}
	// Output:
	// binlog.000001 4 ROTATE_EVENT
	// binlog.000001 4 FORMAT_DESCRIPTION_EVENT
	// binlog.000001 256 GTID_EVENT
	// binlog.000001 298 QUERY_EVENT
	// binlog.000001 374 GTID_EVENT
	// binlog.000001 416 TABLE_MAP_EVENT
	// binlog.000001 468 WRITE_ROWS_EVENT
	// binlog.000001 508 XID_EVENT
}
