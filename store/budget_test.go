package store

import (
	"errors"
	"testing"
)

func TestBudgetSpendPersistsAndResets(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	if used, err := s.Spend("naver", "2026-11-26", 3, 5); err != nil || used != 3 {
		t.Fatalf("spend 3: %d, %v", used, err)
	}
	if used, err := s.Spend("naver", "2026-11-26", 3, 5); !errors.Is(err, ErrOverBudget) || used != 3 {
		t.Fatalf("spend past the limit: %d, %v; want 3 and ErrOverBudget", used, err)
	}
	if used, err := s.Spend("naver", "2026-11-26", 2, 5); err != nil || used != 5 {
		t.Fatalf("spend to the limit: %d, %v", used, err)
	}
	if used, _ := s.BudgetUsed("youtube", "2026-11-26"); used != 0 {
		t.Errorf("another budget used %d", used)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openT(t, dir) // a restart remembers what was spent
	if used, err := s.BudgetUsed("naver", "2026-11-26"); err != nil || used != 5 {
		t.Errorf("after reopen: %d, %v", used, err)
	}
	if used, err := s.Spend("naver", "2026-11-27", 1, 5); err != nil || used != 1 {
		t.Errorf("a new day starts from zero: %d, %v", used, err)
	}
	if _, err := s.Spend("", "x", 1, 1); !errors.Is(err, ErrBadRequest) {
		t.Errorf("empty key: %v", err)
	}
}
