//go:build integration

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// mysqlWorkload is the project's workload ported to MySQL 9.7: its first
// part creates every table, changes rows and schema; the part after the
// line "-- @mutations" only changes rows.
const mysqlWorkload = "../../testdata/workload-mysql.sql"

// mysqlVariant is one server configuration the round trips run under:
// the values given to SET GLOBAL before the workload is recorded.
type mysqlVariant struct {
	name         string
	image        string // binlog_row_image
	metadata     string // binlog_row_metadata
	valueOptions string // binlog_row_value_options
}

// full reports whether the images are full, so that a rollback is
// possible.
func (v mysqlVariant) full() bool { return v.image == "FULL" }

// mysqlVariants are the configurations of TestIntegrationMySQLRoundTrips.
var mysqlVariants = []mysqlVariant{
	{"Full", "FULL", "FULL", ""},
	{"PartialJSON", "FULL", "FULL", "PARTIAL_JSON"},
	{"MinimalMetadata", "FULL", "MINIMAL", ""},
	{"MinimalMetadataPartialJSON", "FULL", "MINIMAL", "PARTIAL_JSON"},
	{"MinimalImage", "MINIMAL", "FULL", ""},
	{"MinimalImagePartialJSON", "MINIMAL", "FULL", "PARTIAL_JSON"},
	{"NoblobImage", "NOBLOB", "FULL", ""},
}

// mysqlChecksums returns "db.table<TAB>checksum" lines for every base table
// of the user databases. CHECKSUM TABLE … EXTENDED gives a different
// number at every call for a table with a multi-valued index (MySQL 9.7):
// such a table is compared by a hash of its rows, every column (invisible
// ones too) as text, in primary-key order.
func mysqlChecksums(t *testing.T, s *mysqltest.Server) string {
	t.Helper()
	q := func(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }
	list := s.Query(t, "SELECT table_schema, table_name FROM information_schema.tables "+
		"WHERE table_type='BASE TABLE' AND table_schema NOT IN ('mysql','information_schema','performance_schema','sys') "+
		"ORDER BY table_schema, table_name")
	arrays := map[string]bool{}
	for _, l := range strings.Split(s.Query(t, "SELECT DISTINCT table_schema, table_name FROM information_schema.statistics "+
		"WHERE expression LIKE '%array%'"), "\n") {
		if l != "" {
			arrays[l] = true
		}
	}
	var names, lines []string
	for _, l := range strings.Split(list, "\n") {
		db, name, ok := strings.Cut(l, "\t")
		if !ok {
			continue
		}
		if !arrays[l] {
			names = append(names, q(db)+"."+q(name))
			continue
		}
		cols := s.Query(t, fmt.Sprintf("SELECT GROUP_CONCAT(CONCAT('`', REPLACE(column_name, '`', '``'), '`') ORDER BY ordinal_position) "+
			"FROM information_schema.columns WHERE table_schema = '%s' AND table_name = '%s'", db, name))
		rows := s.Query(t, fmt.Sprintf("SELECT %s FROM %s.%s ORDER BY 1", cols, q(db), q(name)))
		sum := sha256.Sum256([]byte(rows))
		lines = append(lines, db+"."+name+"\trows "+hex.EncodeToString(sum[:8]))
	}
	if len(names) == 0 {
		t.Fatal("no tables to compare")
	}
	lines = append(lines, strings.Split(s.Query(t, "CHECKSUM TABLE "+strings.Join(names, ", ")+" EXTENDED"), "\n")...)
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// countTables returns the number of lines (tables) of a checksum text.
func countTables(sums string) int { return strings.Count(sums, "\n") + 1 }

// applyMySQLBinlog applies binlog files with the plain command a DBA types:
// mysqlbinlog FILE… | mysql.
func applyMySQLBinlog(t *testing.T, s *mysqltest.Server, files ...string) {
	t.Helper()
	dump := s.Install().Command("mysqlbinlog", append([]string{"--no-defaults"}, files...)...)
	apply := s.Client("mysql")
	pipe, err := dump.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	apply.Stdin = pipe
	var derr, aout strings.Builder
	dump.Stderr = &derr
	apply.Stdout, apply.Stderr = &aout, &aout
	if err := dump.Start(); err != nil {
		t.Fatal(err)
	}
	if err := apply.Run(); err != nil {
		t.Fatalf("mysqlbinlog %s | mysql: %v\n%s%s", strings.Join(files, " "), err, derr.String(), aout.String())
	}
	if err := dump.Wait(); err != nil {
		t.Fatalf("mysqlbinlog: %v\n%s", err, derr.String())
	}
}

// gtidCount returns the number of transactions in a MySQL GTID set.
func gtidCount(t *testing.T, set string) uint64 {
	t.Helper()
	if set == "" {
		return 0
	}
	gs, err := binlog.ParseGTIDSet(set)
	if err != nil {
		t.Fatalf("%q: %v", set, err)
	}
	var n uint64
	for _, iv := range gtidIntervals.FindAllStringSubmatch(gs.String(), -1) {
		lo, _ := strconv.ParseUint(iv[1], 10, 64)
		hi := lo
		if iv[2] != "" {
			hi, _ = strconv.ParseUint(iv[2], 10, 64)
		}
		n += hi - lo + 1
	}
	return n
}

var gtidIntervals = regexp.MustCompile(`:(\d+)(?:-(\d+))?`)

// recording is one run of the workload on the source server.
type recording struct {
	all, mutations []string // binlog files of the whole workload, of its second part
	schemaFile     string   // mysqldump --no-data after the first part
	wantSetup      string   // checksums after the first part
	wantAll        string   // checksums after the whole workload
}

// record runs the workload on s under the variant's settings: the first
// part, a schema dump and checksums, then the row changes, with FLUSH
// BINARY LOGS around each part so that each has files of its own.
func record(t *testing.T, s *mysqltest.Server, v mysqlVariant, dir string) *recording {
	t.Helper()
	script, err := os.ReadFile(mysqlWorkload)
	if err != nil {
		t.Fatal(err)
	}
	setup, mutations, ok := strings.Cut(string(script), "\n-- @mutations\n")
	if !ok {
		t.Fatal("no -- @mutations line in the workload")
	}
	s.Exec(t, fmt.Sprintf("DROP DATABASE IF EXISTS binlogkit; DROP DATABASE IF EXISTS `second-db ✓`; "+
		"SET GLOBAL binlog_row_image = '%s'; SET GLOBAL binlog_row_metadata = '%s'; SET GLOBAL binlog_row_value_options = '%s'",
		v.image, v.metadata, v.valueOptions))
	s.FlushLogs(t)
	first := len(s.BinlogFiles(t))
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rec := &recording{}
	s.ExecFile(t, write("setup.sql", setup))
	s.FlushLogs(t)
	middle := len(s.BinlogFiles(t))
	rec.wantSetup = mysqlChecksums(t, s)
	dump := s.Client("mysqldump", "--no-data", "--skip-dump-date", "--set-gtid-purged=OFF", "--databases", "binlogkit", "second-db ✓")
	out, err := dump.Output()
	if err != nil {
		t.Fatalf("mysqldump --no-data: %v", err)
	}
	rec.schemaFile = write("schema.sql", string(out))
	s.ExecFile(t, write("mutations.sql", mutations))
	s.FlushLogs(t)
	rec.wantAll = mysqlChecksums(t, s)
	if rec.wantAll == rec.wantSetup {
		t.Fatal("the row changes changed nothing")
	}
	files := s.BinlogFiles(t)
	rec.all = files[first-1 : len(files)-1]
	rec.mutations = files[middle-1 : len(files)-1]
	return rec
}

// eventCounts counts what the files hold that the variant is about:
// PARTIAL_UPDATE_ROWS events and the JSON diffs they carry, compressed
// transactions, Table_maps with column names.
type eventCounts struct {
	partial, diffs, payloads, named, maps int
}

func countEvents(t *testing.T, files []string) eventCounts {
	t.Helper()
	var c eventCounts
	var tables rowcodec.Tables
	r := binlog.NewReader(binlog.OpenFiles(files...))
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		switch b := ev.Body.(type) {
		case *event.TransactionPayload:
			c.payloads++
		case *event.TableMap:
			c.maps++
			if _, ok := b.Field(event.OptColumnName); ok {
				c.named++
			}
		case *event.Rows:
			if b.Type != event.PartialUpdateRowsEvent {
				continue
			}
			c.partial++
			tb, err := tables.ForRows(ev)
			if err != nil {
				t.Fatal(err)
			}
			after := make([]rowcodec.Value, len(tb.Columns))
			it := tb.Rows(b, nil, after)
			for it.Next() {
				for _, v := range it.After {
					if v.Kind() == rowcodec.KindJSONDiff {
						c.diffs++
					}
				}
			}
			if err := it.Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	return c
}

// TestIntegrationMySQLRoundTrips records the MySQL workload on a private
// MySQL 9.7 (gtid_mode=ON) under each variant of binlog_row_image,
// binlog_row_metadata and binlog_row_value_options, and checks the three
// outputs against CHECKSUM TABLE of every table:
//
//   - forward SQL (binlog2sql --ddl) of the whole workload, replayed into a
//     second server emptied of it, gives the source's tables;
//   - rollback SQL (binlog2sql --flashback --schema, the schema from
//     mysqldump --no-data) of the row changes, applied to the source, gives
//     the tables as they were before them; without --schema it is refused
//     before anything is written (which columns are generated is unknown);
//   - the rollback binlog (flashback) of the row changes, applied to the
//     second server with plain "mysqlbinlog FILE | mysql", gives them too,
//     each rollback transaction getting a GTID of its own;
//
// with MINIMAL and NOBLOB images, both rollbacks are refused, naming the
// file and position of the first change they cannot undo.
func TestIntegrationMySQLRoundTrips(t *testing.T) {
	src := mysqltest.Start(t)
	dst := mysqltest.Start(t, mysqltest.WithServerID(2))
	for _, v := range mysqlVariants {
		t.Run(v.name, func(t *testing.T) {
			t0 := time.Now()
			dir := t.TempDir()
			rec := record(t, src, v, dir)
			counts := countEvents(t, rec.all)
			if counts.payloads == 0 {
				t.Error("no compressed transaction (TRANSACTION_PAYLOAD) recorded")
			}
			if (v.valueOptions == "PARTIAL_JSON") != (counts.partial > 0) {
				t.Errorf("binlog_row_value_options=%q: %d PARTIAL_UPDATE_ROWS events", v.valueOptions, counts.partial)
			}
			if v.valueOptions == "PARTIAL_JSON" && v.full() && counts.diffs < 8 {
				t.Errorf("only %d JSON diffs in the partial updates", counts.diffs)
			}
			if (v.metadata == "FULL") != (counts.named == counts.maps) || counts.named > 0 && v.metadata == "MINIMAL" {
				t.Errorf("binlog_row_metadata=%s: %d of %d Table_maps name their columns", v.metadata, counts.named, counts.maps)
			}

			// Forward SQL of the whole workload into the emptied second server.
			dst.Exec(t, "DROP DATABASE IF EXISTS binlogkit; DROP DATABASE IF EXISTS `second-db ✓`")
			fwd, errs, code := runIn(t, "UTC", "binlog2sql", append([]string{"--ddl"}, rec.all...)...)
			if code != 0 {
				t.Fatalf("binlog2sql --ddl: exit %d: %s", code, errs)
			}
			path := filepath.Join(dir, "forward.sql")
			if err := os.WriteFile(path, []byte(fwd), 0o644); err != nil {
				t.Fatal(err)
			}
			dst.ExecFile(t, path)
			if got := mysqlChecksums(t, dst); got != rec.wantAll {
				t.Fatalf("forward SQL replayed: tables differ\n got:\n%s\nwant:\n%s", got, rec.wantAll)
			}
			t.Logf("forward SQL: %d tables equal after %d bytes of SQL from %d files", countTables(rec.wantAll), len(fwd), len(rec.all))

			if !v.full() {
				for _, args := range [][]string{
					append([]string{"--flashback", "--schema", rec.schemaFile}, rec.mutations...),
				} {
					out, errs, code := runIn(t, "UTC", "binlog2sql", args...)
					if code != 1 || out != "" || !strings.Contains(errs, "binlog_row_image is not FULL") || !strings.Contains(errs, filepath.Base(rec.mutations[0])+":") {
						t.Errorf("rollback SQL of %s images: exit %d, %d bytes written: %s", v.image, code, len(out), errs)
					}
				}
				rb := filepath.Join(dir, "rollback.bin")
				_, errs, code := runIn(t, "UTC", "flashback", append([]string{"--out", rb}, rec.mutations...)...)
				if code != 1 || !strings.Contains(errs, "binlog_row_image is not FULL") || !strings.Contains(errs, filepath.Base(rec.mutations[0])+":") {
					t.Errorf("rollback binlog of %s images: exit %d: %s", v.image, code, errs)
				}
				t.Logf("rollbacks refused as they should be: %s", strings.TrimSpace(errs))
				return
			}

			// Rollback SQL without the tables' definitions: refused before
			// anything is written, for want of names (MINIMAL metadata) or
			// of which columns are generated (FULL metadata).
			out, errs, code := runIn(t, "UTC", "binlog2sql", append([]string{"--flashback"}, rec.mutations...)...)
			why := "are generated is unknown"
			if v.metadata == "MINIMAL" {
				why = "column names of binlogkit.ints are unknown"
			}
			if code != 1 || out != "" || !strings.Contains(errs, why) || !strings.Contains(errs, "--schema") {
				t.Errorf("rollback SQL without a schema: exit %d, %d bytes written: %s", code, len(out), errs)
			}
			// With them: applied to the source, the tables are as before the
			// row changes.
			undo, errs, code := runIn(t, "UTC", "binlog2sql", append([]string{"--flashback", "--schema", rec.schemaFile}, rec.mutations...)...)
			if code != 0 {
				t.Fatalf("binlog2sql --flashback --schema: exit %d: %s", code, errs)
			}
			path = filepath.Join(dir, "rollback.sql")
			if err := os.WriteFile(path, []byte(undo), 0o644); err != nil {
				t.Fatal(err)
			}
			src.ExecFile(t, path)
			if got := mysqlChecksums(t, src); got != rec.wantSetup {
				t.Fatalf("rollback SQL applied: tables differ\n got:\n%s\nwant:\n%s", got, rec.wantSetup)
			}
			t.Logf("rollback SQL: %d tables equal; %s", countTables(rec.wantSetup), firstLine(errs))

			// Forward SQL of the row changes alone (no CREATE TABLE in
			// them): refused without the definitions when the binlog names
			// the columns but cannot say which are generated; with the
			// schema file, replayed on the rolled-back source, it gives the
			// whole workload's tables again.
			if v.metadata == "FULL" {
				out, errs, code := runIn(t, "UTC", "binlog2sql", rec.mutations...)
				if code != 1 || !strings.Contains(errs, "are generated is unknown") || strings.Contains(out, "INSERT") {
					t.Errorf("forward SQL without a schema: exit %d: %s", code, errs)
				}
			}
			redo, errs, code := runIn(t, "UTC", "binlog2sql", append([]string{"--schema", rec.schemaFile}, rec.mutations...)...)
			if code != 0 {
				t.Fatalf("binlog2sql --schema: exit %d: %s", code, errs)
			}
			path = filepath.Join(dir, "redo.sql")
			if err := os.WriteFile(path, []byte(redo), 0o644); err != nil {
				t.Fatal(err)
			}
			src.ExecFile(t, path)
			if got := mysqlChecksums(t, src); got != rec.wantAll {
				t.Fatalf("forward SQL of the row changes (--schema) replayed: tables differ\n got:\n%s\nwant:\n%s", got, rec.wantAll)
			}

			// The rollback binlog, applied to the second server (which holds
			// the whole workload) with plain mysqlbinlog | mysql.
			rb := filepath.Join(dir, "rollback.bin")
			_, errs, code = runIn(t, "UTC", "flashback", append([]string{"--out", rb}, rec.mutations...)...)
			if code != 0 {
				t.Fatalf("flashback: exit %d: %s", code, errs)
			}
			if want := "flashback: apply it with: mysqlbinlog " + rb + " | mysql\n"; !strings.HasSuffix(errs, want) {
				t.Errorf("the summary does not end with %q:\n%s", want, errs)
			}
			txs := rollbackTransactions(t, errs)
			before := gtidCount(t, dst.GTIDExecuted(t))
			applyMySQLBinlog(t, dst, rb)
			if got := mysqlChecksums(t, dst); got != rec.wantSetup {
				t.Fatalf("rollback binlog applied: tables differ\n got:\n%s\nwant:\n%s", got, rec.wantSetup)
			}
			if n := gtidCount(t, dst.GTIDExecuted(t)) - before; n != uint64(txs) {
				t.Errorf("the rollback binlog's %d transactions took %d GTIDs on the target", txs, n)
			}
			t.Logf("rollback binlog: %d transactions applied with mysqlbinlog | mysql (one GTID each), %d tables equal; %d PARTIAL_UPDATE_ROWS events (%d JSON diffs) undone; %v",
				txs, countTables(rec.wantSetup), countEvents(t, rec.mutations).partial, countEvents(t, rec.mutations).diffs, time.Since(t0).Round(time.Millisecond))
		})
	}
}

// rollbackTransactions reads "flashback: N rollback transaction(s)" from
// a summary.
func rollbackTransactions(t *testing.T, summary string) int {
	t.Helper()
	m := regexp.MustCompile(`flashback: (\d+) rollback transaction`).FindStringSubmatch(summary)
	if m == nil {
		t.Fatalf("no transaction count in the summary:\n%s", summary)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
