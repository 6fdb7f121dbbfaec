package cdc

import (
	"bytes"
	"strconv"
	"time"

	"github.com/binlogkit/binlogkit/rowcodec"
)

// Op is what a Change did to its row.
type Op uint8

// The operations, with the letters of Debezium's envelope ("op").
const (
	// OpInsert is a row written by INSERT (Debezium "c").
	OpInsert Op = iota + 1
	// OpUpdate is a row changed by UPDATE (Debezium "u"); a change of the
	// primary key is an update whose Before and After keys differ.
	OpUpdate
	// OpDelete is a row removed by DELETE (Debezium "d").
	OpDelete
	// OpRead is a row read by a snapshot (Debezium "r"): the row as it was
	// at the change's position.
	OpRead
	// OpTruncate is a TRUNCATE TABLE statement (Debezium "t"): no Before,
	// no After.
	OpTruncate
	// OpCommit is not a row change: it ends a transaction that delivered
	// changes (and, at most once per Config.IdleCommit, one that delivered
	// none), and carries the Checkpoint after it.
	OpCommit
)

var opNames = [...]string{OpInsert: "insert", OpUpdate: "update", OpDelete: "delete", OpRead: "read", OpTruncate: "truncate", OpCommit: "commit"}
var opLetters = [...]string{OpInsert: "c", OpUpdate: "u", OpDelete: "d", OpRead: "r", OpTruncate: "t", OpCommit: ""}

// String returns "insert", "update", "delete", "read", "truncate" or
// "commit".
func (o Op) String() string {
	if int(o) < len(opNames) && opNames[o] != "" {
		return opNames[o]
	}
	return "Op(" + itoa(int(o)) + ")"
}

// Letter returns the operation's letter in Debezium's envelope (c, u, d, r,
// t; "" for OpCommit).
func (o Op) Letter() string {
	if int(o) < len(opLetters) {
		return opLetters[o]
	}
	return ""
}

// Source is where a change comes from: its place in the server's binlog,
// or, for a snapshot read, the place the snapshot emitted it at.
type Source struct {
	// File and Pos are the binlog file and the offset of the rows event
	// (of the statement, for OpTruncate); NextPos is the offset just past
	// it. For an event inside a MySQL TRANSACTION_PAYLOAD, the payload's.
	File    string
	Pos     uint64
	NextPos uint64
	// GTID is the transaction's GTID ("" when the server logs none).
	GTID string
	// ServerID is the id of the server that wrote the event.
	ServerID uint32
	// Time is the event's timestamp (seconds; the statement's start).
	Time time.Time
	// Row is the row's index within its rows event, from 0.
	Row int
	// ThreadID is the id of the connection that made the change, when the
	// binlog says (the transaction's BEGIN or statement, MariaDB 11.5+ GTID
	// events); 0 when unknown.
	ThreadID uint32
	// Query is the statement that made the change when the server logged
	// it (binlog_annotate_row_events, binlog_rows_query_log_events, or the
	// statement of an OpTruncate); nil otherwise. It aliases the Stream's
	// buffers: valid until the next call to Next.
	Query []byte
	// Snapshot is SnapshotNone for changes read from the binlog; for OpRead,
	// SnapshotTrue, or SnapshotLast for the last row of the snapshot.
	Snapshot SnapshotMark
	// SnapshotID names the snapshot an OpRead belongs to ("" otherwise).
	SnapshotID string
}

// SnapshotMark says whether a change belongs to a snapshot (Debezium's
// source.snapshot).
type SnapshotMark uint8

// The snapshot marks.
const (
	SnapshotNone SnapshotMark = iota // a change read from the binlog ("false")
	SnapshotTrue                     // a row of the snapshot ("true")
	SnapshotLast                     // the last row of the snapshot ("last")
)

// String returns "false", "true" or "last", as Debezium writes them.
func (m SnapshotMark) String() string {
	switch m {
	case SnapshotTrue:
		return "true"
	case SnapshotLast:
		return "last"
	}
	return "false"
}

// TxInfo places a change in its transaction.
type TxInfo struct {
	// ID names the transaction: its GTID, or FILE:POS of its first event
	// when the server logs no GTID (a snapshot chunk: "snapshot:TABLE:N").
	ID string
	// Order is the change's 1-based position among the transaction's
	// changes (Debezium's total_order); TableOrder among the changes of its
	// table (data_collection_order). For OpCommit, Order is the number of
	// changes the transaction delivered.
	Order, TableOrder int
}

// Change is one committed row change: the row's before and after images
// as typed values with the column names and types they were logged with,
// where it comes from, and its place in its transaction.
//
// A Change and everything it references (values, names, Query) are owned
// by the Stream and valid until the next call to Next (or the next step of
// All); Clone detaches a copy.
type Change struct {
	// Op is what happened to the row (or OpCommit: the transaction ended).
	Op Op
	// Database and Table name the table.
	Database, Table string
	// Columns describes each column: Name (from FULL metadata, or from the
	// schema history), type, character set, ENUM/SET members, key. Before
	// and After have one value per column.
	Columns []rowcodec.Column
	// Key lists the indexes of the columns that identify a row: the primary
	// key, else the first unique key of NOT NULL columns; nil for a table
	// without either.
	Key []int
	// Before is the row before the change (OpUpdate, OpDelete), After the
	// row after it (OpInsert, OpUpdate, OpRead); nil otherwise. Values of
	// columns a MINIMAL image left out are rowcodec.Absent.
	Before, After []rowcodec.Value
	// Source is where the change comes from; Tx its place in its
	// transaction.
	Source Source
	Tx     TxInfo
	// Checkpoint is, for OpCommit, where a new Stream resumes to deliver
	// the next transaction; nil for every other Op. Like the rest of the
	// Change it is the Stream's until the next call: keep a copy.
	Checkpoint *Checkpoint
}

// Column returns the index of the column named name, or -1.
func (c *Change) Column(name string) int {
	for i := range c.Columns {
		if string(c.Columns[i].Name) == name {
			return i
		}
	}
	return -1
}

// Row returns the image that identifies the row: After, or Before for
// OpDelete.
func (c *Change) Row() []rowcodec.Value {
	if c.After != nil {
		return c.After
	}
	return c.Before
}

// Clone returns a deep copy of c that stays valid after the Stream moves on.
func (c *Change) Clone() *Change {
	d := *c
	d.Columns = make([]rowcodec.Column, len(c.Columns))
	for i, col := range c.Columns {
		col.Name = bytes.Clone(col.Name)
		col.EnumValues = cloneLists(col.EnumValues)
		col.SetValues = cloneLists(col.SetValues)
		d.Columns[i] = col
	}
	d.Key = append([]int(nil), c.Key...)
	d.Before = cloneValues(c.Before)
	d.After = cloneValues(c.After)
	d.Source.Query = bytes.Clone(c.Source.Query)
	if c.Checkpoint != nil {
		cp := c.Checkpoint.Clone()
		d.Checkpoint = &cp
	}
	return &d
}

func cloneLists(l [][]byte) [][]byte {
	if l == nil {
		return nil
	}
	out := make([][]byte, len(l))
	for i, b := range l {
		out[i] = bytes.Clone(b)
	}
	return out
}

func cloneValues(vs []rowcodec.Value) []rowcodec.Value {
	if vs == nil {
		return nil
	}
	out := make([]rowcodec.Value, len(vs))
	for i, v := range vs {
		out[i] = v.Clone()
	}
	return out
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// AppendID appends an identifier of c that is the same each time a Stream
// delivers the change, and differs between changes: "FILE:POS:ROW" for a
// change read from the binlog; for a snapshot read of a table with a key,
// "snapshot:ID:DB.TABLE:KEY" (the key values as JSON, comma-separated); for
// one of a table without a key, "snapshot:ID:DB.TABLE@FILE:POS:ROW". Sinks
// with deduplication use it (NATS JetStream's Nats-Msg-Id, a Kafka
// idempotence key, a unique column) so that changes delivered again after
// a crash are recognised.
func AppendID(dst []byte, c *Change) ([]byte, error) {
	if c.Op == OpRead {
		dst = append(dst, "snapshot:"...)
		dst = append(dst, c.Source.SnapshotID...)
		dst = append(dst, ':')
		dst = append(dst, c.Database...)
		dst = append(dst, '.')
		dst = append(dst, c.Table...)
		if len(c.Key) > 0 && c.After != nil {
			dst = append(dst, ':')
			for i, k := range c.Key {
				if i > 0 {
					dst = append(dst, ',')
				}
				var err error
				if dst, err = c.After[k].AppendJSON(dst, &c.Columns[k]); err != nil {
					return dst, err
				}
			}
			return dst, nil
		}
		dst = append(dst, '@')
	}
	dst = append(dst, c.Source.File...)
	dst = append(dst, ':')
	dst = strconv.AppendUint(dst, c.Source.Pos, 10)
	dst = append(dst, ':')
	dst = strconv.AppendInt(dst, int64(c.Source.Row), 10)
	return dst, nil
}
