package cache

import "testing"

func TestMap(t *testing.T) {
	t.Parallel()
	c := New[int, string](2)
	g := c.Generation()
	c.Put(g, 1, "a")
	c.Put(g, 2, "b")
	c.Put(g, 3, "c")
	if c.Len() != 2 {
		t.Fatalf("Len = %d after three puts into a map of 2", c.Len())
	}
	if v, ok := c.Get(3); !ok || v != "c" {
		t.Errorf("Get(3) = %q, %v", v, ok)
	}
	c.Delete(3)
	if _, ok := c.Get(3); ok {
		t.Error("Get(3) after Delete found it")
	}
	// A value read before the Delete is not put back.
	c.Put(g, 3, "stale")
	if _, ok := c.Get(3); ok {
		t.Error("Put with a generation older than a Delete stored the value")
	}
	c.Put(c.Generation(), 4, "d")
	c.Clear()
	if c.Len() != 0 {
		t.Errorf("Len = %d after Clear", c.Len())
	}
	off := New[int, string](0)
	off.Put(off.Generation(), 1, "a")
	if off.Len() != 0 {
		t.Error("a map of 0 stored a value")
	}
}
