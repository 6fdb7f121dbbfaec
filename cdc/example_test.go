package cdc_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/cdc"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// exampleBinlog is a small binlog: two transactions on shop.orders.
func exampleBinlog() []byte {
	cols := []binlogtest.Column{{Name: "id", Type: event.ColumnTypeLong}, {Name: "item", Type: event.ColumnTypeVarchar, Meta: 80}}
	row := func(id int64, item string) []rowcodec.Value {
		return []rowcodec.Value{rowcodec.IntValue(id), rowcodec.StringValue([]byte(item), 45)}
	}
	s := binlogtest.NewStream(event.MariaDB)
	s.Begin().TableMap(1, "shop", "orders", cols...).Insert(1, row(1, "tea"), row(2, "cake")).XID()
	s.Begin().TableMap(1, "shop", "orders", cols...).
		Update(1, rowcodec.Row{Before: row(2, "cake"), After: row(2, "scone")}).Delete(1, row(1, "tea")).XID()
	b, err := s.Bytes()
	if err != nil {
		log.Fatal(err)
	}
	return b
}

// A Stream's changes, one by one: each committed transaction's rows, then
// an OpCommit with the checkpoint to resume from. With a live server,
// cdc.Dial(ctx, binlog.DialConfig{DSN: dsn}, saved, cfg) gives the Stream.
func ExampleStream_Next() {
	ctx := context.Background()
	src := binlog.NewStreamSource(bytes.NewReader(exampleBinlog()), "binlog.000001")
	s, err := cdc.NewStream(src, nil, cdc.Config{Tables: []string{"shop.*"}})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	for c, err := range s.All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		if c.Op == cdc.OpCommit {
			fmt.Println("commit; resume at", c.Checkpoint)
			continue
		}
		id := c.Column("id")
		fmt.Printf("%s %s.%s id=%d at %s:%d row %d\n", c.Op, c.Database, c.Table, c.Row()[id].Int64(), c.Source.File, c.Source.Pos, c.Source.Row)
	}
	// Output:
	// insert shop.orders id=1 at binlog.000001:363 row 0
	// insert shop.orders id=2 at binlog.000001:363 row 1
	// commit; resume at binlog.000001:448 0-1-1
	// update shop.orders id=2 at binlog.000001:555 row 0
	// delete shop.orders id=1 at binlog.000001:612 row 0
	// commit; resume at binlog.000001:687 0-1-2
}

// producer stands for a Kafka client, a queue, a database: whatever a new
// destination's API is.
type producer struct{ sent int }

func (p *producer) Produce(topic string, key, value []byte) { p.sent++ }
func (p *producer) FlushAll()                               {}

// kafkaSink is a cdc.Sink for such a producer, in a few lines: the
// Debezium envelope as the value, the key columns as the key, the topic
// per table, and the checkpoint kept once the messages before it are out
// (here in memory; a real one stores it with the producer's transaction or
// in a file).
type kafkaSink struct {
	p          *producer
	enc        cdc.Encoder
	key, value []byte
	saved      cdc.Checkpoint
}

func (k *kafkaSink) Write(ctx context.Context, c *cdc.Change) error {
	var err error
	if k.key, err = k.enc.AppendKey(k.key[:0], c); err != nil {
		return err
	}
	if k.value, err = k.enc.AppendValue(k.value[:0], c); err != nil {
		return err
	}
	k.p.Produce("dbserver1."+c.Database+"."+c.Table, k.key, k.value)
	return nil
}

func (k *kafkaSink) Commit(ctx context.Context, cp *cdc.Checkpoint) error {
	k.p.FlushAll() // the messages before the checkpoint are out
	k.saved = *cp
	return nil
}

func (k *kafkaSink) Flush(ctx context.Context) error { k.p.FlushAll(); return nil }

// A Sink of one's own: Run feeds it every change and every checkpoint.
func ExampleSink() {
	src := binlog.NewStreamSource(bytes.NewReader(exampleBinlog()), "binlog.000001")
	s, err := cdc.NewStream(src, nil, cdc.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	sink := &kafkaSink{p: &producer{}, enc: cdc.Encoder{Name: "dbserver1"}}
	stats, err := cdc.Run(context.Background(), s, sink)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stats.Changes, "changes,", stats.Transactions, "transactions, produced", sink.p.sent, "messages, checkpoint", sink.saved)
	// Output:
	// 4 changes, 2 transactions, produced 4 messages, checkpoint binlog.000001:687 0-1-2
}

// One change event as Debezium's MySQL connector writes it.
func ExampleEncoder() {
	cols := []rowcodec.Column{{Name: []byte("id"), Type: event.ColumnTypeLong}, {Name: []byte("price"), Type: event.ColumnTypeNewDecimal}}
	price, _ := rowcodec.DecimalValue("12.50", 10, 2)
	c := &cdc.Change{Op: cdc.OpInsert, Database: "shop", Table: "orders", Columns: cols, Key: []int{0},
		After:  []rowcodec.Value{rowcodec.IntValue(7), price},
		Source: cdc.Source{File: "binlog.000003", Pos: 4711, GTID: "0-1-42", ServerID: 1},
		Tx:     cdc.TxInfo{ID: "0-1-42", Order: 1, TableOrder: 1}}
	enc := &cdc.Encoder{Name: "dbserver1"}
	key, _ := enc.AppendKey(nil, c)
	value, _ := enc.AppendValue(nil, c)
	fmt.Println(string(key))
	fmt.Println(string(bytes.Split(value, []byte(`,"source"`))[0]))
	// Output:
	// {"id":7}
	// {"before":null,"after":{"id":7,"price":"12.50"}
}
