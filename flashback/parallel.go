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
	sh := &Flashback{opts: fb.opts, shard: true, parent: fb}
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
