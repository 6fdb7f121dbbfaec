package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/event"
)

const sharedCorpus = "../../../shared/testdata/binlogs"

// TestMain runs the tests in UTC unless a test sets TZ itself: the tool's
// default zone is the local one.
func TestMain(m *testing.M) {
	os.Setenv("TZ", "UTC")
	os.Exit(m.Run())
}

// dump runs the tool and returns its exit code, stdout and stderr.
func dump(t *testing.T, stdin []byte, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, bytes.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// checkOK fails unless the run succeeded.
func checkOK(t *testing.T, code int, stderr string) {
	t.Helper()
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, stderr)
	}
}

// eventStarts walks a binlog's framing and returns each event's offset and size.
func eventStarts(b []byte) (offs, sizes []int) {
	for off := event.MagicLen; off+event.HeaderLen <= len(b); {
		size := int(b[off+9]) | int(b[off+10])<<8 | int(b[off+11])<<16 | int(b[off+12])<<24
		if size < event.HeaderLen || off+size > len(b) {
			break
		}
		offs, sizes = append(offs, off), append(sizes, size)
		off += size
	}
	return offs, sizes
}

func TestSampleText(t *testing.T) {
	code, out, stderr := dump(t, nil)
	for _, want := range []string{"DELIMITER /*!*/;\n# at 4\n#", "\tStart: binlog v 4, server v 10.11", "# at 256\n", "\tGtid list"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	checkOK(t, code, stderr)
	if !strings.HasSuffix(out, "# End of log file\nROLLBACK /* added by mysqlbinlog */;\n/*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;\n/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;\n") {
		t.Errorf("output does not end like mysqlbinlog's:\n%s", out)
	}
	if stderr != "" {
		t.Errorf("stderr: %s", stderr)
	}
}

var headerLine = regexp.MustCompile(`^#\d{6} [ \d]\d:\d\d:\d\d server id \d+  end_log_pos \d+ (CRC32 0x[0-9a-f]{8} )?`)

// headers returns, per printed event, the header line up to the type word
// (mysqlbinlog puts a tab before it, or for a few old LOAD events a newline).
func headers(text string) []string {
	var hs []string
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if m := headerLine.FindString(sc.Text()); m != "" {
			hs = append(hs, m)
		}
	}
	return hs
}

// compareHeaders checks our header lines against mariadb-binlog's for the
// events both printed (mariadb-binlog stops at events it cannot read, we stop
// at bodies not decoded in this tree yet).
func compareHeaders(t *testing.T, ours, theirs string) {
	t.Helper()
	o, th := headers(ours), headers(theirs)
	if len(o) == 0 || len(th) == 0 {
		t.Fatalf("no header lines: ours %d, theirs %d", len(o), len(th))
	}
	for i := 0; i < len(o) && i < len(th); i++ {
		if o[i] != th[i] {
			t.Fatalf("header %d differs:\n ours   %q\n theirs %q", i, o[i], th[i])
		}
	}
}

func TestSampleHeadersMatchMariaDB(t *testing.T) {
	want, err := os.ReadFile("testdata/sample.mariadb-binlog.txt")
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := dump(t, nil)
	compareHeaders(t, out, string(want))
	checkOK(t, code, stderr)
	// Every "# at N" of mariadb-binlog's is ours too.
	for _, line := range strings.Split(string(want), "\n") {
		if strings.HasPrefix(line, "# at ") && !strings.Contains(out, "\n"+line+"\n") {
			t.Errorf("%q missing from our output", line)
		}
	}
}

var requiredKeys = []string{"file", "pos", "next_pos", "type", "type_code", "timestamp", "server_id", "end_log_pos", "flags"}

// checkJSONLines parses every line and checks the keys every event has.
func checkJSONLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var objs []map[string]any
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		for _, k := range requiredKeys {
			if _, ok := m[k]; !ok {
				t.Fatalf("line %d lacks %q: %s", i+1, k, line)
			}
		}
		if typ, _ := m["type"].(string); typ != event.Type(m["type_code"].(float64)).String() {
			t.Fatalf("line %d: type %q does not match type_code %v", i+1, typ, m["type_code"])
		}
		if m["in_payload"] == true {
			if _, ok := m["payload_offset"]; !ok {
				t.Fatalf("line %d: in_payload without payload_offset: %s", i+1, line)
			}
		}
		objs = append(objs, m)
	}
	return objs
}

func TestSampleJSON(t *testing.T) {
	code, out, stderr := dump(t, nil, "--json")
	objs := checkJSONLines(t, out)
	if len(objs) < 4 {
		t.Fatalf("%d JSON lines, want at least 4:\n%s", len(objs), out)
	}
	first := objs[0]
	if first["type"] != "FORMAT_DESCRIPTION_EVENT" || first["pos"] != 4.0 || first["file"] != sampleName ||
		!strings.Contains(first["server_version"].(string), "MariaDB") || first["checksum_alg"] != "CRC32" {
		t.Errorf("first line: %v", first)
	}
	if _, ok := first["crc32"]; !ok {
		t.Errorf("no crc32 on a checksummed event: %v", first)
	}
	if strings.Contains(out, `\u003c`) || strings.Contains(out, `\u0026`) {
		t.Errorf("HTML escaping in output")
	}
	checkOK(t, code, stderr)
}

func TestUsage(t *testing.T) {
	code, out, _ := dump(t, nil, "-h")
	if code != 0 {
		t.Fatalf("-h: exit %d", code)
	}
	for _, f := range []string{"--start-position", "--stop-position", "--start-datetime", "--stop-datetime", "--database",
		"--table", "--exclude-table", "--include-gtids", "--exclude-gtids", "--type", "--no-verify", "--json", "--tz",
		"-o", "--output", "--quiet", "Examples:"} {
		if !strings.Contains(out, f) {
			t.Errorf("usage lacks %s", f)
		}
	}
}

func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--no-such-flag"},
		{"--start-position", "abc"},
		{"--start-position=1"},
		{"--start-position=500", "--stop-position=400"},
		{"--start-datetime", "yesterday"},
		{"--stop-datetime=2024-13-45"},
		{"--start-datetime=2024-01-02", "--stop-datetime=2024-01-01"},
		{"--tz", "Mars/Olympus"},
		{"--tz=+99:00"},
		{"--type", "NO_SUCH_EVENT"},
		{"--table", "db.[x"},
	} {
		code, out, stderr := dump(t, nil, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out != "" {
			t.Errorf("%v: printed %q", args, out)
		}
		if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "binlogdump: ") || !strings.Contains(stderr, "-h") {
			t.Errorf("%v: stderr %q, want one line with a hint to -h", args, stderr)
		}
	}
	if code, _, stderr := dump(t, nil, "--include-gtids=0-1-x"); code != 2 || !strings.Contains(stderr, "--include-gtids") {
		t.Errorf("bad --include-gtids: exit %d, %q", code, stderr)
	}
}

// TestGTIDFilters keeps and drops whole transactions of the sample by GTID.
func TestGTIDFilters(t *testing.T) {
	gtids := func(args ...string) (got []string, rows int) {
		code, out, stderr := dump(t, nil, append([]string{"--json"}, args...)...)
		checkOK(t, code, stderr)
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatal(err)
			}
			if g, ok := m["gtid"].(string); ok {
				got = append(got, g)
			}
			if strings.HasSuffix(m["type"].(string), "ROWS_EVENT_V1") {
				rows++
			}
		}
		return got, rows
	}
	all, allRows := gtids()
	if len(all) != 4 || allRows == 0 {
		t.Fatalf("sample has GTIDs %v and %d rows events; want 4 GTIDs", all, allRows)
	}
	// A MariaDB GTID names one transaction (issue 18, finding 7), a list
	// several, first..last a range.
	for _, c := range []struct{ args, want string }{
		{"--include-gtids 0-1-87", "0-1-87"},
		{"--include-gtids 0-1-87,0-1-88", "0-1-87 0-1-88"},
		{"--include-gtids 0-1-86..88", "0-1-86 0-1-87 0-1-88"},
		{"--exclude-gtids 0-1-88", "0-1-86 0-1-87 0-1-89"},
		{"--include-gtids 0-1-86..89 --exclude-gtids 0-1-87", "0-1-86 0-1-88 0-1-89"},
		{"--include-gtids 0-2-87", ""},
	} {
		got, rows := gtids(strings.Fields(c.args)...)
		if strings.Join(got, " ") != c.want || c.want != "" && (rows == 0 || rows == allRows) {
			t.Errorf("%s: GTIDs %v, %d rows events; want %s", c.args, got, rows, c.want)
		}
	}
}

// TestTruncated cuts the sample in the middle of an event body: exit 1, one
// stderr line naming the file and the event's offset, the events before it
// printed.
func TestTruncated(t *testing.T) {
	offs, sizes := eventStarts(sampleBinlog)
	if len(offs) < 4 {
		t.Fatalf("sample has %d events", len(offs))
	}
	cut := offs[2]
	path := filepath.Join(t.TempDir(), "cut.000001")
	if err := os.WriteFile(path, sampleBinlog[:cut+sizes[2]/2], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"", "--json"} {
		args := []string{path}
		if mode != "" {
			args = append([]string{mode}, args...)
		}
		code, out, stderr := dump(t, nil, args...)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", mode, code)
		}
		want := "binlogdump: " + path + ": at byte " + strconv.Itoa(cut) + " "
		if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, want) || !strings.Contains(stderr, "truncated") {
			t.Errorf("%s: stderr %q, want one line starting %q", mode, stderr, want)
		}
		before := "# at " + strconv.Itoa(offs[1]) + "\n"
		if mode != "" {
			before = `"pos":` + strconv.Itoa(offs[1]) + ","
		}
		if !strings.Contains(out, before) {
			t.Errorf("%s: events before the cut not printed:\n%s", mode, out)
		}
		if strings.Contains(out, "End of log file") {
			t.Errorf("%s: printed the clean-end trailer after an error", mode)
		}
	}
}

// TestTrailingBytes: a file cut inside an event header ends cleanly with a
// warning on stderr.
func TestTrailingBytes(t *testing.T) {
	offs, _ := eventStarts(sampleBinlog)
	path := filepath.Join(t.TempDir(), "tail.000001")
	if err := os.WriteFile(path, append(bytes.Clone(sampleBinlog[:offs[3]]), 1, 2, 3, 4, 5, 6, 7), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := dump(t, nil, path)
	if code != 0 || !strings.HasPrefix(stderr, "# warning: "+path+": at byte "+strconv.Itoa(offs[3])+": 7 trailing bytes") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(out, "# End of log file") {
		t.Errorf("no clean end:\n%s", out)
	}
	if _, _, stderr := dump(t, nil, "--quiet", path); stderr != "" {
		t.Errorf("--quiet: stderr %q", stderr)
	}
}

func TestStdinAndOutput(t *testing.T) {
	offs, _ := eventStarts(sampleBinlog)
	small := sampleBinlog[:offs[3]] // up to the first GTID: bodies every tree decodes
	code, out, stderr := dump(t, small, "-")
	if code != 0 || !strings.Contains(out, "# at 4\n") || !strings.Contains(out, "# at "+strconv.Itoa(offs[2])+"\n") {
		t.Fatalf("stdin: exit %d, stderr %q\n%s", code, stderr, out)
	}
	path := filepath.Join(t.TempDir(), "out.txt")
	code, out2, stderr := dump(t, small, "-o", path, "-")
	if code != 0 || out2 != "" || stderr != "" {
		t.Fatalf("-o: exit %d, stdout %q, stderr %q", code, out2, stderr)
	}
	if got, _ := os.ReadFile(path); string(got) != out {
		t.Errorf("-o file differs from stdout output")
	}
	// Flags after the file name, as mysqlbinlog allows.
	code, out3, _ := dump(t, small, "-", "--json")
	if code != 0 || !strings.HasPrefix(out3, `{"file":"stdin","pos":4,`) {
		t.Errorf("flag after FILE: exit %d\n%s", code, out3)
	}
}

func TestFilters(t *testing.T) {
	offs, _ := eventStarts(sampleBinlog)
	// Positions: from the second event up to (not including) the fourth.
	code, out, stderr := dump(t, nil, "--start-position", strconv.Itoa(offs[1]), "--stop-position="+strconv.Itoa(offs[3]))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := regexp.MustCompile(`(?m)^# at \d+$`).FindAllString(out, -1)
	want := []string{"# at " + strconv.Itoa(offs[1]), "# at " + strconv.Itoa(offs[2])}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("positions: got %v, want %v", got, want)
	}
	// Time zone: the header times move.
	_, out, _ = dump(t, nil, "--tz", "+08:00", "--stop-position", strconv.Itoa(offs[1]))
	if !strings.Contains(out, "#261121 22:44:04 server id 1") {
		t.Errorf("--tz +08:00:\n%s", out)
	}
	// Types, by mysqlbinlog word and by enum name.
	for _, typ := range []string{"Gtid_list", "GTID_LIST_EVENT", "163"} {
		code, out, stderr = dump(t, nil, "--json", "--type", typ, "--stop-position", strconv.Itoa(offs[3]))
		objs := checkJSONLines(t, out)
		if code != 0 || len(objs) != 1 || objs[0]["type"] != "GTID_LIST_EVENT" {
			t.Errorf("--type %s: exit %d %s\n%s", typ, code, stderr, out)
		}
	}
	// A datetime after every event keeps nothing.
	code, out, _ = dump(t, nil, "--json", "--start-datetime", "2030-01-01 00:00:00", "--stop-position", strconv.Itoa(offs[3]))
	if code != 0 || out != "" {
		t.Errorf("--start-datetime in the future: exit %d\n%s", code, out)
	}
}

// corpusFiles lists the shared corpus, skipping when it is absent.
func corpusFiles(t *testing.T) []string {
	t.Helper()
	ents, err := os.ReadDir(sharedCorpus)
	if err != nil {
		t.Skipf("shared binlog corpus not found at %s: %v", sharedCorpus, err)
	}
	var files []string
	for _, e := range ents {
		if !e.IsDir() && e.Name() != "README.md" && e.Name() != "SHA256SUMS" {
			files = append(files, filepath.Join(sharedCorpus, e.Name()))
		}
	}
	return files
}

// TestCorpus dumps every corpus file in text and JSON: exit 0 except for the
// two files the corpus README says must fail.
func TestCorpus(t *testing.T) {
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		switch name {
		case "ver_5_1-wl2325_r.001": // a broken XID; must fail, checked by package binlog
			continue
		case "corrupt-relay-bin.000624":
			continue // TestCorruptRelayBin
		}
		t.Run(name, func(t *testing.T) {
			code, out, stderr := dump(t, nil, path)
			checkOK(t, code, stderr)
			if ref, err := os.ReadFile(filepath.Join(sharedCorpus, "mariadb-binlog-output", name+".mariadb-binlog.txt")); err == nil && len(headers(string(ref))) > 0 {
				compareHeaders(t, out, string(ref))
			}
			code, out, stderr = dump(t, nil, "--json", path)
			checkOK(t, code, stderr)
			checkJSONLines(t, out)
			// Rows of every corpus file decode (-v prints them).
			code, out, stderr = dump(t, nil, "-v", path)
			checkOK(t, code, stderr)
			if ref, err := os.ReadFile(filepath.Join(sharedCorpus, "mariadb-binlog-output", name+".mariadb-binlog.txt")); err == nil {
				// Where mariadb-binlog decoded rows of a MySQL binlog, ours match
				// line for line up to where it stopped.
				got, want := hashLines(out), hashLines(string(ref))
				for i := 0; i < len(want) && i < len(got); i++ {
					if got[i] != want[i] {
						t.Errorf("line %d differs from mariadb-binlog:\n got %s\nwant %s", i, got[i], want[i])
						break
					}
				}
			}
		})
	}
}

// TestCorruptRelayBin is TESTCASES 1: a QUERY whose size runs past the end of
// the file. Exit 1, one stderr line naming the file and byte 91204, every
// earlier event printed.
func TestCorruptRelayBin(t *testing.T) {
	corpusFiles(t)
	path := filepath.Join(sharedCorpus, "corrupt-relay-bin.000624")
	for _, mode := range [][]string{{path}, {"--json", path}} {
		code, out, stderr := dump(t, nil, mode...)
		if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, path+": at byte 91204") {
			t.Errorf("%v: exit %d, stderr %q", mode, code, stderr)
		}
		if !strings.Contains(out, "91176") {
			t.Errorf("%v: the event before the error (at 91176) is missing", mode)
		}
	}
}

// TestSeveralFiles: start position applies to the first file, stop position
// to the last, and events carry their file name.
func TestSeveralFiles(t *testing.T) {
	corpusFiles(t)
	a := filepath.Join(sharedCorpus, "binlog_transaction.000001")
	b := filepath.Join(sharedCorpus, "bug16266.000001")
	code, out, stderr := dump(t, nil, "--json", "--start-position=299", "--stop-pos=274", a, b)
	checkOK(t, code, stderr)
	objs := checkJSONLines(t, out)
	if len(objs) == 0 || objs[0]["file"] != a || objs[0]["pos"] != 299.0 {
		t.Fatalf("first event: %v", objs)
	}
	last := objs[len(objs)-1]
	if last["file"] != b || last["pos"].(float64) >= 274 {
		t.Errorf("last event: %v", last)
	}
	seenB := false
	for _, o := range objs {
		seenB = seenB || o["file"] == b
		if o["file"] == a && o["pos"].(float64) < 299 {
			t.Errorf("event before the start position: %v", o)
		}
	}
	if !seenB {
		t.Errorf("second file not read")
	}
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"TableID": "table_id", "XIDValue": "xid_value", "PostHeaderLengths": "post_header_lengths",
		"Schema": "schema", "GTID": "gtid", "ServerVersion": "server_version", "V2Flags": "v2_flags",
		"NSIDs": "nsids", "IDs": "ids", "SIDsFoo": "sids_foo", "ColumnsAfter": "columns_after",
	} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGenericBody checks the reflection fallback on a body type this package
// defines, so it does not depend on which typed bodies have landed.
func TestGenericBody(t *testing.T) {
	body := &fakeBody{
		Name:   []byte("test.t1"),
		Binary: []byte{0, 1, 2, 0xff},
		Long:   bytes.Repeat([]byte("x"), 1000),
		Kind:   event.QueryEvent,
		Cols:   []pair{{1, 2}, {3, 4}},
		hidden: 1,
		Many:   make([]int, 100),
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	d := newTextDumper(w, nil)
	d.writeGenericBody(w, body)
	w.Flush()
	text := buf.String()
	for _, want := range []string{
		"#   Name: \"test.t1\"\n", "#   Binary: 0x000102ff\n", "… (1000 bytes)", "#   Kind: QUERY_EVENT (2)\n",
		"#   Cols: [{A: 1, B: 2} {A: 3, B: 4}]\n", "… 100 elements]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "hidden") {
		t.Errorf("unexported field printed")
	}
	var m map[string]any
	js := appendBodyFields([]byte(`{"type":"X"`), body)
	if err := json.Unmarshal(append(js, '}'), &m); err != nil {
		t.Fatalf("%v: %s", err, js)
	}
	if m["name"] != "test.t1" || m["binary"].(map[string]any)["hex"] != "000102ff" || m["kind"] != 2.0 || m["type"] != "X" ||
		len(m["many"].([]any)) != 100 || m["cols"].([]any)[1].(map[string]any)["a"] != 3.0 {
		t.Errorf("json: %s", js)
	}
}

type pair struct{ A, B int }

type fakeBody struct {
	Name, Binary, Long []byte
	Kind               event.Type
	Cols               []pair
	Many               []int
	hidden             int
}

func (*fakeBody) EventType() event.Type { return event.UnknownEvent }
func (*fakeBody) DecodeBody(*event.FormatDescription, event.Type, []byte) error {
	return nil
}
func (*fakeBody) AppendBody(dst []byte, _ *event.FormatDescription) ([]byte, error) {
	return dst, nil
}

// TestTableFilters runs --table, --exclude-table and --database on the
// sample's four tables (binlogkit.nopk, ints, tx, geo).
func TestTableFilters(t *testing.T) {
	tables := func(args ...string) []string {
		t.Helper()
		code, out, stderr := dump(t, nil, append([]string{"--json", "--type", "TABLE_MAP_EVENT"}, args...)...)
		checkOK(t, code, stderr)
		var names []string
		for _, o := range checkJSONLines(t, out) {
			names = append(names, o["schema"].(string)+"."+o["table"].(string))
		}
		return names
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "binlogkit.nopk binlogkit.ints binlogkit.tx binlogkit.geo"},
		{[]string{"--table", "binlogkit.nopk"}, "binlogkit.nopk"},
		{[]string{"--table=binlogkit.tx,binlogkit.geo"}, "binlogkit.tx binlogkit.geo"},
		{[]string{"--table", "binlogkit.tx", "--table", "binlogkit.ints"}, "binlogkit.ints binlogkit.tx"},
		{[]string{"--exclude-table", "binlogkit.n*"}, "binlogkit.ints binlogkit.tx binlogkit.geo"},
		{[]string{"--table", "binlogkit.*", "--exclude-table", "*.?nts"}, "binlogkit.nopk binlogkit.tx binlogkit.geo"},
		{[]string{"--table", "nopk,geo"}, "binlogkit.nopk binlogkit.geo"},
		{[]string{"--database", "binlogkit", "--table", "tx"}, "binlogkit.tx"},
		{[]string{"--database", "binlogkit"}, "binlogkit.nopk binlogkit.ints binlogkit.tx binlogkit.geo"},
		{[]string{"--database", "other"}, ""},
	} {
		if got := strings.Join(tables(c.args...), " "); got != c.want {
			t.Errorf("%v: tables %q, want %q", c.args, got, c.want)
		}
	}
	// Rows events follow their Table_map.
	code, out, stderr := dump(t, nil, "--json", "--table", "binlogkit.nopk", "--type", "Write_rows,Update_rows,Delete_rows")
	checkOK(t, code, stderr)
	objs := checkJSONLines(t, out)
	if len(objs) != 1 || objs[0]["table_id"] != 18.0 {
		t.Errorf("rows of binlogkit.nopk: %s", out)
	}
}

// TestPayloadMarkers feeds the text dumper events as the Reader yields a
// TRANSACTION_PAYLOAD and its inner events: the inner ones are framed like
// mysqlbinlog's and placed at the payload's end position, without CRC32.
func TestPayloadMarkers(t *testing.T) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	d := newTextDumper(w, time.UTC)
	evs := []*event.Event{
		{Header: event.Header{Type: event.TransactionPayloadEvent, LogPos: 431}, Pos: 274, NextPos: 431, Body: &event.Unknown{Type: event.TransactionPayloadEvent}},
		{Header: event.Header{Type: event.QueryEvent}, Pos: 274, NextPos: 431, InPayload: true, Body: &event.Unknown{Type: event.QueryEvent}},
		{Header: event.Header{Type: event.XIDEvent}, Pos: 274, NextPos: 431, InPayload: true, PayloadOffset: 152, Body: &event.Unknown{Type: event.XIDEvent}},
		{Header: event.Header{Type: event.QueryEvent}, Pos: 431, NextPos: 500, InPayload: true, Body: &event.Unknown{Type: event.QueryEvent}},
		{Header: event.Header{Type: event.RotateEvent, LogPos: 600}, Pos: 500, NextPos: 600, Body: &event.Unknown{Type: event.RotateEvent}},
	}
	for _, ev := range evs {
		if err := d.event(ev); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	want := "# at 274\n#700101  0:00:00 server id 0  end_log_pos 431 \tTransaction_Payload\n" +
		"# Start of compressed events!\n" +
		"# at 431\n#700101  0:00:00 server id 0  end_log_pos 431 \tQuery\n" +
		"# at 431\n#700101  0:00:00 server id 0  end_log_pos 431 \tXid\n" +
		"# End of compressed events!\n" +
		"# Start of compressed events!\n" +
		"# at 500\n#700101  0:00:00 server id 0  end_log_pos 500 \tQuery\n" +
		"# End of compressed events!\n" +
		"# at 500\n#700101  0:00:00 server id 0  end_log_pos 600 \tRotate\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

// TestDatabaseFilterQueries: --database keeps QUERY events whose default
// database matches, and the BEGIN/COMMIT/ROLLBACK around them.
func TestDatabaseFilterQueries(t *testing.T) {
	corpusFiles(t)
	code, out, stderr := dump(t, nil, "--json", "--database", "mysql", "--type", "QUERY_EVENT", filepath.Join(sharedCorpus, "binlog_transaction.000001"))
	checkOK(t, code, stderr)
	var got []string
	for _, o := range checkJSONLines(t, out) {
		got = append(got, strconv.Itoa(int(o["pos"].(float64))))
	}
	if want := "198 299 460 680 781 942 1035 1204 1302 1463 1556"; strings.Join(got, " ") != want {
		t.Errorf("kept QUERY events at %v, want %s", got, want)
	}
}

// TestChecksum: a flipped body byte (a letter of the BINLOG_CHECKPOINT's
// file name) is a checksum error at that event unless --no-verify.
func TestChecksum(t *testing.T) {
	offs, _ := eventStarts(sampleBinlog)
	b := bytes.Clone(sampleBinlog[:offs[3]])
	b[offs[2]+event.HeaderLen+4+2] ^= 0x01
	path := filepath.Join(t.TempDir(), "crc.000001")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := dump(t, nil, path)
	if code != 1 || !strings.HasPrefix(stderr, "binlogdump: "+path+": at byte "+strconv.Itoa(offs[2])+" ") || !strings.Contains(stderr, "checksum") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := dump(t, nil, "--no-verify", path); code != 0 {
		t.Errorf("--no-verify: exit %d, stderr %q", code, stderr)
	}
}

// TestNotABinlog: an input without the magic prints nothing on stdout.
func TestNotABinlog(t *testing.T) {
	code, out, stderr := dump(t, []byte("hello, world, this is not a binlog"), "-")
	if code != 1 || out != "" || !strings.HasPrefix(stderr, "binlogdump: stdin: at byte 0") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	code, out, stderr = dump(t, nil, filepath.Join(t.TempDir(), "missing.000001"))
	if code != 1 || out != "" || !strings.Contains(stderr, "missing.000001") {
		t.Errorf("missing file: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}
