package flashback

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/sqlgen"
)

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// setGTIDNextAutomatic is the statement that starts each rollback
// transaction of a MySQL binlog (see txWriter.begin).
const setGTIDNextAutomatic = "SET @@SESSION.GTID_NEXT='AUTOMATIC'"

// gtidNextAware reports whether the rollback binlog is for a MySQL 5.7 or
// later server, which has GTID_NEXT and whose mysqlbinlog leaves it
// undetermined after a FORMAT_DESCRIPTION.
func gtidNextAware(f *event.FormatDescription) bool {
	if f.Flavor() == event.MariaDB {
		return false
	}
	v := f.Version()
	major, rest, _ := strings.Cut(v, ".")
	minor, _, _ := strings.Cut(rest, ".")
	m, err1 := strconv.Atoi(major)
	n, err2 := strconv.Atoi(minor)
	return err1 == nil && err2 == nil && (m > 5 || m == 5 && n >= 7)
}

// errNoFormat is returned by the outputs when no input had a
// FORMAT_DESCRIPTION.
var errNoFormat = fmt.Errorf("flashback: no FORMAT_DESCRIPTION in the input")

// txWriter writes rollback transactions into a binlog, grouping them as
// BinlogOptions say.
type txWriter struct {
	fb     *Flashback
	w      *binlog.Writer
	opts   BinlogOptions
	open   bool
	rows   int
	commit event.Body // how the open transaction ends
	h      event.Header
}

// begin starts a transaction: for MySQL 5.7 and later a statement that
// sets GTID_NEXT to AUTOMATIC, then BEGIN (the original's when tx had one).
//
// A rollback transaction is a new transaction of the target server: it
// must get the target's own GTID when gtid_mode is ON and none when it is
// OFF. mysqlbinlog's output of a binlog sets GTID_NEXT from each GTID or
// ANONYMOUS_GTID event; without one, the BINLOG statement of the
// FORMAT_DESCRIPTION leaves GTID_NEXT undetermined, which a server with
// gtid_mode=ON takes for ANONYMOUS and refuses (ERROR 1782). SET
// GTID_NEXT='AUTOMATIC' before each transaction makes "mysqlbinlog FILE |
// mysql" apply it in either mode.
func (tw *txWriter) begin(tx *Tx) error {
	if tw.open {
		return nil
	}
	h := event.Header{Timestamp: tx.Timestamp, ServerID: tx.ServerID}
	if gtidNextAware(tw.fb.outFmt) {
		if err := tw.w.WriteBody(h, &event.Query{Query: []byte(setGTIDNextAutomatic)}); err != nil {
			return err
		}
	}
	begin, ok, err := tx.Begin()
	if err != nil {
		return err
	}
	if ok {
		bh := begin.Header
		bh.Flags = 0
		err = tw.w.WriteBody(bh, begin.Body)
	} else {
		err = tw.w.WriteBody(h, &event.Query{Query: []byte("BEGIN")})
	}
	tw.open, tw.rows = true, 0
	return err
}

// end commits the open transaction, with the XID of the last original
// transaction written (a COMMIT query when it had none).
func (tw *txWriter) end() error {
	if !tw.open {
		return nil
	}
	tw.open = false
	return tw.w.WriteBody(tw.h, tw.commit)
}

// write writes one rollback transaction's events: the Table_maps, the
// inverted rows events with STMT_END on the last one (and on the last of
// each chunk), opening and committing transactions as grouped.
func (tw *txWriter) write(tx *Tx) error {
	tw.h = event.Header{Timestamp: tx.Timestamp, ServerID: tx.ServerID}
	if tx.HasXID {
		tw.commit = &event.XID{XID: tx.XID}
	} else {
		tw.commit = &event.Query{Query: []byte("COMMIT")}
	}
	if err := tw.begin(tx); err != nil {
		return err
	}
	maps, err := tx.TableMaps()
	if err != nil {
		return err
	}
	writeMaps := func() error {
		for _, m := range maps {
			if err := tw.w.WriteBody(m.Header, m.Body); err != nil {
				return err
			}
		}
		return nil
	}
	if err := writeMaps(); err != nil {
		return err
	}
	chunk := tw.opts.ChunkRows > 0 && !tw.opts.OneTransaction
	i, n := 0, tx.NumRowsEvents()
	for rec, err := range tx.RowsEvents() {
		if err != nil {
			return err
		}
		i++
		if !tw.open {
			// A chunk ended inside this transaction.
			if err := tw.begin(tx); err != nil {
				return err
			}
			if err := writeMaps(); err != nil {
				return err
			}
		}
		r := rec.Body.(*event.Rows)
		tw.rows += rec.Rows
		chunkFull := chunk && tw.rows >= tw.opts.ChunkRows
		if i == n || chunkFull {
			r.Flags |= event.RowsFlagStmtEnd
		}
		if err := tw.w.WriteBody(rec.Header, r); err != nil {
			return err
		}
		if chunkFull {
			if err := tw.end(); err != nil {
				return err
			}
		}
	}
	if !tw.opts.OneTransaction && !chunk {
		return tw.end()
	}
	return nil
}

// BinlogOptions say how a rollback binlog is grouped and split.
type BinlogOptions struct {
	// OneTransaction writes the whole rollback as a single transaction
	// instead of one per original transaction.
	OneTransaction bool
	// ChunkRows > 0 commits after every rows event that brings the open
	// transaction to ChunkRows rows or more, instead of once per original
	// transaction (a rows event is never split).
	ChunkRows int
	// MaxFileSize > 0 starts a new file once one has reached this size,
	// only between transactions (see WriteBinlogFiles).
	MaxFileSize int64
}

// WriteBinlog writes the rollback binlog to out as one file: the magic, a
// FORMAT_DESCRIPTION of the first input's server version with CRC32
// checksums (none for servers older than MySQL 5.6.1 / MariaDB 5.3, whose
// FDE cannot announce them), then one rollback transaction per original, last first.
func (fb *Flashback) WriteBinlog(out io.Writer) error {
	if fb.outFmt == nil {
		return errNoFormat
	}
	bw := bufio.NewWriterSize(out, bufSize(fb.opts.MemoryBudget))
	w := binlog.NewWriter(bw)
	if err := w.WriteBody(event.Header{Timestamp: fb.formatTime(), ServerID: 1}, fb.outFmt); err != nil {
		return err
	}
	tw := &txWriter{fb: fb, w: w}
	for tx, err := range fb.Transactions() {
		if err != nil {
			return err
		}
		if err := tw.write(tx); err != nil {
			return err
		}
	}
	if err := tw.end(); err != nil {
		return err
	}
	return bw.Flush()
}

// formatTime is the timestamp of the rollback binlog's FORMAT_DESCRIPTION:
// that of the latest transaction undone, so that the same input gives the
// same bytes (the time of the run when there is none).
func (fb *Flashback) formatTime() uint32 {
	if fb.latest != 0 {
		return fb.latest
	}
	return uint32(time.Now().Unix())
}

// WriteBinlogFiles writes the rollback binlog to path, starting a new file
// whenever one has reached maxSize bytes (0: no limit) — only between
// transactions, so a transaction is never split and a file may exceed
// maxSize by its last transaction. The files are path, path.000002,
// path.000003 …; each starts with its own FORMAT_DESCRIPTION and all but
// the last end with a ROTATE naming the next. It returns the file names.
func (fb *Flashback) WriteBinlogFiles(path string, maxSize int64) ([]string, error) {
	return fb.WriteBinlogOpts(path, BinlogOptions{MaxFileSize: maxSize})
}

// WriteBinlogOpts is WriteBinlogFiles with the grouping options: with
// OneTransaction or ChunkRows, files are split only where a transaction
// ends.
func (fb *Flashback) WriteBinlogOpts(path string, opts BinlogOptions) ([]string, error) {
	maxSize := opts.MaxFileSize
	if fb.outFmt == nil {
		return nil, errNoFormat
	}
	var names []string
	var f *os.File
	var bw *bufio.Writer
	var w *binlog.Writer
	hdr := event.Header{Timestamp: fb.formatTime(), ServerID: 1}
	open := func() error {
		name := path
		if len(names) > 0 {
			name = path + fmt.Sprintf(".%06d", len(names)+1)
		}
		var err error
		f, err = os.Create(name)
		if err != nil {
			return err
		}
		names = append(names, name)
		bw = bufio.NewWriterSize(f, bufSize(fb.opts.MemoryBudget))
		w = binlog.NewWriter(bw)
		return w.WriteBody(hdr, fb.outFmt)
	}
	closeFile := func() error {
		if err := bw.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	if err := open(); err != nil {
		return names, err
	}
	tw := &txWriter{fb: fb, w: w, opts: opts}
	for tx, err := range fb.Transactions() {
		if err != nil {
			f.Close()
			return names, err
		}
		if maxSize > 0 && !tw.open && int64(w.Pos()) >= maxSize {
			next := filepath.Base(path) + fmt.Sprintf(".%06d", len(names)+1)
			if err := w.WriteBody(hdr, &event.Rotate{Position: 4, NextFile: []byte(next)}); err != nil {
				f.Close()
				return names, err
			}
			if err := closeFile(); err != nil {
				return names, err
			}
			if err := open(); err != nil {
				return names, err
			}
			tw.w = w
		}
		if err := tw.write(tx); err != nil {
			f.Close()
			return names, err
		}
	}
	if err := tw.end(); err != nil {
		f.Close()
		return names, err
	}
	return names, closeFile()
}

// SQLOptions say how WriteSQL groups the rollback statements.
type SQLOptions struct {
	// OneTransaction wraps the whole rollback in a single transaction
	// instead of one per original transaction.
	OneTransaction bool
	// ChunkRows > 0 commits after every rows event that brings the rows of
	// the open transaction to ChunkRows or more (a rows event is never
	// split), instead of one transaction per original.
	ChunkRows int
	// NoComments leaves out the "# rollback of file:pos" comment before
	// each transaction.
	NoComments bool
	// Workers > 1 writes the SQL of the transactions on that many
	// goroutines, each through a Fork of the Generator, when each is
	// committed on its own (neither OneTransaction nor ChunkRows) and every
	// Table_map of the rollback names its columns (so that no Generator
	// depends on what another learnt): the same output.
	Workers int
}

// CheckSQL reports, without writing anything, whether WriteSQL can write
// the rollback through g: every table of the rollback is checked with
// g.CheckTableMap, so that a table whose column names are unknown, or
// whose generated columns are unknown on a MySQL source (a MySQL server
// refuses values for them, ERROR 3105), stops the rollback before its
// first statement rather than halfway through applying it. The error
// names the table and the position of its first Table_map. g should be
// the fresh Generator given to WriteSQL next. WriteSQL checks the same
// first; a caller that writes something before (a preamble) calls it
// before that.
func (fb *Flashback) CheckSQL(g *sqlgen.Generator) error {
	if fb.outFmt == nil {
		return errNoFormat
	}
	if _, err := g.AppendEvent(nil, fb.formatEvent()); err != nil {
		return err
	}
	for _, m := range fb.tableMaps[:fb.pending] {
		ev := &event.Event{Header: event.Header{Type: event.TableMapEvent}, Body: m.tm, Format: fb.outFmt, File: m.file, Pos: m.pos}
		if err := g.CheckTableMap(ev); err != nil {
			return fmt.Errorf("flashback: no rollback SQL written: %w", err)
		}
	}
	return nil
}

// WriteSQL writes the rollback as SQL through g: one BEGIN … COMMIT per
// original transaction (see SQLOptions for merging and chunking), last
// first, each preceded by a comment naming the original transaction's
// position and GTID. g should be fresh; its Options apply to the
// statements (its comments give the original positions). The caller
// writes g.Preamble first if wanted. Before writing anything it checks
// every table of the rollback (see CheckSQL).
func (fb *Flashback) WriteSQL(out io.Writer, g *sqlgen.Generator, opts SQLOptions) error {
	if err := fb.CheckSQL(g); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, bufSize(fb.opts.MemoryBudget))
	w := &sqlWriter{g: g, opts: opts, format: fb.outFmt}
	w.flush = func() error {
		_, err := bw.Write(w.buf)
		w.buf = w.buf[:0]
		return err
	}
	var err error
	if w.buf, err = g.AppendEvent(w.buf, fb.formatEvent()); err != nil {
		return err
	}
	if opts.Workers > 1 && !opts.OneTransaction && opts.ChunkRows <= 0 && fb.namedMaps() {
		err = fb.writeSQLParallel(w, opts.Workers)
	} else {
		for tx, terr := range fb.Transactions() {
			if terr != nil {
				return terr
			}
			if err = w.tx(tx); err == nil {
				err = w.flush()
			}
			if err != nil {
				break
			}
		}
	}
	if err != nil {
		return err
	}
	w.commit()
	if err := w.flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// sqlWriter appends rollback transactions as SQL through g to buf, for
// WriteSQL. flush writes out buf[from:] (and may empty buf): at the end of
// each transaction, and within one every 64 KiB.
type sqlWriter struct {
	g      *sqlgen.Generator
	opts   SQLOptions
	format *event.FormatDescription
	buf    []byte
	from   int
	open   bool // a BEGIN was written and not yet its COMMIT
	chunk  int  // rows since that BEGIN
	flush  func() error
}

// formatEvent is the rollback's FORMAT_DESCRIPTION, which a Generator is
// given first.
func (fb *Flashback) formatEvent() *event.Event {
	return &event.Event{Header: event.Header{Type: event.FormatDescriptionEvent}, Body: fb.outFmt, Format: fb.outFmt}
}

func (w *sqlWriter) begin() {
	if !w.open {
		w.buf = append(w.buf, "BEGIN;\n"...)
		w.open = true
		w.chunk = 0
	}
}

func (w *sqlWriter) commit() {
	if w.open {
		w.buf = append(w.buf, "COMMIT;\n"...)
		w.open = false
	}
}

// tx appends the statements of one rollback transaction.
func (w *sqlWriter) tx(tx *Tx) error {
	opts, g := &w.opts, w.g
	perTx := !opts.OneTransaction && opts.ChunkRows <= 0
	if perTx {
		w.commit()
	}
	if !opts.NoComments {
		w.buf = append(w.buf, "# rollback of "...)
		w.buf = append(w.buf, tx.File...)
		w.buf = append(w.buf, ':')
		w.buf = strconv.AppendUint(w.buf, tx.Pos, 10)
		w.buf = append(w.buf, '-')
		w.buf = strconv.AppendUint(w.buf, tx.EndPos, 10)
		if tx.GTID != "" {
			w.buf = append(w.buf, " gtid "...)
			w.buf = append(w.buf, tx.GTID...)
		}
		w.buf = append(w.buf, '\n')
	}
	maps, err := tx.TableMaps()
	if err != nil {
		return err
	}
	for _, m := range maps {
		ev := &event.Event{Header: m.Header, Body: m.Body, Format: w.format, File: tx.File, Pos: m.Pos, NextPos: m.NextPos}
		ev.Header.Type = event.TableMapEvent
		if w.buf, err = g.AppendEvent(w.buf, ev); err != nil {
			return err
		}
	}
	for rec, err := range tx.RowsEvents() {
		if err != nil {
			return err
		}
		w.begin()
		r := rec.Body.(*event.Rows)
		ev := &event.Event{Header: rec.Header, Body: r, Format: w.format, File: tx.File, Pos: rec.Pos, NextPos: rec.NextPos, Table: tx.Table(r.TableID)}
		if w.buf, err = g.AppendEvent(w.buf, ev); err != nil {
			return err
		}
		w.chunk += rec.Rows
		if opts.ChunkRows > 0 && !opts.OneTransaction && w.chunk >= opts.ChunkRows {
			w.commit()
		}
		if len(w.buf)-w.from > 64<<10 {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	if w.buf, err = g.AppendEvent(w.buf, &event.Event{Header: event.Header{Type: event.XIDEvent}, Body: &event.XID{}, Format: w.format, File: tx.File, Pos: tx.EndPos}); err != nil {
		return err
	}
	if perTx {
		w.commit()
	}
	return nil
}

// CheckBinlog reads back a rollback binlog this Flashback wrote (src: its
// files, in order) and checks that it undoes what the Summary says: every
// rows event follows its Table_map, and the rows per table are the
// inverse of the Summary's counts (a DELETE undone by a WRITE row, and so
// on). A tool calls it before it reports success, so that a rollback that
// would apply nothing is never announced as done.
func (fb *Flashback) CheckBinlog(ctx context.Context, src binlog.Source) error {
	var tables rowcodec.Tables
	got := map[string]*Counts{}
	r := binlog.NewReader(src)
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("flashback: reading the rollback binlog back: %w", err)
		}
		b, ok := ev.Body.(*event.Rows)
		if !ok {
			continue
		}
		if ev.Table == nil {
			return fmt.Errorf("flashback: the rollback binlog %s has a rows event at %d without its Table_map", ev.File, ev.Pos)
		}
		t, err := tables.ForRows(ev)
		if err != nil {
			return fmt.Errorf("flashback: reading the rollback binlog back: %w", err)
		}
		if fb.opts.Precision != nil && t.NeedsPrecision() {
			// The rows' bounds in MariaDB's older temporal formats.
			if err := fb.opts.Precision(t); err != nil {
				return fmt.Errorf("flashback: the rollback binlog %s at %d: table definition of %s: %w", ev.File, ev.Pos, t.AppendName(nil), err)
			}
		}
		n := 0
		it := t.Rows(b, nil, nil)
		for it.Next() {
			n++
		}
		if err := it.Err(); err != nil {
			return fmt.Errorf("flashback: the rollback binlog %s at %d: %w", ev.File, ev.Pos, err)
		}
		name := string(t.AppendName(nil))
		c := got[name]
		if c == nil {
			c = new(Counts)
			got[name] = c
		}
		switch b.Kind() {
		case event.RowsWrite: // undoes a DELETE
			c.Deletes += uint64(n)
		case event.RowsDelete: // undoes an INSERT
			c.Inserts += uint64(n)
		case event.RowsUpdate:
			c.Updates += uint64(n)
		}
	}
	want := fb.summary.Rows
	for name, w := range want {
		if g := got[name]; g == nil || *g != *w {
			return fmt.Errorf("flashback: the rollback binlog undoes %+v of %s, the summary says %+v", derefCounts(g), name, *w)
		}
	}
	for name, g := range got {
		if want[name] == nil {
			return fmt.Errorf("flashback: the rollback binlog changes %s (%+v), which the summary does not name", name, *g)
		}
	}
	return nil
}

func derefCounts(c *Counts) Counts {
	if c == nil {
		return Counts{}
	}
	return *c
}
