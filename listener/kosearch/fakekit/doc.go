// Package fakekit holds what the fakes of the Korean portal search APIs
// (listener/naver/naverfake, listener/daum/daumfake) share: query matching
// over recorded items, integer parameters, recorded fault answers with an
// optional Retry-After, and JSON written the way those APIs write it.
package fakekit
