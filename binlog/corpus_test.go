package binlog

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

const sharedCorpus = "../../shared/testdata/binlogs"

const recordedCorpus = "../testdata/recorded"

// corpus returns the shared corpus files, skipping when the folder is absent.
func corpus(t testing.TB) []string {
	t.Helper()
	ents, err := os.ReadDir(sharedCorpus)
	if err != nil {
		t.Skipf("shared binlog corpus not found at %s (it sits beside the project in the team's checkout): %v", sharedCorpus, err)
	}
	var files []string
	for _, e := range ents {
		if e.IsDir() || e.Name() == "README.md" || e.Name() == "SHA256SUMS" {
			continue
		}
		files = append(files, filepath.Join(sharedCorpus, e.Name()))
	}
	return files
}

// recorded returns the project's own MariaDB recordings (always present).
func recorded(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(recordedCorpus, "*.0*"))
	var out []string
	for _, f := range files {
		if filepath.Ext(f) != ".txt" {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no recorded binlogs in %s", recordedCorpus)
	}
	return out
}

// allFiles returns the recorded files plus, when present, the shared corpus.
func allFiles(t testing.TB) []string {
	files := recorded(t)
	if _, err := os.Stat(sharedCorpus); err == nil {
		files = append(files, corpus(t)...)
	} else {
		t.Logf("shared binlog corpus not found at %s: testing the project's recordings only", sharedCorpus)
	}
	return files
}

// mariadbOutput returns where mariadb-binlog's text output for path lives.
func mariadbOutput(path string) string {
	name := filepath.Base(path) + ".mariadb-binlog.txt"
	if filepath.Dir(path) == filepath.Clean(recordedCorpus) {
		return filepath.Join(recordedCorpus, name)
	}
	return filepath.Join(sharedCorpus, "mariadb-binlog-output", name)
}

// fileSummary reads a whole file and describes it: one line per event
// ("pos type" plus " @payloadoffset" for inner events) and the way it ended.
type fileSummary struct {
	events []*event.Event // clones
	end    error          // nil for a clean end
	tail   int
}

func readAll(t testing.TB, path string, opts ...Option) fileSummary {
	t.Helper()
	src, err := OpenFile(path)
	if err != nil {
		return fileSummary{end: err}
	}
	defer src.Close()
	r := NewReader(src, opts...)
	var s fileSummary
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			s.end = err
			break
		}
		s.events = append(s.events, ev.Clone())
	}
	_, _, s.tail = r.Tail()
	return s
}

func (s fileSummary) golden() string {
	var b strings.Builder
	for _, ev := range s.events {
		if ev.InPayload {
			fmt.Fprintf(&b, "  %d+%d %v\n", ev.Pos, ev.PayloadOffset, ev.Header.Type)
		} else {
			fmt.Fprintf(&b, "%d %v\n", ev.Pos, ev.Header.Type)
		}
	}
	switch {
	case s.end != nil:
		fmt.Fprintf(&b, "error: %v\n", s.end)
	case s.tail > 0:
		fmt.Fprintf(&b, "end: clean, %d trailing bytes ignored\n", s.tail)
	default:
		b.WriteString("end: clean\n")
	}
	return b.String()
}

// TestCorpusGolden reads every corpus file to its end and compares the event
// positions, types and the way the file ends with testdata/corpus/FILE.golden.
func TestCorpusGolden(t *testing.T) {
	for _, path := range allFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			got := readAll(t, path).golden()
			golden := filepath.Join("testdata", "corpus", name+".golden")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestCorpusGolden -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("events differ from %s:\n--- got\n%s\n--- want\n%s", golden, got, want)
			}
		})
	}
}

// TestCorpusMatchesMariaDB checks the event positions against the "# at N"
// lines mariadb-binlog printed for the same file: ours must start with
// exactly those (it stops early at events it cannot read; we do not).
func TestCorpusMatchesMariaDB(t *testing.T) {
	for _, path := range allFiles(t) {
		name := filepath.Base(path)
		f, err := os.Open(mariadbOutput(path))
		if err != nil {
			t.Errorf("%s: no mariadb-binlog output: %v", name, err)
			continue
		}
		var theirs []uint64
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "# at "); ok {
				n, err := strconv.ParseUint(rest, 10, 64)
				if err == nil {
					theirs = append(theirs, n)
				}
			}
		}
		f.Close()
		var ours []uint64
		s := readAll(t, path)
		for _, ev := range s.events {
			if !ev.InPayload {
				ours = append(ours, ev.Pos)
			}
		}
		if s.end != nil && len(ours) < len(theirs) {
			// We stop at an event mariadb-binlog reads leniently (the XID of
			// ver_5_1-wl2325_r.001 is 11 bytes too long): compare what we read.
			theirs = theirs[:len(ours)]
		}
		if len(theirs) == 0 && len(ours) > 0 && filepath.Dir(path) == filepath.Clean(recordedCorpus) {
			t.Errorf("%s: mariadb-binlog output lists no events", name)
		}
		if len(ours) < len(theirs) || !slices.Equal(ours[:len(theirs)], theirs) {
			t.Errorf("%s: event positions differ from mariadb-binlog's\n ours   %v\n theirs %v", name, ours, theirs)
		}
	}
}

// TestCorpusExpectations asserts what the corpus README promises per file.
func TestCorpusExpectations(t *testing.T) {
	corpus(t)
	count := func(s fileSummary, typ event.Type) int {
		n := 0
		for _, ev := range s.events {
			if ev.Header.Type == typ {
				n++
			}
		}
		return n
	}
	p := func(name string) string { return filepath.Join(sharedCorpus, name) }

	// TESTCASES 1: a QUERY whose size runs past the end of the file.
	s := readAll(t, p("corrupt-relay-bin.000624"))
	var pe *Error
	if !errors.Is(s.end, ErrTruncated) || !errors.As(s.end, &pe) || pe.Offset != 91204 || pe.Type != event.QueryEvent {
		t.Errorf("corrupt-relay-bin: end = %v, want ErrTruncated at byte 91204 (QUERY_EVENT)", s.end)
	}
	// 454 QUERY events including the broken one (mariadb-binlog also shows 453
	// before it).
	if q, iv, x := count(s, event.QueryEvent), count(s, event.IntvarEvent), count(s, event.XIDEvent); q != 453 || iv != 233 || x != 183 {
		t.Errorf("corrupt-relay-bin: %d QUERY, %d INTVAR, %d XID before the error, want 453, 233, 183", q, iv, x)
	}
	if s.end == nil || !strings.Contains(s.end.Error(), "corrupt-relay-bin.000624: at byte 91204 (QUERY_EVENT)") {
		t.Errorf("error text %q does not name file, offset and type", s.end)
	}

	// A broken XID (size 0x26) in pre-GA 5.2.
	s = readAll(t, p("ver_5_1-wl2325_r.001"))
	if !errors.As(s.end, &pe) || pe.Type != event.XIDEvent || !errors.Is(s.end, ErrCorrupt) {
		t.Errorf("ver_5_1-wl2325_r: end = %v, want ErrCorrupt at the XID event", s.end)
	}

	// Truncated headers end cleanly, with the trailing bytes reported.
	for name, tail := range map[string]int{"binlog_truncated_event.000001": 10, "binlog_truncated_prev_gtid_event.000001": 9} {
		s = readAll(t, p(name))
		if s.end != nil || s.tail != tail {
			t.Errorf("%s: end %v, %d trailing bytes; want a clean end with %d", name, s.end, s.tail, tail)
		}
	}

	// Payload: exactly QUERY, TABLE_MAP, WRITE_ROWS, XID inside.
	s = readAll(t, p("transaction_compression.000001"))
	var inner []event.Type
	for _, ev := range s.events {
		if ev.InPayload {
			inner = append(inner, ev.Header.Type)
		}
	}
	if want := []event.Type{event.QueryEvent, event.TableMapEvent, event.WriteRowsEventV2, event.XIDEvent}; !slices.Equal(inner, want) || s.end != nil {
		t.Errorf("transaction_compression: inner events %v (end %v), want %v", inner, s.end, want)
	}

	// Every other file reads to a clean end.
	for _, path := range corpus(t) {
		switch filepath.Base(path) {
		case "corrupt-relay-bin.000624", "ver_5_1-wl2325_r.001":
			continue
		}
		if s := readAll(t, path); s.end != nil {
			t.Errorf("%s: %v", filepath.Base(path), s.end)
		}
	}
}
