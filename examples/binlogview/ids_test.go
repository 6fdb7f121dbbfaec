package main

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIDSet compares the bit set with a sorted slice of the same ids:
// membership, count, ascending iteration, the next member from every
// point, the member of every rank, and the sets made with another.
func TestIDSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 63, 64, 65, 200, 1000} {
		for _, density := range []float64{0, 0.01, 0.5, 1} {
			s := newIDSet(size)
			var want []int
			for id := range size {
				if rng.Float64() < density {
					s.add(id)
					s.add(id) // twice: counted once
					want = append(want, id)
				}
			}
			if s.len() != len(want) {
				t.Fatalf("size %d: %d members, want %d", size, s.len(), len(want))
			}
			if got := slices.Collect(s.all()); !slices.Equal(got, want) && len(want) > 0 {
				t.Fatalf("size %d: all() = %v, want %v", size, got, want)
			}
			for from := -1; from <= size+1; from++ {
				i, _ := slices.BinarySearch(want, max(from, 0))
				w := -1
				if i < len(want) {
					w = want[i]
				}
				if got := s.next(from); got != w {
					t.Fatalf("size %d: next(%d) = %d, want %d", size, from, got, w)
				}
			}
			for k := -1; k <= len(want); k++ {
				w := -1
				if k >= 0 && k < len(want) {
					w = want[k]
				}
				if got := s.nth(k); got != w {
					t.Fatalf("size %d: nth(%d) = %d, want %d", size, k, got, w)
				}
			}
			for id := -1; id <= size; id++ {
				if _, found := slices.BinarySearch(want, id); s.has(id) != found {
					t.Fatalf("size %d: has(%d) = %v", size, id, !found)
				}
			}
			o := newIDSet(size)
			var both, only, either []int
			for id := range size {
				in := s.has(id)
				if rng.IntN(2) == 0 {
					o.add(id)
					if in {
						both = append(both, id)
					}
					either = append(either, id)
				} else if in {
					only = append(only, id)
					either = append(either, id)
				}
			}
			u := newIDSet(size)
			u.addAll(s)
			u.addAll(o)
			for _, c := range []struct {
				name string
				got  *idSet
				want []int
			}{{"and", s.and(o), both}, {"andNot", s.andNot(o), only}, {"addAll", u, either}} {
				if got := slices.Collect(c.got.all()); c.got.len() != len(c.want) || len(c.want) > 0 && !slices.Equal(got, c.want) {
					t.Fatalf("size %d: %s = %v (%d members), want %v", size, c.name, got, c.got.len(), c.want)
				}
			}
		}
	}
}
