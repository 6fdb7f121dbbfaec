package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
)

// report is what binlogstat prints; its JSON form is the --json output.
// Times are RFC 3339 strings in --tz ("" when the input had none); sizes are
// bytes. Lists have a stable order, given with each field.
type report struct {
	// TimeZone names the zone of the times (--tz, else the local zone),
	// with its offset from UTC: "Asia/Shanghai (UTC+08:00)".
	TimeZone string `json:"time_zone"`
	// Files lists the files read, in order.
	Files []fileJSON `json:"files"`
	// Events is the number of events kept by the filters.
	Events uint64 `json:"events"`
	// Transactions sums up every transaction counted.
	Transactions txSummary `json:"transactions"`
	// Operations has one entry per operation: insert, update, delete.
	Operations []opJSON `json:"operations"`
	// Tables lists every table with kept rows, by bytes (then rows)
	// descending, then by schema and table name.
	Tables []tableJSON `json:"tables"`
	// TopByRows, TopByBytes and Longest are the --top transactions with
	// the most rows, the most bytes and the longest duration (of a second
	// or more), greatest first (ties: earlier first).
	TopByRows  []txJSON `json:"top_by_rows"`
	TopByBytes []txJSON `json:"top_by_bytes"`
	Longest    []txJSON `json:"longest"`
	// BigTransactions and LongTransactions count the transactions over
	// --big-rows and --long-seconds and list the --top greatest of them.
	BigTransactions  thresholdJSON `json:"big_transactions"`
	LongTransactions thresholdJSON `json:"long_transactions"`
	// DDL lists the first DDL statements in input order.
	DDL ddlJSON `json:"ddl"`
	// Histogram counts transactions per time bucket.
	Histogram histJSON `json:"histogram"`
	// EventTypes counts kept events per type, by count descending, then
	// type name.
	EventTypes []typeJSON `json:"event_types"`
}

type fileJSON struct {
	Name           string `json:"name"`
	Bytes          uint64 `json:"bytes"`
	Events         uint64 `json:"events"`
	FirstEventTime string `json:"first_event_time"`
	LastEventTime  string `json:"last_event_time"`
}

type txSummary struct {
	Count      uint64 `json:"count"`
	Complete   uint64 `json:"complete"`
	RolledBack uint64 `json:"rolled_back"`
	WithXID    uint64 `json:"with_xid"`
	Rows       uint64 `json:"rows"`
	Bytes      uint64 `json:"bytes"`
	RowBytes   uint64 `json:"row_bytes"`
	Statements uint64 `json:"statements"`
	DDL        uint64 `json:"ddl"`
	Big        uint64 `json:"big"`
	Long       uint64 `json:"long"`
	FirstTime  string `json:"first_time"`
	LastTime   string `json:"last_time"`
}

type opJSON struct {
	Operation string `json:"operation"`
	Rows      uint64 `json:"rows"`
	Events    uint64 `json:"events"`
	Bytes     uint64 `json:"bytes"`
}

type tableJSON struct {
	Schema  string `json:"schema"`
	Table   string `json:"table"`
	Inserts uint64 `json:"inserts"`
	Updates uint64 `json:"updates"`
	Deletes uint64 `json:"deletes"`
	Rows    uint64 `json:"rows"`
	Bytes   uint64 `json:"bytes"`
	Events  uint64 `json:"events"`
}

type txJSON struct {
	File            string   `json:"file"`
	Pos             uint64   `json:"pos"`
	EndFile         string   `json:"end_file"`
	EndPos          uint64   `json:"end_pos"`
	GTID            string   `json:"gtid"`
	StartTime       string   `json:"start_time"`
	EndTime         string   `json:"end_time"`
	DurationSeconds uint32   `json:"duration_seconds"`
	Rows            uint64   `json:"rows"`
	Bytes           uint64   `json:"bytes"`
	RowBytes        uint64   `json:"row_bytes"`
	Events          uint64   `json:"events"`
	Tables          []string `json:"tables"`
	MoreTables      int      `json:"more_tables"`
	Complete        bool     `json:"complete"`
	RolledBack      bool     `json:"rolled_back"`
}

type thresholdJSON struct {
	// Threshold is --big-rows (rows) or --long-seconds (seconds); 0 is off.
	Threshold uint64   `json:"threshold"`
	Count     uint64   `json:"count"`
	Listed    []txJSON `json:"listed"`
}

type ddlJSON struct {
	Count  uint64     `json:"count"`
	Listed []ddlEntJS `json:"listed"`
	More   uint64     `json:"more"`
}

type ddlEntJS struct {
	Schema    string `json:"schema"`
	Time      string `json:"time"`
	File      string `json:"file"`
	Pos       uint64 `json:"pos"`
	GTID      string `json:"gtid"`
	Statement string `json:"statement"`
	Truncated bool   `json:"truncated"`
}

type histJSON struct {
	RequestedBucketSeconds int64        `json:"requested_bucket_seconds"`
	BucketSeconds          int64        `json:"bucket_seconds"`
	Coarsened              bool         `json:"coarsened"`
	Buckets                []bucketJSON `json:"buckets"`
}

type bucketJSON struct {
	Start        string `json:"start"`
	Transactions uint64 `json:"transactions"`
	Rows         uint64 `json:"rows"`
	Bytes        uint64 `json:"bytes"`
}

type typeJSON struct {
	Type  string `json:"type"`
	Code  uint8  `json:"code"`
	Count uint64 `json:"count"`
}

// report builds the report; times are written in loc.
func (st *collector) report(loc *time.Location) *report {
	ts := func(t uint32) string {
		if t == 0 {
			return ""
		}
		return time.Unix(int64(t), 0).In(loc).Format(time.RFC3339)
	}
	rep := &report{TimeZone: cli.ZoneName(loc), Events: st.events, Files: []fileJSON{}}
	for _, f := range st.files {
		rep.Files = append(rep.Files, fileJSON{Name: f.name, Bytes: f.bytes, Events: f.events, FirstEventTime: ts(f.first), LastEventTime: ts(f.last)})
	}
	rep.Transactions = txSummary{Count: st.txCount, Complete: st.txComplete, RolledBack: st.txRollback, WithXID: st.txXID,
		Rows: st.txRows, Bytes: st.txBytes, RowBytes: st.txRowBytes, Statements: st.queries, DDL: st.ddlCount,
		Big: st.bigCount, Long: st.longCount}
	rep.Transactions.FirstTime, rep.Transactions.LastTime = ts(st.txFirst), ts(st.txLast)
	for op := range numOps {
		rep.Operations = append(rep.Operations, opJSON{Operation: opNames[op], Rows: st.ops[op], Events: st.opEvents[op], Bytes: st.opBytes[op]})
	}
	rep.Tables = []tableJSON{}
	for _, t := range st.tables {
		rep.Tables = append(rep.Tables, tableJSON{Schema: t.schema, Table: t.table, Inserts: t.rows[opInsert], Updates: t.rows[opUpdate],
			Deletes: t.rows[opDelete], Rows: t.totalRows(), Bytes: t.totalBytes(), Events: t.events})
	}
	sort.Slice(rep.Tables, func(i, j int) bool {
		a, b := rep.Tables[i], rep.Tables[j]
		if a.Bytes != b.Bytes {
			return a.Bytes > b.Bytes
		}
		if a.Rows != b.Rows {
			return a.Rows > b.Rows
		}
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		return a.Table < b.Table
	})
	txs := func(l *topList) []txJSON {
		out := []txJSON{}
		for _, r := range l.sorted() {
			tables := r.tables
			if tables == nil {
				tables = []string{}
			}
			out = append(out, txJSON{File: r.file, Pos: r.pos, EndFile: r.endFile, EndPos: r.endPos, GTID: r.gtid,
				StartTime: ts(r.start), EndTime: ts(r.end), DurationSeconds: r.duration(), Rows: r.rows, Bytes: r.bytes,
				RowBytes: r.rowBytes, Events: r.events, Tables: tables, MoreTables: r.moreTables, Complete: r.complete, RolledBack: r.rollback})
		}
		return out
	}
	rep.TopByRows = txs(&st.byRows)
	rep.TopByBytes = txs(&st.byBytes)
	rep.Longest = []txJSON{}
	for _, x := range txs(&st.byDuration) {
		if x.DurationSeconds > 0 {
			rep.Longest = append(rep.Longest, x)
		}
	}
	rep.BigTransactions = thresholdJSON{Threshold: st.bigRows, Count: st.bigCount, Listed: txs(&st.big)}
	rep.LongTransactions = thresholdJSON{Threshold: st.longSeconds, Count: st.longCount, Listed: txs(&st.long)}
	rep.DDL = ddlJSON{Count: st.ddlCount, Listed: []ddlEntJS{}, More: st.ddlCount - uint64(len(st.ddl))}
	for _, d := range st.ddl {
		rep.DDL.Listed = append(rep.DDL.Listed, ddlEntJS{Schema: d.schema, Time: ts(d.time), File: d.file, Pos: d.pos, GTID: d.gtid, Statement: d.statement, Truncated: d.truncated})
	}
	h := &st.hist
	rep.Histogram = histJSON{RequestedBucketSeconds: h.requested, BucketSeconds: h.width, Coarsened: h.width != h.requested, Buckets: []bucketJSON{}}
	if len(h.buckets) > 0 {
		for k := h.lo; k <= h.hi; k++ {
			b := h.buckets[k]
			if b == nil {
				b = &bucket{}
			}
			rep.Histogram.Buckets = append(rep.Histogram.Buckets, bucketJSON{Start: ts(uint32(k * h.width)), Transactions: b.transactions, Rows: b.rows, Bytes: b.bytes})
		}
	}
	rep.EventTypes = []typeJSON{}
	for code, n := range st.types {
		if n > 0 {
			rep.EventTypes = append(rep.EventTypes, typeJSON{Type: event.Type(code).String(), Code: uint8(code), Count: n})
		}
	}
	sort.Slice(rep.EventTypes, func(i, j int) bool {
		a, b := rep.EventTypes[i], rep.EventTypes[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Type < b.Type
	})
	return rep
}

// writeJSON prints the report as one indented JSON object.
func writeJSON(w *bufio.Writer, rep *report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// writeText prints the report as aligned tables.
func writeText(w *bufio.Writer, rep *report, loc *time.Location) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	// left-aligned tables use their own writer
	lw := func() *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }
	short := func(s string) string { // RFC 3339 to "YYYY-MM-DD HH:MM:SS"
		if s == "" {
			return "-"
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return s
		}
		return t.In(loc).Format("2006-01-02 15:04:05")
	}

	fmt.Fprintf(w, "Times are %s.\n\n", rep.TimeZone)
	fmt.Fprintf(w, "== Files (%d)\n", len(rep.Files))
	t := lw()
	fmt.Fprintln(t, "FILE\tBYTES\tEVENTS\tFIRST EVENT\tLAST EVENT")
	for _, f := range rep.Files {
		fmt.Fprintf(t, "%s\t%d\t%d\t%s\t%s\n", f.Name, f.Bytes, f.Events, short(f.FirstEventTime), short(f.LastEventTime))
	}
	t.Flush()

	s := rep.Transactions
	fmt.Fprintf(w, "\n== Summary\n")
	fmt.Fprintf(w, "transactions: %d (complete %d, rolled back %d, ended by XID %d)\n", s.Count, s.Complete, s.RolledBack, s.WithXID)
	fmt.Fprintf(w, "rows: %d   bytes: %d (%s)   rows-event bytes: %d (%s)\n", s.Rows, s.Bytes, human(s.Bytes), s.RowBytes, human(s.RowBytes))
	fmt.Fprintf(w, "statements: %d (DDL %d)   events kept: %d\n", s.Statements, s.DDL, rep.Events)
	fmt.Fprintf(w, "first transaction: %s   last: %s\n", short(s.FirstTime), short(s.LastTime))

	fmt.Fprintf(w, "\n== Operations\n")
	fmt.Fprintln(tw, "OPERATION\tROWS\tEVENTS\tBYTES\t")
	for _, o := range rep.Operations {
		fmt.Fprintf(tw, "%-9s\t%d\t%d\t%d\t\n", o.Operation, o.Rows, o.Events, o.Bytes)
	}
	tw.Flush()

	fmt.Fprintf(w, "\n== Tables (%d, by bytes)\n", len(rep.Tables))
	names := make([]string, len(rep.Tables))
	width := len("total")
	for i, x := range rep.Tables {
		names[i] = quoteName(x.Schema) + "." + quoteName(x.Table)
		width = max(width, utf8.RuneCountInString(names[i]))
	}
	pad := func(s string) string { return s + strings.Repeat(" ", width-utf8.RuneCountInString(s)) }
	fmt.Fprintf(tw, "%s\tINSERTS\tUPDATES\tDELETES\tROWS\tBYTES\t\n", pad("TABLE"))
	var tot tableJSON
	for i, x := range rep.Tables {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", pad(names[i]), x.Inserts, x.Updates, x.Deletes, x.Rows, x.Bytes)
		tot.Inserts += x.Inserts
		tot.Updates += x.Updates
		tot.Deletes += x.Deletes
		tot.Rows += x.Rows
		tot.Bytes += x.Bytes
	}
	fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", pad("total"), tot.Inserts, tot.Updates, tot.Deletes, tot.Rows, tot.Bytes)
	tw.Flush()

	h := rep.Histogram
	fmt.Fprintf(w, "\n== Histogram by transaction start (bucket %s", seconds(h.BucketSeconds))
	if h.Coarsened {
		fmt.Fprintf(w, "; coarsened from %s to keep at most %d buckets", seconds(h.RequestedBucketSeconds), maxBuckets)
	}
	fmt.Fprintln(w, ", bar: bytes)")
	var maxB uint64
	for _, b := range h.Buckets {
		maxB = max(maxB, b.Bytes)
	}
	fmt.Fprintln(tw, "START\tTRANSACTIONS\tROWS\tBYTES\t")
	for i := 0; i < len(h.Buckets); i++ {
		b := h.Buckets[i]
		// A run of three or more empty buckets takes one line.
		j := i
		for j < len(h.Buckets) && h.Buckets[j].Transactions == 0 {
			j++
		}
		if j-i >= 3 {
			fmt.Fprintf(tw, "%s\t…\t\t\t %d empty buckets\n", short(b.Start), j-i)
			i = j - 1
			continue
		}
		bar := ""
		if maxB > 0 {
			n := int((b.Bytes*40 + maxB - 1) / maxB)
			if n > 0 {
				bar = " " + strings.Repeat("#", n)
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", short(b.Start), b.Transactions, b.Rows, b.Bytes, bar)
	}
	tw.Flush()

	txTable := func(title string, list []txJSON) {
		fmt.Fprintf(w, "\n== %s\n", title)
		if len(list) == 0 {
			fmt.Fprintln(w, "(none)")
			return
		}
		t := lw()
		fmt.Fprintln(t, "ROWS\tBYTES\tSECONDS\tSTART\tFILE:POS\tEND POS\tGTID\tTABLES")
		for _, x := range list {
			end := strconv.FormatUint(x.EndPos, 10)
			if x.EndFile != x.File && x.EndFile != "" {
				end = x.EndFile + ":" + end
			}
			gtid := x.GTID
			if gtid == "" {
				gtid = "-"
			}
			tables := strings.Join(x.Tables, ", ")
			if x.MoreTables > 0 {
				tables += fmt.Sprintf(" and %d more", x.MoreTables)
			}
			fmt.Fprintf(t, "%d\t%d\t%d\t%s\t%s:%d\t%s\t%s\t%s\n", x.Rows, x.Bytes, x.DurationSeconds, short(x.StartTime), x.File, x.Pos, end, gtid, tables)
		}
		t.Flush()
	}
	txTable(fmt.Sprintf("Biggest transactions by rows (top %d)", len(rep.TopByRows)), rep.TopByRows)
	txTable(fmt.Sprintf("Biggest transactions by bytes (top %d)", len(rep.TopByBytes)), rep.TopByBytes)
	txTable("Longest transactions (lasting 1 s or more)", rep.Longest)
	if b := rep.BigTransactions; b.Threshold > 0 {
		txTable(fmt.Sprintf("Big transactions (at least %d rows): %d", b.Threshold, b.Count), b.Listed)
	}
	if l := rep.LongTransactions; l.Threshold > 0 {
		txTable(fmt.Sprintf("Long transactions (at least %d s): %d", l.Threshold, l.Count), l.Listed)
	}

	fmt.Fprintf(w, "\n== DDL (%d)\n", rep.DDL.Count)
	t = lw()
	for _, d := range rep.DDL.Listed {
		stmt := d.Statement
		if d.Truncated {
			stmt += " …"
		}
		gtid := d.GTID
		if gtid == "" {
			gtid = "-"
		}
		fmt.Fprintf(t, "%s\t%s:%d\t%s\t%s\t%s\n", short(d.Time), d.File, d.Pos, gtid, quoteName(d.Schema), stmt)
	}
	t.Flush()
	if rep.DDL.More > 0 {
		fmt.Fprintf(w, "… and %d more\n", rep.DDL.More)
	}

	fmt.Fprintf(w, "\n== Event types (kept events)\n")
	for _, e := range rep.EventTypes {
		fmt.Fprintf(tw, "%-32s\t%d\t\n", e.Type, e.Count)
	}
	return tw.Flush()
}

// seconds writes a bucket width: 90s, 5m, 2h, 1h30m, 10d.
func seconds(n int64) string {
	if n >= 86400 && n%86400 == 0 {
		return strconv.FormatInt(n/86400, 10) + "d"
	}
	d := time.Duration(n) * time.Second
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// quoteName quotes an identifier with backticks when it is not a plain one.
func quoteName(s string) string {
	if s == "" {
		return "``"
	}
	for _, c := range s {
		if !(c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "`" + strings.ReplaceAll(s, "`", "``") + "`"
		}
	}
	return s
}

// human writes a byte count in KiB, MiB or GiB.
func human(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
