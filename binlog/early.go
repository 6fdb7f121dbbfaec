package binlog

import (
	"bytes"
	"fmt"

	"github.com/binlogkit/binlogkit/event"
)

// TableName names the table of a TABLE_MAP or rows event for EarlyFilter.
// Both slices alias the Reader's buffers and are valid during the call only.
type TableName struct {
	Schema, Table []byte
}

// EarlyFilter is a Filter that can judge events before the Reader decodes
// their bodies: from the header and position alone, or for TABLE_MAP and rows
// events from the table's schema and name. When every filter given to
// WithFilters is an EarlyFilter, the Reader asks them first, in order, and an
// event they drop costs its header, its table id or names and (unless
// SkipDroppedChecksums) its checksum: its body is not decoded.
//
// The body of an event dropped this way is not decoded, so damage in it that
// its checksum does not reveal (a server bug, or a file written without
// checksums) goes unreported where a decoding Reader would stop. A TABLE_MAP
// dropped this way is decoded later only if a kept rows event or Table needs
// it.
//
// TableFilter, PositionRange, TimeRange, Types, ExcludeTypes and ServerIDs
// are EarlyFilters.
type EarlyFilter interface {
	Filter
	// KeepEarly judges ev, of which Header, File, Pos, NextPos, InPayload,
	// PayloadOffset, Format and Raw (unverified) are set and Body is nil.
	// For a TABLE_MAP, t holds its names; for a rows event, the names of the
	// table its table id was last mapped to, or t is nil when no TABLE_MAP
	// was seen for it; for other events t is nil. decided false means the
	// filter needs the decoded body: its Keep is then called as usual, once
	// the body is decoded. When decided is true, Keep is not called for ev.
	//
	// The Reader stops asking at the first filter that drops ev or does not
	// decide: like Keep, KeepEarly is called at most once per event and only
	// when the filters before it kept the event.
	KeepEarly(ev *event.Event, t *TableName) (keep, decided bool)
}

// SkipDroppedChecksums makes a Reader whose filters are all EarlyFilters skip
// the checksum of the events they drop before decoding (the events Next never
// returns). Events that are returned are verified as usual; so are the
// events the Reader decodes for its own state (FORMAT_DESCRIPTION, ROTATE,
// TRANSACTION_PAYLOAD) and events the filters cannot judge before decoding.
// Without this option (the default) a corrupted event is reported even when
// the filters would drop it. Dropping checksum work this way makes a filtered
// read cost little more than the event headers; the price is that damage
// inside dropped events goes unnoticed.
func SkipDroppedChecksums() Option { return func(o *options) { o.skipDroppedCRC = true } }

// earlyState is the Reader's state for judging events before decoding them.
type earlyState struct {
	on      bool // every filter is an EarlyFilter
	filters []EarlyFilter
	// For the event last read: dropped by the early filters, or done
	// filters kept it early (Keep is called from filter done on).
	dropped bool
	done    int
	// pending holds, per table id, the body of a TABLE_MAP dropped before
	// decoding; it is decoded when a rows event that refers to it is kept or
	// Table asks for it.
	pending map[uint64]*pendingMap
	name    TableName
}

type pendingMap struct {
	active bool
	fd     *event.FormatDescription
	body   []byte
	schema []byte // views of body
	table  []byte
	tm     event.TableMap // scratch for decoding body
}

// setupEarly enables early filtering when every filter supports it.
func (r *Reader) setupEarly() {
	if len(r.opts.filters) == 0 {
		return
	}
	for _, f := range r.opts.filters {
		ef, ok := f.(EarlyFilter)
		if !ok {
			r.early = earlyState{}
			return
		}
		r.early.filters = append(r.early.filters, ef)
	}
	r.early.on = true
	r.early.pending = make(map[uint64]*pendingMap)
}

// stateType reports event types the Reader must decode for its own state.
func stateType(t event.Type) bool {
	switch t {
	case event.FormatDescriptionEvent, event.RotateEvent, event.TransactionPayloadEvent, event.MariaStartEncryptionEvent:
		return true
	}
	return false
}

// judgeEarly asks the early filters about ev (header parsed, body undecoded;
// checksummed says whether raw ends with a CRC32 under ev.Format). It reports
// whether ev is dropped; a dropped event's checksum is verified unless
// SkipDroppedChecksums.
func (r *Reader) judgeEarly(ev *event.Event, body []byte, checksummed bool) (bool, error) {
	e := &r.early
	e.dropped, e.done = false, 0
	t := ev.Header.Type
	if stateType(t) {
		return false, nil
	}
	if checksummed {
		if len(body) < event.ChecksumLen {
			return false, nil // the usual path reports it
		}
		body = body[:len(body)-event.ChecksumLen]
	}
	var name *TableName
	var tableID uint64
	switch {
	case t == event.TableMapEvent:
		id, schema, table, err := event.PeekTableMap(ev.Format, body)
		if err != nil {
			return false, nil
		}
		tableID = id
		e.name = TableName{Schema: schema, Table: table}
		name = &e.name
	case t.IsRows():
		id, err := event.PeekRowsTableID(ev.Format, t, body)
		if err != nil {
			return false, nil
		}
		if p := e.pending[id]; p != nil && p.active {
			e.name = TableName{Schema: p.schema, Table: p.table}
			name = &e.name
		} else if tm := r.tables[id]; tm != nil {
			e.name = TableName{Schema: tm.Schema, Table: tm.Table}
			name = &e.name
		}
	}
	for _, f := range e.filters {
		keep, decided := f.KeepEarly(ev, name)
		if !decided {
			return false, nil
		}
		if !keep {
			e.dropped = true
			break
		}
		e.done++
	}
	if !e.dropped {
		return false, nil
	}
	if checksummed && r.opts.verify && !r.opts.skipDroppedCRC {
		if err := r.verify(ev.Raw, false); err != nil {
			return false, r.errAt(ev, true, err)
		}
	}
	if t == event.TableMapEvent {
		r.dropTableMap(tableID, ev.Format, body)
	}
	return true, nil
}

// dropTableMap records a TABLE_MAP dropped before decoding: its names judge
// the rows events that follow, and its body is decoded if one of them is kept.
func (r *Reader) dropTableMap(id uint64, fd *event.FormatDescription, body []byte) {
	p := r.early.pending[id]
	if p == nil {
		p = new(pendingMap)
		r.early.pending[id] = p
	}
	if p.fd == fd && bytes.Equal(p.body, body) {
		// The same map again (servers log one per statement): nothing to copy.
		p.active = true
		return
	}
	p.active, p.fd = true, fd
	p.body = append(p.body[:0], body...)
	_, p.schema, p.table, _ = event.PeekTableMap(fd, p.body)
}

// table returns the table map in force for id, decoding one that was dropped
// before decoding if need be.
func (r *Reader) table(id uint64) (*event.TableMap, error) {
	if p := r.early.pending[id]; p != nil && p.active {
		if err := p.tm.DecodeBody(p.fd, event.TableMapEvent, p.body); err != nil {
			return nil, fmt.Errorf("table map of table id %d (dropped by the filters, decoded for a later event): %w", id, err)
		}
		tm := r.tables[id]
		if tm == nil {
			tm = new(event.TableMap)
			r.tables[id] = tm
		}
		p.tm.CopyTo(tm)
		p.active = false
		r.noteTableMap(id, p.fd, p.body)
		return tm, nil
	}
	return r.tables[id], nil
}
