package flashback

import (
	"fmt"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// InvertedType returns the rows event type that undoes a rows event of type
// t: WRITE and DELETE swap, UPDATE stays UPDATE. Pre-GA types become v1 and
// MariaDB compressed types become their uncompressed v1 or v2 counterparts,
// since the inverted event is written uncompressed; MySQL's
// PARTIAL_UPDATE_ROWS becomes UPDATE_ROWS (v2), since the inverted event
// carries full images. It returns false for types that are not rows
// events.
func InvertedType(t event.Type) (event.Type, bool) {
	switch t {
	case event.PartialUpdateRowsEvent:
		return event.UpdateRowsEventV2, true
	case event.PreGAWriteRowsEvent, event.WriteRowsEventV1, event.MariaWriteRowsCompressedV1:
		return event.DeleteRowsEventV1, true
	case event.PreGADeleteRowsEvent, event.DeleteRowsEventV1, event.MariaDeleteRowsCompressedV1:
		return event.WriteRowsEventV1, true
	case event.PreGAUpdateRowsEvent, event.UpdateRowsEventV1, event.MariaUpdateRowsCompressedV1:
		return event.UpdateRowsEventV1, true
	case event.WriteRowsEventV2, event.MariaWriteRowsCompressed:
		return event.DeleteRowsEventV2, true
	case event.DeleteRowsEventV2, event.MariaDeleteRowsCompressed:
		return event.WriteRowsEventV2, true
	case event.UpdateRowsEventV2, event.MariaUpdateRowsCompressed:
		return event.UpdateRowsEventV2, true
	}
	return 0, false
}

// fullBitmap reports whether the first n bits of b are all set.
func fullBitmap(b []byte, n uint64) bool {
	if uint64(len(b))*8 < n {
		return false
	}
	for i := uint64(0); i < n; i++ {
		if b[i/8]&(1<<(i%8)) == 0 {
			return false
		}
	}
	return true
}

// Inverter turns rows events into the rows events that undo them. It reuses
// its buffers: the Rows it returns is valid until the next call. The zero
// value is ready.
type Inverter struct {
	out    event.Rows
	data   []byte
	extra  []byte
	bounds []int // per row: start, split (UPDATE: end of before image), end

	// PARTIAL_UPDATE_ROWS: the decoded images, and each row's rebuilt
	// after image in images (bounds: start, end of each).
	before, after, full []rowcodec.Value
	images              []byte
	imageBounds         []int
}

// Invert returns the rows event that undoes r, whose rows are described by
// t: WRITE becomes DELETE and DELETE becomes WRITE with the same images,
// UPDATE swaps each row's before and after images (and the two
// columns-present bitmaps), and the rows are in reverse order. The images
// are moved as raw bytes, so every value is kept exactly. The STMT_END flag
// is cleared (the caller sets it on the last event of a transaction). It
// also returns the number of rows.
//
// r must carry full images: an event whose columns-present bitmaps are not
// all ones (binlog_row_image MINIMAL or NOBLOB) cannot be undone and is
// refused with an error wrapping ErrUnsafe. A MariaDB compressed event is
// decompressed.
//
// A PARTIAL_UPDATE_ROWS event (MySQL's binlog_row_value_options=
// PARTIAL_JSON, which logs every UPDATE so) becomes an UPDATE_ROWS event:
// its before image is full (binlog_row_image=FULL), and the JSON columns of
// its after image that carry diffs instead of documents are rebuilt by
// applying the diffs to the before image's documents
// (rowcodec.ApplyJSONDiffs). The rebuilt documents are serialized afresh:
// they hold the same JSON as the row the server updated in place, not the
// same bytes (an update in place leaves holes, JSON_STORAGE_FREE), and
// MySQL finds the row by them all the same, keyless tables included
// (checked against MySQL 9.7).
//
// The images' bounds of a table of MariaDB's older temporal formats depend
// on precisions the Table_map does not carry: give them to t first
// (rowcodec.Table.SetPrecision); rows that do not fit t's precisions are
// refused with a *rowcodec.PrecisionError (Table.CheckPrecision).
func (iv *Inverter) Invert(t *rowcodec.Table, r *event.Rows) (*event.Rows, int, error) {
	nt, ok := InvertedType(r.Type)
	if !ok {
		return nil, 0, fmt.Errorf("%w: event type %d is not a rows event", ErrUnsafe, r.Type)
	}
	if err := r.Decompress(); err != nil {
		return nil, 0, err
	}
	kind := r.Kind()
	if kind != event.RowsWrite && !fullBitmap(r.ColumnsBefore, r.ColumnCount) {
		return nil, 0, fmt.Errorf("%w: %s rows event without a full before image (binlog_row_image is not FULL)", ErrUnsafe, kind)
	}
	if kind != event.RowsDelete && !fullBitmap(r.ColumnsAfter, r.ColumnCount) {
		return nil, 0, fmt.Errorf("%w: %s rows event without a full after image (binlog_row_image is not FULL)", ErrUnsafe, kind)
	}
	if uint64(len(t.Columns)) != r.ColumnCount {
		return nil, 0, fmt.Errorf("flashback: rows event has %d columns, its Table_map %d", r.ColumnCount, len(t.Columns))
	}
	// The images' bounds of a table of MariaDB's older temporal formats
	// depend on precisions the Table_map does not carry.
	if err := t.CheckPrecision(r); err != nil {
		return nil, 0, err
	}
	if r.Type == event.PartialUpdateRowsEvent {
		return iv.invertPartial(t, r, nt)
	}
	iv.bounds = iv.bounds[:0]
	d := r.Data
	for off := 0; off < len(d); {
		start := off
		split := off
		switch kind {
		case event.RowsWrite:
			n, err := t.SkipRow(d[off:], r.ColumnsAfter)
			if err != nil {
				return nil, 0, err
			}
			off += n
			split = off
		case event.RowsDelete:
			n, err := t.SkipRow(d[off:], r.ColumnsBefore)
			if err != nil {
				return nil, 0, err
			}
			off += n
			split = off
		case event.RowsUpdate:
			n, err := t.SkipRow(d[off:], r.ColumnsBefore)
			if err != nil {
				return nil, 0, err
			}
			off += n
			split = off
			n, err = t.SkipRow(d[off:], r.ColumnsAfter)
			if err != nil {
				return nil, 0, err
			}
			off += n
		}
		if off <= start {
			return nil, 0, fmt.Errorf("flashback: empty row image at offset %d", start)
		}
		iv.bounds = append(iv.bounds, start, split, off)
	}
	iv.data = iv.data[:0]
	for i := len(iv.bounds) - 3; i >= 0; i -= 3 {
		s, m, e := iv.bounds[i], iv.bounds[i+1], iv.bounds[i+2]
		if kind == event.RowsUpdate {
			iv.data = append(iv.data, d[m:e]...)
			iv.data = append(iv.data, d[s:m]...)
		} else {
			iv.data = append(iv.data, d[s:e]...)
		}
	}
	return iv.finish(r, nt, kind), len(iv.bounds) / 3, nil
}

// finish fills the inverted event around iv.data.
func (iv *Inverter) finish(r *event.Rows, nt event.Type, kind event.RowsKind) *event.Rows {
	o := &iv.out
	*o = event.Rows{
		Type:        nt,
		TableID:     r.TableID,
		Flags:       r.Flags &^ event.RowsFlagStmtEnd,
		ColumnCount: r.ColumnCount,
		Data:        iv.data,
	}
	if isV2(nt) {
		o.ExtraData = r.ExtraData
		if o.ExtraData == nil {
			o.ExtraData = []byte{}
		}
		if kind == event.RowsUpdate && r.HasPartition && r.NDBInfo == nil {
			// The after images' partition and the before images' swap
			// with the images.
			iv.extra = event.AppendRowsExtraPartition(iv.extra[:0], r.SourcePartitionID, true, r.PartitionID)
			o.ExtraData = iv.extra
		}
	}
	switch kind {
	case event.RowsWrite:
		o.ColumnsBefore = r.ColumnsAfter
	case event.RowsDelete:
		o.ColumnsAfter = r.ColumnsBefore
	case event.RowsUpdate:
		o.ColumnsBefore, o.ColumnsAfter = r.ColumnsAfter, r.ColumnsBefore
	}
	return o
}

// invertPartial inverts a PARTIAL_UPDATE_ROWS event (see Invert): each
// row's after image is decoded, its JSON diffs applied to the before image,
// and the result written as the inverted row's full before image; the
// original before image, moved as raw bytes, is its after image.
func (iv *Inverter) invertPartial(t *rowcodec.Table, r *event.Rows, nt event.Type) (*event.Rows, int, error) {
	n := len(t.Columns)
	if cap(iv.before) < n {
		iv.before = make([]rowcodec.Value, n)
		iv.after = make([]rowcodec.Value, n)
		iv.full = make([]rowcodec.Value, n)
	}
	before, after, full := iv.before[:n], iv.after[:n], iv.full[:n]
	iv.bounds = iv.bounds[:0]
	iv.images = iv.images[:0]
	iv.imageBounds = iv.imageBounds[:0]
	d := r.Data
	for off := 0; off < len(d); {
		start := off
		split, err := t.SkipRow(d[off:], r.ColumnsBefore)
		if err != nil {
			return nil, 0, err
		}
		split += off
		next, err := t.NextRow(r, off, before, after)
		if err != nil {
			return nil, 0, err
		}
		if next <= start {
			return nil, 0, fmt.Errorf("flashback: empty row image at offset %d", start)
		}
		for i := range after {
			full[i] = after[i]
			if after[i].Kind() != rowcodec.KindJSONDiff {
				continue
			}
			if before[i].Kind() != rowcodec.KindJSON {
				return nil, 0, fmt.Errorf("flashback: column %d of %s: a JSON diff applies to a %v value in the before image", i+1, t.AppendName(nil), before[i].Kind())
			}
			if full[i], err = rowcodec.ApplyJSONDiffs(before[i], after[i]); err != nil {
				return nil, 0, fmt.Errorf("flashback: column %d of %s: applying the JSON diffs of the after image: %w", i+1, t.AppendName(nil), err)
			}
		}
		imgStart := len(iv.images)
		if iv.images, err = t.AppendRow(iv.images, r.ColumnsAfter, full); err != nil {
			return nil, 0, err
		}
		iv.imageBounds = append(iv.imageBounds, imgStart, len(iv.images))
		iv.bounds = append(iv.bounds, start, split, next)
		off = next
	}
	iv.data = iv.data[:0]
	for i, j := len(iv.bounds)-3, len(iv.imageBounds)-2; i >= 0; i, j = i-3, j-2 {
		iv.data = append(iv.data, iv.images[iv.imageBounds[j]:iv.imageBounds[j+1]]...)
		iv.data = append(iv.data, d[iv.bounds[i]:iv.bounds[i+1]]...)
	}
	return iv.finish(r, nt, event.RowsUpdate), len(iv.bounds) / 3, nil
}

func isV2(t event.Type) bool {
	return t == event.WriteRowsEventV2 || t == event.UpdateRowsEventV2 || t == event.DeleteRowsEventV2
}
