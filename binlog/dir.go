package binlog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DirIndexName is the name of the index file a backup directory holds (as
// written by examples/binlogbackup): one JSON object per line, a DirEntry per
// binlog file, oldest first.
const DirIndexName = "binlogbackup.index"

// Suffixes of the files in a backup directory besides plain binlog files.
const (
	// PartialSuffix marks a binlog file still being written: the server's
	// current file, or one whose end was not received yet.
	PartialSuffix = ".partial"
	// Lz4Suffix and ZstdSuffix mark completed files compressed with lz4 or
	// zstd; gzSuffix is read too.
	Lz4Suffix  = ".lz4"
	ZstdSuffix = ".zst"
	gzSuffix   = ".gz"
)

// DirEntry describes one binlog file of a backup directory: a line of its
// index file.
type DirEntry struct {
	// Name is the server's name of the binlog file, e.g. "binlog.000042".
	Name string `json:"name"`
	// Stored is the name of the file in the directory: Name, Name+".lz4",
	// Name+".zst" or, while incomplete, Name+".partial".
	Stored string `json:"stored"`
	// Size is the length of the binlog file in bytes (uncompressed), which
	// is also the server position just past its last event.
	Size uint64 `json:"size"`
	// Complete is true once the file's end was received (a ROTATE to the
	// next file, or the server's STOP).
	Complete bool `json:"complete"`
	// Events counts the events of the file, FORMAT_DESCRIPTION included.
	Events uint64 `json:"events"`
	// FirstGTID and LastGTID are the GTIDs of the file's first and last
	// transactions ("" when it has none).
	FirstGTID string `json:"first_gtid,omitempty"`
	LastGTID  string `json:"last_gtid,omitempty"`
	// FirstTime and LastTime are the header timestamps of the file's first
	// and last events.
	FirstTime time.Time `json:"first_time,omitzero"`
	LastTime  time.Time `json:"last_time,omitzero"`
}

// ReadDirIndex reads the index file of the backup directory dir. It returns
// an error wrapping fs.ErrNotExist when there is none.
func ReadDirIndex(dir string) ([]DirEntry, error) {
	data, err := os.ReadFile(filepath.Join(dir, DirIndexName))
	if err != nil {
		return nil, err
	}
	var entries []DirEntry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e DirEntry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", filepath.Join(dir, DirIndexName), n, err)
		}
		if e.Name == "" || e.Stored == "" || strings.ContainsAny(e.Name+e.Stored, `/\`) {
			return nil, fmt.Errorf("%s: line %d: bad file name", filepath.Join(dir, DirIndexName), n)
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, DirIndexName), err)
	}
	return entries, nil
}

// WriteDirIndex replaces the index file of dir with entries, atomically (a
// temporary file renamed over the old index). When sync is set, the file and
// the directory are synced before it returns.
func WriteDirIndex(dir string, entries []DirEntry, sync bool) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for i := range entries {
		if err := enc.Encode(&entries[i]); err != nil {
			return err
		}
	}
	path := filepath.Join(dir, DirIndexName)
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = f.Write(b.Bytes())
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if sync {
		return SyncDir(dir)
	}
	return nil
}

// SyncDir fsyncs the directory dir, making renames and creations in it
// durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// SplitStoredName returns the server's binlog file name a backup directory
// file stands for and its suffix (PartialSuffix, Lz4Suffix, ZstdSuffix, ".gz"
// or ""). ok is false for names that are no binlog file: the index,
// temporary files, and names without a numeric extension.
func SplitStoredName(stored string) (name, suffix string, ok bool) {
	name = stored
	for _, s := range []string{PartialSuffix, Lz4Suffix, ZstdSuffix, gzSuffix} {
		if strings.HasSuffix(name, s) {
			name, suffix = strings.TrimSuffix(name, s), s
			break
		}
	}
	if strings.HasPrefix(name, ".") {
		return "", "", false
	}
	_, num := splitBinlogName(name)
	if num < 0 {
		return "", "", false
	}
	return name, suffix, true
}

// splitBinlogName splits "binlog.000042" into "binlog" and 42; num is -1
// when the extension is not a number.
func splitBinlogName(name string) (base string, num int64) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || i == len(name)-1 {
		return name, -1
	}
	n, err := strconv.ParseInt(name[i+1:], 10, 64)
	if err != nil || n < 0 {
		return name, -1
	}
	return name[:i], n
}

// compareBinlogNames orders binlog file names as the server numbers them:
// by base name, then by the numeric extension.
func compareBinlogNames(a, b string) int {
	ab, an := splitBinlogName(a)
	bb, bn := splitBinlogName(b)
	if c := strings.Compare(ab, bb); c != 0 {
		return c
	}
	if an != bn {
		if an < bn {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// DirFiles lists the binlog files of the backup directory dir in order: the
// order of its index file when there is one (files on disk that the index
// does not list follow, by name), else by binlog file name (base name, then
// number). A file stored both plain and compressed is listed once, plain; a
// .partial file is listed as such. Entries not in the index carry Name and
// Stored only.
func DirFiles(dir string) ([]DirEntry, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	// onDisk maps a server name to its stored file, preferring a plain file,
	// then a partial one, then a compressed one.
	rank := map[string]int{"": 0, PartialSuffix: 1, Lz4Suffix: 2, ZstdSuffix: 2, gzSuffix: 2}
	onDisk := make(map[string]string)
	for _, de := range des {
		if !de.Type().IsRegular() {
			continue
		}
		name, suffix, ok := SplitStoredName(de.Name())
		if !ok {
			continue
		}
		if cur, seen := onDisk[name]; seen {
			_, curSuffix, _ := SplitStoredName(cur)
			if rank[curSuffix] <= rank[suffix] {
				continue
			}
		}
		onDisk[name] = de.Name()
	}
	index, err := ReadDirIndex(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	var out []DirEntry
	listed := make(map[string]bool)
	for _, e := range index {
		stored, ok := onDisk[e.Name]
		if !ok || listed[e.Name] {
			continue // removed (purged from the backup) or listed twice
		}
		if stored != e.Stored {
			// The index lags the directory (a crash between renaming and
			// rewriting it): the file on disk wins.
			e.Stored = stored
			_, suffix, _ := SplitStoredName(stored)
			e.Complete = suffix != PartialSuffix
		}
		listed[e.Name] = true
		out = append(out, e)
	}
	var rest []string
	for name := range onDisk {
		if !listed[name] {
			rest = append(rest, name)
		}
	}
	slices.SortFunc(rest, compareBinlogNames)
	for _, name := range rest {
		_, suffix, _ := SplitStoredName(onDisk[name])
		out = append(out, DirEntry{Name: name, Stored: onDisk[name], Complete: suffix != PartialSuffix})
	}
	return out, nil
}

// OpenDir returns a Source reading the binlog files of a backup directory
// (as examples/binlogbackup keeps one) one after the other, in the order
// DirFiles gives: compressed files are decompressed, and a last .partial file
// is read up to its last whole event (an event cut by a write in progress
// ends the stream cleanly; Tail reports the cut). Positions name the server's
// files ("binlog.000042"), not the stored ones, so events read from a backup
// show where they sit on the server. The caller should Close it.
//
// OpenFiles treats a directory argument the same way.
func OpenDir(dir string) (*FileList, error) {
	l := OpenFiles()
	if err := l.addDir(dir, 0); err != nil {
		return nil, err
	}
	return l, nil
}

// addDir inserts the files of the backup directory dir into the list at
// index at.
func (l *FileList) addDir(dir string, at int) error {
	entries, err := DirFiles(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return fmt.Errorf("%s: no binlog files in the directory", dir)
	}
	paths := make([]string, len(entries))
	if l.names == nil {
		l.names = make(map[string]string)
		l.partial = make(map[string]bool)
	}
	for i, e := range entries {
		p := filepath.Join(dir, e.Stored)
		paths[i] = p
		l.names[p] = e.Name
		if strings.HasSuffix(e.Stored, PartialSuffix) {
			l.partial[p] = true
		}
	}
	l.paths = slices.Insert(l.paths, at, paths...)
	return nil
}
