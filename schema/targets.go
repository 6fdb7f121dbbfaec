package schema

import (
	"fmt"
	"sync"

	"github.com/binlogkit/binlogkit/event"
	"github.com/pingcap/tidb/pkg/parser/ast"
)

// targetParsers keeps parsers (which take long to make) for
// StatementTargets; a parser serves one call at a time.
var targetParsers = sync.Pool{New: func() any { return new(Catalog) }}

// TableRef names a table.
type TableRef struct {
	Database, Name string
}

// Targets is what a DDL statement changes: the tables whose definition or
// rows it changes (created, altered, dropped, renamed — old and new names —,
// truncated, indexed) and the databases it drops whole.
type Targets struct {
	Tables    []TableRef
	Databases []string
}

// StatementTargets returns what the statement sql, executed with defaultDB
// as the current database, changes (see Targets). Statements that change no
// table (DML, transaction control, SET, grants and users, views, triggers,
// routines, events, CREATE and ALTER DATABASE, ALTER SEQUENCE) have none and
// are not parsed; the others are parsed with the TiDB parser as ApplyDDL
// parses them, and one that does not parse is an error wrapping ErrDDL.
// Temporary tables are left out (their rows are not logged).
func StatementTargets(defaultDB, sql string) (Targets, error) {
	st := event.ClassifyStatement([]byte(sql))
	if st.Kind != event.StatementDDL || st.Temporary {
		return Targets{}, nil
	}
	switch st.Object {
	case event.ObjectTable, event.ObjectIndex:
	case event.ObjectDatabase, event.ObjectSequence:
		if st.Verb != event.DDLDrop && st.Verb != event.DDLCreate {
			return Targets{}, nil
		}
		if st.Object == event.ObjectDatabase && st.Verb == event.DDLCreate {
			return Targets{}, nil
		}
	default:
		return Targets{}, nil
	}
	c := targetParsers.Get().(*Catalog)
	defer targetParsers.Put(c)
	stmts, err := c.parse(ddlStripSetStatement(sql))
	if err != nil {
		return Targets{}, fmt.Errorf("%w: %q: %v", ErrDDL, ddlStmtStart(sql), err)
	}
	var t Targets
	add := func(n *ast.TableName) {
		if n != nil {
			t.Tables = append(t.Tables, TableRef{Database: ddlDBOf(n, defaultDB), Name: n.Name.O})
		}
	}
	for _, s := range stmts {
		switch n := s.node.(type) {
		case *ast.DropDatabaseStmt:
			t.Databases = append(t.Databases, n.Name.O)
		case *ast.CreateTableStmt:
			if n.TemporaryKeyword == ast.TemporaryNone {
				add(n.Table)
			}
		case *ast.DropTableStmt:
			if n.TemporaryKeyword == ast.TemporaryNone && !n.IsView {
				for _, x := range n.Tables {
					add(x)
				}
			}
		case *ast.RenameTableStmt:
			for _, tt := range n.TableToTables {
				add(tt.OldTable)
				add(tt.NewTable)
			}
		case *ast.AlterTableStmt:
			add(n.Table)
		case *ast.TruncateTableStmt:
			add(n.Table)
		case *ast.CreateIndexStmt:
			add(n.Table)
		case *ast.DropIndexStmt:
			add(n.Table)
		case *ast.CreateSequenceStmt:
			add(n.Name)
		case *ast.DropSequenceStmt:
			for _, x := range n.Sequences {
				add(x)
			}
		}
	}
	return t, nil
}
