package event

import (
	"hash/crc32"
	"math/rand/v2"
	"strconv"
	"testing"
)

// crcIEEE equals the standard library's CRC32 for every length from 0 to
// 300 (every remainder after the 16-byte blocks, below and above 64 bytes),
// at every alignment, from zero and from running values.
func TestCRCIEEEMatchesStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 320)
	for i := range buf {
		buf[i] = byte(rng.Uint32())
	}
	for n := 0; n <= 300; n++ {
		for off := 0; off < 8; off++ {
			p := buf[off : off+n]
			if got, want := crcIEEE(0, p), crc32.ChecksumIEEE(p); got != want {
				t.Fatalf("len %d off %d: %08x, want %08x", n, off, got, want)
			}
			seed := rng.Uint32()
			if got, want := crcIEEE(seed, p), crc32.Update(seed, crc32.IEEETable, p); got != want {
				t.Fatalf("len %d off %d seed %08x: %08x, want %08x", n, off, seed, got, want)
			}
		}
	}
	for range 2000 {
		p := make([]byte, rng.IntN(70000))
		for i := range p {
			p[i] = byte(rng.Uint32())
		}
		if got, want := crcIEEE(0, p), crc32.ChecksumIEEE(p); got != want {
			t.Fatalf("len %d: %08x, want %08x", len(p), got, want)
		}
	}
}

func FuzzCRCIEEE(f *testing.F) {
	f.Add(uint32(0), []byte("binlog event of odd size"))
	f.Add(uint32(0xffffffff), make([]byte, 79))
	f.Fuzz(func(t *testing.T, seed uint32, p []byte) {
		if got, want := crcIEEE(seed, p), crc32.Update(seed, crc32.IEEETable, p); got != want {
			t.Fatalf("len %d: %08x, want %08x", len(p), got, want)
		}
	})
}

// BenchmarkChecksum compares Checksum with the standard library on the
// sizes of common events (XID, GTID, BEGIN, small rows, TABLE_MAP).
func BenchmarkChecksum(b *testing.B) {
	for _, n := range []int{27, 38, 71, 120, 300, 1000} {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(i * 7)
		}
		b.Run("binlogkit/"+strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				crcIEEE(0, p)
			}
		})
		b.Run("stdlib/"+strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				crc32.ChecksumIEEE(p)
			}
		})
	}
}
