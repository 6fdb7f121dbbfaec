package flashback

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
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

// errNoFormat is returned by the outputs when no input had a
// FORMAT_DESCRIPTION.
var errNoFormat = fmt.Errorf("flashback: no FORMAT_DESCRIPTION in the input")

// writeTx writes one rollback transaction: for MySQL an ANONYMOUS_GTID, then
// BEGIN, the Table_maps, the inverted rows events (STMT_END on the last)
// and the XID (a COMMIT query when the original had none).
func (fb *Flashback) writeTx(w *binlog.Writer, tx *Tx) error {
	h := event.Header{Timestamp: tx.Timestamp, ServerID: tx.ServerID}
	if fb.outFmt.Flavor() != event.MariaDB && !fb.opts.NoAnonymousGTID {
		g := &event.GTID{Type: event.AnonymousGTIDEvent, HasLogicalClock: true, LogicalClockType: 2}
		if err := w.WriteEvent(h, g); err != nil {
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
		if err := w.WriteEvent(bh, begin.Body); err != nil {
			return err
		}
	} else if err := w.WriteEvent(h, &event.Query{Query: []byte("BEGIN")}); err != nil {
		return err
	}
	maps, err := tx.TableMaps()
	if err != nil {
		return err
	}
	for _, m := range maps {
		if err := w.WriteEvent(m.Header, m.Body); err != nil {
			return err
		}
	}
	i, n := 0, tx.NumRowsEvents()
	for rec, err := range tx.RowsEvents() {
		if err != nil {
			return err
		}
		i++
		r := rec.Body.(*event.Rows)
		if i == n {
			r.Flags |= event.RowsFlagStmtEnd
		}
		if err := w.WriteEvent(rec.Header, r); err != nil {
			return err
		}
	}
	if tx.HasXID {
		return w.WriteEvent(h, &event.XID{XID: tx.XID})
	}
	return w.WriteEvent(h, &event.Query{Query: []byte("COMMIT")})
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
	w, err := binlog.NewWriter(bw, fb.outFmt, event.Header{Timestamp: uint32(time.Now().Unix()), ServerID: 1})
	if err != nil {
		return err
	}
	for tx, err := range fb.Transactions() {
		if err != nil {
			return err
		}
		if err := fb.writeTx(w, tx); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteBinlogFiles writes the rollback binlog to path, starting a new file
// whenever one has reached maxSize bytes (0: no limit) — only between
// transactions, so a transaction is never split and a file may exceed
// maxSize by its last transaction. The files are path, path.000002,
// path.000003 …; each starts with its own FORMAT_DESCRIPTION and all but
// the last end with a ROTATE naming the next. It returns the file names.
func (fb *Flashback) WriteBinlogFiles(path string, maxSize int64) ([]string, error) {
	if fb.outFmt == nil {
		return nil, errNoFormat
	}
	var names []string
	var f *os.File
	var bw *bufio.Writer
	var w *binlog.Writer
	hdr := event.Header{Timestamp: uint32(time.Now().Unix()), ServerID: 1}
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
		w, err = binlog.NewWriter(bw, fb.outFmt, hdr)
		return err
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
	for tx, err := range fb.Transactions() {
		if err != nil {
			f.Close()
			return names, err
		}
		if maxSize > 0 && int64(w.Pos()) >= maxSize {
			next := filepath.Base(path) + fmt.Sprintf(".%06d", len(names)+1)
			if err := w.WriteEvent(hdr, &event.Rotate{Position: 4, NextFile: []byte(next)}); err != nil {
				f.Close()
				return names, err
			}
			if err := closeFile(); err != nil {
				return names, err
			}
			if err := open(); err != nil {
				return names, err
			}
		}
		if err := fb.writeTx(w, tx); err != nil {
			f.Close()
			return names, err
		}
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
}

// WriteSQL writes the rollback as SQL through g: one BEGIN … COMMIT per
// original transaction (see SQLOptions for merging and chunking), last
// first, each preceded by a comment naming the original transaction's
// position and GTID. g should be fresh; its Options apply to the
// statements (its comments give the original positions). The caller
// writes g.Preamble first if wanted.
func (fb *Flashback) WriteSQL(out io.Writer, g *sqlgen.Generator, opts SQLOptions) error {
	if fb.outFmt == nil {
		return errNoFormat
	}
	bw := bufio.NewWriterSize(out, bufSize(fb.opts.MemoryBudget))
	var buf []byte
	buf, err := g.AppendEvent(buf, &event.Event{Header: event.Header{Type: event.FormatDescriptionEvent}, Body: fb.outFmt, Format: fb.outFmt})
	if err != nil {
		return err
	}
	open := false
	chunk := 0
	begin := func() {
		if !open {
			buf = append(buf, "BEGIN;\n"...)
			open = true
			chunk = 0
		}
	}
	commit := func() {
		if open {
			buf = append(buf, "COMMIT;\n"...)
			open = false
		}
	}
	flush := func() error {
		_, err := bw.Write(buf)
		buf = buf[:0]
		return err
	}
	for tx, err := range fb.Transactions() {
		if err != nil {
			return err
		}
		if !opts.OneTransaction && opts.ChunkRows <= 0 {
			commit()
		}
		if !opts.NoComments {
			buf = append(buf, "# rollback of "...)
			buf = append(buf, tx.File...)
			buf = append(buf, ':')
			buf = strconv.AppendUint(buf, tx.Pos, 10)
			buf = append(buf, '-')
			buf = strconv.AppendUint(buf, tx.EndPos, 10)
			if tx.GTID != "" {
				buf = append(buf, " gtid "...)
				buf = append(buf, tx.GTID...)
			}
			buf = append(buf, '\n')
		}
		maps, err := tx.TableMaps()
		if err != nil {
			return err
		}
		for _, m := range maps {
			ev := &event.Event{Header: m.Header, Body: m.Body, Format: fb.outFmt, File: tx.File, Pos: m.Pos, NextPos: m.NextPos}
			ev.Header.Type = event.TableMapEvent
			if buf, err = g.AppendEvent(buf, ev); err != nil {
				return err
			}
		}
		for rec, err := range tx.RowsEvents() {
			if err != nil {
				return err
			}
			begin()
			r := rec.Body.(*event.Rows)
			ev := &event.Event{Header: rec.Header, Body: r, Format: fb.outFmt, File: tx.File, Pos: rec.Pos, NextPos: rec.NextPos, Table: tx.Table(r.TableID)}
			if buf, err = g.AppendEvent(buf, ev); err != nil {
				return err
			}
			chunk += rec.Rows
			if opts.ChunkRows > 0 && !opts.OneTransaction && chunk >= opts.ChunkRows {
				commit()
			}
			if len(buf) > 64<<10 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if buf, err = g.AppendEvent(buf, &event.Event{Header: event.Header{Type: event.XIDEvent}, Body: &event.XID{}, Format: fb.outFmt, File: tx.File, Pos: tx.EndPos}); err != nil {
			return err
		}
		if !opts.OneTransaction && opts.ChunkRows <= 0 {
			commit()
		}
		if err := flush(); err != nil {
			return err
		}
	}
	commit()
	if err := flush(); err != nil {
		return err
	}
	return bw.Flush()
}
