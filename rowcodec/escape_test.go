package rowcodec

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"
)

// appendEscapedRef is the byte-at-a-time escaper appendEscaped replaced,
// kept as the reference its output must equal.
func appendEscapedRef(dst, s []byte) []byte {
	for _, b := range s {
		switch b {
		case '\'':
			dst = append(dst, '\'', '\'')
		case '\\':
			dst = append(dst, '\\', '\\')
		case 0:
			dst = append(dst, '\\', '0')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case 0x1a:
			dst = append(dst, '\\', 'Z')
		default:
			dst = append(dst, b)
		}
	}
	return dst
}

func TestAppendEscapedAllBytes(t *testing.T) {
	for c := range 256 {
		for _, s := range [][]byte{
			{byte(c)},
			{'a', byte(c), 'b'},
			{byte(c), byte(c), 'x', byte(c)},
		} {
			got := appendEscaped([]byte("p"), s)
			want := appendEscapedRef([]byte("p"), s)
			if !bytes.Equal(got, want) {
				t.Errorf("byte 0x%02x in %q: got %q want %q", c, s, got, want)
			}
		}
	}
	// Every byte value in one string, and the quoting wrapper.
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	want := append(appendEscapedRef([]byte("'"), all), '\'')
	if got := AppendQuotedString(nil, all); !bytes.Equal(got, want) {
		t.Errorf("all bytes: got %q want %q", got, want)
	}
}

func TestAppendEscapedRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	special := []byte{0, '\n', '\r', 0x1a, '\'', '\\'}
	for i := range 5000 {
		s := make([]byte, rng.IntN(300))
		for j := range s {
			switch i % 3 {
			case 0: // any byte
				s[j] = byte(rng.UintN(256))
			case 1: // mostly text, some specials
				if rng.IntN(20) == 0 {
					s[j] = special[rng.IntN(len(special))]
				} else {
					s[j] = byte(' ' + rng.IntN(95))
				}
			default: // specials only
				s[j] = special[rng.IntN(len(special))]
			}
		}
		// A prefix in dst, with spare capacity or none.
		pre := make([]byte, rng.IntN(4), 4+rng.IntN(400))
		got := appendEscaped(pre, s)
		want := appendEscapedRef(append([]byte(nil), pre...), s)
		if !bytes.Equal(got, want) {
			t.Fatalf("%q: got %q want %q", s, got, want)
		}
	}
}

// BenchmarkAppendEscape compares the escaper with its byte-at-a-time
// reference over text (rare escapes) and binary (random bytes).
//
//	go test ./rowcodec -run '^$' -bench Escape -benchmem
func BenchmarkAppendEscape(b *testing.B) {
	text := []byte(strings.Repeat("The quick brown fox jumps over the lazy dog's back.\n", 80))
	plain := []byte(strings.Repeat("user4711@example.com Jöns Bäckström, Ringvägen 12, Stockholm; ", 64))
	bin := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range bin {
		bin[i] = byte(rng.UintN(256))
	}
	for _, in := range []struct {
		name string
		s    []byte
	}{{"text", text}, {"plain", plain}, {"binary", bin}} {
		for _, f := range []struct {
			name string
			fn   func(dst, s []byte) []byte
		}{{"ref", appendEscapedRef}, {"new", appendEscaped}} {
			b.Run(in.name+"/"+f.name, func(b *testing.B) {
				dst := make([]byte, 0, 3*len(in.s))
				b.SetBytes(int64(len(in.s)))
				b.ReportAllocs()
				for b.Loop() {
					dst = f.fn(dst[:0], in.s)
				}
			})
		}
	}
}

// mayNeedEscape must find every byte below 0x20, quote and backslash at
// every position of a word, whatever the other bytes; a word without any
// is let through.
func TestMayNeedEscape(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for c := range 256 {
		for pos := range 8 {
			for range 20 {
				var w [8]byte
				for j := range w {
					w[j] = byte(0x20 + rng.IntN(0xe0))
					if w[j] == '\'' || w[j] == '\\' {
						w[j] = 'a'
					}
				}
				if rng.IntN(2) == 0 {
					for j := range w {
						w[j] = byte(c + j)
					}
				}
				w[pos] = byte(c)
				want := false
				for _, x := range w {
					want = want || x < 0x20 || x == '\'' || x == '\\'
				}
				if got := mayNeedEscape(binary.LittleEndian.Uint64(w[:])); got != want {
					t.Fatalf("% x: got %v want %v", w, got, want)
				}
			}
		}
	}
}

// appendJSONQuotedRef is the byte-at-a-time JSON string printer
// appendJSONQuoted replaced, kept as the reference.
func appendJSONQuotedRef(dst, s []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i, c := range s {
		if c > 0x1f && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		start = i + 1
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func TestAppendJSONQuotedMatchesRef(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	check := func(s []byte) {
		t.Helper()
		pre := make([]byte, rng.IntN(4), 4+rng.IntN(100))
		got := appendJSONQuoted(pre, s)
		want := appendJSONQuotedRef(append([]byte(nil), pre...), s)
		if !bytes.Equal(got, want) {
			t.Fatalf("%q: got %q want %q", s, got, want)
		}
	}
	for c := range 256 {
		for n := range 20 {
			s := bytes.Repeat([]byte("x"), n)
			for pos := 0; pos < n; pos += 3 {
				s[pos] = byte(c)
			}
			check(s)
			check(append(s, byte(c)))
		}
	}
	special := []byte{0, 1, '\b', '\t', '\n', '\f', '\r', 0x1f, '"', '\\'}
	for i := range 5000 {
		s := make([]byte, rng.IntN(200))
		for j := range s {
			if i%2 == 0 {
				s[j] = byte(rng.UintN(256))
			} else if rng.IntN(25) == 0 {
				s[j] = special[rng.IntN(len(special))]
			} else {
				s[j] = byte(' ' + rng.IntN(95))
			}
		}
		check(s)
	}
	for c := range 256 {
		for pos := range 8 {
			w := [8]byte{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'}
			w[pos] = byte(c)
			want := c < 0x20 || c == '"' || c == '\\'
			if got := mayNeedJSONEscape(binary.LittleEndian.Uint64(w[:])); got != want {
				t.Fatalf("% x: got %v want %v", w, got, want)
			}
		}
	}
}

// BenchmarkAppendJSONQuoted compares the JSON string printer with its
// byte-at-a-time reference over a short and a long string.
//
//	go test ./rowcodec -run '^$' -bench JSONQuoted -benchmem
func BenchmarkAppendJSONQuoted(b *testing.B) {
	short := []byte("user 42")
	long := []byte(strings.Repeat("Ringvägen 12, 114 61 Stockholm, Sverige. ", 8))
	for _, in := range []struct {
		name string
		s    []byte
	}{{"short", short}, {"long", long}} {
		for _, f := range []struct {
			name string
			fn   func(dst, s []byte) []byte
		}{{"ref", appendJSONQuotedRef}, {"new", appendJSONQuoted}} {
			b.Run(in.name+"/"+f.name, func(b *testing.B) {
				dst := make([]byte, 0, 8*len(in.s))
				b.SetBytes(int64(len(in.s)))
				for b.Loop() {
					dst = f.fn(dst[:0], in.s)
				}
			})
		}
	}
}

// appendBinlogQuotedRef is the byte-at-a-time quoting appendBinlogQuoted
// replaced, kept as the reference its output must equal.
func appendBinlogQuotedRef(dst, b []byte, mysql bool) []byte {
	dst = append(dst, '\'')
	for _, x := range b {
		switch {
		case mysql && (x == '\'' || x == '\\'):
			dst = append(dst, '\\', x)
		case x > 0x1f:
			dst = append(dst, x)
		case mysql && binlogEscapes[x] != 0:
			dst = append(dst, '\\', binlogEscapes[x])
		default:
			dst = append(dst, '\\', 'x', hexDigits[x>>4], hexDigits[x&15])
		}
	}
	return append(dst, '\'')
}

// TestBinlogQuotedSameAsRef compares the run-copying quoting of the
// mysqlbinlog and mariadb-binlog forms with the byte-at-a-time one: every
// byte value alone and between others, every byte value in one string, and
// random strings of every length to 40 over alphabets rich and poor in
// bytes that need an escape.
func TestBinlogQuotedSameAsRef(t *testing.T) {
	check := func(s []byte) {
		t.Helper()
		for _, mysql := range []bool{false, true} {
			got := appendBinlogQuoted([]byte("p"), s, mysql)
			want := appendBinlogQuotedRef([]byte("p"), s, mysql)
			if !bytes.Equal(got, want) {
				t.Fatalf("mysql=%v %q: got %q want %q", mysql, s, got, want)
			}
		}
	}
	for c := range 256 {
		check([]byte{byte(c)})
		check([]byte{'a', byte(c), 'b', 'c', 'd', 'e', 'f', 'g', 'h', byte(c)})
	}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	check(all)
	rng := rand.New(rand.NewPCG(7, 7))
	for _, alphabet := range []string{"abcdefgh\x00'\\\n", "abcdefghijklmnopqrstuvwxyz\x1f", "\xff\xe4\xb8\x80 \x7f\x20\x1f"} {
		for n := range 41 {
			for range 50 {
				s := make([]byte, n)
				for i := range s {
					s[i] = alphabet[rng.IntN(len(alphabet))]
				}
				check(s)
			}
		}
	}
}
