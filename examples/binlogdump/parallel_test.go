package main

import (
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// TestParallelSameOutput: printed on several goroutines, with a batch for
// every transaction (so that every "use" line and compressed run crosses a
// batch boundary somewhere), each file gives the bytes and the messages of
// the sequential run, in text, -v and --json, errors included.
func TestParallelSameOutput(t *testing.T) {
	defer func(n int) { batchBytes = n }(batchBytes)
	batchBytes = 1
	var files []string
	recorded, _ := filepath.Glob("../../testdata/recorded/*.00000[0-9]")
	files = append(files, recorded...)
	if ents, err := os.ReadDir(sharedCorpus); err == nil {
		for _, e := range ents {
			if !e.IsDir() && e.Name() != "README.md" && e.Name() != "SHA256SUMS" {
				files = append(files, filepath.Join(sharedCorpus, e.Name()))
			}
		}
	} else {
		t.Logf("shared binlog corpus not found at %s: the recorded binlogs only", sharedCorpus)
	}
	if len(files) == 0 {
		t.Fatal("no binlogs to compare")
	}
	if p := twoPayloads(t); p != "" {
		files = append(files, p)
	}
	sawUse, sawPayload := false, false
	for _, path := range files {
		for _, mode := range [][]string{nil, {"-v"}, {"--json"}} {
			args := append(append([]string{"--quiet"}, mode...), path)
			code1, out1, err1 := dump(t, nil, append([]string{"--workers", "1"}, args...)...)
			code3, out3, err3 := dump(t, nil, append([]string{"--workers", "3"}, args...)...)
			if code1 != code3 || out1 != out3 || err1 != err3 {
				t.Errorf("%s %v: --workers 3 differs from the sequential run: exit %d/%d, stderr %q/%q, output %d/%d bytes, first difference at byte %d",
					filepath.Base(path), mode, code1, code3, err1, err3, len(out1), len(out3), firstDiff(out1, out3))
			}
			sawUse = sawUse || strings.Count(out1, "\nuse ") > 1
			sawPayload = sawPayload || strings.Contains(out1, "# End of compressed events!")
		}
	}
	if !sawUse {
		t.Error(`no input printed more than one "use" line: the held "use" line is not tested`)
	}
	if _, err := os.Stat(sharedCorpus); err == nil && !sawPayload {
		t.Error("no input had compressed events: the open run across batches is not tested")
	}
}

// twoPayloads writes a copy of the corpus's transaction_compression.000001
// with its compressed transaction (ANONYMOUS_GTID at 197, then the
// TRANSACTION_PAYLOAD up to 431) twice, so that a run of compressed events
// ends where a batch does; "" without the corpus.
func twoPayloads(t *testing.T) string {
	b, err := os.ReadFile(filepath.Join(sharedCorpus, "transaction_compression.000001"))
	if err != nil {
		return ""
	}
	out := append(append(append([]byte(nil), b[:431]...), b[197:431]...), b[431:]...)
	// Positions and checksums from the copy on.
	for off := 431; off+19 <= len(out); {
		size := int(binary.LittleEndian.Uint32(out[off+9:]))
		binary.LittleEndian.PutUint32(out[off+13:], uint32(off+size))
		binary.LittleEndian.PutUint32(out[off+size-4:], crc32.ChecksumIEEE(out[off:off+size-4]))
		off += size
	}
	path := filepath.Join(t.TempDir(), "two-payloads.000001")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	code, text, stderr := dump(t, nil, "--workers", "1", path)
	if code != 0 || strings.Count(text, "# End of compressed events!") != 2 {
		t.Fatalf("the made-up file with two compressed transactions: exit %d, %s\n%s", code, stderr, text)
	}
	return path
}

// TestParallelSeveralFiles: files read in order on several goroutines print
// as the sequential run does.
func TestParallelSeveralFiles(t *testing.T) {
	defer func(n int) { batchBytes = n }(batchBytes)
	batchBytes = 1
	files, _ := filepath.Glob("../../testdata/recorded/mariadb-10_11-full.00000[0-9]")
	if len(files) < 2 {
		t.Fatalf("want several recorded files, found %v", files)
	}
	args := append([]string{"-v", "--quiet"}, files...)
	code1, out1, err1 := dump(t, nil, append([]string{"--workers", "1"}, args...)...)
	checkOK(t, code1, err1)
	code2, out2, err2 := dump(t, nil, append([]string{"--workers", "2"}, args...)...)
	if code2 != 0 || out1 != out2 || err1 != err2 {
		t.Errorf("--workers 2: exit %d, stderr %q, first difference at byte %d of %d", code2, err2, firstDiff(out1, out2), len(out1))
	}
}

// TestParallelUnfinishedStatement: a MySQL statement whose last rows event
// lacks STMT_END_F (a transaction the server did not finish writing) holds
// its row images until the next statement's end, in a later batch, or the
// end of the input: printed on several goroutines they come where the
// sequential run prints them.
func TestParallelUnfinishedStatement(t *testing.T) {
	defer func(n int) { batchBytes = n }(batchBytes)
	batchBytes = 1
	s := binlogtest.NewStream(event.MySQL)
	cols := []binlogtest.Column{{Name: "id", Type: 3}}
	row := func(i int64) []rowcodec.Value { return []rowcodec.Value{rowcodec.IntValue(i)} }
	// Transactions the server did not finish writing: their statements
	// lack STMT_END_F and no XID follows.
	s.Begin().TableMap(1, "shop", "orders", cols...).Insert(1, row(1))       // unfinished
	s.Begin().TableMap(1, "shop", "orders", cols...).Insert(1, row(2)).XID() // finished
	s.Query("shop", "CREATE TABLE t (a INT)")
	s.Begin().TableMap(1, "shop", "orders", cols...).Delete(1, row(3)).XID() // unfinished statement, committed
	s.Begin().TableMap(2, "other", "t", cols...).Insert(2, row(4))           // unfinished, at the end
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	offs, sizes := eventStarts(b)
	unfinished := map[int]bool{0: true, 2: true, 3: true}
	nth := 0
	for i, off := range offs {
		if typ := event.Type(b[off+4]); typ != event.WriteRowsEventV2 && typ != event.DeleteRowsEventV2 {
			continue
		}
		if unfinished[nth] {
			b[off+event.HeaderLen+6] &^= byte(event.RowsFlagStmtEnd) // the rows flags follow the 6-byte table id
			end := off + sizes[i]
			binary.LittleEndian.PutUint32(b[end-4:], crc32.ChecksumIEEE(b[off:end-4]))
		}
		nth++
	}
	path := filepath.Join(t.TempDir(), "binlog.000001")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code1, out1, err1 := dump(t, nil, "--workers", "1", "-v", path)
	checkOK(t, code1, err1)
	if strings.Count(out1, "### INSERT INTO") != 3 || strings.Count(out1, "### DELETE FROM") != 1 {
		t.Fatalf("the sequential run does not print every row:\n%s", out1)
	}
	code3, out3, err3 := dump(t, nil, "--workers", "3", "-v", path)
	if code3 != 0 || out1 != out3 || err1 != err3 {
		t.Errorf("--workers 3: exit %d, stderr %q, first difference at byte %d:\n%s", code3, err3, firstDiff(out1, out3), out3)
	}
}

// firstDiff returns the offset of the first byte where a and b differ.
func firstDiff(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// TestParallelHires: rows of MariaDB's older temporal formats take their
// precisions from the stream's DDL. Until their first TABLE_MAP the DDL is
// applied as the workers' batches are cut (no barrier); from then on the
// DDL that can change a precision is a batch of its own. Either way each
// batch reads the definitions of its position: the output is the
// sequential run's.
func TestParallelHires(t *testing.T) {
	defer func(n int) { batchBytes = n }(batchBytes)
	for _, n := range []int{1, 4096, batchBytes} {
		batchBytes = n
		args := []string{"-v", "--quiet", hiresDefs, hiresRows}
		code1, out1, err1 := dump(t, nil, append([]string{"--workers", "1"}, args...)...)
		checkOK(t, code1, err1)
		if !strings.Contains(out1, "/* DATETIME(6) meta=0 nullable=1 is_null=0 */") {
			t.Fatal("no row of an older temporal format with its precision")
		}
		code3, out3, err3 := dump(t, nil, append([]string{"--workers", "3"}, args...)...)
		if code3 != 0 || out1 != out3 || err1 != err3 {
			t.Errorf("batches of %d bytes, --workers 3: exit %d, stderr %q, first difference at byte %d of %d", n, code3, err3, firstDiff(out1, out3), len(out1))
		}
	}
}
