package event

// PENDING: placeholders until the ROTATE and QUERY bodies land; removed then.

// Rotate is the ROTATE_EVENT body.
type Rotate struct {
	Position uint64
	NextFile []byte
}

// EventType returns RotateEvent.
func (*Rotate) EventType() Type { return RotateEvent }

// DecodeBody decodes the body.
func (r *Rotate) DecodeBody(f *FormatDescription, t Type, b []byte) error { return nil }

// AppendBody appends the body.
func (r *Rotate) AppendBody(dst []byte, f *FormatDescription) ([]byte, error) { return dst, nil }

// Query is the QUERY_EVENT body.
type Query struct{ Schema, Query []byte }

// EventType returns QueryEvent.
func (*Query) EventType() Type { return QueryEvent }

// DecodeBody decodes the body.
func (q *Query) DecodeBody(f *FormatDescription, t Type, b []byte) error { return nil }

// AppendBody appends the body.
func (q *Query) AppendBody(dst []byte, f *FormatDescription) ([]byte, error) { return dst, nil }

// IsBegin reports BEGIN.
func (q *Query) IsBegin() bool { return false }

// IsCommit reports COMMIT.
func (q *Query) IsCommit() bool { return false }

// IsRollback reports ROLLBACK.
func (q *Query) IsRollback() bool { return false }
