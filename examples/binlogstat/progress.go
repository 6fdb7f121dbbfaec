package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/binlogkit/binlogkit/event"
)

// progressMin is the input size above which a progress line is shown.
const progressMin = 64 << 20

// progress draws a one-line indicator on a terminal's stderr for large
// inputs: bytes read and, for uncompressed files, the total. Its methods do
// nothing when it is disabled.
type progress struct {
	w       io.Writer
	on      bool
	total   int64            // sum of the file sizes, 0 when unknown
	sizes   map[string]int64 // file name → size, for files already passed
	done    int64            // bytes of the files finished
	file    string
	n       int // events since the last clock check
	last    time.Time
	started time.Time
	drawn   bool
}

func newProgress(c *config, stderr io.Writer) *progress {
	p := &progress{w: stderr}
	f, ok := stderr.(*os.File)
	if c.quiet || !ok || len(c.files) == 0 {
		return p
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return p
	}
	p.sizes = make(map[string]int64)
	var sum int64
	known := true
	for _, name := range c.files {
		size, compressed := fileSize(name)
		if size < 0 {
			known = false
			continue
		}
		sum += size
		if compressed {
			known = false
		}
		p.sizes[name] = size
	}
	if sum <= progressMin {
		return p // small, or piped with an unknown size
	}
	if known {
		p.total = sum
	}
	p.on = true
	p.started = time.Now()
	p.last = p.started
	return p
}

// fileSize returns the size of a regular file (-1 when not known) and
// whether it starts with a gzip, zstd or lz4 signature (positions then count
// uncompressed bytes, so the size is no total).
func fileSize(name string) (int64, bool) {
	var f *os.File
	if name == "-" {
		f = os.Stdin
	} else {
		var err error
		if f, err = os.Open(name); err != nil {
			return -1, false
		}
		defer f.Close()
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return -1, false
	}
	if name == "-" {
		return st.Size(), false
	}
	var head [4]byte
	n, _ := io.ReadFull(f, head[:])
	compressed := n >= 2 && head[0] == 0x1f && head[1] == 0x8b ||
		n == 4 && (head == [4]byte{0x28, 0xb5, 0x2f, 0xfd} || head == [4]byte{0x04, 0x22, 0x4d, 0x18})
	return st.Size(), compressed
}

// update notes that ev was read; it redraws at most four times a second.
func (p *progress) update(ev *event.Event) {
	if !p.on {
		return
	}
	if ev.File != p.file {
		if p.file != "" {
			p.done += p.sizes[p.file]
		}
		p.file = ev.File
	}
	p.n++
	if p.n < 512 {
		return
	}
	p.n = 0
	now := time.Now()
	if now.Sub(p.last) < 250*time.Millisecond {
		return
	}
	p.last = now
	read := p.done + int64(ev.NextPos)
	line := "binlogstat: " + mib(read)
	if p.total > 0 {
		pct := read * 100 / p.total
		line += fmt.Sprintf(" / %s (%d%%)", mib(p.total), min(pct, 100))
	}
	if secs := now.Sub(p.started).Seconds(); secs > 0 {
		line += fmt.Sprintf(", %.0f MiB/s", float64(read)/secs/(1<<20))
	}
	fmt.Fprintf(p.w, "\r%-70s", line)
	p.drawn = true
}

// clear erases the indicator so that a message can follow.
func (p *progress) clear() {
	if p.drawn {
		fmt.Fprintf(p.w, "\r%70s\r", "")
		p.drawn = false
	}
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
