package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/binlogkit/binlogkit/event"
)

// Progress draws a one-line indicator on a terminal's stderr while large
// inputs are read: "TOOL: 12.0 MiB / 80.0 MiB (15%), 95 MiB/s, ETA 1s", the
// total, percentage and time left only when every file is uncompressed and of
// known size. Its methods do nothing when it is disabled; the zero Progress
// is disabled.
type Progress struct {
	w       io.Writer
	tool    string
	on      bool
	total   int64            // sum of the file sizes, 0 when unknown
	sizes   map[string]int64 // file name → size, for files already passed
	done    int64            // bytes of the files finished
	file    string
	n       int // events since the last clock check
	last    time.Time
	started time.Time
	drawn   bool
	now     func() time.Time
}

// NewProgress returns the indicator for reading files (the FILE arguments;
// "-" is standard input). It is enabled only when stderr is a terminal and the
// files' sizes add up to more than min bytes; tool starts the line. A tool
// with --quiet uses the zero Progress instead.
func NewProgress(stderr io.Writer, tool string, min int64, files []string) *Progress {
	if !IsTerminal(stderr) {
		files = nil
	}
	return newProgress(stderr, tool, min, files, time.Now)
}

// newProgress is NewProgress on any writer, with a clock.
func newProgress(w io.Writer, tool string, min int64, files []string, now func() time.Time) *Progress {
	p := &Progress{w: w, tool: tool, now: now}
	if len(files) == 0 {
		return p
	}
	p.sizes = make(map[string]int64)
	var sum int64
	known := true
	for _, name := range files {
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
	if sum <= min {
		return p // small, or piped with an unknown size
	}
	if known {
		p.total = sum
	}
	p.on = true
	p.started = now()
	p.last = p.started
	return p
}

// IsTerminal reports whether w is a terminal (a character device), where a
// line that redraws itself makes sense.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
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

// Update notes that ev was read; it redraws at most four times a second.
func (p *Progress) Update(ev *event.Event) {
	if !p.on {
		return
	}
	p.setFile(ev.File)
	p.n++
	if p.n < 512 {
		return
	}
	p.n = 0
	p.At(ev.File, ev.NextPos)
}

// setFile notes that file is being read: the files before it are done.
func (p *Progress) setFile(file string) {
	if file != p.file {
		if p.file != "" {
			p.done += p.sizes[p.file]
		}
		p.file = file
	}
}

// At notes that file was read up to byte next (for a program that learns
// its position less often than every event); it redraws at most four times
// a second.
func (p *Progress) At(file string, next uint64) {
	if !p.on {
		return
	}
	p.setFile(file)
	now := p.now()
	if now.Sub(p.last) < 250*time.Millisecond {
		return
	}
	p.last = now
	read := p.done + int64(next)
	line := p.tool + ": " + mib(read)
	if p.total > 0 {
		pct := read * 100 / p.total
		line += fmt.Sprintf(" / %s (%d%%)", mib(p.total), min(pct, 100))
	}
	if secs := now.Sub(p.started).Seconds(); secs > 0 && read > 0 {
		rate := float64(read) / secs
		line += fmt.Sprintf(", %.0f MiB/s", rate/(1<<20))
		if p.total > read {
			eta := time.Duration(float64(p.total-read) / rate * float64(time.Second))
			line += ", ETA " + eta.Round(time.Second).String()
		}
	}
	fmt.Fprintf(p.w, "\r%-70s", line)
	p.drawn = true
}

// Clear erases the indicator so that a message can follow.
func (p *Progress) Clear() {
	if p.drawn {
		fmt.Fprintf(p.w, "\r%70s\r", "")
		p.drawn = false
	}
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
