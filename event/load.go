package event

import (
	"bytes"
	"iter"

	"github.com/binlogkit/binlogkit/internal/bin"
)

// The LOAD DATA INFILE family. MySQL 3.23–4.x logged LOAD DATA with LOAD
// (6), later NEW_LOAD (12) or CREATE_FILE (8) + APPEND_BLOCK (9) +
// EXEC_LOAD (10) / DELETE_FILE (11); from 5.0.3 on with BEGIN_LOAD_QUERY
// (17) + APPEND_BLOCK + EXECUTE_LOAD_QUERY (18) / DELETE_FILE.

func init() {
	register(func() Body { return new(Load) }, LoadEvent, NewLoadEvent, CreateFileEvent)
	register(func() Body { return new(AppendBlock) }, AppendBlockEvent, BeginLoadQueryEvent)
	register(func() Body { return new(ExecLoad) }, ExecLoadEvent)
	register(func() Body { return new(DeleteFile) }, DeleteFileEvent)
	register(func() Body { return new(ExecuteLoadQuery) }, ExecuteLoadQueryEvent)
}

// loadPostHeader is the LOAD post-header: thread id 4, exec time 4, skip
// lines 4, table name length 1, schema length 1, field count 4.
const loadPostHeader = 18

// LOAD DATA option flags (Load.OptFlags).
const (
	LoadOptEnclosed = 0x2 // OPTIONALLY ENCLOSED BY
	LoadOptReplace  = 0x4 // REPLACE
	LoadOptIgnore   = 0x8 // IGNORE
)

// Empty-string flags of the old LOAD format (Load.EmptyFlags).
const (
	LoadFieldTermEmpty = 0x1
	LoadEnclosedEmpty  = 0x2
	LoadLineTermEmpty  = 0x4
	LoadLineStartEmpty = 0x8
	LoadEscapedEmpty   = 0x10
)

// Load is the body of LOAD_EVENT (6), NEW_LOAD_EVENT (12) and
// CREATE_FILE_EVENT (8): a LOAD DATA INFILE statement in its pre-5.0
// structured form. CREATE_FILE also carries the file id and the first
// block of the data file. Its []byte fields alias the decoded bytes.
type Load struct {
	// Type is LoadEvent, NewLoadEvent or CreateFileEvent; the zero value
	// encodes as NewLoadEvent.
	Type      Type
	ThreadID  uint32
	ExecTime  uint32
	SkipLines uint32 // IGNORE n LINES
	// FieldTerm, Enclosed, LineTerm, LineStart and Escaped are the
	// FIELDS TERMINATED BY, ENCLOSED BY, LINES TERMINATED BY, LINES
	// STARTING BY and ESCAPED BY strings. In LOAD_EVENT's old format each
	// is the single byte stored, and EmptyFlags says which are empty.
	FieldTerm, Enclosed, LineTerm, LineStart, Escaped []byte
	OptFlags                                          uint8
	EmptyFlags                                        uint8 // LOAD_EVENT only
	// FieldLens holds one length byte per column of the column list, and
	// Fields the column names, each followed by a NUL; iterate them with
	// FieldNames.
	FieldLens []byte
	Fields    []byte
	Table     []byte
	Schema    []byte
	FileName  []byte // the file the primary read
	// FileID and Block are set for CREATE_FILE: the id later events name
	// and the first block of the file's contents.
	FileID uint32
	Block  []byte
}

// EventType returns the type the body encodes as.
func (e *Load) EventType() Type {
	if e.Type == 0 {
		return NewLoadEvent
	}
	return e.Type
}

// oldFormat reports whether the sql_ex block is LOAD_EVENT's 7-byte form.
func (e *Load) oldFormat() bool { return e.EventType() == LoadEvent }

// DecodeBody decodes the body.
func (e *Load) DecodeBody(f *FormatDescription, t Type, b []byte) error {
	*e = Load{Type: t}
	if phl := f.PostHeaderLen(LoadEvent, loadPostHeader); phl != loadPostHeader {
		return unsupportedf("load: post-header length %d", phl)
	}
	r := bin.NewReader(b)
	e.ThreadID = r.U32()
	e.ExecTime = r.U32()
	e.SkipLines = r.U32()
	tl := int(r.U8())
	dl := int(r.U8())
	nf := r.U32()
	if t == CreateFileEvent {
		if phl := f.PostHeaderLen(CreateFileEvent, 4); phl != 4 {
			return unsupportedf("create file: post-header length %d", phl)
		}
		e.FileID = r.U32()
	}
	if r.Err() != nil {
		return short("load")
	}
	if e.oldFormat() {
		e.FieldTerm, e.Enclosed, e.LineTerm, e.LineStart, e.Escaped = r.Bytes(1), r.Bytes(1), r.Bytes(1), r.Bytes(1), r.Bytes(1)
		e.OptFlags = r.U8()
		e.EmptyFlags = r.U8()
	} else {
		e.FieldTerm = r.Bytes(int(r.U8()))
		e.Enclosed = r.Bytes(int(r.U8()))
		e.LineTerm = r.Bytes(int(r.U8()))
		e.LineStart = r.Bytes(int(r.U8()))
		e.Escaped = r.Bytes(int(r.U8()))
		e.OptFlags = r.U8()
	}
	if r.Err() != nil {
		return corruptf("load: options run past the body")
	}
	if uint64(nf) > uint64(r.Len()) {
		return corruptf("load: %d fields in a body of %d bytes", nf, len(b))
	}
	e.FieldLens = r.Bytes(int(nf))
	from := r.Off
	for _, l := range e.FieldLens {
		r.Skip(int(l))
		if c := r.U8(); c != 0 && r.Err() == nil {
			return corruptf("load: field name not NUL-terminated")
		}
	}
	if r.Err() != nil {
		return corruptf("load: field names run past the body")
	}
	e.Fields = b[from:r.Off:r.Off]
	e.Table = r.Bytes(tl)
	if c := r.U8(); c != 0 && r.Err() == nil {
		return corruptf("load: table name not NUL-terminated")
	}
	e.Schema = r.Bytes(dl)
	if c := r.U8(); c != 0 && r.Err() == nil {
		return corruptf("load: schema not NUL-terminated")
	}
	if r.Err() != nil {
		return corruptf("load: names run past the body")
	}
	rest := r.Rest()
	if t != CreateFileEvent {
		e.FileName = rest
		return nil
	}
	i := bytes.IndexByte(rest, 0)
	if i < 0 {
		return corruptf("create file: file name not NUL-terminated")
	}
	e.FileName, e.Block = rest[:i:i], rest[i+1:]
	return nil
}

// FieldNames returns an iterator over the column names of the column list;
// the names alias the decoded bytes.
func (e *Load) FieldNames() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		b := e.Fields
		for _, l := range e.FieldLens {
			if int(l) >= len(b) {
				return
			}
			if !yield(b[:l:l]) {
				return
			}
			b = b[int(l)+1:]
		}
	}
}

// AppendBody appends the encoded body.
func (e *Load) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	if len(e.Table) > 255 || len(e.Schema) > 255 {
		return dst, corruptf("load: name longer than 255 bytes")
	}
	dst = bin.AppendU32(dst, e.ThreadID)
	dst = bin.AppendU32(dst, e.ExecTime)
	dst = bin.AppendU32(dst, e.SkipLines)
	dst = append(dst, byte(len(e.Table)), byte(len(e.Schema)))
	dst = bin.AppendU32(dst, uint32(len(e.FieldLens)))
	if e.EventType() == CreateFileEvent {
		dst = bin.AppendU32(dst, e.FileID)
	}
	opts := [5][]byte{e.FieldTerm, e.Enclosed, e.LineTerm, e.LineStart, e.Escaped}
	if e.oldFormat() {
		for _, s := range opts {
			if len(s) > 1 {
				return dst, corruptf("load: old format option of %d bytes", len(s))
			}
			if len(s) == 0 {
				dst = append(dst, 0)
			} else {
				dst = append(dst, s[0])
			}
		}
		dst = append(dst, e.OptFlags, e.EmptyFlags)
	} else {
		for _, s := range opts {
			if len(s) > 255 {
				return dst, corruptf("load: option of %d bytes", len(s))
			}
			dst = appendLen8(dst, s)
		}
		dst = append(dst, e.OptFlags)
	}
	want := len(e.FieldLens)
	for _, l := range e.FieldLens {
		want += int(l)
	}
	if want != len(e.Fields) {
		return dst, corruptf("load: field names of %d bytes, lengths say %d", len(e.Fields), want)
	}
	dst = append(dst, e.FieldLens...)
	dst = append(dst, e.Fields...)
	dst = append(append(dst, e.Table...), 0)
	dst = append(append(dst, e.Schema...), 0)
	dst = append(dst, e.FileName...)
	if e.EventType() == CreateFileEvent {
		dst = append(append(dst, 0), e.Block...)
	}
	return dst, nil
}

// AppendBlock is the body of APPEND_BLOCK_EVENT (9) and
// BEGIN_LOAD_QUERY_EVENT (17): a block of a LOAD DATA file's contents.
// BEGIN_LOAD_QUERY carries the first block. Block aliases the decoded bytes.
type AppendBlock struct {
	// Type is AppendBlockEvent or BeginLoadQueryEvent; the zero value
	// encodes as AppendBlockEvent.
	Type   Type
	FileID uint32
	// PostHeaderExtra holds post-header bytes beyond the 4-byte file id
	// when the format description announces more (pre-GA 5.2 servers
	// reused these type codes with longer post-headers).
	PostHeaderExtra []byte
	Block           []byte
}

// EventType returns the type the body encodes as.
func (e *AppendBlock) EventType() Type {
	if e.Type == 0 {
		return AppendBlockEvent
	}
	return e.Type
}

// DecodeBody decodes the body.
func (e *AppendBlock) DecodeBody(f *FormatDescription, t Type, b []byte) error {
	*e = AppendBlock{Type: t}
	r := bin.NewReader(b)
	e.FileID = r.U32()
	if phl := f.PostHeaderLen(t, 4); phl > 4 {
		e.PostHeaderExtra = r.Bytes(phl - 4)
	}
	if r.Err() != nil {
		return short(t.String())
	}
	e.Block = r.Rest()
	return nil
}

// AppendBody appends the encoded body.
func (e *AppendBlock) AppendBody(dst []byte, f *FormatDescription) ([]byte, error) {
	dst = bin.AppendU32(dst, e.FileID)
	if phl := f.PostHeaderLen(e.EventType(), 4); phl > 4 {
		dst = appendFixed(dst, e.PostHeaderExtra, phl-4)
	}
	return append(dst, e.Block...), nil
}

// ExecLoad is the EXEC_LOAD_EVENT (10) body: load the file FileID as the
// preceding CREATE_FILE described.
type ExecLoad struct {
	FileID uint32
}

// EventType returns ExecLoadEvent.
func (*ExecLoad) EventType() Type { return ExecLoadEvent }

// DecodeBody decodes the body; it must be exactly 4 bytes.
func (e *ExecLoad) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*e = ExecLoad{}
	if len(b) != 4 {
		return corruptf("exec load: body of %d bytes, want 4", len(b))
	}
	e.FileID = uint32(bin.Uint(b))
	return nil
}

// AppendBody appends the encoded body.
func (e *ExecLoad) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	return bin.AppendU32(dst, e.FileID), nil
}

// DeleteFile is the DELETE_FILE_EVENT (11) body: discard the file FileID
// (the LOAD DATA failed on the primary).
type DeleteFile struct {
	FileID uint32
}

// EventType returns DeleteFileEvent.
func (*DeleteFile) EventType() Type { return DeleteFileEvent }

// DecodeBody decodes the body; it must be exactly 4 bytes.
func (e *DeleteFile) DecodeBody(_ *FormatDescription, _ Type, b []byte) error {
	*e = DeleteFile{}
	if len(b) != 4 {
		return corruptf("delete file: body of %d bytes, want 4", len(b))
	}
	e.FileID = uint32(bin.Uint(b))
	return nil
}

// AppendBody appends the encoded body.
func (e *DeleteFile) AppendBody(dst []byte, _ *FormatDescription) ([]byte, error) {
	return bin.AppendU32(dst, e.FileID), nil
}

// Duplicate handling of EXECUTE_LOAD_QUERY (ExecuteLoadQuery.DupHandling).
const (
	LoadDupError   = 0
	LoadDupIgnore  = 1
	LoadDupReplace = 2
)

// executeLoadQueryPostHeader is QUERY's 13 bytes plus file id 4, file name
// start 4, file name end 4 and duplicate handling 1.
const executeLoadQueryPostHeader = 26

// ExecuteLoadQuery is the EXECUTE_LOAD_QUERY_EVENT (18) body: a LOAD DATA
// statement (in the embedded Query) to run on the file FileID assembled
// from the preceding BEGIN_LOAD_QUERY and APPEND_BLOCK events.
// Query[FileNameStart:FileNameEnd] is the " INFILE '…' INTO" clause naming
// the primary's file, the span mysqlbinlog replaces with a local file.
// Its []byte fields alias the decoded bytes.
type ExecuteLoadQuery struct {
	Query
	FileID        uint32
	FileNameStart uint32
	FileNameEnd   uint32
	DupHandling   uint8
	// Foreign holds the whole body, and no other field is set, when the
	// format description gives type 18 a post-header too short for this
	// layout: pre-GA MySQL 5.2 trees used the code for a rows event.
	Foreign []byte
}

// EventType returns ExecuteLoadQueryEvent.
func (*ExecuteLoadQuery) EventType() Type { return ExecuteLoadQueryEvent }

// DecodeBody decodes the body.
func (e *ExecuteLoadQuery) DecodeBody(f *FormatDescription, _ Type, b []byte) error {
	*e = ExecuteLoadQuery{Query: Query{Type: ExecuteLoadQueryEvent, buf: e.buf[:0], z: e.z}}
	phl := f.PostHeaderLen(ExecuteLoadQueryEvent, executeLoadQueryPostHeader)
	if phl < executeLoadQueryPostHeader {
		e.Foreign = b[:len(b):len(b)]
		if e.Foreign == nil {
			e.Foreign = []byte{} // an empty foreign body is still one
		}
		return nil
	}
	rest, err := e.decodeCommon(phl, b)
	if err != nil {
		return err
	}
	x := e.PostHeaderExtra
	e.FileID = uint32(bin.Uint(x[0:4]))
	e.FileNameStart = uint32(bin.Uint(x[4:8]))
	e.FileNameEnd = uint32(bin.Uint(x[8:12]))
	e.DupHandling = x[12]
	e.PostHeaderExtra = x[13:]
	e.Query.Query = rest
	return nil
}

// FileClause returns Query[FileNameStart:FileNameEnd], the clause that
// names the file, or nil when the offsets do not fit the text.
func (e *ExecuteLoadQuery) FileClause() []byte {
	if e.FileNameStart > e.FileNameEnd || uint64(e.FileNameEnd) > uint64(len(e.Query.Query)) {
		return nil
	}
	return e.Query.Query[e.FileNameStart:e.FileNameEnd:e.FileNameEnd]
}

// AppendBody appends the encoded body.
func (e *ExecuteLoadQuery) AppendBody(dst []byte, f *FormatDescription) ([]byte, error) {
	if e.Foreign != nil {
		return append(dst, e.Foreign...), nil
	}
	phl := f.PostHeaderLen(ExecuteLoadQueryEvent, executeLoadQueryPostHeader)
	if phl < executeLoadQueryPostHeader {
		return dst, unsupportedf("execute load query: post-header length %d", phl)
	}
	var x [executeLoadQueryPostHeader - 13]byte
	d := bin.AppendU32(x[:0], e.FileID)
	d = bin.AppendU32(d, e.FileNameStart)
	d = bin.AppendU32(d, e.FileNameEnd)
	d = append(d, e.DupHandling)
	d = appendFixed(d, e.PostHeaderExtra, phl-executeLoadQueryPostHeader)
	dst, err := e.appendCommon(dst, phl, d)
	if err != nil {
		return dst, err
	}
	return append(dst, e.Query.Query...), nil
}
