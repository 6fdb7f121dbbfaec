package main

import (
	"bytes"
	"container/heap"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// Operations, the index of opStat.
const (
	opInsert = iota
	opUpdate
	opDelete
	numOps
)

var opNames = [numOps]string{"insert", "update", "delete"}

// tableStat holds the counts of one schema.table.
type tableStat struct {
	schema, table string
	rows          [numOps]uint64
	bytes         [numOps]uint64
	events        uint64
	txSeq         uint64 // the last transaction that touched it, to count each table once per transaction
}

func (t *tableStat) totalRows() uint64  { return t.rows[0] + t.rows[1] + t.rows[2] }
func (t *tableStat) totalBytes() uint64 { return t.bytes[0] + t.bytes[1] + t.bytes[2] }

// idEntry is what a table id maps to: the decoded Table_map used to walk
// row images, and the table's counts once a kept rows event needed them.
type idEntry struct {
	tbl  rowcodec.Table
	stat *tableStat
	ok   bool // tbl holds a Table_map
}

// txRecord is one transaction kept in a top list.
type txRecord struct {
	seq        uint64 // order of the transaction in the input: ties go to the earlier
	file       string
	pos        uint64
	endFile    string
	endPos     uint64
	gtid       string
	start, end uint32 // first and last event time, Unix seconds (0 when unknown)
	rows       uint64
	bytes      uint64
	rowBytes   uint64
	events     uint64
	tables     []string
	moreTables int
	complete   bool
	rollback   bool
}

func (t *txRecord) duration() uint32 {
	if t.start == 0 || t.end < t.start {
		return 0
	}
	return t.end - t.start
}

// topList keeps the n greatest transactions by key in a min-heap, so that
// memory stays at n records whatever the input.
type topList struct {
	n   int
	key func(*txRecord) uint64
	h   []*txRecord
}

func (l *topList) Len() int { return len(l.h) }
func (l *topList) Less(i, j int) bool {
	return worse(l.key, l.h[i], l.h[j])
}
func (l *topList) Swap(i, j int) { l.h[i], l.h[j] = l.h[j], l.h[i] }
func (l *topList) Push(x any)    { l.h = append(l.h, x.(*txRecord)) }
func (l *topList) Pop() any {
	x := l.h[len(l.h)-1]
	l.h[len(l.h)-1] = nil
	l.h = l.h[:len(l.h)-1]
	return x
}

// worse reports whether a ranks below b: a smaller key, or an equal key and
// a later transaction.
func worse(key func(*txRecord) uint64, a, b *txRecord) bool {
	ka, kb := key(a), key(b)
	if ka != kb {
		return ka < kb
	}
	return a.seq > b.seq
}

// wants reports whether r would enter the list.
func (l *topList) wants(r *txRecord) bool {
	return len(l.h) < l.n || worse(l.key, l.h[0], r)
}

// add puts r in the list when it ranks among the n greatest.
func (l *topList) add(r *txRecord) {
	if len(l.h) < l.n {
		heap.Push(l, r)
		return
	}
	if worse(l.key, l.h[0], r) {
		l.h[0] = r
		heap.Fix(l, 0)
	}
}

// sorted returns the list, greatest first.
func (l *topList) sorted() []*txRecord {
	out := append([]*txRecord(nil), l.h...)
	for i := 1; i < len(out); i++ { // insertion sort: n is small
		for j := i; j > 0 && worse(l.key, out[j-1], out[j]); j-- {
			out[j-1], out[j] = out[j], out[j-1]
		}
	}
	return out
}

// ddlEntry is one DDL statement seen.
type ddlEntry struct {
	schema    string
	time      uint32
	file      string
	pos       uint64
	gtid      string
	statement string
	truncated bool
}

// bucket is one histogram bucket.
type bucket struct {
	transactions, rows, bytes uint64
}

// histogram counts transactions per time bucket; the buckets widen when the
// time span would need more than maxBuckets of them.
type histogram struct {
	requested int64 // seconds
	width     int64 // seconds
	buckets   map[int64]*bucket
	lo, hi    int64 // keys of the first and last bucket (valid when buckets is not empty)
}

func (h *histogram) add(ts uint32, rows, nbytes uint64) {
	k := int64(ts) / h.width
	if len(h.buckets) == 0 {
		h.lo, h.hi = k, k
	}
	for max(h.hi, k)-min(h.lo, k)+1 > maxBuckets {
		h.coarsen()
		k = int64(ts) / h.width
	}
	h.lo, h.hi = min(h.lo, k), max(h.hi, k)
	b := h.buckets[k]
	if b == nil {
		b = &bucket{}
		h.buckets[k] = b
	}
	b.transactions++
	b.rows += rows
	b.bytes += nbytes
}

// niceWidths are the bucket widths, in seconds, coarsening prefers: it
// takes the first that is a multiple of the current width, else doubles it.
var niceWidths = []int64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 864000, 2592000}

// coarsen widens the buckets by a whole factor and merges them.
func (h *histogram) coarsen() {
	f := int64(2)
	for _, w := range niceWidths {
		if w > h.width && w%h.width == 0 {
			f = w / h.width
			break
		}
	}
	h.width *= f
	old := h.buckets
	h.buckets = make(map[int64]*bucket, len(old)/int(f)+1)
	for k, b := range old {
		nk := floorDiv(k, f)
		if m := h.buckets[nk]; m != nil {
			m.transactions += b.transactions
			m.rows += b.rows
			m.bytes += b.bytes
		} else {
			h.buckets[nk] = b
		}
	}
	h.lo, h.hi = floorDiv(h.lo, f), floorDiv(h.hi, f)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// fileStat describes one input file.
type fileStat struct {
	name        string
	bytes       uint64 // just past the last event read
	events      uint64
	first, last uint32
}

// txState accumulates the transaction being read.
type txState struct {
	kept        bool // some event was kept
	counts      bool // it counts as a transaction
	first, last uint32
	rows        uint64
	bytes       uint64
	rowBytes    uint64
	events      uint64
	tables      []*tableStat
	moreTables  int
	endFile     string
	endPos      uint64
}

// collector gathers the statistics. Its memory is bounded by the number of
// tables, the --top size and the constants of main.go, not by the input.
type collector struct {
	top         int
	bigRows     uint64
	longSeconds uint64
	filtered    bool // table or database filters are on

	tables map[string]*tableStat
	ids    map[uint64]*idEntry
	keyBuf []byte
	schema *cli.Schema // the precisions of MariaDB's older temporal formats (nil: none)

	ops      [numOps]uint64
	opBytes  [numOps]uint64
	opEvents [numOps]uint64

	txSeq      uint64
	txCount    uint64
	txComplete uint64
	txRollback uint64
	txXID      uint64
	txRows     uint64
	txBytes    uint64
	txRowBytes uint64
	queries    uint64
	txFirst    uint32 // first and last transaction start times
	txLast     uint32

	byRows, byBytes, byDuration topList
	big, long                   topList
	bigCount, longCount         uint64

	ddl      []ddlEntry
	ddlCount uint64

	hist   histogram
	types  [256]uint64
	events uint64
	files  []*fileStat

	cur txState
	// txGTID is the GTID of the transaction being read, when txHasGTID.
	txGTID    binlog.GTID
	txHasGTID bool
	scratch   txRecord
}

func newCollector(c *config) *collector {
	st := &collector{
		top: c.top, bigRows: c.bigRows, longSeconds: c.longSeconds,
		tables: map[string]*tableStat{},
		ids:    map[uint64]*idEntry{},
		hist:   histogram{requested: int64(c.bucket / time.Second), width: int64(c.bucket / time.Second), buckets: map[int64]*bucket{}},
	}
	rowsKey := func(r *txRecord) uint64 { return r.rows }
	st.byRows = topList{n: c.top, key: rowsKey}
	st.byBytes = topList{n: c.top, key: func(r *txRecord) uint64 { return r.bytes }}
	st.byDuration = topList{n: c.top, key: func(r *txRecord) uint64 { return uint64(r.duration()) }}
	st.big = topList{n: c.top, key: rowsKey}
	st.long = topList{n: c.top, key: func(r *txRecord) uint64 { return uint64(r.duration()) }}
	return st
}

// evErr names the event an error is about.
func evErr(ev *event.Event, err error) error {
	return fmt.Errorf("%s: at byte %d (%v): %w", displayName(ev.File), ev.Pos, ev.Header.Type, err)
}

// observe sees every event before filtering: it follows the table maps and
// describes the files.
func (st *collector) observe(ev *event.Event) error {
	var f *fileStat
	if n := len(st.files); n > 0 && st.files[n-1].name == ev.File {
		f = st.files[n-1]
	} else {
		f = &fileStat{name: ev.File}
		st.files = append(st.files, f)
	}
	f.events++
	if !ev.InPayload {
		f.bytes = max(f.bytes, ev.NextPos)
	}
	if ts := ev.Header.Timestamp; ts != 0 {
		if f.first == 0 || ts < f.first {
			f.first = ts
		}
		f.last = max(f.last, ts)
	}
	if st.schema != nil {
		st.schema.Observe(ev)
	}
	tm, ok := ev.Body.(*event.TableMap)
	if !ok {
		return nil
	}
	e := st.ids[tm.TableID]
	if e == nil {
		e = &idEntry{}
		st.ids[tm.TableID] = e
	}
	e.stat = nil
	e.ok = false
	if err := e.tbl.Reset(tm); err != nil {
		return evErr(ev, err)
	}
	e.ok = true
	return nil
}

// beginTx starts a transaction.
func (st *collector) beginTx(tx *binlog.Transaction) {
	st.txGTID, st.txHasGTID = tx.GTID, tx.HasGTID
	if len(st.ids) > maxTableIDs {
		// Table maps are repeated in every transaction that uses them, so
		// the cache can be dropped between transactions.
		clear(st.ids)
	}
	st.txSeq++
	tables := st.cur.tables[:0]
	st.cur = txState{tables: tables}
}

// event counts one kept event.
func (st *collector) event(ev *event.Event) error {
	cur := &st.cur
	st.types[ev.Header.Type]++
	st.events++
	cur.kept = true
	cur.events++
	size := uint64(ev.Header.EventSize)
	if !ev.InPayload {
		cur.bytes += size
		cur.endFile, cur.endPos = ev.File, ev.NextPos
	}
	if ts := ev.Header.Timestamp; ts != 0 {
		if cur.first == 0 || ts < cur.first {
			cur.first = ts
		}
		cur.last = max(cur.last, ts)
	}
	switch b := ev.Body.(type) {
	case *event.Rows:
		return st.rowsEvent(ev, b, size)
	case *event.Query:
		stmt := b.Statement()
		switch stmt.Kind {
		case event.StatementBegin, event.StatementCommit, event.StatementRollback:
			return nil
		}
		cur.counts = true
		st.queries++
		if stmt.Kind == event.StatementDDL {
			st.ddlCount++
			if len(st.ddl) < maxDDL {
				st.ddl = append(st.ddl, st.newDDL(ev, b))
			}
		}
	}
	return nil
}

// rowsEvent counts the rows of a rows event, walking its row images with
// the table's Table_map.
func (st *collector) rowsEvent(ev *event.Event, r *event.Rows, size uint64) error {
	var op int
	switch r.Kind() {
	case event.RowsWrite:
		op = opInsert
	case event.RowsUpdate:
		op = opUpdate
	case event.RowsDelete:
		op = opDelete
	default:
		return evErr(ev, fmt.Errorf("rows event of unknown kind"))
	}
	e := st.ids[r.TableID]
	if e == nil || !e.ok {
		return evErr(ev, fmt.Errorf("no Table_map for table id %d", r.TableID))
	}
	if e.stat == nil {
		st.keyBuf = append(append(append(st.keyBuf[:0], e.tbl.Schema...), 0), e.tbl.Name...)
		t := st.tables[string(st.keyBuf)]
		if t == nil {
			t = &tableStat{schema: printable(e.tbl.Schema), table: printable(e.tbl.Name)}
			st.tables[string(st.keyBuf)] = t
		}
		e.stat = t
	}
	if st.schema != nil {
		if err := st.schema.SetPrecision(&e.tbl); err != nil {
			return evErr(ev, fmt.Errorf("table definition of %s: %w", e.tbl.AppendName(nil), err))
		}
	}
	var n uint64
	for off := 0; ; n++ {
		next, err := e.tbl.NextRow(r, off, nil, nil)
		if err == io.EOF {
			break
		}
		if err != nil {
			return evErr(ev, err)
		}
		off = next
	}
	t := e.stat
	t.rows[op] += n
	t.bytes[op] += size
	t.events++
	st.ops[op] += n
	st.opBytes[op] += size
	st.opEvents[op]++
	cur := &st.cur
	cur.counts = true
	cur.rows += n
	cur.rowBytes += size
	if t.txSeq != st.txSeq {
		t.txSeq = st.txSeq
		if len(cur.tables) < maxTxTables {
			cur.tables = append(cur.tables, t)
		} else {
			cur.moreTables++
		}
	}
	return nil
}

// endTx closes the transaction and files it in the lists it ranks in.
func (st *collector) endTx(tx *binlog.Transaction) {
	cur := &st.cur
	if !cur.kept {
		return
	}
	hasGTID := tx.HasGTID
	file, pos, complete, rollback, xid := tx.File, tx.Pos, tx.Complete, tx.Rollback, tx.XID
	if !cur.counts && (st.filtered || !hasGTID && !tx.Transactional) {
		return
	}
	st.txCount++
	if complete {
		st.txComplete++
	}
	if rollback {
		st.txRollback++
	}
	if xid != 0 {
		st.txXID++
	}
	st.txRows += cur.rows
	st.txBytes += cur.bytes
	st.txRowBytes += cur.rowBytes
	if cur.first != 0 {
		if st.txFirst == 0 || cur.first < st.txFirst {
			st.txFirst = cur.first
		}
		st.txLast = max(st.txLast, cur.first)
		st.hist.add(cur.first, cur.rows, cur.bytes)
	}
	rec := &st.scratch // not a local: the rankings' key funcs would make it escape, one allocation per transaction
	*rec = txRecord{seq: st.txSeq, file: file, pos: pos, endFile: cur.endFile, endPos: cur.endPos,
		start: cur.first, end: cur.last, rows: cur.rows, bytes: cur.bytes, rowBytes: cur.rowBytes,
		events: cur.events, complete: complete, rollback: rollback}
	isBig := st.bigRows > 0 && rec.rows >= st.bigRows
	isLong := st.longSeconds > 0 && uint64(rec.duration()) >= st.longSeconds
	if isBig {
		st.bigCount++
	}
	if isLong {
		st.longCount++
	}
	if !st.byRows.wants(rec) && !st.byBytes.wants(rec) && !st.byDuration.wants(rec) &&
		!(isBig && st.big.wants(rec)) && !(isLong && st.long.wants(rec)) {
		return
	}
	// It ranks somewhere: keep a copy with its names.
	r := new(txRecord)
	*r = *rec
	if hasGTID {
		r.gtid = tx.GTID.String()
	}
	for _, t := range cur.tables {
		r.tables = append(r.tables, t.schema+"."+t.table)
	}
	r.moreTables = cur.moreTables
	st.byRows.add(r)
	st.byBytes.add(r)
	st.byDuration.add(r)
	if isBig {
		st.big.add(r)
	}
	if isLong {
		st.long.add(r)
	}
}

// newDDL describes a DDL statement: its text converted from the
// connection's character set to UTF-8 and cut to maxDDLText bytes.
func (st *collector) newDDL(ev *event.Event, q *event.Query) ddlEntry {
	text := q.Query
	if cs := q.Status.CharsetClient; cs != 0 {
		if u, ok := rowcodec.AppendUTF8From(nil, cs, text); ok {
			text = u
		}
	}
	text = bytes.Join(bytes.Fields(text), []byte(" "))
	truncated := false
	if len(text) > maxDDLText {
		cut := maxDDLText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text, truncated = text[:cut], true
	}
	var gtid string
	if st.txHasGTID {
		gtid = st.txGTID.String()
	}
	return ddlEntry{schema: printable(q.Schema), time: ev.Header.Timestamp, file: ev.File, pos: ev.Pos, gtid: gtid,
		statement: printable(text), truncated: truncated}
}

// printable returns b as a string, with bytes that are not UTF-8 replaced.
func printable(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
