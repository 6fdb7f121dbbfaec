package flashback

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// AddParallel is Add over src read with binlog.Parallel: the transactions
// are inverted on popts.Workers goroutines, each batch into memory, and the
// batches are appended to the spill file in stream order. The rollback,
// Summary and errors are those of Add(ctx, binlog.NewReader(src,
// popts.ReaderOptions...)) when the Reader's filters decide on one event at
// a time (see binlog.ParallelOptions) and Options.Precision may be called
// from several goroutines at once; popts.Barrier is where a caller follows
// DDL in stream order (the Precision it gives must answer for the
// transaction asking). A Reader that must see the whole stream (position,
// time or GTID ranges, schema tracking that depends on what was kept)
// goes with Add.
//
// The input may change server versions between files only where the
// rollback's events are encoded the same way (MariaDB 10.11.6 to 10.11.7,
// say); otherwise AddParallel stops with an error and Add undoes it.
func (fb *Flashback) AddParallel(ctx context.Context, src binlog.Source, popts binlog.ParallelOptions) error {
	if fb.f == nil {
		return errors.New("flashback: closed")
	}
	var pool sync.Pool // of []byte: the batches' segments, back from merge
	err := binlog.Parallel(ctx, src, popts, func() func(context.Context, *binlog.Batch) (*Flashback, error) {
		// A worker's shard keeps its Inverter, table cache and buffers
		// from batch to batch; what a batch adds goes out with it.
		w := fb.newShard()
		return func(ctx context.Context, b *binlog.Batch) (*Flashback, error) {
			if m, ok := pool.Get().(*[]byte); ok {
				w.mem = (*m)[:0]
			}
			var err error
			for tx, terr := range b.Reader().Transactions(ctx) {
				if err = terr; err != nil {
					break
				}
				if err = w.addTx(tx); err != nil {
					break
				}
			}
			return w.detach(), err
		}
	}, func(sh *Flashback) error {
		err := fb.merge(sh)
		m := sh.mem[:0]
		pool.Put(&m)
		return err
	})
	if err != nil {
		return err
	}
	return fb.w.Flush()
}

// newShard returns a worker's Flashback for AddParallel: fb's options, no
// spill file.
func (fb *Flashback) newShard() *Flashback {
	sh := &Flashback{opts: fb.opts, shard: true, parent: fb, reg: fb.reg}
	sh.summary.Rows = map[string]*Counts{}
	return sh
}

// detach returns what sh added since the last detach (its segments,
// Summary, Table_maps and format) as a Flashback of its own, and starts sh
// afresh for the next batch.
func (sh *Flashback) detach() *Flashback {
	out := &Flashback{outFmt: sh.outFmt, summary: sh.summary, latest: sh.latest,
		tableMaps: sh.tableMaps, mem: sh.mem}
	sh.mem, sh.off = nil, 0
	sh.summary = Summary{Rows: map[string]*Counts{}}
	sh.latest = 0
	sh.tableMaps, sh.tableKeys, sh.pending = nil, nil, 0
	// The next batch may start in another file: its first event sets the
	// format again.
	sh.outFmt = nil
	return out
}

// merge appends what a worker added for one batch (sh, from detach).
func (fb *Flashback) merge(sh *Flashback) error {
	if sh.outFmt != nil {
		switch {
		case fb.outFmt == nil:
			fb.outFmt = sh.outFmt
		case !sameEncoding(fb.outFmt, sh.outFmt):
			return fmt.Errorf("flashback: the input changes from server version %s to %s, whose events are encoded differently: undo it on one goroutine (Add)", fb.outFmt.Version(), sh.outFmt.Version())
		}
	}
	if len(sh.mem) > 0 {
		if _, err := fb.w.Write(sh.mem); err != nil {
			return fmt.Errorf("flashback: spill file: %w", err)
		}
		fb.off += int64(len(sh.mem))
	}
	s, t := &fb.summary, &sh.summary
	s.Transactions += t.Transactions
	for name, c := range t.Rows {
		d := s.Rows[name]
		if d == nil {
			d = new(Counts)
			s.Rows[name] = d
		}
		d.Inserts += c.Inserts
		d.Updates += c.Updates
		d.Deletes += c.Deletes
	}
	s.SkippedCount += t.SkippedCount
	s.Skipped = append(s.Skipped, t.Skipped[:min(len(t.Skipped), maxSkippedListed-len(s.Skipped))]...)
	s.IgnoredCount += t.IgnoredCount
	s.Ignored = append(s.Ignored, t.Ignored[:min(len(t.Ignored), maxIgnoredListed-len(s.Ignored))]...)
	if len(s.Skipped) == maxSkippedListed {
		fb.full.Or(skippedFull)
	}
	if len(s.Ignored) == maxIgnoredListed {
		fb.full.Or(ignoredFull)
	}
	fb.latest = max(fb.latest, sh.latest)
	for _, m := range sh.tableMaps {
		if _, ok := fb.tableKeys[m.key]; ok {
			continue
		}
		if fb.tableKeys == nil {
			fb.tableKeys = make(map[string]struct{})
		}
		fb.tableKeys[m.key] = struct{}{}
		fb.tableMaps = append(fb.tableMaps, m)
	}
	fb.pending = len(fb.tableMaps)
	return nil
}

// sameEncoding reports whether events encoded with a read back the same
// with b.
func sameEncoding(a, b *event.FormatDescription) bool {
	return a.Flavor() == b.Flavor() && a.HeaderLength == b.HeaderLength && a.ChecksumAlg == b.ChecksumAlg &&
		bytes.Equal(a.PostHeaderLengths, b.PostHeaderLengths)
}

// Bits of Flashback.full.
const (
	skippedFull = 1 << iota
	ignoredFull
)

// parentFull reports whether the list bit says is full in the Flashback a
// shard merges into (never for other Flashbacks): what the shard would add
// to it is not listed.
func (fb *Flashback) parentFull(bit uint32) bool {
	return fb.parent != nil && fb.parent.full.Load()&bit != 0
}

// namedMaps reports whether every Table_map of the rollback names its
// columns (binlog_row_metadata=FULL).
func (fb *Flashback) namedMaps() bool {
	for _, m := range fb.tableMaps[:fb.pending] {
		if _, ok := m.tm.ColumnNames(); !ok {
			return false
		}
	}
	return true
}

// sqlJob is a run of rollback transactions whose SQL one worker of
// writeSQLParallel writes: their trailers (offsets in offs), their
// segments copied into seg; out receives the SQL and cuts the ends of the
// pieces WriteSQL writes one at a time (each transaction, and each 64 KiB
// within one).
type sqlJob struct {
	txs  []sqlJobTx
	offs []int64
	seg  []byte
	out  []byte
	cuts []int
	err  error
	done chan struct{}
}

// sqlJobTx is one transaction of a sqlJob: its trailer's fields (in tx),
// its Table_map and rows record offsets (offs[maps:maps+nMaps],
// offs[rows:rows+nRows]) and its segment (seg[segOff:segOff+segLen]).
type sqlJobTx struct {
	tx             Tx
	maps, nMaps    int
	rows, nRows    int
	segOff, segLen int
}

// writeSQLParallel is WriteSQL's loop over the transactions on n
// goroutines, each writing whole runs of transactions through its own
// Fork of w.g, their pieces then written in order as w would. A
// transaction too big to be read in one go (Transactions loads its segment
// only when it fits a sixteenth of the memory budget) is written by w
// itself, once every run before it is out.
func (fb *Flashback) writeSQLParallel(w *sqlWriter, n int) error {
	work := make(chan *sqlJob, sqlJobsAhead*n)
	var wg sync.WaitGroup
	for range n {
		fork := w.g.Fork()
		view := &Flashback{f: fb.f, outFmt: fb.outFmt, opts: fb.opts, reg: fb.reg}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var job *sqlJob
			sw := &sqlWriter{g: fork, opts: w.opts, format: w.format}
			sw.flush = func() error {
				job.cuts = append(job.cuts, len(sw.buf))
				sw.from = len(sw.buf)
				return nil
			}
			_, ferr := fork.AppendEvent(nil, fb.formatEvent())
			t := &Tx{fb: view}
			for job = range work {
				job.err = ferr
				sw.buf, sw.from, job.cuts = job.out[:0], 0, job.cuts[:0]
				for i := 0; i < len(job.txs) && job.err == nil; i++ {
					j := &job.txs[i]
					t.File, t.Pos, t.EndPos, t.GTID = j.tx.File, j.tx.Pos, j.tx.EndPos, j.tx.GTID
					t.Timestamp, t.ServerID, t.XID, t.HasXID = j.tx.Timestamp, j.tx.ServerID, j.tx.XID, j.tx.HasXID
					t.begin, t.segStart = j.tx.begin, j.tx.segStart
					t.maps = append(t.maps[:0], job.offs[j.maps:j.maps+j.nMaps]...)
					t.rows = append(t.rows[:0], job.offs[j.rows:j.rows+j.nRows]...)
					t.tms = t.tms[:0]
					t.seg = job.seg[j.segOff : j.segOff+j.segLen]
					if job.err = sw.tx(t); job.err == nil {
						job.err = sw.flush()
					}
				}
				job.out = sw.buf
				close(job.done)
			}
		}()
	}
	defer wg.Wait()
	defer close(work)

	var pending []*sqlJob // handed to the workers, in order
	var free []*sqlJob
	emit := func() error {
		j := pending[0]
		pending = pending[1:]
		<-j.done
		from := 0
		for _, c := range j.cuts {
			w.buf = append(w.buf[:0], j.out[from:c]...)
			from = c
			if err := w.flush(); err != nil {
				return err
			}
		}
		free = append(free, j)
		return j.err
	}
	var cur *sqlJob
	send := func() error {
		if cur == nil {
			return nil
		}
		pending = append(pending, cur)
		work <- cur
		cur = nil
		// Finished runs are written as they come; the reader blocks
		// only when sqlJobsAhead runs per worker are in flight.
		for len(pending) > 0 {
			if len(pending) < sqlJobsAhead*n {
				select {
				case <-pending[0].done:
				default:
					return nil
				}
			}
			if err := emit(); err != nil {
				return err
			}
		}
		return nil
	}
	for tx, err := range fb.Transactions() {
		if err != nil {
			return err
		}
		if tx.seg == nil {
			// Too big for a run: written here, after every run before it.
			if err := send(); err != nil {
				return err
			}
			for len(pending) > 0 {
				if err := emit(); err != nil {
					return err
				}
			}
			if err := w.tx(tx); err != nil {
				return err
			}
			if err := w.flush(); err != nil {
				return err
			}
			continue
		}
		if cur == nil {
			if k := len(free); k > 0 {
				cur, free = free[k-1], free[:k-1]
				cur.txs, cur.offs, cur.seg = cur.txs[:0], cur.offs[:0], cur.seg[:0]
			} else {
				cur = new(sqlJob)
			}
			cur.err, cur.done = nil, make(chan struct{})
		}
		cur.txs = append(cur.txs, sqlJobTx{
			tx: Tx{File: tx.File, Pos: tx.Pos, EndPos: tx.EndPos, GTID: tx.GTID, Timestamp: tx.Timestamp, ServerID: tx.ServerID,
				XID: tx.XID, HasXID: tx.HasXID, begin: tx.begin, segStart: tx.segStart},
			maps: len(cur.offs), nMaps: len(tx.maps), rows: len(cur.offs) + len(tx.maps), nRows: len(tx.rows),
			segOff: len(cur.seg), segLen: len(tx.seg),
		})
		cur.offs = append(append(cur.offs, tx.maps...), tx.rows...)
		cur.seg = append(cur.seg, tx.seg...)
		if len(cur.seg) >= sqlJobBytes {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if err := send(); err != nil {
		return err
	}
	for len(pending) > 0 {
		if err := emit(); err != nil {
			return err
		}
	}
	return nil
}

// sqlJobBytes is about how many bytes of spill segments a sqlJob gathers
// (a variable for the tests).
var sqlJobBytes = 64 << 10

// sqlJobsAhead is how many runs per worker writeSQLParallel hands out
// before it waits for the first: with one each, the workers waited for the
// reader while it waited for the oldest run, and each stood idle 40% of
// the time.
const sqlJobsAhead = 4
