#!/usr/bin/env bash
# Makes a CA and one certificate per node for the TLS example
# (packaging/compose.tls.yaml, docs/cluster.md#configuration): each
# certificate names its node's host (node1, the host the other nodes'
# routes dial) and 127.0.0.1 (its own node's connection to its server), for
# both server and client use, signed by the CA. Needs openssl.
#
# usage: packaging/cluster/tls/make-certs.sh [DIR]    (default: packaging/cluster/tls/certs)
#
# Writes DIR/ca.pem, DIR/nodeN.pem and DIR/nodeN-key.pem (keys 0600) for
# node1..node3, and keeps DIR/ca-key.pem to sign more. In the container the
# files are read by uid 65532: `sudo chown -R 65532:65532 DIR` before
# `docker compose up`.
set -euo pipefail
dir="${1:-$(dirname "$0")/certs}"
days="${DAYS:-825}"
mkdir -p "$dir"
cd "$dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
	-subj "/CN=earshot cluster CA" -keyout ca-key.pem -out ca.pem \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
for n in node1 node2 node3; do
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$n" \
		-keyout "$n-key.pem" -out "$n.csr" 2>/dev/null
	openssl x509 -req -in "$n.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days "$days" -out "$n.pem" \
		-extfile <(printf 'subjectAltName=DNS:%s,IP:127.0.0.1\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n' "$n") 2>/dev/null
	rm -f "$n.csr"
done
rm -f ca.srl
chmod 0644 ca.pem node1.pem node2.pem node3.pem
echo "wrote $(pwd): ca.pem, node{1,2,3}.pem and their keys"
