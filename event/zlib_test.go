package event

import (
	"bytes"
	"compress/zlib"
	"errors"
	"testing"
)

func TestInflater(t *testing.T) {
	data := bytes.Repeat([]byte("binlogkit "), 500)
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	stream := buf.Bytes()
	var z inflater
	got, err := z.inflate(nil, stream, len(data))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("inflate: %v", err)
	}
	// Warm, it does not allocate.
	if n := testing.AllocsPerRun(100, func() { got, _ = z.inflate(got, stream, len(data)) }); n != 0 {
		t.Errorf("inflate allocates %v times when warm", n)
	}
	bad := bytes.Clone(stream)
	bad[len(bad)-1] ^= 1
	for name, tc := range map[string]struct {
		stream []byte
		want   int
	}{
		"adler32 mismatch": {bad, len(data)},
		"declared longer":  {stream, len(data) + 1},
		"declared shorter": {stream, len(data) - 1},
		"no checksum":      {stream[:len(stream)-4], len(data)},
		"bad header":       {append([]byte{0x78, 0x00}, stream[2:]...), len(data)},
		"empty":            {nil, 0},
	} {
		if _, err := z.inflate(nil, tc.stream, tc.want); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
}

// FuzzInflate: the zlib path never panics and never returns more or fewer
// bytes than declared.
func FuzzInflate(f *testing.F) {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write([]byte("binlogkit binlogkit binlogkit"))
	zw.Close()
	f.Add(buf.Bytes(), uint16(29))
	f.Add([]byte{0x78, 0x9c, 3, 0, 0, 0, 0, 1}, uint16(0))
	var z inflater
	f.Fuzz(func(t *testing.T, stream []byte, want uint16) {
		got, err := z.inflate(nil, stream, int(want))
		if err == nil && len(got) != int(want) {
			t.Fatalf("%d bytes, declared %d", len(got), want)
		}
	})
}
