package main

import (
	"net/http"
	"sort"
	"time"
	"unsafe"
)

var (
	sizeofTx  = unsafe.Sizeof(txEntry{})
	sizeofOps = unsafe.Sizeof(tableOps{})
)

// bucketSteps are the widths, in seconds, a time chart's buckets may have.
var bucketSteps = []uint32{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 2 * 86400, 3 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 365 * 86400}

type bucketJSON struct {
	Start        uint32    `json:"start"` // Unix seconds
	Time         string    `json:"time"`
	Transactions int       `json:"transactions"`
	Ops          [4]uint64 `json:"ops"` // insert, update, delete, statement
}

type tableStatJSON struct {
	Table        string    `json:"table"`
	Transactions int       `json:"transactions"`
	Ops          [4]uint64 `json:"ops"`
}

type statsJSON struct {
	Transactions int             `json:"transactions"`
	Ops          [4]uint64       `json:"ops"`
	BucketSecs   uint32          `json:"bucket_seconds"`
	Buckets      []bucketJSON    `json:"buckets"`
	Tables       []tableStatJSON `json:"tables"`
	OtherTables  int             `json:"other_tables"`
}

// stats aggregates the matching transactions for the charts: the changes
// counted are those the filter's db, table and op parameters keep, as the
// exports write them.
func (s *server) stats(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r.URL.Query(), s.ix.files, s.ix.loc)
	if err != nil {
		httpError(w, http.StatusBadRequest, err)
		return
	}
	nb, err := intParam(r, "buckets", 48, 1, 500)
	if err != nil {
		httpError(w, http.StatusBadRequest, err)
		return
	}
	top, err := intParam(r, "top", 15, 1, 1000)
	if err != nil {
		httpError(w, http.StatusBadRequest, err)
		return
	}
	ids, err := s.match(r.Context(), f)
	if err != nil {
		httpError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, s.aggregate(f, ids, nb, top))
}

func (s *server) aggregate(f *filter, ids *idSet, nb, top int) statsJSON {
	ix := s.ix
	out := statsJSON{Transactions: ids.len(), Buckets: []bucketJSON{}, Tables: []tableStatJSON{}}
	if ids.len() == 0 {
		return out
	}
	first := ids.next(0)
	lo, hi := ix.txs[first].first, ix.txs[first].first
	drop := behind{ix: ix}
	for id := range ids.all() {
		drop.at(id)
		t := ix.txs[id].first
		lo, hi = min(lo, t), max(hi, t)
	}
	step := bucketSteps[len(bucketSteps)-1]
	for _, st := range bucketSteps {
		if uint64(hi-lo)/uint64(st) < uint64(nb) {
			step = st
			break
		}
	}
	// Buckets start at whole steps of the viewer's zone.
	_, off := time.Unix(int64(lo), 0).In(ix.loc).Zone()
	base := lo - uint32((int64(lo)+int64(off))%int64(step)+int64(step))%step
	n := int((hi-base)/step) + 1
	out.BucketSecs = step
	out.Buckets = make([]bucketJSON, n)
	for i := range out.Buckets {
		out.Buckets[i].Start = base + uint32(i)*step
		out.Buckets[i].Time = unixTime(out.Buckets[i].Start, ix.loc)
	}
	tables := ix.tableMask(f)
	per := map[uint32]*tableStatJSON{}
	drop = behind{ix: ix}
	for id := range ids.all() {
		drop.at(id)
		e := &ix.txs[id]
		b := &out.Buckets[(e.first-base)/step]
		b.Transactions++
		for _, o := range ix.ops[e.tabOff : e.tabOff+uint32(e.nTabs)] {
			if tables != nil && !tables[o.table] {
				continue
			}
			ts := per[o.table]
			counted := false
			for op := range numOps {
				if o.n[op] == 0 || !f.matchOp(op, e.flags&txDDL != 0) {
					continue
				}
				if ts == nil {
					ts = &tableStatJSON{Table: ix.tables[o.table].String()}
					if ts.Table == "" {
						ts.Table = "(no database)"
					}
					per[o.table] = ts
				}
				b.Ops[op] += uint64(o.n[op])
				out.Ops[op] += uint64(o.n[op])
				ts.Ops[op] += uint64(o.n[op])
				counted = true
			}
			if counted {
				ts.Transactions++
			}
		}
	}
	for _, ts := range per {
		out.Tables = append(out.Tables, *ts)
	}
	total := func(t tableStatJSON) uint64 { return t.Ops[0] + t.Ops[1] + t.Ops[2] + t.Ops[3] }
	sort.Slice(out.Tables, func(i, j int) bool {
		a, b := total(out.Tables[i]), total(out.Tables[j])
		if a != b {
			return a > b
		}
		return out.Tables[i].Table < out.Tables[j].Table
	})
	if len(out.Tables) > top {
		out.OtherTables = len(out.Tables) - top
		out.Tables = out.Tables[:top]
	}
	return out
}
