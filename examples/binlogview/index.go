package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

// Operation kinds, as indexes into tableOps.n and as filter bits.
const (
	opInsert = iota
	opUpdate
	opDelete
	opQuery // a statement: DDL, or DML logged in statement format
	numOps
)

// opNames are the names the API and the page use for the kinds.
var opNames = [numOps]string{"insert", "update", "delete", "statement"}

// Transaction flags.
const (
	txDDL      = 1 << iota // holds a DDL statement
	txStmt                 // holds a non-DDL statement (statement-format DML)
	txComplete             // ended with its commit
	txRollback             // ended with ROLLBACK
	txHasGTID
)

// inputFile is one binlog file of the input.
type inputFile struct {
	Path string // where it is read from
	Name string // what positions call it: the server's name for a backup directory
	Size int64  // bytes on disk
	// Keys decrypt an encrypted file (nil: none given); IDs an archive's
	// age-encrypted file.
	Keys binlog.KeyProvider
	IDs  []age.Identity

	txs      int // transactions indexed
	events   uint64
	firstTS  uint32
	lastTS   uint32
	warnings []string
}

// open opens the file, with its keys.
func (f *inputFile) open() (*binlog.StreamSource, error) {
	return f.openAt(0)
}

// openAt opens the file at an event's offset (binlog.OpenFileAt), with its
// keys; 0 opens it at the start.
func (f *inputFile) openAt(pos uint64) (*binlog.StreamSource, error) {
	src, err := backup.OpenFile(f.Path, pos, f.IDs...)
	if err != nil {
		return nil, err
	}
	if f.Keys != nil {
		src.SetKeys(f.Keys)
	}
	return src, nil
}

// txEntry is the index entry of one transaction: about 64 bytes, no values.
type txEntry struct {
	pos, end uint64 // first event; just past the last event
	seq      uint64 // GTID sequence number (GNO), with gsrc
	first    uint32 // header timestamp of the first and last events
	last     uint32
	tabOff   uint32 // its tableOps are ix.ops[tabOff : tabOff+nTabs]
	gsrc     uint32 // index into ix.gtidSrc, 0 when there is no GTID
	events   uint32
	file     uint16
	nTabs    uint16
	flags    uint8
	_        [3]byte
}

// tableOps counts one transaction's changes to one table (or, with an empty
// table name, the statements it ran in one database).
type tableOps struct {
	table uint32 // index into ix.tables
	n     [numOps]uint32
}

// tableName is an interned db.table pair; Table is "" for statements that
// name only a default database.
type tableName struct {
	DB, Table string
}

func (t tableName) String() string {
	if t.Table == "" {
		return t.DB
	}
	return t.DB + "." + t.Table
}

// index is the compact index built by one pass over the input. Its
// records (txs, ops) are kept out of the heap, in memory-mapped temporary
// files whose pages scans give back behind them (see store), so that the
// process's memory does not grow with the number of transactions.
type index struct {
	files   []inputFile
	txs     []txEntry
	ops     []tableOps
	txStore *store[txEntry]
	opStore *store[tableOps]
	tables  []tableName
	tableID map[tableName]uint32
	// gtidSrc holds one GTID per GTID source (MariaDB domain and server,
	// MySQL UUID and tag) with a zero sequence number; gtidSrc[0] is unused.
	gtidSrc []binlog.GTID
	gtidID  map[binlog.GTID]uint32

	events  uint64
	elapsed time.Duration
	masked  bool

	// loc is the zone of the times shown (--tz, else the local one).
	loc *time.Location
	// sel is the command line's selection (nil: every event): filter
	// chooses the events indexed, shown those a transaction's details
	// and exports show.
	sel    *cli.Selection
	filter binlog.Filter
	shown  binlog.Filter
	done   bool // the selection can keep nothing more

	// masker makes the masker of each reading pass (nil: no masking).
	masker maskerFactory
	// defs are the definitions of the tables of MariaDB's older temporal
	// formats by Table_map (see precision.go); nil for an ambiguous one.
	defs map[defKey]*schema.Table
}

// eventMasker rewrites the values of events before anything else sees them:
// the masking rules of --mask (package mask's *Masker).
type eventMasker interface {
	// Apply returns ev with its sensitive values masked.
	Apply(ev *event.Event) (*event.Event, error)
	// Source returns a Source yielding src's events masked.
	Source(src binlog.Source, opts ...binlog.Option) binlog.Source
}

// maskerFactory returns a fresh masker: one per reading pass, since a
// masker keeps per-table state and is not safe for concurrent use.
// prec gives the rows' tables the precisions of MariaDB's older temporal
// formats.
type maskerFactory func(prec func(t *rowcodec.Table) error) (eventMasker, error)

// newMasker returns the masker of a reading pass, nil without masking.
func (ix *index) newMasker() (eventMasker, error) {
	if ix.masker == nil {
		return nil, nil
	}
	return ix.masker(ix.setPrecision)
}

// behind gives back the index pages a scan in ascending order of
// transaction ids has left behind it, every few thousand transactions.
type behind struct {
	ix   *index
	next int
}

// at is called with each transaction id the scan reaches.
func (b *behind) at(id int) {
	if id < b.next || id >= len(b.ix.txs) {
		return
	}
	b.ix.txStore.dropBefore(id)
	b.ix.opStore.dropBefore(int(b.ix.txs[id].tabOff))
	b.next = id + 1<<14
}

// close releases the index's records: the index is unusable afterwards.
func (ix *index) close() {
	ix.txs, ix.ops = nil, nil
	ix.txStore.close()
	ix.opStore.close()
}

// release gives back every index page the process holds.
func (ix *index) release() {
	ix.txStore.dropBefore(len(ix.txs))
	ix.opStore.dropBefore(len(ix.ops))
}

// totals returns the row counts of a transaction by kind.
func (ix *index) totals(e *txEntry) (n [numOps]uint32) {
	for _, o := range ix.ops[e.tabOff : e.tabOff+uint32(e.nTabs)] {
		for k := range n {
			n[k] += o.n[k]
		}
	}
	return n
}

// gtidOf returns the transaction's GTID; ok is false when it has none.
func (ix *index) gtidOf(e *txEntry) (g binlog.GTID, ok bool) {
	if e.gsrc == 0 {
		return g, false
	}
	g = ix.gtidSrc[e.gsrc]
	if g.Flavor == event.MariaDB {
		g.Seq = e.seq
	} else {
		g.GNO = e.seq
	}
	return g, true
}

func (ix *index) internTable(t tableName) uint32 {
	if id, ok := ix.tableID[t]; ok {
		return id
	}
	id := uint32(len(ix.tables))
	ix.tables = append(ix.tables, t)
	ix.tableID[t] = id
	return id
}

func (ix *index) internGTID(g binlog.GTID) (uint32, uint64) {
	seq := g.Seq
	if g.Flavor == event.MariaDB {
		g.Seq = 0
	} else {
		seq, g.GNO = g.GNO, 0
	}
	if id, ok := ix.gtidID[g]; ok {
		return id, seq
	}
	id := uint32(len(ix.gtidSrc))
	ix.gtidSrc = append(ix.gtidSrc, g)
	ix.gtidID[g] = id
	return id, seq
}

// expandInputs turns FILE arguments and --dir into the list of files to read:
// a directory stands for the binlog files of a backup kept by binlogbackup,
// named as the server names them.
func expandInputs(args []string) ([]inputFile, error) {
	var files []inputFile
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			files = append(files, inputFile{Path: a, Name: filepath.Base(a), Size: fi.Size()})
			continue
		}
		entries, err := backup.Files(a)
		if err != nil {
			return nil, err
		}
		if len(entries) == 0 {
			return nil, fmt.Errorf("%s: no binlog files in the directory", a)
		}
		for _, e := range entries {
			p := filepath.Join(a, e.Stored)
			var size int64
			if st, err := os.Stat(p); err == nil {
				size = st.Size()
			}
			files = append(files, inputFile{Path: p, Name: e.Name, Size: size})
		}
	}
	if len(files) > 1<<16-1 {
		return nil, fmt.Errorf("%d files: at most 65535 are supported", len(files))
	}
	return files, nil
}

// selectFiles keeps the files from first to last (by name; "" leaves that
// end open), as --start-file and --stop-file pick them.
func selectFiles(files []inputFile, first, last string) ([]inputFile, error) {
	find := func(name string, def int) (int, error) {
		if name == "" {
			return def, nil
		}
		for i, f := range files {
			if f.Name == name || filepath.Base(f.Name) == filepath.Base(name) {
				return i, nil
			}
		}
		names := make([]string, 0, 4)
		for i, f := range files {
			if i == 3 && len(files) > 4 {
				names = append(names, fmt.Sprintf("… %s (%d files)", files[len(files)-1].Name, len(files)))
				break
			}
			names = append(names, f.Name)
		}
		return 0, cli.Usagef("no file %s among the inputs (%s)", name, strings.Join(names, ", "))
	}
	from, err := find(first, 0)
	if err != nil {
		return nil, err
	}
	to, err := find(last, len(files)-1)
	if err != nil {
		return nil, err
	}
	if to < from {
		return nil, cli.Usagef("the stop file %s comes before the start file %s in the inputs", last, first)
	}
	return files[from : to+1], nil
}

// housekeeping reports the events that make a transaction of their own
// without changing data: they are counted but not listed.
func housekeeping(t event.Type) bool {
	switch t {
	case event.FormatDescriptionEvent, event.RotateEvent, event.StopEvent,
		event.PreviousGTIDsEvent, event.MariaGTIDListEvent, event.MariaBinlogCheckpointEvent,
		event.HeartbeatEvent, event.HeartbeatEventV2, event.MariaStartEncryptionEvent:
		return true
	}
	return false
}

// isTxControl reports whether a statement only opens or ends a transaction
// (BEGIN, COMMIT, ROLLBACK, the XA verbs): the viewer shows no row for it.
func isTxControl(st event.Statement) bool {
	switch st.Kind {
	case event.StatementBegin, event.StatementCommit, event.StatementRollback, event.StatementXA:
		return true
	}
	return false
}

// progressFunc is told the bytes read so far of the current file.
type progressFunc func(file int, offset uint64)

// buildIndex reads every file once and indexes its transactions: with a
// selection (the command line's), only the events it keeps, and the
// transactions holding one; times are then shown in its zone (else UTC).
// sch follows the table definitions through the stream (nil: the stream's
// own DDL).
func buildIndex(ctx context.Context, files []inputFile, masker maskerFactory, prog progressFunc, sel *cli.Selection, sch *cli.Schema) (*index, error) {
	start := time.Now()
	ix := &index{
		files:   files,
		tableID: make(map[tableName]uint32),
		gtidSrc: make([]binlog.GTID, 1),
		gtidID:  make(map[binlog.GTID]uint32),
		masker:  masker,
		loc:     time.UTC,
	}
	if sel != nil {
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = f.Name
		}
		sel.SetFiles(names)
		ix.sel = sel
		if sel.Loc != nil {
			ix.loc = sel.Loc
		}
		ix.filter = sel.Filter()
		if tf := sel.TableFilter(); tf != nil {
			ix.shown = tf
		}
	}
	if sch == nil {
		var err error
		if sch, err = cli.OpenSchema(ctx, "", "", nil); err != nil {
			return nil, err
		}
	}
	var err error
	if ix.txStore, err = newStore[txEntry](""); err != nil {
		return nil, err
	}
	if ix.opStore, err = newStore[tableOps](""); err != nil {
		ix.txStore.close()
		return nil, err
	}
	built := false
	defer func() {
		if !built {
			ix.close()
		}
	}()
	var tables rowcodec.Tables
	for fi := range ix.files {
		if ix.done {
			break
		}
		if err := ix.indexFile(ctx, fi, &tables, sch, prog); err != nil {
			return nil, err
		}
	}
	if sel != nil {
		if err := sel.Err(); err != nil {
			return nil, err
		}
	}
	if ix.txs, err = ix.txStore.finish(); err != nil {
		return nil, err
	}
	if ix.ops, err = ix.opStore.finish(); err != nil {
		return nil, err
	}
	built = true
	ix.elapsed = time.Since(start)
	return ix, nil
}

func (ix *index) indexFile(ctx context.Context, fi int, tables *rowcodec.Tables, sch *cli.Schema, prog progressFunc) error {
	f := &ix.files[fi]
	// Rows are indexed with the definitions in force at their position.
	prec := func(t *rowcodec.Table) error {
		if !hasOldTemporal(t) {
			return nil
		}
		def, err := sch.Provider().Table(string(t.Schema), string(t.Name))
		if err != nil {
			return err
		}
		ix.noteDef(t, def)
		schema.SetPrecisions(t, def)
		return nil
	}
	var m eventMasker
	if ix.masker != nil {
		var err error
		if m, err = ix.masker(prec); err != nil {
			return err
		}
	}
	src, err := f.open()
	if err != nil {
		return err
	}
	defer src.Close()
	r := binlog.NewReader(src)
	tables.Clear()
	byTID := make(map[uint64]uint32)
	var cur []tableOps // this transaction's tables
	n := 0
	for tx, err := range r.Transactions(ctx) {
		if err != nil {
			return ix.readErr(f, err)
		}
		e := txEntry{pos: tx.Pos, file: uint16(fi)}
		cur = cur[:0]
		listed := tx.HasGTID
		kept := 0
		add := func(id uint32, op int, count uint32) {
			for i := range cur {
				if cur[i].table == id {
					cur[i].n[op] += count
					return
				}
			}
			o := tableOps{table: id}
			o.n[op] = count
			cur = append(cur, o)
		}
		var ierr error
		for ev, err := range tx.Events() {
			if err != nil {
				ierr = err
				break
			}
			sch.Observe(ev) // the selection may leave out the DDL that matters
			if ix.filter != nil && !ix.filter.Keep(ev) {
				if ix.sel.Done() {
					ix.done = true
					break
				}
				continue
			}
			kept++
			if m != nil {
				pos := ev.Pos
				if ev, err = m.Apply(ev); err != nil {
					return fmt.Errorf("%s:%d: masking: %w", f.Name, pos, err)
				}
			}
			e.events++
			ts := ev.Header.Timestamp
			if e.first == 0 {
				e.first = ts
			}
			e.last = ts
			if !housekeeping(ev.Header.Type) {
				listed = true
			}
			switch b := ev.Body.(type) {
			case *event.Rows:
				kind := b.Kind()
				if ev.Table == nil || kind == event.RowsNone {
					continue
				}
				op := opInsert
				switch kind {
				case event.RowsUpdate:
					op = opUpdate
				case event.RowsDelete:
					op = opDelete
				}
				rows := uint32(0)
				if t, err := tables.ForRows(ev); err == nil {
					if err := prec(t); err != nil {
						f.warnings = append(f.warnings, fmt.Sprintf("%s:%d: table definition of %s: %v", f.Name, ev.Pos, t.AppendName(nil), err))
					}
					it := t.Rows(b, nil, nil)
					for it.Next() {
						rows++
					}
					if it.Err() != nil {
						f.warnings = append(f.warnings, fmt.Sprintf("%s:%d: %v", f.Name, ev.Pos, it.Err()))
					}
				}
				// Table ids repeat: look the name up by id, without
				// making strings of it, while it stays the same.
				id, ok := byTID[ev.Table.TableID]
				if !ok || ix.tables[id].DB != string(ev.Table.Schema) || ix.tables[id].Table != string(ev.Table.Table) {
					id = ix.internTable(tableName{string(ev.Table.Schema), string(ev.Table.Table)})
					byTID[ev.Table.TableID] = id
				}
				add(id, op, rows)
			case *event.Query:
				stmt := b.Statement()
				if isTxControl(stmt) {
					continue
				}
				if stmt.Kind == event.StatementDDL {
					e.flags |= txDDL
				} else {
					e.flags |= txStmt
				}
				add(ix.internTable(tableName{DB: string(b.Schema)}), opQuery, 1)
			}
		}
		if ierr != nil {
			return ix.readErr(f, ierr)
		}
		e.end = tx.EndPos
		if tx.Complete {
			e.flags |= txComplete
		}
		if tx.Rollback {
			e.flags |= txRollback
		}
		f.events += uint64(e.events)
		ix.events += uint64(e.events)
		if f.firstTS == 0 {
			f.firstTS = e.first
		}
		if e.last != 0 {
			f.lastTS = e.last
		}
		// With a table filter, a transaction is listed when it kept a
		// change or a statement, not only its GTID and commit.
		if !listed || kept == 0 || ix.sel != nil && ix.sel.Filtered() && len(cur) == 0 {
			if ix.done {
				break
			}
			continue
		}
		if tx.HasGTID {
			e.flags |= txHasGTID
			e.gsrc, e.seq = ix.internGTID(tx.GTID)
		}
		if len(cur) > 1<<16-1 {
			cur = cur[:1<<16-1]
		}
		e.tabOff = uint32(ix.opStore.len())
		e.nTabs = uint16(len(cur))
		slices.SortFunc(cur, func(a, b tableOps) int { return int(a.table) - int(b.table) })
		if err := ix.opStore.add(cur...); err != nil {
			return err
		}
		if err := ix.txStore.add(e); err != nil {
			return err
		}
		f.txs++
		if n++; n%4096 == 0 && prog != nil {
			prog(fi, e.end)
		}
		if ix.done {
			break
		}
	}
	if prog != nil {
		prog(fi, uint64(f.Size))
	}
	return nil
}

// readErr turns a read error into the index's answer: a binlog cut inside its
// last event (a file being written) ends the file with a warning; anything
// else fails.
func (ix *index) readErr(f *inputFile, err error) error {
	if errors.Is(err, binlog.ErrTruncated) || errors.Is(err, io.ErrUnexpectedEOF) {
		f.warnings = append(f.warnings, fmt.Sprintf("%s: %v (the rest of the file is ignored)", f.Name, err))
		return nil
	}
	return fmt.Errorf("%s: %w", f.Name, err)
}
