package event

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestJSONGenUpToDate checks that json_gen.go is what the generator writes
// for the body types as they are.
func TestJSONGenUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	out := filepath.Join(t.TempDir(), "json_gen.go")
	cmd := exec.Command("go", "run", "./internal/jsongen", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("jsongen: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("json_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("json_gen.go is stale: run go generate ./event")
	}
}

// TestAppendJSONAllocs checks that encoding an event allocates nothing
// once the buffer is big enough.
func TestAppendJSONAllocs(t *testing.T) {
	fd := NewFormatDescription("10.11.19-MariaDB-log", ChecksumCRC32)
	evs := []*Event{
		{Header: Header{Type: QueryEvent}, Body: &Query{Schema: []byte("shop"), Query: []byte(`INSERT INTO t VALUES ('a\"b', 'é')`)}, Format: fd},
		{Header: Header{Type: XIDEvent}, Body: &XID{XID: 7}, Format: fd},
		{Header: Header{Type: MariaGTIDEvent, ServerID: 1}, Body: &MariaGTID{SeqNo: 9}, Format: fd},
		{Header: Header{Type: UserVarEvent}, Body: &UserVar{Name: []byte("v"), Value: []byte{1, 2}}, Format: fd},
	}
	buf := make([]byte, 0, 8192)
	if n := testing.AllocsPerRun(100, func() {
		b := buf[:0]
		for _, ev := range evs {
			b = ev.AppendJSON(b)
		}
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

func TestAppendJSONText(t *testing.T) {
	for in, want := range map[string]string{
		"plain text longer than a word": `"plain text longer than a word"`,
		"q\"uote\\back\ttab\nnl":        `"q\"uote\\back\ttab\nnl"`,
		"é\u2028x":                      `"é\u2028x"`,
		"bad\xffutf8":                   `"bad\ufffdutf8"`,
		"ctl\x01\x7f":                   `"ctl\u0001\u007f"`,
	} {
		if got := string(appendJSONText(nil, []byte(in))); got != want {
			t.Errorf("appendJSONText(%q) = %s, want %s", in, got, want)
		}
		if got := string(appendJSONString(nil, in)); got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", in, got, want)
		}
	}
	if got := string(appendJSONBytes(nil, []byte{0, 1, 0xff})); got != `{"hex":"0001ff"}` {
		t.Errorf("bytes: %s", got)
	}
}
