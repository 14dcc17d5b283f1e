package cedict

import "hash/maphash"

// table maps strings held in a Dict's text to dense ids 0, 1, 2... It keys
// a map on a 64-bit hash of the string, which is faster to build than a
// map keyed on strings and holds no pointers for the garbage collector to
// scan; the rare string whose hash collides with an earlier one goes to a
// second map.
type table struct {
	seed  maphash.Seed
	ids   map[uint64]int32
	keys  []span           // id -> the string in the text
	clash map[string]int32 // strings whose hash belongs to an earlier one
}

func newTable(size int) table {
	return table{seed: maphash.MakeSeed(), ids: make(map[uint64]int32, size), keys: make([]span, 0, size)}
}

// resized returns a copy of t with room for size strings, which are
// in arena.
func (t *table) resized(arena []byte, size int) table {
	n := newTable(max(size, t.len()))
	for _, k := range t.keys {
		n.put(arena, k)
	}
	return n
}

// len returns the number of strings in the table.
func (t *table) len() int { return len(t.keys) }

// get returns the id of key, looked up in a table whose spans point into
// text.
func (t *table) get(text, key string) (int32, bool) {
	id, ok := t.ids[maphash.String(t.seed, key)]
	if !ok {
		return 0, false
	}
	if k := t.keys[id]; text[k.off:k.end] == key {
		return id, true
	}
	id, ok = t.clash[key]
	return id, ok
}

// put returns the id of the string at s in arena, adding it if new.
func (t *table) put(arena []byte, s span) int32 {
	key := arena[s.off:s.end]
	h := maphash.Bytes(t.seed, key)
	id, ok := t.ids[h]
	if ok {
		if k := t.keys[id]; string(arena[k.off:k.end]) == string(key) {
			return id
		}
		if id, ok := t.clash[string(key)]; ok {
			return id
		}
	}
	id = int32(len(t.keys))
	t.keys = append(t.keys, s)
	if !ok {
		t.ids[h] = id
		return id
	}
	if t.clash == nil {
		t.clash = make(map[string]int32)
	}
	t.clash[string(key)] = id
	return id
}

// getBytes is get for a table whose spans point into arena.
func (t *table) getBytes(arena, key []byte) (int32, bool) {
	id, ok := t.ids[maphash.Bytes(t.seed, key)]
	if !ok {
		return 0, false
	}
	if k := t.keys[id]; string(arena[k.off:k.end]) == string(key) {
		return id, true
	}
	id, ok = t.clash[string(key)]
	return id, ok
}
