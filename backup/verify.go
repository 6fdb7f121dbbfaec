package backup

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// VerifyOptions configure Verify.
type VerifyOptions struct {
	// Identities decrypt age-encrypted files.
	Identities []age.Identity
	// Keys decrypt binlogs encrypted by the server (files copied into the
	// archive from a server's disk); an archive made from a replication
	// stream needs none.
	Keys binlog.KeyProvider
	// Record writes the outcome to DIR/binlogbackup.verified, where
	// LastVerified and binlogbackup's metrics read it.
	Record bool
}

// Report is what Verify found.
type Report struct {
	Dir  string    `json:"dir"`
	Time time.Time `json:"time"`
	// Files describes each file read, in order.
	Files []FileReport `json:"files"`
	// Problems lists what is wrong, in the order found: the first is the
	// first problem of the archive.
	Problems []Problem `json:"problems"`
	// Notes lists what a reader of the archive should know but is not
	// damage: files removed by retention, recorded purge gaps, the file
	// being written ending inside an event.
	Notes []string `json:"notes,omitempty"`
}

// OK reports whether no problem was found.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// FileReport describes one file as Verify read it.
type FileReport struct {
	Name   string `json:"name"`
	Stored string `json:"stored"`
	// Size is the length of the binlog bytes read (decrypted,
	// decompressed); Events the events in them.
	Size   uint64 `json:"size"`
	Events uint64 `json:"events"`
	// Transactions counts the GTIDs seen (0 without GTIDs).
	Transactions uint64 `json:"transactions"`
	FirstGTID    string `json:"first_gtid,omitempty"`
	LastGTID     string `json:"last_gtid,omitempty"`
	SHA256       string `json:"sha256"`
	Partial      bool   `json:"partial,omitempty"`
	OK           bool   `json:"ok"`
}

// Problem is one thing wrong with the archive: the file (the server's name
// and the stored file) and the byte offset in the binlog file (decrypted
// and decompressed) where it shows.
type Problem struct {
	File   string `json:"file"`
	Stored string `json:"stored,omitempty"`
	Offset uint64 `json:"offset"`
	What   string `json:"what"`
}

// String returns "FILE (stored STORED): at byte N: what".
func (p Problem) String() string {
	s := p.File
	if p.Stored != "" && p.Stored != p.File {
		s += " (stored " + p.Stored + ")"
	}
	return fmt.Sprintf("%s: at byte %d: %s", s, p.Offset, p.What)
}

// Verify reads every file of the archive directory dir back, decrypting and
// decompressing it, and checks: the binlog magic; every event's CRC32; the
// end_log_pos chain (each event's end position is where the next starts);
// that a ROTATE ends its file and names the next file of the archive, and
// that the server id does not change across a ROTATE; GTID continuity
// across files (each file's PREVIOUS_GTIDS or GTID_LIST equals what the
// previous file started from plus its transactions); that no file of the
// chain is missing unless the index records its removal or a purge gap; and
// the index: every listed file present, its size, event count and the
// SHA-256 of the binlog and of the stored bytes. The file being written is
// read up to its last whole event.
//
// The returned error is for a directory that cannot be read at all; what is
// wrong with its files is in the Report's Problems.
func Verify(ctx context.Context, dir string, opts VerifyOptions) (*Report, error) {
	rep := &Report{Dir: dir, Time: time.Now().UTC()}
	index, err := ReadIndex(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	present, err := Files(dir)
	if err != nil {
		return nil, err
	}
	if len(present) == 0 {
		return nil, fmt.Errorf("backup: %s: no binlog files in the directory", dir)
	}
	v := &verifier{opts: opts, rep: rep}
	// The index's files that are not there.
	have := make(map[string]bool)
	for _, e := range present {
		have[e.Name] = true
	}
	deleted := make(map[string]*Entry)
	for i := range index {
		e := &index[i]
		switch {
		case e.Deleted != nil:
			deleted[e.Name] = e
		case !have[e.Name]:
			v.problem(Problem{File: e.Name, Stored: e.Stored, What: "missing: the index lists it, the directory does not hold it"})
		}
	}
	if len(index) == 0 {
		rep.Notes = append(rep.Notes, "no index: nothing to compare sizes and checksums with")
	}
	var prev *fileState
	for i := range present {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e := &present[i]
		linked := false
		if prev != nil {
			linked = v.link(prev, e, deleted)
		} else if e.Gap != nil {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s starts a chain after a purge gap (missing: %s)", e.Name, e.Gap.Missing))
		}
		st := v.file(ctx, dir, e, i == len(present)-1)
		if linked && st.ok && prev.ok {
			v.continuity(prev, st)
		}
		prev = st
	}
	if n := len(deleted); n > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d files removed by retention (recorded in the index)", n))
	}
	if opts.Record {
		if err := writeVerified(dir, rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// verifier holds the report being built.
type verifier struct {
	opts VerifyOptions
	rep  *Report
}

func (v *verifier) problem(p Problem) { v.rep.Problems = append(v.rep.Problems, p) }

// fileState is what a file's check learnt, for the next file's.
type fileState struct {
	e  *Entry
	ok bool // read to its end without a problem
	// The file's start set (PREVIOUS_GTIDS / GTID_LIST), whether it had
	// one, and that set plus its transactions.
	start    *binlog.GTIDSet
	hasStart bool
	end      *binlog.GTIDSet
	flavor   event.Flavor
	serverID uint32
	// rotate is the next file a ROTATE named ("" when the file ended
	// otherwise), rotatePos its offset and rotateSID its server id.
	rotate    string
	rotatePos uint64
	rotateSID uint32
}

// link checks that e follows prev in the chain; false when it does not.
func (v *verifier) link(prev *fileState, e *Entry, deleted map[string]*Entry) bool {
	if e.Gap != nil {
		v.rep.Notes = append(v.rep.Notes, fmt.Sprintf("%s starts a new chain after a purge gap (missing: %s); the archive cannot be read or restored across it", e.Name, e.Gap.Missing))
		return false
	}
	want := prev.rotate
	if want == "" {
		want = nextBinlogName(prev.e.Name)
	}
	if want == "" || want == e.Name {
		return true
	}
	wb, _ := splitBinlogName(want)
	eb, _ := splitBinlogName(e.Name)
	if wb != eb || CompareNames(want, e.Name) > 0 {
		v.problem(Problem{File: prev.e.Name, Stored: prev.e.Stored, Offset: prev.rotatePos,
			What: fmt.Sprintf("ROTATE names %s, but the next file of the archive is %s", want, e.Name)})
		return false
	}
	for ; want != "" && CompareNames(want, e.Name) < 0; want = nextBinlogName(want) {
		if deleted[want] != nil {
			continue
		}
		how := "follows it"
		if prev.rotate != "" {
			how = "rotates to it"
		}
		v.problem(Problem{File: want, What: fmt.Sprintf("missing: %s %s, the archive's next file is %s, and the index records no removal of %s", prev.e.Name, how, e.Name, want)})
		return false
	}
	return true
}

// continuity checks the GTIDs and the server across two adjacent files.
func (v *verifier) continuity(prev, cur *fileState) {
	if cur.e.Gap != nil {
		return
	}
	if prev.rotate != "" && prev.rotateSID != cur.serverID && cur.serverID != 0 {
		v.problem(Problem{File: cur.e.Name, Stored: cur.e.Stored, Offset: event.MagicLen,
			What: fmt.Sprintf("written by server id %d, but %s rotated to it from server id %d (a file from another server?)", cur.serverID, prev.e.Name, prev.rotateSID)})
		return
	}
	switch {
	case !prev.hasStart && !cur.hasStart:
	case prev.hasStart && !cur.hasStart:
		v.problem(Problem{File: cur.e.Name, Stored: cur.e.Stored, Offset: event.MagicLen,
			What: fmt.Sprintf("no %s event, while %s has one", startEventName(prev.flavor), prev.e.Name)})
	case !prev.hasStart:
	case !cur.start.Equal(prev.end):
		v.problem(Problem{File: cur.e.Name, Stored: cur.e.Stored, Offset: event.MagicLen,
			What: fmt.Sprintf("GTIDs do not continue: %s says the file starts after %q, but %s started after %q and holds transactions up to %q (a file from another server, or files missing?)",
				startEventName(cur.flavor), cur.start.String(), prev.e.Name, prev.start.String(), prev.end.String())})
	}
}

func startEventName(f event.Flavor) string {
	if f == event.MariaDB {
		return "GTID_LIST"
	}
	return "PREVIOUS_GTIDS"
}

// hashCounter hashes and counts what is read through it.
type hashCounter struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (c *hashCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}

// file checks one file.
func (v *verifier) file(ctx context.Context, dir string, e *Entry, last bool) *fileState {
	st := &fileState{e: e, start: new(binlog.GTIDSet), end: new(binlog.GTIDSet)}
	fr := FileReport{Name: e.Name, Stored: e.Stored, Partial: !e.Complete}
	problems := len(v.rep.Problems)
	var end uint64 = event.MagicLen // just past the last whole event
	defer func() {
		fr.Size = end
		fr.OK = len(v.rep.Problems) == problems
		st.ok = fr.OK
		v.rep.Files = append(v.rep.Files, fr)
	}()
	bad := func(off uint64, format string, args ...any) {
		v.problem(Problem{File: e.Name, Stored: e.Stored, Offset: off, What: fmt.Sprintf(format, args...)})
	}
	path := filepath.Join(dir, e.Stored)
	f, err := os.Open(path)
	if err != nil {
		bad(0, "%v", err)
		return st
	}
	defer f.Close()
	storedHash := &hashCounter{r: f, h: sha256.New()}
	fi, _ := f.Stat()
	// strict: the file is as its writer left it when it closed (a complete
	// file, or a .partial whose stored size the index recorded at Close).
	strict := e.Complete || e.StoredSize > 0 && fi != nil && fi.Size() == e.StoredSize
	plainR, closeDec, err := decodeStored(bufio.NewReaderSize(storedHash, 256<<10), v.opts.Identities)
	if err != nil {
		bad(0, "%v", err)
		return st
	}
	if closeDec != nil {
		defer closeDec()
	}
	plain := &hashCounter{r: plainR, h: sha256.New()}
	src := binlog.NewStreamSource(plain, e.Name)
	defer src.Close()
	ropts := []binlog.Option{binlog.WithChecksumVerification(true), binlog.WithPayloadExpansion(false)}
	if v.opts.Keys != nil {
		ropts = append(ropts, binlog.WithKeys(v.opts.Keys))
	}
	r := binlog.NewReader(src, ropts...)
	var (
		closedBy event.Type // ROTATE or STOP, once read
		inUse    bool
		readErr  error
	)
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		if ev.InPayload {
			continue
		}
		fr.Events++
		h := ev.Header
		if closedBy != 0 {
			bad(ev.Pos, "a %s event after the %s that ends the file", h.Type, closedBy)
			return st
		}
		if ev.Pos != end {
			bad(ev.Pos, "event at %d, but the previous one ends at %d", ev.Pos, end)
			return st
		}
		end = ev.NextPos
		if h.LogPos != 0 && h.LogPos != uint32(ev.NextPos) {
			bad(ev.Pos, "%s event: end_log_pos %d, but it ends at %d", h.Type, h.LogPos, ev.NextPos)
			return st
		}
		switch b := ev.Body.(type) {
		case *event.FormatDescription:
			if fr.Events == 1 {
				st.serverID = h.ServerID
				st.flavor = b.Flavor()
				inUse = h.Flags&event.FlagBinlogInUse != 0
			}
		case *event.PreviousGTIDs:
			if !st.hasStart {
				st.hasStart = true
				if err := st.start.AddPreviousGTIDs(b); err != nil {
					bad(ev.Pos, "PREVIOUS_GTIDS: %v", err)
					return st
				}
				st.end.AddSet(st.start)
			}
		case *event.MariaGTIDList:
			if !st.hasStart {
				st.hasStart = true
				if err := st.start.AddMariaGTIDList(b); err != nil {
					bad(ev.Pos, "GTID_LIST: %v", err)
					return st
				}
				st.end.AddSet(st.start)
			}
		case *event.Rotate:
			if h.Flags&event.FlagArtificial == 0 && h.LogPos != 0 {
				closedBy = h.Type
				st.rotate, st.rotatePos, st.rotateSID = string(b.NextFile), ev.Pos, h.ServerID
			}
		case *event.Stop:
			closedBy = h.Type
		}
		if g, ok := binlog.GTIDFromEvent(ev.Body, h.ServerID); ok {
			fr.Transactions++
			gs := g.String()
			if fr.FirstGTID == "" {
				fr.FirstGTID = gs
			}
			fr.LastGTID = gs
			if g.Flavor == event.MySQL && st.end.Contains(g) {
				bad(ev.Pos, "GTID %s appears again (it is in the set the file started after, or earlier in it)", gs)
				return st
			}
			st.end.Add(g)
		}
	}
	tailFile, tailOff, tailN := src.Tail()
	_ = tailFile
	if readErr != nil {
		off := end
		if be, ok := binlog.AsError(readErr); ok {
			off = be.Offset
		}
		cut := errors.Is(readErr, binlog.ErrTruncated) || errors.Is(readErr, io.ErrUnexpectedEOF)
		if !strict && last && (cut || e.Encrypted) {
			v.rep.Notes = append(v.rep.Notes, fmt.Sprintf("%s: the file being written ends inside an event at byte %d (%v)", e.Name, off, unwrapPos(readErr)))
		} else {
			bad(off, "%v", unwrapPos(readErr))
			return st
		}
	} else if tailN > 0 {
		if strict {
			bad(tailOff, "%d bytes after the last whole event", tailN)
			return st
		}
		v.rep.Notes = append(v.rep.Notes, fmt.Sprintf("%s: the file being written ends inside an event at byte %d", e.Name, tailOff))
	}
	if fr.Events == 0 {
		if strict || end == event.MagicLen && e.Size > event.MagicLen {
			bad(event.MagicLen, "no FORMAT_DESCRIPTION: the file holds no event")
			return st
		}
	}
	if readErr == nil {
		// The rest of the bytes, for the sizes and checksums.
		if _, err := io.Copy(io.Discard, plain); err != nil {
			bad(uint64(plain.n), "%v", err)
			return st
		}
		if _, err := io.Copy(io.Discard, storedHash); err != nil {
			bad(uint64(plain.n), "%v", err)
			return st
		}
		fr.SHA256 = hex.EncodeToString(plain.h.Sum(nil))
	}
	if !e.Complete && strict && !inUse && fr.Events > 0 {
		bad(event.MagicLen, "the file being written lacks the in-use flag its FORMAT_DESCRIPTION carries while open")
		return st
	}
	if e.Complete && closedBy != 0 && inUse {
		bad(event.MagicLen, "FORMAT_DESCRIPTION still flagged in use, though the file ends with %s", closedBy)
		return st
	}
	// The index.
	if e.Size != 0 || e.Events != 0 {
		switch {
		case strict && e.Size != end:
			bad(end, "the index says %d bytes, the file holds %d", e.Size, end)
		case !strict && e.Size > end:
			bad(end, "the index says %d bytes were written, the file's whole events end at %d", e.Size, end)
		case strict && e.Events != 0 && e.Events != fr.Events:
			bad(end, "the index says %d events, the file holds %d", e.Events, fr.Events)
		case e.SHA256 != "" && readErr == nil && e.SHA256 != fr.SHA256:
			bad(0, "SHA-256 %s differs from the index's %s", fr.SHA256, e.SHA256)
		case e.StoredSize > 0 && strict && readErr == nil && storedHash.n != e.StoredSize:
			bad(0, "the stored file has %d bytes, the index says %d", storedHash.n, e.StoredSize)
		case e.StoredSHA256 != "" && readErr == nil && hex.EncodeToString(storedHash.h.Sum(nil)) != e.StoredSHA256:
			bad(0, "the stored file's SHA-256 %s differs from the index's %s", hex.EncodeToString(storedHash.h.Sum(nil)), e.StoredSHA256)
		case e.ServerID != 0 && st.serverID != 0 && e.ServerID != st.serverID:
			bad(event.MagicLen, "server id %d, the index says %d", st.serverID, e.ServerID)
		}
	}
	return st
}

// unwrapPos returns a positioned error's cause (the Problem carries the
// file and offset).
func unwrapPos(err error) error {
	if be, ok := binlog.AsError(err); ok {
		s := be.Err.Error()
		if be.HasType {
			s = be.Type.String() + ": " + s
		}
		return errors.New(s)
	}
	return err
}

// verified is the record Verify writes.
type verified struct {
	Time     time.Time `json:"time"`
	OK       bool      `json:"ok"`
	Files    int       `json:"files"`
	Problems int       `json:"problems"`
	First    string    `json:"first_problem,omitempty"`
}

func writeVerified(dir string, rep *Report) error {
	r := verified{Time: rep.Time, OK: rep.OK(), Files: len(rep.Files), Problems: len(rep.Problems)}
	if len(rep.Problems) > 0 {
		r.First = rep.Problems[0].String()
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, VerifiedName), append(b, '\n'), false)
}

func readVerified(dir string) (verified, error) {
	var r verified
	b, err := os.ReadFile(filepath.Join(dir, VerifiedName))
	if err != nil {
		return r, err
	}
	err = json.Unmarshal([]byte(strings.TrimSpace(string(b))), &r)
	return r, err
}
