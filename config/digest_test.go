package config

import (
	"strings"
	"testing"
)

func TestCheckCronSpec(t *testing.T) {
	good := []string{"0 9 * * MON", "30 8 * * 1-5", "@weekly", " 0 9 * * mon ", "*/15 9-17 * * *", "0 0 29 2 *"}
	for _, s := range good {
		if _, err := CheckCronSpec(s); err != nil {
			t.Errorf("CheckCronSpec(%q) = %v", s, err)
		}
	}
	bad := []struct {
		spec string
		off  int
		msg  string
	}{
		{"0 9 * *", 0, "want 5 fields"},
		{"0 9 * * MON extra", 0, "want 5 fields"},
		{"0 9 32 * *", 4, "day-of-month field"},
		{"0 9 * * FUNDAY", 8, "day-of-week field"},
		{"61 9 * * *", 0, "minute field"},
		{"  @every 1h", 2, "@every is not tied to the calendar"},
		{"CRON_TZ=Asia/Seoul 0 9 * * MON", 0, "time zone prefix"},
		{"@fortnightly", 0, "unknown descriptor"},
		{"", 0, "want 5 fields"},
	}
	for _, b := range bad {
		off, err := CheckCronSpec(b.spec)
		if err == nil || off != b.off || !strings.Contains(err.Error(), b.msg) {
			t.Errorf("CheckCronSpec(%q) = %d, %v; want offset %d and %q", b.spec, off, err, b.off, b.msg)
		}
	}
}

func TestDigestDefaultsAndOutbox(t *testing.T) {
	c, err := Parse([]byte("[[brand]]\nname = \"Acme\"\nown = true\n[digest]\nrecipients = [\"a@b.example\"]\n"), "t.toml", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	d := c.Digest
	if d.Schedule != DefaultDigestSchedule || d.From != DefaultDigestFrom || d.Subject != DefaultDigestSubject ||
		d.TLS != DigestTLSStartTLS || d.SMTPHost != "" || d.BaseURL != "http://"+DefaultListen || len(d.To) != 1 {
		t.Errorf("defaults = %+v", d)
	}
	if err := checkSubject(DefaultDigestSubject); err != nil {
		t.Errorf("default subject: %v", err)
	}
	c, err = Parse([]byte("[[brand]]\nname = \"Acme\"\nown = true\n[digest]\nsmtp_host = \"127.0.0.1\"\ntls = \"none\"\nfrom = \"e@x.example\"\nusername = \"u\"\npassword_env = \"P\"\n"), "t.toml",
		func(k string) string { return map[string]string{"P": "pw"}[k] })
	if err != nil {
		t.Fatalf("tls none on loopback: %v", err)
	}
	if c.Digest.SMTPPort != 25 || c.Digest.Password != "pw" || c.Digest.Enabled() {
		t.Errorf("digest = %+v", c.Digest)
	}
	_, err = Parse([]byte("[[brand]]\nname = \"Acme\"\nown = true\n[digest]\nusername = \"u\"\n"), "t.toml", nil)
	if err == nil || !strings.Contains(err.Error(), "username needs smtp_host") {
		t.Errorf("username without smtp_host: %v", err)
	}
}

func FuzzCheckCronSpec(f *testing.F) {
	for _, s := range []string{"0 9 * * MON", "*/0 * * * *", "0-70/5 * * * *", "@weekly", "1,2,3 4-5 ? JAN-DEC SUN-SAT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		off, err := CheckCronSpec(s)
		if err != nil && (off < 0 || off > len(s)) {
			t.Fatalf("offset %d outside %q", off, s)
		}
	})
}
