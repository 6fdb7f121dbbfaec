// Package flashback turns a range of row-format binlog into its inverse: the
// rollback SQL or the rollback binlog that undoes every committed change of
// the range, transaction by transaction, last first.
//
// Each row change is inverted (WRITE becomes DELETE, DELETE becomes WRITE,
// UPDATE swaps its before and after images) by moving the row images as raw
// bytes, so every value is kept exactly. Order is reversed at every level:
// rows inside a rows event, rows events inside a transaction, transactions
// across the range, and files across a multi-file input. Each original
// transaction becomes one rollback transaction.
//
// The input is read forward once. Each transaction's inverted events go to
// an on-disk segment as they are produced (a spill file in Options.TempDir),
// and the outputs read the segments back from the last to the first, so
// neither a binlog larger than memory nor a transaction larger than memory
// needs more than a few buffers: what stays in memory is one event, the
// offsets of the current transaction's events (8 bytes each) and the
// Summary.
//
// Changes that cannot be undone from the binlog are refused with an
// *UnsafeError naming the position (or, with Options.SkipUnsafe, their whole
// transaction is left out and listed in the Summary): DDL, statement-format
// DML, rows events without full before and after images (binlog_row_image
// MINIMAL or NOBLOB), XA PREPARE (whose outcome is decided later), and,
// with Options.RequireKey, tables whose Table_map logs no primary key.
// MySQL's PARTIAL_UPDATE_ROWS (binlog_row_value_options=PARTIAL_JSON) is
// undone like UPDATE_ROWS: its after image is rebuilt from the full before
// image and the JSON diffs (see Inverter.Invert).
//
// Foreign-key cascades and triggers: a flashback undoes exactly the row
// changes the binlog holds. MariaDB, and MySQL with InnoDB's native foreign
// keys (every version through 8.4, and later ones unless they offer and use
// innodb_native_foreign_keys=OFF), run cascades inside the engine and do not log the child rows they
// change, so undoing a parent change does not restore cascaded child rows
// (an undone ON UPDATE CASCADE key change cascades again on the target when
// the rollback SQL runs). MySQL with SQL-layer foreign keys logs the child
// rows before the parent's, and their inverse comes, correctly, after the
// parent's. Rows written by triggers are logged and undone; rollback SQL
// fires the target's triggers again, while rows events replayed through
// mariadb-binlog or mysqlbinlog do not. Summary.Warnings repeats this.
package flashback

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// DefaultMemoryBudget is the memory budget when Options.MemoryBudget is 0.
const DefaultMemoryBudget = 256 << 20

// ErrUnsafe is wrapped by every error about a change that cannot be undone
// safely.
var ErrUnsafe = errors.New("flashback: cannot be undone safely")

// Options configure a Flashback.
type Options struct {
	// TempDir is the directory of the spill file ("" means os.TempDir()).
	TempDir string
	// MemoryBudget bounds the buffers a Flashback holds (bytes; 0 means
	// DefaultMemoryBudget). The spill file's write buffer and read buffers
	// take a small fraction of it; the rest is headroom for one event.
	MemoryBudget int64
	// SkipUnsafe leaves out transactions holding a change that cannot be
	// undone (listed in Summary.Skipped) instead of failing.
	SkipUnsafe bool
	// RequireKey refuses rows events of tables whose Table_map logs no
	// primary key (binlog_row_metadata=FULL logs it): rollback SQL of such
	// tables matches rows on every column.
	RequireKey bool
	// Tables, when not nil, is the table filter the input was read through:
	// DDL that changes none of the tables it keeps (and drops no database
	// that may hold one) does not stop the flashback, as other tables'
	// definitions do not matter to the rows undone. DDL on a kept table
	// still cannot be undone. Statements that change no table at all
	// (grants, users, views, triggers, routines, CREATE DATABASE) never
	// stop it, filter or not; Summary.Ignored lists them.
	Tables *binlog.TableFilter
	// Precision, when not nil, sets the precisions of a rows event's table
	// before its rows are inverted (rowcodec.Table.SetPrecision): MariaDB
	// logs TIME(n), DATETIME(n) and TIMESTAMP(n) of its older formats
	// without n, and the rows' bounds depend on it. schema.PrecisionSetter
	// makes one from a schema.Provider. It is called while the table needs
	// a precision; without one such rows stop Add with a
	// *rowcodec.PrecisionError (unless they read as values without
	// fractions).
	Precision func(t *rowcodec.Table) error
}

// UnsafeError is a change that cannot be undone, at a position of the
// input.
type UnsafeError struct {
	File   string
	Pos    uint64
	GTID   string // the transaction's GTID, "" when none
	Reason string
}

// Error says where and why.
func (e *UnsafeError) Error() string {
	s := fmt.Sprintf("flashback: %s:%d: %s", e.File, e.Pos, e.Reason)
	if e.GTID != "" {
		s += " (gtid " + e.GTID + ")"
	}
	return s
}

// Unwrap returns ErrUnsafe.
func (e *UnsafeError) Unwrap() error { return ErrUnsafe }

// Counts are the row changes of one table a flashback undoes, by the kind of
// the original change.
type Counts struct {
	Inserts, Updates, Deletes uint64
}

// Skipped is a transaction left out of the rollback, with the reason.
type Skipped struct {
	File   string
	Pos    uint64
	GTID   string
	Reason string
}

// maxSkippedListed bounds Summary.Skipped (SkippedCount counts them all).
const maxSkippedListed = 1000

// maxIgnoredListed bounds Summary.Ignored.
const maxIgnoredListed = 100

// Summary describes what a flashback undoes and what it left out.
type Summary struct {
	// Transactions is the number of rollback transactions.
	Transactions int
	// Rows counts the undone row changes per table (`db`.`table`).
	Rows map[string]*Counts
	// Skipped lists the first 1000 transactions left out; SkippedCount
	// counts all of them.
	Skipped      []Skipped
	SkippedCount int
	// Warnings are things to check by hand.
	Warnings []string
	// Ignored lists the first statements of the input (up to 100) that
	// change no table the rollback concerns, and so did not stop it;
	// IgnoredCount counts all of them.
	Ignored      []Skipped
	IgnoredCount int
}

// Write prints the summary as text.
func (s *Summary) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "flashback: %d rollback transaction(s)\n", s.Transactions)
	for _, name := range sortedKeys(s.Rows) {
		c := s.Rows[name]
		fmt.Fprintf(&b, "  %s: %d insert(s) undone by DELETE, %d update(s) undone by UPDATE, %d delete(s) undone by INSERT\n", name, c.Inserts, c.Updates, c.Deletes)
	}
	if s.SkippedCount > 0 {
		fmt.Fprintf(&b, "flashback: %d transaction(s) skipped:\n", s.SkippedCount)
		for _, sk := range s.Skipped {
			fmt.Fprintf(&b, "  %s:%d", sk.File, sk.Pos)
			if sk.GTID != "" {
				fmt.Fprintf(&b, " gtid %s", sk.GTID)
			}
			fmt.Fprintf(&b, ": %s\n", sk.Reason)
		}
		if s.SkippedCount > len(s.Skipped) {
			fmt.Fprintf(&b, "  … and %d more\n", s.SkippedCount-len(s.Skipped))
		}
	}
	if s.IgnoredCount > 0 {
		fmt.Fprintf(&b, "flashback: %d statement(s) in the range change no table it undoes and were ignored:\n", s.IgnoredCount)
		for _, ig := range s.Ignored {
			fmt.Fprintf(&b, "  %s:%d: %s\n", ig.File, ig.Pos, ig.Reason)
		}
		if s.IgnoredCount > len(s.Ignored) {
			fmt.Fprintf(&b, "  … and %d more\n", s.IgnoredCount-len(s.Ignored))
		}
	}
	for _, w := range s.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Flashback collects the inverse of binlog ranges (Add) and writes it as
// rollback SQL (WriteSQL) or a rollback binlog (WriteBinlog, WriteBinlogFiles).
// Close removes its spill file. It is not safe for concurrent use.
type Flashback struct {
	opts    Options
	f       *os.File
	w       *bufio.Writer
	off     int64 // bytes written to the spill file
	outFmt  *event.FormatDescription
	summary Summary
	inv     Inverter
	tables  rowcodec.Tables
	buf     []byte
	seg     segment
	latest  uint32 // the latest timestamp of an undone transaction
	// Scratch of addTx: its row counts, a table's name, and the names
	// counted (see addCount).
	counts []countDelta
	name   []byte
	names  map[string]string
	// stmts keeps the stmtTexts of DDL texts (stmtsBytes of text); see
	// Flashback.statement.
	stmts      map[string]*stmtText
	stmtsBytes int
	done       bool

	// A worker of AddParallel (shard) writes its segments to mem, offsets
	// counted from the batch's start. full (of the Flashback the shards
	// merge into, parent) says which Summary lists are full: a shard then
	// no longer formats what they would list.
	shard  bool
	mem    []byte
	parent *Flashback
	full   atomic.Uint32

	// The distinct Table_maps of the rollback (one per definition, table
	// ids aside), where each was first met: what CheckSQL checks. Those of
	// the current transaction are pending until it is kept.
	tableKeys map[string]struct{}
	// tmCache holds the Table_maps the outputs read back, by record body
	// (see tableMap).
	tmCache map[string]*event.TableMap
	// reg holds the table definitions the spill file's Table_map records
	// stand for (shared with AddParallel's shards); mapIDs are the numbers
	// this Flashback knows, key is scratch.
	reg       *mapRegistry
	mapIDs    map[string]uint32
	key       []byte
	tableMaps []tableMapAt
	pending   int // tableMaps[pending:] are the current transaction's
}

// tableMapAt is a Table_map of the input and where it was.
type tableMapAt struct {
	tm   *event.TableMap
	file string
	pos  uint64
	key  string
}

// addTableMap spills a record standing for tm (with header h, at pos and
// next), and records tm among the rollback's table definitions. The
// record holds tm's table id and the number of its definition (table ids
// aside) in fb.reg, which keeps each definition once: servers log a
// Table_map before the rows of every transaction, mostly the same ones,
// and with their column names they were a quarter of the spill file.
func (fb *Flashback) addTableMap(h event.Header, tm *event.TableMap, file string, pos, next uint64) (int64, error) {
	c := *tm
	c.TableID = 0
	key, err := c.AppendBody(fb.key[:0], fb.outFmt)
	if err != nil {
		return 0, fmt.Errorf("flashback: %s:%d: encoding: %w", file, pos, err)
	}
	fb.key = key
	id, ok := fb.mapIDs[string(key)]
	if !ok {
		id = fb.reg.id(key, tm)
		if fb.mapIDs == nil {
			fb.mapIDs = make(map[string]uint32)
		}
		fb.mapIDs[string(key)] = id
	}
	h.Type = event.TableMapEvent
	fb.buf = appendRecordHead(fb.buf[:0], h, 0, pos, next)
	fb.buf = binary.LittleEndian.AppendUint32(fb.buf, id)
	fb.buf = binary.LittleEndian.AppendUint64(fb.buf, tm.TableID)
	off, err := fb.writeRecord()
	if err != nil {
		return 0, err
	}
	fb.noteTable(tm, file, pos, key)
	return off, nil
}

// noteTable records tm (whose body without table id is key) among the
// rollback's table definitions.
func (fb *Flashback) noteTable(tm *event.TableMap, file string, pos uint64, key []byte) {
	if _, ok := fb.tableKeys[string(key)]; ok {
		return
	}
	if fb.tableKeys == nil {
		fb.tableKeys = make(map[string]struct{})
	}
	fb.tableKeys[string(key)] = struct{}{}
	fb.tableMaps = append(fb.tableMaps, tableMapAt{tm: tm.Clone(), file: file, pos: pos, key: string(key)})
}

// keepTables keeps the current transaction's new Table_maps (it is part of
// the rollback), or forgets them.
func (fb *Flashback) keepTables(keep bool) {
	if !keep {
		for _, m := range fb.tableMaps[fb.pending:] {
			delete(fb.tableKeys, m.key)
		}
		fb.tableMaps = fb.tableMaps[:fb.pending]
	}
	fb.pending = len(fb.tableMaps)
}

// New returns a Flashback with its spill file created in opts.TempDir.
func New(opts Options) (*Flashback, error) {
	if opts.MemoryBudget <= 0 {
		opts.MemoryBudget = DefaultMemoryBudget
	}
	f, err := os.CreateTemp(opts.TempDir, "binlogkit-flashback-*.spill")
	if err != nil {
		return nil, fmt.Errorf("flashback: spill file: %w", err)
	}
	// The name is not needed: the file goes away with Close (or the process).
	os.Remove(f.Name())
	fb := &Flashback{opts: opts, f: f, w: bufio.NewWriterSize(f, bufSize(opts.MemoryBudget)), reg: new(mapRegistry)}
	fb.summary.Rows = map[string]*Counts{}
	fb.summary.Warnings = []string{
		"child rows changed by ON DELETE/UPDATE CASCADE are not in MariaDB binlogs nor in MySQL's with InnoDB-native foreign keys: the rollback does not restore them",
		"rollback SQL fires triggers on the target; rows events replayed with mariadb-binlog/mysqlbinlog do not",
	}
	return fb, nil
}

// bufSize is the size of the spill write buffer and of each read buffer.
func bufSize(budget int64) int {
	n := budget / 16
	if n > 1<<20 {
		n = 1 << 20
	}
	if n < 4096 {
		n = 4096
	}
	return int(n)
}

// Close removes the spill file.
func (fb *Flashback) Close() error {
	if fb.f == nil {
		return nil
	}
	err := fb.f.Close()
	fb.f = nil
	return err
}

// Summary returns the summary so far.
func (fb *Flashback) Summary() *Summary { return &fb.summary }

// Format returns the format description the rollback binlog is written with
// (the first input's server version, CRC32 checksums); nil before Add saw a
// FORMAT_DESCRIPTION.
func (fb *Flashback) Format() *event.FormatDescription { return fb.outFmt }

// Add reads r to its end and records the inverse of every complete
// transaction. Call it once per input range, in order: a later range is
// undone before an earlier one. It returns an *UnsafeError for a change it
// cannot undo unless Options.SkipUnsafe is set.
func (fb *Flashback) Add(ctx context.Context, r *binlog.Reader) error {
	if fb.f == nil {
		return errors.New("flashback: closed")
	}
	for tx, err := range r.Transactions(ctx) {
		if err != nil {
			return err
		}
		if err := fb.addTx(tx); err != nil {
			return err
		}
	}
	return fb.w.Flush()
}

// ddlReason says why the statement q (DDL or another statement that is
// neither DML nor transaction control) stops the flashback, or "" when it
// changes no table of the range; without detail the reason is
// unsafeUnlisted. Statements that change no table's rows or
// definition (users and grants, views, triggers, routines, events, CREATE
// and ALTER DATABASE, ALTER SEQUENCE, temporary tables, whose rows are not
// logged) are let through; the tables of the others are read with
// event.StatementTables, unqualified names in the statement's default
// database, and a DDL statement whose tables cannot be told stops the
// flashback as one on a table of the range would.
func (fb *Flashback) ddlReason(q *event.Query, st event.Statement, text *stmtText, detail bool) string {
	if st.Kind != event.StatementDDL || st.Temporary {
		return ""
	}
	switch st.Object {
	case event.ObjectTable, event.ObjectIndex:
	case event.ObjectSequence:
		if st.Verb != event.DDLCreate && st.Verb != event.DDLDrop {
			return ""
		}
	case event.ObjectDatabase:
		if st.Verb != event.DDLDrop {
			return ""
		}
	default:
		return ""
	}
	var refs []event.TableRef
	var ok bool
	if text != nil {
		if !text.refsRead {
			text.refs, text.refsOK = event.StatementTables(q.Query)
			text.refsRead = true
		}
		refs, ok = text.refs, text.refsOK
	} else {
		refs, ok = event.StatementTables(q.Query)
	}
	if !ok {
		if !detail {
			return unsafeUnlisted
		}
		return fmt.Sprintf("DDL in the range whose tables could not be told: %.80q", q.Query)
	}
	f := fb.opts.Tables
	for _, r := range refs {
		switch {
		case r.Table == "":
			if f == nil || f.MatchDatabase(r.DB) {
				if !detail {
					return unsafeUnlisted
				}
				return fmt.Sprintf("DROP DATABASE %s in the range: %.80q", r.DB, q.Query)
			}
		default:
			db := r.DB
			if db == "" {
				db = string(q.Schema)
			}
			if f == nil || f.Match(db, r.Table) {
				if !detail {
					return unsafeUnlisted
				}
				return fmt.Sprintf("DDL on %s.%s in the range: %.80q", db, r.Table, q.Query)
			}
		}
	}
	return ""
}

// stmtText is what addTx reads from the text of a statement that is not
// BEGIN or COMMIT: its kind, and the tables ddlReason reads from DDL.
type stmtText struct {
	st               event.Statement
	refs             []event.TableRef
	refsOK, refsRead bool
}

// Bounds of Flashback.stmts: statements, bytes of their text, the longest
// kept.
const (
	maxStmts      = 1024
	maxStmtsBytes = 1 << 20
	maxStmtBytes  = 64 << 10
)

// statement classifies the statement text q. The DDL of a range is kept by
// text (nil for other statements): files with much DDL repeat the same
// statements, and reading their tables again was 4.5% of the rollback's
// instructions on the benchmark input.
func (fb *Flashback) statement(q []byte) (event.Statement, *stmtText) {
	switch string(q) {
	case "BEGIN", "COMMIT":
		return event.ClassifyStatement(q), nil
	}
	if t, ok := fb.stmts[string(q)]; ok {
		return t.st, t
	}
	st := event.ClassifyStatement(q)
	if st.Kind != event.StatementDDL || len(q) > maxStmtBytes {
		return st, nil
	}
	if fb.stmts == nil || len(fb.stmts) >= maxStmts || fb.stmtsBytes+len(q) > maxStmtsBytes {
		fb.stmts, fb.stmtsBytes = make(map[string]*stmtText), 0
	}
	t := &stmtText{st: st}
	fb.stmts[string(q)] = t
	fb.stmtsBytes += len(q)
	return st, t
}

func gtidString(tx *binlog.Transaction) string {
	if !tx.HasGTID {
		return ""
	}
	return tx.GTID.String()
}

// unsafeUnlisted stands for the reason a transaction is skipped when the
// Summary lists no more skipped transactions: a range may skip many, and
// their reasons are not formatted for nothing.
const unsafeUnlisted = "(not listed)"

// addTx records the inverse of one transaction as a segment.
func (fb *Flashback) addTx(tx *binlog.Transaction) error {
	s := &fb.seg
	s.reset(tx.File, tx.Pos, fb.off)
	gtid := ""
	var unsafe string
	var unsafePos uint64
	// Whether the reason will be shown: in an error, or in the Summary's
	// list of skipped transactions.
	detail := !fb.opts.SkipUnsafe || len(fb.summary.Skipped) < maxSkippedListed && !fb.parentFull(skippedFull)
	rowsSeen := false
	fb.counts = fb.counts[:0]
	for ev, err := range tx.Events() {
		if err != nil {
			return err
		}
		if gtid == "" && tx.HasGTID {
			gtid = gtidString(tx)
		}
		if unsafe != "" {
			continue
		}
		if fb.outFmt == nil && ev.Format != nil {
			// A position filter may have dropped the FORMAT_DESCRIPTION.
			fb.outFmt = rollbackFormat(ev.Format.Version())
		}
		if s.timestamp == 0 {
			s.timestamp = ev.Header.Timestamp
			s.serverID = ev.Header.ServerID
		}
		switch b := ev.Body.(type) {
		case *event.FormatDescription:
			if fb.outFmt == nil {
				fb.outFmt = rollbackFormat(b.Version())
			}
		case *event.Query:
			st, text := fb.statement(b.Query)
			switch classify(st) {
			case stmtBegin:
				if s.begin < 0 {
					off, err := fb.spill(ev.Header, b, 0, ev.Pos, ev.NextPos)
					if err != nil {
						return err
					}
					s.begin = off
				}
			case stmtControl:
			case stmtDML:
				unsafe, unsafePos = unsafeUnlisted, ev.Pos
				if detail {
					unsafe = fmt.Sprintf("statement-format DML cannot be inverted: %.80q", b.Query)
				}
			default:
				if reason := fb.ddlReason(b, st, text, detail); reason != "" {
					unsafe, unsafePos = reason, ev.Pos
				} else {
					fb.summary.IgnoredCount++
					if len(fb.summary.Ignored) < maxIgnoredListed && !fb.parentFull(ignoredFull) {
						fb.summary.Ignored = append(fb.summary.Ignored, Skipped{File: ev.File, Pos: ev.Pos, GTID: gtid,
							Reason: fmt.Sprintf("%.80q changes no table in the range", b.Query)})
					}
				}
			}
		case *event.TableMap:
			if fb.outFmt == nil {
				return fmt.Errorf("flashback: %s:%d: Table_map before any FORMAT_DESCRIPTION", ev.File, ev.Pos)
			}
			if s.hasTable(b.TableID) {
				continue
			}
			off, err := fb.addTableMap(ev.Header, b, ev.File, ev.Pos, ev.NextPos)
			if err != nil {
				return err
			}
			s.maps = append(s.maps, off)
			s.tableIDs = append(s.tableIDs, b.TableID)
		case *event.Rows:
			rowsSeen = true
			if ev.Table == nil {
				return fmt.Errorf("flashback: %s:%d: rows event for table id %d without a Table_map", ev.File, ev.Pos, b.TableID)
			}
			table, err := fb.tables.ForRows(ev)
			if err != nil {
				return fmt.Errorf("flashback: %w", err)
			}
			if fb.opts.Precision != nil && table.NeedsPrecision() {
				if err := fb.opts.Precision(table); err != nil {
					return fmt.Errorf("flashback: %s:%d: table definition of %s: %w", ev.File, ev.Pos, table.AppendName(nil), err)
				}
			}
			if !s.hasTable(b.TableID) {
				// The range started after the transaction's Table_map (at
				// the rows event a DBA copies from mysqlbinlog's "# at"
				// line): the Table_map in force goes into the rollback, or
				// its rows would apply to nothing.
				off, err := fb.addTableMap(ev.Header, ev.Table, ev.File, ev.Pos, ev.Pos)
				if err != nil {
					return err
				}
				s.maps = append(s.maps, off)
				s.tableIDs = append(s.tableIDs, b.TableID)
			}
			if fb.opts.RequireKey && len(table.PrimaryKey) == 0 {
				unsafe, unsafePos = unsafeUnlisted, ev.Pos
				if detail {
					unsafe = fmt.Sprintf("table %s has no primary key in its Table_map (key-only WHERE asked for)", table.AppendName(nil))
				}
				continue
			}
			inv, n, err := fb.inv.Invert(table, b)
			if err != nil {
				if errors.Is(err, ErrUnsafe) {
					unsafe, unsafePos = unsafeUnlisted, ev.Pos
					if detail {
						unsafe = strings.TrimPrefix(err.Error(), ErrUnsafe.Error()+": ") + " on " + string(table.AppendName(nil))
					}
					continue
				}
				return fmt.Errorf("flashback: %s:%d: %w", ev.File, ev.Pos, err)
			}
			off, err := fb.spill(ev.Header, inv, uint32(n), ev.Pos, ev.NextPos)
			if err != nil {
				return err
			}
			s.rows = append(s.rows, off)
			fb.name = table.AppendName(fb.name[:0])
			fb.counts = fb.addCount(fb.counts, fb.name, b.Kind(), n)
		case *event.XID:
			s.xid, s.hasXID = b.XID, true
		case *event.XAPrepare:
			if !b.OnePhase {
				unsafe, unsafePos = "XA PREPARE: whether the XA transaction committed is decided later (XA COMMIT or XA ROLLBACK); undo it by hand", ev.Pos
			}
		case *event.MariaGTID:
			if b.Flags&event.MariaGTIDPreparedXA != 0 {
				unsafe, unsafePos = "XA PREPARE: whether the XA transaction committed is decided later (XA COMMIT or XA ROLLBACK); undo it by hand", ev.Pos
			}
		}
	}
	if unsafe != "" {
		if !fb.opts.SkipUnsafe {
			return &UnsafeError{File: tx.File, Pos: unsafePos, GTID: gtid, Reason: unsafe}
		}
		return fb.skip(tx, gtid, unsafe)
	}
	if !rowsSeen {
		return fb.discard()
	}
	if tx.Rollback {
		// The server logs a rolled-back group only when it changed a
		// non-transactional table: those rows persisted, its
		// transactional rows did not, and the binlog does not say which
		// is which.
		reason := "transaction ended with ROLLBACK after changing a non-transactional table: which of its rows persisted depends on the tables' engines; undo it by hand"
		if !fb.opts.SkipUnsafe {
			return &UnsafeError{File: tx.File, Pos: tx.Pos, GTID: gtid, Reason: reason}
		}
		return fb.skip(tx, gtid, reason)
	}
	if !tx.Complete {
		return fb.skip(tx, gtid, "transaction has no commit in the range (incomplete): not undone")
	}
	if len(s.rows) == 0 {
		return fb.discard()
	}
	s.gtid = gtid
	s.endPos = tx.EndPos
	if err := fb.finishSegment(); err != nil {
		return err
	}
	fb.keepTables(true)
	for _, c := range fb.counts {
		t := fb.summary.Rows[c.table]
		if t == nil {
			t = new(Counts)
			fb.summary.Rows[c.table] = t
		}
		switch c.kind {
		case event.RowsWrite:
			t.Inserts += c.n
		case event.RowsUpdate:
			t.Updates += c.n
		case event.RowsDelete:
			t.Deletes += c.n
		}
	}
	fb.summary.Transactions++
	fb.latest = max(fb.latest, s.timestamp)
	return nil
}

type countDelta struct {
	table string
	kind  event.RowsKind
	n     uint64
}

// addCount adds n rows of kind k of table (its quoted name) to cs.
func (fb *Flashback) addCount(cs []countDelta, table []byte, k event.RowsKind, n int) []countDelta {
	for i := range cs {
		if cs[i].table == string(table) && cs[i].kind == k {
			cs[i].n += uint64(n)
			return cs
		}
	}
	// The names are kept, not made again for each transaction.
	name, ok := fb.names[string(table)]
	if !ok {
		name = string(table)
		if fb.names == nil || len(fb.names) >= maxNames {
			fb.names = make(map[string]string)
		}
		fb.names[name] = name
	}
	return append(cs, countDelta{name, k, uint64(n)})
}

// maxNames bounds Flashback.names.
const maxNames = 4096

// skip drops the current segment and lists the transaction.
func (fb *Flashback) skip(tx *binlog.Transaction, gtid, reason string) error {
	fb.summary.SkippedCount++
	if len(fb.summary.Skipped) < maxSkippedListed {
		fb.summary.Skipped = append(fb.summary.Skipped, Skipped{File: tx.File, Pos: tx.Pos, GTID: gtid, Reason: reason})
	}
	return fb.discard()
}

// discard forgets the records written for the current segment.
func (fb *Flashback) discard() error {
	fb.keepTables(false)
	start := fb.seg.start
	if start == fb.off {
		return nil
	}
	if fb.shard {
		fb.mem = fb.mem[:len(fb.mem)-int(fb.off-start)]
		fb.off = start
		return nil
	}
	if err := fb.w.Flush(); err != nil {
		return err
	}
	if err := fb.f.Truncate(start); err != nil {
		return err
	}
	if _, err := fb.f.Seek(start, io.SeekStart); err != nil {
		return err
	}
	fb.off = start
	return nil
}

type stmtClass int

const (
	stmtDDL stmtClass = iota
	stmtBegin
	stmtControl
	stmtDML
)

// classify sorts a QUERY event's statement: BEGIN opens a rollback
// transaction, the other transaction statements change nothing, DML and
// everything else (DDL, grants, …) cannot be inverted from the binlog.
func classify(st event.Statement) stmtClass {
	switch st.Kind {
	case event.StatementBegin:
		if st.XA {
			return stmtControl
		}
		return stmtBegin
	case event.StatementCommit, event.StatementRollback, event.StatementSavepoint, event.StatementXA:
		return stmtControl
	case event.StatementDML:
		return stmtDML
	}
	return stmtDDL
}

// rollbackFormat is the FORMAT_DESCRIPTION of the rollback binlog: the
// source's server version, with CRC32 checksums when that version knows
// them (MySQL 5.6.1+, MariaDB 5.3+); readers take an older version's FDE to
// have no checksum algorithm byte, so its rollback has no checksums.
func rollbackFormat(version string) *event.FormatDescription {
	alg := event.ChecksumCRC32
	if !event.VersionChecksumAware([]byte(version)) {
		alg = event.ChecksumOff
	}
	return event.NewFormatDescription(version, alg)
}
