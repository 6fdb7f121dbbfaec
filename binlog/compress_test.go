package binlog

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/ulikunitz/xz"
)

// xzBytes compresses data with xz.
func xzBytes(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	w, err := xz.NewWriter(&b)
	if err != nil {
		tb.Fatal(err)
	}
	w.Write(data)
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// TestXZRecorded: a recorded binlog compressed by the xz tool (when it is
// installed) and by the xz package reads as the file itself.
func TestXZRecorded(t *testing.T) {
	path := "../testdata/recorded/mariadb-10_11-full.000001"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := rawEvents(t, NewStreamSource(bytes.NewReader(data), path))
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string][]byte{"package": xzBytes(t, data)}
	if _, err := exec.LookPath("xz"); err == nil {
		out, err := exec.Command("xz", "-c", "-9", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		inputs["tool"] = out
	} else {
		t.Log("the xz tool is not installed: only the package's output is read")
	}
	dir := t.TempDir()
	for how, b := range inputs {
		p := filepath.Join(dir, how+".xz")
		os.WriteFile(p, b, 0o644)
		src, err := OpenFile(p)
		if err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		got, err := rawEvents(t, src)
		src.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: %v, differs at %d", how, err, byteDiff(got, want))
		}
	}
}

// TestCompressedCut: a compression magic with nothing after it, and a
// compressed stream cut short, give an error that names the file and a
// byte offset and wraps ErrTruncated or ErrCorrupt, never a bare
// decompressor error.
func TestCompressedCut(t *testing.T) {
	data := fabricate(t, 200, 100)
	var gz, zs, l4 bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write(data)
	gw.Close()
	zw, _ := zstd.NewWriter(&zs)
	zw.Write(data)
	zw.Close()
	lw := lz4.NewWriter(&l4)
	lw.Write(data)
	lw.Close()
	xzb := xzBytes(t, data)
	dir := t.TempDir()
	inputs := map[string][]byte{
		"gzip magic":  gzipMagic,
		"xz magic":    xzMagic,
		"zstd magic":  zstdMagic,
		"lz4 magic":   lz4Magic,
		"gzip header": gz.Bytes()[:12],
		"xz header":   xzb[:9],
		"gzip cut":    gz.Bytes()[:gz.Len()/2],
		"xz cut":      xzb[:len(xzb)/2],
		"zstd cut":    zs.Bytes()[:zs.Len()/2],
		"lz4 cut":     l4.Bytes()[:l4.Len()/2],
	}
	for name, b := range inputs {
		path := filepath.Join(dir, "in")
		os.WriteFile(path, b, 0o644)
		var err error
		src, err := OpenFile(path)
		if err == nil {
			_, err = rawEvents(t, src)
			src.Close()
		}
		pe, ok := AsError(err)
		if !ok || pe.File != path || !(errors.Is(err, ErrTruncated) || errors.Is(err, ErrCorrupt)) {
			t.Errorf("%s: %v (%T)", name, err, err)
			continue
		}
		// Also through a Reader over stdin-like input.
		r := NewReader(NewStreamSource(bytes.NewReader(b), "stdin"))
		_, err = r.Next(context.Background())
		for err == nil {
			_, err = r.Next(context.Background())
		}
		if pe, ok := AsError(err); !ok || pe.File != "stdin" {
			t.Errorf("%s from stdin: %v", name, err)
		}
	}
}
