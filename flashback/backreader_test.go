package flashback

import (
	"bytes"
	"math/rand/v2"
	"os"
	"testing"
)

// TestBackReader: reads walking a file backwards, within a block, across
// blocks and larger than one, give the file's bytes.
func TestBackReader(t *testing.T) {
	data := make([]byte, 100_000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	f, err := os.CreateTemp(t.TempDir(), "spill")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Write(data)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{4096, 10_000} {
		r := backReader{f: f, size: size}
		for end := int64(len(data)); end > 0; {
			n := min(int64(rng.IntN(3*size/2)+1), end)
			got, err := r.read(end-n, n)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data[end-n:end]) {
				t.Fatalf("block %d: %d bytes at %d differ", size, n, end-n)
			}
			end -= n
		}
	}
}
