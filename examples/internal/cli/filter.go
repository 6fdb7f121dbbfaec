package cli

import (
	"io"

	"github.com/binlogkit/binlogkit/binlog"
)

// All combines filters into one: nil for none (keep everything), the filter
// itself for one, else binlog.All.
func All(fs []binlog.Filter) binlog.Filter {
	switch len(fs) {
	case 0:
		return nil
	case 1:
		return fs[0]
	}
	return binlog.All(fs...)
}

// OpenSource returns the Source for a tool's FILE arguments (at least one):
// standard input (read from stdin and named "stdin") for a lone "-", else
// a lone directory, an archive kept by binlogbackup (as backup.Open reads
// it); else binlog.OpenFiles over the files in order, where "-" is the
// process's standard input and gzip, xz, lz4 and zstd files are
// decompressed. The returned function closes the Source.
func OpenSource(files []string, stdin io.Reader) (binlog.Source, func()) {
	if len(files) == 1 {
		if src, closeSrc, ok := openArchive(files[0]); ok {
			return src, closeSrc
		}
	}
	if len(files) == 1 && files[0] == "-" {
		s := binlog.NewStreamSource(io.NopCloser(stdin), "stdin")
		return s, func() { s.Close() }
	}
	l := binlog.OpenFiles(files...)
	return l, func() { l.Close() }
}
