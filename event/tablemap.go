package event

// STUB: replaced by the TABLE_MAP implementation.

// TableMap is the TABLE_MAP_EVENT body.
type TableMap struct {
	TableID uint64
	Flags   uint16
	Schema  []byte
	Table   []byte
}

// EventType returns TableMapEvent.
func (*TableMap) EventType() Type { return TableMapEvent }

// DecodeBody decodes the body.
func (t *TableMap) DecodeBody(f *FormatDescription, _ Type, b []byte) error {
	return unsupportedf("table map")
}

// AppendBody appends the encoded body.
func (t *TableMap) AppendBody(dst []byte, f *FormatDescription) ([]byte, error) {
	return dst, unsupportedf("table map")
}

// Clone returns a deep copy.
func (t *TableMap) Clone() *TableMap { c := *t; return &c }

// CopyTo makes dst a deep copy of t, reusing dst's buffers.
func (t *TableMap) CopyTo(dst *TableMap) { *dst = *t }

func init() { register(func() Body { return new(TableMap) }, TableMapEvent) }
