package main

import (
	"context"
	"fmt"
	"iter"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// reopenGap is how far ahead a scan reads through the file instead of
// reopening it at the next wanted transaction.
var reopenGap uint64 = 1 << 20

// txVisitor is called for each wanted transaction with its events. prelude
// is called, when not nil, with the events met before a wanted transaction
// that a consumer may need to follow (the file's FORMAT_DESCRIPTION).
type txVisitor struct {
	prelude func(ev *event.Event) error
	visit   func(id int, tx *binlog.Transaction, events iter.Seq2[*event.Event, error]) error
}

// scan reads the transactions ids (ascending) from their files: it opens a
// file at a transaction's position (binlog.OpenFileAt) and reads on through
// the following ones when they are close.
func (ix *index) scan(ctx context.Context, ids iter.Seq[int], v txVisitor) error {
	m, err := ix.newMasker()
	if err != nil {
		return err
	}
	var (
		src   *binlog.StreamSource
		next  func() (*binlog.Transaction, error, bool)
		stop  func()
		file  = -1
		reach uint64 // position the open reader has reached
	)
	closeCur := func() {
		if stop != nil {
			stop()
			stop, next = nil, nil
		}
		if src != nil {
			src.Close()
			src = nil
		}
	}
	defer closeCur()
	drop := behind{ix: ix}
	for id := range ids {
		if id < 0 || id >= len(ix.txs) {
			return fmt.Errorf("no transaction %d", id)
		}
		drop.at(id)
		e := &ix.txs[id]
		if int(e.file) != file || e.pos < reach || e.pos-reach > reopenGap {
			closeCur()
			var err error
			f := &ix.files[e.file]
			if src, err = f.openAt(e.pos); err != nil {
				return fmt.Errorf("%s: %w", f.Name, err)
			}
			r := binlog.NewReader(src)
			next, stop = iter.Pull2(r.Transactions(ctx))
			file = int(e.file)
		}
		for {
			tx, err, ok := next()
			if !ok {
				return fmt.Errorf("%s: transaction at %d not found", ix.files[file].Name, e.pos)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", ix.files[file].Name, err)
			}
			if tx.Pos < e.pos {
				for ev, err := range tx.Events() {
					if err != nil {
						return fmt.Errorf("%s: %w", ix.files[file].Name, err)
					}
					if v.prelude != nil && ev.Header.Type == event.FormatDescriptionEvent {
						if err := v.prelude(ev); err != nil {
							return err
						}
					}
				}
				reach = tx.EndPos
				continue
			}
			if tx.Pos != e.pos {
				return fmt.Errorf("%s: no transaction starts at %d (the file changed since it was indexed?)", ix.files[file].Name, e.pos)
			}
			events := func(yield func(*event.Event, error) bool) {
				for ev, err := range tx.Events() {
					if err == nil && ix.shown != nil && !ix.shown.Keep(ev) {
						continue // a table the command line left out
					}
					if err == nil && m != nil {
						pos := ev.Pos
						if ev, err = m.Apply(ev); err != nil {
							err = fmt.Errorf("%s:%d: masking: %w", ix.files[file].Name, pos, err)
						}
					}
					if !yield(ev, err) || err != nil {
						return
					}
				}
			}
			if err := v.visit(id, tx, events); err != nil {
				return err
			}
			// Drain what the visitor left, so that EndPos is known.
			for _, err := range tx.Events() {
				if err != nil {
					return fmt.Errorf("%s: %w", ix.files[file].Name, err)
				}
			}
			reach = tx.EndPos
			break
		}
	}
	return nil
}
