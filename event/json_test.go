package event

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"unicode"
	"unicode/utf8"
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
		if got := string(appendJSONString(nil, in)); got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", in, got, want)
		}
		if refIsText([]byte(in)) {
			if got := string(appendJSONBytes(nil, []byte(in))); got != want {
				t.Errorf("appendJSONBytes(%q) = %s, want %s", in, got, want)
			}
		}
	}
	for in, want := range map[string]string{
		"\x00\x01\xff": `{"hex":"0001ff"}`,
		"bad\xffutf8":  `{"hex":"626164ff75746638"}`,
		"ctl\x01":      `{"hex":"63746c01"}`,
		"del\x7f":      `{"hex":"64656c7f"}`,
		"\u0080x":      `{"hex":"c28078"}`,
	} {
		if got := string(appendJSONBytes([]byte("x"), []byte(in))); got != "x"+want {
			t.Errorf("appendJSONBytes(%q) = %s, want x%s", in, got, want)
		}
	}
}

// refIsText is the text test appendJSONBytes makes as it writes: valid
// UTF-8 without control characters other than tab, newline and carriage
// return, and only printable or space runes.
func refIsText(p []byte) bool {
	if !utf8.Valid(p) {
		return false
	}
	for _, r := range string(p) {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f || r >= 0x80 && !unicode.IsPrint(r) && !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// TestAppendJSONBytesRandom compares appendJSONBytes, one pass, with the
// text test and the string escaping made separately, on random byte
// strings of every length to 40 over alphabets with and without bytes
// that are not text.
func TestAppendJSONBytesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, alphabet := range []string{"abcdefgh\"\\\t\n", "abcdefghijklmnop\x01", "é€\u2028 abc\xff\xc3", "abcdefgh\x7f\u0085"} {
		for n := range 41 {
			for range 40 {
				runes := []rune(alphabet)
				var b []byte
				for len(b) < n {
					b = utf8.AppendRune(b, runes[rng.IntN(len(runes))])
					if rng.IntN(9) == 0 {
						b = append(b, alphabet[rng.IntN(len(alphabet))])
					}
				}
				want := `{"hex":"` + hex.EncodeToString(b) + `"}`
				if refIsText(b) {
					want = string(appendJSONString(nil, string(b)))
				}
				if got := string(appendJSONBytes([]byte("p"), b)); got != "p"+want {
					t.Fatalf("%q: %s, want %s", b, got, want)
				}
			}
		}
	}
}

// TestNamesNeedNoEscape: every event and column type name, known or not,
// is written by appendName as appendJSONString writes it.
func TestNamesNeedNoEscape(t *testing.T) {
	for c := range 256 {
		for _, s := range []string{Type(c).String(), ColumnType(c).String()} {
			if got, want := string(appendName(nil, s)), string(appendJSONString(nil, s)); got != want {
				t.Errorf("%q: %s, want %s", s, got, want)
			}
		}
	}
}
