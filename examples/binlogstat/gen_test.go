package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// The generated workload: genTables tables in database "gen"; transaction
// seq (from 1) starts at genStart + 5*seq seconds and holds 1 + seq%4
// statements, or genBigStmts for every genBigEvery-th one; every
// genLongEvery-th one lasts genLongSecs. Statement i of a transaction works
// on table (seq*7+i)%genTables: an INSERT of genInsRows rows, an UPDATE of
// genUpdRows or a DELETE of genDelRows, by i%3.
const (
	genTables    = 16
	genInsRows   = 10
	genUpdRows   = 5
	genDelRows   = 3
	genBigEvery  = 1000
	genBigStmts  = 300
	genLongEvery = 997
	genLongSecs  = 120
)

var genStart = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// genCounts is what the generator wrote.
type genCounts struct {
	txs      uint64
	rows     [genTables][numOps]uint64
	bytes    [genTables]uint64 // rows event sizes
	big      uint64            // transactions of genBigStmts statements
	bigRows  uint64            // the fewest rows of those
	long     uint64
	size     uint64
	lastTime uint32
	mallocs  uint64 // heap allocations of the whole run (set by streamStat)
}

// genTemplate holds the event bodies the generator repeats: per table a
// TABLE_MAP and an INSERT, UPDATE and DELETE rows event.
type genTemplate struct {
	fd   *event.FormatDescription
	maps [genTables]event.Body
	rows [genTables][numOps]event.Body
}

// newGenTemplate builds the bodies with binlogtest.Stream and reads them
// back.
func newGenTemplate(tb testing.TB) *genTemplate {
	tb.Helper()
	s := binlogtest.NewStream(event.MariaDB)
	cols := []binlogtest.Column{{Name: "id", Type: 3}, {Name: "v", Type: 15, Meta: 400, Nullable: true}, {Name: "n", Type: 8}}
	row := func(i int) []rowcodec.Value {
		return []rowcodec.Value{rowcodec.IntValue(int64(i)), rowcodec.StringValue(bytes.Repeat([]byte{'a' + byte(i%26)}, 40+i*7), 45), rowcodec.IntValue(int64(i) * 1000003)}
	}
	for k := range genTables {
		id := uint64(100 + k)
		s.TableMap(id, "gen", fmt.Sprintf("t%02d", k), cols...)
		var ins, del [][]rowcodec.Value
		var upd []rowcodec.Row
		for i := range genInsRows {
			ins = append(ins, row(i))
		}
		for i := range genUpdRows {
			upd = append(upd, rowcodec.Row{Before: row(i), After: row(i + 1)})
		}
		for i := range genDelRows {
			del = append(del, row(i))
		}
		s.Insert(id, ins...).Update(id, upd...).Delete(id, del...)
	}
	b, err := s.Bytes()
	if err != nil {
		tb.Fatal(err)
	}
	g := &genTemplate{}
	r := binlog.NewReader(binlog.NewStreamSource(bytes.NewReader(b), "template"))
	k, op := -1, 0
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			tb.Fatal(err)
		}
		g.fd = ev.Format
		switch ev.Body.(type) {
		case *event.TableMap:
			k++
			op = 0
			g.maps[k] = ev.Clone().Body
		case *event.Rows:
			g.rows[k][op] = ev.Clone().Body
			op++
		}
	}
	if k != genTables-1 || op != numOps {
		tb.Fatalf("template: %d tables, %d rows events", k+1, op)
	}
	return g
}

// write writes a binlog of at least size bytes to w, one event at a time:
// nothing but the template is held in memory.
func (g *genTemplate) write(w io.Writer, size uint64) (*genCounts, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	t0 := uint32(genStart.Unix())
	wr := binlog.NewWriter(bw)
	err := wr.WriteBody(event.Header{Timestamp: t0, ServerID: 1}, g.fd)
	if err != nil {
		return nil, err
	}
	c := &genCounts{bigRows: ^uint64(0)}
	gtid := &event.MariaGTID{Domain: 0}
	xid := &event.XID{}
	opRows := [numOps]uint64{genInsRows, genUpdRows, genDelRows}
	for seq := uint64(1); wr.Pos() < size; seq++ {
		ts := t0 + uint32(5*seq)
		h := event.Header{Timestamp: ts, ServerID: 1}
		gtid.SeqNo = seq
		if err := wr.WriteBody(h, gtid); err != nil {
			return nil, err
		}
		stmts := 1 + int(seq%4)
		if seq%genBigEvery == 0 {
			stmts = genBigStmts
		}
		var rows uint64
		for i := range stmts {
			k := (int(seq)*7 + i) % genTables
			op := i % 3
			if err := wr.WriteBody(h, g.maps[k]); err != nil {
				return nil, err
			}
			pos := wr.Pos()
			if err := wr.WriteBody(h, g.rows[k][op]); err != nil {
				return nil, err
			}
			c.rows[k][op] += opRows[op]
			c.bytes[k] += wr.Pos() - pos
			rows += opRows[op]
		}
		if seq%genLongEvery == 0 {
			h.Timestamp += genLongSecs
			c.long++
		}
		xid.XID = seq
		if err := wr.WriteBody(h, xid); err != nil {
			return nil, err
		}
		c.txs++
		if stmts == genBigStmts {
			c.big++
			c.bigRows = min(c.bigRows, rows)
		}
		c.lastTime = h.Timestamp
	}
	c.size = wr.Pos()
	return c, bw.Flush()
}
