package main

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
)

// filter is a parsed set of query parameters selecting transactions (and,
// for db, table and op, the row changes inside them that exports write).
//
//	from, to       header time of the transaction's first event, inclusive:
//	               "YYYY-MM-DD HH:MM:SS" in the viewer's zone (--tz, else
//	               the local one), RFC 3339, or Unix seconds
//	file           the file name, as the summary lists it
//	pos_from,      position of the transaction's first event, inclusive
//	pos_to
//	db, table      exact names; table may be "db.table"
//	op             comma list of insert, update, delete, statement, ddl
//	gtid           the transactions a GTID list names, as --include-gtids
//	               reads it (binlog.GTIDSelection): MySQL uuid:7 or
//	               uuid:1-100, MariaDB 0-1-5 (that one transaction) or
//	               0-1-5..9, in a comma list
//	q              text searched, ignoring case, in row values and statements
type filter struct {
	hasFrom, hasTo bool
	from, to       uint32
	file           int // -1: any
	posFrom        uint64
	posTo          uint64 // 0: no bound
	db, table      string
	ops            uint8 // bits 1<<op; ddlBit for DDL statements
	gtids          *binlog.GTIDSelection
	q              string
	qLower         []byte
}

// ddlBit selects statements that are DDL (op=ddl).
const ddlBit = 1 << numOps

// maxQueryLen bounds every parameter.
const maxQueryLen = 4096

// parseFilter reads the filter parameters of a request; times without a
// zone are in loc. Unknown parameters are ignored (page, size, format
// belong to the handlers).
func parseFilter(v url.Values, files []inputFile, loc *time.Location) (*filter, error) {
	f := &filter{file: -1}
	get := func(name string) (string, error) {
		s := strings.TrimSpace(v.Get(name))
		if len(s) > maxQueryLen {
			return "", fmt.Errorf("%s: longer than %d bytes", name, maxQueryLen)
		}
		return s, nil
	}
	var err error
	var s string
	if s, err = get("from"); err != nil {
		return nil, err
	} else if s != "" {
		if f.from, err = parseTime(s, loc); err != nil {
			return nil, fmt.Errorf("from: %v", err)
		}
		f.hasFrom = true
	}
	if s, err = get("to"); err != nil {
		return nil, err
	} else if s != "" {
		if f.to, err = parseTime(s, loc); err != nil {
			return nil, fmt.Errorf("to: %v", err)
		}
		f.hasTo = true
	}
	if s, err = get("file"); err != nil {
		return nil, err
	} else if s != "" {
		for i := range files {
			if files[i].Name == s {
				f.file = i
				break
			}
		}
		if f.file < 0 {
			return nil, fmt.Errorf("file: no input file is named %q", s)
		}
	}
	if s, err = get("pos_from"); err != nil {
		return nil, err
	} else if s != "" {
		if f.posFrom, err = strconv.ParseUint(s, 10, 64); err != nil {
			return nil, fmt.Errorf("pos_from: %q is not a position", s)
		}
	}
	if s, err = get("pos_to"); err != nil {
		return nil, err
	} else if s != "" {
		if f.posTo, err = strconv.ParseUint(s, 10, 64); err != nil {
			return nil, fmt.Errorf("pos_to: %q is not a position", s)
		}
	}
	if f.db, err = get("db"); err != nil {
		return nil, err
	}
	if f.table, err = get("table"); err != nil {
		return nil, err
	}
	if db, t, ok := strings.Cut(f.table, "."); ok && f.db == "" {
		f.db, f.table = db, t
	}
	if s, err = get("op"); err != nil {
		return nil, err
	} else if s != "" {
		for _, name := range strings.Split(s, ",") {
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "":
			case "insert", "write":
				f.ops |= 1 << opInsert
			case "update":
				f.ops |= 1 << opUpdate
			case "delete":
				f.ops |= 1 << opDelete
			case "statement", "query":
				f.ops |= 1 << opQuery
			case "ddl":
				f.ops |= ddlBit
			default:
				return nil, fmt.Errorf("op: unknown operation %q (want insert, update, delete, statement or ddl)", name)
			}
		}
	}
	if s, err = get("gtid"); err != nil {
		return nil, err
	} else if strings.Trim(s, ", ") != "" {
		if f.gtids, err = binlog.ParseGTIDSelection(s); err != nil {
			return nil, fmt.Errorf("gtid: %s (want GTIDs such as 0-1-5, 0-1-5..9, uuid:7 or uuid:1-100, in a comma list)", strings.TrimPrefix(err.Error(), "binlog: "))
		}
	}
	if f.q, err = get("q"); err != nil {
		return nil, err
	}
	if f.q != "" {
		f.qLower = []byte(strings.ToLower(f.q))
	}
	return f, nil
}

// parseTime reads a time parameter as Unix seconds (binlog header times);
// "YYYY-MM-DD HH:MM:SS" is in loc.
func parseTime(s string, loc *time.Location) (uint32, error) {
	var t time.Time
	var err error
	if n, perr := strconv.ParseUint(s, 10, 32); perr == nil {
		return uint32(n), nil
	}
	if t, err = time.Parse(time.RFC3339, s); err != nil {
		if t, err = binlog.ParseDateTime(s, loc); err != nil {
			return 0, fmt.Errorf("%q is not a time (want YYYY-MM-DD HH:MM:SS in %s, RFC 3339 or Unix seconds)", s, loc)
		}
	}
	u := t.Unix()
	if u < 0 || u > 1<<32-1 {
		return 0, fmt.Errorf("%q is outside the range of binlog times", s)
	}
	return uint32(u), nil
}

// tableFilter says whether the filter selects by table or operation, so that
// only some of a transaction's changes match.
func (f *filter) tableFilter() bool { return f.db != "" || f.table != "" || f.ops != 0 }

// matchTableName reports whether t passes the db and table parameters.
func (f *filter) matchTableName(t tableName) bool {
	if f.db != "" && t.DB != f.db {
		return false
	}
	if f.table != "" && t.Table != f.table {
		return false
	}
	return true
}

// matchOp reports whether a change of kind op passes the op parameter
// (ddl tells DDL statements from others).
func (f *filter) matchOp(op int, ddl bool) bool {
	if f.ops == 0 {
		return true
	}
	if f.ops&(1<<op) != 0 {
		return true
	}
	return op == opQuery && ddl && f.ops&ddlBit != 0
}

// matchIndex reports whether entry e passes every parameter but q, which needs
// the transaction's values. tables is the precomputed matchTableName of every
// interned table (nil: no table filter).
func (ix *index) matchIndex(f *filter, e *txEntry, tables []bool) bool {
	if f.hasFrom && e.first < f.from || f.hasTo && e.first > f.to {
		return false
	}
	if f.file >= 0 && int(e.file) != f.file {
		return false
	}
	if e.pos < f.posFrom || f.posTo != 0 && e.pos > f.posTo {
		return false
	}
	if f.gtids != nil {
		if g, ok := ix.gtidOf(e); !ok || !f.gtids.Contains(g) {
			return false
		}
	}
	if f.tableFilter() {
		hit := false
		for _, o := range ix.ops[e.tabOff : e.tabOff+uint32(e.nTabs)] {
			if tables != nil && !tables[o.table] {
				continue
			}
			if f.ops == 0 {
				hit = true
				break
			}
			for op := range numOps {
				if o.n[op] > 0 && f.matchOp(op, e.flags&txDDL != 0) {
					hit = true
				}
			}
		}
		if !hit {
			return false
		}
	}
	return true
}

// tableMask returns which interned tables pass the db and table parameters, or
// nil when neither is given.
func (ix *index) tableMask(f *filter) []bool {
	if f.db == "" && f.table == "" {
		return nil
	}
	m := make([]bool, len(ix.tables))
	for i, t := range ix.tables {
		m[i] = f.matchTableName(t)
	}
	return m
}
