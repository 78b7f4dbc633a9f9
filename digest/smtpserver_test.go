package digest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one message the test server accepted.
type received struct {
	From     string
	To       []string
	Data     []byte
	User     string // authenticated user, "" when none
	Mech     string
	TLS      bool
	Attempts int // DATA commands seen when this one was accepted
}

// testSMTP is an in-process SMTP server (emersion/go-smtp) on a loopback
// port. Its behaviour per DATA command is scripted by Script: each entry is
// what the nth DATA gets (nil accepts, errDrop closes the connection);
// after the script every message is accepted.
type testSMTP struct {
	Addr  string
	Port  int
	Mechs []string // advertised AUTH mechanisms (PLAIN, LOGIN)
	Users map[string]string

	mu     sync.Mutex
	Script []error
	msgs   []received
	datas  int
	srv    *smtp.Server
}

var errDrop = errors.New("drop the connection")

type serverMode int

const (
	modeStartTLS serverMode = iota // STARTTLS offered, AUTH only after it
	modeImplicit                   // TLS from the first byte
	modePlain                      // no TLS at all, AUTH allowed (loopback relay)
)

func startSMTP(t *testing.T, mode serverMode, cert *tls.Certificate, script ...error) *testSMTP {
	t.Helper()
	ts := &testSMTP{Mechs: []string{sasl.Plain, sasl.Login}, Users: map[string]string{"earshot": "s3cret 비밀"}, Script: script}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{ts: ts, conn: c}, nil
	}))
	s.Domain = "localhost"
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.MaxMessageBytes = 4 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tc := &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
	switch mode {
	case modeStartTLS:
		s.TLSConfig = tc
	case modeImplicit:
		s.TLSConfig = tc
		ln = tls.NewListener(ln, tc)
	case modePlain:
		s.AllowInsecureAuth = true
	}
	ts.srv = s
	ts.Addr = ln.Addr().String()
	ts.Port = ln.Addr().(*net.TCPAddr).Port
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = s.Close() })
	return ts
}

func (ts *testSMTP) Messages() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.msgs...)
}

func (ts *testSMTP) DataCommands() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.datas
}

type session struct {
	ts         *testSMTP
	conn       *smtp.Conn
	from       string
	to         []string
	user, mech string
}

func (s *session) AuthMechanisms() []string { return s.ts.Mechs }

func (s *session) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if want, ok := s.ts.Users[user]; !ok || want != pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication credentials invalid"}
		}
		s.user, s.mech = user, mech
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnsupported
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if len(s.ts.Users) > 0 && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.ts.mu.Lock()
	n := s.ts.datas
	s.ts.datas++
	var reply error
	if n < len(s.ts.Script) {
		reply = s.ts.Script[n]
	}
	if reply == nil {
		s.ts.msgs = append(s.ts.msgs, received{From: s.from, To: s.to, Data: bytes.Clone(data), User: s.user, Mech: s.mech, TLS: isTLS, Attempts: n + 1})
	}
	s.ts.mu.Unlock()
	if reply == errDrop {
		_ = s.conn.Conn().Close()
		return reply
	}
	return reply
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// loginServer is the server side of AUTH LOGIN (go-sasl ships only the
// client).
type loginServer struct {
	step  int
	user  string
	check func(user, pass string) error
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step++
		if len(resp) == 0 {
			return []byte("Username:"), false, nil
		}
		l.user = string(resp)
		l.step++
		return []byte("Password:"), false, nil
	case 1:
		l.user = string(resp)
		l.step++
		return []byte("Password:"), false, nil
	default:
		return nil, true, l.check(l.user, string(resp))
	}
}

// testCert makes a self-signed certificate for 127.0.0.1 and localhost and
// a pool trusting it.
func testCert(t testing.TB) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "earshot test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
