package main

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"net"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/sqlgen"
)

//go:embed web
var webFS embed.FS

// server serves the page and the JSON API over an index.
type server struct {
	ix       *index
	token    string // "" when no token is required
	loopback bool   // bound to a loopback address: check the Host header

	mu     sync.Mutex
	qcache []*qEntry // most recent last
	// qSearched counts the transactions read for text searches.
	qSearched atomic.Int64
}

// qEntry caches, for one text search, what is known of each transaction:
// whether it was searched, and whether the text is in it.
type qEntry struct {
	q             string
	searched, hit *idSet // guarded by server.mu
	// scan is held while transactions are searched, so that concurrent
	// requests for the same text (the list and the charts) search once.
	scan sync.Mutex
}

const qCacheSize = 8

// Page sizes.
const (
	defaultPageSize = 50
	maxPageSize     = 1000
	// maxDetailRows bounds the rows a transaction's detail returns.
	maxDetailRows = 5000
	// maxDetailSQL bounds the forward SQL of a transaction's detail.
	maxDetailSQL = 1 << 20
	// maxDetailEvents bounds the events a transaction's detail lists.
	maxDetailEvents = 5000
)

const cookieName = "binlogview_token"

func newServer(ix *index, token string, loopback bool) *server {
	return &server{ix: ix, token: token, loopback: loopback}
}

// handler returns the whole HTTP handler: authentication, then routes.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(webFS, "web")
	files := http.FileServerFS(static)
	mux.Handle("GET /", files)
	mux.HandleFunc("GET /api/summary", s.summary)
	mux.HandleFunc("GET /api/transactions", s.transactions)
	mux.HandleFunc("GET /api/transactions/{id}", s.transaction)
	mux.HandleFunc("GET /api/stats", s.stats)
	mux.HandleFunc("GET /api/export", s.export)
	return s.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The index pages a request read go back once it is answered.
		defer s.ix.release()
		mux.ServeHTTP(w, r)
	}))
}

// guard checks the Host header (against DNS rebinding when bound to
// loopback) and the token, and sets headers that keep the page to itself.
func (s *server) guard(next http.Handler) http.Handler {
	var want [32]byte
	if s.token != "" {
		want = sha256.Sum256([]byte(s.token))
	}
	ok := func(got string) bool {
		h := sha256.Sum256([]byte(got))
		return subtle.ConstantTimeCompare(h[:], want[:]) == 1
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("Cache-Control", "no-store")
		if s.loopback && !loopbackHost(r.Host) {
			http.Error(w, "binlogview: bad Host header (the viewer answers only to localhost names)", http.StatusMisdirectedRequest)
			return
		}
		if s.token == "" {
			next.ServeHTTP(w, r)
			return
		}
		if t := r.URL.Query().Get("token"); t != "" && ok(t) {
			http.SetCookie(w, &http.Cookie{Name: cookieName, Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
			if r.URL.Path == "/" {
				// Drop the token from the address bar and history.
				http.Redirect(w, r, "/", http.StatusSeeOther)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") && ok(strings.TrimPrefix(a, "Bearer ")) {
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(cookieName); err == nil && ok(c.Value) {
			next.ServeHTTP(w, r)
			return
		}
		h.Set("WWW-Authenticate", `Bearer realm="binlogview"`)
		http.Error(w, "binlogview: a token is required (open the page with ?token=… or send Authorization: Bearer …)", http.StatusUnauthorized)
	})
}

// loopbackHost reports whether a Host header names this machine.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func httpError(w http.ResponseWriter, code int, err error) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}

// unixTime writes a header time in loc, "" for none.
func unixTime(ts uint32, loc *time.Location) string {
	if ts == 0 {
		return ""
	}
	return time.Unix(int64(ts), 0).In(loc).Format(time.DateTime)
}

type fileJSON struct {
	Name         string   `json:"name"`
	Size         int64    `json:"size"`
	Transactions int      `json:"transactions"`
	Events       uint64   `json:"events"`
	FirstTime    string   `json:"first_time,omitempty"`
	LastTime     string   `json:"last_time,omitempty"`
	Warnings     []string `json:"warnings,omitempty"`
}

type summaryJSON struct {
	Files        []fileJSON `json:"files"`
	Transactions int        `json:"transactions"`
	Events       uint64     `json:"events"`
	Rows         [3]uint64  `json:"rows"` // insert, update, delete
	Statements   uint64     `json:"statements"`
	Tables       []string   `json:"tables"`
	Databases    []string   `json:"databases"`
	FirstTime    string     `json:"first_time,omitempty"`
	LastTime     string     `json:"last_time,omitempty"`
	TimeZone     string     `json:"time_zone"`
	IndexMillis  int64      `json:"index_ms"`
	IndexBytes   int64      `json:"index_bytes"`
	Masked       bool       `json:"masked"`
}

func (s *server) summary(w http.ResponseWriter, r *http.Request) {
	ix := s.ix
	out := summaryJSON{Transactions: len(ix.txs), Events: ix.events, IndexMillis: ix.elapsed.Milliseconds(), Masked: ix.masked, TimeZone: cli.ZoneName(ix.loc)}
	out.Files = []fileJSON{}
	for _, f := range ix.files {
		out.Files = append(out.Files, fileJSON{Name: f.Name, Size: f.Size, Transactions: f.txs, Events: f.events,
			FirstTime: unixTime(f.firstTS, ix.loc), LastTime: unixTime(f.lastTS, ix.loc), Warnings: f.warnings})
	}
	for i, o := range ix.ops {
		for k := range 3 {
			out.Rows[k] += uint64(o.n[k])
		}
		out.Statements += uint64(o.n[opQuery])
		if i&(1<<16-1) == 0 {
			ix.opStore.dropBefore(i)
		}
	}
	dbs := map[string]bool{}
	out.Tables = []string{}
	for _, t := range ix.tables {
		if t.Table != "" {
			out.Tables = append(out.Tables, t.String())
		}
		if t.DB != "" {
			dbs[t.DB] = true
		}
	}
	sort.Strings(out.Tables)
	out.Databases = []string{}
	for d := range dbs {
		out.Databases = append(out.Databases, d)
	}
	sort.Strings(out.Databases)
	if n := len(ix.txs); n > 0 {
		out.FirstTime = unixTime(ix.txs[0].first, ix.loc)
		out.LastTime = unixTime(ix.txs[n-1].last, ix.loc)
	}
	out.IndexBytes = ix.memBytes()
	writeJSON(w, out)
}

// match returns the ids of the transactions passing f.
func (s *server) match(ctx context.Context, f *filter) (*idSet, error) {
	ix := s.ix
	tables := ix.tableMask(f)
	ids := newIDSet(len(ix.txs))
	drop := behind{ix: ix}
	for i := range ix.txs {
		drop.at(i)
		if ix.matchIndex(f, &ix.txs[i], tables) {
			ids.add(i)
		}
	}
	if f.q == "" {
		return ids, nil
	}
	qe := s.qState(f.q)
	qe.scan.Lock()
	defer qe.scan.Unlock()
	s.mu.Lock()
	todo := ids.andNot(qe.searched)
	s.mu.Unlock()
	if todo.len() > 0 {
		s.qSearched.Add(int64(todo.len()))
		found := newIDSet(len(ix.txs))
		d := newRowDecoder(ix)
		err := ix.scan(ctx, todo.all(), txVisitor{visit: func(id int, tx *binlog.Transaction, events iter.Seq2[*event.Event, error]) error {
			hit := false
			for ev, err := range events {
				if err != nil {
					return err
				}
				if hit {
					continue
				}
				if q := statementText(ev); q != nil && containsFold(q, f.qLower) {
					hit = true
					continue
				}
				err := d.changes(ev, func(c *change) error {
					if d.matchText(c, f.qLower) {
						hit = true
						return errStop
					}
					return nil
				})
				if err != nil && err != errStop {
					return err
				}
			}
			if hit {
				found.add(id)
			}
			return nil
		}})
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		qe.searched.addAll(todo)
		qe.hit.addAll(found)
		s.mu.Unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return ids.and(qe.hit), nil
}

var errStop = errors.New("stop")

// qState returns the cache entry of a text search, creating it.
func (s *server) qState(q string) *qEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, e := range s.qcache {
		if e.q == q {
			s.qcache = append(append(s.qcache[:i:i], s.qcache[i+1:]...), e)
			return e
		}
	}
	e := &qEntry{q: q, searched: newIDSet(len(s.ix.txs)), hit: newIDSet(len(s.ix.txs))}
	if len(s.qcache) >= qCacheSize {
		s.qcache = s.qcache[1:]
	}
	s.qcache = append(s.qcache, e)
	return e
}

// txJSON is a transaction as the list shows it.
type txJSON struct {
	ID         int      `json:"id"`
	File       string   `json:"file"`
	Pos        uint64   `json:"pos"`
	End        uint64   `json:"end"`
	Bytes      uint64   `json:"bytes"`
	GTID       string   `json:"gtid,omitempty"`
	Time       string   `json:"time"`
	LastTime   string   `json:"last_time"`
	Unix       uint32   `json:"unix"`
	Events     uint32   `json:"events"`
	Inserts    uint32   `json:"inserts"`
	Updates    uint32   `json:"updates"`
	Deletes    uint32   `json:"deletes"`
	Statements uint32   `json:"statements"`
	Tables     []string `json:"tables"`
	DDL        bool     `json:"ddl,omitempty"`
	Complete   bool     `json:"complete"`
	Rollback   bool     `json:"rollback,omitempty"`
}

func (s *server) txJSON(id int) txJSON {
	ix := s.ix
	e := &ix.txs[id]
	n := ix.totals(e)
	out := txJSON{ID: id, File: ix.files[e.file].Name, Pos: e.pos, End: e.end, Bytes: e.end - e.pos,
		Time: unixTime(e.first, s.ix.loc), LastTime: unixTime(e.last, s.ix.loc), Unix: e.first, Events: e.events,
		Inserts: n[opInsert], Updates: n[opUpdate], Deletes: n[opDelete], Statements: n[opQuery],
		DDL: e.flags&txDDL != 0, Complete: e.flags&txComplete != 0, Rollback: e.flags&txRollback != 0}
	if g, ok := ix.gtidOf(e); ok {
		out.GTID = g.String()
	}
	out.Tables = []string{}
	for _, o := range ix.ops[e.tabOff : e.tabOff+uint32(e.nTabs)] {
		out.Tables = append(out.Tables, ix.tables[o.table].String())
	}
	return out
}

type pageJSON struct {
	Total int      `json:"total"`
	Page  int      `json:"page"`
	Size  int      `json:"size"`
	Pages int      `json:"pages"`
	Items []txJSON `json:"items"`
}

// intParam reads an integer parameter in [lo, hi], def when absent.
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s: want a number from %d to %d", name, lo, hi)
	}
	return n, nil
}

func (s *server) transactions(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r.URL.Query(), s.ix.files, s.ix.loc)
	if err != nil {
		httpError(w, http.StatusBadRequest, err)
		return
	}
	page, err := intParam(r, "page", 1, 1, 1<<31-1)
	if err != nil {
		httpError(w, http.StatusBadRequest, err)
		return
	}
	size, err := intParam(r, "size", defaultPageSize, 1, maxPageSize)
	if err != nil {
		httpError(w, http.StatusBadRequest, err)
		return
	}
	ids, err := s.match(r.Context(), f)
	if err != nil {
		httpError(w, http.StatusInternalServerError, err)
		return
	}
	out := pageJSON{Total: ids.len(), Page: page, Size: size, Pages: (ids.len() + size - 1) / size, Items: []txJSON{}}
	for id, n := ids.nth((page-1)*size), 0; id >= 0 && n < size; id, n = ids.next(id+1), n+1 {
		out.Items = append(out.Items, s.txJSON(id))
	}
	writeJSON(w, out)
}

type eventJSON struct {
	Pos      uint64 `json:"pos"`
	NextPos  uint64 `json:"next_pos"`
	Type     string `json:"type"`
	Time     string `json:"time"`
	ServerID uint32 `json:"server_id"`
	Info     string `json:"info,omitempty"`
}

type rowJSON struct {
	Event   int      `json:"event"` // index into events
	Table   string   `json:"table"`
	Op      string   `json:"op"`
	Columns []string `json:"columns"`
	Before  []any    `json:"before,omitempty"`
	After   []any    `json:"after,omitempty"`
	Changed []int    `json:"changed,omitempty"`
}

type detailJSON struct {
	txJSON
	XID       uint64      `json:"xid,omitempty"`
	EventList []eventJSON `json:"event_list"`
	Rows      []rowJSON   `json:"rows"`
	Truncated bool        `json:"truncated,omitempty"`
	// EventsCut is set when the event list stops at maxDetailEvents.
	EventsCut bool   `json:"events_truncated,omitempty"`
	SQL       string `json:"sql"`
	SQLError  string `json:"sql_error,omitempty"`
}

// cellJSON is a cell as JSON: a string, null, or {"absent":true}.
func cellJSON(c cell) any {
	switch {
	case c.Null:
		return nil
	case c.Absent:
		return map[string]bool{"absent": true}
	}
	return c.Text
}

func cellsJSON(cs []cell) []any {
	if cs == nil {
		return nil
	}
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = cellJSON(c)
	}
	return out
}

// eventInfo is a one-line description of an event for the event list.
func eventInfo(ev *event.Event) string {
	clip := func(b []byte) string {
		if len(b) > 2000 {
			return string(b[:2000]) + "…"
		}
		return string(b)
	}
	switch b := ev.Body.(type) {
	case *event.Query:
		s := clip(b.Query)
		if len(b.Schema) > 0 {
			s = "use " + string(b.Schema) + "; " + s
		}
		return s
	case *event.TableMap:
		return fmt.Sprintf("table_id %d: %s.%s (%d columns)", b.TableID, b.Schema, b.Table, b.ColumnCount)
	case *event.Rows:
		name := ""
		if ev.Table != nil {
			name = string(ev.Table.Schema) + "." + string(ev.Table.Table)
		}
		return fmt.Sprintf("table_id %d %s", b.TableID, name)
	case *event.MariaGTID:
		return "GTID " + b.Text(ev.Header.ServerID)
	case *event.MariaAnnotateRows:
		return clip(b.Query)
	case *event.RowsQuery:
		return clip(b.Query)
	case *event.Rotate:
		return fmt.Sprintf("next file %s at %d", b.NextFile, b.Position)
	}
	if g, ok := binlog.GTIDFromEvent(ev.Body, ev.Header.ServerID); ok {
		return "GTID " + g.String()
	}
	if x, ok := ev.Body.(*event.XID); ok {
		return fmt.Sprintf("xid %d", x.XID)
	}
	return ""
}

func (s *server) transaction(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || id < 0 || id >= len(s.ix.txs) {
		httpError(w, http.StatusNotFound, fmt.Errorf("no transaction %q", r.PathValue("id")))
		return
	}
	out := detailJSON{txJSON: s.txJSON(id), EventList: []eventJSON{}, Rows: []rowJSON{}}
	d := newRowDecoder(s.ix)
	// The SQL shown is read, not applied: MySQL tables are shown with
	// every logged column, whether or not some are generated.
	gen := sqlgen.New(newIndexSchema(s.ix), sqlgen.Options{Positional: true, DDL: true, AllowUnknownGenerated: true})
	var sqlBuf []byte
	err = s.ix.scan(r.Context(), slices.Values([]int{id}), txVisitor{
		prelude: func(ev *event.Event) error { return gen.Observe(ev) },
		visit: func(_ int, tx *binlog.Transaction, events iter.Seq2[*event.Event, error]) error {
			for ev, err := range events {
				if err != nil {
					return err
				}
				if len(out.EventList) < maxDetailEvents {
					out.EventList = append(out.EventList, eventJSON{Pos: ev.Pos, NextPos: ev.NextPos, Type: ev.Header.Type.String(),
						Time: unixTime(ev.Header.Timestamp, s.ix.loc), ServerID: ev.Header.ServerID, Info: eventInfo(ev)})
				} else {
					out.EventsCut = true
				}
				if out.SQLError == "" && len(sqlBuf) < maxDetailSQL {
					if sqlBuf, err = gen.AppendEvent(sqlBuf, ev); err != nil {
						out.SQLError = err.Error()
					}
				}
				evIndex := len(out.EventList) - 1 // the last listed event when cut
				var names []string
				err := d.changes(ev, func(c *change) error {
					if c.t == nil {
						return nil
					}
					if len(out.Rows) >= maxDetailRows {
						out.Truncated = true
						return errStop
					}
					if names == nil {
						names = columnNames(c.t)
					}
					row := rowJSON{Event: evIndex, Table: c.table.String(), Op: opNames[c.op], Columns: names,
						Before: cellsJSON(d.cells(c.t, c.before)), After: cellsJSON(d.cells(c.t, c.after))}
					if c.op == opUpdate {
						row.Changed = changedColumns(c.before, c.after)
					}
					out.Rows = append(out.Rows, row)
					return nil
				})
				if err != nil && err != errStop {
					return err
				}
			}
			out.XID = tx.XID
			return nil
		},
	})
	if err != nil {
		httpError(w, http.StatusInternalServerError, err)
		return
	}
	if len(sqlBuf) > maxDetailSQL {
		sqlBuf = append(sqlBuf[:maxDetailSQL], "\n-- (cut)\n"...)
	}
	out.SQL = string(sqlBuf)
	writeJSON(w, out)
}
