package binlog

import "github.com/binlogkit/binlogkit/event"

// GTIDFilter keeps whole transactions by their GTID, as mysqlbinlog's
// --include-gtids and --exclude-gtids do: a transaction is kept when its GTID
// is in Include (or Include is nil) and not in Exclude (or Exclude is nil).
// A selection names transactions, so the MariaDB GTID 0-1-8 keeps or drops
// that transaction only (see GTIDSelection).
// Transactions without a GTID (ANONYMOUS_GTID, or servers before GTIDs) are
// kept only when Include is nil. Events outside transactions (format
// descriptions, rotations, GTID lists) always pass.
type GTIDFilter struct {
	Include, Exclude *GTIDSelection

	dropping bool
	started  bool
}

// Keep implements Filter.
func (f *GTIDFilter) Keep(ev *event.Event) bool {
	if !f.started {
		// Before any GTID: events of GTID-less transactions.
		f.started, f.dropping = true, f.Include != nil
	}
	if ev.InPayload {
		return !f.dropping
	}
	switch ev.Header.Type {
	case event.GTIDEvent, event.GTIDTaggedEvent, event.MariaGTIDEvent, event.AnonymousGTIDEvent:
		g, ok := GTIDFromEvent(ev.Body, ev.Header.ServerID)
		keep := f.Include == nil
		if ok {
			keep = (f.Include == nil || f.Include.Contains(g)) && (f.Exclude == nil || !f.Exclude.Contains(g))
		}
		f.dropping = !keep
		return keep
	case event.FormatDescriptionEvent, event.RotateEvent, event.PreviousGTIDsEvent, event.StopEvent,
		event.MariaGTIDListEvent, event.MariaBinlogCheckpointEvent, event.MariaStartEncryptionEvent:
		return true
	}
	return !f.dropping
}
