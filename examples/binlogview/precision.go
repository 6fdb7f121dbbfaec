package main

import (
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

// The precisions of MariaDB's older temporal formats.
//
// MariaDB logs TIME(n), DATETIME(n) and TIMESTAMP(n) of tables created
// before 10.1 or with mysql56_temporal_format=OFF with the old type codes
// and without n; their rows decode only with n from the table's
// definition. The index pass follows the definitions through the stream
// (--schema, --schema-dsn or the stream's own DDL) and keeps the one each
// such table's rows were logged with, by table id: a server gives a table a
// new id when DDL changes it, so every later reading pass (details, search,
// exports, rollback), which meets the rows out of the stream's order, finds
// the definition of their Table_map. An id that a restarted server gave to
// two versions of a table keeps none: its rows then stop with an error
// naming the table rather than be misread.

// defKey is a table id and the names its Table_map gives it.
type defKey struct {
	id       uint64
	db, name string
}

// hasOldTemporal reports whether t has a TIME, DATETIME or TIMESTAMP
// column of the old type codes, whose precision the Table_map lacks.
func hasOldTemporal(t *rowcodec.Table) bool {
	for i := range t.Columns {
		switch c := &t.Columns[i]; c.Type {
		case event.ColumnTypeTime, event.ColumnTypeDatetime, event.ColumnTypeTimestamp:
			if !c.Array {
				return true
			}
		}
	}
	return false
}

// noteDef records def (nil: none known) as the definition of the rows of
// t's Table_map.
func (ix *index) noteDef(t *rowcodec.Table, def *schema.Table) {
	if ix.defs == nil {
		ix.defs = make(map[defKey]*schema.Table)
	}
	k := defKey{t.ID, string(t.Schema), string(t.Name)}
	old, seen := ix.defs[k]
	switch {
	case !seen:
		ix.defs[k] = def
	case old != def && (old == nil || def == nil || !sameDef(old, def)):
		ix.defs[k] = nil
	}
}

// sameDef reports whether two definitions have the same column names and
// precisions.
func sameDef(a, b *schema.Table) bool {
	if len(a.Columns) != len(b.Columns) {
		return false
	}
	for i := range a.Columns {
		if a.Columns[i].Name != b.Columns[i].Name || a.Columns[i].Precision != b.Columns[i].Precision {
			return false
		}
	}
	return true
}

// def returns the recorded definition of t's rows (nil: none).
func (ix *index) def(t *rowcodec.Table) *schema.Table {
	return ix.defs[defKey{t.ID, string(t.Schema), string(t.Name)}]
}

// setPrecision gives t the precisions of its recorded definition.
func (ix *index) setPrecision(t *rowcodec.Table) error {
	if t.NeedsPrecision() {
		schema.SetPrecisions(t, ix.def(t))
	}
	return nil
}

// indexSchema is the recorded definitions as a schema.Provider for the SQL
// the viewer writes (package sqlgen decodes rows itself). The Generator
// shows it every Table_map (Observe) before it asks for the table's
// definition (Table), which is then the one of that Table_map. It knows
// only the tables of the older temporal formats, and follows no DDL.
type indexSchema struct {
	ix   *index
	last map[[2]string]uint64 // db, name → the table id of its last Table_map
}

func newIndexSchema(ix *index) *indexSchema {
	return &indexSchema{ix: ix, last: make(map[[2]string]uint64)}
}

// Observe notes the table id of a Table_map.
func (s *indexSchema) Observe(t *rowcodec.Table) {
	s.last[[2]string{string(t.Schema), string(t.Name)}] = t.ID
}

// Table returns the definition recorded for the last Table_map of db.name.
func (s *indexSchema) Table(db, name string) (*schema.Table, error) {
	id, ok := s.last[[2]string{db, name}]
	if !ok {
		return nil, nil
	}
	return s.ix.defs[defKey{id, db, name}], nil
}

// ApplyDDL does nothing: the definitions are those recorded.
func (s *indexSchema) ApplyDDL(defaultDB, sql string) error { return nil }
