package rowcodec

import (
	"fmt"

	"github.com/binlogkit/binlogkit/event"
)

// Tables is the table id → *Table cache of a program that decodes rows
// events: the one place where TABLE_MAP events become the Tables that rows
// events are decoded with.
//
// Each table id keeps one *Table for as long as the Tables lives, rebuilt
// only when a Table_map for the id describes something else (servers log a
// Table_map before every statement, nearly always the same): a caller that
// derives something from a Table (quoted names, a statement head) can keep
// it while the Table's Generation is unchanged. A Table returned stays valid
// until the next call that changes it.
//
// The zero Tables is empty and ready to use. A Tables is not safe for
// concurrent use.
type Tables struct {
	m map[uint64]*Table
	// last is the Table of the last id looked up, tried before the map.
	last *Table
}

// Update decodes tm into the Table kept for its table id (see Table.Reset)
// and returns it. Feed it the TABLE_MAP events of the stream in order when
// rows events will be looked up by id (Table).
func (ts *Tables) Update(tm *event.TableMap) (*Table, error) {
	t := ts.get(tm.TableID)
	if err := t.Reset(tm); err != nil {
		return nil, err
	}
	return t, nil
}

// Table returns the Table last updated for id, or nil when no Table_map for
// id was given to Update.
func (ts *Tables) Table(id uint64) *Table {
	if t := ts.last; t != nil && t.ID == id && t.built.valid {
		return t
	}
	t := ts.m[id]
	if t == nil || !t.built.valid {
		return nil
	}
	ts.last = t
	return t
}

// ForRows returns the Table to decode the rows event ev with: the Table_map
// in force for its table id as the Reader says (ev.Table), decoded into the
// Table kept for the id, or, when ev carries none, the Table last updated for
// the id. An error names the event's file, position and type: a malformed
// Table_map, or none known for the id.
func (ts *Tables) ForRows(ev *event.Event) (*Table, error) {
	r, ok := ev.Body.(*event.Rows)
	if !ok {
		return nil, fmt.Errorf("%s: at byte %d (%v): not a rows event", ev.File, ev.Pos, ev.Header.Type)
	}
	if tm := ev.Table; tm != nil && tm.TableID == r.TableID {
		t := ts.get(r.TableID)
		if err := t.Reset(tm); err != nil {
			return nil, fmt.Errorf("%s: at byte %d (%v): table map of table id %d: %w", ev.File, ev.Pos, ev.Header.Type, r.TableID, err)
		}
		return t, nil
	}
	if t := ts.Table(r.TableID); t != nil {
		return t, nil
	}
	return nil, fmt.Errorf("%s: at byte %d (%v): %w for table id %d", ev.File, ev.Pos, ev.Header.Type, ErrNoTableMap, r.TableID)
}

// Len returns the number of table ids the Tables holds.
func (ts *Tables) Len() int { return len(ts.m) }

// Clear forgets every table id, keeping nothing. (A Reader keeps the
// Table_map in force for each id across files, so callers need not clear
// at a ROTATE.)
func (ts *Tables) Clear() {
	clear(ts.m)
	ts.last = nil
}

// get returns the Table kept for id, creating it.
func (ts *Tables) get(id uint64) *Table {
	if t := ts.last; t != nil && t.ID == id {
		return t
	}
	t := ts.m[id]
	if t == nil {
		if ts.m == nil {
			ts.m = make(map[uint64]*Table)
		}
		t = &Table{ID: id}
		ts.m[id] = t
	}
	ts.last = t
	return t
}
