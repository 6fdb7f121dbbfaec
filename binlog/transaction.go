package binlog

import (
	"context"
	"io"
	"iter"

	"github.com/binlogkit/binlogkit/event"
)

// Transaction is one unit of the stream as the Transactions iterator groups
// it: a GTID (or ANONYMOUS_GTID, or MariaDB GTID) event with the events of its
// transaction, a BEGIN … COMMIT/XID group without one (servers before 5.6), or
// a single event outside any transaction (FORMAT_DESCRIPTION, ROTATE,
// PREVIOUS_GTIDS, a statement logged on its own, or the table maps and rows
// events of one statement on a non-transactional table logged without BEGIN
// by servers before 5.5). Its events stream from the
// Reader: a Transaction never holds more than one event in memory.
//
// The fields describing the end (EndPos, Complete, Rollback, XID) are set once
// Events has run to the end. A Transaction is valid until the iterator that
// yielded it moves on.
type Transaction struct {
	// File and Pos give the first event's position.
	File string
	Pos  uint64
	// EndPos is the position just past the last event: where a reader resumes
	// to start at the next transaction.
	EndPos uint64
	// GTID is the transaction's GTID when a GTID event (MySQL GTID or
	// GTID_TAGGED, or MariaDB GTID) starts it; HasGTID says so.
	GTID    GTID
	HasGTID bool
	// Transactional is false for a single event outside any transaction.
	Transactional bool
	// Complete is true when the transaction ended with its commit (XID,
	// COMMIT, XA PREPARE, or the single statement after a GTID), false when
	// the stream ended or a new transaction began first.
	Complete bool
	// Rollback is true when it ended with ROLLBACK.
	Rollback bool
	// XID is the XID event's id, when it ended with one.
	XID uint64
	// Count is the number of events delivered so far.
	Count int

	r     *Reader
	ctx   context.Context
	first *event.Event
	mode  txMode
	// openedByGTID: a MariaDB GTID event that stands for BEGIN.
	openedByGTID bool
	done         bool
	err          error
}

type txMode uint8

const (
	txSingle    txMode = iota // one event on its own
	txAfterGTID               // after a GTID: a BEGIN or a single statement follows
	txOpen                    // after BEGIN: until XID / COMMIT / ROLLBACK
	txStatement               // table maps and rows without BEGIN: until STMT_END_F
)

type txRole uint8

const (
	roleOther txRole = iota
	roleGTID
	roleBegin
	roleCommit
	roleRollback
	roleXID
	rolePayload
	roleUnit // an event outside transactions (FDE, ROTATE, PREVIOUS_GTIDS, …)
)

func classify(ev *event.Event) txRole {
	switch b := ev.Body.(type) {
	case *event.Query:
		switch b.Statement().Kind {
		case event.StatementBegin:
			return roleBegin
		case event.StatementCommit:
			return roleCommit
		case event.StatementRollback:
			return roleRollback
		}
		return roleOther
	case *event.TransactionPayload:
		return rolePayload
	}
	switch ev.Header.Type {
	case event.GTIDEvent, event.AnonymousGTIDEvent, event.GTIDTaggedEvent, event.MariaGTIDEvent:
		return roleGTID
	case event.XIDEvent, event.XAPrepareEvent:
		return roleXID
	case event.FormatDescriptionEvent, event.RotateEvent, event.PreviousGTIDsEvent, event.StopEvent,
		event.MariaGTIDListEvent, event.MariaBinlogCheckpointEvent, event.MariaStartEncryptionEvent,
		event.HeartbeatEvent, event.HeartbeatEventV2, event.StartEventV3, event.IncidentEvent:
		return roleUnit
	}
	return roleOther
}

// Transactions returns a single-use iterator over the remaining stream grouped
// into transactions. Range over each Transaction's Events to see its events;
// events a loop body does not consume are read and dropped before the next
// Transaction. An error is yielded once (to the inner loop when it happens
// there) and ends both iterations.
func (r *Reader) Transactions(ctx context.Context) iter.Seq2[*Transaction, error] {
	return func(yield func(*Transaction, error) bool) {
		for {
			ev, err := r.Next(ctx)
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			tx := &Transaction{r: r, ctx: ctx, first: ev, File: ev.File, Pos: ev.Pos, EndPos: ev.NextPos}
			switch classify(ev) {
			case roleGTID:
				tx.mode, tx.Transactional = txAfterGTID, true
				if g, ok := ev.Body.(*event.MariaGTID); ok && !g.Standalone() {
					// MariaDB's GTID event opens the transaction itself: no
					// BEGIN follows.
					tx.mode, tx.openedByGTID = txOpen, true
				}
				tx.GTID, tx.HasGTID = GTIDFromEvent(ev.Body, ev.Header.ServerID)
			case roleBegin:
				tx.mode, tx.Transactional = txOpen, true
			default:
				tx.mode = txSingle
				if ev.Header.Type == event.TableMapEvent {
					// Row changes logged without BEGIN (non-transactional
					// tables before 5.5): one statement's table maps and rows.
					tx.mode = txStatement
				}
			}
			if !yield(tx, nil) {
				return
			}
			for range tx.Events() { // drain what the loop body left
			}
			if tx.err != nil {
				return
			}
		}
	}
}

// Events returns a single-use iterator over the transaction's events, each
// valid until the loop body returns.
func (tx *Transaction) Events() iter.Seq2[*event.Event, error] {
	return func(yield func(*event.Event, error) bool) {
		for !tx.done {
			var ev *event.Event
			if tx.first != nil {
				ev, tx.first = tx.first, nil
				if tx.mode == txSingle {
					tx.done, tx.Complete = true, true
				}
			} else {
				var err error
				ev, err = tx.r.Next(tx.ctx)
				if err == io.EOF {
					tx.done = true
					return
				}
				if err != nil {
					tx.done, tx.err = true, err
					yield(nil, err)
					return
				}
				if !tx.accept(ev) {
					tx.r.unread = true
					tx.done = true
					return
				}
			}
			tx.Count++
			tx.EndPos = ev.NextPos
			if !yield(ev, nil) {
				return
			}
		}
	}
}

// accept decides whether ev belongs to tx and updates its state.
func (tx *Transaction) accept(ev *event.Event) bool {
	role := classify(ev)
	switch role {
	case roleGTID, roleUnit:
		if ev.InPayload {
			break
		}
		return false
	case roleBegin:
		if tx.mode == txAfterGTID || tx.openedByGTID && tx.Count == 1 {
			tx.mode = txOpen
			return true
		}
		return false
	}
	switch tx.mode {
	case txAfterGTID:
		if role == rolePayload || ev.Header.Type == event.RowsQueryEvent || ev.Header.Type == event.MariaAnnotateRowsEvent {
			return true
		}
		// A statement logged on its own after its GTID (DDL, or MariaDB's
		// standalone GTID groups).
		tx.done, tx.Complete = true, true
		tx.endWith(ev, role)
		return true
	case txStatement:
		if ev.Header.Type != event.TableMapEvent && !ev.Header.Type.IsRows() {
			return false
		}
		if rows, ok := ev.Body.(*event.Rows); ok && rows.StmtEnd() {
			tx.done, tx.Complete = true, true
		}
		return true
	case txOpen:
		switch role {
		case roleCommit, roleRollback, roleXID:
			tx.done, tx.Complete = true, true
			tx.endWith(ev, role)
		}
		return true
	}
	return false
}

func (tx *Transaction) endWith(ev *event.Event, role txRole) {
	switch role {
	case roleRollback:
		tx.Rollback = true
	case roleXID:
		if x, ok := ev.Body.(*event.XID); ok {
			tx.XID = x.XID
		}
	}
}
