package backup

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

// IndexName is the name of the index file of an archive directory: one JSON
// object per line, an Entry per binlog file, oldest first.
const IndexName = "binlogbackup.index"

// LockName is the file an archive's writer holds locked (see Lock).
const LockName = "binlogbackup.lock"

// VerifiedName is the file Verify records its last result in.
const VerifiedName = "binlogbackup.verified"

// Suffixes of the stored files. A completed file is stored as NAME, then
// the compression's suffix (".zst", ".lz4" or ".gz") if any, then ".age" if
// encrypted; the file being written is NAME.partial (NAME.partial.age when
// encrypted).
const (
	PartialSuffix = ".partial"
	ZstdSuffix    = ".zst"
	Lz4Suffix     = ".lz4"
	GzipSuffix    = ".gz"
	AgeSuffix     = ".age"
)

// Compression names a stored file's compression, as the --compress flag of
// binlogbackup says it.
type Compression string

// Compressions. Each writes the tool's standard frame format: zstd -d,
// lz4 -d and gzip -d give the server's file back byte for byte.
const (
	None Compression = ""
	Zstd Compression = "zstd"
	Lz4  Compression = "lz4"
	Gzip Compression = "gzip"
)

// ParseCompression parses "zstd" (or "zst"), "lz4", "gzip" (or "gz") and
// "none" (or "").
func ParseCompression(s string) (Compression, error) {
	switch strings.ToLower(s) {
	case "", "none":
		return None, nil
	case "zstd", "zst":
		return Zstd, nil
	case "lz4":
		return Lz4, nil
	case "gzip", "gz":
		return Gzip, nil
	}
	return None, fmt.Errorf("backup: unknown compression %q (want zstd, lz4, gzip or none)", s)
}

// suffix returns the stored-name suffix of the compression.
func (c Compression) suffix() string {
	switch c {
	case Zstd:
		return ZstdSuffix
	case Lz4:
		return Lz4Suffix
	case Gzip:
		return GzipSuffix
	}
	return ""
}

// Entry describes one binlog file of an archive: a line of its index.
type Entry struct {
	// Name is the server's name of the binlog file, e.g. "binlog.000042".
	Name string `json:"name"`
	// Stored is the name of the file in the directory (see the suffixes).
	Stored string `json:"stored"`
	// Size is the length of the binlog file in bytes (uncompressed,
	// decrypted), which is also the server position just past its last
	// event.
	Size uint64 `json:"size"`
	// Complete is true once the file's end was received (a ROTATE to the
	// next file, the server's STOP, or the stream moving on after a server
	// restart).
	Complete bool `json:"complete"`
	// Events counts the events of the file, FORMAT_DESCRIPTION included.
	Events uint64 `json:"events"`
	// ServerID is the server id in the file's FORMAT_DESCRIPTION.
	ServerID uint32 `json:"server_id,omitempty"`
	// PreviousGTIDs is the GTID set the file starts after: its
	// PREVIOUS_GTIDS (MySQL) or GTID_LIST (MariaDB) event ("" when none).
	PreviousGTIDs string `json:"previous_gtids,omitempty"`
	// FirstGTID and LastGTID are the GTIDs of the file's first and last
	// transactions ("" when it has none).
	FirstGTID string `json:"first_gtid,omitempty"`
	LastGTID  string `json:"last_gtid,omitempty"`
	// FirstTime and LastTime are the header timestamps of the file's first
	// and last events.
	FirstTime time.Time `json:"first_time,omitzero"`
	LastTime  time.Time `json:"last_time,omitzero"`
	// Completed is when the archive completed the file.
	Completed time.Time `json:"completed,omitzero"`
	// SHA256 is the hex SHA-256 of the binlog file's bytes (as on the
	// server), set once the file is complete.
	SHA256 string `json:"sha256,omitempty"`
	// StoredSize and StoredSHA256 describe the stored file's bytes
	// (compressed, encrypted) once complete.
	StoredSize   int64  `json:"stored_size,omitempty"`
	StoredSHA256 string `json:"stored_sha256,omitempty"`
	// Compression and Encrypted say how the file is stored.
	Compression Compression `json:"compression,omitempty"`
	Encrypted   bool        `json:"encrypted,omitempty"`
	// Deleted is set when retention removed the file: the entry stays in
	// the index as a record.
	Deleted *Deletion `json:"deleted,omitempty"`
	// Gap is set on the first file of a new chain started after the server
	// purged files the archive did not hold yet.
	Gap *Gap `json:"gap,omitempty"`
}

// Deletion records a file removed by retention.
type Deletion struct {
	Time   time.Time `json:"time"`
	Reason string    `json:"reason"`
}

// Gap records transactions missing from the archive before a file: the
// server purged them before they were copied.
type Gap struct {
	// After is the last file of the previous chain and Pos where its copy
	// ends.
	After string `json:"after"`
	Pos   uint64 `json:"pos"`
	// Missing names what is lost, e.g. "binlog.000005 from byte 1234,
	// binlog.000006 to binlog.000007".
	Missing string `json:"missing"`
	// Time is when the new chain was started.
	Time time.Time `json:"time"`
}

// ReadIndex reads the index of the archive directory dir: every entry,
// deleted files included. It returns an error wrapping fs.ErrNotExist when
// there is no index.
func ReadIndex(dir string) ([]Entry, error) {
	data, err := os.ReadFile(filepath.Join(dir, IndexName))
	if err != nil {
		return nil, err
	}
	var entries []Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", filepath.Join(dir, IndexName), n, err)
		}
		if !validName(e.Name) || !validName(e.Stored) {
			return nil, fmt.Errorf("%s: line %d: bad file name", filepath.Join(dir, IndexName), n)
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, IndexName), err)
	}
	return entries, nil
}

// validName reports whether s can name a file of the directory.
func validName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\\\x00")
}

// writeIndex replaces the index file of dir with entries, atomically (a
// temporary file renamed over the old index). When sync is set, the file
// and the directory are synced before it returns.
func writeIndex(dir string, entries []Entry, sync bool) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for i := range entries {
		if err := enc.Encode(&entries[i]); err != nil {
			return err
		}
	}
	return writeFileAtomic(filepath.Join(dir, IndexName), b.Bytes(), sync)
}

// writeFileAtomic writes data to a temporary file renamed over path.
func writeFileAtomic(path string, data []byte, sync bool) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
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
		return syncDir(filepath.Dir(path))
	}
	return nil
}

// syncDir fsyncs the directory dir, making renames and creations in it
// durable.
func syncDir(dir string) error {
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

// storedName is a stored file's name taken apart.
type storedName struct {
	name      string // the server's name
	comp      Compression
	encrypted bool
	partial   bool
}

// parseStored takes a stored file's name apart. ok is false for names that
// are no binlog file: the index, the lock, temporary files, and names
// without a numeric extension.
func parseStored(stored string) (s storedName, ok bool) {
	n := stored
	if strings.HasSuffix(n, AgeSuffix) {
		n, s.encrypted = strings.TrimSuffix(n, AgeSuffix), true
	}
	switch {
	case strings.HasSuffix(n, PartialSuffix):
		n, s.partial = strings.TrimSuffix(n, PartialSuffix), true
	case strings.HasSuffix(n, ZstdSuffix):
		n, s.comp = strings.TrimSuffix(n, ZstdSuffix), Zstd
	case strings.HasSuffix(n, Lz4Suffix):
		n, s.comp = strings.TrimSuffix(n, Lz4Suffix), Lz4
	case strings.HasSuffix(n, GzipSuffix):
		n, s.comp = strings.TrimSuffix(n, GzipSuffix), Gzip
	}
	if strings.HasPrefix(n, ".") || !validName(n) {
		return storedName{}, false
	}
	if _, num := splitBinlogName(n); num < 0 {
		return storedName{}, false
	}
	s.name = n
	return s, true
}

// storedFileName returns the stored name of a binlog file.
func storedFileName(name string, comp Compression, encrypted, partial bool) string {
	s := name
	if partial {
		s += PartialSuffix
	} else {
		s += comp.suffix()
	}
	if encrypted {
		s += AgeSuffix
	}
	return s
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

// nextBinlogName returns the name the server gives the file after name
// ("binlog.000042" → "binlog.000043"), keeping the width of the number.
func nextBinlogName(name string) string {
	base, num := splitBinlogName(name)
	if num < 0 {
		return ""
	}
	width := len(name) - len(base) - 1
	return fmt.Sprintf("%s.%0*d", base, width, num+1)
}

// CompareNames orders binlog file names as the server numbers them: by base
// name, then by the numeric extension.
func CompareNames(a, b string) int {
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

// Files lists the binlog files present in the archive directory dir, in
// order: the order of its index when there is one (files on disk that the
// index does not list follow, by name), else by binlog file name. Entries
// of deleted files are left out; entries not in the index carry Name,
// Stored and Complete only. Where a file is stored twice (a crash between
// compressing it and removing the plain copy), the plain copy is listed.
func Files(dir string) ([]Entry, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	// onDisk maps a server name to its stored file, preferring a plain
	// file, then a partial one, then a compressed or encrypted one.
	rank := func(s storedName) int {
		switch {
		case s.partial:
			return 1
		case s.comp == None && !s.encrypted:
			return 0
		}
		return 2
	}
	onDisk := make(map[string]string)
	for _, de := range des {
		if !de.Type().IsRegular() {
			continue
		}
		s, ok := parseStored(de.Name())
		if !ok {
			continue
		}
		if cur, seen := onDisk[s.name]; seen {
			cs, _ := parseStored(cur)
			if rank(cs) <= rank(s) {
				continue
			}
		}
		onDisk[s.name] = de.Name()
	}
	index, err := ReadIndex(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	var out []Entry
	listed := make(map[string]bool)
	for _, e := range index {
		stored, ok := onDisk[e.Name]
		if !ok || listed[e.Name] || e.Deleted != nil {
			continue
		}
		if stored != e.Stored {
			// The index lags the directory (a crash between renaming and
			// rewriting it): the file on disk wins, and what the index says
			// of the stored bytes no longer applies.
			s, _ := parseStored(stored)
			e.Stored, e.Complete = stored, !s.partial
			e.Compression, e.Encrypted = s.comp, s.encrypted
			e.StoredSize, e.StoredSHA256 = 0, ""
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
	slices.SortFunc(rest, CompareNames)
	for _, name := range rest {
		s, _ := parseStored(onDisk[name])
		out = append(out, Entry{Name: name, Stored: onDisk[name], Complete: !s.partial, Compression: s.comp, Encrypted: s.encrypted})
	}
	return out, nil
}
