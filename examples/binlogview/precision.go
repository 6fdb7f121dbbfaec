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
// (--schema, --schema-dsn or the stream's own DDL) and keeps, for each such
// table, the definition its rows were logged with; every later reading
// pass (details, search, exports, rollback) gives the rows' Tables their
// precisions from it. A table whose rows were logged under different
// definitions (its precisions changed by DDL within the input) keeps none:
// its rows then stop with an error naming the table rather than be misread.

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

// noteDef records def, the definition of n in force at one of its rows
// events (nil: none known).
func (ix *index) noteDef(n tableName, def *schema.Table) {
	if ix.defs == nil {
		ix.defs = make(map[tableName]*schema.Table)
	}
	old, seen := ix.defs[n]
	switch {
	case !seen:
		ix.defs[n] = def
	case old != def && (old == nil || def == nil || !sameDef(old, def)):
		ix.defs[n] = nil
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

// setPrecision gives t the precisions of its table's recorded definition.
func (ix *index) setPrecision(t *rowcodec.Table) error {
	if t.NeedsPrecision() {
		schema.SetPrecisions(t, ix.defs[tableName{string(t.Schema), string(t.Name)}])
	}
	return nil
}

// indexSchema is the recorded definitions as a schema.Provider, for the
// SQL the viewer writes (package sqlgen decodes rows itself). It knows only
// the tables of the older temporal formats, and follows no DDL.
type indexSchema struct{ ix *index }

func (s indexSchema) Table(db, name string) (*schema.Table, error) {
	return s.ix.defs[tableName{db, name}], nil
}

func (s indexSchema) ApplyDDL(defaultDB, sql string) error { return nil }
