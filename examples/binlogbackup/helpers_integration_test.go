//go:build integration

package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// testIdentities decrypt the archives the tests encrypt.
var testIdentities []age.Identity

// readStored returns the binlog bytes of a stored file: decrypted with
// testIdentities when it ends in .age, decompressed by its suffix.
func readStored(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".age") {
		r, err := age.Decrypt(bytes.NewReader(data), testIdentities...)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if data, err = io.ReadAll(r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		path = strings.TrimSuffix(path, ".age")
	}
	var r io.Reader
	switch filepath.Ext(path) {
	case ".lz4":
		r = lz4.NewReader(bytes.NewReader(data))
	case ".zst":
		d, err := zstd.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		r = d
	case ".gz":
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	default:
		return data
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
