package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/flashback"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/sqlgen"
)

// csvHeader is the first line of a CSV export. Each further line is one row
// change (or one statement) of a matching transaction that the filter's db,
// table and op parameters keep:
//
//	tx         the transaction's id in the viewer
//	file       the binlog file
//	tx_pos     position of the transaction's first event
//	event_pos  position of the rows (or QUERY) event
//	gtid       the transaction's GTID, empty when it has none
//	time       the event's header time, "YYYY-MM-DD HH:MM:SS" in --tz
//	db, table  the table changed (table empty for a statement)
//	op         insert, update, delete, statement or ddl
//	row        the row's index inside its rows event, from 0
//	before     the before image as a JSON object {"column": value} (UPDATE,
//	           DELETE): values are strings as MySQL prints them, null for
//	           NULL; columns a MINIMAL image left out are not listed
//	after      the after image likewise (INSERT, UPDATE)
//	changed    for an UPDATE, the changed columns, comma separated
//	statement  the statement text, for statement and ddl
//
// When reading fails part way (a file changed since it was indexed), a last
// line has "error" in the tx column and the message in the file column.
var csvHeader = []string{"tx", "file", "tx_pos", "event_pos", "gtid", "time", "db", "table", "op", "row", "before", "after", "changed", "statement"}

// keepChange applies the filter's db, table and op parameters to one change.
func (f *filter) keepChange(c *change) bool {
	if c.t == nil {
		if f.table != "" || f.db != "" && c.table.DB != f.db {
			return false
		}
		return f.matchOp(opQuery, c.ddl)
	}
	return f.matchTableName(c.table) && f.matchOp(c.op, false)
}

// opName names a change's kind as exports write it.
func opName(c *change) string {
	if c.op == opQuery && c.ddl {
		return "ddl"
	}
	return opNames[c.op]
}

// appendImageJSON appends an image as a JSON object in column order, each
// value as rowcodec.Value.AppendJSON writes it; a column a MINIMAL image
// left out is left out.
func appendImageJSON(dst []byte, t *rowcodec.Table, names []string, vals []rowcodec.Value) ([]byte, error) {
	if vals == nil {
		return append(dst, "null"...), nil
	}
	dst = append(dst, '{')
	first := true
	for i, v := range vals {
		if v.IsAbsent() {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendJSONString(dst, names[i])
		dst = append(dst, ':')
		var err error
		if dst, err = v.AppendJSON(dst, &t.Columns[i]); err != nil {
			return dst, fmt.Errorf("column %s of %s: %w", names[i], t.AppendName(nil), err)
		}
	}
	return append(dst, '}'), nil
}

func appendJSONString(dst []byte, s string) []byte {
	b, _ := json.Marshal(s)
	return append(dst, b...)
}

// exportRecord is one change with its context, as the CSV and JSON lines
// exports write it.
type exportRecord struct {
	tx        int
	file      string
	txPos     uint64
	eventPos  uint64
	gtid      string
	time      string
	db, table string
	op        string
	row       int
	before    []byte // JSON or nil
	after     []byte
	changed   []string
	statement []byte
}

// eachChange calls fn for each change the filter keeps in the transactions ids.
func (s *server) eachChange(ctx context.Context, f *filter, ids *idSet, fn func(rec *exportRecord) error) error {
	ix := s.ix
	d := newRowDecoder(ix)
	var rec exportRecord
	var names []string
	var namesOf *rowcodec.Table
	var namesGen uint64
	return ix.scan(ctx, ids.all(), txVisitor{visit: func(id int, tx *binlog.Transaction, events iter.Seq2[*event.Event, error]) error {
		e := &ix.txs[id]
		rec = exportRecord{tx: id, file: ix.files[e.file].Name, txPos: e.pos}
		if g, ok := ix.gtidOf(e); ok {
			rec.gtid = g.String()
		}
		for ev, err := range events {
			if err != nil {
				return err
			}
			row := 0
			var lastEv *event.Event
			err := d.changes(ev, func(c *change) error {
				if c.ev != lastEv {
					lastEv, row = c.ev, 0
				} else {
					row++
				}
				if !f.keepChange(c) {
					return nil
				}
				rec.eventPos = ev.Pos
				rec.time = unixTime(ev.Header.Timestamp, s.ix.loc)
				rec.db, rec.table, rec.op, rec.row = c.table.DB, c.table.Table, opName(c), row
				rec.before, rec.after, rec.changed, rec.statement = nil, nil, nil, c.query
				if c.t != nil {
					if namesOf != c.t || namesGen != c.t.Generation() {
						names, namesOf, namesGen = columnNames(c.t), c.t, c.t.Generation()
					}
					var err error
					if c.op != opInsert {
						if rec.before, err = appendImageJSON(rec.before[:0], c.t, names, c.before); err != nil {
							return fmt.Errorf("%s:%d: %w", ev.File, ev.Pos, err)
						}
					}
					if c.op != opDelete {
						if rec.after, err = appendImageJSON(rec.after[:0], c.t, names, c.after); err != nil {
							return fmt.Errorf("%s:%d: %w", ev.File, ev.Pos, err)
						}
					}
					if c.op == opUpdate {
						for _, i := range changedColumns(c.before, c.after) {
							rec.changed = append(rec.changed, names[i])
						}
					}
				}
				return fn(&rec)
			})
			if err != nil {
				return err
			}
		}
		return nil
	}})
}

func (s *server) export(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r.URL.Query(), s.ix.files, s.ix.loc)
	if err != nil {
		httpError(w, http.StatusBadRequest, err)
		return
	}
	format := r.URL.Query().Get("format")
	var ctype, ext string
	switch format {
	case "csv":
		ctype, ext = "text/csv; charset=utf-8", "csv"
	case "jsonl":
		ctype, ext = "application/x-ndjson", "jsonl"
	case "sql":
		ctype, ext = "application/sql; charset=utf-8", "sql"
	case "rollback":
		ctype, ext = "application/sql; charset=utf-8", "rollback.sql"
	default:
		httpError(w, http.StatusBadRequest, fmt.Errorf("format: want csv, jsonl, sql or rollback, not %q", format))
		return
	}
	ids, err := s.match(r.Context(), f)
	if err != nil {
		httpError(w, http.StatusInternalServerError, err)
		return
	}
	if format == "rollback" {
		// The rollback is computed before anything is sent, so that an
		// error can still be reported with a status.
		fb, err := s.rollback(r.Context(), f, ids)
		if err != nil {
			httpError(w, http.StatusInternalServerError, err)
			return
		}
		defer fb.Close()
		setAttachment(w, ctype, ext)
		bw := bufio.NewWriter(w)
		writeRollback(bw, s.ix, fb)
		bw.Flush()
		return
	}
	setAttachment(w, ctype, ext)
	bw := bufio.NewWriterSize(w, 64<<10)
	defer bw.Flush()
	switch format {
	case "csv":
		cw := csv.NewWriter(bw)
		cw.Write(csvHeader)
		err = s.eachChange(r.Context(), f, ids, func(rec *exportRecord) error {
			return cw.Write([]string{strconv.Itoa(rec.tx), rec.file, strconv.FormatUint(rec.txPos, 10), strconv.FormatUint(rec.eventPos, 10),
				rec.gtid, rec.time, rec.db, rec.table, rec.op, strconv.Itoa(rec.row), string(rec.before), string(rec.after),
				strings.Join(rec.changed, ","), string(rec.statement)})
		})
		cw.Flush()
	case "jsonl":
		var line []byte
		err = s.eachChange(r.Context(), f, ids, func(rec *exportRecord) error {
			line = fmt.Appendf(line[:0], `{"tx":%d,"file":`, rec.tx)
			line = appendJSONString(line, rec.file)
			line = fmt.Appendf(line, `,"tx_pos":%d,"event_pos":%d,"gtid":`, rec.txPos, rec.eventPos)
			line = appendJSONString(line, rec.gtid)
			line = append(line, `,"time":`...)
			line = appendJSONString(line, rec.time)
			line = append(line, `,"db":`...)
			line = appendJSONString(line, rec.db)
			line = append(line, `,"table":`...)
			line = appendJSONString(line, rec.table)
			line = append(line, `,"op":`...)
			line = appendJSONString(line, rec.op)
			line = fmt.Appendf(line, `,"row":%d`, rec.row)
			if rec.before != nil {
				line = append(append(line, `,"before":`...), rec.before...)
			}
			if rec.after != nil {
				line = append(append(line, `,"after":`...), rec.after...)
			}
			if rec.changed != nil {
				b, _ := json.Marshal(rec.changed)
				line = append(append(line, `,"changed":`...), b...)
			}
			if rec.statement != nil {
				line = append(line, `,"statement":`...)
				line = appendJSONString(line, string(rec.statement))
			}
			line = append(line, "}\n"...)
			_, err := bw.Write(line)
			return err
		})
	case "sql":
		err = s.forwardSQL(r.Context(), bw, f, ids)
	}
	if err != nil {
		// Headers are gone: say it in the body, where a reader of the file
		// will see it, in the file's own syntax.
		switch format {
		case "jsonl":
			bw.Write(appendJSONString([]byte(`{"error":`), "binlogview: export stopped: "+err.Error()))
			bw.WriteString("}\n")
		case "csv":
			cw := csv.NewWriter(bw)
			rec := make([]string, len(csvHeader))
			rec[0], rec[1] = "error", "binlogview: export stopped: "+err.Error()
			cw.Write(rec)
			cw.Flush()
		default:
			fmt.Fprintf(bw, "\n-- binlogview: export stopped: %v\n", err)
		}
	}
}

func setAttachment(w http.ResponseWriter, ctype, ext string) {
	w.Header().Set("Content-Type", ctype)
	name := "binlogview-" + time.Now().UTC().Format("20060102-150405") + "." + ext
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
}

// forwardSQL writes the SQL that replays the kept changes (package sqlgen).
func (s *server) forwardSQL(ctx context.Context, w io.Writer, f *filter, ids *idSet) error {
	gen := sqlgen.New(newIndexSchema(s.ix), sqlgen.Options{Positional: true, DDL: true})
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	bw.Write(gen.Preamble(nil))
	var buf []byte
	return s.ix.scan(ctx, ids.all(), txVisitor{
		prelude: func(ev *event.Event) error { return gen.Observe(ev) },
		visit: func(id int, tx *binlog.Transaction, events iter.Seq2[*event.Event, error]) error {
			for ev, err := range events {
				if err != nil {
					return err
				}
				if !keepEvent(f, ev) {
					if err := gen.Observe(ev); err != nil {
						return err
					}
					continue
				}
				if buf, err = gen.AppendEvent(buf[:0], ev); err != nil {
					return fmt.Errorf("%s:%d: %w", s.ix.files[s.ix.txs[id].file].Name, ev.Pos, err)
				}
				if _, err := bw.Write(buf); err != nil {
					return err
				}
			}
			return nil
		},
	})
}

// keepEvent applies the filter's db, table and op parameters to a whole
// event: rows events by their table and kind, statements by their database
// and kind; every other event is kept.
func keepEvent(f *filter, ev *event.Event) bool {
	if !f.tableFilter() {
		return true
	}
	switch b := ev.Body.(type) {
	case *event.Rows:
		if ev.Table == nil {
			return true
		}
		c := change{table: tableName{string(ev.Table.Schema), string(ev.Table.Table)}, t: &rowcodec.Table{}}
		switch b.Kind() {
		case event.RowsUpdate:
			c.op = opUpdate
		case event.RowsDelete:
			c.op = opDelete
		}
		return f.keepChange(&c)
	case *event.Query:
		stmt := b.Statement()
		if isTxControl(stmt) {
			return true
		}
		return f.keepChange(&change{op: opQuery, ddl: stmt.Kind == event.StatementDDL, table: tableName{DB: string(b.Schema)}, query: b.Query})
	}
	return true
}

// rangesSource is a Source over the chosen transactions of one file: the
// file's FORMAT_DESCRIPTION, then the events of each transaction, skipping
// what lies between (read through when close, else by reopening the file at
// the next one). Positions name the file as the viewer does, not by its path.
type rangesSource struct {
	ix   *index
	file *inputFile
	ids  *idSet // the chosen transactions: those of ids from id to end are the file's
	id   int    // the transaction being read (-1: none left)
	end  int
	src  *binlog.StreamSource
	fd   bool   // the FORMAT_DESCRIPTION was returned
	drop behind // the index pages passed
}

// newRangesSource returns the Source of the members of ids in [from, end),
// transactions of file.
func newRangesSource(ix *index, file *inputFile, ids *idSet, from, end int) *rangesSource {
	r := &rangesSource{ix: ix, file: file, ids: ids, id: ids.next(from), end: end, drop: behind{ix: ix}}
	if r.id >= end {
		r.id = -1
	}
	return r
}

// ReadEvent implements binlog.Source.
func (r *rangesSource) ReadEvent(ctx context.Context) ([]byte, error) {
	for r.id >= 0 {
		e := &r.ix.txs[r.id]
		if r.src == nil {
			src, err := r.file.openAt(e.pos)
			if err != nil {
				return nil, err
			}
			r.src = src
		}
		b, err := r.src.ReadEvent(ctx)
		if err != nil {
			return nil, err
		}
		_, pos := r.src.Position()
		if pos < e.pos {
			// The FORMAT_DESCRIPTION OpenFileAt gives first, once.
			if len(b) > 4 && event.Type(b[4]) == event.FormatDescriptionEvent && !r.fd {
				r.fd = true
				return b, nil
			}
			continue
		}
		for pos >= e.end {
			if r.id = r.ids.next(r.id + 1); r.id < 0 || r.id >= r.end {
				r.id = -1
				return nil, io.EOF
			}
			r.drop.at(r.id)
			e = &r.ix.txs[r.id]
			if e.pos > pos+reopenGap {
				r.src.Close()
				r.src = nil
				break
			}
		}
		if r.src == nil || pos < e.pos {
			continue
		}
		return b, nil
	}
	return nil, io.EOF
}

// Position implements binlog.Positioner.
func (r *rangesSource) Position() (string, uint64) {
	if r.src == nil {
		return r.file.Name, 0
	}
	_, pos := r.src.Position()
	return r.file.Name, pos
}

// Close closes the file being read.
func (r *rangesSource) Close() error {
	if r.src != nil {
		return r.src.Close()
	}
	return nil
}

// rollback collects the inverse of the kept changes (package flashback):
// transactions holding what cannot be undone (DDL, statements, MINIMAL row
// images) are left out and listed.
func (s *server) rollback(ctx context.Context, f *filter, ids *idSet) (*flashback.Flashback, error) {
	fb, err := flashback.New(flashback.Options{SkipUnsafe: true, Precision: s.ix.setPrecision})
	if err != nil {
		return nil, err
	}
	keep := binlog.FilterFunc(func(ev *event.Event) bool {
		return keepEvent(f, ev) && (s.ix.shown == nil || s.ix.shown.Keep(ev))
	})
	// One range per file, in order: flashback undoes later ones first. A
	// file's transactions have consecutive ids, in the order of the files.
	fileEnd := 0
	for fi := range s.ix.files {
		id := ids.next(fileEnd)
		fileEnd += s.ix.files[fi].txs
		if id < 0 {
			break
		}
		if id >= fileEnd {
			continue
		}
		file := &s.ix.files[fi]
		src := newRangesSource(s.ix, file, ids, id, fileEnd)
		var in binlog.Source = src
		m, err := s.ix.newMasker()
		if err == nil && m != nil {
			// Flashback reads raw events: give it the masked ones.
			in = m.Source(src)
		}
		if err == nil {
			err = fb.Add(ctx, binlog.NewReader(in, binlog.WithFilters(keep)))
		}
		src.Close()
		if err != nil {
			fb.Close()
			return nil, fmt.Errorf("%s: %w", file.Name, err)
		}
	}
	return fb, nil
}

// writeRollback writes the rollback SQL, after comments listing what was
// left out.
func writeRollback(w *bufio.Writer, ix *index, fb *flashback.Flashback) error {
	gen := sqlgen.New(newIndexSchema(ix), sqlgen.Options{Positional: true})
	fmt.Fprintf(w, "-- Rollback SQL written by binlogview: the inverse of the selected changes, last first.\n")
	if sum := fb.Summary(); sum != nil {
		for _, sk := range sum.Skipped {
			reason := strings.ReplaceAll(sk.Reason, "\n", " ")
			fmt.Fprintf(w, "-- left out (cannot be undone): %s:%d %s: %s\n", sk.File, sk.Pos, sk.GTID, reason)
		}
	}
	w.Write(gen.Preamble(nil))
	if err := fb.WriteSQL(w, gen, flashback.SQLOptions{}); err != nil {
		fmt.Fprintf(w, "\n-- binlogview: rollback stopped: %v\n", err)
		return err
	}
	return nil
}
