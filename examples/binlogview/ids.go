package main

import (
	"iter"
	"math/bits"
)

// idSet is a set of transaction ids, a bit each: what a filter keeps, in
// binlog order, in an eighth of a byte per transaction of the index
// rather than eight bytes per id kept.
type idSet struct {
	bits []uint64
	n    int // members
}

// newIDSet returns an empty set for the ids below size.
func newIDSet(size int) *idSet { return &idSet{bits: make([]uint64, (size+63)/64)} }

// add puts id in the set.
func (s *idSet) add(id int) {
	w, m := &s.bits[id>>6], uint64(1)<<(id&63)
	if *w&m == 0 {
		*w |= m
		s.n++
	}
}

// has reports whether id is in the set.
func (s *idSet) has(id int) bool {
	return id >= 0 && id>>6 < len(s.bits) && s.bits[id>>6]&(1<<(id&63)) != 0
}

// len returns the number of members.
func (s *idSet) len() int { return s.n }

// next returns the smallest member at or after from, or -1.
func (s *idSet) next(from int) int {
	from = max(from, 0)
	i := from >> 6
	if i >= len(s.bits) {
		return -1
	}
	w := s.bits[i] &^ (1<<(from&63) - 1)
	for w == 0 {
		if i++; i == len(s.bits) {
			return -1
		}
		w = s.bits[i]
	}
	return i<<6 + bits.TrailingZeros64(w)
}

// nth returns the member of rank k (from 0) in ascending order, or -1.
func (s *idSet) nth(k int) int {
	if k < 0 {
		return -1
	}
	for i, w := range s.bits {
		c := bits.OnesCount64(w)
		if k >= c {
			k -= c
			continue
		}
		for ; k > 0; k-- {
			w &= w - 1
		}
		return i<<6 + bits.TrailingZeros64(w)
	}
	return -1
}

// and returns the members of both s and o, andNot those of s not in o
// (sets of the same size), a word at a time.
func (s *idSet) and(o *idSet) *idSet { return s.combine(o, func(a, b uint64) uint64 { return a & b }) }
func (s *idSet) andNot(o *idSet) *idSet {
	return s.combine(o, func(a, b uint64) uint64 { return a &^ b })
}

func (s *idSet) combine(o *idSet, op func(a, b uint64) uint64) *idSet {
	out := &idSet{bits: make([]uint64, len(s.bits))}
	for i, w := range s.bits {
		out.bits[i] = op(w, o.bits[i])
		out.n += bits.OnesCount64(out.bits[i])
	}
	return out
}

// addAll adds o's members to s (sets of the same size).
func (s *idSet) addAll(o *idSet) {
	for i, w := range o.bits {
		s.n += bits.OnesCount64(w &^ s.bits[i])
		s.bits[i] |= w
	}
}

// all yields the members in ascending order.
func (s *idSet) all() iter.Seq[int] {
	return func(yield func(int) bool) {
		for id := s.next(0); id >= 0; id = s.next(id + 1) {
			if !yield(id) {
				return
			}
		}
	}
}
