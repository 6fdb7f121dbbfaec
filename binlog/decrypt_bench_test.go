package binlog

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDecrypt measures reading a ~32 MiB binlog (the recorded
// workload, repeated) plain and encrypted: MariaDB AES-CBC and AES-CTR
// (memory-mapped, each event decrypted into the Source's buffer) and MySQL
// (AES-256-CTR over the stream, read through a buffer, like the "buffered"
// plain case). "source" is the Source alone (framing and decryption),
// "reader" adds the Reader (checksums, decoding).
func BenchmarkDecrypt(b *testing.B) {
	plain, enc, keys := encryptedInputs(b, 32<<20)
	dir := b.TempDir()
	inputs := []struct {
		name string
		data []byte
	}{{"plain", plain}, {"mariadb-cbc", enc["mariadb-cbc"]}, {"mariadb-ctr", enc["mariadb-ctr"]}, {"mysql", enc["mysql"]}}
	for _, in := range inputs {
		path := filepath.Join(dir, in.name)
		if err := os.WriteFile(path, in.data, 0o644); err != nil {
			b.Fatal(err)
		}
		for _, level := range []string{"source", "reader"} {
			b.Run(in.name+"/"+level, func(b *testing.B) {
				benchDecrypt(b, path, int64(len(in.data)), keys, level == "reader", false)
			})
		}
		if in.name == "plain" {
			b.Run("plain-buffered/source", func(b *testing.B) {
				benchDecrypt(b, path, int64(len(in.data)), keys, false, true)
			})
		}
	}
}

func benchDecrypt(b *testing.B, path string, size int64, keys *Keys, reader, buffered bool) {
	ctx := context.Background()
	b.SetBytes(size)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var src *StreamSource
		if buffered {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			src = NewStreamSource(f, path)
		} else {
			var err error
			if src, err = OpenFile(path); err != nil {
				b.Fatal(err)
			}
		}
		src.SetKeys(keys)
		var next func(context.Context) error
		if reader {
			r := NewReader(src)
			next = func(ctx context.Context) error { _, err := r.Next(ctx); return err }
		} else {
			next = func(ctx context.Context) error { _, err := src.ReadEvent(ctx); return err }
		}
		for {
			if err := next(ctx); err != nil {
				if err == io.EOF {
					break
				}
				b.Fatal(err)
			}
		}
		src.Close()
	}
}
